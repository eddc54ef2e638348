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
	var numbers []string
	for _, m := range z.Members {
		numbers = append(numbers, m.IDNumber, m.Phone)
	}
	for _, a := range z.Aspirants {
		numbers = append(numbers, a.IDNumber, a.Phone)
	}
	for _, r := range z.Visits.Registers {
		for _, h := range r.Households {
			numbers = append(numbers, h.Phone)
		}
		for _, p := range r.People {
			numbers = append(numbers, p.Phone)
		}
	}
	inFile := inClear(raw, numbers)
	for _, m := range z.Members {
		if inFile[m.IDNumber] || inFile[m.Phone] {
			t.Fatalf("the database file holds %s's ID or phone number in clear", m.Name)
		}
	}
	if len(z.Aspirants) == 0 {
		t.Fatal("the demo zone has no aspirants to check")
	}
	for _, a := range z.Aspirants {
		if inFile[a.IDNumber] || inFile[a.Phone] {
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
			if !strings.HasPrefix(h.Phone, demo.DemoPhonePrefix) || inFile[h.Phone] {
				t.Fatalf("household %s's phone %s: not a demo number, or in clear in the database file", h.Address, h.Phone)
			}
		}
		for _, p := range r.People {
			if p.Phone != "" && (!strings.HasPrefix(p.Phone, demo.DemoPhonePrefix) || inFile[p.Phone]) {
				t.Fatalf("%s's phone %s: not a demo number, or in clear in the database file", p.Name, p.Phone)
			}
		}
	}
	if phones == 0 {
		t.Fatal("the demo zone has no households with phones to check")
	}
}

// inClear tells which of numbers raw holds, as bytes.Contains would, in one
// pass over raw (thousands of bytes.Contains over the whole file took tens
// of seconds): a number of digits (and X, an ID number's last) can only be
// inside a run of them, so each run's windows of the numbers' lengths are
// looked up. A number of other characters is searched for on its own.
func inClear(raw []byte, numbers []string) map[string]bool {
	found, want, lengths := map[string]bool{}, map[string]bool{}, map[int]bool{}
	digit := func(c byte) bool { return c >= '0' && c <= '9' || c == 'X' }
	for _, n := range numbers {
		if n == "" {
			continue
		}
		if strings.IndexFunc(n, func(r rune) bool { return r > 0x7f || !digit(byte(r)) }) >= 0 {
			found[n] = bytes.Contains(raw, []byte(n))
			continue
		}
		want[n], lengths[len(n)] = true, true
	}
	for i := 0; i < len(raw); {
		if !digit(raw[i]) {
			i++
			continue
		}
		j := i
		for j < len(raw) && digit(raw[j]) {
			j++
		}
		for n := range lengths {
			for k := i; k+n <= j; k++ {
				if want[string(raw[k:k+n])] {
					found[string(raw[k:k+n])] = true
				}
			}
		}
		i = j
	}
	return found
}

// inClear finds a number wherever bytes.Contains would: alone, inside a
// longer run of digits, at either end, and not when a digit differs.
func TestInClear(t *testing.T) {
	id, phone := "11010519491231002X", "13800138000"
	raw := []byte("姓名" + id + "," + "9" + phone + "7" + "\x00" + "13800138001")
	got := inClear(raw, []string{id, phone, "13800138002", "138-0013", ""})
	if !got[id] || !got[phone] || got["13800138002"] || got["138-0013"] {
		t.Fatalf("inClear %v", got)
	}
	if got := inClear([]byte(phone), []string{phone, id}); !got[phone] || got[id] {
		t.Fatalf("the whole file one number: %v", got)
	}
}
