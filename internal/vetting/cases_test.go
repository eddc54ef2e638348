package vetting

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/errs"
)

func TestCaseValidate(t *testing.T) {
	valid := Case{OrgCode: "QS-02-003", Source: FromPolice, Summary: "参选人组织宴请拉票", Parties: []string{"赵某"}}
	tests := []struct {
		name  string
		edit  func(*Case)
		field string
		want  string
	}{
		{"valid", func(*Case) {}, "", ""},
		{"aspirants only", func(c *Case) { c.Parties, c.AspirantIDs = nil, []int64{3} }, "", ""},
		{"from a tip", func(c *Case) { c.Source, c.TipID = FromTip, 8 }, "", ""},
		{"no source", func(c *Case) { c.Source = "" }, "source", "请选择案件来源"},
		{"tip without its tip", func(c *Case) { c.Source = FromTip }, "tip_id", "来源为群众举报的案件须关联举报"},
		{"no summary", func(c *Case) { c.Summary = "拉票" }, "summary", "案情摘要至少5个字"},
		{"no parties", func(c *Case) { c.Parties = []string{" ", ""} }, "parties", "请填写至少一名当事人"},
		{"long party name", func(c *Case) { c.Parties = []string{strings.Repeat("赵", 31)} }, "parties", "当事人姓名不超过30个字"},
		{"no community", func(c *Case) { c.OrgCode = "" }, "community", "请填写所在社区"},
	}
	for _, tt := range tests {
		c := valid
		c.Parties = append([]string(nil), valid.Parties...)
		tt.edit(&c)
		err := c.Validate()
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
	c := Case{OrgCode: "QS", Source: FromInspection, Summary: "违规承诺拉票", Parties: []string{" 赵某 ", "钱某", "赵某"}, AspirantIDs: []int64{5, 3, 5}}
	if err := c.Validate(); err != nil || !reflect.DeepEqual(c.Parties, []string{"赵某", "钱某"}) || !reflect.DeepEqual(c.AspirantIDs, []int64{3, 5}) {
		t.Fatalf("normalised %q %v: %v", c.Parties, c.AspirantIDs, err)
	}
}

func TestCaseLifecycle(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	c := Case{Status: CaseAccepted, AspirantIDs: []int64{3, 5}}
	if err := c.Decide(Disqualify, "", now); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "须进入“处理”阶段") {
		t.Fatalf("decide while accepted: %v", err)
	}
	// No skipping: 受理 → 处理 and 调查 → 办结 are refused.
	if err := c.Move(CaseHandling, now); errs.MessageOf(err) != "案件当前为“受理”,不能直接变为“处理”;下一步只能是:调查" {
		t.Fatalf("skip 调查: %v", err)
	}
	if err := c.Move(CaseInvestigating, now); err != nil {
		t.Fatal(err)
	}
	if err := c.Move(CaseClosed, now); !errs.Is(err, errs.Conflict) {
		t.Fatalf("skip 处理: %v", err)
	}
	if err := c.Move(CaseHandling, now); err != nil {
		t.Fatal(err)
	}
	// Not about a field of the move: the outcome is decided by another act.
	if err := c.Move(CaseClosed, now); !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != "" || c.Status != CaseHandling {
		t.Fatalf("close without outcome: %v, status %s", err, c.Status)
	}
	if c.Disqualifies() != nil {
		t.Fatal("no outcome disqualifies")
	}
	if err := c.Decide("cancel", "", now); errs.FieldOf(err) != "outcome" {
		t.Fatalf("unknown outcome: %v", err)
	}
	if err := c.Decide(Disqualify, "经查实贿选,取消参选资格", now); err != nil || !reflect.DeepEqual(c.Disqualifies(), []int64{3, 5}) {
		t.Fatalf("disqualify: %v %v", err, c.Disqualifies())
	}
	if err := c.Move(CaseClosed, now); err != nil || c.Status != CaseClosed {
		t.Fatalf("close: %v", err)
	}
	if err := c.Move(CaseHandling, now); errs.MessageOf(err) != "案件已是“办结”,状态不能再变更" {
		t.Fatalf("reopen: %v", err)
	}
	lonely := Case{Status: CaseHandling}
	if err := lonely.Decide(Disqualify, "", now); errs.MessageOf(err) != "取消参选资格须关联被取消资格的参选人" {
		t.Fatalf("disqualify nobody: %v", err)
	}
	if err := lonely.Decide(Unfounded, "", now); err != nil || lonely.Disqualifies() != nil {
		t.Fatalf("unfounded: %v", err)
	}
	if Disqualify.Label() != "取消参选资格" || FromInspection.Label() != "巡察发现" || CaseInvestigating.Label() != "调查" {
		t.Fatal("labels")
	}
}
