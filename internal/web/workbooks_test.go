package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/web"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The workbooks the platform writes, made once from the whole demo zone
// for the tests that read them all: TestWorkbooksThroughLibreOffice and
// TestWorkbooksSpeakChinese.

// workbook is one workbook for LibreOffice and what it must keep.
type workbook struct {
	raw       []byte
	dates     bool // it holds date cells
	annotated bool // it carries an error column
}

// everyWorkbook serves the whole demo zone with its archive on SQLite and
// fetches every workbook the platform writes, by a file name of plain ASCII
// (LibreOffice's Basic reads the names): each export, the archive's index,
// the assessment template as it comes and filled in, and the annotated
// workbooks of a refused assessment import and a refused queue import.
func everyWorkbook(t *testing.T) (*site, map[string]workbook) {
	t.Helper()
	ctx := context.Background()
	s := fullDemo.open(t, store.SQLite)
	st := s.st
	if err := demo.LoadArchive(ctx, st, s.files, demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)); err != nil {
		t.Fatal(err)
	}
	admin := s.login("admin")
	get := func(c *http.Client, path string) []byte {
		t.Helper()
		res, raw := s.call(c, "GET", path, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %.300s", path, res.StatusCode, raw)
		}
		return raw
	}
	books := map[string]workbook{}

	// A department's queue with requests: one aspirant registered and sent to a round.
	zone := st.Zone(store.System)
	err := zone.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ImportAspirants(ctx, []vetting.Aspirant{{OrgCode: "QS-01-001", Name: "表格测试", IDNumber: reviewTestID(90),
			Phone: "13912345678", Party: vetting.Masses, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember,
			Education: vetting.Bachelor}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	today := st.Today()
	res, body := s.call(admin, "POST", "/api/v1/review-rounds", map[string]string{"kind": "first", "doc_no": "开发区换届办〔2026〕9号",
		"date": string(today), "deadline": string(today.AddDays(10))}, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("start round: %d %s", res.StatusCode, body)
	}
	reviewer := s.login("reviewer-gaj")

	// Every export.
	committee, discipline := s.login("committee"), s.login("discipline")
	for name, e := range map[string]struct {
		c     *http.Client
		path  string
		dates bool
	}{
		"classes.xlsx":            {admin, "/classes/export.xlsx", false},
		"aspirants.xlsx":          {admin, "/aspirants.xlsx", false},
		"queue.xlsx":              {reviewer, "/review/queue.xlsx", true},
		"progress.xlsx":           {admin, "/progress.xlsx", true},
		"ledger.xlsx":             {admin, "/ledger/export", true},
		"community-ledger.xlsx":   {admin, "/communities/QS-01-001/ledger/export", true},
		"users.xlsx":              {admin, "/users.xlsx", true},
		"tips.xlsx":               {discipline, "/tips.xlsx", true},
		"cases.xlsx":              {discipline, "/cases.xlsx", false},
		"outcomes.xlsx":           {admin, "/cases.xlsx", true},
		"decisions.xlsx":          {committee, "/second-review/decisions.xlsx", true},
		"recommend-template.xlsx": {admin, "/communities/QS-01-001/recommendations/template.xlsx", false},
		"board.xlsx":              {admin, "/communities/QS-01-001/board.xlsx", false},
		"targets.xlsx":            {admin, "/targets.xlsx?all=1", false},
		"voters.xlsx":             {admin, "/communities/QS-01-001/voters.xlsx", false},
		"voters-template.xlsx":    {admin, "/communities/QS-01-001/voters/template.xlsx", false},
		"party-template.xlsx":     {admin, "/communities/QS-01-001/party-members/template.xlsx", false},
		"proxies.xlsx":            {admin, "/communities/QS-01-001/proxies.xlsx", true},
		"statistics.xlsx":         {admin, "/results/statistics.xlsx", false},
	} {
		books[name] = workbook{raw: get(e.c, e.path), dates: e.dates}
	}
	// The reports of the demo's ballots, filed into the archive as the app
	// files them after the load (and the confirm handler when a count is
	// confirmed): a residents' ballot's, with its stations.
	if _, err := web.FileReports(ctx, st, zone, s.files); err != nil {
		t.Fatal(err)
	}
	ballots, err := zone.Ballots(ctx, "QS-02-003")
	if err != nil || len(ballots) != 2 {
		t.Fatalf("ballots of QS-02-003: %d %v", len(ballots), err)
	}
	var report struct {
		File struct {
			SHA256 string `json:"sha256"`
		} `json:"file"`
	}
	s.getJSON(admin, fmt.Sprintf("/api/v1/ballots/%d/report", ballots[1].ID), &report)
	books["ballot-report.xlsx"] = workbook{raw: get(admin, "/api/v1/archive/"+report.File.SHA256), dates: true}
	// Its void decision, filed beside it when the confirmed ballot is declared void.
	if res, raw := s.call(admin, "POST", fmt.Sprintf("/api/v1/ballots/%d/void", ballots[1].ID), map[string]string{"reason": "上级认定程序违法"}, nil); res.StatusCode != http.StatusOK {
		t.Fatalf("void the ballot: %d %s", res.StatusCode, raw)
	}
	var voided struct {
		Note struct {
			SHA256 string `json:"sha256"`
		} `json:"void_note"`
	}
	s.getJSON(admin, fmt.Sprintf("/api/v1/ballots/%d/report", ballots[1].ID), &voided)
	books["ballot-void.xlsx"] = workbook{raw: get(admin, "/api/v1/archive/"+voided.Note.SHA256), dates: true}
	// The archive's index, inside its zip.
	raw := get(admin, "/communities/QS-01-002/archive.zip")
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range zr.File {
		if strings.HasSuffix(e.Name, ".xlsx") {
			r, _ := e.Open()
			b, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			books["archive-index.xlsx"] = workbook{raw: b, dates: true}
		}
	}

	// The assessment template, as it comes and filled in with a date typed as a date.
	template := get(admin, "/classes/template.xlsx")
	books["template.xlsx"] = workbook{raw: template}
	books["filled.xlsx"] = workbook{raw: fillTemplate(t, template, today, false), dates: true}

	// The annotated workbooks of a refused assessment import and a refused queue import.
	annotated := func(c *http.Client, path string, upload []byte) []byte {
		t.Helper()
		res, body := s.postFile(c, path, nil, "file", "上传.xlsx", upload)
		link := regexp.MustCompile(`/[a-z/]+/[0-9a-f]+/annotated\.xlsx`).Find(body)
		if res.StatusCode != http.StatusUnprocessableEntity || link == nil {
			t.Fatalf("POST %s: %d, no annotated workbook offered: %s", path, res.StatusCode, regexp.MustCompile(`(?s)<main.*</main>`).Find(body))
		}
		return get(c, string(link))
	}
	books["assess-annotated.xlsx"] = workbook{raw: annotated(admin, "/classes/import", fillTemplate(t, template, today, true)),
		dates: true, annotated: true}
	queue, err := excelize.OpenReader(bytes.NewReader(books["queue.xlsx"].raw))
	if err != nil {
		t.Fatal(err)
	}
	heads, _ := queue.GetRows(queue.GetSheetName(0))
	// Findings under a condition that is none: the error names what was typed.
	for key, v := range map[string]string{"结论": "有问题", "问题情形": "打架斗殴"} {
		cell, _ := excelize.CoordinatesToCellName(slices.IndexFunc(heads[0], func(h string) bool { return strings.HasPrefix(h, key) })+1, 2)
		queue.SetCellValue(queue.GetSheetName(0), cell, v)
	}
	var bad bytes.Buffer
	if _, err := queue.WriteTo(&bad); err != nil {
		t.Fatal(err)
	}
	books["queue-annotated.xlsx"] = workbook{raw: annotated(reviewer, "/review/queue/import", bad.Bytes()), dates: true, annotated: true}
	// A voter register with a minor and a kind not one of the three.
	voters, err := excelize.OpenReader(bytes.NewReader(books["voters-template.xlsx"].raw))
	if err != nil {
		t.Fatal(err)
	}
	voters.SetSheetRow("选民名单", "A2", &[]any{"表格小孩", "男", "2015-01-01", "一组", "户籍在本社区并居住"})
	voters.SetSheetRow("选民名单", "A3", &[]any{"表格外人", "女", "1980-01-01", "", "外来"})
	var badVoters bytes.Buffer
	if _, err := voters.WriteTo(&badVoters); err != nil {
		t.Fatal(err)
	}
	books["voters-annotated.xlsx"] = workbook{raw: annotated(admin, "/communities/QS-01-003/voters/import", badVoters.Bytes()), annotated: true}
	return s, books
}

// fillTemplate fills the first community's row of the assessment template,
// its date as a date cell; bad puts a score out of range and blanks an
// indicator's header.
func fillTemplate(t *testing.T, template []byte, day civil.Date, bad bool) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	fillAssessment(f, 2, string(day), "否")
	rows, _ := f.GetRows(sheet)
	style, err := xlsx.DateStyle(f, nil, xlsx.DayFormat)
	if err != nil {
		t.Fatal(err)
	}
	for c, h := range rows[0] {
		cell, _ := excelize.CoordinatesToCellName(c+1, 2)
		switch {
		case strings.HasPrefix(h, "研判日期"):
			d, _ := time.Parse(civil.Layout, string(day))
			f.SetCellValue(sheet, cell, d)
			f.SetCellStyle(sheet, cell, cell, style)
		case bad && strings.HasPrefix(h, "班子团结、履职尽责"):
			f.SetCellValue(sheet, cell, 99) // out of 10
		case bad && strings.HasPrefix(h, "书记威信和驾驭能力"):
			head, _ := excelize.CoordinatesToCellName(c+1, 1)
			f.SetCellValue(sheet, head, "") // a column missing: an error of the header
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Users see Chinese only in workbooks too, as on pages (visible_text_test.go):
// no internal code and no English word in any workbook the platform writes,
// neither in a cell nor in a sheet's name, a drop-down list or a message of
// its data validation, nor in a comment. The rule is the pages' (latinIn),
// with the accounts' usernames allowed as the users list shows them.
func TestWorkbooksSpeakChinese(t *testing.T) {
	t.Parallel()
	s, books := everyWorkbook(t)
	usernames := func(w string) bool { _, ok := s.accounts[w]; return ok }
	for _, name := range slices.Sorted(maps.Keys(books)) {
		for _, found := range workbookLatin(t, name, books[name].raw, usernames) {
			t.Errorf("%s: %s", name, found)
		}
	}
}

// workbookLatin lists what a user would read in Latin letters in a
// workbook, each with where it is.
func workbookLatin(t *testing.T, name string, raw []byte, also func(string) bool) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer f.Close()
	var out []string
	check := func(where, text string) {
		if w := latinIn(text, also); w != nil {
			out = append(out, fmt.Sprintf("%s %q: %q", where, text, w))
		}
	}
	for _, sheet := range f.GetSheetList() {
		check("sheet name", sheet)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("%s, sheet %s: %v", name, sheet, err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				check(sheet+"!"+cell, v)
			}
		}
		dvs, err := f.GetDataValidations(sheet)
		if err != nil {
			t.Fatalf("%s, sheet %s: %v", name, sheet, err)
		}
		for _, dv := range dvs {
			where := sheet + "!" + dv.Sqref + " data validation"
			for _, s := range []*string{dv.ErrorTitle, dv.Error, dv.PromptTitle, dv.Prompt} {
				if s != nil {
					check(where, *s)
				}
			}
			// A list typed in (in quotes) is what its drop-down shows; a
			// list from a range of cells is read with the cells.
			if dv.Type == "list" && strings.HasPrefix(dv.Formula1, `"`) {
				check(where+" list", dv.Formula1)
			}
		}
		comments, err := f.GetComments(sheet)
		if err != nil {
			t.Fatalf("%s, sheet %s: %v", name, sheet, err)
		}
		for _, c := range comments {
			text := c.Text
			for _, p := range c.Paragraph {
				text += p.Text
			}
			check(sheet+"!"+c.Cell+" comment", text)
		}
	}
	return out
}
