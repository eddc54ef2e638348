package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
)

// The forms of the gates and of discipline on the one pattern (form.go):
// each refused form comes back with what was typed and the error tied to
// its field (site.refusedForm), and the API twin names the same field; the
// forms that make a record go to it; an empty choice in the tip's triage
// means "none", not "unchanged".
func TestGatesFormsPattern(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin, discipline, committee, gaj := s.login("admin"), s.login("discipline"), s.login("committee"), s.login("reviewer-gaj")
		today := string(civil.Of(st.Now()))
		ids := addAspirants(t, st, "QS-01-001", "甲某某", "乙某某")
		made := func(c *http.Client, action string, form url.Values, path string) string {
			t.Helper()
			res, body := s.call(c, "POST", action, form.Encode(), nil)
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile("^"+path+`[1-9][0-9]*$`).MatchString(loc) {
				t.Fatalf("POST %s: %d to %q, want 303 to %sN: %s", action, res.StatusCode, loc, path, body)
			}
			return loc
		}
		apiField := func(user, path string, in any, field string) {
			t.Helper()
			res, body := s.call(nil, "POST", path, in, bearer(s, user))
			if e := wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != field {
				t.Errorf("POST %s: field %q, want %s", path, e.Error.Field, field)
			}
		}

		// Registration: refused on the name; the ID number typed is never shown again.
		reg := url.Values{"community": {"QS-01-001"}, "name": {"李"}, "phone": {"13905310001"}, "party": {"member"},
			"committee": {"party"}, "post": {"secretary"}, "education": {"bachelor"}, "current_post": {"社区<副书记>"}}
		s.refusedForm(admin, "/aspirants", reg, http.StatusUnprocessableEntity, "name")
		good := validID("19750610", "335")
		bad := good[:17] + map[bool]string{true: "1", false: "0"}[good[17] == '0']
		reg.Set("name", "李明明")
		reg.Set("id_number", bad)
		res, page := s.call(admin, "POST", "/aspirants", reg.Encode(), nil)
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(string(page), bad) ||
			!regexp.MustCompile(`<input name="id_number"[^>]*aria-invalid="true"`).Match(page) {
			t.Errorf("wrong check digit: %d, the number shown again or its field not marked", res.StatusCode)
		}
		reg.Set("id_number", good)
		made(admin, "/aspirants", reg, "/aspirants/")

		// Rounds, checklists and a department's answer.
		s.refusedForm(admin, "/review/rounds", url.Values{"kind": {"first"}, "doc_no": {"开发区换届办〔2026〕<9>号"}, "date": {today},
			"deadline": {"2026-02-30"}}, http.StatusUnprocessableEntity, "deadline")
		var depts struct{ Items []struct{ Code string } }
		s.getJSON(admin, "/api/v1/review/departments", &depts)
		s.refusedForm(admin, "/review/departments/"+depts.Items[0].Code, url.Values{}, http.StatusUnprocessableEntity, "checklist")
		res, body := s.call(nil, "POST", "/api/v1/review-rounds", map[string]string{"kind": "first", "doc_no": "开发区换届办〔2026〕9号",
			"date": today, "deadline": today}, bearer(s, "admin"))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("round: %d %s", res.StatusCode, body)
		}
		var queue struct{ Items []struct{ ID int64 } }
		s.getJSON(gaj, "/api/v1/review-requests", &queue)
		if len(queue.Items) == 0 {
			t.Fatal("no request in the queue of reviewer-gaj")
		}
		answer := fmt.Sprintf("/review/requests/%d/answer", queue.Items[0].ID)
		page = []byte(s.refusedForm(gaj, answer, url.Values{"verdict": {"findings"}, "note": {"查有<前科>"}}, http.StatusUnprocessableEntity, "conditions"))
		if !strings.Contains(string(page), `data-testid="answer-form"`) {
			t.Error("an answer refused from the request's page does not come back to it")
		}
		// The same refusal from a row of the queue's page comes back to that
		// page, its filter kept, that row's form open and marked, the other
		// rows' forms as they were.
		back := "/review/queue?status=all"
		page = []byte(s.refusedForm(gaj, answer, url.Values{"verdict": {"findings"}, "note": {"队列<核查>"}, "back": {back}, "from": {"queue"}},
			http.StatusUnprocessableEntity, "conditions"))
		if !strings.Contains(string(page), `data-testid="queue"`) || strings.Contains(string(page), `data-testid="answer-form"`) {
			t.Error("an answer refused from the queue does not come back to the queue's page")
		}
		rows := regexp.MustCompile(`(?s)<tr[^>]*data-id="(\d+)">.*?</tr>`).FindAllSubmatch(page, -1)
		if len(rows) < 2 {
			t.Fatalf("the queue's page shows %d rows, want the refused one and others", len(rows))
		}
		for _, row := range rows {
			marked := regexp.MustCompile(`aria-invalid|<details class="noprint" open>|队列&lt;核查&gt;|name="verdict" value="findings" checked`).FindAll(row[0], -1)
			if mine := string(row[1]) == itoa(queue.Items[0].ID); mine && len(marked) != 4 || !mine && len(marked) != 0 {
				t.Errorf("queue row %s after the refusal of request %d: %q", row[1], queue.Items[0].ID, marked)
			}
			if !strings.Contains(string(row[0]), `name="back" value="`+back+`"`) {
				t.Errorf("queue row %s does not keep the page's filter %s", row[1], back)
			}
		}

		// The second review: a meeting, then a decision on one of two aspirants,
		// whose form alone comes back marked.
		meeting := url.Values{"held_on": {today}, "title": {"会"}, "doc_no": {"纪要〔2026〕<1>号"}, "note": {"备注<一>"}}
		s.refusedForm(committee, "/second-review/meetings", meeting, http.StatusUnprocessableEntity, "title")
		meeting.Set("title", "党工委会议")
		record := made(committee, "/second-review/meetings", meeting, "/second-review/meetings/")
		_, page = s.call(committee, "GET", record, nil, nil)
		first := regexp.MustCompile(`data-aspirant="(\d+)"`).FindSubmatch(page) // the form refusedForm finds first
		page = []byte(s.refusedForm(committee, record+"/decisions", url.Values{"aspirant_id": {string(first[1])}, "outcome": {"barred"},
			"note": {"意见<一>"}}, http.StatusUnprocessableEntity, "condition"))
		if n := strings.Count(string(page), "意见&lt;一&gt;"); n != 1 {
			t.Errorf("the opinion typed is in %d decision forms, want 1", n)
		}
		// A form naming the JSON's nested record is refused, not a broken connection.
		if res, _ := s.call(committee, "POST", record+"/decisions", url.Values{"aspirant_id": {itoa(ids[1])}, "persuasion": {"刘某"}}.Encode(), nil); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a decision form with a field persuasion: %d, want 422", res.StatusCode)
		}
		apiField("committee", "/api/v1/review-meetings/"+strings.TrimPrefix(record, "/second-review/meetings/")+"/decisions",
			map[string]any{"aspirant_id": ids[1], "outcome": "qualified", "case_id": 7}, "case_id")

		// Cases: a new case from a tip names the tip; an outcome.
		newCase := url.Values{"community": {"QS-01-001"}, "source": {"tip"}, "summary": {"巡察发现<违规>承诺"}, "parties": {"周某、吴某"},
			"aspirant_ids": {itoa(ids[0])}}
		page = []byte(s.refusedForm(discipline, "/cases", newCase, http.StatusUnprocessableEntity, "tip_id"))
		if !regexp.MustCompile(`name="aspirant_ids" value="` + itoa(ids[0]) + `" checked`).Match(page) {
			t.Error("the aspirant checked is not checked again")
		}
		apiField("discipline", "/api/v1/cases", map[string]any{"community": "QS-01-001", "source": "tip", "summary": "巡察发现违规承诺",
			"parties": []string{"周某"}}, "tip_id")
		newCase.Set("source", "inspection")
		kase := made(discipline, "/cases", newCase, "/cases/")
		for _, to := range []string{"investigating", "handling"} {
			made(discipline, kase+"/status", url.Values{"status": {to}}, "/cases/")
		}
		// State-true: no 办结 button before an outcome; one after it.
		closeButton := regexp.MustCompile(`name="status" value="closed"`)
		if _, page := s.call(discipline, "GET", kase, nil, nil); closeButton.Match(page) || !strings.Contains(string(page), `data-testid="close-waits"`) {
			t.Error("the case offers 办结 before it has an outcome")
		}
		s.refusedForm(discipline, kase+"/outcome", url.Values{"outcome": {""}, "note": {"说明<一>"}}, http.StatusUnprocessableEntity, "outcome")
		made(discipline, kase+"/outcome", url.Values{"outcome": {"admonish"}, "note": {"批评教育"}}, "/cases/")
		if _, page := s.call(discipline, "GET", kase, nil, nil); !closeButton.Match(page) {
			t.Error("the case with an outcome offers no 办结")
		}

		// The publicity log.
		s.refusedForm(discipline, "/discipline", url.Values{"community": {"QS-01-001"}, "type": {"other"}, "quantity": {"100001"},
			"date": {today}, "note": {"发放<倡议书>"}}, http.StatusUnprocessableEntity, "quantity")
		apiField("discipline", "/api/v1/activities", map[string]any{"community": "", "type": "other", "quantity": 1, "date": today}, "community")

		// The public tip form, and a tip's triage.
		page = []byte(s.refusedForm(nil, "/tip", url.Values{"community": {"QS-01-001"}, "category": {"bribery"}, "person": {"王某<某>"},
			"description": {"送了米面油"}}, http.StatusUnprocessableEntity, "description"))
		if !strings.Contains(string(page), "请重新选择") {
			t.Error("the refused tip form does not say the files must be chosen again")
		}
		if res, body := s.postTip(map[string]any{"community": "QS-01-001", "category": "bribery", "description": tipDescription}, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("tip: %d %s", res.StatusCode, body)
		}
		var tips struct{ Items []struct{ ID int64 } }
		s.getJSON(discipline, "/api/v1/tips", &tips)
		tip := fmt.Sprintf("/tips/%d", tips.Items[0].ID)
		s.refusedForm(discipline, tip+"/triage", url.Values{"status": {""}, "result": {"先行<核查>"}, "aspirant_id": {""}, "case_id": {""}},
			http.StatusUnprocessableEntity, "result")
		for _, route := range []string{"police", ""} {
			made(discipline, tip+"/triage", url.Values{"routed_to": {route}}, "/tips/")
			_, body := s.call(discipline, "GET", "/api/v1"+tip+"/detail", nil, nil)
			var got struct {
				RoutedTo string `json:"routed_to"`
			}
			if json.Unmarshal(body, &got) != nil || got.RoutedTo != route {
				t.Errorf("routed to %q by the form: the tip is routed to %q", route, got.RoutedTo)
			}
		}
	})
}
