package web_test

import (
	"context"
	"database/sql"
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
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
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

// The audit page says what the server's last automatic check found: a
// record changed in the database behind the platform's back is named to a
// zone-wide office, and a district's office learns that there is a problem
// without reading about records outside its subtree.
func TestAuditPageShowsTheServersLastCheck(t *testing.T) {
	t.Parallel()
	forEachRaw(t, fullDemo.db, func(t *testing.T, st *store.Store, raw *sql.DB) {
		testdb.Tampers(t)
		s := serve(t, st, fullDemo.zone)
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/users", map[string]string{"username": "office2", "role": "admin",
			"scope": "QS-02", "password": "a long enough password"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("scoped office: %d %s", res.StatusCode, body)
		}
		s.accounts["office2"] = demo.Account{Username: "office2", Password: "a long enough password"}
		office := s.login("office2")
		type check struct {
			LastCheck *struct {
				OK      bool   `json:"ok"`
				Problem string `json:"problem"`
			} `json:"last_check"`
		}
		var c check
		if s.getJSON(admin, "/api/v1/audit?limit=1", &c); c.LastCheck != nil {
			t.Fatalf("a check reported before the server ran one: %+v", c.LastCheck)
		}
		ctx := context.Background()
		if r, err := st.CheckNow(ctx); err != nil || !r.OK() {
			t.Fatalf("check of an untouched log: %v %v", r, err)
		}
		if _, page := s.call(admin, "GET", "/audit", nil, nil); !strings.Contains(string(page), "自动核对整条日志和受保护的记录:一致") {
			t.Fatalf("the page does not show the passed check:\n%.1500s", page)
		}

		var id string
		if err := raw.QueryRow(`SELECT CAST(MIN(id) AS TEXT) FROM aspirants`).Scan(&id); err != nil || id == "" {
			t.Fatalf("no aspirant: %v", err)
		}
		if _, err := raw.Exec(`UPDATE aspirants SET name = name || '改' WHERE id = ` + id); err != nil {
			t.Fatal(err)
		}
		if r, err := st.CheckNow(ctx); err != nil || r.OK() {
			t.Fatalf("the check missed a changed record: %v", err)
		}
		if s.getJSON(admin, "/api/v1/audit?limit=1", &c); c.LastCheck == nil || c.LastCheck.OK || !strings.Contains(c.LastCheck.Problem, "参选人 第 "+id+" 号") {
			t.Fatalf("the zone office reads %+v", c.LastCheck)
		}
		_, page := s.call(admin, "GET", "/audit", nil, nil)
		if !strings.Contains(string(page), `role="alert" data-testid="last-check"`) || !strings.Contains(string(page), "参选人 第 "+id+" 号") {
			t.Fatalf("the page does not show the problem:\n%.1500s", page)
		}
		var d check
		if s.getJSON(office, "/api/v1/audit?limit=1", &d); d.LastCheck == nil || d.LastCheck.OK || d.LastCheck.Problem != "" {
			t.Fatalf("the district's office reads %+v", d.LastCheck)
		}
	})
}
