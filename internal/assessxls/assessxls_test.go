package assessxls

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/errs"
)

const today = "2026-03-15"

var rubric = assess.DefaultRubric()

func someCommunities(n int) []Community {
	cs := make([]Community, n)
	for i := range cs {
		cs[i] = Community{Code: fmt.Sprintf("C%05d", i+1), Name: fmt.Sprintf("第%d社区", i+1), District: "东片区"}
	}
	return cs
}

func knownOf(cs []Community) map[string]bool {
	m := map[string]bool{}
	for _, c := range cs {
		m[c.Code] = true
	}
	return m
}

// sheet is a workbook opened for the test to fill, with its header.
type sheet struct {
	t    testing.TB
	f    *excelize.File
	cols map[string]int // indicator code or fixed key → column number
}

// newTemplate writes the template for cs and opens it for filling.
func newTemplate(t testing.TB, cs []Community) *sheet {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, rubric, cs); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open template: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return openSheet(t, f)
}

func openSheet(t testing.TB, f *excelize.File) *sheet {
	t.Helper()
	rows, err := f.GetRows(sheetAssess)
	if err != nil || len(rows) == 0 {
		t.Fatalf("read header: %v", err)
	}
	s := &sheet{t: t, f: f, cols: map[string]int{}}
	for i, h := range rows[0] {
		for _, ind := range rubric {
			if strings.HasPrefix(h, ind.Name+"(") {
				s.cols[ind.Code] = i + 1
			}
		}
		for _, fc := range fixedColumns {
			if strings.HasPrefix(h, fc.key) {
				s.cols[fc.key] = i + 1
			}
		}
	}
	return s
}

func (s *sheet) set(row int, key string, v any) {
	s.t.Helper()
	col, ok := s.cols[key]
	if !ok {
		s.t.Fatalf("no column %q", key)
	}
	cell, _ := excelize.CoordinatesToCellName(col, row)
	if err := s.f.SetCellValue(sheetAssess, cell, v); err != nil {
		s.t.Fatal(err)
	}
}

// fillRow fills a whole row correctly: every score max-(row%3), flags 否
// except team_weak on even rows.
func (s *sheet) fillRow(row int) {
	s.t.Helper()
	s.set(row, "研判日期", "2026-03-01")
	s.set(row, "研判组成员", "党群部:张三、纪检监察:李四")
	s.set(row, "研判意见", fmt.Sprintf("第%d行意见", row))
	for _, ind := range rubric {
		if ind.Kind == assess.Score {
			s.set(row, ind.Code, ind.Max-row%3)
		} else if ind.Code == "team_weak" && row%2 == 0 {
			s.set(row, ind.Code, "是")
		} else {
			s.set(row, ind.Code, "否")
		}
	}
}

func wantScores(row int) assess.Scores {
	want := assess.Scores{}
	for _, ind := range rubric {
		switch {
		case ind.Kind == assess.Score:
			want[ind.Code] = ind.Max - row%3
		case ind.Code == "team_weak" && row%2 == 0:
			want[ind.Code] = 1
		default:
			want[ind.Code] = 0
		}
	}
	return want
}

func (s *sheet) bytes() []byte {
	s.t.Helper()
	var buf bytes.Buffer
	if _, err := s.f.WriteTo(&buf); err != nil {
		s.t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t testing.TB, b []byte, known map[string]bool) ([]assess.Assessment, []RowError) {
	t.Helper()
	got, rowErrs, err := Read(bytes.NewReader(b), rubric, known, today)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if rowErrs.Total != len(rowErrs.List) || rowErrs.MoreRows != 0 {
		t.Fatalf("%d errors, %d listed, %d rows more", rowErrs.Total, len(rowErrs.List), rowErrs.MoreRows)
	}
	for i := range rowErrs.List {
		rowErrs.List[i].Col = 0 // where in the file: tested by Annotate
	}
	return got, rowErrs.List
}

func TestTemplateLayout(t *testing.T) {
	cs := someCommunities(3)
	s := newTemplate(t, cs)
	if got := s.f.GetSheetList(); !reflect.DeepEqual(got, []string{sheetAssess, sheetHelp}) {
		t.Fatalf("sheets = %v", got)
	}
	rows, _ := s.f.GetRows(sheetAssess)
	wantHead := []string{"社区编码", "社区名称", "片区", "研判日期(如2026-03-01)", "研判组成员(单位:姓名,用、分隔)", "研判意见"}
	if !reflect.DeepEqual(rows[0][:6], wantHead) {
		t.Errorf("fixed header = %q", rows[0][:6])
	}
	if len(rows[0]) != 6+len(rubric) {
		t.Fatalf("header has %d columns, want %d", len(rows[0]), 6+len(rubric))
	}
	for i, ind := range rubric {
		if got := rows[0][6+i]; !strings.HasPrefix(got, ind.Name+"(") {
			t.Errorf("column %d = %q, want indicator %s", 7+i, got, ind.Name)
		}
	}
	if got := rows[0][6+4]; got != "班子团结、履职尽责(0-10分)" {
		t.Errorf("team_unity header = %q", got)
	}
	if got := rows[0][6+3]; got != "拆迁合并改制任务重(是/否)" {
		t.Errorf("flag header = %q", got)
	}
	if len(rows) != 4 {
		t.Fatalf("template has %d rows, want header + 3", len(rows))
	}
	for i, c := range cs {
		if got := rows[i+1]; !reflect.DeepEqual(got, []string{c.Code, c.Name, c.District}) {
			t.Errorf("row %d = %q, want only code, name, district", i+2, got)
		}
	}
	dvs, err := s.f.GetDataValidations(sheetAssess)
	if err != nil || len(dvs) != len(rubric) {
		t.Errorf("data validations: %d, %v; want one per indicator", len(dvs), err)
	}
	help, _ := s.f.GetRows(sheetHelp)
	text := fmt.Sprint(help)
	for _, ind := range rubric {
		if !strings.Contains(text, ind.Name) {
			t.Errorf("填写说明 does not list %s", ind.Name)
		}
		if strings.Contains(text, ind.Code) {
			t.Errorf("填写说明 shows the code %s", ind.Code)
		}
	}
	for _, w := range []string{"否决项", "满分10分", "至少定为C类", "基本情况", "研判组成员"} {
		if !strings.Contains(text, w) {
			t.Errorf("填写说明 lacks %q", w)
		}
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	cs := someCommunities(3)
	s := newTemplate(t, cs)
	for row := 2; row <= 4; row++ {
		s.fillRow(row)
	}
	// Dates as people enter them: a real Excel date, and text in another style.
	s.set(3, "研判日期", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	s.set(4, "研判日期", "2026/3/3")
	s.set(4, "研判组成员", "王五;社事:赵六")

	got, rowErrs := read(t, s.bytes(), knownOf(cs))
	if len(rowErrs) > 0 {
		t.Fatalf("errors: %v", rowErrs)
	}
	if len(got) != 3 {
		t.Fatalf("got %d assessments, want 3", len(got))
	}
	team := []assess.Assessor{{Unit: "党群部", Name: "张三"}, {Unit: "纪检监察", Name: "李四"}}
	want := []assess.Assessment{
		{OrgCode: "C00001", AssessedOn: "2026-03-01", Assessors: team, Findings: "第2行意见", Scores: wantScores(2)},
		{OrgCode: "C00002", AssessedOn: "2026-03-02", Assessors: team, Findings: "第3行意见", Scores: wantScores(3)},
		{OrgCode: "C00003", AssessedOn: "2026-03-03", Assessors: []assess.Assessor{{Name: "王五"}, {Unit: "社事", Name: "赵六"}}, Findings: "第4行意见", Scores: wantScores(4)},
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("assessment %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
		if err := got[i].Scores.Check(rubric); err != nil {
			t.Errorf("assessment %d does not pass the domain check: %v", i, err)
		}
	}
}

func TestReadReportsEveryBadCell(t *testing.T) {
	cs := someCommunities(3)
	s := newTemplate(t, cs)
	for row := 2; row <= 4; row++ {
		s.fillRow(row)
	}
	s.set(2, "team_unity", 11)  // over its max of 10
	s.set(2, "team_weak", "可能") // not 是/否
	s.set(4, "社区编码", "X99999")
	got, rowErrs := read(t, s.bytes(), knownOf(cs))
	want := []RowError{
		{Row: 2, Column: "班子团结、履职尽责(0-10分)", Reason: "“班子团结、履职尽责”的得分须在0到10之间"},
		{Row: 2, Column: "班子软弱涣散(是/否)", Reason: "“班子软弱涣散”只能填“是”或“否”"},
		{Row: 4, Column: "社区编码", Reason: "社区编码“X99999”不存在,或不在您可以研判的范围内"},
	}
	if !reflect.DeepEqual(rowErrs, want) {
		t.Errorf("errors:\n got %v\nwant %v", rowErrs, want)
	}
	if got != nil {
		t.Errorf("got %d assessments with errors, want none", len(got))
	}
}

func TestReadCellChecks(t *testing.T) {
	long := strings.Repeat("很", 5001)
	tests := []struct {
		name   string
		key    string
		value  any
		column string
		reason string
	}{
		{"date after today", "研判日期", "2026-03-16", headDate, "研判日期不能晚于今天"},
		{"date not a date", "研判日期", "三月一日", headDate, "研判日期格式应为 2026-03-01"},
		{"date impossible", "研判日期", "2026-02-30", headDate, "研判日期格式应为 2026-03-01"},
		{"date missing", "研判日期", "", headDate, "请填写研判日期,格式如 2026-03-01"},
		{"no assessors", "研判组成员", " ", headAssessors, "至少填写一名研判组成员"},
		{"assessor without name", "研判组成员", "党群部:张三、纪检监察:", headAssessors,
			"研判组成员须填写姓名(不超过20字)和单位,写作“单位:姓名”或只写姓名,多人用“、”分隔;有误的是“纪检监察:”"},
		{"findings too long", "研判意见", long, headFindings, "研判意见不超过5000字"},
		{"score missing", "team_leader", "", "书记威信和驾驭能力(0-10分)", "“书记威信和驾驭能力”未评分"},
		{"score negative", "team_leader", -1, "书记威信和驾驭能力(0-10分)", "“书记威信和驾驭能力”的得分须在0到10之间"},
		{"score fraction", "team_leader", 7.5, "书记威信和驾驭能力(0-10分)", "“书记威信和驾驭能力”的得分须为整数"},
		{"score text", "team_leader", "良好", "书记威信和驾驭能力(0-10分)", "“书记威信和驾驭能力”的得分须为0到10之间的整数,不能填“良好”"},
		{"flag 2", "risks_clan", 2, "宗族派性严重(是/否)", "“宗族派性严重”只能填“是”或“否”"},
		{"code missing", "社区编码", "", headCode, "社区编码不能为空"},
		{"code of another community", "社区编码", "C00001", headCode, "社区“C00001”在本表中重复,第2行已经填写"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := someCommunities(2)
			s := newTemplate(t, cs)
			s.fillRow(2)
			s.fillRow(3)
			s.set(3, tt.key, tt.value)
			got, rowErrs := read(t, s.bytes(), knownOf(cs))
			want := []RowError{{Row: 3, Column: tt.column, Reason: tt.reason}}
			if !reflect.DeepEqual(rowErrs, want) {
				t.Errorf("errors:\n got %v\nwant %v", rowErrs, want)
			}
			if got != nil {
				t.Errorf("got assessments despite errors")
			}
		})
	}
}

func TestReadAcceptedForms(t *testing.T) {
	tests := []struct {
		key   string
		value any
		check func(assess.Assessment) bool
	}{
		{"研判日期", "2026年3月1日", func(a assess.Assessment) bool { return a.AssessedOn == "2026-03-01" }},
		{"研判日期", "20260301", func(a assess.Assessment) bool { return a.AssessedOn == "2026-03-01" }},
		{"研判日期", "2026.3.1", func(a assess.Assessment) bool { return a.AssessedOn == "2026-03-01" }},
		{"研判日期", today, func(a assess.Assessment) bool { return a.AssessedOn == today }},
		{"研判组成员", "党群部:张三,包片领导:钱七\n孙八", func(a assess.Assessment) bool {
			return reflect.DeepEqual(a.Assessors, []assess.Assessor{{Unit: "党群部", Name: "张三"}, {Unit: "包片领导", Name: "钱七"}, {Name: "孙八"}})
		}},
		{"team_leader", "8分", func(a assess.Assessment) bool { return a.Scores["team_leader"] == 8 }},
		{"team_leader", 0, func(a assess.Assessment) bool { return a.Scores["team_leader"] == 0 }},
		{"risks_clan", 1, func(a assess.Assessment) bool { return a.Scores["risks_clan"] == 1 }},
		{"risks_clan", "", func(a assess.Assessment) bool { return a.Scores["risks_clan"] == 0 }},
		{"研判意见", "", func(a assess.Assessment) bool { return a.Findings == "" }},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%v", tt.key, tt.value), func(t *testing.T) {
			cs := someCommunities(1)
			s := newTemplate(t, cs)
			s.fillRow(2)
			s.set(2, tt.key, tt.value)
			got, rowErrs := read(t, s.bytes(), knownOf(cs))
			if len(rowErrs) > 0 || len(got) != 1 {
				t.Fatalf("errors %v, %d assessments", rowErrs, len(got))
			}
			if !tt.check(got[0]) {
				t.Errorf("read %+v", got[0])
			}
		})
	}
}

func TestReadColumnsReordered(t *testing.T) {
	// A workbook built by hand: indicators reversed, fixed columns last,
	// one header as an older template had it (the code in brackets, found
	// by it though the name is cut short), one with the name alone, one
	// wrapped in its cell with full-width brackets, a date header with a
	// code-like hint, and no 社区名称 column.
	f := excelize.NewFile()
	defer f.Close()
	var head []any
	for i := len(rubric) - 1; i >= 0; i-- {
		h := indicatorHeader(rubric[i])
		switch rubric[i].Code {
		case "team_unity":
			h = "班子团结(team_unity)"
		case "team_leader":
			h = "书记威信和驾驭能力"
		case "basic_stable":
			h = "人口结构和社区\n规模稳定(0-5分)"
		}
		head = append(head, h)
	}
	head = append(head, "研判意见", "研判组成员", "研判日期(YYYYMMDD)", "社区编码")
	row := append([]any{}, head...)
	for i := len(rubric) - 1; i >= 0; i-- {
		if rubric[i].Kind == assess.Score {
			row[len(rubric)-1-i] = rubric[i].Max
		} else {
			row[len(rubric)-1-i] = "否"
		}
	}
	row[len(rubric)], row[len(rubric)+1], row[len(rubric)+2], row[len(rubric)+3] = "好", "张三", "2026-03-01", "C00001"
	if err := f.SetSheetRow("Sheet1", "A1", &head); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Sheet1", "A2", &row); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got, rowErrs := read(t, buf.Bytes(), map[string]bool{"C00001": true})
	if len(rowErrs) > 0 || len(got) != 1 {
		t.Fatalf("errors %v, %d assessments", rowErrs, len(got))
	}
	a := got[0]
	if a.OrgCode != "C00001" || a.Findings != "好" || a.Scores["team_unity"] != 10 || a.Scores["team_leader"] != 10 || a.Scores["basic_stable"] != 5 || len(a.Scores) != len(rubric) {
		t.Errorf("read %+v", a)
	}
	if r := assess.Classify(rubric, assess.DefaultRules(), a.Scores); r.Total != rubric.MaxTotal() {
		t.Errorf("total %d, want %d", r.Total, rubric.MaxTotal())
	}
}

func TestReadSkipsRowsWithoutIndicators(t *testing.T) {
	cs := someCommunities(5)
	s := newTemplate(t, cs)
	s.fillRow(2)
	s.set(3, "研判日期", "2026-03-01") // date and team, no indicator: not assessed yet
	s.set(3, "研判组成员", "张三")
	s.fillRow(5)
	s.set(6, "社区编码", "NOT-MINE") // unknown but empty: skipped, not an error
	s.set(9, "研判意见", "表格下方的备注")
	got, rowErrs := read(t, s.bytes(), knownOf(cs))
	if len(rowErrs) > 0 {
		t.Fatalf("errors: %v", rowErrs)
	}
	if len(got) != 2 || got[0].OrgCode != "C00001" || got[1].OrgCode != "C00004" {
		t.Errorf("got %+v, want C00001 and C00004", got)
	}
}

func TestReadHeaderProblems(t *testing.T) {
	cs := someCommunities(1)
	s := newTemplate(t, cs)
	s.fillRow(2)
	col, _ := excelize.ColumnNumberToName(s.cols["team_leader"])
	if err := s.f.RemoveCol(sheetAssess, col); err != nil {
		t.Fatal(err)
	}
	next, _ := excelize.ColumnNumberToName(6 + len(rubric))
	after, _ := excelize.ColumnNumberToName(7 + len(rubric))
	last, _ := excelize.ColumnNumberToName(8 + len(rubric))
	s.f.SetCellValue(sheetAssess, next+"1", "已删除指标(old_item)0-5分") // an older template's
	s.f.SetCellValue(sheetAssess, next+"2", 3)
	s.f.SetCellValue(sheetAssess, after+"1", "社区编码(再填一次)")
	s.f.SetCellValue(sheetAssess, last+"1", "另一已删除指标(是/否)")
	_, rowErrs := read(t, s.bytes(), knownOf(cs))
	want := []RowError{
		{Row: 1, Column: "已删除指标(old_item)0-5分", Reason: "评分标准中没有指标“已删除指标”,请下载最新的模板,或删除这一列"},
		{Row: 1, Column: "社区编码(再填一次)", Reason: "“社区编码”列重复"},
		{Row: 1, Column: "另一已删除指标(是/否)", Reason: "评分标准中没有指标“另一已删除指标”,请下载最新的模板,或删除这一列"},
		{Row: 1, Column: "书记威信和驾驭能力(0-10分)", Reason: "缺少指标“书记威信和驾驭能力”的列,请下载最新的模板"},
	}
	if !reflect.DeepEqual(rowErrs, want) {
		t.Errorf("errors:\n got %v\nwant %v", rowErrs, want)
	}
}

func TestReadRejectsFiles(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	tests := map[string][]byte{
		"empty":      nil,
		"text":       []byte("社区编码,社区名称\nC00001,第1社区\n"),
		"old xls":    ole,
		"broken zip": []byte("PK\x03\x04 not really a zip"),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			got, rowErrs, err := Read(bytes.NewReader(b), rubric, nil, today)
			if err == nil || got != nil || rowErrs.Total != 0 {
				t.Fatalf("Read = %v, %v, %v; want an error only", got, rowErrs, err)
			}
			if errs.CodeOf(err) != errs.Unprocessable || !strings.Contains(errs.MessageOf(err), "xlsx") {
				t.Errorf("error %v: code %s, message %q", err, errs.CodeOf(err), errs.MessageOf(err))
			}
		})
	}
}

func TestReadRowLimit(t *testing.T) {
	defer func(n int) { maxRows = n }(maxRows)
	maxRows = 3
	cs := someCommunities(4)
	s := newTemplate(t, cs) // 4 rows with codes are 4 data rows, filled or not
	_, _, err := Read(bytes.NewReader(s.bytes()), rubric, knownOf(cs), today)
	if errs.CodeOf(err) != errs.Unprocessable || !strings.Contains(errs.MessageOf(err), "行数超过3行") {
		t.Fatalf("err = %v, want the row limit", err)
	}
	maxRows = 4
	if _, _, err := Read(bytes.NewReader(s.bytes()), rubric, knownOf(cs), today); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
}

func TestReadCallerMistakes(t *testing.T) {
	s := newTemplate(t, someCommunities(1))
	if _, _, err := Read(bytes.NewReader(s.bytes()), rubric, nil, "15.3.2026"); errs.CodeOf(err) != errs.Internal {
		t.Errorf("bad today: %v", err)
	}
	if _, _, err := Read(bytes.NewReader(s.bytes()), assess.Rubric{}, nil, today); errs.CodeOf(err) != errs.Internal {
		t.Errorf("empty rubric: %v", err)
	}
}

func cellFill(t *testing.T, f *excelize.File, sh, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sh, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 {
		return ""
	}
	return strings.ToUpper(st.Fill.Color[0])
}

func TestAnnotate(t *testing.T) {
	cs := someCommunities(3)
	s := newTemplate(t, cs)
	for row := 2; row <= 4; row++ {
		s.fillRow(row)
	}
	s.set(2, "team_unity", 11)
	s.set(2, "team_weak", "可能")
	s.set(4, "社区编码", "X99999")
	s.set(3, "研判日期", "") // an empty bad cell: marked, keeping its date format
	uploaded := s.bytes()
	_, rowErrs := read(t, uploaded, knownOf(cs))
	if len(rowErrs) != 4 {
		t.Fatalf("got %d errors, want 4", len(rowErrs))
	}

	annotated := annotate(t, uploaded, rowErrs)
	f, err := excelize.OpenReader(bytes.NewReader(annotated))
	if err != nil {
		t.Fatalf("annotated file does not open: %v", err)
	}
	defer f.Close()
	rows, _ := f.GetRows(sheetAssess)
	last := len(rows[0]) - 1
	if last != 6+len(rubric) || rows[0][last] != "错误说明" {
		t.Fatalf("last header %q at %d, want 错误说明 at %d", rows[0][last], last, 6+len(rubric))
	}
	note := func(row int) string {
		if len(rows[row-1]) <= last {
			return ""
		}
		return rows[row-1][last]
	}
	if want := "“班子团结、履职尽责”的得分须在0到10之间;“班子软弱涣散”只能填“是”或“否”"; note(2) != want {
		t.Errorf("row 2 note %q, want %q", note(2), want)
	}
	if want := "请填写研判日期,格式如 2026-03-01"; note(3) != want {
		t.Errorf("row 3 note %q, want %q", note(3), want)
	}
	if want := "社区编码“X99999”不存在,或不在您可以研判的范围内"; note(4) != want {
		t.Errorf("row 4 note %q, want %q", note(4), want)
	}
	fa := openSheet(t, f)
	cell := func(key string, row int) string {
		c, _ := excelize.CoordinatesToCellName(fa.cols[key], row)
		return c
	}
	for _, c := range []string{cell("team_unity", 2), cell("team_weak", 2), cell("社区编码", 4), cell("研判日期", 3)} {
		if got := cellFill(t, f, sheetAssess, c); got != "FFC7CE" {
			t.Errorf("%s fill %q, want %s", c, got, "FFC7CE")
		}
	}
	id, _ := f.GetCellStyle(sheetAssess, cell("研判日期", 3))
	if st, _ := f.GetStyle(id); st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("marked date cell lost its date format: %+v", st)
	}
	for _, c := range []string{cell("team_leader", 2), cell("team_unity", 3), cell("社区编码", 2)} {
		if got := cellFill(t, f, sheetAssess, c); got == "FFC7CE" {
			t.Errorf("%s is marked but was fine", c)
		}
	}
	if v, _ := f.GetCellValue(sheetAssess, cell("team_unity", 2)); v != "11" {
		t.Errorf("the user's value changed to %q", v)
	}
	if dvs, _ := f.GetDataValidations(sheetAssess); len(dvs) != len(rubric) {
		t.Errorf("data validation lost: %d left", len(dvs))
	}

	// The office fixes row 2 only and uploads the annotated file again: the
	// errors column is ignored, the old marks go, the new report is fresh.
	fa.set(2, "team_unity", 10)
	fa.set(2, "team_weak", "是")
	fa.set(3, "研判日期", "2026-03-02")
	again := fa.bytes()
	_, rowErrs = read(t, again, knownOf(cs))
	if len(rowErrs) != 1 || rowErrs[0].Row != 4 {
		t.Fatalf("second upload errors %v, want row 4 only", rowErrs)
	}
	f2, err := excelize.OpenReader(bytes.NewReader(annotate(t, again, rowErrs)))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	rows2, _ := f2.GetRows(sheetAssess)
	if len(rows2[0]) != last+1 || rows2[0][last] != "错误说明" {
		t.Errorf("second annotation header %q", rows2[0])
	}
	if len(rows2[1]) > last && rows2[1][last] != "" {
		t.Errorf("row 2 still noted: %q", rows2[1][last])
	}
	for _, c := range []string{cell("team_unity", 2), cell("研判日期", 3)} {
		if got := cellFill(t, f2, sheetAssess, c); got == "FFC7CE" {
			t.Errorf("fixed cell %s still marked", c)
		}
	}
	if len(rows2[2]) > last && rows2[2][last] != "" {
		t.Errorf("row 3 still noted: %q", rows2[2][last])
	}
	if got := cellFill(t, f2, sheetAssess, cell("社区编码", 4)); got != "FFC7CE" {
		t.Errorf("row 4 code no longer marked")
	}
}

func TestAnnotateHeaderErrors(t *testing.T) {
	s := newTemplate(t, someCommunities(1))
	rowErrs := []RowError{{Row: 1, Column: "书记威信和驾驭能力(0-10分)", Reason: "缺少指标列"}}
	f, err := excelize.OpenReader(bytes.NewReader(annotate(t, s.bytes(), rowErrs)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(sheetAssess)
	if got := rows[0][len(rows[0])-1]; got != "错误说明:缺少指标列" {
		t.Errorf("header note %q", got)
	}
}

func annotate(t *testing.T, b []byte, rowErrs []RowError) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Annotate(&buf, b, Errors{List: rowErrs, Total: len(rowErrs)}); err != nil {
		t.Fatalf("Annotate: %v", err)
	}
	return buf.Bytes()
}

func TestAnnotateRowLimit(t *testing.T) {
	defer func(n int) { annotateMaxRows = n }(annotateMaxRows)
	annotateMaxRows = 2
	s := newTemplate(t, someCommunities(3))
	err := Annotate(io.Discard, s.bytes(), Errors{List: []RowError{{Row: 2, Column: headCode, Reason: "x"}}, Total: 1})
	if errs.CodeOf(err) != errs.Unprocessable || !strings.Contains(errs.MessageOf(err), "超过2行") {
		t.Errorf("err = %v, want the row limit", err)
	}
	annotateMaxRows = 3
	if err := Annotate(io.Discard, s.bytes(), Errors{}); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

func TestAnnotateRejectsNonXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := Annotate(&buf, []byte("not a workbook"), Errors{}); errs.CodeOf(err) != errs.Unprocessable {
		t.Errorf("err = %v", err)
	}
}

func TestWriteClassTable(t *testing.T) {
	dims := map[assess.Dimension][2]int{
		assess.Basic: {12, 15}, assess.Team: {15, 20}, assess.Members: {10, 15},
		assess.Reserve: {14, 20}, assess.Demands: {10, 15}, assess.Risks: {11, 15},
	}
	in := []ClassRow{
		{Code: "C00001", Name: "第1社区", District: "东片区", Dimensions: dims, Total: 72, Max: 100,
			Class: assess.B, Computed: assess.B, Warning: "黄色预警", Basis: "总分 72/100(72%)", Plans: 2, Owners: "张三、李四"},
		{Code: "C00002", Name: "第2社区", District: "西片区", Dimensions: dims, Total: 72, Max: 100,
			Class: assess.C, Computed: assess.B, Warning: "红色预警", Basis: "调整理由:宗族矛盾突出", Plans: 3},
		{Code: "C00003", Name: "第3社区", District: "西片区", Warning: "无预警"},
	}
	var buf bytes.Buffer
	if err := WriteClassTable(&buf, in); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"社区编码", "社区", "片区", "基本情况", "班子运转", "党员现状", "人员储备", "群众诉求", "风险隐患",
		"总分", "满分", "类别", "预警", "依据", "方案数", "责任人"}
	if !reflect.DeepEqual(rows[0], wantHead) {
		t.Errorf("header %q", rows[0])
	}
	if len(rows) != 1+len(in) {
		t.Fatalf("%d rows, want header + %d", len(rows), len(in))
	}
	want := [][]string{
		{"C00001", "第1社区", "东片区", "12/15", "15/20", "10/15", "14/20", "10/15", "11/15", "72", "100", "B类", "黄色预警", "总分 72/100(72%)", "2", "张三、李四"},
		{"C00002", "第2社区", "西片区", "12/15", "15/20", "10/15", "14/20", "10/15", "11/15", "72", "100", "C类(按得分为B类,已调整)", "红色预警", "调整理由:宗族矛盾突出", "3"},
		{"C00003", "第3社区", "西片区", "", "", "", "", "", "", "", "", "未研判", "无预警", "", "0"},
	}
	for i, w := range want {
		if !reflect.DeepEqual(rows[i+1], w) {
			t.Errorf("row %d:\n got %q\nwant %q", i+2, rows[i+1], w)
		}
	}
	switch v, _ := f.GetCellType(f.GetSheetName(0), "J2"); v {
	case excelize.CellTypeNumber, excelize.CellTypeUnset: // a number, sortable in Excel
	default:
		t.Errorf("总分 is a cell of type %v, want a number", v)
	}
	if got := cellFill(t, f, f.GetSheetName(0), "M3"); got != "FFC7CE" {
		t.Errorf("红色预警 fill %q", got)
	}
	id, _ := f.GetCellStyle(f.GetSheetName(0), "A1")
	if st, _ := f.GetStyle(id); st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold")
	}
}

func BenchmarkRead10000(b *testing.B) {
	const n = 10000
	cs := someCommunities(n)
	s := newTemplate(b, cs)
	for row := 2; row <= n+1; row++ {
		s.fillRow(row)
	}
	file := s.bytes()
	known := knownOf(cs)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, rowErrs, err := Read(bytes.NewReader(file), rubric, known, today)
		if err != nil || rowErrs.Total > 0 || len(got) != n {
			b.Fatalf("Read: %d assessments, %d errors, %v", len(got), rowErrs.Total, err)
		}
	}
}

func BenchmarkAnnotate10000(b *testing.B) {
	const n = 10000
	cs := someCommunities(n)
	s := newTemplate(b, cs)
	for row := 2; row <= n+1; row++ {
		s.fillRow(row)
		if row%10 == 0 {
			s.set(row, "team_unity", 11)
		}
	}
	file := s.bytes()
	_, rowErrs, err := Read(bytes.NewReader(file), rubric, knownOf(cs), today)
	if err != nil || rowErrs.Total != n/10 {
		b.Fatalf("Read: %d errors, %v", rowErrs.Total, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Annotate(io.Discard, file, rowErrs); err != nil {
			b.Fatal(err)
		}
	}
}

// TestColumnsAscending guards against the stream writer's habit of listing
// columns latest call first: Excel wants <col> elements in ascending order
// and offers to "repair" the file otherwise.
func TestColumnsAscending(t *testing.T) {
	var tpl, cls bytes.Buffer
	if err := WriteTemplate(&tpl, rubric, someCommunities(2)); err != nil {
		t.Fatal(err)
	}
	if err := WriteClassTable(&cls, []ClassRow{{Code: "C00001"}}); err != nil {
		t.Fatal(err)
	}
	colMin := regexp.MustCompile(`<col [^>]*min="(\d+)"`)
	for name, b := range map[string][]byte{"template": tpl.Bytes(), "class table": cls.Bytes()} {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		rc, err := zr.Open("xl/worksheets/sheet1.xml")
		if err != nil {
			t.Fatal(err)
		}
		var xml bytes.Buffer
		xml.ReadFrom(rc)
		rc.Close()
		prev := 0
		ms := colMin.FindAllSubmatch(xml.Bytes(), -1)
		if len(ms) == 0 {
			t.Errorf("%s: no column widths", name)
		}
		for _, m := range ms {
			n := 0
			fmt.Sscan(string(m[1]), &n)
			if n <= prev {
				t.Errorf("%s: column %d listed after %d", name, n, prev)
			}
			prev = n
		}
	}
}

// A template downloaded before indicators were headed by name alone (the
// code in brackets, the date's hint in Latin letters) still uploads.
func TestReadTemplateOfBefore(t *testing.T) {
	cs := someCommunities(1)
	s := newTemplate(t, cs)
	s.fillRow(2)
	for code, col := range s.cols {
		cell, _ := excelize.CoordinatesToCellName(col, 1)
		switch ind, ok := rubric.Find(code); {
		case ok && ind.Kind == assess.Flag:
			s.f.SetCellValue(sheetAssess, cell, ind.Name+"("+ind.Code+")是/否")
		case ok:
			s.f.SetCellValue(sheetAssess, cell, fmt.Sprintf("%s(%s)0-%d分", ind.Name, ind.Code, ind.Max))
		case code == "研判日期":
			s.f.SetCellValue(sheetAssess, cell, "研判日期(YYYY-MM-DD)")
		}
	}
	got, rowErrs := read(t, s.bytes(), knownOf(cs))
	if len(rowErrs) > 0 || len(got) != 1 || !reflect.DeepEqual(got[0].Scores, wantScores(2)) {
		t.Fatalf("errors %v, assessments %+v", rowErrs, got)
	}
}
