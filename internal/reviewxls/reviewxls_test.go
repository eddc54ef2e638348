package reviewxls

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/vetting"
)

func gaj(t *testing.T) vetting.Department {
	d, ok := vetting.DefaultDepartments().Find("gaj")
	if !ok {
		t.Fatal("no gaj")
	}
	return d
}

func TestRoundTrip(t *testing.T) {
	d := gaj(t)
	var buf bytes.Buffer
	rows := []Row{{ID: 7, Name: "张三", Sex: "男", IDNumber: "990101198001010011", Community: "一社区", Deadline: "2026-11-30"},
		{ID: 8, Name: "李四", Sex: "女", IDNumber: "990101198001010020", Community: "一社区", Deadline: "2026-11-30"},
		{ID: 9, Name: "王五", Sex: "男", IDNumber: "990101198001010039", Community: "二社区", Deadline: "2026-11-30"}}
	if err := Write(&buf, d, vetting.DefaultCatalogue(), rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue(sheetQueue, "D2"); v != "990101198001010011" {
		t.Fatalf("ID cell %q", v)
	}
	set := func(cell, v string) { f.SetCellValue(sheetQueue, cell, v) }
	set("G2", "无异常")
	set("G3", "有问题") // no conditions
	set("H4", "not_voter")
	set("G4", "有问题") // a condition gaj does not check
	var filled bytes.Buffer
	f.WriteTo(&filled)
	owner := func(ids []int64) (map[int64]string, error) {
		return map[int64]string{7: "gaj", 8: "gaj", 9: "mzj"}, nil
	}
	items, rowErrs, err := Read(bytes.NewReader(filled.Bytes()), d, owner)
	if err != nil || items != nil || len(rowErrs.List) != 3 || rowErrs.Total != 3 {
		t.Fatalf("items %v errs %v %v", items, rowErrs, err)
	}
	want := []string{"第3行“问题代码", "第4行“编号”", "第4行“问题代码"}
	all := ""
	for _, e := range rowErrs.List {
		all += e.String() + "\n"
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("errors lack %q:\n%s", w, all)
		}
	}
	var ann bytes.Buffer
	if err := Annotate(&ann, filled.Bytes(), rowErrs); err != nil {
		t.Fatal(err)
	}
	g, _ := excelize.OpenReader(bytes.NewReader(ann.Bytes()))
	if v, _ := g.GetCellValue(sheetQueue, "J3"); !strings.Contains(v, "至少") {
		t.Fatalf("annotation J3 %q", v)
	}
	// Fixed: row 3 names a condition, row 4 cleared.
	set("H3", "criminal")
	set("G4", "")
	set("H4", "")
	filled.Reset()
	f.WriteTo(&filled)
	items, rowErrs, err = Read(bytes.NewReader(filled.Bytes()), d, owner)
	if err != nil || rowErrs.Total != 0 || len(items) != 2 || items[1].Answer.Verdict != vetting.Findings || items[1].Answer.Conditions[0] != "criminal" {
		t.Fatalf("fixed: %+v %v %v", items, rowErrs, err)
	}
}
