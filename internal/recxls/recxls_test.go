package recxls_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/recxls"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

var people = map[int64]vetting.Aspirant{
	11: {ID: 11, Name: "李明", Status: vetting.Qualified, Committee: org.ResidentsCommittee, Post: vetting.Director, CrossPost: vetting.Secretary},
	12: {ID: 12, Name: "王芳", Status: vetting.Qualified, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember},
	13: {ID: 13, Name: "赵刚", Status: vetting.Barred, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember},
}

func days(org.Committee) civil.Date { return "2026-03-20" }

// fill writes the template and sets cells (by cell name) on its votes sheet.
func fill(t *testing.T, cells map[string]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := recxls.Write(&buf, "测试社区", []vetting.Aspirant{people[11], people[12]}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for cell, v := range cells {
		if err := f.SetCellValue("推荐票", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The template's rows: the party's recommendations for 李明 (by his cross
// post), then the residents' for both, twice (党员推荐, 群众推荐).
func TestTemplateRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := recxls.Write(&buf, "测试社区", []vetting.Aspirant{people[11], people[12]}); err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	rows, _ := f.GetRows("推荐票")
	if len(rows) != 1+2+4 || rows[1][0] != "党组织委员会" || rows[1][6] != "李明" || rows[1][7] != "书记" || rows[3][0] != "居民委员会" {
		t.Fatalf("template rows: %q", rows)
	}
	// Residents' 群众推荐 (rows 6, 7) filled, counts on one row only; the day typed as text.
	raw := fill(t, map[string]any{"C6": 100, "D6": 80, "E7": "2026/3/1", "I6": 80, "I7": 41, "B6": "居民代表推荐", "B7": "居民代表推荐"})
	got, bad, err := recxls.Read(bytes.NewReader(raw), people, "2026-03-10", days)
	if err != nil || bad.Total > 0 {
		t.Fatalf("read: %v %+v", err, bad.List)
	}
	if len(got) != 1 || got[0].Committee != org.ResidentsCommittee || got[0].Kind != slate.DelegatesKind || got[0].Expected != 100 ||
		got[0].Present != 80 || got[0].Day != "2026-03-01" || len(got[0].Votes) != 2 || got[0].Votes[1] != (slate.Vote{AspirantID: 12, Post: vetting.CommitteeMember, Votes: 41}) {
		t.Fatalf("read back %+v", got)
	}
}

// Every bad row is reported, in Chinese, and nothing is returned.
func TestReadRefusesEveryBadRow(t *testing.T) {
	raw := fill(t, map[string]any{
		// party 党员推荐 (row 2): votes over 实参加.
		"C2": 30, "D2": 20, "E2": "2026-03-01", "I2": 21,
		// residents 党员推荐 (rows 4, 5): 实参加 over 应参加 on one row, a differing day on the next.
		"C4": 10, "D4": 11, "E4": "2026-03-02", "I4": 5, "E5": "2026-03-03", "I5": 3,
		// residents 群众推荐 (rows 6, 7): a name that does not match its id, votes not a number.
		"C6": 50, "D6": 40, "E6": "2026-03-02", "G6": "张三", "I6": 5, "I7": "多",
		// an added row: a barred aspirant, and one twice for the same post.
		"A8": "居民委员会", "B8": "群众推荐", "F8": 13, "G8": "赵刚", "H8": "委员", "I8": 1,
		"A9": "居民委员会", "B9": "群众推荐", "F9": 12, "H9": "副主任", "I9": 2,
		"A10": "居民委员会", "B10": "群众推荐", "F10": 12, "H10": "副主任", "I10": 3,
	})
	got, bad, err := recxls.Read(bytes.NewReader(raw), people, "2026-03-10", days)
	if err != nil || got != nil {
		t.Fatalf("read: %v, %d recommendations", err, len(got))
	}
	want := map[int]string{2: "得票数", 4: "实参加人数", 5: "推荐日期", 6: "姓名", 7: "得票数", 8: "编号", 10: "职务"}
	seen := map[int]bool{}
	for _, e := range bad.List {
		if w, ok := want[e.Row]; !ok || !strings.HasPrefix(e.Column, w) {
			t.Errorf("row %d: error on %q (%s), want on %q", e.Row, e.Column, e.Reason, want[e.Row])
		}
		seen[e.Row] = true
	}
	for row := range want {
		if !seen[row] {
			t.Errorf("row %d not reported: %+v", row, bad.List)
		}
	}
	var out bytes.Buffer
	if err := recxls.Annotate(&out, raw, bad); err != nil {
		t.Fatalf("annotate: %v", err)
	}
}
