package election

import (
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
)

func num(n int) *int { return &n }

// deskSheet is a filled count of one candidate: 10 returned, 9 valid.
func deskSheet(yes int) Count {
	return Count{Issued: num(10), Returned: num(10), Valid: num(9), Invalid: num(1), WriteIns: []Line{},
		Lines: []Line{{Key: "1", Name: "甲", Post: vetting.CommitteeMember, Yes: num(yes), No: num(9 - yes), Abstain: num(0)}}}
}

// The double entry's machine, step by step (anchors.md §2, Abacus): the
// first entry before the second, never both by one clerk, a final entry
// fixed until returned, differences only for a coordinator who entered
// neither, confirmation only of an agreed count without errors and with
// every warning acknowledged.
func TestDesk(t *testing.T) {
	var d Desk
	want := func(s EntryStatus) {
		t.Helper()
		if got := d.Status(); got != s {
			t.Fatalf("status %s, want %s", got, s)
		}
	}
	refused := func(err error, code errs.Code) {
		t.Helper()
		if errs.CodeOf(err) != code {
			t.Fatalf("got %v, want %s", err, code)
		}
	}
	want(EntryNone)
	if i, err := d.Save("甲员", deskSheet(5), false); err != nil || i != 0 {
		t.Fatalf("first draft: %d %v", i, err)
	}
	want(EntryEntering)
	_, err := d.Save("乙员", deskSheet(5), false)
	refused(err, errs.Conflict) // the second waits for the first
	if _, err := d.Save("甲员", deskSheet(5), true); err != nil {
		t.Fatal(err)
	}
	want(EntrySecond)
	_, err = d.Save("甲员", deskSheet(6), false)
	refused(err, errs.Conflict) // the same clerk cannot enter again, nor change a final entry
	if i, err := d.Save("乙员", deskSheet(6), true); err != nil || i != 1 {
		t.Fatalf("second: %d %v", i, err)
	}
	want(EntryDifferent)
	if len(d.Differences) != 2 {
		t.Errorf("differences %+v, want yes and no of 甲", d.Differences)
	}
	if _, ok := d.Result(); ok {
		t.Error("a count with differences has a result")
	}
	refused(d.Confirm("协调员", nil, nil), errs.Conflict)
	refused(d.Resolve("乙员", KeepFirst), errs.Forbidden) // a clerk does not coordinate
	_, err = d.Save("丙员", deskSheet(5), true)
	refused(err, errs.Conflict) // a third clerk
	if err := d.Resolve("协调员", ReturnSecond); err != nil {
		t.Fatal(err)
	}
	want(EntryReturned)
	if i, err := d.Save("乙员", deskSheet(5), false); err != nil || i != 1 || !d.Sheets[1].Returned {
		t.Fatalf("the returned entry saved as a draft: %d %v %+v", i, err, d.Sheets[1])
	}
	if _, err := d.Save("乙员", deskSheet(5), true); err != nil {
		t.Fatal(err)
	}
	want(EntryAgreed)
	if c, ok := d.Result(); !ok || *c.Lines[0].Yes != 5 {
		t.Errorf("result %+v %v", c, ok)
	}
	refused(d.Resolve("协调员", KeepSecond), errs.Conflict) // nothing to resolve
	warn := []Finding{{Code: "W201", Message: "无效票多"}}
	refused(d.Confirm("协调员", warn, nil), errs.Unprocessable)
	refused(d.Confirm("协调员", []Finding{{Code: "F101", Error: true}}, map[string]bool{"F101": true}), errs.Unprocessable)
	refused(d.Confirm("甲员", warn, map[string]bool{"W201": true}), errs.Forbidden)
	if err := d.Confirm("协调员", warn, map[string]bool{"W201": true}); err != nil {
		t.Fatal(err)
	}
	want(EntryConfirmed)
	_, err = d.Save("丁员", deskSheet(5), false)
	refused(err, errs.Conflict)

	// Kept second; discarded both.
	d = Desk{}
	d.Save("甲员", deskSheet(3), true)
	d.Save("乙员", deskSheet(4), true)
	if err := d.Resolve("协调员", KeepSecond); err != nil {
		t.Fatal(err)
	}
	if c, ok := d.Result(); !ok || *c.Lines[0].Yes != 4 || d.Status() != EntryAgreed {
		t.Errorf("kept second: %+v %v %s", c, ok, d.Status())
	}
	if err := d.Resolve("协调员", DiscardBoth); err != nil {
		t.Fatal(err)
	}
	want(EntryNone)
	if i, err := d.Save("乙员", deskSheet(3), false); err != nil || i != 0 {
		t.Errorf("after discarding both anyone begins again: %d %v", i, err)
	}
}

// FuzzDesk drives the machine with any sequence of acts and checks what
// must always hold: one clerk never holds both entries, a second entry
// exists only after a final first, differences only with both final, a
// result exactly when agreed or confirmed.
func FuzzDesk(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add([]byte{0, 8, 17, 25, 40, 3, 9})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var d Desk
		clerks := []string{"甲", "乙", "丙"}
		for _, op := range ops {
			who := clerks[int(op>>5)%len(clerks)]
			switch op % 5 {
			case 0, 1:
				d.Save(who, deskSheet(int(op)%3), op%2 == 0)
			case 2:
				d.Resolve(who, Resolutions[int(op>>3)%len(Resolutions)])
			case 3:
				d.Confirm(who, nil, nil)
			case 4:
				d.Save(who, deskSheet(1), true)
			}
			a, b := d.Sheets[0], d.Sheets[1]
			if a != nil && b != nil && a.Clerk == b.Clerk {
				t.Fatalf("one clerk holds both entries: %+v", d)
			}
			if b != nil && a == nil {
				t.Fatalf("a second entry without a first")
			}
			if len(d.Differences) > 0 && (a == nil || b == nil || !a.Final || !b.Final) {
				t.Fatalf("differences without two final entries: %+v", d)
			}
			_, ok := d.Result()
			st := d.Status()
			if ok != (st == EntryAgreed || st == EntryConfirmed) {
				t.Fatalf("result %v in status %s", ok, st)
			}
			if st.Label() == "" {
				t.Fatalf("status %q", st)
			}
		}
	})
}
