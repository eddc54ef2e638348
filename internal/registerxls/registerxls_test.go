package registerxls_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/registerxls"
)

const day = civil.Date("2027-01-16")

// fill writes register k's template with rows below its header.
func fill(t *testing.T, k registerxls.Kind, sheet string, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := registerxls.WriteTemplate(&buf, k, "测试社区"); err != nil {
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

// A register read back whole; with bad rows, none of it and every bad
// cell with its row and a Chinese reason: a voter 17 on the election day,
// a kind not one of the three, a bad day, a person already on the register
// or twice in the file. The annotated workbook carries the reasons.
func TestReadVoters(t *testing.T) {
	good := [][]any{
		{"张三", "男", "1970-03-15", "第一居民小组", "户籍在本社区并居住"},
		{"李四", "女", "1980/4/1", "", "户籍不居住"},
		{"王五", "男", "2009-01-16", "3号楼", "居住一年以上户籍不在本社区,经申请同意"},
	}
	voters, list, err := registerxls.ReadVoters(bytes.NewReader(fill(t, registerxls.Residents, "选民名单", good)), day, nil)
	if err != nil || list.Total != 0 || len(voters) != 3 || voters[1].BirthDate != "1980-04-01" || voters[1].Kind != election.RegAway ||
		voters[2].Group != "3号楼" {
		t.Fatalf("good rows: %v %+v %+v", err, list.List, voters)
	}
	bad := append(good,
		[]any{"赵六", "女", "2009-01-17", "", "户籍在本社区并居住"}, // row 5: 17 on the day
		[]any{"钱七", "男", "1960-01-01", "", "外来"},        // row 6: the kind
		[]any{"孙八", "男", "1960-02-30", "", "户籍在本社区并居住"}, // row 7: no such day
		[]any{"张三", "男", "1970-03-15", "", "户籍在本社区并居住"}, // row 8: twice in the file
		[]any{"周九", "女", "1975-05-05", "", "户籍在本社区并居住"}, // row 9: on the register already
	)
	raw := fill(t, registerxls.Residents, "选民名单", bad)
	on := map[string]int64{"周九|1975-05-05": 1}
	voters, list, err = registerxls.ReadVoters(bytes.NewReader(raw), day, on)
	if err != nil || voters != nil {
		t.Fatalf("bad rows: %v %d voters", err, len(voters))
	}
	want := []struct {
		row    int
		column string
		says   string
	}{{5, "出生日期", "未满18周岁"}, {6, "登记类型", "请填写登记类型"}, {7, "出生日期", "无效"}, {8, "姓名", "已在第2行填写"}, {9, "姓名", "重复登记"}}
	if len(list.List) != len(want) {
		t.Fatalf("errors: %+v", list.List)
	}
	for i, w := range want {
		e := list.List[i]
		if e.Row != w.row || e.Column != w.column || !strings.Contains(e.Reason, w.says) {
			t.Errorf("error %d: %+v, want row %d %s %q", i, e, w.row, w.column, w.says)
		}
	}
	var out bytes.Buffer
	if err := registerxls.Annotate(&out, registerxls.Residents, raw, list); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("选民名单")
	if note := rows[4][len(rows[4])-1]; !strings.Contains(note, "未满18周岁") {
		t.Errorf("the annotated row 5: %q", rows[4])
	}

	// A file without the kind column is refused on its header.
	var buf bytes.Buffer
	f = excelize.NewFile()
	f.SetSheetName("Sheet1", "选民名单")
	f.SetSheetRow("选民名单", "A1", &[]any{"姓名", "性别", "出生日期"})
	f.Write(&buf)
	if _, list, err := registerxls.ReadVoters(&buf, day, nil); err != nil || list.Total != 1 || list.List[0].Row != 1 || list.List[0].Column != "登记类型" {
		t.Errorf("no kind column: %v %+v", err, list.List)
	}
}

// Party members: the status by its label; an excusal only for a member
// with the vote.
func TestReadPartyMembers(t *testing.T) {
	rows := [][]any{
		{"张三", "男", "1960-01-01", "正式党员", ""},
		{"李四", "女", "1990-01-01", "预备党员", ""},
		{"王五", "男", "1970-01-01", "正式党员", "住院"},
	}
	members, list, err := registerxls.ReadPartyMembers(bytes.NewReader(fill(t, registerxls.Party, "党员名单", rows)), day, nil)
	if err != nil || list.Total != 0 || len(members) != 3 || members[1].Status != election.StatusProbationary || members[2].Excused != "住院" {
		t.Fatalf("members: %v %+v %+v", err, list.List, members)
	}
	rows[1][4] = "外出"
	rows = append(rows, []any{"赵六", "男", "1970-01-01", "党员", ""})
	members, list, err = registerxls.ReadPartyMembers(bytes.NewReader(fill(t, registerxls.Party, "党员名单", rows)), day, nil)
	if err != nil || members != nil || list.Total != 2 || list.List[0].Row != 3 || list.List[0].Column != "请假原因" || list.List[1].Column != "党员状态" {
		t.Errorf("bad members: %v %+v", err, list.List)
	}
}

// The published register shows the year of birth, not the day.
func TestWritePublished(t *testing.T) {
	var buf bytes.Buffer
	err := registerxls.WritePublished(&buf, []election.Voter{{Name: "张三", Sex: "男", BirthDate: "1970-03-15", Group: "一组", Kind: election.RegResident}})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(&buf)
	rows, _ := f.GetRows("选民名单")
	if len(rows) != 2 || rows[0][3] != "出生年份" || rows[1][3] != "1970" || strings.Contains(strings.Join(rows[1], ","), "03-15") {
		t.Errorf("published: %q", rows)
	}
}
