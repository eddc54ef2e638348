package store_test

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// On SQLite the notes of what a write touches are made by the writer
// connection's triggers and handed to the store (touched.go): the database
// file holds neither a table of notes nor triggers, the writer's temporary
// schema no table either, and a writer taken again after the first closed
// has its triggers too.
func TestNotesAreTheWritersOwn(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	inFile, err := st.QueryTexts(ctx, `SELECT type || ' ' || name FROM sqlite_master
		WHERE name = 'audit_touched' OR (type = 'trigger' AND sql LIKE '%huanjie_note%')`)
	if err != nil || len(inFile) > 0 {
		t.Fatalf("the file's notes: %v %v", inFile, err)
	}
	if missing, err := st.ProtectedWithoutTriggers(ctx); err != nil || len(missing) > 0 {
		t.Fatalf("protected tables without the writer's triggers: %v %v", missing, err)
	}
	err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, audit.OrgAdd, store.On("org", "Z", ""), nil, audit.Fields{"code": "Z"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := st.WriteValue(ctx, `SELECT COUNT(*) FROM sqlite_temp_master WHERE type = 'table'`); err != nil || v != "0" {
		t.Fatalf("tables in the writer's temporary schema: %s %v", v, err)
	}
	if err := st.CloseWriter(); err != nil {
		t.Fatal(err)
	}
	// The closed writer's connection, back in the pool, is held with the
	// others idle: the next write opens a new one.
	release, err := st.HoldIdleKeyed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if v, err := st.WriteValue(ctx, `SELECT 1`); err != nil || v != "1" {
		t.Fatalf("a write after the writer closed: %q, %v", v, err)
	}
	if missing, err := st.ProtectedWithoutTriggers(ctx); err != nil || len(missing) > 0 {
		t.Fatalf("protected tables without the new writer's triggers: %v %v", missing, err)
	}
}

// Someone holding the database drops the triggers that note what a write
// touches (docs/security.md): on PostgreSQL the platform's next write of a
// record, noted by nothing, leaves the record's old digest on it, and
// verify names the record. On SQLite the file has none to drop
// (TestNotesAreTheWritersOwn).
func TestDroppedTriggersAreNoticed(t *testing.T) {
	st := demoZone.Open(t, store.Postgres) // skips without PostgreSQL
	testdb.Tampers(t)
	standing, err := st.QueryInt(ctx, `SELECT MIN(org_id) FROM standings`)
	if err != nil {
		t.Fatal(err)
	}
	code, err := st.ReadValue(ctx, `SELECT code FROM orgs WHERE id = $1`, standing)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Tamper(ctx, `DROP TRIGGER standings_audit ON standings`); err != nil {
		t.Fatal(err)
	}
	err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		_, err := tx.SetOverride(ctx, code, "C", "包片领导研判认为选情复杂")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r := verified(t, st)
	if len(r.RecordProblems) != 1 || !strings.Contains(problems(r), "社区类别及人工调整 第 "+itoa(standing)+":") {
		t.Fatalf("a write no trigger noted:\n%s", problems(r))
	}
}

// A write of the store that records no audit entry (a rate limit's, the
// audit log's copy's) runs on the writer too. Had it touched a protected
// record, its notes would be left for the next audited write to vouch for:
// that write forgets them as it starts, so the record stays unvouched and
// verify names it.
func TestUnauditedWritesLeaveNoNotes(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	testdb.Tampers(t)
	tree(t, st)
	item := manualItem(t, st, "Z-1-1")
	if err := st.UnauditedWrite(ctx, `UPDATE ledger_items SET content = '已改' WHERE id = `+itoa(item.ID)); err != nil {
		t.Fatal(err)
	}
	if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		_, err := tx.AddOrg(ctx, org.Unit{Code: "Z-3", Name: "新片区", Kind: org.District, ParentCode: "Z"}, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	r := verified(t, st)
	if len(r.RecordProblems) != 1 || r.RecordProblems[0].Table != "ledger_items" || !strings.Contains(r.RecordProblems[0].Reason, "直接改动") {
		t.Fatalf("a ledger item changed by a write that was not audited: %+v", r.RecordProblems)
	}
}

// A statement that fails after a trigger noted a record is undone by
// SQLite, the note not: a write that goes on and commits keeps the digest
// of the content the record has, not the content the note gave, whether
// it is the write's one record of its table or one of several.
func TestNoteOfAFailedStatement(t *testing.T) {
	for _, others := range []int{0, 2} {
		t.Run(itoa(int64(others))+" others", func(t *testing.T) {
			st := testdb.Open(t, store.SQLite)
			tree(t, st)
			a, b := manualItem(t, st, "Z-1-1"), manualItem(t, st, "Z-1-1")
			var more []string
			for range others {
				more = append(more, itoa(manualItem(t, st, "Z-1-2").ID))
			}
			err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				// a's row is updated and noted, then b's breaks NOT NULL.
				err := tx.Exec(ctx, `UPDATE ledger_items SET content = '已改', due_on = CASE WHEN id = `+itoa(b.ID)+
					` THEN NULL ELSE due_on END WHERE id IN (`+itoa(a.ID)+`, `+itoa(b.ID)+`)`)
				if err == nil || !strings.Contains(err.Error(), "NOT NULL") {
					t.Fatalf("the failing statement: %v", err)
				}
				if len(more) > 0 {
					if err := tx.Exec(ctx, `UPDATE ledger_items SET owner = '新责任人' WHERE id IN (`+strings.Join(more, ", ")+`)`); err != nil {
						return err
					}
				}
				return tx.Audit(ctx, audit.OrgAdd, store.On("org", "Z", ""), nil, audit.Fields{"code": "Z"})
			})
			if err != nil {
				t.Fatal(err)
			}
			if v, err := st.ReadValue(ctx, `SELECT content FROM ledger_items WHERE id = $1`, a.ID); err != nil || v != a.Content {
				t.Fatalf("a's content after the failed statement: %q %v", v, err)
			}
			if r := verified(t, st); !r.OK() {
				t.Fatalf("after a write whose statement failed:\n%s", problems(r))
			}
		})
	}
}
