package vetting

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

func TestActivityValidate(t *testing.T) {
	valid := Activity{OrgCode: "QS", Type: Cartoon, Quantity: 500, Date: "2026-02-01"}
	tests := []struct {
		name  string
		edit  func(*Activity)
		field string
		want  string
	}{
		{"valid", func(*Activity) {}, "", ""},
		{"today", func(a *Activity) { a.Date = "2026-03-10" }, "", ""},
		{"other with note", func(a *Activity) { a.Type, a.Note = OtherActivity, "换届纪律知识竞赛" }, "", ""},
		{"no unit", func(a *Activity) { a.OrgCode = "" }, "community", "请填写所在单位"},
		{"unknown type", func(a *Activity) { a.Type = "漫画" }, "type", "请选择活动类型"},
		{"zero", func(a *Activity) { a.Quantity = 0 }, "quantity", "数量须为1至100000之间的整数"},
		{"negative", func(a *Activity) { a.Quantity = -5 }, "quantity", "数量须为1至100000"},
		{"too many", func(a *Activity) { a.Quantity = MaxQuantity + 1 }, "quantity", "数量须为1至100000"},
		{"future", func(a *Activity) { a.Date = "2026-03-11" }, "date", "活动日期不能晚于今天"},
		{"bad date", func(a *Activity) { a.Date = "2026-2-1" }, "date", "活动日期格式应为 2026-03-01"},
		{"other without note", func(a *Activity) { a.Type = OtherActivity }, "note", "类型为“其他”时须写明活动内容"},
	}
	for _, tt := range tests {
		a := valid
		tt.edit(&a)
		err := a.Validate(civil.Of(today))
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if errs.FieldOf(err) != tt.field || !strings.Contains(errs.MessageOf(err), tt.want) {
			t.Errorf("%s: %v, want %s: %q", tt.name, err, tt.field, tt.want)
		}
	}
}

func TestTotals(t *testing.T) {
	log := []Activity{
		{Type: Cartoon, Quantity: 300}, {Type: Cartoon, Quantity: 220},
		{Type: WarningMeeting, Quantity: 1}, {Type: WarningMeeting, Quantity: 4},
		{Type: WechatPost, Quantity: 12},
		{Type: "retired", Quantity: 9}, // a type no longer offered is not counted
	}
	got := Totals(log)
	if len(got) != len(ActivityTypes) {
		t.Fatalf("%d totals", len(got))
	}
	want := map[ActivityType][2]int{Cartoon: {520, 2}, WarningMeeting: {5, 2}, WechatPost: {12, 1}}
	for i, tot := range got {
		if tot.Type != ActivityTypes[i] {
			t.Errorf("total %d is %s", i, tot.Type)
		}
		if w := want[tot.Type]; tot.Quantity != w[0] || tot.Entries != w[1] {
			t.Errorf("%s: %d in %d entries, want %v", tot.Type.Label(), tot.Quantity, tot.Entries, w)
		}
		if tot.Type.Unit() == "" || tot.Type.Label() == "" {
			t.Errorf("%s has no unit or label", tot.Type)
		}
	}
	if Cartoon.Unit() != "幅" || WarningMeeting.Unit() != "场" || WechatPost.Unit() != "篇" {
		t.Error("units")
	}
}
