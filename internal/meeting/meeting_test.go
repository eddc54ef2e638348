package meeting

import (
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
)

func TestDecisionValidate(t *testing.T) {
	ok := Decision{Content: " 督促整改上访问题 ", Community: "QS-01-001", Owner: "王强", Due: "2026-12-01"}
	if err := ok.Validate("2026-11-27"); err != nil || ok.Content != "督促整改上访问题" {
		t.Fatalf("%v %+v", err, ok)
	}
	for field, d := range map[string]Decision{
		"content":   {Community: "QS-01-001", Owner: "王强", Due: "2026-12-01"},
		"community": {Content: "事项", Owner: "王强", Due: "2026-12-01"},
		"owner":     {Content: "事项", Community: "QS-01-001", Due: "2026-12-01"},
		"due":       {Content: "事项", Community: "QS-01-001", Owner: "王强", Due: "2026-11-26"},
	} {
		err := d.Validate("2026-11-27")
		if !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestAttendeesAndYesterday(t *testing.T) {
	if got := Attendees("张三,李四\uff0c王五、赵六\n 钱七 ;"); !slices.Equal(got, []string{"张三", "李四", "王五", "赵六", "钱七"}) {
		t.Fatalf("%q", got)
	}
	if Yesterday("2026-03-01") != "2026-02-28" {
		t.Fatal(Yesterday("2026-03-01"))
	}
}

func TestAgendaOnlyAndUnitCode(t *testing.T) {
	a := Agenda{Day: "2026-11-27",
		Due:        []ItemLine{{Code: "QS-01-001"}, {Code: "QS-02-001"}, {Community: "旧议程,无编码"}},
		Tips:       []TipLine{{Code: "QS-02-003"}},
		LateStages: []StageLine{{Code: "QS-01-002"}},
		Votes:      []VoteLine{{Code: "QS-01-001"}, {Code: "QS-02-001"}}, Counts: []CountLine{{Code: "QS-02-001"}},
		Voids: []VoidLine{{Code: "QS-01-002"}, {Code: "QS-03-001"}}, Handovers: []HandoverLine{{Code: "QS-01-001"}},
		Reports:  []ReportLine{{Code: "QS-02-002"}, {Community: "旧议程,无编码"}},
		Coverage: []CoverageLine{{Code: "QS-01-002"}, {Code: "QS-02-001"}}, Capped: []string{"late_stages"}}
	if a.Size() != 15 {
		t.Errorf("size %d, want 15", a.Size())
	}
	mine := a.Only(func(code string) bool { return code == "QS-01-001" || code == "QS-01-002" })
	if mine.Day != a.Day || len(mine.Due) != 1 || mine.Due[0].Code != "QS-01-001" || len(mine.Tips) != 0 || len(mine.LateStages) != 1 ||
		len(mine.Votes) != 1 || mine.Votes[0].Code != "QS-01-001" || len(mine.Counts) != 0 || len(mine.Voids) != 1 ||
		mine.Voids[0].Code != "QS-01-002" || len(mine.Handovers) != 1 || len(mine.Reports) != 0 || len(mine.Coverage) != 1 ||
		mine.Coverage[0].Code != "QS-01-002" {
		t.Fatalf("%+v", mine)
	}
	// A reader's part of a cut section is cut too: it still says so.
	if !mine.Cut("late_stages") || mine.Cut("warnings") {
		t.Errorf("cut sections %v, want late_stages only", mine.Capped)
	}
	for path, want := range map[string]string{"/": "", "/QS/": "QS", "/QS/QS-02/": "QS-02"} {
		if got := UnitCode(path); got != want {
			t.Errorf("UnitCode(%q) = %q, want %q", path, got, want)
		}
	}
	m := Meeting{CheckpointSeq: 1234, CheckpointHash: "0123456789abcdef0123456789abcdef"}
	if got := m.CheckpointText(); got != "审计日志截至第 1234 条,校验值 0123456789abcdef…" {
		t.Fatal(got)
	}
	if (Meeting{}).CheckpointText() != "" {
		t.Fatal("a meeting without checkpoint prints one")
	}
}
