package demo_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

func TestLoadKeepsPersonalDataSealed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := store.Open(ctx, "sqlite:"+path, testdb.Options(t))
	if err != nil {
		t.Fatal(err)
	}
	z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
	var lines []string
	if err := demo.Load(ctx, st, z, func(l string) { lines = append(lines, l) }); err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 || !strings.Contains(lines[0], "37/37") {
		t.Fatalf("progress %v", lines)
	}
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
	st.Close() // checkpoints the WAL into the file

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
