package progress_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/progress"
)

// cst is the office's zone (UTC+8, no DST), as civil.Zone.
var cst = time.FixedZone("CST", 8*3600)

func date(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

// wantErr checks an errs error: its code, its field and a substring of its
// Chinese message. An empty want.msg means no error is expected.
type wantErr struct {
	code  errs.Code
	field string
	msg   string
}

func checkErr(t *testing.T, err error, w wantErr) {
	t.Helper()
	if w.msg == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %s on %q containing %q", w.code, w.field, w.msg)
	}
	if got := errs.CodeOf(err); got != w.code {
		t.Errorf("code = %s, want %s (%v)", got, w.code, err)
	}
	if got := errs.FieldOf(err); got != w.field {
		t.Errorf("field = %q, want %q (%v)", got, w.field, err)
	}
	if got := errs.MessageOf(err); !strings.Contains(got, w.msg) {
		t.Errorf("message = %q, want it to contain %q", got, w.msg)
	}
}

func TestElectionAndStateLabels(t *testing.T) {
	for _, c := range []struct {
		e     progress.Election
		label string
		valid bool
	}{
		{progress.Party, "党组织换届", true},
		{progress.Residents, "居委会换届", true},
		{"village", "village", false},
		{"", "", false},
		{"Party", "Party", false},
	} {
		if got := c.e.Label(); got != c.label {
			t.Errorf("Election(%q).Label() = %q, want %q", c.e, got, c.label)
		}
		if got := c.e.Valid(); got != c.valid {
			t.Errorf("Election(%q).Valid() = %v, want %v", c.e, got, c.valid)
		}
	}
	for s, want := range map[progress.State]string{
		progress.Done: "已完成", progress.Due: "临期", progress.Late: "逾期", progress.NotStarted: "未开始", "other": "",
	} {
		if got := s.Label(); got != want {
			t.Errorf("State(%q).Label() = %q, want %q", s, got, want)
		}
	}
}

func TestDefaults(t *testing.T) {
	stages := progress.Defaults()
	if len(stages) != 19 {
		t.Fatalf("%d default stages, want 19", len(stages))
	}
	before := slices.Clone(stages)
	if err := progress.Validate(stages); err != nil {
		t.Fatalf("Defaults do not pass Validate: %v", err)
	}
	// The defaults are already in Sort order: Validate must not reorder them.
	for i := range stages {
		if stages[i].Code != before[i].Code {
			t.Fatalf("Validate reordered the defaults: %d is %s, was %s", i, stages[i].Code, before[i].Code)
		}
	}
	roots := map[progress.Election]int{}
	for i, s := range stages {
		if i > 0 && stages[i-1].Sort >= s.Sort {
			t.Errorf("%s: sort %d not after %s's %d", s.Code, s.Sort, stages[i-1].Code, stages[i-1].Sort)
		}
		if len(s.DependsOn) == 0 {
			roots[s.Election]++
		}
		for _, d := range s.DependsOn {
			dep, ok := progress.Find(stages, d)
			if !ok {
				t.Errorf("%s depends on unknown %s", s.Code, d)
				continue
			}
			if dep.Election != s.Election {
				t.Errorf("%s (%s) depends on %s of the other election (%s)", s.Code, s.Election, d, dep.Election)
			}
			if dep.Sort >= s.Sort {
				t.Errorf("%s (sort %d) depends on %s, which is not earlier (sort %d)", s.Code, s.Sort, d, dep.Sort)
			}
			if dep.OffsetDays > s.OffsetDays {
				t.Errorf("%s (day %d) depends on %s, due later (day %d)", s.Code, s.OffsetDays, d, dep.OffsetDays)
			}
		}
	}
	if roots[progress.Party] != 1 || roots[progress.Residents] != 1 {
		t.Errorf("stages without dependencies by election = %v, want one each", roots)
	}
	// The law's numbers for the residents' committees and 先党内后党外.
	offset := func(code string) int {
		s, ok := progress.Find(stages, code)
		if !ok {
			t.Fatalf("no default stage %s", code)
		}
		return s.OffsetDays
	}
	for code, want := range map[string]int{"res_voters": -20, "res_candidates": -5, "res_vote": 0, "res_handover": 10} {
		if got := offset(code); got != want {
			t.Errorf("%s offset = %d, want %d", code, got, want)
		}
	}
	// Party stages count from the party's vote; with the default lead every
	// one of them still falls before the residents' vote.
	if got := offset("party_congress"); got != 0 {
		t.Errorf("party_congress offset = %d, want 0 (the party's own vote)", got)
	}
	days := progress.Resolve(progress.Days{}, progress.Days{})
	for _, s := range stages {
		if s.Election == progress.Party && s.Deadline(days) >= days.Residents {
			t.Errorf("party stage %s (%s) is not before the residents' vote (%s)", s.Code, s.Deadline(days), days.Residents)
		}
	}
	// Each call returns a fresh copy.
	stages[0].Name = "changed"
	stages[1].DependsOn[0] = "changed"
	again := progress.Defaults()
	if again[0].Name != "换届请示" || again[1].DependsOn[0] != "party_request" {
		t.Errorf("Defaults shares state between calls: %+v %+v", again[0], again[1])
	}
}

// chain is a small valid template: a → b → c, plus d on both a and b.
func chain() []progress.Stage {
	return []progress.Stage{
		{Code: "a", Election: progress.Party, Name: "甲", Sort: 10, OffsetDays: -30},
		{Code: "b", Election: progress.Party, Name: "乙", Sort: 20, OffsetDays: -20, DependsOn: []string{"a"}},
		{Code: "c", Election: progress.Residents, Name: "丙", Sort: 30, OffsetDays: -10, DependsOn: []string{"b"}},
		{Code: "d", Election: progress.Residents, Name: "丁", Sort: 40, OffsetDays: 0, DependsOn: []string{"a", "b"}},
	}
}

func manyStages(n int) []progress.Stage {
	out := make([]progress.Stage, n)
	for i := range out {
		out[i] = progress.Stage{Code: fmt.Sprintf("s%02d", i), Election: progress.Residents, Name: fmt.Sprintf("环节%d", i), Sort: i}
	}
	return out
}

func TestValidate(t *testing.T) {
	stagesField := "stages"
	cases := []struct {
		name   string
		stages func() []progress.Stage
		want   wantErr
	}{
		{"defaults", progress.Defaults, wantErr{}},
		{"chain", chain, wantErr{}},
		{"one stage", func() []progress.Stage { return chain()[:1] }, wantErr{}},
		{"nil", func() []progress.Stage { return nil }, wantErr{errs.Unprocessable, stagesField, "至少需要一个环节"}},
		{"empty", func() []progress.Stage { return []progress.Stage{} }, wantErr{errs.Unprocessable, stagesField, "至少需要一个环节"}},
		{"60 stages", func() []progress.Stage { return manyStages(60) }, wantErr{}},
		{"61 stages", func() []progress.Stage { return manyStages(61) }, wantErr{errs.Unprocessable, stagesField, "环节不能超过60个"}},

		// Codes.
		{"code of one letter", func() []progress.Stage {
			s := chain()
			s[0].Code, s[1].DependsOn, s[3].DependsOn = "z", []string{"z"}, []string{"z", "b"}
			return s
		}, wantErr{}},
		{"code of 40 characters", func() []progress.Stage { s := chain(); s[2].Code = "c" + strings.Repeat("x_9", 13); return s }, wantErr{}},
		{"code of 41 characters", func() []progress.Stage { s := chain(); s[2].Code = "c" + strings.Repeat("x", 40); return s },
			wantErr{errs.Unprocessable, "stages[2].code", "无效"}},
		{"empty code", func() []progress.Stage { s := chain(); s[1].Code = ""; return s },
			wantErr{errs.Unprocessable, "stages[1].code", "环节编码“”无效"}},
		{"upper-case code", func() []progress.Stage { s := chain(); s[3].Code = "Dd"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "环节编码“Dd”无效:只能用小写字母、数字和下划线,以字母开头"}},
		{"code starting with a digit", func() []progress.Stage { s := chain(); s[3].Code = "1d"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "无效"}},
		{"code starting with underscore", func() []progress.Stage { s := chain(); s[3].Code = "_d"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "无效"}},
		{"code with a hyphen", func() []progress.Stage { s := chain(); s[3].Code = "d-1"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "无效"}},
		{"code with a space", func() []progress.Stage { s := chain(); s[3].Code = "d 1"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "无效"}},
		{"code with a trailing newline", func() []progress.Stage { s := chain(); s[3].Code = "d\n"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "无效"}},
		{"Chinese code", func() []progress.Stage { s := chain(); s[3].Code = "丁"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "无效"}},
		{"duplicate code", func() []progress.Stage { s := chain(); s[3].Code = "b"; return s },
			wantErr{errs.Unprocessable, "stages[3].code", "环节编码“b”重复"}},
		{"duplicate of the first", func() []progress.Stage { s := chain(); s[1].Code = "a"; return s },
			wantErr{errs.Unprocessable, "stages[1].code", "环节编码“a”重复"}},

		// Elections.
		{"empty election", func() []progress.Stage { s := chain(); s[2].Election = ""; return s },
			wantErr{errs.Unprocessable, "stages[2].election", "选举只能是党组织换届或居委会换届"}},
		{"unknown election", func() []progress.Stage { s := chain(); s[0].Election = "village"; return s },
			wantErr{errs.Unprocessable, "stages[0].election", "选举只能是"}},

		// Names.
		{"empty name", func() []progress.Stage { s := chain(); s[1].Name = ""; return s },
			wantErr{errs.Unprocessable, "stages[1].name", "请填写环节名称(不超过40字)"}},
		{"blank name", func() []progress.Stage { s := chain(); s[1].Name = " \t\u3000"; return s },
			wantErr{errs.Unprocessable, "stages[1].name", "请填写环节名称"}},
		{"name of 40 characters", func() []progress.Stage { s := chain(); s[1].Name = strings.Repeat("选", 40); return s }, wantErr{}},
		{"name of 41 characters", func() []progress.Stage { s := chain(); s[1].Name = strings.Repeat("选", 41); return s },
			wantErr{errs.Unprocessable, "stages[1].name", "不超过40字"}},

		// Offsets.
		{"offset -365", func() []progress.Stage { s := chain(); s[0].OffsetDays = -365; return s }, wantErr{}},
		{"offset 365", func() []progress.Stage { s := chain(); s[3].OffsetDays = 365; return s }, wantErr{}},
		{"offset -366", func() []progress.Stage { s := chain(); s[0].OffsetDays = -366; return s },
			wantErr{errs.Unprocessable, "stages[0].offset_days", "期限须在选举日前后365天以内"}},
		{"offset 366", func() []progress.Stage { s := chain(); s[3].OffsetDays = 366; return s },
			wantErr{errs.Unprocessable, "stages[3].offset_days", "365天"}},

		// Dependencies.
		{"unknown dependency", func() []progress.Stage { s := chain(); s[2].DependsOn = []string{"b", "nope"}; return s },
			wantErr{errs.Unprocessable, "stages[2].depends_on", "“丙”依赖的环节“nope”不存在"}},
		{"dependency on a later stage is fine", func() []progress.Stage { s := chain(); s[0].DependsOn = []string{"d"}; s[3].DependsOn = nil; return s }, wantErr{}},
		{"dependency on itself", func() []progress.Stage { s := chain(); s[1].DependsOn = []string{"a", "b"}; return s },
			wantErr{errs.Unprocessable, "stages[1].depends_on", "“乙”不能依赖自己"}},
		{"two-stage cycle", func() []progress.Stage { s := chain(); s[0].DependsOn = []string{"b"}; return s },
			wantErr{errs.Unprocessable, stagesField, "环节依赖关系出现循环"}},
		{"three-stage cycle", func() []progress.Stage { s := chain(); s[0].DependsOn = []string{"c"}; return s },
			wantErr{errs.Unprocessable, stagesField, "循环"}},
		{"cycle away from the first stage", func() []progress.Stage {
			s := chain()
			s = append(s, progress.Stage{Code: "e", Election: progress.Residents, Name: "戊", Sort: 50, DependsOn: []string{"f"}},
				progress.Stage{Code: "f", Election: progress.Residents, Name: "己", Sort: 60, DependsOn: []string{"e"}})
			return s
		}, wantErr{errs.Unprocessable, stagesField, "循环"}},
		{"cycle in the defaults", func() []progress.Stage {
			s := progress.Defaults()
			s[0].DependsOn = []string{"party_handover"}
			return s
		}, wantErr{errs.Unprocessable, stagesField, "环节依赖关系出现循环(涉及“"}},
		{"diamond is not a cycle", func() []progress.Stage {
			s := chain()
			s[2].DependsOn = []string{"a"}
			s[3].DependsOn = []string{"b", "c"}
			return s
		}, wantErr{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, progress.Validate(c.stages()), c.want)
		})
	}
}

// The first broken rule in input order is reported.
func TestValidateReportsFirstProblem(t *testing.T) {
	s := chain()
	s[1].Name = ""
	s[3].Code = "BAD"
	checkErr(t, progress.Validate(s), wantErr{errs.Unprocessable, "stages[1].name", "请填写环节名称"})
	// Format problems come before dependency problems, even on a later stage.
	s = chain()
	s[0].DependsOn = []string{"nope"}
	s[3].Election = "x"
	checkErr(t, progress.Validate(s), wantErr{errs.Unprocessable, "stages[3].election", "选举只能是"})
}

// The stages page shows dependencies by name and saves them so: they are
// read as the codes of the stages so named.
func TestValidateReadsDependenciesByName(t *testing.T) {
	s := chain()
	s[3].DependsOn = []string{"甲", "b"}
	if err := progress.Validate(s); err != nil {
		t.Fatal(err)
	}
	if got := s[3].DependsOn; !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("depends on %q, want the codes a, b", got)
	}
	s = chain()
	s[3].DependsOn = []string{"戊"}
	checkErr(t, progress.Validate(s), wantErr{errs.Unprocessable, "stages[3].depends_on", "“丁”依赖的环节“戊”不存在"})
	s = chain()
	s[3].DependsOn = []string{"丁"}
	checkErr(t, progress.Validate(s), wantErr{errs.Unprocessable, "stages[3].depends_on", "“丁”不能依赖自己"})
}

func TestValidateSorts(t *testing.T) {
	s := []progress.Stage{
		{Code: "z", Election: progress.Party, Name: "Z", Sort: 30},
		{Code: "b", Election: progress.Party, Name: "B", Sort: 20},
		{Code: "a", Election: progress.Party, Name: "A", Sort: 20},
		{Code: "m", Election: progress.Party, Name: "M", Sort: -5},
		{Code: "c", Election: progress.Party, Name: "C", Sort: 20},
	}
	if err := progress.Validate(s); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range s {
		got = append(got, st.Code)
	}
	if want := []string{"m", "a", "b", "c", "z"}; !slices.Equal(got, want) {
		t.Errorf("order after Validate = %v, want %v", got, want)
	}
	// A refused template is left as it was.
	s = []progress.Stage{
		{Code: "z", Election: progress.Party, Name: "Z", Sort: 30},
		{Code: "a", Election: progress.Party, Name: "", Sort: 10},
	}
	if progress.Validate(s) == nil {
		t.Fatal("empty name accepted")
	}
	if s[0].Code != "z" {
		t.Errorf("refused template was reordered: %v", s)
	}
}

func TestFind(t *testing.T) {
	s := chain()
	if got, ok := progress.Find(s, "c"); !ok || got.Name != "丙" {
		t.Errorf("Find c = %+v, %v", got, ok)
	}
	if got, ok := progress.Find(s, "C"); ok || got.Code != "" {
		t.Errorf("Find C = %+v, %v, want nothing", got, ok)
	}
	if _, ok := progress.Find(nil, "a"); ok {
		t.Error("Find in nil found something")
	}
}

func TestDeadline(t *testing.T) {
	eday := date(t, "2027-01-16", cst)
	for _, c := range []struct {
		offset int
		want   string
	}{
		{-75, "2026-11-02"},
		{-46, "2026-12-01"},
		{-16, "2026-12-31"},
		{0, "2027-01-16"},
		{10, "2027-01-26"},
		{365, "2028-01-16"},
	} {
		got := progress.Stage{Election: progress.Residents, OffsetDays: c.offset}.Deadline(progress.Days{Party: "2026-01-01", Residents: civil.Of(eday)})
		if string(got) != c.want {
			t.Errorf("offset %d: deadline %v, want %s", c.offset, got, c.want)
		}
	}
	// A party stage counts from the party's vote, not the residents'.
	days := progress.Days{Party: "2026-12-20", Residents: "2027-01-16"}
	if got := (progress.Stage{Election: progress.Party, OffsetDays: -5}).Deadline(days); got != "2026-12-15" {
		t.Errorf("party stage -5: deadline %v, want 2026-12-15", got)
	}
}

func TestCheckMark(t *testing.T) {
	today := time.Date(2026, 12, 1, 15, 30, 0, 0, cst)
	multi := append(chain(), progress.Stage{Code: "e", Election: progress.Residents, Name: "戊", Sort: 50, DependsOn: []string{"a", "c", "ghost"}})
	cases := []struct {
		name   string
		stages []progress.Stage
		done   map[string]civil.Date
		code   string
		doneOn string
		today  time.Time
		want   wantErr
	}{
		{"root stage today", progress.Defaults(), nil, "party_request", "2026-12-01", today, wantErr{}},
		{"root stage long ago", progress.Defaults(), nil, "party_request", "2020-01-01", today, wantErr{}},
		{"root stage of the residents", progress.Defaults(), map[string]civil.Date{}, "res_committee", "2026-11-30", today, wantErr{}},
		{"unknown stage", progress.Defaults(), nil, "nope", "2026-11-30", today,
			wantErr{errs.NotFound, "", "没有找到该环节"}},
		{"unknown stage before bad date", progress.Defaults(), nil, "nope", "garbage", today,
			wantErr{errs.NotFound, "", "没有找到该环节"}},
		{"empty date", progress.Defaults(), nil, "party_request", "", today,
			wantErr{errs.Unprocessable, "done_on", "完成日期格式应为 2026-03-01"}},
		{"date without zero padding", progress.Defaults(), nil, "party_request", "2026-11-1", today,
			wantErr{errs.Unprocessable, "done_on", "格式应为 2026-03-01"}},
		{"date with slashes", progress.Defaults(), nil, "party_request", "2026/11/01", today,
			wantErr{errs.Unprocessable, "done_on", "格式应为 2026-03-01"}},
		{"impossible date", progress.Defaults(), nil, "party_request", "2026-02-30", today,
			wantErr{errs.Unprocessable, "done_on", "格式应为 2026-03-01"}},
		{"date and time", progress.Defaults(), nil, "party_request", "2026-11-01T10:00:00", today,
			wantErr{errs.Unprocessable, "done_on", "格式应为 2026-03-01"}},
		{"tomorrow", progress.Defaults(), nil, "party_request", "2026-12-02", today,
			wantErr{errs.Unprocessable, "done_on", "完成日期不能晚于今天"}},
		{"next year", progress.Defaults(), nil, "party_request", "2027-01-01", today,
			wantErr{errs.Unprocessable, "done_on", "不能晚于今天"}},
		{"future date checked before dependencies", progress.Defaults(), nil, "party_reply", "2026-12-02", today,
			wantErr{errs.Unprocessable, "done_on", "不能晚于今天"}},
		{"today at midnight", progress.Defaults(), nil, "party_request", "2026-12-01", time.Date(2026, 12, 1, 0, 0, 0, 0, cst), wantErr{}},
		// 01:00 in China is still the day before in UTC: the day is read in today's zone.
		{"today in the office's zone", progress.Defaults(), nil, "party_request", "2026-12-01", time.Date(2026, 12, 1, 1, 0, 0, 0, cst), wantErr{}},
		{"dependency not done", progress.Defaults(), map[string]civil.Date{}, "party_reply", "2026-11-20", today,
			wantErr{errs.Unprocessable, "", "“上级批复”依赖的环节“换届请示”尚未完成,不能标记完成"}},
		{"dependency of another stage done", progress.Defaults(), map[string]civil.Date{"party_reply": "2026-11-01", "res_committee": "2026-11-01"}, "party_nominate", "2026-11-20", today,
			wantErr{}},
		{"dependency not done, others done", progress.Defaults(), map[string]civil.Date{"party_request": "2026-11-01", "res_committee": "2026-11-01"}, "party_nominate", "2026-11-20", today,
			wantErr{errs.Unprocessable, "", "“两推(党员推荐、群众推荐)”依赖的环节“上级批复”尚未完成"}},
		{"dependency done earlier", progress.Defaults(), map[string]civil.Date{"party_request": "2026-11-01"}, "party_reply", "2026-11-20", today, wantErr{}},
		{"dependency done the same day", progress.Defaults(), map[string]civil.Date{"party_request": "2026-11-20"}, "party_reply", "2026-11-20", today, wantErr{}},
		{"dependency done later", progress.Defaults(), map[string]civil.Date{"party_request": "2026-11-21"}, "party_reply", "2026-11-20", today,
			wantErr{errs.Unprocessable, "done_on", "“上级批复”的完成日期不能早于其依赖环节“换届请示”(2026-11-21)的完成日期"}},
		{"one of two dependencies missing", chain(), map[string]civil.Date{"a": "2026-11-01"}, "d", "2026-11-20", today,
			wantErr{errs.Unprocessable, "", "“丁”依赖的环节“乙”尚未完成"}},
		{"both dependencies done", chain(), map[string]civil.Date{"a": "2026-11-01", "b": "2026-11-02"}, "d", "2026-11-20", today, wantErr{}},
		{"one of two dependencies later", chain(), map[string]civil.Date{"a": "2026-11-01", "b": "2026-11-25"}, "d", "2026-11-20", today,
			wantErr{errs.Unprocessable, "done_on", "其依赖环节“乙”(2026-11-25)的完成日期"}},
		{"both dependencies later", chain(), map[string]civil.Date{"a": "2026-11-22", "b": "2026-11-25"}, "d", "2026-11-20", today,
			wantErr{errs.Unprocessable, "done_on", "“甲”(2026-11-22)、“乙”(2026-11-25)"}},
		{"missing reported before later", chain(), map[string]civil.Date{"a": "2026-11-30"}, "d", "2026-11-20", today,
			wantErr{errs.Unprocessable, "", "“乙”尚未完成"}},
		{"all missing listed, unknown dependency by code", multi, map[string]civil.Date{}, "e", "2026-11-20", today,
			wantErr{errs.Unprocessable, "", "“戊”依赖的环节“甲”、“丙”、“ghost”尚未完成"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, progress.CheckMark(c.stages, c.done, c.code, civil.Date(c.doneOn), civil.Of(c.today)), c.want)
		})
	}
}

func TestCheckUnmark(t *testing.T) {
	all := map[string]civil.Date{"a": "2026-11-01", "b": "2026-11-02", "c": "2026-11-03", "d": "2026-11-04"}
	cases := []struct {
		name string
		done map[string]civil.Date
		code string
		want wantErr
	}{
		{"unknown stage", all, "zz", wantErr{errs.NotFound, "", "没有找到该环节"}},
		{"not done", map[string]civil.Date{"a": "2026-11-01"}, "b", wantErr{errs.Unprocessable, "", "“乙”尚未标记完成"}},
		{"nothing done", nil, "a", wantErr{errs.Unprocessable, "", "“甲”尚未标记完成"}},
		{"last of the chain", all, "c", wantErr{}},
		{"a leaf", all, "d", wantErr{}},
		{"only stage done", map[string]civil.Date{"a": "2026-11-01"}, "a", wantErr{}},
		{"dependents not done", map[string]civil.Date{"a": "2026-11-01", "c": "2026-11-03"}, "a", wantErr{}},
		{"one dependent done", map[string]civil.Date{"a": "2026-11-01", "b": "2026-11-02"}, "a",
			wantErr{errs.Unprocessable, "", "依赖“甲”的环节“乙”已完成,请先撤销它们"}},
		{"two dependents done", all, "b",
			wantErr{errs.Unprocessable, "", "依赖“乙”的环节“丙”、“丁”已完成"}},
		{"indirect dependent only", map[string]civil.Date{"a": "2026-11-01", "c": "2026-11-03"}, "a", wantErr{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, progress.CheckUnmark(chain(), c.done, c.code), c.want)
		})
	}
	// On the defaults: the party request cannot be undone once the reply is marked.
	err := progress.CheckUnmark(progress.Defaults(), map[string]civil.Date{"party_request": "2026-11-01", "party_reply": "2026-11-05"}, "party_request")
	checkErr(t, err, wantErr{errs.Unprocessable, "", "依赖“换届请示”的环节“上级批复”已完成"})
}

func TestStateOf(t *testing.T) {
	deadline := date(t, "2027-01-06", cst)
	at := func(day string, h, m int) time.Time {
		d := date(t, day, cst)
		return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, cst)
	}
	cases := []struct {
		name     string
		deadline time.Time
		today    time.Time
		doneOn   string
		want     progress.State
	}{
		{"on the deadline, morning", deadline, at("2027-01-06", 0, 0), "", progress.Due},
		{"on the deadline, late evening", deadline, at("2027-01-06", 23, 59), "", progress.Due},
		{"one day before", deadline, at("2027-01-05", 12, 0), "", progress.Due},
		{"exactly DueWithin days before", deadline, at("2027-01-06", 0, 0).AddDate(0, 0, -progress.DueWithin), "", progress.Due},
		{"DueWithin days before, evening", deadline, at("2026-12-30", 23, 59), "", progress.Due},
		{"DueWithin+1 days before", deadline, at("2026-12-29", 23, 59), "", progress.NotStarted},
		{"long before", deadline, at("2026-06-01", 9, 0), "", progress.NotStarted},
		{"one day after", deadline, at("2027-01-07", 0, 0), "", progress.Late},
		{"long after", deadline, at("2027-06-01", 0, 0), "", progress.Late},
		{"deadline with a time of day", time.Date(2027, 1, 6, 23, 0, 0, 0, cst), at("2027-01-06", 1, 0), "", progress.Due},
		{"deadline with a time of day, next day", time.Date(2027, 1, 6, 1, 0, 0, 0, cst), at("2027-01-07", 0, 0), "", progress.Late},
		// Month and year boundaries (2027 is not a leap year).
		{"7 days before 1 March", date(t, "2027-03-01", cst), at("2027-02-22", 8, 0), "", progress.Due},
		{"8 days before 1 March", date(t, "2027-03-01", cst), at("2027-02-21", 8, 0), "", progress.NotStarted},
		{"day after 31 December", date(t, "2026-12-31", cst), at("2027-01-01", 0, 0), "", progress.Late},
		// Done is done, whenever and however late (not distinguished).
		{"done on time", deadline, at("2027-01-05", 10, 0), "2027-01-05", progress.Done},
		{"done late, seen after the deadline", deadline, at("2027-02-01", 10, 0), "2027-01-20", progress.Done},
		{"done early, long before the deadline", deadline, at("2026-06-01", 10, 0), "2026-06-01", progress.Done},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := progress.StateOf(civil.Of(c.deadline), civil.Of(c.today), civil.Date(c.doneOn)); got != c.want {
				t.Errorf("StateOf(%v, %v, %q) = %s, want %s", c.deadline, c.today, c.doneOn, got, c.want)
			}
		})
	}
	if progress.DueWithin != 7 {
		t.Errorf("DueWithin = %d; the cases above assume 7", progress.DueWithin)
	}
}

func TestResolve(t *testing.T) {
	none := progress.Days{}
	for _, c := range []struct {
		name     string
		own, cyc progress.Days
		want     progress.Days
	}{
		{"nothing set: the defaults", none, none, progress.Days{Party: "2026-12-19", Residents: progress.DefaultElectionDay}},
		{"bad days are not days", progress.Days{Party: "2027/01/02", Residents: "2027-02-30"}, progress.Days{Residents: " 2027-01-20"},
			progress.Days{Party: "2026-12-19", Residents: progress.DefaultElectionDay}},
		{"the cycle's days", none, progress.Days{Party: "2027-01-02", Residents: "2027-01-20"},
			progress.Days{Party: "2027-01-02", Residents: "2027-01-20"}},
		{"the cycle's residents' day, party 28 days before", none, progress.Days{Residents: "2027-01-20"},
			progress.Days{Party: "2026-12-23", Residents: "2027-01-20"}},
		{"the community's own days win", progress.Days{Party: "2027-03-01", Residents: "2027-03-30"},
			progress.Days{Party: "2027-01-02", Residents: "2027-01-20"}, progress.Days{Party: "2027-03-01", Residents: "2027-03-30"}},
		{"own residents' day, cycle's party day", progress.Days{Residents: "2027-03-30"},
			progress.Days{Party: "2027-01-02", Residents: "2027-01-20"}, progress.Days{Party: "2027-01-02", Residents: "2027-03-30"}},
		{"own residents' day, no party day anywhere", progress.Days{Residents: "2028-03-28"}, none,
			progress.Days{Party: "2028-02-29", Residents: "2028-03-28"}},
	} {
		if got := progress.Resolve(c.own, c.cyc); got != c.want {
			t.Errorf("%s: Resolve = %+v, want %+v", c.name, got, c.want)
		}
	}
	if progress.DefaultElectionDay != "2027-01-16" || progress.PartyLead != 28 {
		t.Errorf("DefaultElectionDay = %s, PartyLead = %d", progress.DefaultElectionDay, progress.PartyLead)
	}
}

func TestCheckDays(t *testing.T) {
	for _, c := range []struct {
		days  progress.Days
		field string // "" accepted
	}{
		{progress.Days{Party: "2027-01-02", Residents: "2027-01-16"}, ""},
		{progress.Days{Party: "2027-01-16", Residents: "2027-01-16"}, ""}, // the same day: allowed
		{progress.Days{Party: "2027-01-17", Residents: "2027-01-16"}, "residents_day"},
		{progress.Days{Party: "", Residents: "2027-01-16"}, "party_day"},
		{progress.Days{Party: "2027-01-02", Residents: "2027-1-16"}, "residents_day"},
	} {
		err := progress.CheckDays(c.days)
		if got := errs.FieldOf(err); got != c.field || (c.field == "") != (err == nil) {
			t.Errorf("CheckDays(%+v) = %v (field %q), want field %q", c.days, err, got, c.field)
		}
	}
}

func TestSummarise(t *testing.T) {
	eday := date(t, "2027-01-16", cst)
	today := time.Date(2026, 12, 1, 10, 0, 0, 0, cst) // day -46
	// Defaults on day -46 (party stages count from 2026-12-19): late -47 -37 -27 (party); due -17 and -13 (within 7 days);
	// not started: the rest.
	cases := []struct {
		name   string
		stages []progress.Stage
		today  time.Time
		done   map[string]civil.Date
		want   progress.Summary
		share  float64
	}{
		{"no stages", nil, today, map[string]civil.Date{"x": "2026-11-01"}, progress.Summary{}, 0},
		{"nothing done", progress.Defaults(), today, nil, progress.Summary{Late: 3, Due: 2, NotStarted: 14, Total: 19}, 0},
		{"two done, one unknown code ignored", progress.Defaults(), today,
			map[string]civil.Date{"party_request": "2026-10-01", "party_reply": "2026-11-01", "ghost": "2026-11-01"},
			progress.Summary{Done: 2, Late: 1, Due: 2, NotStarted: 14, Total: 19}, 2.0 / 19},
		{"empty day is not done", progress.Defaults(), today, map[string]civil.Date{"party_request": ""},
			progress.Summary{Late: 3, Due: 2, NotStarted: 14, Total: 19}, 0},
		{"on election day", progress.Defaults(), eday, map[string]civil.Date{"res_committee": "2026-12-10"},
			// Late: every party stage (11) and res_voters..res_candidates (4); due: res_vote, res_results (0) and res_handover (+10 is 10 days away: not started).
			progress.Summary{Done: 1, Late: 15, Due: 2, NotStarted: 1, Total: 19}, 1.0 / 19},
		{"all done", chain(), today, map[string]civil.Date{"a": "x", "b": "x", "c": "x", "d": "x"},
			progress.Summary{Done: 4, Total: 4}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := progress.Summarise(c.stages, progress.Resolve(progress.Days{}, progress.Days{Residents: civil.Of(eday)}), civil.Of(c.today), c.done)
			if got != c.want {
				t.Errorf("Summarise = %+v, want %+v", got, c.want)
			}
			if s := got.Share(); math.Abs(s-c.share) > 1e-12 {
				t.Errorf("Share = %v, want %v", s, c.share)
			}
			if got.Done+got.Due+got.Late+got.NotStarted != got.Total {
				t.Errorf("counts do not add up to the total: %+v", got)
			}
		})
	}
	for _, c := range []struct {
		s    progress.Summary
		want float64
	}{
		{progress.Summary{}, 0},
		{progress.Summary{Done: 3, Total: 0}, 0},
		{progress.Summary{Done: 1, Late: 2, Total: 3}, 1.0 / 3},
		{progress.Summary{Done: 5, Total: 5}, 1},
	} {
		if got := c.s.Share(); math.Abs(got-c.want) > 1e-12 || math.IsNaN(got) {
			t.Errorf("%+v.Share() = %v, want %v", c.s, got, c.want)
		}
	}
}
