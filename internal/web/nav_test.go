package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	navBlock = regexp.MustCompile(`(?s)<nav class="nav" aria-label="主导航">(.*?)</nav>`)
	navLink  = regexp.MustCompile(`<a href="([^"]+)"( class="active" aria-current="page")?>`)
	whoBlock = regexp.MustCompile(`data-testid="current-user">([^<]*)<small>`)
)

// whoOf is the name the page's top bar says is signed in, and whether the
// bar has the search box.
func whoOf(t *testing.T, page string) (name string, search bool) {
	t.Helper()
	m := whoBlock.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page does not say who is signed in")
	}
	return m[1], strings.Contains(page, `<form class="top-search"`)
}

// navOf is the navigation bar's links of a page and those marked current.
func navOf(t *testing.T, page string) (links, current []string) {
	t.Helper()
	m := navBlock.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no navigation bar")
	}
	for _, l := range navLink.FindAllStringSubmatch(m[1], -1) {
		links = append(links, l[1])
		if l[2] != "" {
			current = append(current, l[1])
		}
	}
	return links, current
}

// The top bar is printed once for each reader and set of links and kept
// (topBar): each account still sees its own links, the current page's
// marked, its own name and the search box only with the search page's
// link, however the requests of several accounts and pages interleave.
func TestNavigationBarPerAccountAndPage(t *testing.T) {
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin, district, dept := s.login("admin"), s.login("district1"), s.login("reviewer-gaj")
		for range 2 { // the second round is served from what the first kept
			links, current := navOf(t, s.page(admin, "/classes"))
			if !slices.Contains(links, "/classes") || !slices.Contains(links, "/users") || !slices.Equal(current, []string{"/classes"}) {
				t.Errorf("admin on /classes: links %q, current %q", links, current)
			}
			// The same page, fewer links: a district's office manages no users.
			links, current = navOf(t, s.page(district, "/classes"))
			if !slices.Contains(links, "/classes") || slices.Contains(links, "/users") || !slices.Equal(current, []string{"/classes"}) {
				t.Errorf("district on /classes: links %q, current %q", links, current)
			}
			links, current = navOf(t, s.page(dept, "/review/queue"))
			if slices.Contains(links, "/classes") || slices.Contains(links, "/users") || !slices.Contains(links, "/review/queue") ||
				!slices.Contains(current, "/review/queue") {
				t.Errorf("department on /review/queue: links %q, current %q", links, current)
			}
			links, current = navOf(t, s.page(admin, "/review"))
			if !slices.Contains(links, "/classes") || !slices.Equal(current, []string{"/review"}) {
				t.Errorf("admin on /review: links %q, current %q", links, current)
			}
			for _, c := range []struct {
				user, path string
				search     bool
			}{{"admin", "/review", true}, {"district1", "/classes", true}, {"reviewer-gaj", "/review/queue", false}} {
				page := s.page(map[string]*http.Client{"admin": admin, "district1": district, "reviewer-gaj": dept}[c.user], c.path)
				links, _ := navOf(t, page)
				name, search := whoOf(t, page)
				if name != s.accounts[c.user].DisplayName || search != c.search || search != slices.Contains(links, "/search") {
					t.Errorf("%s on %s: signed in as %q, search box %v, links %q", c.user, c.path, name, search, links)
				}
			}
		}
	})
}
