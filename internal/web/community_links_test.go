package web_test

import (
	"net/http"
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
