package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The audit page names every act in Chinese, pages back through the log
// with its own link, and shows a scoped office only the entries about its
// subtree.
func TestAuditPage(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/users", map[string]string{"username": "office2", "role": "admin",
			"scope": "QS-02", "password": "a long enough password"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("scoped office: %d %s", res.StatusCode, body)
		}
		s.accounts["office2"] = demo.Account{Username: "office2", Password: "a long enough password"}

		// Paging: the link to older entries opens the next page, not the first again.
		_, page := s.call(admin, "GET", "/audit?limit=3", nil, nil)
		first := seqs(string(page))
		link := regexp.MustCompile(`href="([^"]*)" data-testid="older"`).FindStringSubmatch(string(page))
		if len(first) != 3 || link == nil {
			t.Fatalf("first page %v, link %v", first, link)
		}
		href := strings.ReplaceAll(link[1], "&amp;", "&")
		res, page = s.call(admin, "GET", href, nil, nil)
		second := seqs(string(page))
		if res.StatusCode != 200 || len(second) != 3 || second[0] != first[2]-1 {
			t.Fatalf("older page at %s: %d, seqs %v after %v", href, res.StatusCode, second, first)
		}
		// Chinese, not codes: no action code or raw JSON in the visible table.
		_, page = s.call(admin, "GET", "/audit?limit=200", nil, nil)
		table := string(page)[strings.Index(string(page), `data-testid="audit"`):]
		for _, code := range []string{"org.import", "user.add", "login", `{"`} {
			if strings.Contains(table, ">"+code) || strings.Contains(table, code+"<") || strings.Contains(table, `{&#34;`) {
				t.Errorf("the audit table shows %q", code)
			}
		}
		if !strings.Contains(table, "新建账号") || !strings.Contains(table, "角色") {
			t.Fatalf("labels missing:\n%.2000s", table)
		}

		// A scoped office reads only the entries about its district.
		office := s.login("office2")
		var log struct {
			Items []struct {
				Seq      int64  `json:"id"`
				Label    string `json:"label"`
				UnitPath string `json:"unit_path"`
			} `json:"items"`
		}
		s.getJSON(office, "/api/v1/audit?limit=500", &log)
		if len(log.Items) == 0 {
			t.Fatal("the district's office reads no entry")
		}
		for _, e := range log.Items {
			if !strings.HasPrefix(e.UnitPath, "/QS/QS-02/") {
				t.Fatalf("entry %d (%s) about %s shown to the office of QS-02", e.Seq, e.Label, e.UnitPath)
			}
		}
		var all struct {
			Items []struct {
				UnitPath string `json:"unit_path"`
			}
		}
		s.getJSON(admin, "/api/v1/audit?limit=500", &all)
		if len(all.Items) <= len(log.Items) {
			t.Fatalf("the zone office reads %d entries, the district's %d", len(all.Items), len(log.Items))
		}
	})
}

var seqPattern = regexp.MustCompile(`data-seq="(\d+)"`)

func seqs(page string) []int64 {
	var out []int64
	for _, m := range seqPattern.FindAllStringSubmatch(page, -1) {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, n)
	}
	return out
}
