package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestOnTheDemoSite runs the checks that read the whole demo zone on one
// loaded site per engine (loading it costs half a minute on PostgreSQL).
func TestOnTheDemoSite(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, func(t *testing.T, s *site) {
		checkHomeSaysWhatWaitsToday(t, s)
		checkSecondReviewFilters(t, s) // after the home check, which changes nothing
	})
}

// The home page tells each reader what waits today in its own scope: the
// communities by class, the changes since yesterday, overdue measures and
// ledger items, today's meeting and the days to the election; every number
// links to the list behind it, and that list opens for the reader.
func checkHomeSaysWhatWaitsToday(t *testing.T, s *site) {
	type figure struct {
		Key   string `json:"key"`
		Value int    `json:"value"`
		Href  string `json:"href"`
	}
	type home struct {
		Today struct {
			Figures   []figure `json:"figures"`
			Elections []struct {
				Election string `json:"election"`
				DaysLeft int    `json:"days_left"`
				Last     string `json:"last"`
			} `json:"elections"`
			Review struct {
				Total int `json:"total"`
				Days  []struct {
					Day      string `json:"day"`
					Answered int    `json:"answered"`
				} `json:"days"`
			} `json:"review_progress"`
		} `json:"today"`
	}
	for _, who := range []string{"admin", "district1", "community1", "leader"} {
		c := s.login(who)
		var h home
		s.getJSON(c, "/api/v1/home", &h)
		got := map[string]figure{}
		for _, f := range h.Today.Figures {
			got[f.Key] = f
			if res, _ := s.call(c, "GET", f.Href, nil, nil); res.StatusCode != http.StatusOK {
				t.Errorf("%s: figure %s links %s, which answers %d", who, f.Key, f.Href, res.StatusCode)
			}
		}
		var classes map[string]int
		s.getJSON(c, "/api/v1/classes", &classes)
		for _, k := range []string{"A", "B", "C"} {
			if f, ok := got["class_"+strings.ToLower(k)]; !ok || f.Value != classes[k] {
				t.Errorf("%s: class %s shows %+v, the classes page counts %d", who, k, f, classes[k])
			}
		}
		late := 0
		for page, pages := 1, 1; page <= pages; page++ {
			var daily struct {
				Due []struct {
					Overdue bool `json:"overdue"`
				} `json:"due"`
				Pages int `json:"pages"`
			}
			s.getJSON(c, fmt.Sprintf("/api/v1/ledger/daily?page=%d", page), &daily)
			pages = daily.Pages
			for _, it := range daily.Due {
				if it.Overdue {
					late++
				}
			}
		}
		if f := got["ledger_overdue"]; f.Value != late {
			t.Errorf("%s: %d overdue ledger items shown, the dispatch lists %d", who, f.Value, late)
		}
		// The demo's party committees have voted, its residents' committees
		// too but in four communities, which still have to.
		if who == "admin" && (late == 0 || got["class_c"].Value == 0 || len(h.Today.Elections) != 2 || h.Today.Elections[0].DaysLeft >= 0 ||
			h.Today.Elections[1].Last <= string(s.st.Today())) {
			t.Errorf("the demo's office sees nothing to do: %+v", h.Today)
		}
		_, page := s.call(c, "GET", "/", nil, nil)
		if !strings.Contains(string(page), `data-testid="today"`) {
			t.Errorf("%s: the home page has no today panel", who)
		}
		// The class chart: one bar per class, each a named link to its list.
		for _, k := range []string{"A", "B", "C"} {
			bar := fmt.Sprintf(`<a href="/classes?class=%s" aria-label="%s类`, k, k)
			at := strings.Index(string(page), bar)
			if at < 0 || !strings.Contains(string(page)[at:at+200], fmt.Sprintf(" %d\"", classes[k])) {
				t.Errorf("%s: the class chart has no bar for %s with %d communities", who, k, classes[k])
			}
		}
		// Review progress: answered by the end of each day, never falling, never above the total.
		rp := h.Today.Review
		for i, d := range rp.Days {
			if d.Answered > rp.Total || i > 0 && d.Answered < rp.Days[i-1].Answered {
				t.Errorf("%s: review progress %+v", who, rp)
				break
			}
		}
		if who == "admin" && (rp.Total == 0 || len(rp.Days) != 10 || !strings.Contains(string(page), `data-testid="chart-review"`)) {
			t.Errorf("the office's home shows no review progress: %+v", rp)
		}
	}
	// Those who decide see what waits for their decision, as their lists count it.
	for who, want := range map[string]map[string]string{
		"committee":  {"to_decide": "/api/v1/aspirants?status=reviewed"},
		"discipline": {"tips_new": "/api/v1/tips?status=received"},
		"police":     {"tips_new": "/api/v1/tips?status=received"},
		"admin":      {"to_decide": "/api/v1/aspirants?status=reviewed", "tips_new": "/api/v1/tips?status=received"},
	} {
		c := s.login(who)
		var h home
		s.getJSON(c, "/api/v1/home", &h)
		got := map[string]figure{}
		for _, f := range h.Today.Figures {
			got[f.Key] = f
			if res, _ := s.call(c, "GET", f.Href, nil, nil); res.StatusCode != http.StatusOK {
				t.Errorf("%s: figure %s links %s, which answers %d", who, f.Key, f.Href, res.StatusCode)
			}
		}
		for key, list := range want {
			var l struct {
				Total int `json:"total"`
			}
			s.getJSON(c, list, &l)
			if f, ok := got[key]; !ok || f.Value != l.Total {
				t.Errorf("%s: %s shows %+v, %s counts %d", who, key, f, list, l.Total)
			}
		}
	}
	// A district sees its own communities only.
	var zone, district home
	s.getJSON(s.login("admin"), "/api/v1/home", &zone)
	s.getJSON(s.login("district1"), "/api/v1/home", &district)
	sum := func(h home) int {
		n := 0
		for _, f := range h.Today.Figures {
			if strings.HasPrefix(f.Key, "class_") {
				n += f.Value
			}
		}
		return n
	}
	if sum(district) == 0 || sum(district) >= sum(zone) {
		t.Errorf("district's classes %d, the zone's %d", sum(district), sum(zone))
	}
}
