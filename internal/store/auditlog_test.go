package store_test

import (
	"testing"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The audit list counts each entry's protected records in the database,
// without reading the digests (a bulk import's are half a megabyte), and
// its count is what the digests hold, alarms ("!" lines) not counted, on
// both engines: every entry of the demo zone, and one whose digests begin
// with an alarm and hold another between two records.
func TestAuditListCountsRecords(t *testing.T) {
	demoZone.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t)
		if err := st.Tamper(ctx, "UPDATE audit_log SET digests = '!z/0\na/1=x\n!b/2\nc/3=y' WHERE seq = (SELECT MAX(seq) FROM audit_log)"); err != nil {
			t.Fatal(err)
		}
		all, err := st.AuditEntries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]int{}
		for _, e := range all {
			audit.EachDigest(e.Digests, func(string, string) { want[e.Seq]++ })
		}
		var listed []store.AuditListed
		for f := (store.AuditFilter{Limit: 500}); ; {
			page, err := st.Zone(store.System).AuditLog(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if listed = append(listed, page...); len(page) < f.Limit {
				break
			}
			f.BeforeSeq = page[len(page)-1].Seq
		}
		big := 0
		for _, l := range listed {
			if l.Records != want[l.Seq] || l.Digests != "" {
				t.Errorf("entry %d (%s): listed %d records, its digests hold %d", l.Seq, l.Action, l.Records, want[l.Seq])
			}
			if l.Records > 30 {
				big++
			}
		}
		if len(listed) != len(all) || big == 0 || want[all[len(all)-1].Seq] != 2 {
			t.Fatalf("%d entries listed, %d of more than 30 records, the last entry's %d", len(listed), big, want[all[len(all)-1].Seq])
		}
	})
}
