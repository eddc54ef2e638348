package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// passedAspirants registers names in community for the party committee and
// takes each through the second review, the assessment, the party
// committee's decision, the higher level's approval and a notice of
// 2027-01-15 to 01-19: on 2027-01-20 they stand at slate.StagePassed. The
// clock must be on 2027-01-10.
func passedAspirants(t *testing.T, st *store.Store, community string, names ...string) []int64 {
	t.Helper()
	ids := addAspirants(t, st, community, names...)
	ctx := context.Background()
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			for _, to := range []vetting.Status{vetting.UnderReview, vetting.Reviewed, vetting.Qualified} {
				if err := tx.MoveAspirant(ctx, id, to, "测试"); err != nil {
					return err
				}
			}
			if _, err := tx.AssessCandidate(ctx, id, slate.Assessment{Talks: 5, Talked: "党员", Appraisal: slate.Appraisal{Excellent: 8, Competent: 2},
				Opinion: "好", Conclusion: slate.Recommend}); err != nil {
				return err
			}
			if _, err := tx.DecideCandidate(ctx, id, slate.Decision{Approved: true, Day: "2027-01-12"}); err != nil {
				return err
			}
			if _, err := tx.ApproveCandidateHigher(ctx, id, slate.Higher{Day: "2027-01-14", Document: "清组字〔2027〕3号"}); err != nil {
				return err
			}
			if _, err := tx.NoticeCandidate(ctx, id, slate.Notice{Start: "2027-01-15", End: "2027-01-19"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// The formal candidate list of a party committee from the page and the
// API: seats first; 20% on 5 seats needs 6 candidates; the posting day at
// the latest 5 days before the vote; only persons who passed the notice;
// set again until the posting day passes; a withdrawal within 3 days of
// the posting filled by the next by votes among those who passed (not the
// one with more votes still under assessment); a replacement posted too
// late leaves the list short with a warning; scope, roles and audit.
func TestFormalCandidates(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 10, 9, 0, 0, 0, civil.Zone)
		s.st.SetClock(func() time.Time { return clock })
		admin, api := s.login("admin"), bearer(s, "admin")
		call := func(method, path string, body any, want int) string {
			t.Helper()
			res, raw := s.call(nil, method, path, body, api)
			if res.StatusCode != want {
				t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
			}
			return string(raw)
		}
		call("PUT", "/api/v1/election-days", map[string]string{"unit": "QS-01", "party_day": "2027-03-01", "residents_day": "2027-03-29"}, http.StatusOK)
		const code = "QS-01-001"
		ids := passedAspirants(t, s.st, code, "正式甲", "正式乙", "正式丙", "正式丁", "正式戊", "正式己", "正式庚")
		pending := addAspirants(t, s.st, code, "正式辛")[0] // qualified, never assessed
		if err := s.st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			for _, to := range []vetting.Status{vetting.UnderReview, vetting.Reviewed, vetting.Qualified} {
				if err := tx.MoveAspirant(ctx, pending, to, "测试"); err != nil {
					return err
				}
			}
			// The party members' recommendation: 辛 leads the members' post but was not assessed; 庚 is next.
			_, err := tx.SetRecommendation(ctx, code, slate.Recommendation{Committee: org.PartyCommittee, Kind: slate.MembersKind,
				Expected: 60, Present: 50, Day: "2027-01-10", Votes: []slate.Vote{
					{AspirantID: pending, Post: vetting.CommitteeMember, Votes: 45}, {AspirantID: ids[6], Post: vetting.CommitteeMember, Votes: 30},
					{AspirantID: ids[5], Post: vetting.CommitteeMember, Votes: 40}, {AspirantID: ids[0], Post: vetting.Secretary, Votes: 48}}})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		clock = time.Date(2027, 1, 20, 9, 0, 0, 0, civil.Zone)
		admin = s.login("admin") // the session of ten days ago has expired
		path, apiPath := "/communities/"+code+"/formal/party", "/api/v1/communities/"+code+"/formal/party"
		list := func(n int) []map[string]any {
			var out []map[string]any
			for i, id := range ids[:n] {
				post := "member"
				if i == 0 {
					post = "secretary"
				}
				out = append(out, map[string]any{"aspirant_id": id, "post": post})
			}
			return out
		}

		page := s.page(admin, "/communities/"+code+"/formal")
		if !strings.Contains(page, "尚未确定正式候选人名单") || !strings.Contains(page, "请先<a") {
			t.Errorf("the page lacks the unset list or the call to set the seats")
		}
		// Seats not set: refused, asking for them first.
		body := call("PUT", apiPath, map[string]any{"posted_on": "2027-02-20", "candidates": list(6)}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `"field":"seats"`) || !strings.Contains(body, "请先设定职数") {
			t.Errorf("a list without seats: %s", body)
		}
		call("PUT", "/api/v1/communities/"+code+"/seats/party", map[string]any{"full_members": 40, "chief": 1, "deputies": 1, "members": 3}, http.StatusOK)
		// 5 candidates for 5 seats: refused; 20% more needs 6.
		if body := call("PUT", apiPath, map[string]any{"posted_on": "2027-02-20", "candidates": list(5)}, http.StatusUnprocessableEntity); !strings.Contains(body, "至少6人") {
			t.Errorf("5 candidates for 5 seats: %s", body)
		}
		// A person still under assessment: refused with the reason.
		if body := call("PUT", apiPath, map[string]any{"posted_on": "2027-02-20", "candidates": append(list(6),
			map[string]any{"aspirant_id": pending, "post": "member"})}, http.StatusUnprocessableEntity); !strings.Contains(body, "candidates[6].aspirant_id") ||
			!strings.Contains(body, "尚未通过考察") {
			t.Errorf("a pending person on the list: %s", body)
		}
		// The form: posted 4 days before the vote refused on the day; 5 candidates refused on a post's row; what was typed kept.
		page = s.page(admin, "/communities/"+code+"/formal")
		form := url.Values{"posted_on": {"2027-02-25"}}
		rowOf := map[int64]int{}
		for _, m := range regexp.MustCompile(`name="candidates\[(\d+)\]\.aspirant_id" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
			row, _ := strconv.Atoi(m[1])
			id, _ := strconv.ParseInt(m[2], 10, 64)
			if slices.Contains(ids, id) {
				rowOf[id] = row
			}
		}
		if len(rowOf) != len(ids) {
			t.Fatalf("the form offers %d of the %d persons who passed", len(rowOf), len(ids))
		}
		for i, id := range ids {
			n := "candidates[" + itoa(int64(rowOf[id])) + "]."
			form.Set(n+"aspirant_id", itoa(id))
			switch {
			case i == 0:
				form.Set(n+"post", "secretary")
			case i < 6:
				form.Set(n+"post", "member")
			default:
				form.Set(n+"post", "")
			}
		}
		s.refusedForm(admin, path, form, http.StatusUnprocessableEntity, "posted_on")
		form.Set("posted_on", "2027-02-20")
		form.Set("candidates["+itoa(int64(rowOf[ids[5]]))+"].post", "")
		page = s.refusedForm(admin, path, form, http.StatusUnprocessableEntity, "candidates["+itoa(int64(rowOf[ids[0]]))+"].post")
		if !strings.Contains(page, "至少6人") {
			t.Errorf("the margin's refusal does not say why")
		}
		form.Set("candidates["+itoa(int64(rowOf[ids[5]]))+"].post", "member")
		if res, raw := s.call(admin, "POST", path, form.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save the list: %d %s", res.StatusCode, raw)
		}
		// Before its posting day the list may be set again, by the API too.
		call("PUT", apiPath, map[string]any{"posted_on": "2027-02-20", "candidates": list(6)}, http.StatusOK)
		page = s.page(admin, "/communities/"+code+"/formal")
		if !strings.Contains(page, `data-testid="posted-party">2027-02-20`) || !strings.Contains(page, "48票(第1)") || strings.Contains(page, `data-testid="finding"`) {
			t.Errorf("the page lacks the posting day, the votes, or shows a finding")
		}

		// Scope and roles: another district's community is not the team's; a community account reads nothing.
		res, raw := s.call(nil, "PUT", "/api/v1/communities/QS-02-001/formal/party", map[string]any{"posted_on": "2027-02-20", "candidates": list(6)},
			bearer(s, "district1"))
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		if res, _ := s.call(s.login("community1"), "GET", "/communities/"+code+"/formal", nil, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a community account reads the formal list: %d", res.StatusCode)
		}
		if res, _ := s.call(nil, "PUT", apiPath, map[string]any{"posted_on": "2027-02-20", "candidates": list(6)}, bearer(s, "committee")); res.StatusCode != http.StatusForbidden {
			t.Errorf("the party committee sets the list: %d", res.StatusCode)
		}

		// After the posting day only withdrawals change it.
		clock = time.Date(2027, 2, 21, 9, 0, 0, 0, civil.Zone)
		admin = s.login("admin")
		res, raw = s.call(nil, "PUT", apiPath, map[string]any{"posted_on": "2027-02-20", "candidates": list(6)}, api)
		if e := wantError(t, res, raw, http.StatusConflict, "conflict"); !strings.Contains(e.Error.Message, "只能登记候选人退出") {
			t.Errorf("a posted list set again: %s", raw)
		}
		// Withdrawal 4 days after posting: refused; day 3 is not yet today.
		call("POST", apiPath+"/withdraw", map[string]any{"aspirant_id": ids[5], "withdrawn_on": "2027-02-24", "reason": "身体原因"}, http.StatusUnprocessableEntity)
		s.refusedForm(admin, path+"/withdraw", url.Values{"aspirant_id": {itoa(ids[5])}, "withdrawn_on": {"2027-02-21"}, "reason": {""}},
			http.StatusUnprocessableEntity, "reason")
		if res, raw := s.call(admin, "POST", path+"/withdraw", url.Values{"aspirant_id": {itoa(ids[5])}, "withdrawn_on": {"2027-02-21"},
			"reason": {"身体原因"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("withdraw: %d %s", res.StatusCode, raw)
		}
		var got struct {
			List struct {
				Short bool `json:"short"`
				Posts []struct {
					Post       string `json:"post"`
					Candidates []struct {
						AspirantID int64  `json:"aspirant_id"`
						Age        int    `json:"age"`
						Replaces   int64  `json:"replaces"`
						Education  string `json:"education"`
					} `json:"candidates"`
				} `json:"posts"`
				Withdrawn []struct {
					AspirantID     int64  `json:"aspirant_id"`
					ReplacedBy     int64  `json:"replaced_by"`
					ReplacedByName string `json:"replaced_by_name"`
				} `json:"withdrawn"`
				Warnings []string `json:"warnings"`
			} `json:"list"`
		}
		s.getJSON(admin, apiPath, &got)
		if len(got.List.Withdrawn) != 1 || got.List.Withdrawn[0].ReplacedBy != ids[6] || got.List.Withdrawn[0].ReplacedByName != "正式庚" || got.List.Short {
			t.Errorf("the withdrawal is not filled by the next by votes who passed: %+v", got.List)
		}
		members := got.List.Posts[2].Candidates
		if len(members) != 5 || members[4].AspirantID != ids[6] || members[4].Replaces != ids[5] || members[4].Age == 0 {
			t.Errorf("the members' post after the replacement: %+v", members)
		}
		// A replacement posted 2 days before the vote is too late: recorded, the list short.
		body = call("POST", apiPath+"/withdraw", map[string]any{"aspirant_id": ids[4], "withdrawn_on": "2027-02-21", "reason": "外出务工",
			"replacement_posted_on": "2027-02-27"}, http.StatusOK)
		if !strings.Contains(body, `"short":true`) || !strings.Contains(body, "来不及递补") {
			t.Errorf("a late replacement: %s", body)
		}
		page = s.page(admin, "/communities/"+code+"/formal")
		if !strings.Contains(page, `data-testid="short"`) || !strings.Contains(page, "由 <b>正式庚</b> 递补") || !strings.Contains(page, "至少6人") {
			t.Errorf("the page lacks the short list's warning, the replacement or the margin's finding")
		}
		// The store's listing for every community in scope, as the elections take it.
		all, err := s.st.Zone(store.System).FormalLists(ctx, "")
		if err != nil || len(all) != 1 || all[0].Community != code || !all[0].Short || len(all[0].Candidates) != 7 {
			t.Errorf("FormalLists: %v %+v", err, all)
		}
		users, err := s.st.Zone(store.System).ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.ScopeCode == "" || strings.HasPrefix(code, u.ScopeCode) || strings.HasPrefix(u.ScopeCode, code) {
				continue
			}
			if mine, err := s.st.For(u).FormalLists(ctx, ""); err != nil || len(mine) != 0 {
				t.Errorf("%s of %s sees %d lists: %v", u.Username, u.ScopeCode, len(mine), err)
			}
		}

		var log struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/audit?limit=50", &log)
		seen := map[string]int{}
		for _, e := range log.Items {
			seen[e.Action]++
		}
		if seen["slate.formal"] != 2 || seen["slate.withdraw"] != 2 {
			t.Errorf("audit entries: %v", seen)
		}
		if page := s.page(admin, "/audit"); strings.Contains(page, "replacement_posted_on") || strings.Contains(page, "posted_on") {
			t.Errorf("the audit page shows a field's code")
		}
	})
}
