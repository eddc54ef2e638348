package vetting

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

func TestRoundValidate(t *testing.T) {
	first := Round{ID: 1, Kind: FirstRound, DocNo: "开发区换届办〔2026〕3号", Date: "2026-02-10", Deadline: "2026-02-20"}
	tests := []struct {
		name    string
		edit    func(r *Round)
		earlier []Round
		field   string
		want    string
	}{
		{"valid first", func(r *Round) {}, nil, "", ""},
		{"valid second", func(r *Round) { r.Kind = SecondRound }, []Round{first}, "", ""},
		{"same-day deadline", func(r *Round) { r.Deadline = r.Date }, nil, "", ""},
		{"no kind", func(r *Round) { r.Kind = "" }, nil, "kind", "请选择联审轮次类型"},
		{"no document number", func(r *Round) { r.DocNo = "  " }, nil, "doc_no", "请填写文号"},
		{"bad date", func(r *Round) { r.Date = "2026/02/10" }, nil, "date", "联审日期格式应为 2026-03-01"},
		{"bad deadline", func(r *Round) { r.Deadline = "" }, nil, "deadline", "答复期限格式"},
		{"deadline before date", func(r *Round) { r.Deadline = "2026-02-09" }, nil, "deadline", "答复期限不能早于联审日期"},
		{"second without first", func(r *Round) { r.Kind = SecondRound }, nil, "kind", "尚未开展联审,不能发起二次联审"},
		{"chosen aspirants", func(r *Round) { r.Only = []int64{7, 3} }, nil, "", ""},
		{"bad chosen aspirant", func(r *Round) { r.Only = []int64{7, 0} }, nil, "aspirant_ids", "所选参选人编号无效"},
	}
	for _, tt := range tests {
		r := first
		tt.edit(&r)
		err := r.Validate(tt.earlier)
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
	r := first
	r.Only = []int64{9, 2, 9, 5, 2}
	if err := r.Validate(nil); err != nil || !slices.Equal(r.Only, []int64{2, 5, 9}) {
		t.Errorf("chosen aspirants sorted without repeats: %v %v", r.Only, err)
	}
	if FirstRound.Label() != "联审" || SecondRound.Label() != "二次联审" {
		t.Error("round labels")
	}
}

func TestAnswerValidate(t *testing.T) {
	police, _ := DefaultDepartments().Find("gaj")
	tests := []struct {
		name  string
		a     Answer
		field string
		want  string
	}{
		{"clean", Answer{Verdict: Clean}, "", ""},
		{"clean with a note", Answer{Verdict: Clean, Note: "经查询无违法犯罪记录"}, "", ""},
		{"findings", Answer{Verdict: Findings, Conditions: []string{"detention", " gang "}, Note: "2023年行政拘留"}, "", ""},
		{"findings without a note", Answer{Verdict: Findings, Conditions: []string{"criminal"}}, "", ""},
		{"no verdict", Answer{Conditions: []string{"gang"}}, "verdict", "请选择审查结论"},
		{"clean naming a condition", Answer{Verdict: Clean, Conditions: []string{"gang"}}, "conditions", "结论为“未发现问题”时不能勾选情形"},
		{"findings naming none", Answer{Verdict: Findings, Conditions: []string{" "}}, "conditions", "结论为“发现问题”时须至少勾选一项情形"},
		{"condition of another department", Answer{Verdict: Findings, Conditions: []string{"defaulter"}}, "conditions", "情形 defaulter 不在公安局的审查清单内"},
		{"unknown condition", Answer{Verdict: Findings, Conditions: []string{"speeding"}}, "conditions", "不在公安局的审查清单内"},
		{"catch-all without a note", Answer{Verdict: Findings, Conditions: []string{OtherCondition}, Note: " "}, "note", "勾选“其他不宜情形”时须在反馈意见中写明具体情况"},
		{"long note", Answer{Verdict: Clean, Note: strings.Repeat("无", 1001)}, "note", "反馈意见不超过1000个字"},
		{"bad attachment", Answer{Verdict: Clean, Attachment: "../etc/passwd"}, "attachment", "附件引用无效"},
	}
	for _, tt := range tests {
		a := tt.a
		err := a.Validate(police)
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
	a := Answer{Verdict: Findings, Conditions: []string{"gang", " detention", "gang", ""}}
	if err := a.Validate(police); err != nil || !reflect.DeepEqual(a.Conditions, []string{"gang", "detention"}) {
		t.Fatalf("normalised conditions %q: %v", a.Conditions, err)
	}
	if v, ok := ParseVerdict("发现问题"); !ok || v != Findings {
		t.Error("ParseVerdict")
	}
}

func TestOverdue(t *testing.T) {
	r := Request{Deadline: "2026-02-20"}
	at := func(s string) time.Time { t, _ := time.ParseInLocation("2006-01-02 15:04", s, civil.Zone); return t }
	tests := []struct {
		now      time.Time
		answered bool
		want     bool
	}{
		{at("2026-02-20 23:59"), false, false}, // the whole deadline day counts
		{at("2026-02-21 00:00"), false, true},
		{at("2026-02-21 00:00").UTC(), false, true}, // 16:00 UTC on the 20th is the 21st in China
		{at("2026-03-01 08:00"), true, false},       // answered late is not overdue
	}
	for i, tt := range tests {
		r.Answer = Answer{}
		if tt.answered {
			r.Answer.Verdict = Clean
		}
		if got := r.Overdue(tt.now); got != tt.want {
			t.Errorf("%d: overdue %v, want %v", i, got, tt.want)
		}
	}
	if (Request{}).Overdue(at("2030-01-01 00:00")) {
		t.Error("a request without a deadline is overdue")
	}
}

func answered(asp int64, dept string, v Verdict, conds ...string) Request {
	return Request{AspirantID: asp, Department: dept, Answer: Answer{Verdict: v, Conditions: conds}}
}

func TestMisses(t *testing.T) {
	r1 := Round{ID: 1, Kind: FirstRound, DocNo: "3号", Date: "2026-02-10"}
	r2 := Round{ID: 2, Kind: SecondRound, DocNo: "9号", Date: "2026-03-05"}
	r3 := Round{ID: 3, Kind: SecondRound, DocNo: "12号", Date: "2026-03-05"} // same day: ID orders
	rounds := []RoundAnswers{
		// Given out of order: Misses sorts by date, then ID.
		{r3, []Request{
			answered(10, "gaj", Findings, "detention", "criminal"), // detention named in r2 already; criminal is new
		}},
		{r2, []Request{
			answered(10, "gaj", Findings, "detention"),            // missed in r1 (answered clean)
			answered(10, "fy", Findings, "defaulter"),             // fy never answered in r1: not a miss
			answered(11, "gaj", Findings, "gang"),                 // r1 named gang already: not a miss
			answered(11, "jwjw", Findings, "bribery"),             // r1 named another condition: a miss
			answered(12, "xfj", Findings, "petition"),             // r1 request unanswered: not a miss
			answered(13, "gaj", Clean),                            // clean twice: nothing
			{AspirantID: 14, Department: "gaj"},                   // unanswered in r2
			answered(15, "zzb", Findings, "sanction"),             // zzb found it in r1 for another aspirant only
			answered(16, "jwjw", Findings, "under_investigation"), // another department was clean: not jwjw's miss
		}},
		{r1, []Request{
			answered(10, "gaj", Clean),
			answered(11, "gaj", Findings, "gang"),
			answered(11, "jwjw", Findings, "sanction"),
			{AspirantID: 12, Department: "xfj"},
			answered(13, "gaj", Clean),
			answered(14, "gaj", Findings, "gang"),
			answered(99, "zzb", Findings, "sanction"),
			answered(16, "zzb", Clean),
		}},
	}
	want := []Miss{
		{AspirantID: 10, Department: "gaj", Condition: "detention", Missed: r1, Verdict: Clean, Found: r2},
		{AspirantID: 11, Department: "jwjw", Condition: "bribery", Missed: r1, Verdict: Findings, Found: r2},
		{AspirantID: 10, Department: "gaj", Condition: "criminal", Missed: r1, Verdict: Clean, Found: r3},
	}
	got := Misses(rounds)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("misses:\n got %+v\nwant %+v", got, want)
	}
	if rounds[0].Round.ID != 3 {
		t.Fatal("Misses reordered its input")
	}
	if Misses(nil) != nil || Misses(rounds[2:]) != nil {
		t.Fatal("a single round has misses")
	}
}
