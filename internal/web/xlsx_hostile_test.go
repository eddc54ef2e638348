package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/xlsx/xlsxtest"
)

// templateHeader is the header row of the site's assessment template.
func templateHeader(t *testing.T, s *site, c *http.Client) []string {
	t.Helper()
	res, raw := s.call(c, "GET", "/classes/template.xlsx", nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("template: %d", res.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) == 0 {
		t.Fatalf("template rows: %v", err)
	}
	return rows[0]
}

// filledRow fills a template row for code: every score full, flags 否.
func filledRow(header []string, code string) []string {
	row := make([]string, len(header))
	for i, h := range header {
		switch {
		case strings.HasPrefix(h, "社区编码"):
			row[i] = code
		case strings.HasPrefix(h, "研判日期"):
			row[i] = "2026-01-10"
		case strings.HasPrefix(h, "研判组成员"):
			row[i] = "党群部:王强"
		case strings.Contains(h, "是/否"):
			row[i] = "否"
		case strings.HasSuffix(strings.TrimRight(h, "))"), "分"):
			row[i] = h[strings.LastIndex(h, "-")+1 : strings.LastIndex(h, "分")]
		}
	}
	return row
}

// TestImportRefusesSpreadsheetBomb: a 0.9 MB workbook of a few cells
// repeated in 1.15 million rows is refused by the assessment (classification)
// and review imports, page and API, in well under a second and under 100 MB
// of allocation per upload (the server used to unpack it and read it row by
// row: gigabytes, half a minute).
func TestImportRefusesSpreadsheetBomb(t *testing.T) {
	t.Parallel()
	bomb, err := xlsxtest.Bomb("研判表", []string{"社区编码", "研判日期"}, []string{"QS-01-001", "2026-01-10", "张三"}, 1_150_000, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin, reviewer := s.login("admin"), s.login("reviewer-mzj")
		for _, up := range []struct {
			c    *http.Client
			path string
		}{
			{admin, "/api/v1/assess/import"},
			{admin, "/classes/import"},
			{reviewer, "/api/v1/review-requests/import"},
			{reviewer, "/review/queue/import"},
		} {
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			start := time.Now()
			res, raw := s.postFile(up.c, up.path, nil, "file", "bomb.xlsx", bomb)
			took := time.Since(start)
			runtime.ReadMemStats(&m1)
			alloc := m1.TotalAlloc - m0.TotalAlloc
			t.Logf("%s: %d in %v, %d bytes allocated", up.path, res.StatusCode, took, alloc)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(raw), "文件过大") {
				t.Errorf("%s: %d %.300s", up.path, res.StatusCode, raw)
			}
			if alloc > 100<<20 {
				t.Errorf("%s: the bomb cost %d MB of allocation", up.path, alloc>>20)
			}
		}
	})
}

// TestImportListsAtMost1000Errors: 1,500 bad rows are answered with the
// first 1,000 errors and a count of the rest, in the JSON, on the page and
// in the annotated workbook (the list used to carry every error).
func TestImportListsAtMost1000Errors(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		header := templateHeader(t, s, admin)
		file, err := xlsxtest.Workbook("研判表", header, func(w io.Writer) error {
			for i := 0; i < 1500; i++ {
				if _, err := io.WriteString(w, xlsxtest.Row(i+2, filledRow(header, fmt.Sprintf("NOPE-%04d", i))...)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		res, raw := s.postFile(admin, "/api/v1/assess/import", nil, "file", "研判表.xlsx", file)
		var rep struct {
			Error    struct{ Message string }
			Rows     []struct{ Row int }
			Total    int `json:"total"`
			MoreRows int `json:"more_rows"`
		}
		if err := json.Unmarshal(raw, &rep); err != nil {
			t.Fatalf("%d %.300s", res.StatusCode, raw)
		}
		if res.StatusCode != http.StatusUnprocessableEntity || len(rep.Rows) != 1000 || rep.Total != 1500 || rep.MoreRows != 500 ||
			rep.Rows[999].Row != 1001 || !strings.Contains(rep.Error.Message, "另有 500 行有错误未列出") {
			t.Fatalf("API: %d, %d rows listed, total %d, more %d, %q", res.StatusCode, len(rep.Rows), rep.Total, rep.MoreRows, rep.Error.Message)
		}
		res, raw = s.postFile(admin, "/classes/import", nil, "file", "研判表.xlsx", file)
		page := string(raw)
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Count(page, `<td class="num">`) != 1000 ||
			!strings.Contains(page, "另有 500 行有错误未列出") || !strings.Contains(page, "annotated.xlsx") {
			t.Fatalf("page: %d, %d rows listed", res.StatusCode, strings.Count(page, `<td class="num">`))
		}
		link := page[strings.Index(page, "/classes/import/"):]
		link = link[:strings.Index(link, `"`)]
		res, raw = s.call(admin, "GET", link, nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("annotated: %d", res.StatusCode)
		}
		ann, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := ann.GetRows(ann.GetSheetName(0))
		note := func(r int) string { return rows[r-1][len(rows[r-1])-1] }
		if !strings.Contains(note(1), "另有 500 行有错误未列出") || !strings.Contains(note(1001), "不存在") || strings.Contains(note(1002), "不存在") {
			t.Fatalf("annotated: header %q, row 1001 %q, row 1002 %q", note(1), note(1001), note(1002))
		}
	})
}

// TestImportWithoutStylesAnnotates: a workbook without styles.xml (the part
// is optional; some generators leave it out) with a bad row is refused with
// its list and an annotated copy (the annotator used to panic on it).
func TestImportWithoutStylesAnnotates(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		header := templateHeader(t, s, admin)
		file, err := xlsxtest.Workbook("研判表", header, func(w io.Writer) error {
			_, err := io.WriteString(w, xlsxtest.Row(2, filledRow(header, "NOPE")...))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		res, raw := s.postFile(admin, "/classes/import", nil, "file", "研判表.xlsx", file)
		page := string(raw)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "不存在") || !strings.Contains(page, "annotated.xlsx") {
			t.Fatalf("page: %d %.500s", res.StatusCode, page)
		}
		link := page[strings.Index(page, "/classes/import/"):]
		link = link[:strings.Index(link, `"`)]
		res, raw = s.call(admin, "GET", link, nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("annotated: %d", res.StatusCode)
		}
		ann, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := ann.GetRows(ann.GetSheetName(0))
		if last := rows[1][len(rows[1])-1]; !strings.Contains(last, "不存在") {
			t.Fatalf("annotated row 2 says %q", last)
		}
	})
}
