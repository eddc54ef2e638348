package web_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
)

type progressAPI struct {
	ElectionDays struct {
		Party     string `json:"party"`
		Residents string `json:"residents"`
	} `json:"election_days"`
	Today  string `json:"today"`
	Stages []struct {
		Code, Name, Election, Deadline string
	} `json:"stages"`
	Items []struct {
		Code, Name, District, Class string
		Stages                      map[string]struct {
			State  string `json:"state"`
			DoneOn string `json:"done_on"`
		} `json:"stages"`
	} `json:"items"`
	Total int `json:"total"`
}

func days(t *testing.T, from, to string) int {
	t.Helper()
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		t.Fatalf("dates %q %q", from, to)
	}
	return int(b.Sub(a).Hours() / 24)
}

// Stages placed around today: the dependency rule refuses, states colour.
func TestProgressMarksStatesAndLateStages(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		var p progressAPI
		s.getJSON(admin, "/api/v1/progress?limit=1", &p)
		if len(p.Stages) < 15 || p.Total != 32 {
			t.Fatalf("default stages %d, total %d", len(p.Stages), p.Total)
		}
		// today = election day + base, each election counted from its own day
		party, base := days(t, p.ElectionDays.Party, p.Today), days(t, p.ElectionDays.Residents, p.Today)
		stages := []map[string]any{
			{"code": "a_first", "election": "party", "name": "第一步", "sort": 1, "offset_days": party - 10, "depends_on": []string{}},
			{"code": "b_second", "election": "party", "name": "第二步", "sort": 2, "offset_days": party - 3, "depends_on": []string{"a_first"}},
			{"code": "c_due", "election": "residents", "name": "临期步", "sort": 3, "offset_days": base + 2, "depends_on": []string{}},
			{"code": "d_later", "election": "residents", "name": "远期步", "sort": 4, "offset_days": base + 30, "depends_on": []string{"c_due"}},
		}
		res, body := s.call(admin, "PUT", "/api/v1/progress/stages", map[string]any{"stages": stages}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("save stages: %d %s", res.StatusCode, body)
		}
		// A cycle of dependencies is refused.
		bad := []map[string]any{
			{"code": "x", "election": "party", "name": "甲", "sort": 1, "offset_days": 0, "depends_on": []string{"y"}},
			{"code": "y", "election": "party", "name": "乙", "sort": 2, "offset_days": 0, "depends_on": []string{"x"}},
		}
		res, body = s.call(admin, "PUT", "/api/v1/progress/stages", map[string]any{"stages": bad}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")

		d := s.login("district1")
		// b_second before a_first: 422 in Chinese, nothing stored.
		res, body = s.call(d, "POST", "/api/v1/communities/QS-01-001/progress/b_second",
			map[string]string{"done_on": p.Today, "evidence": "批复文件"}, nil)
		e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		if !strings.Contains(e.Error.Message, "第一步") {
			t.Fatalf("refusal %q does not name the missing stage", e.Error.Message)
		}
		var one progressAPI
		s.getJSON(admin, "/api/v1/progress?district=QS-01&limit=1", &one)
		if got := one.Items[0].Stages["b_second"].State; got != "late" {
			t.Fatalf("after refusal b_second is %q, want late", got)
		}
		// A day after today is refused too.
		tomorrow, _ := time.Parse(time.DateOnly, p.Today)
		res, body = s.call(d, "POST", "/api/v1/communities/QS-01-001/progress/a_first",
			map[string]string{"done_on": tomorrow.AddDate(0, 0, 1).Format(time.DateOnly)}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		// In order it works; outside the district it is not found.
		for _, code := range []string{"a_first", "b_second"} {
			res, body = s.call(d, "POST", "/api/v1/communities/QS-01-001/progress/"+code,
				map[string]string{"done_on": p.Today, "evidence": "会议纪要"}, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("mark %s: %d %s", code, res.StatusCode, body)
			}
		}
		res, body = s.call(d, "POST", "/api/v1/communities/QS-02-001/progress/a_first", map[string]string{"done_on": p.Today}, nil)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		// Unmarking a stage another depends on is refused; in reverse order it works, audited.
		res, body = s.call(d, "DELETE", "/api/v1/communities/QS-01-001/progress/a_first", nil, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")

		s.getJSON(admin, "/api/v1/progress?district=QS-01", &one)
		want := map[string]string{"a_first": "done", "b_second": "done", "c_due": "due", "d_later": "not_started"}
		for code, state := range want {
			if got := one.Items[0].Stages[code].State; got != state {
				t.Errorf("QS-01-001 %s: %q, want %q", code, got, state)
			}
		}
		if got := one.Items[1].Stages["a_first"].State; got != "late" {
			t.Errorf("QS-01-002 a_first: %q, want late", got)
		}
		// The page colours cells by state.
		res, page := s.call(admin, "GET", "/progress?district=QS-01", nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(page, []byte(`class="badge w-red" data-stage="a_first" data-state="late"`)) ||
			!bytes.Contains(page, []byte(`class="badge w-yellow" data-stage="c_due" data-state="due"`)) ||
			!bytes.Contains(page, []byte(`class="badge w-none" data-stage="a_first" data-state="done"`)) {
			t.Fatalf("progress page: %d, cells not coloured by state", res.StatusCode)
		}

		// LateStages: every community but QS-01-001 is late on a_first and b_second; QS-01-001 on nothing.
		late, err := st.Zone(store.System).LateStages(context.Background(), civil.Date(p.Today), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(late) != 31*2 {
			t.Fatalf("late stages: %d, want 62", len(late))
		}
		for _, l := range late {
			if l.Code == "QS-01-001" || l.Name == "" || l.StageName == "" || l.Deadline == "" {
				t.Fatalf("late stage %+v", l)
			}
		}

		res, body = s.call(d, "DELETE", "/api/v1/communities/QS-01-001/progress/b_second", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("unmark: %d %s", res.StatusCode, body)
		}
		var audit struct {
			Items []struct {
				Action   string `json:"action"`
				EntityID string `json:"entity_id"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?action=progress.unmark", &audit)
		found := false
		for _, a := range audit.Items {
			found = found || (a.Action == "progress.unmark" && a.EntityID == "QS-01-001")
		}
		if !found {
			t.Fatalf("unmark not in the audit log: %+v", audit.Items)
		}
		for _, path := range []string{"/progress", "/progress/stages", "/communities/QS-01-001/progress", "/teams", "/map", "/map?by=progress"} {
			if res, body := s.call(admin, "GET", path, nil, nil); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %d %s", path, res.StatusCode, body)
			}
		}
		res, xlsx := s.call(admin, "GET", "/progress.xlsx", nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.HasPrefix(xlsx, []byte("PK")) {
			t.Fatalf("progress.xlsx: %d", res.StatusCode)
		}
		checkProgressXLSX(t, xlsx, "QS-01-001", 1) // a_first done (b_second was unmarked)
	})
}

// The stages page shows each stage's dependencies by name, not by code,
// and saving it as it stands keeps every dependency.
func TestStagesPageSavesWhatItShows(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		type stage struct {
			Code      string   `json:"code"`
			DependsOn []string `json:"depends_on"`
		}
		var before struct{ Stages []stage }
		s.getJSON(admin, "/api/v1/progress/stages", &before)
		res, page := s.call(admin, "GET", "/progress/stages", nil, nil)
		if res.StatusCode != http.StatusOK || !regexp.MustCompile(`name="stages\[\d+\]\.depends_on" value="换届请示"`).Match(page) ||
			strings.Contains(visibleText(page), "party_request") {
			t.Fatalf("the stages page does not show dependencies by name: %d\n%s", res.StatusCode, visibleText(page))
		}
		res, body := s.call(admin, "POST", "/progress/stages", formValues(page, "/progress/stages").Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save the page as shown: %d %s", res.StatusCode, visibleText(body))
		}
		var after struct{ Stages []stage }
		s.getJSON(admin, "/api/v1/progress/stages", &after)
		if fmt.Sprint(after.Stages) != fmt.Sprint(before.Stages) {
			t.Errorf("saved as shown, the stages became\n%v\nwere\n%v", after.Stages, before.Stages)
		}
	})
}

// formValues is what a browser sends for the form of page posting to
// action, submitted without a button: its named inputs and the chosen
// option of each select.
func formValues(page []byte, action string) url.Values {
	out := url.Values{}
	z := html.NewTokenizer(bytes.NewReader(page))
	in, selectName, chosen, picked := false, "", "", false
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		tag, _ := z.TagName()
		attrs := map[string]string{}
		for more := tt != html.EndTagToken; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			attrs[string(k)] = string(v)
		}
		switch {
		case tt == html.StartTagToken && string(tag) == "form":
			in = attrs["action"] == action
		case tt == html.EndTagToken && string(tag) == "form":
			in = false
		case !in:
		case string(tag) == "input" && attrs["name"] != "" && attrs["type"] != "submit":
			out.Add(attrs["name"], attrs["value"])
		case tt == html.StartTagToken && string(tag) == "select":
			selectName, picked = attrs["name"], false
		case string(tag) == "option" && tt == html.StartTagToken:
			if _, sel := attrs["selected"]; sel || !picked {
				chosen, picked = attrs["value"], true
			}
		case tt == html.EndTagToken && string(tag) == "select":
			out.Add(selectName, chosen)
		}
	}
	return out
}

func TestProgressAPIFilters(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		var p progressAPI
		s.getJSON(admin, "/api/v1/progress?district=QS-02", &p)
		if p.Total != 8 || len(p.Items) != 8 {
			t.Fatalf("district QS-02: total %d, items %d", p.Total, len(p.Items))
		}
		for _, it := range p.Items {
			if it.District != "QS-02" || len(it.Stages) != len(p.Stages) {
				t.Fatalf("item %+v", it)
			}
		}
		s.getJSON(admin, "/api/v1/progress?class=C", &p)
		if p.Total != 8 || len(p.Items) != 8 {
			t.Fatalf("class C: total %d, items %d", p.Total, len(p.Items))
		}
		for _, it := range p.Items {
			if it.Class != "C" {
				t.Fatalf("class filter gave %+v", it)
			}
		}
		s.getJSON(admin, "/api/v1/progress?limit=5&offset=30", &p)
		if p.Total != 32 || len(p.Items) != 2 {
			t.Fatalf("page: total %d, items %d", p.Total, len(p.Items))
		}
		s.getJSON(s.login("community1"), "/api/v1/progress", &p)
		if p.Total != 1 || len(p.Items) != 1 || p.Items[0].Code != "QS-01-001" {
			t.Fatalf("community account: %+v", p)
		}
		res, body := s.call(admin, "GET", "/api/v1/progress?limit=0", nil, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
	})
}

// mapShapes parses an SVG with encoding/xml over every token and returns the
// data-code of each element that carries one, and the layout.
func mapShapes(t *testing.T, raw []byte) ([]string, string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var codes []string
	layout := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("battle map is not valid XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "data-code" {
					if se.Name.Local != "rect" && se.Name.Local != "path" {
						t.Fatalf("data-code on <%s>", se.Name.Local)
					}
					codes = append(codes, a.Value)
				}
				if a.Name.Local == "data-layout" {
					layout = a.Value
				}
			}
		}
	}
	return codes, layout
}

func TestBattleMap(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		for _, c := range []struct {
			user, prefix string
			n            int
		}{{"admin", "QS-", 32}, {"district1", "QS-01-", 8}, {"community1", "QS-01-001", 1}, {"leader", "QS-", 32}} {
			for _, by := range []string{"class", "progress", "election"} {
				res, raw := s.call(s.login(c.user), "GET", "/api/v1/battle-map.svg?by="+by, nil, nil)
				if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/svg+xml") {
					t.Fatalf("%s: %d %s", c.user, res.StatusCode, res.Header.Get("Content-Type"))
				}
				codes, layout := mapShapes(t, raw)
				seen := map[string]bool{}
				for _, code := range codes {
					if seen[code] || !strings.HasPrefix(code, c.prefix) {
						t.Fatalf("%s: shape %s repeated or outside scope", c.user, code)
					}
					seen[code] = true
				}
				if len(codes) != c.n || layout != "schematic" {
					t.Fatalf("%s by %s: %d shapes (%s), want %d", c.user, by, len(codes), layout, c.n)
				}
			}
		}
		admin := s.login("admin")
		square := func(code string, x, y float64) string {
			return `{"type":"Feature","properties":{"code":"` + code + `"},"geometry":{"type":"Polygon","coordinates":[[[` +
				ftoa(x) + `,` + ftoa(y) + `],[` + ftoa(x+0.01) + `,` + ftoa(y) + `],[` + ftoa(x+0.01) + `,` + ftoa(y+0.01) + `],[` +
				ftoa(x) + `,` + ftoa(y+0.01) + `],[` + ftoa(x) + `,` + ftoa(y) + `]]]}}`
		}
		// An unknown code is refused and nothing is stored.
		geo := `{"type":"FeatureCollection","features":[` + square("QS-01-001", 117, 36) + `,` + square("NOPE", 117.02, 36) + `]}`
		res, body := s.call(admin, "PUT", "/api/v1/map/shapes", geo, map[string]string{"Content-Type": "application/geo+json"})
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		geo = `{"type":"FeatureCollection","features":[` + square("QS-01-001", 117, 36) + `,` + square("QS-01-002", 117.02, 36) + `,` +
			square("QS-02-001", 117.04, 36.02) + `]}`
		res, body = s.call(admin, "PUT", "/api/v1/map/shapes", geo, map[string]string{"Content-Type": "application/geo+json"})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("upload shapes: %d %s", res.StatusCode, body)
		}
		res, raw := s.call(admin, "GET", "/api/v1/battle-map.svg", nil, nil)
		codes, layout := mapShapes(t, raw)
		if res.StatusCode != http.StatusOK || len(codes) != 32 || layout != "geojson" {
			t.Fatalf("after upload: %d shapes, layout %s", len(codes), layout)
		}
		if !bytes.Contains(raw, []byte(`<path data-code="QS-01-001"`)) || !bytes.Contains(raw, []byte(`<path data-code="QS-02-001"`)) {
			t.Fatal("uploaded boundaries are not drawn as paths")
		}
		res, raw = s.call(s.login("district1"), "GET", "/api/v1/battle-map.svg", nil, nil)
		if codes, _ := mapShapes(t, raw); len(codes) != 8 || bytes.Contains(raw, []byte("QS-02-001")) {
			t.Fatalf("district map after upload: %d shapes", len(codes))
		}
		// One district of the zone, asked for by the admin; a district out of
		// the user's scope or unknown is refused.
		res, raw = s.call(admin, "GET", "/api/v1/battle-map.svg?district=QS-02", nil, nil)
		if codes, _ := mapShapes(t, raw); res.StatusCode != http.StatusOK || len(codes) != 8 || !strings.HasPrefix(codes[0], "QS-02-") {
			t.Fatalf("map of QS-02: %d, %d shapes", res.StatusCode, len(codes))
		}
		for _, c := range []struct{ user, district string }{{"district1", "QS-02"}, {"admin", "NOPE"}} {
			res, body := s.call(s.login(c.user), "GET", "/api/v1/battle-map.svg?district="+c.district, nil, nil)
			wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		}
		res, page := s.call(admin, "GET", "/map?by=progress&district=QS-02", nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(page, []byte(`<option value="QS-02" selected>`)) ||
			!bytes.Contains(page, []byte(`district=QS-02`)) {
			t.Fatalf("map page of QS-02: %d", res.StatusCode)
		}
	})
}

func ftoa(f float64) string { return strings.TrimRight(strings.TrimRight(strconvF(f), "0"), ".") }

func TestWorkTeams(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/teams", map[string]any{"district": "QS-01", "name": "东部片区工作专班",
			"leader": "王书记", "members": []map[string]string{{"username": "district1", "duty": "进度调度"}}}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("save team: %d %s", res.StatusCode, body)
		}
		res, body = s.call(admin, "POST", "/api/v1/teams", map[string]any{"district": "QS-01-001", "name": "x"}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = s.call(admin, "POST", "/api/v1/teams", map[string]any{"district": "QS-02", "name": "西部",
			"members": []map[string]string{{"username": "nobody"}}}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		type teams struct {
			Items []struct {
				District, Name string
				ID             int64
				Communities    int
				Members        []struct{ Username, Duty string }
				Cadres         []map[string]any
			} `json:"items"`
		}
		var all teams
		s.getJSON(admin, "/api/v1/teams", &all)
		if len(all.Items) != 4 || all.Items[0].Name != "东部片区工作专班" || all.Items[0].Communities != 8 ||
			len(all.Items[0].Members) != 1 || all.Items[1].ID != 0 {
			t.Fatalf("teams: %+v", all.Items)
		}
		var mine teams
		s.getJSON(s.login("district1"), "/api/v1/teams", &mine)
		if len(mine.Items) != 1 || mine.Items[0].District != "QS-01" || mine.Items[0].Members[0].Duty != "进度调度" || len(mine.Items[0].Cadres) == 0 {
			t.Fatalf("district account sees %+v", mine.Items)
		}
		s.getJSON(s.login("community1"), "/api/v1/teams", &mine)
		if len(mine.Items) != 0 {
			t.Fatalf("community account sees teams %+v", mine.Items)
		}
		res, page := s.call(admin, "GET", "/teams", nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(page, []byte("东部片区工作专班")) {
			t.Fatalf("teams page: %d", res.StatusCode)
		}
	})
}

// An office scoped to a district cannot change what is the whole zone's nor
// reach past its district: the stage templates (403, unchanged), a work
// team naming an account of another district or of the whole zone (422 on
// members, unchanged), boundaries of another district's communities (422,
// nothing stored). Within its district it may.
func TestScopedOfficeLimitsInTheThreeOnes(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		office := s.onesOffice(admin, "office-qs02", "QS-02")
		res, body := s.call(admin, "POST", "/api/v1/users", map[string]any{"username": "west1", "display_name": "西部片区联络员",
			"role": "district", "scope": "QS-02", "password": "a long password"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add west1: %d %s", res.StatusCode, body)
		}

		// The stage templates.
		var before, after struct {
			Custom bool `json:"custom"`
			Stages []struct{ Code string }
		}
		s.getJSON(admin, "/api/v1/progress/stages", &before)
		one := []map[string]any{{"code": "only", "election": "party", "name": "唯一环节", "sort": 1, "offset_days": -10, "depends_on": []string{}}}
		res, body = s.call(office, "PUT", "/api/v1/progress/stages", map[string]any{"stages": one}, nil)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		res, _ = s.call(office, "POST", "/progress/stages", "reset=1", nil)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("the office's form on the stage templates: %d", res.StatusCode)
		}
		res, body = s.call(office, "POST", "/progress/stages", "stages[0].code=only&stages[0].election=party&stages[0].name=唯一环节&stages[0].sort=1&stages[0].offset_days=-10&stages[0].depends_on=", nil)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("the office's form on the stage templates: %d %s", res.StatusCode, body)
		}
		s.getJSON(admin, "/api/v1/progress/stages", &after)
		if after.Custom || len(after.Stages) != len(before.Stages) {
			t.Fatalf("the stage templates were changed by the QS-02 office: %+v", after)
		}
		if _, page := s.call(office, "GET", "/progress/stages", nil, nil); bytes.Contains(page, []byte(`action="/progress/stages"`)) {
			t.Error("the stage templates page offers the QS-02 office a form it may not use")
		}

		// Work teams: members must lie in the office's scope.
		team := func(members ...string) map[string]any {
			var ms []map[string]string
			for _, m := range members {
				ms = append(ms, map[string]string{"username": m, "duty": "联络"})
			}
			return map[string]any{"district": "QS-02", "name": "西部片区工作专班", "members": ms}
		}
		res, body = s.call(office, "POST", "/api/v1/teams", team("west1"), nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("the office's own team: %d %s", res.StatusCode, body)
		}
		for _, outside := range []string{"district1", "admin", "leader"} {
			res, body = s.call(office, "POST", "/api/v1/teams", team("west1", outside), nil)
			if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "members" {
				t.Errorf("naming %s: field %q, want members", outside, e.Error.Field)
			}
		}
		res, body = s.call(office, "POST", "/teams", "district=QS-02&name=西部片区工作专班&members=district1+联络", nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("the office's team form naming district1: %d", res.StatusCode)
		}
		res, body = s.call(office, "POST", "/api/v1/teams", map[string]any{"district": "QS-01", "name": "东部"}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		var teams struct {
			Items []struct {
				District string
				Members  []struct{ Username string }
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/teams", &teams)
		for _, tm := range teams.Items {
			if tm.District == "QS-02" && (len(tm.Members) != 1 || tm.Members[0].Username != "west1") {
				t.Fatalf("the QS-02 team after refused saves: %+v", tm.Members)
			}
			if tm.District == "QS-01" && len(tm.Members) != 0 {
				t.Fatalf("the QS-01 team was changed by the QS-02 office: %+v", tm)
			}
		}
		// The zone's office may name any account.
		res, body = s.call(admin, "POST", "/api/v1/teams", team("west1", "district1", "leader"), nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("the zone's office naming any account: %d %s", res.StatusCode, body)
		}

		// Map boundaries: only of communities in the office's scope.
		square := func(code string, x float64) string {
			return `{"type":"Feature","properties":{"code":"` + code + `"},"geometry":{"type":"Polygon","coordinates":[[[` +
				ftoa(x) + `,36],[` + ftoa(x+0.01) + `,36],[` + ftoa(x+0.01) + `,36.01],[` + ftoa(x) + `,36.01],[` + ftoa(x) + `,36]]]}}`
		}
		geo := func(codes ...string) string {
			var fs []string
			for i, c := range codes {
				fs = append(fs, square(c, 117+0.02*float64(i)))
			}
			return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
		}
		hdr := map[string]string{"Content-Type": "application/geo+json"}
		res, body = s.call(office, "PUT", "/api/v1/map/shapes", geo("QS-02-001", "QS-01-001"), hdr)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, raw := s.call(admin, "GET", "/api/v1/battle-map.svg", nil, nil)
		if codes, layout := mapShapes(t, raw); res.StatusCode != http.StatusOK || layout != "schematic" || len(codes) != 32 {
			t.Fatalf("boundaries were stored by a refused upload: layout %s", layout)
		}
		res, body = s.call(office, "PUT", "/api/v1/map/shapes", geo("QS-02-001", "QS-02-002"), hdr)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the office's own boundaries: %d %s", res.StatusCode, body)
		}
		res, raw = s.call(admin, "GET", "/api/v1/battle-map.svg", nil, nil)
		if !bytes.Contains(raw, []byte(`<path data-code="QS-02-001"`)) || bytes.Contains(raw, []byte(`<path data-code="QS-01-001"`)) {
			t.Fatal("the office's boundaries are not the ones drawn")
		}
	})
}
