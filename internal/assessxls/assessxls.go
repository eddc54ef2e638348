// Package assessxls moves community assessments (研判) in and out of Excel:
// the template the office fills in, reading a filled template back with an
// error for every bad cell, writing those errors back into the uploaded file
// so it can be fixed and uploaded again, and exporting the classification
// table. It knows the xlsx format and the assess domain, nothing of SQL or
// HTTP: the caller decides what to store and how to answer.
package assessxls

import (
	"regexp"
	"strconv"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Sheet names and the headers of the fixed columns of the template.
const (
	sheetAssess = "研判表"
	sheetHelp   = "填写说明"

	headCode      = "社区编码"
	headName      = "社区名称"
	headDistrict  = "片区"
	headDate      = "研判日期(如2026-03-01)"
	headAssessors = "研判组成员(单位:姓名,用、分隔)"
	headFindings  = "研判意见"
	headErrors    = "错误说明"
)

// MaxRows is the most data rows Read accepts in one file (by row number:
// the last row may be at most MaxRows+1).
const MaxRows = 200_000

// maxRows and annotateMaxRows are MaxRows and AnnotateMaxRows, lowered by tests.
var maxRows, annotateMaxRows = MaxRows, AnnotateMaxRows

// limits are the upload limits of internal/xlsx with the row limit above.
func limits() xlsx.Limits {
	l := xlsx.Default
	l.Rows = maxRows
	return l
}

// sheetKeys find the assessment sheet renamed: its header has these columns.
var sheetKeys = []string{"社区编码", "研判日期"}

// what names the file in messages.
const what = "研判表"

// fixed is a column of the template that is not an indicator. Read matches
// it by the start of its header, so a header typed without the hint in
// brackets is still found.
type fixed struct {
	key      string // the header's start, matched by Read
	head     string // the header as the template writes it
	required bool   // Read reports a missing column
}

var fixedColumns = []fixed{
	{"社区编码", headCode, true},
	{"社区名称", headName, false},
	{"片区", headDistrict, false},
	{"研判日期", headDate, true},
	{"研判组成员", headAssessors, true},
	{"研判意见", headFindings, false},
}

// codeInHeader finds an indicator code in brackets, half- or full-width:
// templates written before indicators were headed by name alone carried
// it ("班子团结、履职尽责(team_unity)0-10分"), and they still upload.
var codeInHeader = regexp.MustCompile(`[((]\s*([A-Za-z][A-Za-z0-9_]{0,29})\s*[))]`)

// hintInHeader finds the hint an indicator's header ends with, in brackets
// or (in older templates) after them: "(0-10分)", "是/否".
var hintInHeader = regexp.MustCompile(`[((]?\s*(?:0\s*[-—–~~至到]\s*\d+\s*分|是\s*[//]\s*否)\s*[))]?\s*$`)

// indicatorHeader is the header of an indicator's column: its name, by
// which Read finds it, and how it is answered, e.g.
// "班子团结、履职尽责(0-10分)" or "班子软弱涣散(是/否)". Users read no code.
func indicatorHeader(ind assess.Indicator) string {
	if ind.Kind == assess.Flag {
		return ind.Name + "(是/否)"
	}
	return ind.Name + "(0-" + strconv.Itoa(ind.Max) + "分)"
}

// kindLabel is the Chinese name of an indicator kind, as the rubric page says it.
func kindLabel(k assess.Kind) string {
	if k == assess.Flag {
		return "否决项"
	}
	return "评分项"
}

// RowError is one bad cell of an uploaded file.
type RowError = xlsx.RowError

// Errors are the bad cells of a file: at most xlsx.MaxListed, and a count of
// the rest.
type Errors = xlsx.Errors

// cellText cuts s to what one Excel cell can hold.
func cellText(s string) string { return xlsx.CellText(s) }
