package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// formalListOf gives community code's party committee, counted back from
// the store's today, six persons through the third gate, 5 seats (书记,
// 副书记, 3 委员), a formal list of them (1 书记, 5 委员) and its election
// today.
func formalListOf(t *testing.T, st *store.Store, code string) {
	t.Helper()
	ctx := context.Background()
	today := st.Today()
	day := func(n int) civil.Date { return today.AddDays(n) }
	zone := st.Zone(store.System)
	var ids []int64
	err := zone.Write(ctx, func(tx *store.Tx) error {
		if _, _, err := tx.SetElectionDays(ctx, code, progress.Days{Party: today, Residents: day(28)}); err != nil {
			return err
		}
		if _, err := tx.SetSeats(ctx, code, slate.Seats{Committee: org.PartyCommittee, FullMembers: 40, Chief: 1, Deputies: 1, Members: 3}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"甲", "乙", "丙", "丁", "戊", "己"} {
		ids = append(ids, addAspirants(t, st, code, "计票"+code[len(code)-3:]+name)...)
	}
	var entries []slate.Entry
	err = zone.Write(ctx, func(tx *store.Tx) error {
		for i, id := range ids {
			for _, to := range []vetting.Status{vetting.UnderReview, vetting.Reviewed, vetting.Qualified} {
				if err := tx.MoveAspirant(ctx, id, to, "测试"); err != nil {
					return err
				}
			}
			if _, err := tx.AssessCandidate(ctx, id, slate.Assessment{Talks: 5, Talked: "党员", Appraisal: slate.Appraisal{Excellent: 8, Competent: 2},
				Opinion: "好", Conclusion: slate.Recommend}); err != nil {
				return err
			}
			if _, err := tx.DecideCandidate(ctx, id, slate.Decision{Approved: true, Day: day(-20)}); err != nil {
				return err
			}
			if _, err := tx.ApproveCandidateHigher(ctx, id, slate.Higher{Day: day(-18), Document: "清组字〔2026〕3号"}); err != nil {
				return err
			}
			if _, err := tx.NoticeCandidate(ctx, id, slate.Notice{Start: day(-15), End: day(-11)}); err != nil {
				return err
			}
			post := vetting.CommitteeMember
			if i == 0 {
				post = vetting.Secretary
			}
			entries = append(entries, slate.Entry{AspirantID: id, Post: post})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = zone.Write(ctx, func(tx *store.Tx) error { // the list reads the persons as committed
		_, err := tx.SetFormalList(ctx, code, org.PartyCommittee, day(-6), entries)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// openPartyBallot opens, as the platform, the first ballot of community
// code's party committee: 40 should attend, 38 present.
func openPartyBallot(t testing.TB, st *store.Store, code string) store.Ballot {
	t.Helper()
	ctx := context.Background()
	var b store.Ballot
	if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		var err error
		b, err = tx.OpenBallot(ctx, code, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound, ShouldAttend: 40, Present: 38})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

// sheetForm is the entry form of a party sheet of 38 valid ballots out of
// 38: the 书记 candidate yes on all, each member fewer by turns; blank
// leaves a field out (empty), secretary sets the 书记's yes.
func sheetForm(b store.Ballot, secretary int, blank string) url.Values {
	v := url.Values{"voted": {""}, "ballots_issued": {"38"}, "ballots_returned": {"38"}, "valid_ballots": {"38"}, "invalid_ballots": {"0"}}
	for i, c := range b.Candidates {
		p := fmt.Sprintf("lines[%d].", i)
		yes := 20 - i
		if i == 0 {
			yes = secretary
		}
		abstain := min(1, 38-yes)
		v.Set(p+"key", c.Key)
		v.Set(p+"post", string(c.Post))
		v.Set(p+"yes", strconv.Itoa(yes))
		v.Set(p+"no", strconv.Itoa(38-yes-abstain))
		v.Set(p+"abstain", strconv.Itoa(abstain))
	}
	for i := 0; i < 3; i++ {
		v.Set(fmt.Sprintf("write_ins[%d].name", i), "")
		v.Set(fmt.Sprintf("write_ins[%d].post", i), "member")
		v.Set(fmt.Sprintf("write_ins[%d].yes", i), "")
	}
	if blank != "" {
		v.Set(blank, "")
	}
	return v
}

// sheetJSON is sheetForm as the API takes it.
func sheetJSON(b store.Ballot, secretary int, final bool) map[string]any {
	var lines []map[string]any
	for i, c := range b.Candidates {
		yes := 20 - i
		if i == 0 {
			yes = secretary
		}
		abstain := min(1, 38-yes)
		lines = append(lines, map[string]any{"key": c.Key, "post": c.Post, "yes": yes, "no": 38 - yes - abstain, "abstain": abstain})
	}
	return map[string]any{"ballots_issued": 38, "ballots_returned": 38, "valid_ballots": 38, "invalid_ballots": 0, "lines": lines,
		"write_ins": []any{}, "final": final}
}

// Counting from the pages and the API (issue 15, "Done when"): a count
// whose two entries differ cannot be confirmed, and after the coordinator
// resolves it, it can; the same clerk cannot enter twice; a clerk cannot
// read the other's entry, on the page nor from the API; an empty field
// stays empty (not 0) and fails the check until 其余填0; a refused form
// keeps what was typed; roles and scope; the audit page names it all in
// Chinese.
func TestCountsDoubleEntry(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		const code = "QS-01-001"
		formalListOf(t, s.st, code)
		clerk1, clerk2, coord := s.login("community1"), s.login("district1"), s.login("admin")
		api1, api2, apiAdmin := bearer(s, "community1"), bearer(s, "district1"), bearer(s, "admin")

		// Opened from the community's page: seats and candidates as listed.
		page := s.page(clerk1, "/communities/"+code+"/ballots")
		if !strings.Contains(page, `data-testid="open-party"`) || !strings.Contains(page, "尚未开启投票") {
			t.Fatalf("the ballots page lacks the form to open a party ballot")
		}
		s.refusedForm(clerk1, "/communities/"+code+"/ballots/party", url.Values{"round": {"first"}, "should_attend": {"40"}, "present": {"41"},
			"seats_secretary": {"1"}, "seats_deputy_secretary": {"1"}, "seats_member": {"3"}}, http.StatusUnprocessableEntity, "present")
		res, raw := s.call(nil, "POST", "/api/v1/communities/"+code+"/ballots/party", map[string]any{"round": "first", "should_attend": 40,
			"present": 38}, apiAdmin)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("open: %d %s", res.StatusCode, raw)
		}
		var b store.Ballot
		jsonInto(t, raw, &b)
		if len(b.Units) != 1 || len(b.Candidates) != 6 || b.Seats[vetting.CommitteeMember] != 3 {
			t.Fatalf("opened %+v", b)
		}
		unit := b.Units[0].ID
		entry, apiEntry := fmt.Sprintf("/count-units/%d/entry", unit), fmt.Sprintf("/api/v1/count-units/%d/entry", unit)
		desk, apiDesk := fmt.Sprintf("/count-units/%d/differences", unit), fmt.Sprintf("/api/v1/count-units/%d/differences", unit)

		// A number that is not one: refused on its field, what was typed kept.
		bad := sheetForm(b, 38, "")
		bad.Set("lines[2].no", "十")
		s.refusedForm(clerk1, entry, bad, http.StatusUnprocessableEntity, "lines[2].no")
		// A draft leaving 无效票数 empty: it stays empty and the check says so.
		if res, raw := s.call(clerk1, "POST", entry, sheetForm(b, 38, "invalid_ballots").Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("draft: %d %s", res.StatusCode, raw)
		}
		page = s.page(clerk1, entry)
		if !strings.Contains(page, `name="invalid_ballots" type="number" min="0" inputmode="numeric" value=""`) || !strings.Contains(page, "F101") {
			t.Errorf("the empty field came back as a number, or its check is not shown")
		}
		// The second clerk waits, and sees none of it.
		page = s.page(clerk2, entry)
		if strings.Contains(page, `value="38"`) || !strings.Contains(page, `data-testid="cannot-enter"`) {
			t.Errorf("the second clerk's page before the first is final shows figures or a form")
		}
		// 其余填0 and 提交 in one go: the empty field is 0.
		final := sheetForm(b, 38, "invalid_ballots")
		final.Set("fill_zero", "1")
		final.Set("final", "1")
		if res, raw := s.call(clerk1, "POST", entry, final.Encode(), nil); res.StatusCode != http.StatusSeeOther ||
			res.Header.Get("Location") != fmt.Sprintf("/ballots/%d", b.ID) {
			t.Fatalf("final: %d %s", res.StatusCode, raw)
		}
		var mine store.MyEntry
		s.getJSON2(api1, apiEntry, &mine)
		if mine.N != 1 || mine.Sheet == nil || mine.Sheet.Count.Invalid == nil || *mine.Sheet.Count.Invalid != 0 || mine.CanEnter {
			t.Fatalf("the first entry: %+v", mine)
		}
		// The same clerk cannot enter twice.
		res, raw = s.call(nil, "PUT", apiEntry, sheetJSON(b, 38, true), api1)
		wantError(t, res, raw, http.StatusConflict, "conflict")
		// The second clerk cannot read the first's entry: not on the page, not from the API, not from the desk.
		page = s.page(clerk2, entry)
		if strings.Contains(page, `value="38"`) || !strings.Contains(page, `data-testid="entry-form"`) || !strings.Contains(page, "第二次录入") {
			t.Errorf("the second clerk's form shows the first entry's figures, or no form")
		}
		res, raw = s.call(nil, "GET", apiEntry, nil, api2)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"sheet":null`) || strings.Contains(string(raw), `"valid_ballots":38`) {
			t.Errorf("the API shows the second clerk the first entry: %s", raw)
		}
		if page := s.page(clerk2, desk); strings.Contains(page, ">38<") {
			t.Errorf("the desk shows figures before both entries are final")
		}
		// The second entry differs: 37 for the 书记.
		if res, raw := s.call(nil, "PUT", apiEntry, sheetJSON(b, 37, true), api2); res.StatusCode != http.StatusOK {
			t.Fatalf("second: %d %s", res.StatusCode, raw)
		}
		if res, _ := s.call(clerk2, "GET", desk, nil, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a clerk opens the desk: %d", res.StatusCode)
		}
		// Differing entries cannot be confirmed.
		res, raw = s.call(nil, "POST", fmt.Sprintf("/api/v1/count-units/%d/confirm", unit), map[string]any{}, apiAdmin)
		wantError(t, res, raw, http.StatusConflict, "conflict")
		page = s.page(coord, desk)
		if !strings.Contains(page, `data-testid="differences"`) || !strings.Contains(page, "待处理") || !strings.Contains(page, "(不一致)") {
			t.Errorf("the desk lacks the differences")
		}
		s.refusedForm(coord, fmt.Sprintf("/count-units/%d/resolve", unit), url.Values{"resolution": {""}}, http.StatusUnprocessableEntity,
			"resolution")
		if res, raw := s.call(coord, "POST", fmt.Sprintf("/count-units/%d/resolve", unit), url.Values{"resolution": {"keep_first"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("resolve: %d %s", res.StatusCode, raw)
		}
		// Resolved: it can be confirmed, and then the ballot.
		if res, raw := s.call(coord, "POST", fmt.Sprintf("/count-units/%d/confirm", unit), "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", res.StatusCode, raw)
		}
		res, raw = s.call(nil, "POST", fmt.Sprintf("/api/v1/ballots/%d/confirm", b.ID), map[string]any{}, api1)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a community account confirms a ballot: %d", res.StatusCode)
		}
		if res, raw := s.call(nil, "POST", fmt.Sprintf("/api/v1/ballots/%d/confirm", b.ID), map[string]any{}, apiAdmin); res.StatusCode != http.StatusOK ||
			!strings.Contains(string(raw), `"state":"confirmed"`) {
			t.Fatalf("the ballot confirmed: %d %s", res.StatusCode, raw)
		}
		page = s.page(coord, fmt.Sprintf("/ballots/%d", b.ID))
		if !strings.Contains(page, "计票结果已确认") || !strings.Contains(page, `data-testid="total"`) {
			t.Errorf("the ballot's page lacks its confirmed total")
		}
		// The outcome is decided as the count is confirmed, shown and in the API.
		if !strings.Contains(page, "依法判定的选举结果") || !strings.Contains(getBody(s, apiAdmin, fmt.Sprintf("/api/v1/ballots/%d", b.ID)), `"outcome":{`) {
			t.Errorf("the confirmed ballot shows no outcome")
		}
		// Out of scope: not found.
		if res, _ := s.call(nil, "GET", fmt.Sprintf("/api/v1/ballots/%d", b.ID), nil, bearer(s, "community1")); res.StatusCode != http.StatusOK {
			t.Errorf("the community reads its ballot: %d", res.StatusCode)
		}
		other := otherDistrict(t, s)
		for _, p := range []string{fmt.Sprintf("/api/v1/ballots/%d", b.ID), apiEntry, apiDesk} {
			if res, _ := s.call(nil, "GET", p, nil, other); res.StatusCode != http.StatusNotFound {
				t.Errorf("another district's office GET %s: %d", p, res.StatusCode)
			}
		}
		// The audit page names every act and field in Chinese.
		var log struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		s.getJSON(coord, "/api/v1/audit?limit=100", &log)
		seen := map[string]int{}
		for _, e := range log.Items {
			seen[e.Action]++
		}
		for _, a := range []string{"ballot.open", "count.unit", "count.save", "count.fill_zero", "count.finalise", "count.differ", "count.resolve",
			"count.confirm", "ballot.confirm"} {
			if seen[a] == 0 {
				t.Errorf("no %s in the audit log: %v", a, seen)
			}
		}
		for _, p := range []string{"/audit", "/audit?entity=count_unit", "/audit?entity=ballot"} {
			text := visibleText([]byte(s.page(coord, p)))
			if latin := latinIn(text, func(w string) bool { _, ok := s.accounts[w]; return ok }); len(latin) > 0 {
				t.Errorf("%s shows %q", p, latin)
			}
			if p != "/audit" && !strings.Contains(text, "计票点") {
				t.Errorf("%s does not name the stations", p)
			}
		}
	})
}

// otherDistrict is the bearer header of an office account of QS-02.
func otherDistrict(t *testing.T, s *site) map[string]string {
	t.Helper()
	const username, password = "office-qs02-count", "a long password for the counting test"
	res, raw := s.call(nil, "POST", "/api/v1/users", map[string]string{"username": username, "display_name": "片二办公室", "role": "admin",
		"scope": "QS-02", "password": password}, bearer(s, "admin"))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("add %s: %d %s", username, res.StatusCode, raw)
	}
	s.accounts[username] = demo.Account{Username: username, Password: password}
	return bearer(s, username)
}

// 唱票 from a phone: a ballot marking one more member than the seats is
// invalid, one marking the seats valid; a spoiled ballot; the last undone;
// the projector's page loads its script from the platform (CSP kept) and
// polls the totals; the reading ends as the station's first entry.
func TestTallyPages(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		const code = "QS-01-001"
		formalListOf(t, s.st, code)
		b := openPartyBallot(t, s.st, code)
		caller, leader := s.login("community1"), s.login("leader")
		// A mobile box, from the ballot's page.
		s.refusedForm(caller, fmt.Sprintf("/ballots/%d/units", b.ID), url.Values{"name": {"主会场"}, "kind": {"mobile"}}, http.StatusUnprocessableEntity, "name")
		if res, raw := s.call(caller, "POST", fmt.Sprintf("/ballots/%d/units", b.ID), url.Values{"name": {"流动票箱一"}, "kind": {"mobile"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a box: %d %s", res.StatusCode, raw)
		}
		bb, err := s.st.Zone(store.System).Ballot(context.Background(), b.ID)
		if err != nil || len(bb.Units) != 2 {
			t.Fatal(bb, err)
		}
		unit := bb.Units[1].ID
		path := fmt.Sprintf("/count-units/%d/tally", unit)
		page := s.page(caller, path)
		if !strings.Contains(page, `data-testid="tally-form"`) || strings.Count(page, `class="mark"`) != 3*len(b.Candidates) {
			t.Fatalf("the 唱票 form lacks a mark per candidate and choice")
		}
		// Four of the five members for three seats: marks = seats + 1, invalid.
		form := url.Values{}
		for i, c := range b.Candidates {
			form.Set(fmt.Sprintf("marks[%d].key", i), c.Key)
			form.Set(fmt.Sprintf("marks[%d].post", i), string(c.Post))
			if i > 0 && i <= 4 {
				form.Set(fmt.Sprintf("marks[%d].choice", i), "yes")
			}
		}
		form.Set("write_ins[0].name", "")
		form.Set("write_ins[0].post", "member")
		res, raw := s.call(nil, "POST", "/api/v1"+path, map[string]any{"marks": []map[string]any{
			{"key": b.Candidates[1].Key, "choice": "yes"}, {"key": b.Candidates[2].Key, "choice": "yes"},
			{"key": b.Candidates[3].Key, "choice": "yes"}, {"key": b.Candidates[4].Key, "choice": "yes"}}}, bearer(s, "community1"))
		if res.StatusCode != http.StatusCreated || !strings.Contains(string(raw), `"valid":false`) {
			t.Fatalf("marks = seats + 1: %d %s", res.StatusCode, raw)
		}
		// Three (the seats) and a name written in: valid; from the form.
		form.Del("marks[4].choice")
		form.Set("marks[0].choice", "no")
		if res, raw := s.call(caller, "POST", path, form.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a valid ballot from the form: %d %s", res.StatusCode, raw)
		}
		// A write-in of a candidate's name: refused on its field.
		form.Set("write_ins[0].name", b.Candidates[5].Name)
		s.refusedForm(caller, path, form, http.StatusUnprocessableEntity, "write_ins[0].name")
		form.Set("write_ins[0].name", "王另选")
		form.Del("marks[3].choice") // two members and the name written in: the three seats
		if res, raw := s.call(caller, "POST", path, form.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a write-in: %d %s", res.StatusCode, raw)
		}
		if res, raw := s.call(caller, "POST", path, url.Values{"spoiled": {"1"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("spoiled: %d %s", res.StatusCode, raw)
		}
		var tally store.Tally
		s.getJSON(leader, "/api/v1"+path, &tally)
		if tally.Unit.TallyRead != 4 || *tally.Count.Valid != 2 || *tally.Count.Invalid != 2 || *tally.Count.Lines[1].Yes != 2 ||
			*tally.Count.Lines[0].No != 2 || len(tally.Count.WriteIns) != 1 || *tally.Count.WriteIns[0].Yes != 1 {
			t.Fatalf("the totals: %+v", tally.Count)
		}
		// The projector: large totals, its script from the platform, the CSP unchanged.
		res, raw = s.call(leader, "GET", fmt.Sprintf("/count-units/%d/screen", unit), nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(raw), `<script src="/static/tally.js" defer></script>`) ||
			!strings.Contains(string(raw), `data-tally-src="/api/v1/count-units/`) || !strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Fatalf("the projector's page: %d %s", res.StatusCode, res.Header.Get("Content-Security-Policy"))
		}
		if res, js := s.call(leader, "GET", "/static/tally.js", nil, nil); res.StatusCode != http.StatusOK || !strings.Contains(string(js), "data-tally-src") {
			t.Errorf("the projector's script: %d", res.StatusCode)
		}
		if res, _ := s.call(leader, "GET", path, nil, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a leader reads ballots aloud: %d", res.StatusCode)
		}
		// Undo the spoiled one; finish with the ballots issued.
		if res, raw := s.call(caller, "POST", path+"/undo", "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("undo: %d %s", res.StatusCode, raw)
		}
		s.refusedForm(caller, path+"/finish", url.Values{"ballots_issued": {""}, "voted": {"3"}}, http.StatusUnprocessableEntity, "ballots_issued")
		if res, raw := s.call(caller, "POST", path+"/finish", url.Values{"ballots_issued": {"3"}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("finish: %d %s", res.StatusCode, raw)
		}
		var mine store.MyEntry
		s.getJSON2(bearer(s, "community1"), fmt.Sprintf("/api/v1/count-units/%d/entry", unit), &mine)
		if mine.N != 1 || mine.Sheet == nil || !mine.Sheet.Final || *mine.Sheet.Count.Returned != 3 || *mine.Sheet.Count.Issued != 3 {
			t.Errorf("the reading as the first entry: %+v", mine)
		}
		if page := s.page(caller, path); !strings.Contains(page, `data-testid="tally-closed"`) {
			t.Errorf("the 唱票 page after the end still offers the form")
		}
		// The coordinator's overview lists the box awaiting its second entry.
		var counts struct {
			Items []store.CountRow `json:"items"`
			Total int              `json:"total"`
		}
		s.getJSON2(bearer(s, "admin"), "/api/v1/counts?status=second", &counts)
		if counts.Total != 1 || counts.Items[0].Unit.ID != unit {
			t.Errorf("the overview: %+v", counts)
		}
		if page := s.page(s.login("admin"), "/counts"); !strings.Contains(page, "流动票箱一") || !strings.Contains(page, "待第二次录入") {
			t.Errorf("the overview page lacks the box")
		}
	})
}

// countingRows gives the scope test's zone counts in two districts: the
// party committees of QS-01-001 and QS-02-002 each with a ballot; in
// QS-01-001 two different entries of the main hall and a mobile box with
// two ballots read aloud, in QS-02-002 a draft. The clerks are accounts the
// walk does not sign in as, so every station's desk opens to its
// coordinators.
func countingRows(t *testing.T, s *site) {
	t.Helper()
	ctx := context.Background()
	clerk := func(username, name string, role account.Role, scope string) *store.Scoped {
		t.Helper()
		res, raw := s.call(nil, "POST", "/api/v1/users", map[string]string{"username": username, "display_name": name,
			"role": string(role), "scope": scope, "password": "a long password for the counting rows"}, bearer(s, "admin"))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add %s: %d %s", username, res.StatusCode, raw)
		}
		id, err := s.st.UserIDByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.st.UserByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.st.For(u)
	}
	do := func(db *store.Scoped, fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.Write(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	a, b, c := clerk("clerk-qs01a", "录入员甲", account.District, "QS-01"), clerk("clerk-qs01b", "录入员乙", account.Community, "QS-01-001"),
		clerk("clerk-qs02c", "录入员丙", account.District, "QS-02")
	for _, code := range []string{"QS-01-001", "QS-02-002"} {
		formalListOf(t, s.st, code)
	}
	one, two := openPartyBallot(t, s.st, "QS-01-001"), openPartyBallot(t, s.st, "QS-02-002")
	sheet := func(bl store.Ballot, secretary int) election.Count {
		v := sheetJSON(bl, secretary, true)
		c := bl.Blank()
		n := func(x int) *int { return &x }
		c.Issued, c.Returned, c.Valid, c.Invalid = n(38), n(38), n(38), n(0)
		for i, l := range v["lines"].([]map[string]any) {
			c.Lines[i].Yes, c.Lines[i].No, c.Lines[i].Abstain = n(l["yes"].(int)), n(l["no"].(int)), n(l["abstain"].(int))
		}
		return c
	}
	do(a, func(tx *store.Tx) error {
		_, err := tx.SaveEntry(ctx, one.Units[0].ID, sheet(one, 38), true, false)
		return err
	})
	do(b, func(tx *store.Tx) error {
		_, err := tx.SaveEntry(ctx, one.Units[0].ID, sheet(one, 37), true, false)
		return err
	})
	var box store.CountUnit
	do(s.st.Zone(store.System), func(tx *store.Tx) error {
		var err error
		box, err = tx.AddCountUnit(ctx, one.ID, "流动票箱一", election.MobileBox, 0)
		return err
	})
	for _, ch := range []election.Choice{election.Yes, election.No} {
		do(a, func(tx *store.Tx) error {
			_, err := tx.ReadAloud(ctx, box.ID, []election.Mark{{Key: one.Candidates[0].Key, Choice: ch},
				{Name: "王另选", Post: vetting.CommitteeMember, Choice: election.Yes}}, false)
			return err
		})
	}
	do(c, func(tx *store.Tx) error {
		_, err := tx.SaveEntry(ctx, two.Units[0].ID, sheet(two, 30), false, false)
		return err
	})
}

// getBody is the body of GET path with header.
func getBody(s *site, header map[string]string, path string) string {
	_, raw := s.call(nil, "GET", path, nil, header)
	return string(raw)
}

// A ballot is counted at its committee's registered polling stations
// (issue 15, point 2): the ballot page says what a station still lacks
// and its count is refused until it is met; a station registered later
// is added from the list; the result report prints each station's staff
// beside the lines they sign.
func TestCountAtStations(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		const code = "QS-01-001"
		formalListOf(t, s.st, code)
		station := func(name string, scrutineers ...string) election.Station {
			t.Helper()
			var st election.Station
			if err := s.st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				var err error
				if st, err = tx.AddStation(ctx, code, election.Station{Committee: org.PartyCommittee, Name: name, Kind: election.BranchHall,
					Place: "党群服务中心", Opens: "08:00", Closes: "12:00"}); err != nil {
					return err
				}
				for i, n := range scrutineers {
					role := election.Scrutineer
					if i == 3 {
						role = election.Counter
					}
					if _, err := tx.AddStaff(ctx, code, st.ID, election.Staff{Role: role, Name: n}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return st
		}
		hall := station("第一会场", "监票甲", "监票乙")
		b := openPartyBallot(t, s.st, code)
		if len(b.Units) != 1 || b.Units[0].Station != hall.ID || b.Units[0].Name != "第一会场" {
			t.Fatalf("the ballot's unit is not the registered station: %+v", b.Units)
		}
		admin, clerk := s.login("admin"), bearer(s, "community1")
		page := s.page(admin, fmt.Sprintf("/ballots/%d", b.ID))
		if !strings.Contains(page, `data-testid="unit-unmet"`) || !strings.Contains(page, "监票人应不少于3名,现有2名") {
			t.Errorf("the ballot page does not say what the station lacks")
		}
		entry := fmt.Sprintf("/api/v1/count-units/%d/entry", b.Units[0].ID)
		res, raw := s.call(nil, "PUT", entry, sheetJSON(b, 38, false), clerk)
		if res.StatusCode != http.StatusConflict || !strings.Contains(string(raw), "尚不具备计票条件") {
			t.Errorf("an entry at a station with 2 scrutineers: %d %s", res.StatusCode, raw)
		}

		// A station registered after the ballot opened, added from the list;
		// added twice, refused on the field.
		box := station("第二会场", "监票丙", "监票丁", "监票戊", "计票甲")
		page = s.page(admin, fmt.Sprintf("/ballots/%d", b.ID))
		if !strings.Contains(page, `data-testid="add-station-unit"`) || !strings.Contains(page, "第二会场(分会场)") {
			t.Fatalf("the ballot page does not offer the station registered later")
		}
		units := fmt.Sprintf("/ballots/%d/units", b.ID)
		if res, raw := s.call(admin, "POST", units, url.Values{"station_id": {itoa(box.ID)}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("adding the station: %d %s", res.StatusCode, raw)
		}
		s.refusedForm(admin, units, url.Values{"station_id": {itoa(box.ID)}}, http.StatusUnprocessableEntity, "station_id")
		read, err := s.st.Zone(store.System).Ballot(ctx, b.ID)
		if err != nil || len(read.Units) != 2 || read.Units[1].Station != box.ID || read.Units[1].Name != "第二会场" {
			t.Fatalf("the station added: %+v %v", read.Units, err)
		}
		if res, raw := s.call(nil, "PUT", fmt.Sprintf("/api/v1/count-units/%d/entry", read.Units[1].ID), sheetJSON(b, 38, false), clerk); res.StatusCode != http.StatusOK {
			t.Errorf("an entry at a ready station: %d %s", res.StatusCode, raw)
		}

		// The report names the stations' staff by their duty.
		report := s.page(admin, fmt.Sprintf("/ballots/%d/report", b.ID))
		i := strings.Index(report, `data-testid="report-sign"`)
		if i < 0 {
			t.Fatal("no signature lines on the report")
		}
		sign := report[i:]
		sign = sign[:strings.Index(sign, "</table>")]
		for _, want := range []string{"监票甲、监票乙、监票丙、监票丁、监票戊", "计票甲"} {
			if !strings.Contains(sign, want) {
				t.Errorf("the signature lines lack %s:\n%s", want, sign)
			}
		}
	})
}
