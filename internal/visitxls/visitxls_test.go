package visitxls_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/visit"
	"github.com/huanjie/huanjie/internal/visitxls"
)

func fill(t *testing.T, k visitxls.Kind, sheet string, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := visitxls.WriteTemplate(&buf, k, "测试社区"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A household register read back whole; with bad rows, none of it and
// every bad cell with its row and a Chinese reason (a size that is no
// number, a size 0, a bad phone, an address on the register, an address
// twice in the file); the annotated workbook carries the reasons.
func TestReadHouseholds(t *testing.T) {
	good := [][]any{{"1号楼101", "张三", 3, "13912345678", "1号楼"}, {"1号楼102", "李四", "2", "", ""}}
	list, bad, err := visitxls.ReadHouseholds(bytes.NewReader(fill(t, visitxls.Households, "走访户名单", good)), nil)
	if err != nil || bad.Total != 0 || len(list) != 2 || list[1].Size != 2 || list[0].Phone != "13912345678" {
		t.Fatalf("good rows: %v %+v %+v", err, bad.List, list)
	}
	rows := append(good,
		[]any{"1号楼103", "王五", "三", "", ""}, // row 4: no number
		[]any{"1号楼104", "赵六", 0, "", ""},   // row 5: size 0
		[]any{"1号楼105", "钱七", 1, "电话", ""}, // row 6: phone
		[]any{"老住址", "孙八", 1, "", ""},      // row 7: on the register
		[]any{"1号楼101", "周九", 1, "", ""})   // row 8: twice
	raw := fill(t, visitxls.Households, "走访户名单", rows)
	list, bad, err = visitxls.ReadHouseholds(bytes.NewReader(raw), map[string]bool{"老住址": true})
	if err != nil || list != nil || bad.Total != 5 {
		t.Fatalf("bad rows: %v %+v %d", err, bad.List, len(list))
	}
	want := []int{4, 5, 6, 7, 8}
	for i, e := range bad.List {
		if e.Row != want[i] || e.Reason == "" {
			t.Errorf("error %d: %+v", i, e)
		}
	}
	if !strings.Contains(bad.List[4].Reason, "第2行") {
		t.Errorf("twice in the file: %+v", bad.List[4])
	}
	var out bytes.Buffer
	if err := visitxls.Annotate(&out, visitxls.Households, raw, bad); err != nil || out.Len() == 0 {
		t.Errorf("annotate: %v", err)
	}
}

func TestReadPeople(t *testing.T) {
	rows := [][]any{{"党员", "张三", "1号楼", ""}, {"居民代表", "李四", "", ""}, {"群众", "王五", "", ""}}
	list, bad, err := visitxls.ReadPeople(bytes.NewReader(fill(t, visitxls.People, "谈话对象名单", rows)), nil)
	if err != nil || list != nil || bad.Total != 1 || bad.List[0].Row != 4 {
		t.Fatalf("a kind not one of two: %v %+v", err, bad.List)
	}
	list, bad, err = visitxls.ReadPeople(bytes.NewReader(fill(t, visitxls.People, "谈话对象名单", rows[:2])), nil)
	if err != nil || bad.Total != 0 || len(list) != 2 || list[0].Kind != visit.PartyMember || list[1].Kind != visit.Representative {
		t.Fatalf("good rows: %v %+v %+v", err, bad.List, list)
	}
}
