package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
)

// fillAssessment fills row r of the template f for one community, dated
// day, every score at its maximum, and the veto flag weak ("是" or "否").
func fillAssessment(f *excelize.File, r int, day, weak string) {
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	for c, h := range rows[0] {
		cell, _ := excelize.CoordinatesToCellName(c+1, r)
		switch {
		case strings.HasPrefix(h, "研判日期"):
			f.SetCellValue(sheet, cell, day)
		case strings.HasPrefix(h, "研判组成员"):
			f.SetCellValue(sheet, cell, "党群部:王强")
		case strings.Contains(h, "分"):
			f.SetCellValue(sheet, cell, h[strings.LastIndex(h, "-")+1:strings.LastIndex(h, "分")])
		case strings.HasPrefix(h, "群体上访不断"):
			f.SetCellValue(sheet, cell, weak)
		case strings.Contains(h, "是/否"):
			f.SetCellValue(sheet, cell, "否")
		}
	}
}

// An assessment imported with a date before the community's current one is
// kept in its history but leaves the newer one current; one of the same day
// or later replaces it (issue 13, point 13).
func TestImportOlderAssessmentKeepsNewerStanding(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		template := func() *excelize.File {
			_, raw := s.call(admin, "GET", "/classes/template.xlsx", nil, nil)
			f, err := excelize.OpenReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		code := func(f *excelize.File) string { v, _ := f.GetCellValue(f.GetSheetName(0), "A2"); return v }
		class := func(c string) string {
			var list struct{ Items []communityItem }
			s.getJSON(admin, "/api/v1/communities", &list)
			for _, it := range list.Items {
				if it.Code == c {
					return it.Class
				}
			}
			t.Fatalf("no community %s", c)
			return ""
		}
		history := func(c string) int {
			var hist struct{ History []any }
			s.getJSON(admin, "/api/v1/communities/"+c+"/assessment", &hist)
			return len(hist.History)
		}
		importing := func(day, flag string) string {
			f := template()
			fillAssessment(f, 2, day, flag)
			res, raw := upload(t, s, admin, "/api/v1/assess/import", f)
			if res.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"applied":1`) {
				t.Fatalf("import of %s: %d %s", day, res.StatusCode, raw)
			}
			return code(f)
		}
		// The demo's assessments are dated up to today: one of today is the newest.
		today := string(st.Today())
		c := importing(today, "否")
		if got := class(c); got != "A" {
			t.Fatalf("after the assessment of today: class %s, want A", got)
		}
		n := history(c)
		importing(string(st.Today().AddDays(-5)), "是") // older, and would make it C
		if got := class(c); got != "A" {
			t.Errorf("an older assessment replaced the newer standing: class %s, want A", got)
		}
		if history(c) != n+1 {
			t.Errorf("the older assessment is not in the history: %d, want %d", history(c), n+1)
		}
		importing(today, "是") // the same day: the later entry wins
		if got := class(c); got != "C" {
			t.Errorf("an assessment of the same day did not replace the standing: class %s, want C", got)
		}
	})
}

// sheetXML is the first worksheet's XML of a workbook.
func sheetXML(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range zr.File {
		if e.Name == "xl/worksheets/sheet1.xml" {
			r, _ := e.Open()
			d, _ := io.ReadAll(r)
			r.Close()
			return string(d)
		}
	}
	t.Fatal("no first worksheet")
	return ""
}

// dateCell is the day a cell holds as a date serial shown as YYYY-MM-DD,
// "" when it holds text or anything else.
func dateCell(f *excelize.File, sheet, cell string) string {
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(sheet, cell)
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return ""
	}
	t, err := excelize.ExcelDateToTime(serial, false)
	if err != nil || t.Format(civil.Layout) != shown[:min(len(shown), 10)] {
		return ""
	}
	return shown
}

// checkProgressXLSX checks the progress export as spreadsheets see it: the
// header row and the code and name columns frozen, and community code's
// done stages as date cells, want of them (issue 13, point 13).
func checkProgressXLSX(t *testing.T, b []byte, code string, want int) {
	t.Helper()
	pane := regexp.MustCompile(`<pane [^>]*>`).FindString(sheetXML(t, b))
	for _, attr := range []string{`state="frozen"`, `ySplit="1"`, `xSplit="2"`, `topLeftCell="C2"`} {
		if !strings.Contains(pane, attr) {
			t.Errorf("progress export pane %q lacks %s", pane, attr)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	for r, row := range rows {
		if len(row) == 0 || row[0] != code {
			continue
		}
		dates := 0
		for c := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if dateCell(f, sheet, cell) != "" {
				dates++
			}
		}
		if dates != want {
			t.Errorf("%s has %d date cells, want %d: %q", code, dates, want, row)
		}
		return
	}
	t.Errorf("no row for %s", code)
}

// The aspirants export holds what the page lists under the same filter,
// every page of it, in the page's columns and order, with ID numbers masked
// as the page shows them, and it is audited (issue 13, point 5).
func TestAspirantsExport(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, aspirantsExport)
}

func aspirantsExport(t *testing.T, s *site) {
	admin := s.login("admin")
	var api struct {
		Items []struct {
			Name     string `json:"name"`
			IDNumber string `json:"id_number"`
			Status   string `json:"status"`
		}
		Total int
	}
	s.getJSON(admin, "/api/v1/aspirants?limit=1000", &api)
	if api.Total < 2 || len(api.Items) != api.Total {
		t.Fatalf("demo aspirants: %d of %d", len(api.Items), api.Total)
	}
	_, page := s.call(admin, "GET", "/aspirants", nil, nil)
	thead := string(page)[strings.Index(string(page), "<thead>"):]
	thead = thead[:strings.Index(thead, "</thead>")]
	var pageCols []string
	for _, m := range regexp.MustCompile(`<th[^>]*>([^<]*)</th>`).FindAllStringSubmatch(thead, -1) {
		pageCols = append(pageCols, m[1])
	}
	if !strings.Contains(string(page), `href="/aspirants.xlsx?`) {
		t.Error("the page does not offer the export")
	}

	check := func(query string, want int, status string) {
		t.Helper()
		res, raw := s.call(admin, "GET", "/aspirants.xlsx"+query, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("export%s: %d %s", query, res.StatusCode, raw)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if strings.Join(rows[0], ",") != strings.Join(pageCols, ",") {
			t.Errorf("export columns %q, page columns %q", rows[0], pageCols)
		}
		if len(rows)-1 != want {
			t.Fatalf("export%s has %d rows, want %d", query, len(rows)-1, want)
		}
		for i, r := range rows[1:] {
			if !strings.Contains(r[4], "*") || len(r[4]) != 18 {
				t.Errorf("row %d: ID number %q not masked", i+2, r[4])
			}
			if status != "" && r[7] != status {
				t.Errorf("row %d: status %q outside the filter %q", i+2, r[7], status)
			}
		}
		if query == "" {
			for i, a := range api.Items {
				if rows[i+1][0] != a.Name || rows[i+1][4] != a.IDNumber {
					t.Fatalf("row %d is %q, the list has %s %s", i+2, rows[i+1], a.Name, a.IDNumber)
				}
			}
		}
	}
	check("", api.Total, "")
	var filtered struct {
		Items []struct {
			StatusLabel string `json:"status_label"`
		}
		Total int
	}
	s.getJSON(admin, "/api/v1/aspirants?limit=1000&status="+api.Items[0].Status, &filtered)
	check("?status="+api.Items[0].Status, filtered.Total, filtered.Items[0].StatusLabel)

	var log struct {
		Items []struct{ Actor, Label string }
	}
	s.getJSON(admin, "/api/v1/audit?action=export.aspirants", &log)
	if len(log.Items) != 2 || log.Items[0].Actor != "admin" || log.Items[0].Label != "导出参选人名单" {
		t.Errorf("export audit %+v", log.Items)
	}
	check("?status=nonsense", 0, "") // as the page: a filter that matches no one lists no one
}
