package reviewxls

import (
	"bytes"
	"slices"
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
	set("G3", "有问题")       // no conditions
	set("H4", "not_voter") // a code, as files written before names had them
	set("G4", "有问题")       // a condition gaj does not check
	var filled bytes.Buffer
	f.WriteTo(&filled)
	owner := func(ids []int64) (map[int64]string, error) {
		return map[int64]string{7: "gaj", 8: "gaj", 9: "mzj"}, nil
	}
	items, rowErrs, err := Read(bytes.NewReader(filled.Bytes()), d, vetting.DefaultCatalogue(), owner)
	if err != nil || items != nil || len(rowErrs.List) != 3 || rowErrs.Total != 3 {
		t.Fatalf("items %v errs %v %v", items, rowErrs, err)
	}
	want := []string{"第3行“问题情形", "第4行“编号”", "第4行“问题情形(照“填写说明”填写名称,多项用分号分隔)”:问题情形“不具有本村(社区)选民资格”不在公安局的审查清单内"}
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
	set("H3", "受过刑事处罚(含正在服刑、缓刑、社区矫正)")
	set("G4", "")
	set("H4", "")
	filled.Reset()
	f.WriteTo(&filled)
	items, rowErrs, err = Read(bytes.NewReader(filled.Bytes()), d, vetting.DefaultCatalogue(), owner)
	if err != nil || rowErrs.Total != 0 || len(items) != 2 || items[1].Answer.Verdict != vetting.Findings || items[1].Answer.Conditions[0] != "criminal" {
		t.Fatalf("fixed: %+v %v %v", items, rowErrs, err)
	}
}

// Conditions are entered by name, as the help sheet lists them: with or
// without their tier, several in any separator (names hold commas and 、
// themselves), or by code as older files have them. An answer exported is
// written by name and reads back the same.
func TestConditionsByName(t *testing.T) {
	cat := vetting.DefaultCatalogue()
	for cell, want := range map[string][]string{
		"受过刑事处罚(含正在服刑、缓刑、社区矫正)":                                 {"criminal"},
		"不得:存在“村霸”问题;涉黑涉恶受处理未满5年":                               {"village_bully", "gang"},
		"不得:存在“村霸”问题, 不宜:因嫖娼、吸毒、扰乱公共秩序受行政拘留未满5年\n其他不宜确定为候选人的情形": {"village_bully", "detention", "other"},
		"gang,criminal": {"gang", "criminal"},
		"加入邪教组织、加入邪教组织":                  {"cult"},
		"组织、参与非法宗教活动,利用宗族宗派宗教势力干扰侵蚀基层政权": {"religion_clan"},
	} {
		got, unknown := conditionsIn(cell, cat)
		if !slices.Equal(got, want) || unknown != nil {
			t.Errorf("%q: %v, unknown %q; want %v", cell, got, unknown, want)
		}
	}
	if got, unknown := conditionsIn("加入邪教组织;打架斗殴", cat); !slices.Equal(got, []string{"cult"}) || !slices.Equal(unknown, []string{"打架斗殴"}) {
		t.Errorf("%v, unknown %q", got, unknown)
	}

	d := gaj(t)
	var buf bytes.Buffer
	rows := []Row{{ID: 7, Name: "张三", Deadline: "2026-11-30", Verdict: vetting.Findings, Conditions: []string{"gang", "other"}, Note: "另有情况"}}
	if err := Write(&buf, d, cat, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue(sheetQueue, "H2"); v != "涉黑涉恶受处理未满5年;其他不宜确定为候选人的情形" {
		t.Errorf("H2 %q", v)
	}
	owner := func([]int64) (map[int64]string, error) { return map[int64]string{7: "gaj"}, nil }
	items, rowErrs, err := Read(bytes.NewReader(buf.Bytes()), d, cat, owner)
	if err != nil || rowErrs.Total != 0 || len(items) != 1 || !slices.Equal(items[0].Answer.Conditions, []string{"gang", "other"}) {
		t.Fatalf("read back: %+v %v %v", items, rowErrs.List, err)
	}

	// A name that is none, said in Chinese with what was typed; the list of
	// names is the help sheet's, offered as the column's drop-down.
	f.SetCellValue(sheetQueue, "H2", "涉黑涉恶;打架斗殴")
	var bad bytes.Buffer
	f.WriteTo(&bad)
	_, rowErrs, _ = Read(bytes.NewReader(bad.Bytes()), d, cat, owner)
	if rowErrs.Total != 2 || !strings.Contains(rowErrs.List[0].Reason, "“涉黑涉恶”不是清单中的情形") || !strings.Contains(rowErrs.List[1].Reason, "“打架斗殴”") {
		t.Errorf("errors %v", rowErrs.List)
	}
	dvs, _ := f.GetDataValidations(sheetQueue)
	var lists []string
	for _, dv := range dvs {
		lists = append(lists, dv.Sqref+" "+dv.Formula1)
	}
	if !slices.Equal(lists, []string{`G2:G2 "无异常,有问题"`, "H2:H2 '填写说明'!$B$7:$B$18"}) {
		t.Errorf("drop-downs %q", lists)
	}
	if v, _ := f.GetCellValue(sheetHelp, "B7"); v != "受过刑事处罚(含正在服刑、缓刑、社区矫正)" {
		t.Errorf("help B7 %q", v)
	}
}
