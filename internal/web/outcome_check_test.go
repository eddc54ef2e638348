package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
)

// The outcome check (issue 15, point 6) on its API and page: the issue's
// own request, a broken margin, ballots counted one by one, the settings
// overridden in the request and the cycle's settings used otherwise,
// refusals on their fields, and the page's form.
func TestOutcomeCheck(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		api := bearer(s, "leader")
		check := func(body map[string]any, want int) (election.Outcome, string) {
			t.Helper()
			res, raw := s.call(nil, "POST", "/api/v1/outcome-check", body, api)
			if res.StatusCode != want {
				t.Fatalf("outcome check: %d %s", res.StatusCode, raw)
			}
			var o election.Outcome
			if want == http.StatusOK {
				if err := json.Unmarshal(raw, &o); err != nil {
					t.Fatal(err)
				}
			}
			return o, string(raw)
		}
		codes := func(o election.Outcome) []string {
			var out []string
			for _, r := range o.Reasons {
				out = append(out, r.Code)
			}
			return out
		}

		// The example: seven seats and one candidate break the margin.
		o, raw := check(map[string]any{"committee": "residents", "round": "first", "seats": 7, "registered": 1000, "voted": 501,
			"ballots_issued": 501, "ballots_returned": 501, "invalid_ballots": 0,
			"candidates": []map[string]any{{"name": "张三", "sex": "女", "votes": 251}},
			"settings":   map[string]any{"threshold_base": "should_attend", "women_seat": true}}, http.StatusOK)
		if o.Valid || !slices.Equal(codes(o), []string{election.CodeMargin}) {
			t.Fatalf("one candidate for seven seats: %s", raw)
		}
		for _, key := range []string{`"valid"`, `"reasons"`, `"elected"`, `"further_ballot_seats"`, `"further_ballot_candidates"`,
			`"revote_between"`, `"women_seat_unfilled"`} {
			if !strings.Contains(raw, key) {
				t.Errorf("answer lacks %s: %s", key, raw)
			}
		}

		// Two seats, three candidates: 301 of 600 elects, 300 does not.
		three := []map[string]any{{"name": "张三", "sex": "男", "votes": 301}, {"name": "李四", "sex": "女", "votes": 300},
			{"name": "王五", "sex": "男", "votes": 100}}
		body := map[string]any{"committee": "residents", "seats": 2, "registered": 1000, "voted": 600, "ballots_returned": 600,
			"invalid_ballots": 0, "candidates": three, "settings": map[string]any{"women_seat": false}}
		o, raw = check(body, http.StatusOK)
		if !o.Valid || !slices.Equal(o.Elected, []string{"张三"}) || o.FurtherSeats != 1 ||
			!slices.Equal(o.FurtherCandidates, []string{"李四", "王五"}) || o.WomenSeatUnfilled {
			t.Fatalf("exactly half: %s", raw)
		}
		// Without the request's override the cycle keeps the women's seat:
		// 张三 is the only one elected and no woman is, so a seat is kept.
		delete(body, "settings")
		if o, raw = check(body, http.StatusOK); !o.WomenSeatUnfilled || !slices.Equal(o.Elected, []string{"张三"}) {
			t.Fatalf("the cycle's women's seat: %s", raw)
		}
		// The cycle's settings changed by the office decide the next check.
		ctx := context.Background()
		settings := election.DefaultSettings()
		settings.WomenSeat = false
		if err := s.st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.SaveElectionSettings(ctx, settings) }); err != nil {
			t.Fatal(err)
		}
		if o, raw = check(body, http.StatusOK); o.WomenSeatUnfilled {
			t.Fatalf("the cycle's settings were not read: %s", raw)
		}

		// Ballots replace the totals: the second names three of two seats
		// and is invalid; 甲 and 乙 have 3 votes each of 5 voting.
		o, raw = check(map[string]any{"committee": "residents", "seats": 2, "registered": 9, "voted": 5,
			"candidates": []map[string]any{{"name": "甲"}, {"name": "乙"}, {"name": "丙"}},
			"ballots":    [][]string{{"甲", "乙"}, {"甲", "乙", "丙"}, {"甲", "丁"}, {"乙"}, {"甲", "乙"}}}, http.StatusOK)
		if !o.Valid || !slices.Equal(o.Elected, []string{"甲", "乙"}) || o.FurtherSeats != 0 {
			t.Fatalf("ballots counted one by one: %s", raw)
		}

		// The party: exactly 4/5 present is no quorum; the base as a setting.
		party := map[string]any{"committee": "party", "seats": 1, "should_attend": 40, "present": 32, "ballots_returned": 32,
			"invalid_ballots": 0, "candidates": []map[string]any{{"name": "张三", "votes": 30}}}
		if o, raw = check(party, http.StatusOK); o.Valid || !slices.Equal(codes(o), []string{election.CodeQuorum}) {
			t.Fatalf("32 of 40: %s", raw)
		}
		party["present"], party["ballots_returned"] = 36, 36
		party["candidates"] = []map[string]any{{"name": "张三", "votes": 20}}
		if o, raw = check(party, http.StatusOK); len(o.Elected) != 0 {
			t.Fatalf("20 of 应到会 40 elected: %s", raw)
		}
		party["settings"] = map[string]any{"threshold_base": "present"}
		if o, raw = check(party, http.StatusOK); !slices.Equal(o.Elected, []string{"张三"}) {
			t.Fatalf("20 of 实到会 36 not elected: %s", raw)
		}
		// Returned above issued voids it, with the count's code.
		party["ballots_issued"] = 35
		if o, raw = check(party, http.StatusOK); o.Valid || !slices.Contains(codes(o), election.CodeReturnedIssued) {
			t.Fatalf("36 returned of 35: %s", raw)
		}

		// The remaining boundaries of the issue, through the API on each engine:
		// exactly a third in a further ballot elects; a tie at the last seat
		// is revoted; 5 seats need 6 candidates; returned = issued stands.
		further := map[string]any{"committee": "residents", "round": "further", "seats": 1, "registered": 1000, "voted": 600,
			"ballots_returned": 600, "invalid_ballots": 0, "settings": map[string]any{"women_seat": false},
			"candidates": []map[string]any{{"name": "甲", "votes": 200}, {"name": "乙", "votes": 199}}}
		if o, raw = check(further, http.StatusOK); !slices.Equal(o.Elected, []string{"甲"}) {
			t.Fatalf("a third in a further ballot: %s", raw)
		}
		further["candidates"] = []map[string]any{{"name": "甲", "votes": 199}, {"name": "乙", "votes": 198}}
		if o, raw = check(further, http.StatusOK); len(o.Elected) != 0 || o.FurtherSeats != 1 {
			t.Fatalf("under a third in a further ballot: %s", raw)
		}
		tie := map[string]any{"committee": "party", "seats": 2, "should_attend": 40, "present": 40, "ballots_issued": 40,
			"ballots_returned": 40, "invalid_ballots": 0, "round": "further",
			"candidates": []map[string]any{{"name": "甲", "votes": 28}, {"name": "乙", "votes": 25}, {"name": "丙", "votes": 25}}}
		if o, raw = check(tie, http.StatusOK); !slices.Equal(o.Elected, []string{"甲"}) || !slices.Equal(o.RevoteBetween, []string{"乙", "丙"}) {
			t.Fatalf("a tie at the last seat: %s", raw)
		}
		five := []map[string]any{}
		for _, name := range []string{"甲", "乙", "丙", "丁", "戊", "己"} {
			five = append(five, map[string]any{"name": name, "votes": 30})
		}
		margin := map[string]any{"committee": "party", "seats": 5, "should_attend": 40, "present": 40, "ballots_issued": 40,
			"ballots_returned": 40, "invalid_ballots": 0, "candidates": five}
		if o, raw = check(margin, http.StatusOK); !o.Valid {
			t.Fatalf("6 candidates for 5 seats: %s", raw)
		}
		margin["candidates"] = five[:5]
		if o, raw = check(margin, http.StatusOK); o.Valid || !slices.Equal(codes(o), []string{election.CodeMargin}) {
			t.Fatalf("5 candidates for 5 seats: %s", raw)
		}

		// The post names whose margin applies: with 委员 needing 2 more
		// candidates than seats and 主任 1, two candidates for one seat
		// break the members' margin and keep the director's.
		margins := func(m slate.Margins) {
			t.Helper()
			if err := s.st.Zone(store.System).Write(context.Background(), func(tx *store.Tx) error { return tx.SaveMargins(context.Background(), m) }); err != nil {
				t.Fatal(err)
			}
		}
		m := slate.DefaultMargins()
		m.MemberMin, m.MemberMax = 2, 3
		margins(m)
		one := map[string]any{"committee": "residents", "seats": 1, "registered": 100, "ballots_returned": 60, "invalid_ballots": 0,
			"candidates": []map[string]any{{"name": "甲", "votes": 40}, {"name": "乙", "votes": 20}}}
		if o, raw = check(one, http.StatusOK); o.Valid || !slices.Equal(codes(o), []string{election.CodeMargin}) {
			t.Errorf("2 candidates for a member's seat with a margin of 2: %s", raw)
		}
		one["post"] = "director"
		if o, raw = check(one, http.StatusOK); !o.Valid || !slices.Equal(o.Elected, []string{"甲"}) {
			t.Errorf("2 candidates for the director's seat with a margin of 1: %s", raw)
		}
		margins(slate.DefaultMargins())

		// Refusals name their field.
		for field, b := range map[string]map[string]any{
			"committee":           {"committee": "x", "seats": 1},
			"post":                {"committee": "residents", "seats": 1, "post": "secretary", "registered": 9, "ballots_returned": 5, "invalid_ballots": 0, "candidates": three},
			"seats":               {"committee": "party", "seats": 0},
			"registered":          {"committee": "residents", "seats": 1, "candidates": three},
			"candidates[1].name":  {"committee": "residents", "seats": 1, "registered": 9, "ballots_returned": 5, "invalid_ballots": 0, "candidates": []map[string]any{{"name": "甲", "votes": 1}, {"name": "甲", "votes": 1}}},
			"candidates[0].votes": {"committee": "residents", "seats": 1, "registered": 9, "ballots_returned": 5, "invalid_ballots": 0, "candidates": []map[string]any{{"name": "甲"}}},
		} {
			_, raw := check(b, http.StatusUnprocessableEntity)
			if !strings.Contains(raw, `"field":"`+field+`"`) {
				t.Errorf("refusal on %s: %s", field, raw)
			}
		}
		big := make([][]string, 20001)
		if _, raw := check(map[string]any{"committee": "residents", "seats": 1, "registered": 9, "candidates": []map[string]any{{"name": "甲"}}, "ballots": big}, http.StatusUnprocessableEntity); !strings.Contains(raw, `"field":"ballots"`) {
			t.Errorf("20,001 ballots: %s", raw)
		}

		// The page: a form that decides, and a refusal that keeps the input.
		leader := s.login("leader")
		if page := s.page(leader, "/elections/outcome-check"); !strings.Contains(page, "选举结果测算") {
			t.Fatal("no outcome check page")
		}
		form := url.Values{"committee": {"residents"}, "seats": {"2"}, "registered": {"1000"}, "voted": {"600"},
			"ballots_returned": {"600"}, "invalid_ballots": {"0"}, "women_seat": {"0"},
			"candidates[0].name": {"张三"}, "candidates[0].votes": {"301"}, "candidates[3].name": {"李四"}, "candidates[3].votes": {"300"},
			"candidates[4].name": {"王五"}, "candidates[4].votes": {"100"}}
		res, page := s.call(leader, "POST", "/elections/outcome-check", form.Encode(), nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "选举有效") || !strings.Contains(string(page), "另行选举") ||
			!strings.Contains(string(page), `value="李四"`) {
			t.Fatalf("page outcome: %d %s", res.StatusCode, page)
		}
		form.Set("candidates[4].votes", "很多")
		s.refusedForm(leader, "/elections/outcome-check", form, http.StatusUnprocessableEntity, "candidates[4].votes")
		form.Set("candidates[4].votes", "100")
		form.Set("candidates[3].name", "张三")
		s.refusedForm(leader, "/elections/outcome-check", form, http.StatusUnprocessableEntity, "candidates[3].name")
	})
}
