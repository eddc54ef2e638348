package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The audit log's filters read a copy of the log that the store fills off
// the request path, and the entries after the copy's last from the log
// itself. Whether the copy ends before the log's last entries or holds
// them all, every filter lists what the log holds, newest first. A row of
// the copy changed or deleted in the database hides its entry from a
// filtered list, never from the office's whole list, and lists nothing the
// log does not hold; the check reports it and the server's check mends it. The log itself keeps no index but its sequence.
func TestAuditSearch(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t)
		tree(t, st)
		copied := func() (int64, int64) {
			c, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_search`)
			l, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log`)
			return c, l
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if c, l := copied(); c == l {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("the copy holds %d of the log's %d entries 10 s after the write", c, l)
			}
		}
		st.StopAuditCopy()
		indexes := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'`
		if st.Engine() == store.Postgres {
			indexes = `SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'audit_log' AND indexname <> 'audit_log_pkey'`
		}
		if n, err := st.QueryInt(ctx, indexes); err != nil || n != 0 {
			t.Fatalf("the log keeps %d indexes besides its sequence (%v)", n, err)
		}

		add := func(actor, code, parent string) {
			t.Helper()
			if err := st.Zone(store.Actor{ID: 7, Name: actor}).Write(ctx, func(tx *store.Tx) error {
				_, err := tx.AddOrg(ctx, org.Unit{Code: code, Name: code + "社区", Kind: org.Community, ParentCode: parent}, false)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		add("alice", "Z-1-3", "Z-1")
		add("bob", "Z-2-2", "Z-2")
		st.CopyAuditSearch(ctx)
		add("alice", "Z-1-4", "Z-1")
		add("bob", "Z-2-3", "Z-2")
		add("carol", "Z-10-1", "Z-10")
		if c, l := copied(); c != l-3 {
			t.Fatalf("the copy holds %d of %d entries, want all but the last 3", c, l)
		}

		all, err := st.AuditEntries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var district, first string // Z-1's path, and the seq of alice's first entry
		for _, e := range all {
			if e.EntityID == "Z-1" {
				district = e.OrgPath
			}
			if e.Actor == "alice" && first == "" {
				first = itoa(e.Seq)
			}
		}
		// want is what the log holds for f in scope, newest first.
		want := func(f store.AuditFilter, scope string) []int64 {
			var out []int64
			for _, e := range slices.Backward(all) {
				if (f.Actor == "" || e.Actor == f.Actor) && (f.Action == "" || e.Action == f.Action || strings.HasPrefix(e.Action, f.Action+".")) &&
					(f.Entity == "" || e.Entity == f.Entity) && (f.EntityID == "" || e.EntityID == f.EntityID) &&
					(f.BeforeSeq == 0 || e.Seq < f.BeforeSeq) && org.Within(scope).Contains(e.OrgPath) && len(out) < f.Limit {
					out = append(out, e.Seq)
				}
			}
			return out
		}
		last := all[len(all)-1].Seq
		cases := []struct {
			f     store.AuditFilter
			scope string
		}{
			{store.AuditFilter{Limit: 100}, "/"},
			{store.AuditFilter{Limit: 100, Actor: "alice"}, "/"},
			{store.AuditFilter{Limit: 100, Actor: "alice"}, district},
			{store.AuditFilter{Limit: 100, Actor: "bob"}, "/"},
			{store.AuditFilter{Limit: 100, Action: "org"}, "/"},
			{store.AuditFilter{Limit: 100, Action: audit.OrgAdd.Code}, district},
			{store.AuditFilter{Limit: 100, Entity: "org", EntityID: "Z-1-4"}, "/"},
			{store.AuditFilter{Limit: 100, Entity: "org", EntityID: "Z-2-2"}, "/"},
			{store.AuditFilter{Limit: 2, Actor: "alice"}, "/"},
			{store.AuditFilter{Limit: 2}, "/"},
			{store.AuditFilter{Limit: 100, BeforeSeq: last - 1}, "/"},
			{store.AuditFilter{Limit: 100, Actor: "mallory"}, "/"},
		}
		check := func(when string, skip func(store.AuditFilter) bool) {
			t.Helper()
			for _, c := range cases {
				if skip != nil && skip(c.f) {
					continue
				}
				db := st.Zone(store.System)
				if c.scope != "/" {
					db = within(st, c.scope)
				}
				got, err := db.AuditLog(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				var seqs []int64
				for _, e := range got {
					seqs = append(seqs, e.Seq)
				}
				if w := want(c.f, c.scope); !slices.Equal(seqs, w) || (len(w) == 0) != (c.f.Actor == "mallory") {
					t.Errorf("%s: %+v in %s lists %v, the log holds %v", when, c.f, c.scope, seqs, w)
				}
			}
		}
		check("the copy ends before the log's last 3 entries", nil)
		st.CopyAuditSearch(ctx)
		check("the copy holds the whole log", nil)

		if err := st.Tamper(ctx, `UPDATE audit_search SET actor = 'mallory' WHERE seq = `+first); err != nil {
			t.Fatal(err)
		}
		check("a row of the copy changed", func(f store.AuditFilter) bool { return f.Actor == "alice" })
		if got, _ := st.Zone(store.System).AuditLog(ctx, store.AuditFilter{Limit: 100, Actor: "alice"}); len(got) != len(want(store.AuditFilter{Limit: 100, Actor: "alice"}, "/"))-1 {
			t.Errorf("a row of the copy changed to another actor: alice's list has %d entries", len(got))
		}
		// Nor does a row moved into a district's subtree show there: the
		// scope is checked on the log's own row too.
		if err := st.Tamper(ctx, `UPDATE audit_search SET org_path = '`+district+`' WHERE seq = `+itoa(last)); err != nil {
			t.Fatal(err)
		}
		check("a row of the copy moved into another subtree", func(f store.AuditFilter) bool { return f.Actor == "alice" })
		if err := st.Tamper(ctx, `UPDATE audit_search SET org_path = (SELECT org_path FROM audit_log WHERE seq = `+itoa(last)+
			`) WHERE seq = `+itoa(last)); err != nil {
			t.Fatal(err)
		}
		r, err := st.VerifyAudit(ctx, nil)
		if err != nil || r.SearchMismatches != 1 || r.OK() {
			t.Fatalf("the check after a row of the copy changed: %d mismatches, OK %v (%v)", r.SearchMismatches, r.OK(), err)
		}
		// The office's whole list reads the log alone.
		if err := st.Tamper(ctx, `DELETE FROM audit_search WHERE seq = `+itoa(last-1)); err != nil {
			t.Fatal(err)
		}
		check("a row of the copy deleted", func(f store.AuditFilter) bool { return f.Actor == "alice" || f.Actor == "bob" || f.Action == "org" })
		if r, err := st.CheckNow(ctx); err != nil || r.SearchMismatches != 2 || !strings.Contains(st.LastVerify().Summary, "筛选索引有 2 条") {
			t.Fatalf("the server's check: %d mismatches (%v), %q", r.SearchMismatches, err, st.LastVerify().Summary)
		}
		check("the copy mended by the server's check", nil)
		if r := verified(t, st); !r.OK() {
			t.Fatalf("after the copy was mended:\n%s", problems(r))
		}
	})
}

// The audit's pages in a write's commit on SQLite: a ledger note writes its
// row, its item's and their indexes' pages, and of the audit's only the
// log's last page and the chain's head. With the log's four indexes each
// note wrote 10.2 pages on average; without them 6.2.
func TestAuditedWritePages(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	tree(t, st)
	zone := st.Zone(store.System)
	item := manualItem(t, st, "Z-1-1")
	note := func() {
		t.Helper()
		if err := zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddLedgerNote(ctx, item.ID, "今日进展:已联系当事人")
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	frames, err := st.WALFrames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	note()
	const notes = 100
	before := frames()
	for range notes {
		note()
	}
	if per := float64(frames()-before) / notes; per > 7.5 {
		t.Errorf("a ledger note's commit wrote %.2f pages on average, want at most 7.5", per)
	}
}

// manualItem is a ledger item the office opens by hand in the community
// with code, due in three days.
func manualItem(t *testing.T, st *store.Store, code string) ledger.Item {
	t.Helper()
	var item ledger.Item
	if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		var err error
		item, err = tx.AddLedgerItem(ctx, ledger.Item{OrgCode: code, Source: ledger.FromManual, Content: "走访发现的问题",
			Risk: ledger.Risks[0], Owner: "责任人", Due: civil.Of(st.Now().AddDate(0, 0, 3))})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return item
}
