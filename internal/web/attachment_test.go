package web_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
)

// postAssessment sends the assessment form with full marks and one file.
func postAssessment(t *testing.T, s *site, c *http.Client, code, fileName string, file []byte) (*http.Response, []byte) {
	t.Helper()
	fields := map[string]string{"assessed_on": "2026-01-05", "assessors[0].unit": "党群部", "assessors[0].name": "王强"}
	for _, ind := range assess.DefaultRubric() {
		if ind.Kind == assess.Score {
			fields[ind.Code] = itoa(int64(ind.Max))
		}
	}
	return s.postFile(c, "/communities/"+code+"/assessments", fields, "attachments", fileName, file)
}

func TestAssessmentAttachments(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		minutes := []byte("%PDF-1.7\n走访记录\n%%EOF\n")
		res, _ := postAssessment(t, s, admin, "QS-02-003", "走访记录.pdf", minutes)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assessment with attachment: %d", res.StatusCode)
		}
		_, page := s.call(admin, "GET", "/communities/QS-02-003/assessment", nil, nil)
		link := regexp.MustCompile(`/attachments/[0-9a-f]{64}`).Find(page)
		if link == nil || !strings.Contains(string(page), "走访记录.pdf") {
			t.Fatal("the history does not link the attachment")
		}
		res, got := s.call(admin, "GET", string(link), nil, nil)
		if res.StatusCode != 200 || !bytes.Equal(got, minutes) || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("download: %d %q %s", res.StatusCode, got, res.Header.Get("Content-Type"))
		}
		// Another community's account cannot fetch it, and cannot tell it exists.
		res, _ = s.call(s.login("community1"), "GET", string(link), nil, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("community account outside scope: %d", res.StatusCode)
		}
		var log struct{ Items []struct{ Actor string } }
		s.getJSON(admin, "/api/v1/audit?action=file.download", &log)
		if len(log.Items) != 1 {
			t.Fatalf("downloads audited: %d", len(log.Items))
		}

		// The API attaches a photo to the same assessment.
		var a struct {
			History []struct {
				ID int64 `json:"id"`
			} `json:"history"`
		}
		s.getJSON(admin, "/api/v1/communities/QS-02-003/assessment", &a)
		res, raw := s.postFile(admin, "/api/v1/assessments/"+itoa(a.History[0].ID)+"/attachments", nil, "file", "现场.png",
			append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 40)...))
		if res.StatusCode != http.StatusCreated || !strings.Contains(string(raw), `"type":"image/png"`) {
			t.Fatalf("API attach: %d %s", res.StatusCode, raw)
		}

		// A program renamed to .jpg is refused and the assessment is not saved.
		var hist struct{ History []any }
		s.getJSON(admin, "/api/v1/communities/QS-02-004/assessment", &hist)
		before := len(hist.History)
		res, page = postAssessment(t, s, admin, "QS-02-004", "现场照片.jpg", append([]byte("MZ\x90\x00\x03"), make([]byte, 200)...))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(page), "不能上传可执行程序") {
			t.Fatalf("renamed program: %d", res.StatusCode)
		}
		s.getJSON(admin, "/api/v1/communities/QS-02-004/assessment", &hist)
		if len(hist.History) != before {
			t.Fatal("a refused attachment still saved the assessment")
		}
	})
}
