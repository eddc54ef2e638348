package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/store"
)

// upload posts a workbook to path as multipart field "file".
func upload(t *testing.T, s *site, c *http.Client, path string, f *excelize.File) (*http.Response, []byte) {
	t.Helper()
	var wb bytes.Buffer
	if err := f.Write(&wb); err != nil {
		t.Fatal(err)
	}
	return s.postFile(c, path, nil, "file", "研判表.xlsx", wb.Bytes())
}

// A template with one bad row changes nothing and reports that row; the
// same file fixed applies in one transaction.
func TestImportAllOrNothing(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		res, raw := s.call(admin, "GET", "/classes/template.xlsx", nil, nil)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Fatalf("template: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		rows, _ := f.GetRows(sheet)
		header := rows[0]
		if len(rows) != 33 {
			t.Fatalf("template has %d rows, want a header and 32 communities", len(rows))
		}
		// Fill the first three communities: all points, no flag; the third gets a red flag.
		// Dated today, so that they are newer than the demo's assessments and become current.
		today := string(st.Today())
		for r := 2; r <= 4; r++ {
			for c, h := range header {
				cell, _ := excelize.CoordinatesToCellName(c+1, r)
				switch {
				case strings.HasPrefix(h, "研判日期"):
					f.SetCellValue(sheet, cell, today)
				case strings.HasPrefix(h, "研判组成员"):
					f.SetCellValue(sheet, cell, "党群部:王强、纪检监察:李娜")
				case strings.Contains(h, "分"):
					max := h[strings.LastIndex(h, "-")+1 : strings.LastIndex(h, "分")]
					f.SetCellValue(sheet, cell, max)
				case strings.HasPrefix(h, "群体上访不断") && r == 4:
					f.SetCellValue(sheet, cell, "是")
				case strings.Contains(h, "是/否"):
					f.SetCellValue(sheet, cell, "否")
				}
			}
		}
		codes := []string{rows[1][0], rows[2][0], rows[3][0]}
		var teamCol int
		for c, h := range header {
			if strings.HasPrefix(h, "班子团结、履职尽责") {
				teamCol = c + 1
			}
		}
		bad, _ := excelize.CoordinatesToCellName(teamCol, 3)
		f.SetCellValue(sheet, bad, 99)

		var before map[string]int
		s.getJSON(admin, "/api/v1/classes", &before)
		res, raw = upload(t, s, admin, "/api/v1/assess/import", f)
		var rep struct {
			Error struct{ Message string }
			Rows  []struct {
				Row    int
				Column string
				Reason string
			}
		}
		jsonInto(t, raw, &rep)
		if res.StatusCode != http.StatusUnprocessableEntity || len(rep.Rows) != 1 || rep.Rows[0].Row != 3 ||
			!strings.HasPrefix(rep.Rows[0].Column, "班子团结、履职尽责") || !strings.Contains(rep.Rows[0].Reason, "0到10") {
			t.Fatalf("bad file: %d %s", res.StatusCode, raw)
		}
		var hist struct{ History []any }
		s.getJSON(admin, "/api/v1/communities/"+codes[0]+"/assessment", &hist)
		if len(hist.History) != 1 {
			t.Fatalf("the refused file wrote an assessment: %d", len(hist.History))
		}
		// The page shows the same list and offers the annotated workbook.
		res, raw = upload(t, s, admin, "/classes/import", f)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(raw), "未导入任何数据") || !strings.Contains(string(raw), "annotated.xlsx") {
			t.Fatalf("import page with a bad file: %d", res.StatusCode)
		}
		link := string(raw)[strings.Index(string(raw), "/classes/import/"):]
		link = link[:strings.Index(link, `"`)]
		// Another account that may import cannot fetch it by its link.
		if res, _ := s.call(s.login("district1"), "GET", link, nil, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another account's annotated workbook: %d, want 404", res.StatusCode)
		}
		res, raw = s.call(admin, "GET", link, nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("annotated download: %d", res.StatusCode)
		}
		var downloads struct {
			Items []struct{ Actor, Label string }
		}
		s.getJSON(admin, "/api/v1/audit?action=import.annotated", &downloads)
		if len(downloads.Items) != 1 || downloads.Items[0].Actor != "admin" || downloads.Items[0].Label != "下载导入错误标注表" {
			t.Fatalf("annotated download audited: %+v", downloads.Items)
		}
		ann, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		annRows, _ := ann.GetRows(ann.GetSheetName(0))
		if last := annRows[2][len(annRows[2])-1]; !strings.Contains(last, "0到10") {
			t.Fatalf("annotated row 3 says %q", last)
		}

		f.SetCellValue(sheet, bad, 10)
		res, raw = upload(t, s, admin, "/api/v1/assess/import", f)
		if res.StatusCode != 200 || !strings.Contains(string(raw), `"applied":3`) {
			t.Fatalf("fixed file: %d %s", res.StatusCode, raw)
		}
		var list struct{ Items []communityItem }
		s.getJSON(admin, "/api/v1/communities", &list)
		got := map[string]string{}
		for _, c := range list.Items {
			got[c.Code] = c.Class
		}
		if got[codes[0]] != "A" || got[codes[1]] != "A" || got[codes[2]] != "C" {
			t.Fatalf("classes after import: %s %s %s", got[codes[0]], got[codes[1]], got[codes[2]])
		}
		var log struct{ Items []struct{ Action string } }
		s.getJSON(admin, "/api/v1/audit?action=assess.import&limit=5", &log)
		if len(log.Items) == 0 {
			t.Fatal("the import is not in the audit log")
		}

		// A district account cannot import into another district's communities.
		s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "west", "role": "district", "scope": "QS-02",
			"password": "a long password"}, nil)
		west := s.client()
		s.call(west, "POST", "/api/v1/login", map[string]string{"username": "west", "password": "a long password"}, nil)
		res, raw = upload(t, s, west, "/api/v1/assess/import", f)
		jsonInto(t, raw, &rep)
		if res.StatusCode != http.StatusUnprocessableEntity || len(rep.Rows) != 3 {
			t.Fatalf("district import outside its scope: %d %s", res.StatusCode, raw)
		}
	})
}

func TestClassExport(t *testing.T) {
	t.Parallel()
	s := plainDemo.open(t, store.SQLite)
	res, raw := s.call(s.login("leader"), "GET", "/classes/export.xlsx", nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("export: %d", res.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) != 33 || !strings.Contains(strings.Join(rows[0], ","), "预警") || !strings.Contains(strings.Join(rows[0], ","), "责任人") {
		t.Fatalf("export has %d rows, header %v", len(rows), rows[0])
	}
	var log struct{ Items []struct{ Actor string } }
	s.getJSON(s.login("admin"), "/api/v1/audit?action=export.classes", &log)
	if len(log.Items) != 1 || log.Items[0].Actor != "leader" {
		t.Fatalf("export audit %+v", log.Items)
	}
}
