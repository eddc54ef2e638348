package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// A community's page links to what its account may open about it, and only that.
func TestCommunityPageLinks(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		for user, want := range map[string][]string{
			"community1": {"/assessment", "/plans", "/progress", "/ledger", "/archive", "/aspirants?community="},
			"police":     {"/aspirants?community="},
		} {
			res, body := s.call(s.login(user), "GET", "/orgs/QS-01-001", nil, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", user, res.StatusCode)
			}
			page := string(body)
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("%s's page of QS-01-001 lacks a link to %s", user, w)
				}
			}
			if user == "police" && strings.Contains(page, "/communities/QS-01-001/ledger") {
				t.Errorf("police is shown the ledger link it may not open")
			}
		}
	})
}

// Every link a community's page shows opens for its reader, and every one
// it leaves out does not (the links' permissions come from the route table).
func TestCommunityPageLinksOpen(t *testing.T) {
	t.Parallel()
	all := []string{"/communities/QS-01-001/assessment", "/communities/QS-01-001/plans", "/communities/QS-01-001/progress",
		"/communities/QS-01-001/results", "/communities/QS-01-001/ledger", "/communities/QS-01-001/archive",
		"/aspirants?community=QS-01-001", "/communities/QS-01-001/electorate", "/communities/QS-01-001/ballots",
		"/communities/QS-01-001/visits"}
	bar := regexp.MustCompile(`(?s)data-testid="community-links">(.*?)</p>`)
	href := regexp.MustCompile(`href="([^"]+)"`)
	plainDemo.each(t, func(t *testing.T, s *site) {
		for _, user := range []string{"admin", "community1", "police", "leader"} {
			c := s.login(user)
			_, body := s.call(c, "GET", "/orgs/QS-01-001", nil, nil)
			shown := map[string]bool{}
			if m := bar.FindSubmatch(body); m != nil {
				for _, h := range href.FindAllSubmatch(m[1], -1) {
					shown[string(h[1])] = true
				}
			}
			if user == "admin" && len(shown) != len(all) {
				t.Errorf("admin is shown %d of the %d links", len(shown), len(all))
			}
			for _, p := range all {
				res, _ := s.call(c, "GET", p, nil, nil)
				if opens := res.StatusCode == http.StatusOK; opens != shown[p] {
					t.Errorf("%s: %s answers %d, shown on the page: %v", user, p, res.StatusCode, shown[p])
				}
			}
		}
	})
}
