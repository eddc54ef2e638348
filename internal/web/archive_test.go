package web_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/web"
)

// archiveSite serves st, a copy of plainDemo, as serve does, with a file
// store whose folder and limit the test knows.
func archiveSite(t testing.TB, st *store.Store, maxSize int64) (*site, string) {
	t.Helper()
	dir := t.TempDir()
	files, err := filestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	files.MaxSize = maxSize
	srv, err := web.New(st, nil, web.WithFiles(files))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	s := &site{t: t, st: st, srv: srv, ts: ts, accounts: map[string]demo.Account{}}
	for _, a := range plainDemo.zone.Accounts {
		s.accounts[a.Username] = a
	}
	return s, dir
}

// storedFiles lists the regular files under the store's folder.
func storedFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func sumOf(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

var (
	jpegBytes = append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte("选举大会现场"), 40)...)
	pdfBytes  = []byte("%PDF-1.7\n关于开展第十二届社区两委换届选举的请示\n%%EOF\n")
)

func TestArchiveUploadDownloadScope(t *testing.T) {
	t.Parallel()
	plainDemo.db.ForEach(t, func(t *testing.T, st *store.Store) {
		s, _ := archiveSite(t, st, 64<<10)
		admin, community := s.login("admin"), s.login("community1")

		// API upload to the community's own archive; the answer is the SHA-256.
		res, raw := s.postFile(community, "/api/v1/communities/QS-01-001/archive", map[string]string{"category": "选举大会材料"},
			"file", "大会 现场.jpg", jpegBytes)
		var up struct {
			SHA256 string `json:"sha256"`
			Items  []struct{ Kind, Category, Type string }
		}
		if res.StatusCode != http.StatusCreated || json.Unmarshal(raw, &up) != nil || up.SHA256 != sumOf(jpegBytes) ||
			up.Items[0].Kind != "图表" || up.Items[0].Category != "assembly" || up.Items[0].Type != "image/jpeg" {
			t.Fatalf("API upload: %d %s", res.StatusCode, raw)
		}
		res, got := s.call(community, "GET", "/api/v1/archive/"+up.SHA256, nil, nil)
		if res.StatusCode != 200 || !bytes.Equal(got, jpegBytes) || sumOf(got) != up.SHA256 || res.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("API download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename*=UTF-8''%E5%A4%A7%E4%BC%9A%20%E7%8E%B0%E5%9C%BA.jpg`) {
			t.Fatalf("Content-Disposition %q", cd)
		}

		// Page upload: the form, two files, a note; the page lists and links them.
		var body bytes.Buffer
		mw := newMultipart(&body, map[string]string{"category": "request", "note": "报街道党工委"},
			[2]string{"换届请示.pdf", string(pdfBytes)}, [2]string{"批复.txt", "同意QS-01-001社区开展换届选举。"})
		res, raw = s.postRaw(admin, "/communities/QS-01-001/archive", mw, &body)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/communities/QS-01-001/archive" {
			t.Fatalf("page upload: %d %s", res.StatusCode, raw)
		}
		_, page := s.call(admin, "GET", "/communities/QS-01-001/archive", nil, nil)
		// Refused, the form comes back with its note and the category marked (and nothing is filed: the count below).
		body.Reset()
		mw = newMultipart(&body, map[string]string{"category": "机密", "note": "报<街道>"}, [2]string{"请示.pdf", string(pdfBytes) + "x"})
		res, raw = s.postRaw(admin, "/communities/QS-01-001/archive", mw, &body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `value="报&lt;街道&gt;"`) ||
			!strings.Contains(string(raw), `<select name="category" required id="f-category" aria-invalid="true"`) {
			t.Errorf("page upload with an unknown category: %d %s", res.StatusCode, raw)
		}
		for _, want := range []string{`data-testid="notice">已归档 2 个文件。`, "换届请示与批复", "换届请示.pdf", "批复.txt", "报街道党工委", "选举大会材料", "大会 现场.jpg", "archive.zip"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("archive page lacks %q", want)
			}
		}
		link := regexp.MustCompile(`/archive/` + sumOf(pdfBytes)).Find(page)
		if link == nil {
			t.Fatal("the page does not link the PDF")
		}
		res, got = s.call(admin, "GET", string(link), nil, nil)
		if res.StatusCode != 200 || !bytes.Equal(got, pdfBytes) || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("page download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}

		// Another community's archive is refused to a community account, whichever way it asks.
		s.postFile(admin, "/api/v1/communities/QS-02-001/archive", map[string]string{"category": "ballots"}, "file", "计票单.jpg",
			append(append([]byte{}, jpegBytes...), "计票"...))
		other := sumOf(append(append([]byte{}, jpegBytes...), "计票"...))
		for _, p := range []string{"/api/v1/archive/" + other, "/archive/" + other, "/api/v1/communities/QS-02-001/archive",
			"/communities/QS-02-001/archive", "/communities/QS-02-001/archive.zip"} {
			if res, _ := s.call(community, "GET", p, nil, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("community1 GET %s: %d, want 404", p, res.StatusCode)
			}
		}
		res, raw = s.postFile(community, "/api/v1/communities/QS-02-001/archive", map[string]string{"category": "other"}, "file", "x.pdf", pdfBytes)
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		// The same bytes in both archives: each account downloads through its own entry.
		s.postFile(admin, "/api/v1/communities/QS-02-001/archive", map[string]string{"category": "other"}, "file", "抄送.pdf", pdfBytes)
		if res, _ := s.call(community, "GET", "/api/v1/archive/"+sumOf(pdfBytes), nil, nil); res.StatusCode != 200 {
			t.Fatalf("own entry of shared content: %d", res.StatusCode)
		}
		// The leader reads, does not upload.
		res, _ = s.postFile(s.login("leader"), "/api/v1/communities/QS-01-001/archive", map[string]string{"category": "other"}, "file", "a.pdf", pdfBytes)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("leader upload: %d", res.StatusCode)
		}

		// Downloads are audited, one entry each: 2 by community1 + 1 by admin so far.
		var log struct {
			Items []struct{ Actor, EntityID string }
		}
		s.getJSON(admin, "/api/v1/audit?action=archive.download", &log)
		if len(log.Items) != 3 {
			t.Fatalf("downloads audited: %d, want 3", len(log.Items))
		}

		// A program renamed to .jpg is refused with a Chinese message; nothing filed.
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 300)...)
		res, raw = s.postFile(community, "/api/v1/communities/QS-01-001/archive", map[string]string{"category": "media"}, "file", "现场照片.jpg", exe)
		wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable")
		// A PDF claiming to be a JPEG too.
		res, raw = s.postFile(community, "/api/v1/communities/QS-01-001/archive", map[string]string{"category": "media"}, "file", "照片.jpg", pdfBytes)
		wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable")
		res, raw = s.postFile(community, "/api/v1/communities/QS-01-001/archive", map[string]string{"category": "机密"}, "file", "a.pdf", pdfBytes)
		wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable")
		var list struct{ Count int }
		s.getJSON(community, "/api/v1/communities/QS-01-001/archive", &list)
		if list.Count != 3 {
			t.Fatalf("archive holds %d entries, want 3", list.Count)
		}
	})
}

func TestArchiveUploadOverLimit(t *testing.T) {
	t.Parallel()
	plainDemo.db.ForEach(t, func(t *testing.T, st *store.Store) {
		s, dir := archiveSite(t, st, 64<<10)
		c := s.login("community1")
		big := append(append([]byte{}, pdfBytes...), make([]byte, 1<<20)...) // 1 MiB over a 64 KiB limit
		res, raw := s.postFile(c, "/api/v1/communities/QS-01-001/archive", map[string]string{"category": "other"}, "file", "大文件.pdf", big)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !hasHan(string(raw)) || !strings.Contains(string(raw), "超过64 KB的上限") {
			t.Fatalf("over the limit: %d %s", res.StatusCode, raw)
		}
		if left := storedFiles(t, dir); len(left) != 0 {
			t.Fatalf("a refused upload left files in the store: %v", left)
		}
		// The page answers 413 with its message too.
		res, raw = s.postFile(c, "/communities/QS-01-001/archive", map[string]string{"category": "other"}, "file", "大文件.pdf", big)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), "上限") {
			t.Fatalf("page over the limit: %d", res.StatusCode)
		}
		if left := storedFiles(t, dir); len(left) != 0 {
			t.Fatalf("a refused upload left files in the store: %v", left)
		}
		// Just under the limit is fine.
		ok := append(append([]byte{}, pdfBytes...), make([]byte, 60<<10)...)
		if res, raw := s.postFile(c, "/api/v1/communities/QS-01-001/archive", map[string]string{"category": "other"}, "file", "a.pdf", ok); res.StatusCode != http.StatusCreated {
			t.Fatalf("under the limit: %d %s", res.StatusCode, raw)
		}
		if left := storedFiles(t, dir); len(left) != 1 {
			t.Fatalf("store holds %v, want the one file", left)
		}
	})
}

func TestArchiveExportZip(t *testing.T) {
	t.Parallel()
	plainDemo.db.ForEach(t, func(t *testing.T, st *store.Store) {
		s, _ := archiveSite(t, st, 1<<20)
		d := s.login("district1")
		for _, f := range []struct{ cat, name, body string }{
			{"results", "选举结果报告单.pdf", string(pdfBytes) + "结果"},
			{"request", "换届请示.pdf", string(pdfBytes)},
			{"media", "现场.jpg", string(jpegBytes)},
			{"media", "现场.jpg", string(jpegBytes) + "2"}, // same name twice: numbered apart
		} {
			if res, raw := s.postFile(d, "/api/v1/communities/QS-01-002/archive", map[string]string{"category": f.cat, "note": "说明" + f.cat},
				"file", f.name, []byte(f.body)); res.StatusCode != http.StatusCreated {
				t.Fatalf("upload %s: %d %s", f.name, res.StatusCode, raw)
			}
		}
		res, raw := s.call(d, "GET", "/communities/QS-01-002/archive.zip", nil, nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''QS-01-002_") {
			t.Fatalf("export: %d %v", res.StatusCode, res.Header)
		}
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		contents := map[string][]byte{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			contents[f.Name], _ = io.ReadAll(rc)
			rc.Close()
		}
		want := map[string]string{
			"01_换届请示与批复/001_换届请示.pdf":   string(pdfBytes),
			"06_选举结果报告/002_选举结果报告单.pdf": string(pdfBytes) + "结果",
			"09_影像资料/003_现场.jpg":        string(jpegBytes),
			"09_影像资料/004_现场.jpg":        string(jpegBytes) + "2",
		}
		for name, body := range want {
			if got, ok := contents[name]; !ok || string(got) != body {
				t.Errorf("zip entry %s: present %v, same bytes %v; entries %v", name, ok, string(got) == body, keys(contents))
			}
		}
		xl, err := excelize.OpenReader(bytes.NewReader(contents["00_档案目录.xlsx"]))
		if err != nil {
			t.Fatalf("index workbook: %v", err)
		}
		rows, err := xl.GetRows("档案目录")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "序号,分类,类型,文件名,大小,文件校验码,上传人,上传时间,说明" {
			t.Fatalf("index header %v", rows[0])
		}
		if len(rows) < 5 {
			t.Fatalf("index rows %d", len(rows))
		}
		r2 := rows[2]
		if r2[0] != "2" || r2[1] != "选举结果报告" || r2[2] != "文字" || r2[3] != "选举结果报告单.pdf" || r2[4] != itoa(int64(len(pdfBytes)+len("结果"))) ||
			r2[5] != sumOf([]byte(string(pdfBytes)+"结果")) || r2[6] != "district1" || r2[8] != "说明results" {
			t.Fatalf("index row %v", r2)
		}
		if dateCell(xl, "档案目录", "H3") == "" { // 上传时间: a date and time cell (issue 13, point 13)
			t.Errorf("上传时间 %q is not a date cell", r2[7])
		}
		if rows[3][2] != "图表" || rows[4][0] != "4" {
			t.Fatalf("index rows %v", rows[3:5])
		}
		var log struct {
			Items []struct {
				EntityID string `json:"entity_id"`
			}
		}
		s.getJSON(s.login("admin"), "/api/v1/audit?action=archive.export", &log)
		if len(log.Items) != 1 || log.Items[0].EntityID != "QS-01-002" {
			t.Fatalf("export audited: %+v", log.Items)
		}
	})
}

// newMultipart writes fields and then files (name, content) as field "file".
func newMultipart(body *bytes.Buffer, fields map[string]string, files ...[2]string) *multipart.Writer {
	mw := multipart.NewWriter(body)
	for _, k := range []string{"category", "note"} {
		if v, ok := fields[k]; ok {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		part, _ := mw.CreateFormFile("file", f[0])
		part.Write([]byte(f[1]))
	}
	mw.Close()
	return mw
}

func (s *site) postRaw(c *http.Client, path string, mw *multipart.Writer, body io.Reader) (*http.Response, []byte) {
	s.t.Helper()
	req, err := http.NewRequest("POST", s.ts.URL+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, raw
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
