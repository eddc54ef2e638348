package demo_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
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
}

// Loaded at 00:30 China time, the demo stamps nothing after that moment:
// today's events are not put at 09:00, in the future, where a page would
// show them as "upcoming" and the audit log would run backwards.
func TestLoadStampsNothingInTheFuture(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	st, err := store.Open(ctx, "sqlite:"+path, testdb.Options(t))
	if err != nil {
		t.Fatal(err)
	}
	now := civil.Of(time.Now()).Start().Add(30 * time.Minute)
	st.SetClock(func() time.Time { return now })
	if err := demo.Load(ctx, st, demo.Generate(demo.DefaultSeed, demo.DefaultCommunities), nil); err != nil {
		t.Fatal(err)
	}
	st.Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var tables []string
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'goose%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	checked := 0
	for _, table := range tables {
		var cols []string
		rows, err := raw.Query(`SELECT name, type FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n, typ string
			rows.Scan(&n, &typ)
			if strings.Contains(strings.ToUpper(typ), "TIME") {
				cols = append(cols, n)
			}
		}
		rows.Close()
		for _, c := range cols {
			// Stamps are written in UTC, so the latest is the greatest text.
			var latest sql.NullString
			if err := raw.QueryRow(`SELECT MAX(` + c + `) FROM ` + table).Scan(&latest); err != nil {
				t.Fatalf("%s.%s: %v", table, c, err)
			}
			if !latest.Valid {
				continue
			}
			at, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", latest.String)
			if err != nil {
				t.Fatalf("%s.%s: %v", table, c, err)
			}
			checked++
			if at.After(now) {
				t.Errorf("%s.%s holds %v, after the load at %v", table, c, at.In(civil.Zone), now.In(civil.Zone))
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d timestamp columns with values checked", checked)
	}
}
