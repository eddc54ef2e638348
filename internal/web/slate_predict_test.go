package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// predictedJSON is the API's slate.
type predictedJSON struct {
	Code       string `json:"code"`
	Dual       bool   `json:"dual"`
	Committees []struct {
		Committee   string `json:"committee"`
		ElectionDay string `json:"election_day"`
		SeatsSet    bool   `json:"seats_set"`
		Posts       []struct {
			Post    string `json:"post"`
			Seats   int    `json:"seats"`
			Persons []struct {
				AspirantID int64  `json:"aspirant_id"`
				Name       string `json:"name"`
				Sex        string `json:"sex"`
				BirthDate  string `json:"birth_date"`
				Age        int    `json:"age"`
				Young      bool   `json:"young"`
				Source     string `json:"source"`
				Cross      bool   `json:"cross"`
				Education  string `json:"education"`
			} `json:"persons"`
		} `json:"posts"`
	} `json:"committees"`
	Warnings []string `json:"warnings"`
	History  []struct {
		FromName string `json:"from_name"`
		ToName   string `json:"to_name"`
		Reason   string `json:"reason"`
		By       string `json:"by"`
	} `json:"history"`
}

// The predicted slate from the page and the API: ages counted at each
// committee's election day of the community (35 on the day is young and
// needs a source, 36 is not), one person on both committees (交叉任职) and
// 一肩挑, refusals with their reason on the field (not eligible, twice on one
// committee, more than the seats, 一肩挑 with two persons, a replacement
// without a reason), the history and the audit, and the scope.
func TestPredictedSlate(t *testing.T) {
	t.Parallel()
	gatedDemo.each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		admin := s.login("admin")
		api := func(user, method, path string, body any) (*http.Response, []byte) {
			return s.call(nil, method, path, body, bearer(s, user))
		}
		// The community votes for its party committee on 1 March and its
		// residents' committee on 29 March 2027.
		if res, body := api("admin", "PUT", "/api/v1/election-days", map[string]string{"unit": "QS-01-001",
			"party_day": "2027-03-01", "residents_day": "2027-03-29"}); res.StatusCode != http.StatusOK {
			t.Fatalf("days: %d %s", res.StatusCode, body)
		}
		// 李青 turns 36 on 2 March 2027: 35 at the party's vote, 36 at the
		// residents'. She stands for secretary and director (一肩挑).
		reg := aspirantBody("QS-01-001", "李青", validID("19910302", "002"))
		reg["cross_post"] = "director"
		res, body := api("admin", "POST", "/api/v1/aspirants", reg)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("register: %d %s", res.StatusCode, body)
		}
		var li struct{ ID int64 }
		jsonInto(t, body, &li)
		for _, to := range []string{"under_review", "reviewed", "qualified"} {
			if err := s.st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.MoveAspirant(ctx, li.ID, vetting.Status(to), "测试") }); err != nil {
				t.Fatal(err)
			}
		}
		id := map[string]int64{"李青": li.ID}
		var list struct {
			Items []struct {
				ID   int64
				Name string
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/aspirants?limit=1000", &list)
		for _, a := range list.Items {
			if _, ok := id[a.Name]; !ok {
				id[a.Name] = a.ID
			}
		}
		pick := func(committee, post, name, source string) map[string]any {
			return map[string]any{"committee": committee, "post": post, "aspirant_id": id[name], "source": source}
		}
		put := func(user, code string, body map[string]any) (*http.Response, []byte) {
			return api(user, "PUT", "/api/v1/slates/"+code, body)
		}
		refused := func(what, code string, body map[string]any, field, saying string) {
			t.Helper()
			res, raw := put("admin", code, body)
			if e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != field ||
				!strings.Contains(e.Error.Message, saying) {
				t.Errorf("%s: field %q %q, want %q saying %q", what, e.Error.Field, e.Error.Message, field, saying)
			}
		}

		page := s.page(admin, "/communities/QS-01-001/slate")
		if !strings.Contains(page, "尚未设定职数") || !strings.Contains(page, `name="picks[0].aspirant_id"`) ||
			!strings.Contains(page, "不能提名:已劝退") {
			t.Fatalf("the slate page lacks the unset seats, the form or an ineligible aspirant's reason")
		}
		// From the form: a withdrawn aspirant is refused with the reason,
		// 一肩挑 with two persons too, what was typed kept.
		s.refusedForm(admin, "/communities/QS-01-001/slate", url.Values{"picks[0].committee": {"residents"}, "picks[0].post": {"member"},
			"picks[0].aspirant_id": {itoa(id["赖芳彤"])}, "picks[0].notes": {"备注一"}}, http.StatusUnprocessableEntity, "picks[0].aspirant_id")
		s.refusedForm(admin, "/communities/QS-01-001/slate", url.Values{"dual": {"true"},
			"picks[0].committee": {"party"}, "picks[0].post": {"secretary"}, "picks[0].aspirant_id": {itoa(id["贺新"])},
			"picks[1].committee": {"residents"}, "picks[1].post": {"director"}, "picks[1].aspirant_id": {itoa(id["王强德"])}},
			http.StatusUnprocessableEntity, "dual")
		// An empty row of the page is no pick; the row numbers are the page's.
		s.refusedForm(admin, "/communities/QS-01-001/slate", url.Values{"picks[0].committee": {"party"}, "picks[0].post": {"secretary"},
			"picks[1].committee": {"party"}, "picks[1].post": {"member"}, "picks[1].aspirant_id": {itoa(id["汪波"])}},
			http.StatusUnprocessableEntity, "picks[1].aspirant_id")

		// The API: 35 on the party's day needs a source; 36 on the residents' day does not.
		refused("young without a source", "QS-01-001", map[string]any{"picks": []any{pick("party", "secretary", "李青", "")}},
			"picks[0].source", "35岁以下")
		refused("twice on one committee", "QS-01-001", map[string]any{"picks": []any{pick("residents", "director", "李青", ""),
			pick("residents", "member", "李青", "")}}, "picks[1].aspirant_id", "只能预判一个职务")
		refused("not standing for the party", "QS-01-001", map[string]any{"picks": []any{pick("party", "member", "王强德", "")}},
			"picks[0].aspirant_id", "没有报名")
		refused("disqualified", "QS-01-002", map[string]any{"picks": []any{pick("party", "member", "白凤", "")}},
			"picks[0].aspirant_id", "取消参选资格")
		first := map[string]any{"dual": true, "picks": []any{pick("party", "secretary", "李青", "outside"),
			pick("party", "member", "方宇", "inside"), pick("residents", "director", "李青", ""), pick("residents", "member", "任秀", "inside")}}
		if res, body := put("district1", "QS-01-001", first); res.StatusCode != http.StatusOK {
			t.Fatalf("save the slate: %d %s", res.StatusCode, body)
		}
		var got predictedJSON
		s.getJSON(admin, "/api/v1/slates/QS-01-001", &got)
		party, res2 := got.Committees[0], got.Committees[1]
		sec, dir := party.Posts[0].Persons, res2.Posts[0].Persons
		if !got.Dual || len(sec) != 1 || len(dir) != 1 || party.ElectionDay != "2027-03-01" || res2.ElectionDay != "2027-03-29" {
			t.Fatalf("slate read back: %+v", got)
		}
		if sec[0].Age != 35 || !sec[0].Young || !sec[0].Cross || sec[0].Source != "outside" || sec[0].Sex != "女" || sec[0].BirthDate != "1991-03-02" {
			t.Errorf("the secretary at the party's day: %+v", sec[0])
		}
		if dir[0].Age != 36 || dir[0].Young || !dir[0].Cross {
			t.Errorf("the director at the residents' day: %+v", dir[0])
		}
		if len(got.History) != 4 || got.History[0].FromName != "" || got.History[0].By != "district1" {
			t.Errorf("history of the first slate: %+v", got.History)
		}
		// Seats: the party committee of 3 has one member seat.
		if res, body := api("admin", "PUT", "/api/v1/communities/QS-01-001/seats/party", map[string]any{"full_members": 40,
			"chief": 1, "deputies": 1, "members": 1}); res.StatusCode != http.StatusOK {
			t.Fatalf("seats: %d %s", res.StatusCode, body)
		}
		more := map[string]any{"dual": true, "picks": []any{pick("party", "secretary", "李青", "outside"),
			pick("party", "member", "方宇", "inside"), pick("party", "member", "廖春", ""), pick("residents", "director", "李青", "")}}
		refused("more than the seats", "QS-01-001", more, "picks[2].aspirant_id", "职数为1名")
		// Replacing 方宇 by 廖春 and dropping 任秀 needs a reason.
		swap := map[string]any{"dual": true, "picks": []any{pick("party", "secretary", "李青", "outside"),
			pick("party", "member", "廖春", ""), pick("residents", "director", "李青", "")}}
		refused("a replacement without a reason", "QS-01-001", swap, "reason", "理由")
		swap["reason"] = "方宇工作调动"
		if res, body := put("admin", "QS-01-001", swap); res.StatusCode != http.StatusOK {
			t.Fatalf("replace: %d %s", res.StatusCode, body)
		}
		s.getJSON(admin, "/api/v1/slates/QS-01-001", &got)
		if len(got.History) != 6 || got.History[0].Reason != "方宇工作调动" ||
			got.History[0].FromName+got.History[1].FromName+got.History[0].ToName+got.History[1].ToName != "任秀方宇廖春" {
			t.Errorf("history after the replacement: %+v", got.History)
		}
		page = s.page(admin, "/communities/QS-01-001/slate")
		for _, want := range []string{"方宇工作调动", "廖春", "35岁以下", "外派", `data-testid="slate-history"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the slate page lacks %q", want)
			}
		}
		var log struct {
			Items []struct {
				Actor    string         `json:"actor"`
				EntityID string         `json:"entity_id"`
				Before   map[string]any `json:"before"`
				After    map[string]any `json:"after"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?action=slate.predict", &log)
		if len(log.Items) != 2 || log.Items[0].EntityID != "QS-01-001" || log.Items[0].After["reason"] != "方宇工作调动" || log.Items[0].Before == nil {
			raw, _ := json.Marshal(log.Items)
			t.Errorf("audit of the slate: %s", raw)
		}
		if audit := s.page(admin, "/audit"); !strings.Contains(audit, "调整预判人选") || !strings.Contains(audit, "一肩挑") {
			t.Errorf("the audit page does not name the slate's change")
		}

		// The batch read the targets use: a page of the zone, and the whole of it.
		zone := s.st.Zone(store.System)
		pg, err := zone.PredictedSlates(ctx, store.CommunityFilter{Limit: 5})
		if err != nil || len(pg) != 5 || pg[0].Code != "QS-01-001" || len(pg[0].Persons) != 3 || !pg[0].Persons[0].Cross || pg[1].Persons == nil {
			t.Errorf("a page of slates: %v %+v", err, pg)
		}
		all, err := zone.PredictedSlates(ctx, store.CommunityFilter{})
		if err != nil || len(all) != 32 {
			t.Errorf("the zone's slates: %v %d", err, len(all))
		}

		// Scope: a district's team only in its district; leaders read; a community account not at all.
		res, body = put("district1", "QS-02-001", map[string]any{"picks": []any{}})
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, _ = s.call(s.login("community1"), "GET", "/communities/QS-01-001/slate", nil, nil)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a community account reads the slate: %d", res.StatusCode)
		}
		if p := s.page(s.login("leader"), "/communities/QS-01-001/slate"); strings.Contains(p, `data-testid="slate-form"`) || !strings.Contains(p, "李青") {
			t.Errorf("a leader's slate page: a form, or no person")
		}
	})
}

// The reserve list: added from the form and the API, age at the residents'
// election day, a bad birth date refused with what was typed kept, edited
// and removed with the audit, and the scope.
func TestReserveList(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		if res, body := s.call(nil, "PUT", "/api/v1/election-days", map[string]string{"unit": "QS-01-001",
			"party_day": "2027-03-01", "residents_day": "2027-03-29"}, bearer(s, "admin")); res.StatusCode != http.StatusOK {
			t.Fatalf("days: %d %s", res.StatusCode, body)
		}
		form := url.Values{"name": {"周晓梅"}, "sex": {"女"}, "birth_date": {"1991-03-30"}, "education": {"bachelor"},
			"party": {"member"}, "workplace": {"街道便民服务中心"}, "note": {"群众基础好"}}
		res, body := s.call(admin, "POST", "/communities/QS-01-001/reserve", form.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/communities/QS-01-001/reserve" {
			t.Fatalf("add: %d %s", res.StatusCode, body)
		}
		// 35 on 29 March 2027: she turns 36 the day after.
		page := s.page(admin, "/communities/QS-01-001/reserve")
		if !strings.Contains(page, "周晓梅") || !strings.Contains(page, "35岁") || !strings.Contains(page, "大学本科") {
			t.Errorf("the reserve page lacks the person or her age at the election day")
		}
		bad := url.Values{"name": {"钱多"}, "sex": {"男"}, "birth_date": {"1990-02-30"}, "education": {"college"}, "party": {"masses"},
			"workplace": {"物业公司"}}
		s.refusedForm(admin, "/communities/QS-01-001/reserve", bad, http.StatusUnprocessableEntity, "birth_date")

		res, body = s.call(nil, "POST", "/api/v1/communities/QS-01-001/reserve", map[string]any{"name": "孙立", "sex": "男",
			"birth_date": "1985-07-01", "education": "college", "party": "masses", "workplace": "辖区企业"}, bearer(s, "district1"))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add by API: %d %s", res.StatusCode, body)
		}
		var p struct {
			ID  int64 `json:"id"`
			Age int   `json:"age"`
		}
		jsonInto(t, body, &p)
		if p.Age != 41 {
			t.Errorf("age at the election day: %d", p.Age)
		}
		path := "/api/v1/communities/QS-01-001/reserve/" + itoa(p.ID)
		res, body = s.call(nil, "PUT", path, map[string]any{"name": "孙立", "sex": "男", "birth_date": "1985-07-01", "education": "bachelor",
			"party": "probationary", "workplace": "辖区企业"}, bearer(s, "admin"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("edit: %d %s", res.StatusCode, body)
		}
		res, body = s.call(nil, "PUT", path, map[string]any{"name": "孙立", "sex": "不详", "birth_date": "1985-07-01",
			"education": "bachelor", "party": "masses"}, bearer(s, "admin"))
		if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "sex" {
			t.Errorf("a bad sex: field %q", e.Error.Field)
		}
		// Another district's team finds nothing; a person of another community is not found there.
		res, body = s.call(nil, "DELETE", "/api/v1/communities/QS-02-001/reserve/"+itoa(p.ID), nil, bearer(s, "district1"))
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, body = s.call(nil, "DELETE", "/api/v1/communities/QS-01-002/reserve/"+itoa(p.ID), nil, bearer(s, "admin"))
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, body = s.call(nil, "DELETE", path, nil, bearer(s, "admin"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("remove: %d %s", res.StatusCode, body)
		}
		var got struct {
			ElectionDay string `json:"election_day"`
			People      []struct {
				Name      string `json:"name"`
				Education string `json:"education"`
			} `json:"people"`
		}
		s.getJSON(admin, "/api/v1/communities/QS-01-001/reserve", &got)
		if got.ElectionDay != "2027-03-29" || len(got.People) != 1 || got.People[0].Name != "周晓梅" {
			t.Errorf("reserve read back: %+v", got)
		}
		var log struct {
			Items []struct{ Action string } `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?action=slate.reserve", &log)
		if len(log.Items) != 4 {
			t.Errorf("audit of the reserve: %+v", log.Items)
		}
		if audit := s.page(admin, "/audit"); !strings.Contains(audit, "删除储备人选") || !strings.Contains(audit, "中共预备党员") {
			t.Errorf("the audit page does not name the reserve's changes in Chinese")
		}
		res, _ = s.call(s.login("community1"), "GET", "/communities/QS-01-001/reserve", nil, nil)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a community account reads the reserve: %d", res.StatusCode)
		}
	})
}
