package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

func TestLedgerStore(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 10, 0, 0, 0, civil.Zone)
		st.SetClock(func() time.Time { return now })
		if err := demo.Load(ctx, st, demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutGates(), nil); err != nil {
			t.Fatal(err)
		}
		zone, other := st.Zone(store.System), within(st, "/QS/QS-02/")
		var a, b ledger.Item
		err := st.Zone(store.Actor{Name: "meeting"}).Write(ctx, func(tx *store.Tx) error {
			var err error
			if a, err = tx.AddLedgerItem(ctx, ledger.Item{OrgCode: "QS-01-001", Source: ledger.FromMeeting, SourceRef: "7",
				Content: "例会决定:排查矛盾纠纷", Risk: ledger.High, Owner: "王芳", Due: "2026-11-21"}); err != nil {
				return err
			}
			b, err = tx.AddLedgerItem(ctx, ledger.Item{OrgCode: "QS-02-001", Content: "手工事项", Risk: ledger.Low,
				Owner: "赵强", Due: "2026-11-25"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Out of scope: not found, nothing written.
		err = other.Write(ctx, func(tx *store.Tx) error { return tx.CloseLedgerItem(ctx, a.ID, "x", "") })
		if errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("close out of scope: %v", err)
		}
		err = zone.Write(ctx, func(tx *store.Tx) error { return tx.CloseLedgerItem(ctx, a.ID, "", "") })
		if errs.CodeOf(err) != errs.Unprocessable {
			t.Fatalf("close without note: %v", err)
		}
		now = now.AddDate(0, 0, 2)                                           // the 22nd: a is overdue
		items := func(all []ledger.Item, err error) ([]ledger.Item, error) { // ledger items only, not plan measures
			var out []ledger.Item
			for _, it := range all {
				if it.ID != 0 {
					out = append(out, it)
				} else if it.Source != ledger.FromPlan || it.SourceRef == "" {
					t.Errorf("a line without id that is no plan measure: %+v", it)
				}
			}
			return out, err
		}
		due, err := items(zone.DueAndOverdue(ctx, "2026-11-22"))
		if err != nil || len(due) != 1 || due[0].ID != a.ID || due[0].Community == "" || !due[0].Overdue("2026-11-22") {
			t.Fatalf("due on the 22nd: %+v %v", due, err)
		}
		if due, _ = items(other.DueAndOverdue(ctx, "2026-11-22")); len(due) != 0 {
			t.Fatalf("due in another scope: %+v", due)
		}
		err = zone.Write(ctx, func(tx *store.Tx) error { return tx.CloseLedgerItem(ctx, a.ID, "已排查", "") })
		if err != nil {
			t.Fatal(err)
		}
		closings, _, err := zone.Closings(ctx, "2026-11-22", 0)
		if err != nil || len(closings) != 1 || closings[0].ID != a.ID || closings[0].ClosingNote != "已排查" || closings[0].CreatedBy != "system" {
			t.Fatalf("closings: %+v %v", closings, err)
		}
		if due, _ = items(zone.DueAndOverdue(ctx, "2026-11-22")); len(due) != 0 {
			t.Fatalf("due after the close: %+v", due)
		}
		// A past day's dispatch: a was still open on the 21st.
		if due, _ = items(zone.DueAndOverdue(ctx, "2026-11-21")); len(due) != 1 || due[0].Status != ledger.Open {
			t.Fatalf("dispatch of the 21st: %+v", due)
		}
		for day, want := range map[string]int{"2026-11-19": 0, "2026-11-20": 2, "2026-11-21": 2, "2026-11-22": 1} {
			items, total, err := zone.LedgerOn(ctx, civil.Date(day), "", 0, 0)
			if err != nil || total != want || len(items) != want {
				t.Errorf("open on %s: %d %d %v, want %d", day, total, len(items), err, want)
			}
		}
		if items, _, _ := zone.LedgerOn(ctx, "2026-11-22", "QS-02", 0, 0); len(items) != 1 || items[0].ID != b.ID {
			t.Errorf("open in QS-02: %+v", items)
		}

		// Bulk import with history.
		err = zone.ImportLedgerItems(ctx, []store.LedgerImport{
			{Item: ledger.Item{OrgCode: "QS-01-002", Source: ledger.FromVisit, Content: "导入1", Risk: ledger.Medium, Owner: "甲", Due: "2026-11-10",
				Status: ledger.Closed, ClosedOn: "2026-11-12", ClosingNote: "办结", CreatedOn: "2026-11-01",
				Notes: []ledger.Note{{Day: "2026-11-05", Note: "进展"}}}, StartedOn: "2026-11-02"},
			{Item: ledger.Item{OrgCode: "QS-01-002", Source: ledger.FromVisit, Content: "导入2", Risk: ledger.Low, Owner: "乙", Due: "2026-11-15",
				Status: ledger.Open, CreatedOn: "2026-11-03"}},
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if items, _, _ := zone.LedgerOn(ctx, "2026-11-11", "QS-01-002", 0, 0); len(items) != 2 || items[0].Status != ledger.InProgress {
			t.Errorf("imported, open on the 11th: %+v", items)
		}
		if items, _, _ := zone.LedgerOn(ctx, "2026-11-12", "QS-01-002", 0, 0); len(items) != 1 {
			t.Errorf("imported, open on the 12th: %+v", items)
		}
		if c, _, _ := zone.Closings(ctx, "2026-11-12", 0); len(c) != 1 {
			t.Errorf("imported closing: %+v", c)
		}
		if n, _, _ := zone.NotesOn(ctx, "2026-11-05", 0); len(n) != 1 || n[0].By != "system" { // the importer
			t.Errorf("imported note: %+v", n)
		}
		// A day's lists cut at a limit still give the day's total.
		var three []store.LedgerImport
		for _, c := range []string{"甲", "乙", "丙"} {
			three = append(three, store.LedgerImport{Item: ledger.Item{OrgCode: "QS-01-003", Source: ledger.FromVisit, Content: "批量" + c,
				Risk: ledger.Low, Owner: c, Due: "2026-11-12", Status: ledger.Closed, ClosedOn: "2026-11-13", ClosingNote: "办结",
				CreatedOn: "2026-11-01", Notes: []ledger.Note{{Day: "2026-11-06", Note: "进展" + c, By: c}}}})
		}
		if err := zone.ImportLedgerItems(ctx, three, nil); err != nil {
			t.Fatal(err)
		}
		if c, total, err := zone.Closings(ctx, "2026-11-13", 2); err != nil || len(c) != 2 || total != 3 || c[0].Content != "批量甲" {
			t.Errorf("closings cut at 2: %d of %d, %v", len(c), total, err)
		}
		if n, total, err := zone.NotesOn(ctx, "2026-11-06", 2); err != nil || len(n) != 2 || total != 3 || n[1].Note.Note != "进展乙" {
			t.Errorf("notes cut at 2: %d of %d, %v", len(n), total, err)
		} else if n[0].By != "甲" {
			t.Errorf("imported note's writer: %q, want 甲", n[0].By)
		}
		if n, total, _ := zone.NotesOn(ctx, "2026-11-06", 5); len(n) != 3 || total != 3 {
			t.Errorf("notes under the limit: %d of %d", len(n), total)
		}
		// A district's lists are the zone's narrowed to it, though SQLite
		// reads them starting from the district's communities.
		east := within(st, "/QS/QS-01/")
		for _, day := range []civil.Date{"2026-11-06", "2026-11-13", "2026-11-22"} {
			whole, _, err1 := zone.Closings(ctx, day, 0)
			part, _, err2 := east.Closings(ctx, day, 0)
			zn, _, err3 := zone.NotesOn(ctx, day, 0)
			pn, _, err4 := east.NotesOn(ctx, day, 0)
			zd, _, err5 := zone.DueAndOverduePage(ctx, day, 0, 0)
			pd, _, err6 := east.DueAndOverduePage(ctx, day, 0, 0)
			if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
				t.Fatal(err)
			}
			var zoneNotes, partNotes []ledger.Item
			for _, n := range zn {
				zoneNotes = append(zoneNotes, n.Item)
			}
			for _, n := range pn {
				partNotes = append(partNotes, n.Item)
			}
			for name, c := range map[string][2][]ledger.Item{"closings": {whole, part}, "notes": {zoneNotes, partNotes}, "due": {zd, pd}} {
				var want []int64
				for _, it := range c[0] {
					if strings.HasPrefix(it.OrgCode, "QS-01-") {
						want = append(want, it.ID)
					}
				}
				var got []int64
				for _, it := range c[1] {
					got = append(got, it.ID)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s of QS-01 on %s: %v, want %v", name, day, got, want)
				}
			}
		}
		if c, _, _ := east.Closings(ctx, "2026-11-13", 0); len(c) != 3 {
			t.Errorf("closings of QS-01 on the 13th: %d, want 3", len(c))
		}
		l, err := zone.CommunityLedger(ctx, "QS-01-002")
		if err != nil || len(l) != 2 || l[0].Content != "导入2" || len(l[1].Notes) != 1 {
			t.Errorf("community ledger: %+v %v", l, err)
		}

		// A write's answer reads the item's latest notes only, and counts them all.
		for i := range 5 {
			if err := zone.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.AddLedgerNote(ctx, b.ID, fmt.Sprintf("进展%d", i))
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		all, err := zone.LedgerItem(ctx, b.ID, 0)
		if err != nil || len(all.Notes) < 5 || all.NotesTotal != len(all.Notes) {
			t.Fatalf("item with all notes: %d notes, total %d, %v", len(all.Notes), all.NotesTotal, err)
		}
		latest, err := zone.LedgerItem(ctx, b.ID, 3)
		if err != nil || latest.NotesTotal != all.NotesTotal || !reflect.DeepEqual(latest.Notes, all.Notes[len(all.Notes)-3:]) {
			t.Fatalf("latest 3 notes: %+v, total %d of %d, %v", latest.Notes, latest.NotesTotal, all.NotesTotal, err)
		}
		if latest.Notes[2].Note != "进展4" {
			t.Errorf("the latest note is %q", latest.Notes[2].Note)
		}
	})
}
