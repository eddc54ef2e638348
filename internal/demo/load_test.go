package demo_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/demotest"
	"github.com/huanjie/huanjie/internal/store"
)

// The loaded demo zone keeps its ID and phone numbers sealed: the
// database file holds none of them in clear (its names, which are not
// sealed, show that the right file is read); a second load into it is
// refused. (The load's progress lines are checked through the command,
// in internal/app.)
func TestLoadKeepsPersonalDataSealed(t *testing.T) {
	ctx := context.Background()
	st, dsn := loadedDemo.OpenDSN(t, store.SQLite)
	path := strings.TrimPrefix(dsn, "sqlite:")
	z := demotest.Zone()
	members, err := st.Zone(store.System).Members(ctx, "QS-01-001")
	if err != nil || len(members) < 10 {
		t.Fatalf("members %d %v", len(members), err)
	}
	for _, m := range members {
		if !strings.Contains(m.IDNumber, "********") || !strings.Contains(m.Phone, "****") {
			t.Fatalf("member shown unmasked: %+v", m)
		}
	}
	if err := demo.Load(ctx, st, z, nil); err == nil {
		t.Fatal("a second load into a full database was accepted")
	}
	// The store is open: what it wrote since the copy is in the write-ahead log.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(path + "-wal")
	raw = append(raw, wal...)
	if !bytes.Contains(raw, []byte(z.Members[0].Name)) {
		t.Fatal("the check reads the wrong file: a member's name is not in it")
	}
	for _, m := range z.Members {
		if bytes.Contains(raw, []byte(m.IDNumber)) || bytes.Contains(raw, []byte(m.Phone)) {
			t.Fatalf("the database file holds %s's ID or phone number in clear", m.Name)
		}
	}
	if len(z.Aspirants) == 0 {
		t.Fatal("the demo zone has no aspirants to check")
	}
	for _, a := range z.Aspirants {
		if bytes.Contains(raw, []byte(a.IDNumber)) || bytes.Contains(raw, []byte(a.Phone)) {
			t.Fatalf("the database file holds aspirant %s's ID or phone number in clear", a.Name)
		}
	}
	phones := 0
	for _, r := range z.Visits.Registers {
		for _, h := range r.Households {
			if h.Phone == "" {
				continue
			}
			phones++
			if !strings.HasPrefix(h.Phone, demo.DemoPhonePrefix) || bytes.Contains(raw, []byte(h.Phone)) {
				t.Fatalf("household %s's phone %s: not a demo number, or in clear in the database file", h.Address, h.Phone)
			}
		}
		for _, p := range r.People {
			if p.Phone != "" && (!strings.HasPrefix(p.Phone, demo.DemoPhonePrefix) || bytes.Contains(raw, []byte(p.Phone))) {
				t.Fatalf("%s's phone %s: not a demo number, or in clear in the database file", p.Name, p.Phone)
			}
		}
	}
	if phones == 0 {
		t.Fatal("the demo zone has no households with phones to check")
	}
}
