// Package assessxls moves community assessments (研判) in and out of Excel:
// the template the office fills in, reading a filled template back with an
// error for every bad cell, writing those errors back into the uploaded file
// so it can be fixed and uploaded again, and exporting the classification
// table. It knows the xlsx format and the assess domain, nothing of SQL or
// HTTP: the caller decides what to store and how to answer.
package assessxls

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/errs"
)

// Sheet names and the headers of the fixed columns of the template.
const (
	sheetAssess = "研判表"
	sheetHelp   = "填写说明"

	headCode      = "社区编码"
	headName      = "社区名称"
	headDistrict  = "片区"
	headDate      = "研判日期(YYYY-MM-DD)"
	headAssessors = "研判组成员(单位:姓名,用、分隔)"
	headFindings  = "研判意见"
	headErrors    = "错误说明"
)

// MaxRows is the most data rows Read accepts in one file.
const MaxRows = 200_000

// maxRows and annotateMaxRows are MaxRows and AnnotateMaxRows, lowered by tests.
var maxRows, annotateMaxRows = MaxRows, AnnotateMaxRows

// maxUnzipped bounds the unpacked size of an uploaded workbook, so that a
// small zip cannot unpack to many gigabytes (200,000 rows of a full template
// with findings of a few hundred characters stay below it).
const maxUnzipped = 1 << 30

// maxCellChars is Excel's limit on the text of one cell.
const maxCellChars = 32767

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

// codeInHeader finds an indicator code in brackets, half- or full-width.
var codeInHeader = regexp.MustCompile(`[((]\s*([A-Za-z][A-Za-z0-9_]{0,29})\s*[))]`)

// indicatorHeader is the header of an indicator's column, e.g.
// "班子团结、履职尽责(team_unity)0-10分" or "班子软弱涣散(team_weak)是/否".
func indicatorHeader(ind assess.Indicator) string {
	h := ind.Name + "(" + ind.Code + ")"
	if ind.Kind == assess.Flag {
		return h + "是/否"
	}
	return h + "0-" + strconv.Itoa(ind.Max) + "分"
}

// kindLabel is the Chinese name of an indicator kind, as the rubric page says it.
func kindLabel(k assess.Kind) string {
	if k == assess.Flag {
		return "否决项"
	}
	return "评分项"
}

// dataSheet is the sheet holding the assessments: "研判表" if the workbook
// has one, else its first sheet. Read and Annotate use the same one.
func dataSheet(f *excelize.File) (string, error) {
	list := f.GetSheetList()
	if len(list) == 0 {
		return "", errs.New(errs.Unprocessable, "文件中没有工作表,请使用下载的研判表模板填写")
	}
	for _, s := range list {
		if s == sheetAssess {
			return s, nil
		}
	}
	return list[0], nil
}

// openWorkbook opens an uploaded xlsx, turning every failure into a
// Chinese message the user can act on.
func openWorkbook(b []byte) (*excelize.File, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		switch {
		case errors.Is(err, excelize.ErrWorkbookFileFormat):
			return nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件:请上传 .xlsx 格式的研判表(旧版 .xls 或设置了密码的文件,请在 Excel 中另存为不加密的 .xlsx)")
		case strings.Contains(err.Error(), "unzip size exceeds"):
			return nil, errs.Wrap(err, errs.Unprocessable, "文件解压后过大,请分批上传")
		}
		return nil, errs.Wrap(err, errs.Unprocessable, "无法读取该文件:请上传用研判表模板填写的 .xlsx 文件")
	}
	return f, nil
}

// cellText cuts s to what one Excel cell can hold.
func cellText(s string) string {
	if len(s) <= maxCellChars { // bytes ≥ runes: short enough either way
		return s
	}
	if utf8.RuneCountInString(s) <= maxCellChars {
		return s
	}
	r := []rune(s)
	return string(r[:maxCellChars-1]) + "…"
}
