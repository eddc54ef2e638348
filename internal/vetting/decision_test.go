package vetting

import (
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

var today = time.Date(2026, 3, 10, 12, 0, 0, 0, civil.Zone)

func TestDecisionValidate(t *testing.T) {
	cat := DefaultCatalogue()
	talk := func(withdrawn bool) *Persuasion {
		return &Persuasion{By: "王书记", On: "2026-03-08", Withdrawn: withdrawn, Note: "本人同意退出"}
	}
	tests := []struct {
		name  string
		d     Decision
		field string
		want  string
	}{
		{"qualified", Decision{Outcome: Qualified}, "", ""},
		{"barred", Decision{Outcome: Barred, Condition: "criminal"}, "", ""},
		{"unsuitable, talk pending", Decision{Outcome: Unsuitable, Condition: "petition"}, "", ""},
		{"unsuitable, withdrew", Decision{Outcome: Unsuitable, Condition: "petition", Persuasion: talk(true)}, "", ""},
		{"unsuitable, refused", Decision{Outcome: Unsuitable, Condition: "absence", Persuasion: talk(false)}, "", ""},
		{"disqualified", Decision{Outcome: Disqualified, CaseID: 4}, "", ""},
		{"no outcome", Decision{}, "outcome", "请选择审核结论"},
		{"withdrawn is not a decision", Decision{Outcome: Withdrawn}, "outcome", "请选择审核结论"},
		{"barred without condition", Decision{Outcome: Barred}, "condition", "请选择所属情形"},
		{"barred on a 不宜 condition", Decision{Outcome: Barred, Condition: "petition"}, "condition", "属于不宜情形,与审核结论不符"},
		{"unsuitable on a 不得 condition", Decision{Outcome: Unsuitable, Condition: "gang"}, "condition", "属于不得情形,与审核结论不符"},
		{"qualified with a condition", Decision{Outcome: Qualified, Condition: "gang"}, "condition", "与审核结论不符"},
		{"unknown condition", Decision{Outcome: Barred, Condition: "speeding"}, "condition", "未知的情形 speeding"},
		{"qualified, unknown condition", Decision{Outcome: Qualified, Condition: "speeding"}, "condition", "未知的情形 speeding"},
		{"disqualified without case", Decision{Outcome: Disqualified}, "case_id", "取消参选资格须关联案件"},
		{"case on a qualified", Decision{Outcome: Qualified, CaseID: 4}, "case_id", "只有取消参选资格的决定才关联案件"},
		{"persuasion of a barred", Decision{Outcome: Barred, Condition: "gang", Persuasion: talk(true)}, "persuasion", "只有存在不宜情形的参选人才有劝退记录"},
		{"talk without who", Decision{Outcome: Unsuitable, Condition: "petition", Persuasion: &Persuasion{On: "2026-03-08"}}, "persuasion_by", "请填写谈话人"},
		{"talk in the future", Decision{Outcome: Unsuitable, Condition: "petition", Persuasion: &Persuasion{By: "王书记", On: "2026-03-11"}}, "persuasion_on", "谈话日期不能晚于今天"},
		{"talk on a bad day", Decision{Outcome: Unsuitable, Condition: "petition", Persuasion: &Persuasion{By: "王书记", On: "3月8日"}}, "persuasion_on", "谈话日期格式"},
	}
	for _, tt := range tests {
		d := tt.d
		err := d.Validate(cat, civil.Of(today))
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != tt.field || !strings.Contains(errs.MessageOf(err), tt.want) {
			t.Errorf("%s: %v (field %q), want %s: %q", tt.name, err, errs.FieldOf(err), tt.field, tt.want)
		}
	}
}

func TestDecisionApply(t *testing.T) {
	withdrew := &Persuasion{By: "王书记", On: "2026-03-08", Withdrawn: true}
	refused := &Persuasion{By: "王书记", On: "2026-03-08"}
	tests := []struct {
		name string
		d    Decision
		from Status
		want Status // "" when refused
	}{
		{"qualified after review", Decision{Outcome: Qualified}, Reviewed, Qualified},
		{"barred after review", Decision{Outcome: Barred, Condition: "gang"}, Reviewed, Barred},
		{"unsuitable, talk pending", Decision{Outcome: Unsuitable, Condition: "petition"}, Reviewed, Unsuitable},
		{"unsuitable and withdrew at once", Decision{Outcome: Unsuitable, Condition: "petition", Persuasion: withdrew}, Reviewed, Withdrawn},
		{"talk recorded later: withdrew", Decision{Outcome: Unsuitable, Condition: "petition", Persuasion: withdrew}, Unsuitable, Withdrawn},
		{"talk recorded later: refused", Decision{Outcome: Unsuitable, Condition: "petition", Persuasion: refused}, Unsuitable, Unsuitable},
		{"disqualified while registered", Decision{Outcome: Disqualified, CaseID: 1}, Registered, Disqualified},
		{"disqualified after qualifying", Decision{Outcome: Disqualified, CaseID: 1}, Qualified, Disqualified},
		{"qualified before review", Decision{Outcome: Qualified}, UnderReview, ""},
		{"qualified while registered", Decision{Outcome: Qualified}, Registered, ""},
		{"barred after withdrawal", Decision{Outcome: Barred, Condition: "gang"}, Withdrawn, ""},
		{"qualified after barred", Decision{Outcome: Qualified}, Barred, ""},
		{"disqualified twice", Decision{Outcome: Disqualified, CaseID: 1}, Disqualified, ""},
	}
	for _, tt := range tests {
		got, err := tt.d.Apply(tt.from)
		if tt.want == "" {
			if !errs.Is(err, errs.Conflict) || got != tt.from {
				t.Errorf("%s: %s, %v; want refused", tt.name, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %s, %v; want %s", tt.name, got, err, tt.want)
		}
		if s := tt.d.Status(); s != tt.want && tt.from != Unsuitable {
			t.Errorf("%s: Status() = %s", tt.name, s)
		}
	}
}

func TestMeetingValidate(t *testing.T) {
	m := Meeting{HeldOn: "2026-03-10", Title: " 开发区党工委会议 "}
	if err := m.Validate(civil.Of(today)); err != nil || m.Title != "开发区党工委会议" {
		t.Fatalf("valid meeting: %v", err)
	}
	m.HeldOn = "2026-03-11"
	if err := m.Validate(civil.Of(today)); errs.FieldOf(err) != "held_on" {
		t.Fatalf("meeting tomorrow: %v", err)
	}
	m.HeldOn, m.Title = "2026-03-09", "会"
	if err := m.Validate(civil.Of(today)); errs.MessageOf(err) != "会议名称至少2个字" {
		t.Fatalf("short title: %v", err)
	}
}
