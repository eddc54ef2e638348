package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
)

// TestStoredFileChangedOrGone: an archived file or an attachment changed
// or deleted on disk is refused with a Chinese message and 409, never sent
// with 200, and not audited as downloaded; the community's zip export is
// refused before it starts, listing every bad file (issue 12, finding 8).
func TestStoredFileChangedOrGone(t *testing.T) {
	t.Parallel()
	plainDemo.db.ForEach(t, func(t *testing.T, st *store.Store) {
		s, dir := archiveSite(t, st, 1<<20)
		d := s.login("district1")
		for _, f := range []struct{ cat, name, body string }{
			{"request", "换届请示.pdf", string(pdfBytes)},
			{"media", "现场.jpg", string(jpegBytes)},
			{"results", "选举结果报告单.pdf", string(pdfBytes) + "结果"},
		} {
			if res, raw := s.postFile(d, "/api/v1/communities/QS-01-002/archive", map[string]string{"category": f.cat},
				"file", f.name, []byte(f.body)); res.StatusCode != http.StatusCreated {
				t.Fatalf("upload %s: %d %s", f.name, res.StatusCode, raw)
			}
		}
		minutes := []byte("%PDF-1.7\n走访记录\n%%EOF\n")
		if res, _ := postAssessment(t, s, d, "QS-01-002", "走访记录.pdf", minutes); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assessment with attachment: %d", res.StatusCode)
		}
		path := func(sum string) string { return filepath.Join(dir, sum[:2], sum) }
		change := func(sum string) {
			p := path(sum)
			os.Chmod(p, 0o600)
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)-2] ^= 1 // same size, one bit off
			if err := os.WriteFile(p, raw, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		changed, gone, attachment := sumOf(pdfBytes), sumOf(jpegBytes), sumOf(minutes)
		change(changed)
		change(attachment)
		if err := os.Remove(path(gone)); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ path, want string }{
			{"/api/v1/archive/" + changed, "已被改动"},
			{"/archive/" + changed, "已被改动"},
			{"/api/v1/archive/" + gone, "丢失"},
			{"/attachments/" + attachment, "已被改动"},
		} {
			res, raw := s.call(d, "GET", c.path, nil, nil)
			if res.StatusCode != http.StatusConflict || !strings.Contains(string(raw), c.want) || strings.Contains(string(raw), "%PDF") {
				t.Errorf("GET %s: %d %.300s", c.path, res.StatusCode, raw)
			}
		}
		// The intact file still downloads.
		if res, _ := s.call(d, "GET", "/api/v1/archive/"+sumOf([]byte(string(pdfBytes)+"结果")), nil, nil); res.StatusCode != 200 {
			t.Fatalf("intact file: %d", res.StatusCode)
		}
		res, raw := s.call(d, "GET", "/communities/QS-01-002/archive.zip", nil, nil)
		if res.StatusCode != http.StatusConflict || res.Header.Get("Content-Type") == "application/zip" ||
			!strings.Contains(string(raw), "001 换届请示.pdf(已被改动)") || !strings.Contains(string(raw), "现场.jpg(已丢失)") ||
			strings.Contains(string(raw), "选举结果报告单") {
			t.Fatalf("export with bad files: %d %s %.600s", res.StatusCode, res.Header.Get("Content-Type"), raw)
		}
		var log struct{ Items []struct{ Action string } }
		s.getJSON(s.login("admin"), "/api/v1/audit?action=archive", &log)
		for _, e := range log.Items {
			if e.Action == "archive.export" {
				t.Error("a refused export was audited")
			}
		}
		downloads := 0
		for _, e := range log.Items {
			if e.Action == "archive.download" {
				downloads++
			}
		}
		if downloads != 1 {
			t.Errorf("downloads audited: %d, want the intact one only", downloads)
		}
	})
}
