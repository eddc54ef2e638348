package web_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// electDemo enters the results of the demo's 上凤凰社区 (QS-01-001) as a
// confirmed count would, on 2027-01-20 (after both its election days):
// its predicted party committee but 郝霞燕, for whom 李另选 was written in,
// all as 委员 (贺新 by every vote of the 76 who should attend, 方宇 by 70:
// 92%); its predicted residents' committee but 傅健, for whom 孙另选 was
// written in. It returns the elected members' ids by name.
func electDemo(t *testing.T, s *site) {
	t.Helper()
	ctx := context.Background()
	clock := time.Date(2027, 1, 20, 9, 0, 0, 0, civil.Zone)
	s.st.SetClock(func() time.Time { return clock })
	zone := s.st.Zone(store.System)
	ps, err := zone.PredictedSlate(ctx, "QS-01-001")
	if err != nil {
		t.Fatal(err)
	}
	votes := map[string]int{"贺新": 76, "方宇": 70, "廖春": 60, "傅健": 50}
	var party, residents []store.ElectedMember
	for _, p := range ps.Persons {
		switch {
		case p.Committee == org.PartyCommittee && p.Name != "郝霞燕":
			party = append(party, store.ElectedMember{AspirantID: p.AspirantID, Post: vetting.CommitteeMember, Votes: votes[p.Name], Base: 76,
				Round: election.FirstRound})
		case p.Committee == org.ResidentsCommittee && p.Name != "傅健":
			residents = append(residents, store.ElectedMember{AspirantID: p.AspirantID, Post: p.Post, Votes: 800, Base: 1200,
				Round: election.FirstRound})
		}
	}
	if len(party) != 4 || len(residents) != 5 {
		t.Fatalf("the demo's slate of QS-01-001 changed: %+v", ps.Persons)
	}
	party = append(party, store.ElectedMember{Name: "李另选", Sex: "女", BirthDate: "1990-03-08", Education: vetting.College,
		Party: vetting.PartyMember, Post: vetting.CommitteeMember, Votes: 39, Base: 76, Round: election.FurtherRound})
	residents = append(residents, store.ElectedMember{Name: "孙另选", Sex: "女", BirthDate: "1995-05-05", Education: vetting.Bachelor,
		Party: vetting.Masses, Post: vetting.CommitteeMember, Votes: 610, Base: 1200, Round: election.FirstRound})
	if err := zone.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetElected(ctx, "QS-01-001", org.PartyCommittee, party); err != nil {
			return err
		}
		return tx.SetElected(ctx, "QS-01-001", org.ResidentsCommittee, residents)
	}); err != nil {
		t.Fatal(err)
	}
}

// tableRows are the cells of every body row of the table with data-testid
// id in page, as text.
func tableRows(t *testing.T, page, id string) [][]string {
	t.Helper()
	i := strings.Index(page, `data-testid="`+id+`"`)
	if i < 0 {
		t.Fatalf("no table %s", id)
	}
	table := page[i:]
	table = table[:strings.Index(table, "</table>")]
	if j := strings.Index(table, "<tbody>"); j >= 0 {
		table = table[j:]
		table = table[:strings.Index(table, "</tbody>")]
	}
	var out [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllStringSubmatch(table, -1) {
		var row []string
		for _, td := range regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`).FindAllStringSubmatch(tr[1], -1) {
			row = append(row, html.UnescapeString(strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(td[1], ""))))
		}
		out = append(out, row)
	}
	return out
}

// A community's results page and its twin: the elected per post with
// their share and 高票/全票, 交叉任职, who was written in; the officers and
// the higher level's approval from the forms and the API, refused forms
// keeping what was typed; the handover; the comparison with the predicted
// slate kept at each change; what each role sees and may do.
func TestResultsPage(t *testing.T) {
	t.Parallel()
	preElectionDemo.each(t, func(t *testing.T, s *site) {
		electDemo(t, s)
		admin, api := s.login("admin"), bearer(s, "admin")
		path := "/communities/QS-01-001/results"
		page := s.page(admin, path)
		for _, want := range []string{`data-testid="elected-party"`, "贺新", "100.0%", `data-testid="unanimous"`, `data-testid="high"`, "92.1%",
			"另选他人", `data-testid="cross"`, "另行选举", "委员会尚未选举书记、副书记", `data-testid="officers-form"`, `data-testid="handover-form-party"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the results page lacks %s", want)
			}
		}
		if strings.Contains(page, "委员会于") {
			t.Error("officers shown before they were elected")
		}
		// Before its officers the party committee's comparison has 贺新 and 方宇 pending: 2 of 5.
		if !strings.Contains(page, `data-testid="match-rate-party">2/5(40.0%)`) || !strings.Contains(page, `data-testid="match-rate-residents">5/6(83.3%)`) {
			t.Errorf("the comparisons: %s", between(page, `match-rate-party`, 80))
		}
		var got struct {
			Committees []struct {
				Committee org.Committee `json:"committee"`
				Members   []struct {
					Member    store.ElectedMember `json:"member"`
					Share     float64             `json:"share"`
					High      bool                `json:"high"`
					Unanimous bool                `json:"unanimous"`
					WrittenIn bool                `json:"written_in"`
				} `json:"members"`
			} `json:"committees"`
		}
		s.getJSON(admin, "/api/v1"+path, &got)
		ids := map[string]int64{}
		for _, m := range got.Committees[0].Members {
			ids[m.Member.Name] = m.Member.ID
			switch m.Member.Name {
			case "方宇":
				if m.Share != 92.1 || !m.High || m.Unanimous || m.Member.Cross {
					t.Errorf("方宇 (70 of 76, the party committee only): %+v", m)
				}
			case "贺新":
				if !m.Unanimous || !m.Member.Cross || m.WrittenIn {
					t.Errorf("贺新 (every vote, on both committees): %+v", m)
				}
			}
			if m.Member.Name == "李另选" && (!m.WrittenIn || m.Member.Round != election.FurtherRound) {
				t.Errorf("李另选: %+v", m)
			}
		}
		if len(ids) != 5 || ids["贺新"] == 0 {
			t.Fatalf("party members: %+v", got.Committees[0].Members)
		}

		// The officers' form: 贺新 secretary and deputy at once is refused, what was typed kept.
		form := url.Values{"day": {"2026-12-20"}, "secretary": {itoa(ids["贺新"])}, "deputies": {itoa(ids["方宇"]), itoa(ids["贺新"])}}
		refused := s.refusedForm(admin, path+"/officers", form, http.StatusUnprocessableEntity, "deputies")
		if !strings.Contains(refused, "已当选书记,不能同时为副书记") {
			t.Error("the refusal does not say why")
		}
		res, body := s.call(nil, "PUT", "/api/v1"+path+"/officers", map[string]any{"day": "2026-12-18", "secretary": ids["贺新"]}, api)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "day" {
			t.Errorf("officers before the party's election day: %+v", e)
		}
		form.Set("deputies", itoa(ids["方宇"]))
		if res, _ := s.call(admin, "POST", path+"/officers", form.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("officers: %d", res.StatusCode)
		}
		page = s.page(admin, path)
		if !strings.Contains(page, "委员会于 <b>2026-12-20</b>") || !strings.Contains(page, `data-testid="match-rate-party">4/5(80.0%)`) ||
			!strings.Contains(page, "比对记录(2次)") {
			t.Errorf("after the officers: %s", between(page, "书记、副书记</h3>", 300))
		}
		// The approval: refused the day before the officers' election, then recorded through the API.
		if page := s.page(admin, path); !strings.Contains(page, "待上级批准") {
			t.Error("the officers are not shown pending the higher level's approval")
		}
		s.refusedForm(admin, path+"/approval", url.Values{"approved_on": {"2026-12-19"}, "document": {"清组字〔2026〕9号"}}, http.StatusUnprocessableEntity,
			"approved_on")
		res, body = s.call(nil, "PUT", "/api/v1"+path+"/approval", map[string]string{"approved_on": "2026-12-28", "document": "清组字〔2026〕9号"}, api)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"approved_on":"2026-12-28"`) {
			t.Fatalf("approval: %d %s", res.StatusCode, body)
		}
		res, body = s.call(nil, "PUT", "/api/v1"+path+"/officers", map[string]any{"day": "2026-12-20", "secretary": ids["方宇"]}, api)
		wantError(t, res, body, http.StatusConflict, "conflict")
		if page = s.page(admin, path); strings.Contains(page, `data-testid="officers-form"`) || !strings.Contains(page, "已报上级批准") {
			t.Error("an approved committee still offers the officers' form, or does not say it is approved")
		}

		// The community's own office: no third gate (no comparison, no predicted targets), no officers; the handover, refused then recorded.
		community := s.login("community1")
		page = s.page(community, path)
		if strings.Contains(page, "与预判人选比对") || strings.Contains(page, "<th>预判人选</th>") || strings.Contains(page, `data-testid="approval-form"`) {
			t.Error("the community's office sees the third gate or the officers' forms")
		}
		s.refusedForm(community, path+"/handover/party", url.Values{"day": {"2026-12-18"}, "note": {"移交公章"}}, http.StatusUnprocessableEntity, "day")
		if res, _ := s.call(community, "POST", path+"/handover/party", url.Values{"day": {"2026-12-30"}, "note": {"移交公章"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("handover: %d", res.StatusCode)
		}
		if page = s.page(community, path); !strings.Contains(page, "已于 <b>2026-12-30</b> 交接(移交公章)") ||
			!strings.Contains(between(page, `data-testid="handover-party"`, 400), "逾期") {
			t.Errorf("a handover on the 11th day: %s", between(page, `data-testid="handover-party"`, 300))
		}
		if !strings.Contains(between(page, `data-testid="handover-residents"`, 400), "尚未交接") {
			t.Error("the residents' handover due on 2027-01-26 is not shown as not yet done")
		}
		res, body = s.call(nil, "PUT", "/api/v1"+path+"/handover/nobody", map[string]string{"day": "2027-01-19"}, api)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, body = s.call(nil, "PUT", "/api/v1"+path+"/handover/residents", map[string]string{"day": "2027-01-19"}, api)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"late":false`) {
			t.Errorf("the residents' handover: %d %s", res.StatusCode, body)
		}
		// Out of scope: another community of the community's office, another district's community of a district's.
		for who, other := range map[string]string{"community1": "QS-01-002", "district1": "QS-02-001"} {
			c := s.login(who)
			for _, p := range []string{"/communities/" + other + "/results", "/api/v1/communities/" + other + "/results"} {
				if res, _ := s.call(c, "GET", p, nil, nil); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s opens %s: %d", who, p, res.StatusCode)
				}
			}
			res, _ := s.call(c, "PUT", "/api/v1/communities/"+other+"/results/handover/party", map[string]string{"day": "2027-01-19"}, nil)
			if res.StatusCode == http.StatusOK {
				t.Errorf("%s records %s's handover", who, other)
			}
		}
		// The structure targets on the results, beside the predicted slate's; and on the zone's targets page.
		if rows := tableRows(t, s.page(admin, path), "result-targets"); len(rows) == 0 || rows[0][3] != "达标" {
			t.Errorf("the targets on the results: %v", rows)
		}
		targets := s.page(admin, "/targets?stage=results&all=1")
		if !strings.Contains(targets, "有选举结果的社区</dt><dd>1/32个") || !strings.Contains(targets, `href="/communities/QS-01-001/results"`) {
			t.Errorf("the targets page on the results: %s", between(targets, `data-testid="ratios"`, 200))
		}
		var tg struct {
			Stage  string `json:"stage"`
			Ratios struct {
				People int `json:"people"`
			} `json:"ratios"`
		}
		s.getJSON(admin, "/api/v1/targets?stage=results", &tg)
		if tg.Stage != "results" || tg.Ratios.People != 10 {
			t.Errorf("the targets' twin on the results: %+v", tg)
		}
		res, body = s.call(admin, "GET", "/api/v1/targets?stage=later", nil, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		// Every page with results, and the audit log of these writes, in Chinese.
		for _, p := range []string{path, "/audit", "/targets?stage=results&all=1"} {
			speaksChinese(t, s, p, s.page(admin, p))
		}
		speaksChinese(t, s, path, s.page(community, path))
	})
}

// speaksChinese fails on Latin words a user would read on page (the demo's
// usernames allowed).
func speaksChinese(t *testing.T, s *site, path, page string) {
	t.Helper()
	users := func(w string) bool { _, ok := s.accounts[w]; return ok }
	if words := latinIn(visibleText([]byte(page)), users); len(words) > 0 {
		t.Errorf("%s shows Latin words: %v", path, words)
	}
}

// between is up to n bytes of page from the first marker on.
func between(page, marker string, n int) string {
	i := strings.Index(page, marker)
	if i < 0 {
		return "(" + marker + " not found)"
	}
	return page[i:min(len(page), i+n)]
}

// The zone's predicted vs actual and statistics: the figures of QS-01-001's
// results, scoped; the workbook in the county form's columns with the
// same totals as the screen and the API.
func TestResultsZone(t *testing.T) {
	t.Parallel()
	preElectionDemo.each(t, func(t *testing.T, s *site) {
		electDemo(t, s)
		admin := s.login("admin")
		var r struct {
			Committees []struct {
				Members []struct {
					Member store.ElectedMember `json:"member"`
				} `json:"members"`
			} `json:"committees"`
		}
		s.getJSON(admin, "/api/v1/communities/QS-01-001/results", &r)
		if res, body := s.call(admin, "PUT", "/api/v1/communities/QS-01-001/results/officers", map[string]any{"day": "2026-12-20",
			"secretary": r.Committees[0].Members[0].Member.ID}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("officers: %d %s", res.StatusCode, body)
		}
		// Predicted vs actual: the party 3 of 5 (the predicted deputy 方宇 was not elected deputy, 郝霞燕 not at
		// all), the residents 5 of 6 (傅健 not elected).
		match := s.page(admin, "/results/match")
		if !strings.Contains(match, `data-testid="match-total">8/11人(72.7%)`) {
			t.Errorf("the match: %s", between(match, "match-total", 80))
		}
		rows := tableRows(t, match, "match-rows")
		if len(rows) != 2 || rows[0][0] != "上凤凰社区" || rows[0][3] != "5" || rows[0][4] != "3" || rows[0][6] != "2" || rows[1][4] != "5" {
			t.Errorf("match rows: %v", rows)
		}
		var m struct {
			Total store.MatchCount  `json:"total"`
			Posts []store.MatchPost `json:"posts"`
		}
		s.getJSON(admin, "/api/v1/results/match", &m)
		if m.Total != (store.MatchCount{Predicted: 11, Matched: 8, Other: 1, Missed: 2}) || len(m.Posts) != 6 {
			t.Errorf("the match's twin: %+v", m)
		}
		s.getJSON(admin, "/api/v1/results/match?district=QS-02", &m)
		if m.Total.Predicted != 0 {
			t.Errorf("QS-02's match: %+v", m.Total)
		}
		if res, _ := s.call(s.login("community1"), "GET", "/results/match", nil, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a community's office opens the match (third gate): %d", res.StatusCode)
		}

		// The statistics: screen, twin and workbook from one read. QS-02-001's party vote gives the figures of
		// the counts: the first ballot void, the repeat confirmed (its 书记 candidate elected), a further ballot opened.
		countedElection(t, s.st, "QS-02-001")
		page := s.page(admin, "/results/statistics")
		figures := tableRows(t, page, "statistics-figures")
		want := map[string][]string{
			"有选举结果的社区": {"2/32", "1/32", "—"},
			"成员数":      {"6", "6", "11"},
			"参选率(实到会/应到会、参加投票/登记选民)": {"38/40(95.0%)", "—", "—"},
			"一次选举成功(第一次投票)":          {"0(0.0%)", "0(0.0%)", "—"},
			"另行选举":                   {"1次(1个社区)", "0次(0个社区)", "—"},
			"选举无效":                   {"1次", "0次", "—"},
			"重新选举":                   {"1次", "0次", "—"},
		}
		for _, f := range figures {
			if w, ok := want[f[0]]; ok && !slices.Equal(f[1:], w) {
				t.Errorf("figure %s: %v, want %v", f[0], f[1:], w)
			}
			delete(want, f[0])
		}
		if len(want) != 0 {
			t.Errorf("figures missing: %v", want)
		}
		if len(figures) != 17 {
			t.Errorf("%d figures: %v", len(figures), figures)
		}
		facts := regexp.MustCompile(`<dt>([^<]*)</dt><dd>([^<]*)</dd>`).FindAllStringSubmatch(between(page, `data-testid="statistics-facts"`, 4000), -1)
		if len(facts) != 7 || !strings.Contains(facts[0][2], "1/1个社区(100.0%)") || !strings.Contains(facts[1][2], "1人") {
			t.Errorf("facts: %v", facts)
		}
		county := tableRows(t, page, "statistics-rows")
		if len(county) != 32 || county[0][0] != "上凤凰社区" || county[0][2] != "6" || county[0][10] != "贺新" || county[0][16] != "是" ||
			!strings.Contains(county[1][2], "尚无选举结果") {
			t.Errorf("the residents' committee's county form: %v / %v", county[0], county[1])
		}
		var total []string
		for _, c := range regexp.MustCompile(`(?s)<th[^>]*>(.*?)</th>`).FindAllStringSubmatch(between(page, `data-testid="statistics-total"`, 2000), -1) {
			total = append(total, html.UnescapeString(c[1]))
		}
		party := tableRows(t, s.page(admin, "/results/statistics?committee=party"), "statistics-rows")
		if party[0][2] != "5" || party[0][10] != "贺新" || party[0][9] != "1" {
			t.Errorf("the party committee's form: %v", party[0])
		}
		// The workbook: the county form's columns, the same rows and totals.
		res, raw := s.call(admin, "GET", "/results/statistics.xlsx", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("workbook: %d %s", res.StatusCode, raw)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); !slices.Equal(got, []string{"居委会班子", "党组织班子", "汇总"}) {
			t.Errorf("sheets %v", got)
		}
		sheet, _ := f.GetRows("居委会班子")
		heads := append(append([]string{}, sheet[0]...), sheet[1]...)
		for _, h := range []string{"社区", "成员数", "平均年龄", "大专及以上", "高中及中专", "初中及以下", "女", "党员", "交叉任职", "居委会主任基本情况",
			"姓名", "出生年月", "任职时间", "是否“一肩挑”"} {
			if !slices.Contains(heads, h) {
				t.Errorf("the county form lacks %s: %v", h, heads)
			}
		}
		if len(sheet) != 2+32+1 || !slices.Equal(sheet[2][:3], county[0][:3]) || !slices.Equal(sheet[2][10:17], county[0][10:17]) {
			t.Errorf("the workbook's first community %v, the screen's %v", sheet[2], county[0])
		}
		last := sheet[len(sheet)-1]
		if len(total) != 17 || total[0] != "合计" || total[2] != "6" || !slices.Equal(trimCells(last), trimCells(total)) {
			t.Errorf("the workbook's totals row %v, the screen's %v", last, total)
		}
		summary, _ := f.GetRows("汇总")
		for i, fig := range figures {
			if !slices.Equal(summary[i+1], fig) {
				t.Errorf("汇总 row %d: %v, the screen's %v", i+1, summary[i+1], fig)
			}
		}
		for i, fact := range facts {
			if row := summary[len(figures)+3+i]; row[0] != html.UnescapeString(fact[1]) || row[1] != html.UnescapeString(fact[2]) {
				t.Errorf("汇总 fact %d: %v, the screen's %v", i, row, fact[1:])
			}
		}
		var api struct {
			Figures []map[string]string `json:"figures"`
			Total   store.StatTotals    `json:"total"`
			Rows    int                 `json:"total_rows"`
		}
		s.getJSON(admin, "/api/v1/results/statistics", &api)
		for i, fig := range figures {
			if a := api.Figures[i]; a["label"] != fig[0] || a["party"] != fig[1] || a["residents"] != fig[2] || a["people"] != fig[3] {
				t.Errorf("the twin's figure %d %v, the screen's %v", i, a, fig)
			}
		}
		if api.Rows != 32 || api.Total.Cross != 1 || api.Total.OneShoulder != 1 || api.Total.People.Members != 11 {
			t.Errorf("the twin's totals: %+v", api.Total)
		}
		// A district's office: its communities only.
		s.getJSON(s.login("district1"), "/api/v1/results/statistics", &api)
		if api.Rows == 32 || api.Rows == 0 || api.Total.Party.Members != 5 {
			t.Errorf("district1's statistics: %d rows, %+v", api.Rows, api.Total.Party)
		}
		s.getJSON(s.login("community1"), "/api/v1/results/statistics?district=QS-02", &api)
		if api.Rows != 0 {
			t.Errorf("community1 asking for QS-02: %d rows", api.Rows)
		}
		for _, p := range []string{"/results/statistics", "/results/statistics?committee=party", "/results/match"} {
			speaksChinese(t, s, p, s.page(admin, p))
		}
	})
}

// trimCells drops the empty cells a spreadsheet leaves off a row's end.
func trimCells(row []string) []string {
	for len(row) > 0 && row[len(row)-1] == "" {
		row = row[:len(row)-1]
	}
	return row
}
