package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
)

// registerFile fills the register template served for community code
// (path "voters" or "party-members") with rows below its header.
func registerFile(t *testing.T, s *site, c *http.Client, code, path, sheet string, rows [][]any) []byte {
	t.Helper()
	res, raw := s.call(c, "GET", "/communities/"+code+"/"+path+"/template.xlsx", nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("template: %d %s", res.StatusCode, raw)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// refusedIn posts form to action and checks, as site.refusedForm does, that
// it comes back refused with status, what was typed kept and field marked,
// within the form of that action: the electorate page has several forms
// with a field of the same name (姓名).
func refusedIn(t *testing.T, s *site, c *http.Client, action string, form url.Values, status int, field string) string {
	t.Helper()
	res, raw := s.call(c, "POST", action, form.Encode(), nil)
	page := string(raw)
	if res.StatusCode != status {
		t.Fatalf("POST %s: %d, want %d", action, res.StatusCode, status)
	}
	start := strings.Index(page, `action="`+action+`"`)
	if start < 0 {
		t.Fatalf("POST %s refused: the form is not on its page", action)
	}
	end := strings.Index(page[start:], "</form>")
	in := page[start : start+end]
	for _, vs := range form {
		for _, v := range vs {
			if !strings.Contains(in, html.EscapeString(v)) {
				t.Errorf("POST %s refused: %q typed is lost", action, v)
			}
		}
	}
	ctl := regexp.MustCompile(`<(?:input|select|textarea)[^>]*\sname="` + regexp.QuoteMeta(field) + `"[^>]*>`).FindString(in)
	for _, want := range []string{`aria-invalid="true"`, "autofocus"} {
		if !strings.Contains(ctl, want) {
			t.Errorf("POST %s refused: field %s lacks %s: %s", action, field, want, ctl)
		}
	}
	if n := strings.Count(page, "autofocus"); n != 1 {
		t.Errorf("POST %s refused: %d fields take the cursor, want 1", action, n)
	}
	return page
}

type electorateJSON struct {
	Electorate struct {
		PublishedOn     string `json:"published_on"`
		LastPublication string `json:"last_publication"`
		ObjectionsUntil string `json:"objections_until"`
		Register        struct {
			Registered int `json:"registered"`
			Removed    int `json:"removed"`
			Women      int `json:"women"`
		} `json:"register"`
		Objections []struct {
			ID   int64 `json:"id"`
			Late bool  `json:"late"`
		} `json:"objections"`
		Party struct {
			Should  int  `json:"should_attend"`
			Present int  `json:"present"`
			Quorate bool `json:"quorate"`
		} `json:"party"`
	} `json:"electorate"`
	Stations []struct {
		Station struct {
			ID    int64    `json:"id"`
			Unmet []string `json:"unmet"`
		} `json:"station"`
		Ready bool `json:"ready"`
	} `json:"stations"`
	Proxies int `json:"proxies"`
}

// The electorate of one community from its page and the API: a voter 17
// on the residents' day refused on the page with what was typed kept; an
// import refused whole with every bad row (row number, column, Chinese
// reason, an annotated workbook), then taken whole; the register paged at
// 100; the publication exactly 20 days before the vote and not a day later;
// the published register exported with the year of birth only; objections
// on the last day taken and the next refused, an upheld one removing its
// voter, a late answer shown late; the party's attendance with the quorum
// at exactly 4/5; a station short of scrutineers; proxies to the limit; a
// district office of another district finds nothing (404); audited.
func TestElectorate(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		clock := time.Date(2026, 12, 1, 9, 0, 0, 0, civil.Zone)
		s.st.SetClock(func() time.Time { return clock })
		const code = "QS-03-002"
		base, apiBase := "/communities/"+code, "/api/v1/communities/"+code
		api := bearer(s, "admin")
		call := func(method, path string, body any, want int) string {
			t.Helper()
			res, raw := s.call(nil, method, path, body, api)
			if res.StatusCode != want {
				t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
			}
			return string(raw)
		}
		state := func() electorateJSON {
			t.Helper()
			var e electorateJSON
			if err := json.Unmarshal([]byte(call("GET", apiBase+"/electorate", nil, http.StatusOK)), &e); err != nil {
				t.Fatal(err)
			}
			return e
		}
		call("PUT", "/api/v1/election-days", map[string]string{"unit": code, "party_day": "2026-12-19", "residents_day": "2027-01-16"}, http.StatusOK)
		admin := s.login("admin")

		// A voter 17 on the day: refused on the page, the form kept.
		s.refusedForm(admin, base+"/voters", url.Values{"name": {"未成年人"}, "sex": {"男"}, "birth_date": {"2009-01-17"},
			"group": {"第二居民小组"}, "kind": {"resident"}}, http.StatusUnprocessableEntity, "birth_date")
		if res, raw := s.call(admin, "POST", base+"/voters", url.Values{"name": {"刚成年"}, "sex": {"女"}, "birth_date": {"2009-01-16"},
			"kind": {"resident"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("18 on the day: %d %s", res.StatusCode, raw)
		}

		// An import with bad rows enters nothing and names each.
		rows := [][]any{}
		for i := range 150 {
			rows = append(rows, []any{fmt.Sprintf("选民%03d", i), []string{"男", "女"}[i%2], fmt.Sprintf("19%02d-03-15", 40+i%50), "第一居民小组", "户籍在本社区并居住"})
		}
		bad := append(append([][]any{}, rows...), []any{"小孩子", "男", "2010-05-05", "", "户籍在本社区并居住"},
			[]any{"外地人", "女", "1980-01-01", "", "外来人口"})
		res, body := s.postFile(admin, base+"/voters/import", nil, "file", "选民.xlsx", registerFile(t, s, admin, code, "voters", "选民名单", bad))
		page := string(body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "未导入任何选民") || !strings.Contains(page, ">152<") ||
			!strings.Contains(page, "未满18周岁") || !strings.Contains(page, ">153<") || !strings.Contains(page, "请填写登记类型") {
			t.Fatalf("a bad import: %d %s", res.StatusCode, page)
		}
		token := regexp.MustCompile(`/electorate/import/([^/]+)/annotated\.xlsx`).FindStringSubmatch(page)
		if token == nil {
			t.Fatalf("no annotated workbook offered")
		}
		if res, _ := s.call(admin, "GET", token[0], nil, nil); res.StatusCode != http.StatusOK {
			t.Errorf("annotated workbook: %d", res.StatusCode)
		}
		res, body = postFileBearer(t, s, "admin", apiBase+"/voters/import", registerFile(t, s, admin, code, "voters", "选民名单", bad))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"row":152`) {
			t.Errorf("a bad import through the API: %d %s", res.StatusCode, body)
		}
		if e := state(); e.Electorate.Register.Registered != 1 {
			t.Fatalf("after the refused imports: %d registered", e.Electorate.Register.Registered)
		}
		res, body = postFileBearer(t, s, "admin", apiBase+"/voters/import", registerFile(t, s, admin, code, "voters", "选民名单", rows))
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"applied":150`) {
			t.Fatalf("import: %d %s", res.StatusCode, body)
		}
		page = s.page(admin, base+"/electorate")
		// 刚成年, with no group, comes first; then 99 of the 150 imported.
		if n := strings.Count(page, "<td>选民"); n != 99 || !strings.Contains(page, "<td>刚成年</td>") || !strings.Contains(page, "第 1/2 页,共 151 名选民") {
			t.Errorf("the first page lists %d imported voters", n)
		}
		if n := strings.Count(s.page(admin, base+"/electorate?page=2"), "<td>选民"); n != 51 {
			t.Errorf("the second page lists %d voters", n)
		}
		var voters struct {
			Voters []struct {
				Name string `json:"name"`
			} `json:"voters"`
			Total int `json:"total"`
		}
		s.getJSON2(api, apiBase+"/voters?limit=10&offset=145", &voters)
		if voters.Total != 151 || len(voters.Voters) != 6 {
			t.Errorf("the API's page: %d of %d", len(voters.Voters), voters.Total)
		}

		// The party's members; on the day, 4 of 5 present is not a quorum, 5 is.
		var ids []int64
		for i, status := range []string{"full", "full", "full", "full", "full", "probationary"} {
			var m struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal([]byte(call("POST", apiBase+"/party-members", map[string]any{"name": fmt.Sprintf("党员%d号", i), "sex": "男",
				"birth_date": "1965-07-01", "status": status}, http.StatusCreated)), &m)
			ids = append(ids, m.ID)
		}
		call("POST", fmt.Sprintf("%s/party-members/%d/present", apiBase, ids[0]), map[string]any{"present": true}, http.StatusConflict)
		clock = time.Date(2026, 12, 19, 8, 0, 0, 0, civil.Zone)
		for _, id := range ids[:4] {
			call("POST", fmt.Sprintf("%s/party-members/%d/present", apiBase, id), map[string]any{"present": true}, http.StatusOK)
		}
		admin = s.login("admin")
		if p := state().Electorate.Party; p.Should != 5 || p.Present != 4 || p.Quorate {
			t.Errorf("4 of 5: %+v", p)
		}
		if page := s.page(admin, base+"/electorate"); !strings.Contains(page, "到会不足:须至少5人") {
			t.Errorf("the page does not say the meeting is short")
		}
		if res, _ := s.call(admin, "POST", fmt.Sprintf("%s/party-members/%d/present", base, ids[4]), url.Values{"present": {"1"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("present from the page: %d", res.StatusCode)
		}
		if p := state().Electorate.Party; !p.Quorate {
			t.Errorf("5 of 5: %+v", p)
		}

		// Publication: 19 days before refused on the form, 20 accepted.
		clock = time.Date(2026, 12, 30, 9, 0, 0, 0, civil.Zone)
		admin = s.login("admin")
		page = s.refusedForm(admin, base+"/electorate/publish", url.Values{"published_on": {"2026-12-28"}}, http.StatusUnprocessableEntity, "published_on")
		if !strings.Contains(page, "不晚于2026-12-27") {
			t.Errorf("the refusal does not say the last day")
		}
		if res, _ := s.call(admin, "GET", base+"/voters.xlsx", nil, nil); !strings.Contains(res.Header.Get("Content-Disposition"), url.PathEscape("未公布")) {
			t.Errorf("the draft register is not named so: %q", res.Header.Get("Content-Disposition"))
		}
		call("POST", apiBase+"/electorate/publish", map[string]any{"published_on": "2026-12-27"}, http.StatusOK)
		call("POST", apiBase+"/voters", map[string]any{"name": "迟登记", "sex": "男", "birth_date": "1970-01-01", "kind": "resident"}, http.StatusConflict)
		res, raw := s.call(admin, "GET", base+"/voters.xlsx", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("export: %d", res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.GetRows("选民名单")
		if len(got) != 152 || got[0][3] != "出生年份" || strings.Contains(strings.Join(got[1], ""), "-03-15") {
			t.Errorf("the exported register: %d rows, %q", len(got), got[:2])
		}

		// Objections: 2027-01-01 is the last day; an upheld one removes its voter; an answer after 3 days is late.
		clock = time.Date(2027, 1, 5, 9, 0, 0, 0, civil.Zone)
		objection := map[string]any{"filed_on": "2027-01-02", "filer": "群众甲", "kind": "remove", "reason": "已迁出", "voter_name": "选民007"}
		call("POST", apiBase+"/voter-objections", objection, http.StatusUnprocessableEntity)
		objection["filed_on"] = "2027-01-01"
		var o struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call("POST", apiBase+"/voter-objections", objection, http.StatusCreated)), &o)
		call("POST", fmt.Sprintf("%s/voter-objections/%d/answer", apiBase, o.ID), map[string]any{"answered_on": "2027-01-05",
			"decision": "upheld", "answer": "经核实已迁出本社区"}, http.StatusOK)
		e := state().Electorate
		if e.Register.Registered != 150 || e.Register.Removed != 1 || len(e.Objections) != 1 || !e.Objections[0].Late {
			t.Errorf("after an upheld objection answered late: %+v", e)
		}
		admin = s.login("admin")
		if page := s.page(admin, base+"/electorate"); !strings.Contains(page, `data-testid="late"`) || !strings.Contains(page, "2027-01-04(逾期)") {
			t.Errorf("the late answer is not shown late")
		}

		// A station: three scrutineers needed.
		var st struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call("POST", apiBase+"/stations", map[string]any{"committee": "residents", "name": "流动票箱一", "kind": "mobile",
			"place": "社区服务中心", "opens": "08:00", "closes": "11:00", "route": "一组—二组", "serves": 20}, http.StatusCreated)), &st)
		for _, name := range []string{"监票一", "监票二"} {
			call("POST", fmt.Sprintf("%s/stations/%d/staff", apiBase, st.ID), map[string]any{"role": "scrutineer", "name": name}, http.StatusCreated)
		}
		if ss := state().Stations; len(ss) != 1 || ss[0].Ready || !strings.Contains(ss[0].Station.Unmet[0], "不少于3名,现有2名") {
			t.Errorf("a box with 2 scrutineers: %+v", ss)
		}
		if page := s.page(admin, base+"/electorate"); !strings.Contains(page, `data-testid="station-unmet"`) {
			t.Errorf("the page does not flag the box")
		}

		// Proxies: 3 to one holder, the 4th refused on the form with the count; none on the election day.
		clock = time.Date(2027, 1, 15, 9, 0, 0, 0, civil.Zone)
		admin = s.login("admin")
		for _, g := range []string{"选民001", "选民002", "选民003"} {
			call("POST", apiBase+"/proxies", map[string]any{"giver": g, "holder": "选民010", "relation": "child", "written_on": "2027-01-14"}, http.StatusCreated)
		}
		page = s.refusedForm(admin, base+"/proxies", url.Values{"giver": {"选民004"}, "holder": {"选民010"}, "relation": {"child"},
			"written_on": {"2027-01-14"}}, http.StatusUnprocessableEntity, "holder")
		if !strings.Contains(page, "已接受3人委托") {
			t.Errorf("the 4th proxy's refusal does not give the count")
		}
		clock = time.Date(2027, 1, 16, 7, 0, 0, 0, civil.Zone)
		call("POST", apiBase+"/proxies", map[string]any{"giver": "选民004", "holder": "选民011", "relation": "spouse", "written_on": "2027-01-16"},
			http.StatusUnprocessableEntity)
		admin = s.login("admin")
		if page := s.page(admin, base+"/proxies"); strings.Count(page, "<td>选民00") != 3 || !strings.Contains(page, "选民010</b>(受托3人)") {
			t.Errorf("the published list of proxies: %s", page)
		}

		// Scope: another district's office and community find nothing.
		for _, user := range []string{"district1", "community1"} {
			res, raw := s.call(nil, "GET", apiBase+"/electorate", nil, bearer(s, user))
			wantError(t, res, raw, http.StatusNotFound, "not_found")
			res, raw = s.call(nil, "POST", apiBase+"/voters", map[string]any{"name": "越权者", "sex": "男", "birth_date": "1970-01-01",
				"kind": "resident"}, bearer(s, user))
			wantError(t, res, raw, http.StatusNotFound, "not_found")
		}
		if res, _ := s.call(s.login("district1"), "GET", base+"/electorate", nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("district1 opens another district's register: %d", res.StatusCode)
		}

		var log struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?limit=200", &log)
		seen := map[string]int{}
		for _, x := range log.Items {
			seen[x.Action]++
		}
		for _, a := range []string{"electorate.voter.add", "electorate.voter.import", "electorate.publish", "electorate.objection",
			"electorate.objection.answer", "electorate.party.present", "polling.station.add", "polling.staff.add", "polling.proxy", "export.voters"} {
			if seen[a] == 0 {
				t.Errorf("no audit entry %s: %v", a, seen)
			}
		}
		if page := s.page(admin, "/audit"); strings.Contains(page, "published_on") || strings.Contains(page, "objection_kind") {
			t.Errorf("the audit page shows a field's code")
		}
	})
}

// A formal candidate and a close relative recorded for one may not serve
// at a station of their committee's vote; the refused form keeps what was
// typed. The election committee refuses a candidate and warns about a
// member who became one.
func TestPollingRelatives(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		clock := time.Date(2027, 1, 10, 9, 0, 0, 0, civil.Zone)
		s.st.SetClock(func() time.Time { return clock })
		api := bearer(s, "admin")
		call := func(method, path string, body any, want int) string {
			t.Helper()
			res, raw := s.call(nil, method, path, body, api)
			if res.StatusCode != want {
				t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
			}
			return string(raw)
		}
		const code = "QS-03-001"
		base, apiBase := "/communities/"+code, "/api/v1/communities/"+code
		call("PUT", "/api/v1/election-days", map[string]string{"unit": code, "party_day": "2027-03-01", "residents_day": "2027-03-29"}, http.StatusOK)
		ids := passedAspirants(t, s.st, code, "候选甲", "候选乙", "候选丙", "候选丁", "候选戊", "候选己")
		call("POST", apiBase+"/election-committee", map[string]any{"name": "候选甲", "role": "member", "joined_on": "2027-01-05"}, http.StatusCreated)
		clock = time.Date(2027, 1, 20, 9, 0, 0, 0, civil.Zone)
		call("PUT", apiBase+"/seats/party", map[string]any{"full_members": 40, "chief": 1, "deputies": 1, "members": 3}, http.StatusOK)
		var list []map[string]any
		for i, id := range ids {
			post := "member"
			if i == 0 {
				post = "secretary"
			}
			list = append(list, map[string]any{"aspirant_id": id, "post": post})
		}
		call("PUT", apiBase+"/formal/party", map[string]any{"posted_on": "2027-02-20", "candidates": list}, http.StatusOK)

		call("POST", apiBase+"/candidate-relatives", map[string]any{"aspirant_id": ids[1], "relation": "spouse", "name": "乙的配偶"}, http.StatusCreated)
		call("POST", apiBase+"/candidate-relatives", map[string]any{"aspirant_id": 999999, "relation": "spouse", "name": "某人"}, http.StatusUnprocessableEntity)
		var st struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call("POST", apiBase+"/stations", map[string]any{"committee": "party", "name": "党员大会会场", "kind": "main",
			"place": "党群服务中心", "opens": "09:00", "closes": "12:00"}, http.StatusCreated)), &st)
		staff := fmt.Sprintf("%s/stations/%d/staff", apiBase, st.ID)
		if body := call("POST", staff, map[string]any{"role": "caller", "name": "候选丙"}, http.StatusUnprocessableEntity); !strings.Contains(body, "候选丙是正式候选人,不能担任唱票人") {
			t.Errorf("a candidate as caller: %s", body)
		}
		admin := s.login("admin")
		page := refusedIn(t, s, admin, fmt.Sprintf("%s/stations/%d/staff", base, st.ID), url.Values{"role": {"scrutineer"}, "name": {"乙的配偶"}},
			http.StatusUnprocessableEntity, "name")
		if !strings.Contains(page, "乙的配偶是候选人候选乙的配偶,不能担任监票人") {
			t.Errorf("a relative as scrutineer: the reason is not given")
		}
		// A residents' station is not barred to the party's candidates.
		json.Unmarshal([]byte(call("POST", apiBase+"/stations", map[string]any{"committee": "residents", "name": "居委会投票站", "kind": "branch",
			"place": "二组活动室", "opens": "08:00", "closes": "17:00"}, http.StatusCreated)), &st)
		call("POST", fmt.Sprintf("%s/stations/%d/staff", apiBase, st.ID), map[string]any{"role": "scrutineer", "name": "乙的配偶"}, http.StatusCreated)

		// The election committee: a member on a formal list is warned about; a candidate of
		// the residents' list may not join (none here: the party's list does not bar).
		page = s.page(admin, base+"/electorate")
		if strings.Contains(page, `data-testid="committee-warning"`) {
			t.Errorf("a party candidate is warned about on the residents' election committee")
		}
		if !strings.Contains(page, "候选乙的配偶") && !strings.Contains(page, "候选乙的配偶:乙的配偶") {
			t.Errorf("the relatives are not listed")
		}
	})
}

// The cycle's election rules on their page: the office saves them; a bad
// number is refused on its field with what was typed kept; a scoped
// account reads them and cannot change them.
func TestElectionSettingsPage(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		page := s.page(admin, "/elections/settings")
		if !strings.Contains(page, "每名选民接受委托不得超过") || !strings.Contains(page, "规则汇编§3.3") {
			t.Fatalf("the settings page lacks its fields or their sources")
		}
		form := url.Values{"threshold_base": {"should_attend"}, "quorum_num": {"4"}, "quorum_den": {"5"}, "register_days": {"20"},
			"objection_days": {"5"}, "answer_days": {"3"}, "proxy_max": {"11"}, "min_scrutineers": {"3"}, "further_margin": {"1"},
			"rerun_days": {"30"}, "handover_days": {"10"}, "invalid_warn_percent": {"3"}, "women_seat": {"1"}}
		s.refusedForm(admin, "/elections/settings", form, http.StatusUnprocessableEntity, "proxy_max")
		form.Set("proxy_max", "2")
		if res, raw := s.call(admin, "POST", "/elections/settings", form.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.StatusCode, raw)
		}
		var got struct {
			Settings struct {
				ProxyMax  int  `json:"proxy_max"`
				WomenSeat bool `json:"women_seat"`
				CrossPost bool `json:"cross_post_counting"`
			} `json:"settings"`
		}
		s.getJSON(admin, "/api/v1/elections/settings", &got)
		if got.Settings.ProxyMax != 2 || !got.Settings.WomenSeat || got.Settings.CrossPost {
			t.Errorf("saved: %+v", got.Settings)
		}
		res, raw := s.call(nil, "PUT", "/api/v1/elections/settings", map[string]any{"threshold_base": "present", "quorum_num": 4, "quorum_den": 5,
			"register_days": 20, "objection_days": 5, "answer_days": 3, "proxy_max": 3, "min_scrutineers": 3, "rerun_days": 30,
			"handover_days": 10, "invalid_warn_percent": 3}, bearer(s, "district1"))
		wantError(t, res, raw, http.StatusForbidden, "forbidden")
		if page := s.page(s.login("district1"), "/elections/settings"); strings.Contains(page, `action="/elections/settings"`) {
			t.Errorf("a district account is offered the settings form")
		}
	})
}
