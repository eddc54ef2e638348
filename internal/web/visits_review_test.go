package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
)

// caller calls the API as the account of header h (nil: none) and
// answers the body, failing the test unless the status is want.
func caller(t *testing.T, s *site) func(h map[string]string, method, path string, body any, want int) string {
	return func(h map[string]string, method, path string, body any, want int) string {
		t.Helper()
		res, raw := s.call(nil, method, path, body, h)
		if res.StatusCode != want {
			t.Fatalf("%s %s: %d (want %d) %s", method, path, res.StatusCode, want, raw)
		}
		return string(raw)
	}
}

// A household of the register corrected and removed through the real
// server, on both engines: the correction form opened from the register on
// the community's visits page, filled from the household (the phone shown
// masked, never in full); refused onto another household's address, back
// on the page marked on the field with what was typed; taken, answered by
// the register; the JSON twin (PUT) likewise; a household a visit reached
// refused removal with the Chinese reason, on the page and the API
// (DELETE), one entered by mistake removed; another community's staff
// finds neither.
func TestHouseholdCorrection(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		s.st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		const code = "QS-01-001"
		staff := bearer(s, "community1")
		browser := s.login("community1")
		call := caller(t, s)
		var ids []int64
		for i, addr := range []string{"7号楼101", "7号楼102", "7号楼103"} {
			var h struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal([]byte(call(staff, "POST", "/api/v1/communities/"+code+"/households", map[string]any{"address": addr,
				"head": fmt.Sprintf("户主%d", i), "size": 2, "phone": "13800004321", "group": "第七网格"}, http.StatusCreated)), &h)
			ids = append(ids, h.ID)
		}
		base := "/communities/" + code + "/households/" + fmt.Sprint(ids[0])

		// The form, from the register.
		page := s.page(browser, "/communities/"+code+"/visits?round=before")
		if !strings.Contains(page, fmt.Sprintf("household=%d#edit-household", ids[0])) || strings.Contains(page, `data-testid="household-edit"`) {
			t.Fatal("the register lacks its correction links, or shows a correction form unasked")
		}
		page = s.page(browser, fmt.Sprintf("/communities/%s/visits?round=before&household=%d", code, ids[0]))
		if !strings.Contains(page, `data-testid="household-edit"`) || !strings.Contains(page, `action="`+base+`"`) ||
			!strings.Contains(page, `value="7号楼101"`) || !strings.Contains(page, "138****4321") || strings.Contains(page, "13800004321") {
			t.Fatal("the correction form is not filled from the household, or shows its phone in full")
		}
		s.refusedForm(browser, base, url.Values{"address": {"7号楼102"}, "head": {"户主甲"}, "size": {"3"}}, http.StatusUnprocessableEntity, "address")
		res, _ := s.call(browser, "POST", base, url.Values{"address": {"7号楼201"}, "head": {"户主甲"}, "size": {"3"}, "group": {"第七网格"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "#register") {
			t.Fatalf("the correction form: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		page = s.page(browser, "/communities/"+code+"/visits?round=before")
		if !strings.Contains(page, "7号楼201") || strings.Contains(tableOf(page, "households"), "7号楼101") || !strings.Contains(page, "138****4321") {
			t.Error("the register does not show the corrected household with its phone kept")
		}

		// The JSON twin.
		raw := call(staff, "PUT", "/api/v1"+base, map[string]any{"address": "7号楼202", "head": "户主甲", "size": 3, "phone": "13900001111"}, http.StatusOK)
		if !strings.Contains(raw, `"address":"7号楼202"`) || !strings.Contains(raw, `"phone":"139****1111"`) {
			t.Errorf("PUT answered %s", raw)
		}
		raw = call(staff, "PUT", "/api/v1"+base, map[string]any{"address": "7号楼103", "head": "户主甲", "size": 3}, http.StatusUnprocessableEntity)
		if !strings.Contains(raw, `"field":"address"`) || !strings.Contains(raw, "已登记") {
			t.Errorf("PUT onto another household's address: %s", raw)
		}
		raw = call(staff, "PUT", "/api/v1"+base, map[string]any{"address": "7号楼202", "head": "户主甲", "size": 3, "clear_phone": true}, http.StatusOK)
		if !strings.Contains(raw, `"phone":""`) {
			t.Errorf("PUT clearing the phone: %s", raw)
		}

		// A household a visit reached stays; one entered by mistake goes.
		call(staff, "POST", "/api/v1/visits", map[string]any{"client_id": "7f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f", "community": code,
			"round": "before", "household_id": ids[0], "visitors": []string{"走访员"}, "visited_on": "2026-10-19", "method": "door"}, http.StatusCreated)
		res, body := s.call(browser, "POST", base+"/remove", url.Values{}.Encode(), nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(string(body), "已有 1 次走访记录") ||
			!strings.Contains(string(body), `data-testid="household-edit"`) {
			t.Errorf("removing a visited household on the page: %d", res.StatusCode)
		}
		raw = call(staff, "DELETE", "/api/v1"+base, nil, http.StatusConflict)
		if !strings.Contains(raw, "不能删除") {
			t.Errorf("DELETE of a visited household: %s", raw)
		}
		other := fmt.Sprintf("/communities/%s/households/%d", code, ids[1])
		farStaff := s.addAccount(t, map[string]string{"username": "staff-qs02", "role": "community", "scope": "QS-02-001"})
		call(farStaff, "PUT", "/api/v1"+other, map[string]any{"address": "x", "head": "x", "size": 1}, http.StatusNotFound)
		call(farStaff, "DELETE", "/api/v1"+other, nil, http.StatusNotFound)
		if raw := call(staff, "DELETE", "/api/v1"+other, nil, http.StatusOK); !strings.Contains(raw, fmt.Sprintf(`"removed":%d`, ids[1])) {
			t.Errorf("DELETE answered %s", raw)
		}
		res, _ = s.call(browser, "POST", fmt.Sprintf("/communities/%s/households/%d/remove", code, ids[2]), url.Values{}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("the removal form: %d", res.StatusCode)
		}
		raw = call(staff, "GET", "/api/v1/communities/"+code+"/households", nil, http.StatusOK)
		if strings.Contains(raw, "7号楼102") || strings.Contains(raw, "7号楼103") || !strings.Contains(raw, "7号楼202") || !strings.Contains(raw, `"total":1`) {
			t.Errorf("the register after the removals: %s", raw)
		}

		// A phone's visit to 7号楼102, queued before it was removed, is
		// refused when it syncs, on its field with the reason, and stores
		// nothing; its author then fixes it (the same entry, the same client
		// id, another household) and it is taken.
		queued := map[string]any{"client_id": "7f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e60", "community": code, "round": "before",
			"household_id": ids[1], "visitors": []string{"走访员"}, "visited_on": "2026-10-19", "method": "door"}
		visits := func() int {
			var p struct {
				Total int `json:"total"`
			}
			json.Unmarshal([]byte(call(staff, "GET", "/api/v1/communities/"+code+"/visits?round=before&limit=1", nil, http.StatusOK)), &p)
			return p.Total
		}
		stored := visits()
		raw = call(staff, "POST", "/api/v1/visits", queued, http.StatusUnprocessableEntity)
		if !strings.Contains(raw, `"field":"household_id"`) || !strings.Contains(raw, "本社区名单上没有这个走访对象") {
			t.Errorf("a queued visit to a removed household: %s", raw)
		}
		if n := visits(); n != stored || stored == 0 {
			t.Errorf("%d visits after the refusal, %d before", n, stored)
		}
		queued["household_id"] = ids[0]
		call(staff, "POST", "/api/v1/visits", queued, http.StatusCreated)
		if n := visits(); n != stored+1 {
			t.Errorf("%d visits after the fixed entry, want %d", n, stored+1)
		}
	})
}

// The faults found in review, through the real server on both engines: a
// research finding dated the day it was made (the form's field, refused
// after today on that field, the API's default) and its author named by
// display name, as is a visit's recorder; the round during, which does not
// ask for 全谈, owes no talks on the community's page nor its JSON twin;
// a member holding both posts (一肩挑) is offered once on the visit form
// and owed one talk.
func TestVisitReviewFaults(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		s.st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		const code = "QS-01-001"
		admin := bearer(s, "admin")
		call := caller(t, s)
		var a struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(admin, "POST", "/api/v1/visits/activities", map[string]any{"name": "分片研判调研", "starts_on": "2026-10-01",
			"ends_on": "2026-10-31", "team": []string{"调研员甲"}, "communities": []string{code}}, http.StatusCreated)), &a)
		findings := fmt.Sprintf("/visits/activities/%d/findings", a.ID)
		office := s.login("admin")
		page := s.page(office, "/visits")
		if !strings.Contains(page, `name="day" type="date" required min="2026-10-01" max="2026-10-20" value="2026-10-20"`) {
			t.Error("the finding's form lacks its day, today by default, within the activity")
		}
		s.refusedForm(office, findings, url.Values{"community": {code}, "text": {"班子团结"}, "day": {"2026-10-21"}}, http.StatusUnprocessableEntity, "day")
		res, _ := s.call(office, "POST", findings, url.Values{"community": {code}, "text": {"班子团结,群众认可"}, "day": {"2026-10-12"}}.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the finding's form: %d", res.StatusCode)
		}
		raw := call(admin, "POST", "/api/v1"+findings, map[string]any{"community": code, "text": "后备人选不足"}, http.StatusCreated)
		if !strings.Contains(raw, `"day":"2026-10-20"`) || !strings.Contains(raw, `"by_name":"陈静"`) {
			t.Errorf("a finding without a day: %s", raw)
		}
		page = s.page(office, "/visits")
		if !strings.Contains(page, "(2026-10-12 陈静记录)") || strings.Contains(page, "admin记录") || strings.Contains(page, "2026-10-12 admin") {
			t.Error("the finding is not shown with its day and its author's name")
		}

		// A visit's recorder by name.
		staff := bearer(s, "community1")
		var h struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(staff, "POST", "/api/v1/communities/"+code+"/households", map[string]any{"address": "6号楼101", "head": "赵六",
			"size": 2}, http.StatusCreated)), &h)
		var v struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(staff, "POST", "/api/v1/visits", map[string]any{"client_id": "8f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f",
			"community": code, "round": "before", "household_id": h.ID, "visitors": []string{"走访员"}, "visited_on": "2026-10-19",
			"method": "door"}, http.StatusCreated)), &v)
		if page := s.page(office, fmt.Sprintf("/visits/%d", v.ID)); !strings.Contains(page, "<dd>李秀英</dd>") {
			t.Error("the visit's page does not name its recorder 李秀英")
		}

		// 一肩挑: each person once on the form and among the talks owed.
		persons := map[string]bool{}
		for _, m := range plainDemo.zone.Members {
			if m.OrgCode == code {
				persons[m.IDNumber] = true
			}
		}
		rows := 0
		for _, m := range plainDemo.zone.Members {
			if m.OrgCode == code {
				rows++
			}
		}
		if rows == len(persons) {
			t.Fatalf("%s has no member holding both posts: the demo changed", code)
		}
		page = s.page(s.login("community1"), "/communities/"+code+"/visits?round=before")
		if n := strings.Count(page, `<option value="m:`); n != len(persons) {
			t.Errorf("the visit form offers %d sitting members, want the %d persons once each", n, len(persons))
		}
		var owed struct {
			Total int `json:"total"`
		}
		json.Unmarshal([]byte(call(staff, "GET", "/api/v1/communities/"+code+"/talks-owed?round=before", nil, http.StatusOK)), &owed)
		if owed.Total != len(persons) {
			t.Errorf("%d talks owed before, want one for each of the %d persons", owed.Total, len(persons))
		}

		// The round during does not ask for 全谈.
		json.Unmarshal([]byte(call(staff, "GET", "/api/v1/communities/"+code+"/talks-owed?round=during", nil, http.StatusOK)), &owed)
		if owed.Total != 0 {
			t.Errorf("the round during owes %d talks, want none", owed.Total)
		}
		page = s.page(s.login("community1"), "/communities/"+code+"/visits?round=during")
		if strings.Contains(page, `data-testid="owed"`) || strings.Contains(page, "尚欠谈话人数") || !strings.Contains(page, `data-testid="no-talk-all"`) {
			t.Error("the community's page of the round during lists talks owed")
		}
	})
}
