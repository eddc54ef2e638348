package ledger

import (
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
)

func TestValidate(t *testing.T) {
	good := func() Item {
		return Item{OrgCode: "QS-01-001", Source: FromVisit, Content: "张某反映物业纠纷", Risk: High, Owner: "李四", Due: "2026-12-01"}
	}
	it := good()
	if err := it.Validate("2026-11-27"); err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*Item){
		"content": func(i *Item) { i.Content = "  " },
		"risk":    func(i *Item) { i.Risk = "severe" },
		"source":  func(i *Item) { i.Source = "rumour" },
		"owner":   func(i *Item) { i.Owner = "" },
		"due":     func(i *Item) { i.Due = "12/01/2026" },
		"past":    func(i *Item) { i.Due = "2026-11-26" },
	} {
		it := good()
		mod(&it)
		err := it.Validate("2026-11-27")
		if errs.CodeOf(err) != errs.Unprocessable || errs.MessageOf(err) == "" {
			t.Errorf("%s: %v, want 422", name, err)
		}
	}
	it = good()
	it.Source = ""
	if err := it.Validate("2026-11-27"); err != nil || it.Source != FromManual {
		t.Errorf("empty source: %v %q, want manual", err, it.Source)
	}
}

func TestMachine(t *testing.T) {
	if err := Start(Open); err != nil {
		t.Error(err)
	}
	if err := Start(Closed); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("start closed: %v", err)
	}
	if _, err := Close(InProgress, " "); errs.CodeOf(err) != errs.Unprocessable || errs.FieldOf(err) != "note" {
		t.Errorf("close without note: %v", err)
	}
	if n, err := Close(Open, " 已调解 "); err != nil || n != "已调解" {
		t.Errorf("close: %q %v", n, err)
	}
	if _, err := Close(Closed, "again"); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("close closed: %v", err)
	}
	if _, err := Reopen(Closed, ""); errs.CodeOf(err) != errs.Unprocessable {
		t.Errorf("reopen without reason: %v", err)
	}
	if _, err := Reopen(Open, "x"); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("reopen open: %v", err)
	}
	if !(Item{Status: InProgress, Due: "2026-11-26"}).Overdue("2026-11-27") || (Item{Status: Closed, Due: "2026-11-01"}).Overdue("2026-11-27") ||
		(Item{Status: Open, Due: "2026-11-27"}).Overdue("2026-11-27") {
		t.Error("overdue")
	}
}
