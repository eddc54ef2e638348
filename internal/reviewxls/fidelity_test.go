package reviewxls

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/vetting"
)

// queue writes gaj's queue of requests 8706, 8707 and 8708 and opens it.
func queue(t *testing.T) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	rows := []Row{{ID: 8706, Name: "张三", Sex: "男", IDNumber: "990101198001010011", Community: "一社区", Deadline: "2026-11-30"},
		{ID: 8707, Name: "李四", Sex: "女", IDNumber: "990101198001010020", Community: "一社区", Deadline: "2026-11-30"},
		{ID: 8708, Name: "王五", Sex: "男", IDNumber: "990101198001010039", Community: "二社区", Deadline: "2026-11-30"}}
	if err := Write(&buf, gaj(t), vetting.DefaultCatalogue(), rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func gajOwns(ids []int64) (map[int64]string, error) {
	m := map[int64]string{}
	for _, id := range ids {
		if id >= 8706 && id <= 8708 {
			m[id] = "gaj"
		}
	}
	return m, nil
}

func readQueue(t *testing.T, f *excelize.File) ([]Item, Errors, []byte) {
	t.Helper()
	var buf bytes.Buffer
	f.WriteTo(&buf)
	items, rowErrs, err := Read(bytes.NewReader(buf.Bytes()), gaj(t), vetting.DefaultCatalogue(), gajOwns)
	if err != nil {
		t.Fatal(err)
	}
	return items, rowErrs, buf.Bytes()
}

// An 编号 shown with decimals ("8706.00") is read as the number it stores
// (issue 13, point 13).
func TestReadStoredID(t *testing.T) {
	f := queue(t)
	twoPlaces, _ := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	f.SetCellStyle(sheetQueue, "A2", "A3", twoPlaces)
	if v, _ := f.GetCellValue(sheetQueue, "A2"); v != "8706.00" {
		t.Fatalf("A2 shows %q", v)
	}
	f.SetCellValue(sheetQueue, "G2", "无异常")
	f.SetCellValue(sheetQueue, "G3", "无异常")
	items, rowErrs, _ := readQueue(t, f)
	if rowErrs.Total != 0 || len(items) != 2 || items[0].RequestID != 8706 || items[1].RequestID != 8707 {
		t.Fatalf("items %+v, errors %v", items, rowErrs.List)
	}
}

// Headers retyped without their hint, or with other brackets, or as a file
// written before conditions were entered by name headed them, are still
// found, and the bad cells under them are marked (issue 13, point 13).
func TestRetypedHeadersMarked(t *testing.T) {
	f := queue(t)
	f.SetCellValue(sheetQueue, "G1", "结论")
	f.SetCellValue(sheetQueue, "H1", "问题代码(多个用逗号分隔)")
	f.SetCellValue(sheetQueue, "G2", "有问题") // no condition
	items, rowErrs, raw := readQueue(t, f)
	if items != nil || rowErrs.Total != 1 || rowErrs.List[0].Row != 2 || rowErrs.List[0].Col != 8 ||
		rowErrs.List[0].Column != "问题代码(多个用逗号分隔)" {
		t.Fatalf("items %+v, errors %+v", items, rowErrs.List)
	}
	var ann bytes.Buffer
	if err := Annotate(&ann, raw, rowErrs); err != nil {
		t.Fatal(err)
	}
	g, _ := excelize.OpenReader(&ann)
	id, _ := g.GetCellStyle(sheetQueue, "H2")
	st, _ := g.GetStyle(id)
	if len(st.Fill.Color) != 1 || !strings.EqualFold(st.Fill.Color[0], "FFC7CE") {
		t.Errorf("H2 not marked: fill %+v", st.Fill)
	}
	if v, _ := g.GetCellValue(sheetQueue, "J2"); !strings.Contains(v, "问题情形") {
		t.Errorf("J2 %q", v)
	}
}

// The errors name the file's columns, not the page's checkboxes, which the
// workbook does not have (issue 13, point 13).
func TestErrorsNameTheFilesColumns(t *testing.T) {
	f := queue(t)
	f.SetSheetRow(sheetQueue, "G2", &[]any{"有问题"})                          // no condition
	f.SetSheetRow(sheetQueue, "G3", &[]any{"无异常", "受过刑事处罚(含正在服刑、缓刑、社区矫正)"}) // a condition with a clean verdict
	f.SetSheetRow(sheetQueue, "G4", &[]any{"有问题", "其他不宜确定为候选人的情形"})         // the catch-all, no note
	_, rowErrs, _ := readQueue(t, f)
	if rowErrs.Total != 3 {
		t.Fatalf("errors %v", rowErrs.List)
	}
	for _, e := range rowErrs.List {
		if strings.Contains(e.Reason, "勾选") || !strings.Contains(e.Reason, "问题情形") {
			t.Errorf("row %d: %q names no column of the file", e.Row, e.Reason)
		}
	}
	help, _ := f.GetRows(sheetHelp)
	for _, row := range help {
		if strings.Contains(strings.Join(row, ""), "勾选") {
			t.Errorf("the help sheet names a checkbox: %q", row)
		}
	}
}

// The queue sheet renamed after an extra sheet is still the one read.
func TestReadRenamedQueueSheet(t *testing.T) {
	f := queue(t)
	f.SetSheetName(sheetQueue, "我的任务")
	f.NewSheet("备注")
	f.MoveSheet("备注", "我的任务")
	f.SetCellValue("我的任务", "G2", "无异常")
	items, rowErrs, _ := readQueue(t, f)
	if rowErrs.Total != 0 || len(items) != 1 || items[0].RequestID != 8706 {
		t.Fatalf("items %+v, errors %v", items, rowErrs.List)
	}
}

// The deadline is a date cell, not text (issue 13, point 13).
func TestQueueDeadlineIsADate(t *testing.T) {
	f := queue(t)
	raw, _ := f.GetCellValue(sheetQueue, "F2", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(sheetQueue, "F2")
	if typ, _ := f.GetCellType(sheetQueue, "F2"); raw != "46356" || shown != "2026-11-30" || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
		t.Errorf("F2 stored %q (type %v), shown %q; want the serial 46356 shown 2026-11-30", raw, typ, shown)
	}
}
