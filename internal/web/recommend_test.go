package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// recFixture finds, in the whole demo zone, a community of district QS-01
// with two qualified aspirants standing for the residents' committee and
// one who may not be proposed, and a day the recommendations may be held.
type recFixture struct {
	code       string
	a, b, barr store.AspirantRow
	day        civil.Date
}

func newRecFixture(t *testing.T, s *site) recFixture {
	t.Helper()
	ctx := context.Background()
	all, err := s.st.Zone(store.System).Aspirants(ctx, store.AspirantFilter{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string][]store.AspirantRow{}
	for _, a := range all {
		if strings.HasPrefix(a.OrgCode, "QS-01-") {
			by[a.OrgCode] = append(by[a.OrgCode], a)
		}
	}
	for code, list := range by {
		var f recFixture
		f.code = code
		for _, a := range list {
			ok, _ := slate.Eligible(a.Status)
			switch {
			case ok && slate.Stands(a.Aspirant, org.ResidentsCommittee) && f.a.ID == 0:
				f.a = a
			case ok && slate.Stands(a.Aspirant, org.ResidentsCommittee) && f.b.ID == 0:
				f.b = a
			case !ok && slate.Stands(a.Aspirant, org.ResidentsCommittee) && f.barr.ID == 0:
				f.barr = a
			}
		}
		if f.a.ID != 0 && f.b.ID != 0 && f.barr.ID != 0 {
			days, err := s.st.Zone(store.System).CommunityDays(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			f.day = min(s.st.Today(), days.Days.Party, days.Days.Residents).AddDays(-1)
			return f
		}
	}
	t.Fatal("no community of QS-01 with two qualified residents' aspirants and one not eligible")
	return recFixture{}
}

type recJSON struct {
	Committees []struct {
		Committee       string
		Recommendations []struct {
			Source, Kind      string
			Set               bool
			Expected, Present int
			Turnout           float64
			Posts             []struct {
				Post   string
				Ranked []struct {
					AspirantID int64 `json:"aspirant_id"`
					Name       string
					Votes      int
					Share      float64
					Rank       int
				}
			}
		} `json:"recommendations"`
	} `json:"committees"`
}

// The two recommendations by form and API: refusals on their field with
// what was typed kept, the ranking with ties and shares, re-entering
// replaces and is audited with the counts before, the aspirant's page
// shows its votes, and a district's team enters only its own.
func TestRecommendations(t *testing.T) {
	t.Parallel()
	gatedDemo.each(t, func(t *testing.T, s *site) {
		f := newRecFixture(t, s)
		admin := s.login("admin")
		base := "/communities/" + f.code + "/recommendations"
		page := s.page(admin, base)
		if !strings.Contains(page, "尚未录入") || !strings.Contains(page, `data-testid="recommendation-form"`) || !strings.Contains(page, f.a.Name) {
			t.Fatalf("the recommendations page lacks its empty slots, its form or the eligible aspirants")
		}
		if strings.Contains(page, `<option value="`+itoa(f.barr.ID)+`"`) {
			t.Errorf("the form offers an aspirant who may not be proposed")
		}
		form := func(present string, votesA string) url.Values {
			return url.Values{"committee": {"residents"}, "kind": {"masses"}, "expected": {"100"}, "present": {present},
				"day": {string(f.day)}, "votes[0].aspirant_id": {itoa(f.a.ID)}, "votes[0].post": {"director"}, "votes[0].votes": {votesA},
				"votes[1].aspirant_id": {""}, "votes[1].post": {"member"}, "votes[1].votes": {""},
				"votes[2].aspirant_id": {itoa(f.b.ID)}, "votes[2].post": {"member"}, "votes[2].votes": {"40"}}
		}
		s.refusedForm(admin, base, form("101", "60"), http.StatusUnprocessableEntity, "present")
		// Votes above 实参加 are refused on their row as the page numbers it.
		s.refusedForm(admin, base, form("80", "81"), http.StatusUnprocessableEntity, "votes[0].votes")
		// Votes equal to 实参加: saved.
		res, body := s.call(admin, "POST", base, form("80", "80").Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save a recommendation: %d %s", res.StatusCode, body)
		}
		page = s.page(admin, base)
		if !strings.Contains(page, "应参加 100 人,实参加 80 人,参加率 <b>80.0%</b>") || !strings.Contains(page, "100.0%") || !strings.Contains(page, "50.0%") {
			t.Errorf("the page lacks the turnout or the shares")
		}

		// The party members' recommendation of the residents' committee by the API: a tie shares rank 1.
		put := func(who string, body map[string]any) (*http.Response, []byte) {
			return s.call(nil, "PUT", "/api/v1"+base, body, bearer(s, who))
		}
		members := map[string]any{"committee": "residents", "kind": "members", "expected": 30, "present": 27, "day": f.day,
			"votes": []map[string]any{{"aspirant_id": f.a.ID, "post": "member", "votes": 20}, {"aspirant_id": f.b.ID, "post": "member", "votes": 20}}}
		if res, body := put("district1", members); res.StatusCode != http.StatusOK {
			t.Fatalf("the party members' recommendation by the district: %d %s", res.StatusCode, body)
		}
		var got recJSON
		s.getJSON(admin, "/api/v1"+base, &got)
		res2 := got.Committees[1].Recommendations
		if got.Committees[1].Committee != "residents" || len(res2) != 2 || res2[0].Source != "party" || !res2[0].Set || res2[1].Kind != "masses" {
			raw, _ := json.Marshal(got)
			t.Fatalf("recommendations read back: %s", raw)
		}
		if r := res2[0].Posts[0].Ranked; len(r) != 2 || r[0].Rank != 1 || r[1].Rank != 1 || r[0].Share != 74.1 || res2[0].Turnout != 90 {
			t.Errorf("a tie: %+v, turnout %v", r, res2[0].Turnout)
		}
		// The store function the board reads: the same lists, by community, committee, post and kind.
		ranks, err := s.st.Zone(store.System).Recommendations(context.Background(), "")
		if err != nil || len(ranks) != 2 || ranks[0].Community != f.code || ranks[0].Of(vetting.CommitteeMember)[1].Rank != 1 {
			t.Errorf("Scoped.Recommendations: %v %+v", err, ranks)
		}

		// Refusals: one who may not be proposed names the reason; a post of the other committee; 实参加 above 应参加.
		bad := map[string]any{"committee": "residents", "kind": "delegates", "expected": 30, "present": 27, "day": f.day,
			"votes": []map[string]any{{"aspirant_id": f.a.ID, "post": "member", "votes": 1}, {"aspirant_id": f.barr.ID, "post": "member", "votes": 2}}}
		res, body = put("admin", bad)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "votes[1].aspirant_id" ||
			!strings.Contains(e.Error.Message, "不能提名") {
			t.Errorf("an aspirant who may not be proposed: %+v", e.Error)
		}
		bad["votes"] = []map[string]any{{"aspirant_id": f.a.ID, "post": "secretary", "votes": 1}}
		res, body = put("admin", bad)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "votes[0].post" {
			t.Errorf("a post of the other committee: %+v", e.Error)
		}
		bad["votes"], bad["present"] = []map[string]any{{"aspirant_id": f.a.ID, "post": "member", "votes": 1}}, 31
		res, body = put("admin", bad)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "present" {
			t.Errorf("实参加 above 应参加: %+v", e.Error)
		}
		bad["present"], bad["day"] = 27, s.st.Today().AddDays(1)
		res, body = put("admin", bad)
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "day" {
			t.Errorf("a day after today: %+v", e.Error)
		}

		// Re-entering the residents' recommendation as 居民代表推荐 replaces the 群众推荐, audited with the counts before.
		bad["day"] = f.day
		if res, body := put("admin", bad); res.StatusCode != http.StatusOK {
			t.Fatalf("replace: %d %s", res.StatusCode, body)
		}
		s.getJSON(admin, "/api/v1"+base, &got)
		if r := got.Committees[1].Recommendations[1]; r.Kind != "delegates" || r.Expected != 30 || len(r.Posts) != 1 || len(r.Posts[0].Ranked) != 1 {
			t.Errorf("the replaced recommendation: %+v", r)
		}
		var log struct {
			Items []struct {
				EntityID      string         `json:"entity_id"`
				Before, After map[string]any `json:",omitempty"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?action=slate.recommend", &log)
		if len(log.Items) != 3 || log.Items[0].EntityID != f.code+"/residents/public" || log.Items[0].Before["expected"] != float64(100) ||
			log.Items[0].Before["present"] != float64(80) || log.Items[0].After["kind"] != "delegates" {
			t.Errorf("audit of the recommendations: %+v", log.Items)
		}
		if page := s.page(admin, "/audit"); !strings.Contains(page, "应参加人数") || !strings.Contains(page, "居民代表推荐") {
			t.Errorf("the audit page does not name the recommendation's fields in Chinese")
		}

		// The aspirant's page shows its votes and ranks.
		if page := s.page(admin, "/aspirants/"+itoa(f.a.ID)); !strings.Contains(page, `data-testid="aspirant-votes"`) ||
			!regexp.MustCompile(`党员推荐</td><td>委员</td><td class="num">20</td><td class="num">74.1%</td><td class="num">第1名`).MatchString(page) {
			t.Errorf("the aspirant's page lacks its recommendation votes")
		}

		// Scope: another district's community is not the team's; a community account reads none.
		res, body = s.call(nil, "PUT", "/api/v1/communities/QS-02-001/recommendations", members, bearer(s, "district1"))
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, _ = s.call(s.login("community1"), "GET", base, nil, nil)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a community account reads recommendations: %d", res.StatusCode)
		}
		res, _ = s.call(nil, "PUT", "/api/v1"+base, members, bearer(s, "committee"))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("the party committee enters recommendations: %d", res.StatusCode)
		}
		if page := s.page(s.login("committee"), base); !strings.Contains(page, "74.1%") || strings.Contains(page, "recommendation-form") {
			t.Errorf("the party committee does not read the recommendations, or is offered the form")
		}
	})
}

// The Excel import: the community's template, filled and uploaded, enters
// its recommendations; a file with bad rows enters nothing and reports
// each, with a workbook marked with them.
func TestRecommendationsImport(t *testing.T) {
	t.Parallel()
	gatedDemo.each(t, func(t *testing.T, s *site) {
		f := newRecFixture(t, s)
		admin := s.login("admin")
		base := "/communities/" + f.code + "/recommendations"
		res, raw := s.call(admin, "GET", base+"/template.xlsx", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("template: %d", res.StatusCode)
		}
		book, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := book.GetRows("推荐票")
		// Fill the residents' 党员推荐 rows of a and b.
		filled := 0
		for i, r := range rows {
			if i == 0 || len(r) < 8 || r[0] != "居民委员会" || r[1] != "党员推荐" || (r[5] != itoa(f.a.ID) && r[5] != itoa(f.b.ID)) {
				continue
			}
			n := i + 1
			if filled == 0 {
				book.SetCellValue("推荐票", fmt.Sprintf("C%d", n), 40)
				book.SetCellValue("推荐票", fmt.Sprintf("D%d", n), 36)
				book.SetCellValue("推荐票", fmt.Sprintf("E%d", n), string(f.day))
			}
			book.SetCellValue("推荐票", fmt.Sprintf("I%d", n), 30-filled*5)
			filled++
		}
		if filled != 2 {
			t.Fatalf("the template lacks the rows of the two aspirants: %q", rows)
		}
		var good bytes.Buffer
		book.Write(&good)
		// A bad copy: a third row of the barred aspirant and votes above 实参加.
		book.SetCellValue("推荐票", fmt.Sprintf("A%d", len(rows)+1), "居民委员会")
		book.SetCellValue("推荐票", fmt.Sprintf("B%d", len(rows)+1), "党员推荐")
		book.SetCellValue("推荐票", fmt.Sprintf("F%d", len(rows)+1), f.barr.ID)
		book.SetCellValue("推荐票", fmt.Sprintf("H%d", len(rows)+1), "委员")
		book.SetCellValue("推荐票", fmt.Sprintf("I%d", len(rows)+1), 9)
		book.SetSheetRow("推荐票", fmt.Sprintf("A%d", len(rows)+2), &[]any{"居民委员会", "党员推荐", nil, nil, nil, f.a.ID, f.a.Name, "副主任", 37})
		var badFile bytes.Buffer
		book.Write(&badFile)

		res, body := s.postFile(admin, base+"/import", nil, "file", "两推.xlsx", badFile.Bytes())
		if res.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte(`data-testid="row-errors"`)) ||
			!bytes.Contains(body, []byte("不能提名")) {
			t.Fatalf("a bad file: %d", res.StatusCode)
		}
		token := regexp.MustCompile(`/recommendations/import/([^/]+)/annotated\.xlsx`).FindSubmatch(body)
		if token == nil {
			t.Fatalf("no annotated workbook offered")
		}
		if res, _ := s.call(admin, "GET", "/recommendations/import/"+string(token[1])+"/annotated.xlsx", nil, nil); res.StatusCode != http.StatusOK {
			t.Errorf("annotated workbook: %d", res.StatusCode)
		}
		var got recJSON
		s.getJSON(admin, "/api/v1"+base, &got)
		if got.Committees[1].Recommendations[0].Set {
			t.Fatalf("a refused file entered something")
		}
		// The API reports the rows too.
		res, body = postFileBearer(t, s, "admin", "/api/v1"+base+"/import", badFile.Bytes())
		var rowsJSON struct {
			Rows []struct {
				Row    int
				Reason string
			}
		}
		if res.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(body, &rowsJSON) != nil || len(rowsJSON.Rows) != 2 || rowsJSON.Rows[1].Row != len(rows)+2 {
			t.Errorf("API import of a bad file: %d %s", res.StatusCode, body)
		}
		// The good file enters the recommendation.
		res, body = s.postFile(admin, base+"/import", nil, "file", "两推.xlsx", good.Bytes())
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("已导入 1 次推荐")) {
			t.Fatalf("a good file: %d %s", res.StatusCode, regexp.MustCompile(`(?s)<main.*</main>`).Find(body))
		}
		s.getJSON(admin, "/api/v1"+base, &got)
		r := got.Committees[1].Recommendations[0]
		if !r.Set || r.Expected != 40 || r.Present != 36 || len(r.Posts) == 0 {
			t.Errorf("imported: %+v", r)
		}
		// A district team outside the community cannot fetch its template.
		if res, _ := s.call(nil, "GET", "/communities/QS-02-001/recommendations/template.xlsx", nil, bearer(s, "district1")); res.StatusCode != http.StatusNotFound {
			t.Errorf("another district's template: %d", res.StatusCode)
		}
	})
}

// postFileBearer sends file as the multipart field "file" with username's token.
func postFileBearer(t *testing.T, s *site, username, path string, data []byte) (*http.Response, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "two.xlsx")
	part.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", s.ts.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.token(username))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, raw
}
