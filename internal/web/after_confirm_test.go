package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/store"
)

// writeInBallot opens the first ballot of community code's party committee
// (formalListOf's: 5 seats, 6 candidates; 40 should attend, 38 present),
// has community1 and district1 enter the main hall's count alike (38
// valid; the candidates 38, 25, 24, 23, 5 and 4; 王另选 written in as 委员
// with 30) and admin confirm the station. The ballot itself is left to
// confirm; confirmed, it elects the first four candidates and 王另选.
func writeInBallot(t *testing.T, s *site, code string) store.Ballot {
	t.Helper()
	formalListOf(t, s.st, code)
	b := openPartyBallot(t, s.st, code)
	entry := stationEntry(b, 38, []int{38, 25, 24, 23, 5, 4}, map[string]int{"王另选": 30})
	for _, clerk := range []string{"community1", "district1"} {
		if res, raw := s.call(nil, "PUT", fmt.Sprintf("/api/v1/count-units/%d/entry", b.Units[0].ID), entry, bearer(s, clerk)); res.StatusCode != http.StatusOK {
			t.Fatalf("%s enters: %d %s", clerk, res.StatusCode, raw)
		}
	}
	if res, raw := s.call(nil, "POST", fmt.Sprintf("/api/v1/count-units/%d/confirm", b.Units[0].ID), map[string]any{}, bearer(s, "admin")); res.StatusCode != http.StatusOK {
		t.Fatalf("confirm the station: %d %s", res.StatusCode, raw)
	}
	return b
}

// resultsAnswer is the part of the results' API these tests read.
type resultsAnswer struct {
	Committees []struct {
		Committee string `json:"committee"`
		Members   []struct {
			Member    store.ElectedMember `json:"member"`
			WrittenIn bool                `json:"written_in"`
		} `json:"members"`
		Officers  *store.OfficersRecord   `json:"officers"`
		Pending   string                  `json:"results_pending"`
		WrittenIn []store.WrittenInPerson `json:"written_in"`
		Void      *store.VoidState        `json:"void"`
	} `json:"committees"`
}

func (s *site) partyResults(t *testing.T, code string) (members []string, pending string, written []store.WrittenInPerson, void *store.VoidState) {
	t.Helper()
	var r resultsAnswer
	s.getJSON2(bearer(s, "admin"), "/api/v1/communities/"+code+"/results", &r)
	for _, c := range r.Committees {
		if c.Committee == "party" {
			for _, m := range c.Members {
				members = append(members, m.Member.Name)
			}
			slices.Sort(members)
			return members, c.Pending, c.WrittenIn, c.Void
		}
	}
	t.Fatal("no party committee in the results")
	return
}

// A person written in and elected, through the real server on both
// engines: confirming the ballot says on the ballot page and the results
// page that the person's details are needed (not a silent nothing); the
// form (count.coordinate) refuses details that cannot make a member, on
// the field with a Chinese message and what was typed kept, and its JSON
// twin the same, nothing changed; entered, the committee's members are set
// with the person among them; the twin corrects them; another district
// finds nothing, a community's clerk may not enter them.
func TestWrittenInForm(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		const code = "QS-01-001"
		b := writeInBallot(t, s, code)
		admin, leader := s.login("admin"), s.login("leader")
		if res, raw := s.call(admin, "POST", ballotPath(b.ID)+"/confirm", "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", res.StatusCode, raw)
		}
		page := s.page(admin, ballotPath(b.ID))
		for _, want := range []string{"当选人员尚未登记,原因见本页", `data-testid="results-pending"`, "另选他人王另选", `data-testid="written-in-missing"`,
			`data-testid="written-in-form"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the ballot's page after confirming lacks %s", want)
			}
		}
		if p := s.page(leader, ballotPath(b.ID)); strings.Contains(p, `data-testid="written-in-form"`) || !strings.Contains(p, `data-testid="written-in-missing"`) {
			t.Error("a leader is offered the form, or not told the details are missing")
		}
		members, pending, written, _ := s.partyResults(t, code)
		if len(members) != 0 || !strings.Contains(pending, "王另选") || len(written) != 1 || written[0].Details != nil || written[0].BallotID != b.ID {
			t.Fatalf("the results before the details: %v %q %+v", members, pending, written)
		}
		if p := s.page(leader, "/communities/"+code+"/results"); !strings.Contains(p, `data-testid="pending-party"`) ||
			!strings.Contains(p, `data-testid="written-in-party"`) || !strings.Contains(p, fmt.Sprintf(`/ballots/%d#written-in`, b.ID)) {
			t.Error("the results page does not say the written-in person's details are needed")
		}
		speaksChinese(t, s, ballotPath(b.ID), s.page(admin, ballotPath(b.ID)))

		// Refused: under 18 on the day, by the form; not a full member, by the twin. Nothing changes.
		year := string(s.st.Today())[:4]
		action := ballotPath(b.ID) + "/written-in"
		form := url.Values{"name": {"王另选"}, "sex": {"女"}, "birth_date": {fmt.Sprint(atoi(year)-10) + "-01-01"}, "education": {"college"},
			"party": {"member"}}
		refused := s.refusedForm(admin, action, form, http.StatusUnprocessableEntity, "birth_date")
		if !strings.Contains(refused, "不满18周岁") {
			t.Errorf("the refusal does not say why")
		}
		api := fmt.Sprintf("/api/v1/ballots/%d/written-in", b.ID)
		res, raw := s.call(nil, "PUT", api, map[string]any{"name": "王另选", "sex": "女", "birth_date": "1990-04-02", "education": "college",
			"party": "masses"}, bearer(s, "admin"))
		if e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "party" || !hasHan(e.Error.Message) {
			t.Errorf("the twin's refusal: %+v", e)
		}
		res, raw = s.call(nil, "PUT", api, map[string]any{"name": "计票001甲", "sex": "女", "birth_date": "1990-04-02", "education": "college",
			"party": "member"}, bearer(s, "admin"))
		if e := wantError(t, res, raw, http.StatusUnprocessableEntity, "unprocessable"); e.Error.Field != "name" {
			t.Errorf("a candidate's name: %+v", e)
		}
		if members, _, written, _ := s.partyResults(t, code); len(members) != 0 || written[0].Details != nil {
			t.Fatalf("a refusal changed the results: %v %+v", members, written)
		}
		res, raw = s.call(nil, "PUT", api, map[string]any{"name": "王另选", "sex": "女", "birth_date": "1990-04-02", "education": "college",
			"party": "member"}, bearer(s, "community1"))
		wantError(t, res, raw, http.StatusForbidden, "forbidden")
		res, raw = s.call(nil, "PUT", api, map[string]any{"name": "王另选", "sex": "女", "birth_date": "1990-04-02", "education": "college",
			"party": "member"}, otherDistrict(t, s))
		wantError(t, res, raw, http.StatusNotFound, "not_found")

		// Entered by the form: the members are set, the person among them.
		form.Set("birth_date", "1990-04-02")
		if res, raw := s.call(admin, "POST", action, form.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the details: %d %s", res.StatusCode, raw)
		}
		page = s.page(admin, ballotPath(b.ID))
		if !strings.Contains(page, "本委员会的当选人员已随之登记") || !strings.Contains(page, `data-testid="written-in-details"`) ||
			strings.Contains(page, `data-testid="results-pending"`) {
			t.Errorf("the ballot's page after the details does not say the members are set")
		}
		members, pending, written, _ = s.partyResults(t, code)
		if !slices.Contains(members, "王另选") || len(members) != 5 || pending != "" || written[0].Details == nil || written[0].Details.BirthDate != "1990-04-02" {
			t.Fatalf("the results with the details: %v %q %+v", members, pending, written)
		}
		// The twin corrects them.
		res, raw = s.call(nil, "PUT", api, map[string]any{"name": "王另选", "sex": "女", "birth_date": "1990-04-02", "education": "bachelor",
			"party": "member"}, bearer(s, "admin"))
		var answer store.WrittenInAnswer
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the twin: %d %s", res.StatusCode, raw)
		}
		jsonInto(t, raw, &answer)
		if answer.Pending != "" || answer.Person.Details == nil || answer.Person.Details.Education != "bachelor" {
			t.Errorf("the twin's answer: %+v", answer)
		}
		var r resultsAnswer
		s.getJSON2(bearer(s, "admin"), "/api/v1/communities/"+code+"/results", &r)
		for _, m := range r.Committees[0].Members {
			if m.Member.Name == "王另选" && (m.Member.Education != "bachelor" || !m.WrittenIn) {
				t.Errorf("the corrected member: %+v", m)
			}
		}
	})
}

// A confirmed ballot declared void afterwards, through the real server on
// both engines: a community's clerk may not (403, Chinese), an empty
// reason comes back on its field with nothing changed; the coordinator's
// form voids it: the committee has no members left, the results page says
// the election is void awaiting its re-run, the ballot's page and its
// report show the void with what the confirmation had decided struck
// through, the report filed at the confirmation stays and the void
// decision is filed beside it once (a workbook with the decision and the
// report as it now stands); another district finds nothing.
func TestVoidConfirmedBallot(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		const code = "QS-01-001"
		b := countedPartyBallot(t, s, code)
		admin, leader := s.login("admin"), s.login("leader")
		if res, raw := s.call(admin, "POST", ballotPath(b.ID)+"/confirm", "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", res.StatusCode, raw)
		}
		if members, _, _, _ := s.partyResults(t, code); len(members) != 4 {
			t.Fatalf("the members after confirming: %v", members)
		}
		filed := func() []map[string]any {
			t.Helper()
			var a struct {
				Items []map[string]any `json:"items"`
			}
			s.getJSON2(bearer(s, "admin"), "/api/v1/communities/"+code+"/archive", &a)
			var out []map[string]any
			for _, f := range a.Items {
				if f["category"] == "results" {
					out = append(out, f)
				}
			}
			return out
		}
		if n := len(filed()); n != 1 {
			t.Fatalf("%d reports filed at the confirmation", n)
		}

		// Refused: a community's clerk (who may edit the elections, not confirm), an empty reason; nothing changes.
		voidAPI := fmt.Sprintf("/api/v1/ballots/%d/void", b.ID)
		res, raw := s.call(nil, "POST", voidAPI, map[string]string{"reason": "社区认为无效"}, bearer(s, "community1"))
		if e := wantError(t, res, raw, http.StatusForbidden, "forbidden"); !hasHan(e.Error.Message) {
			t.Errorf("the refusal: %+v", e)
		}
		if p := s.page(s.login("community1"), ballotPath(b.ID)); strings.Contains(p, `data-testid="void"`) {
			t.Error("a community's clerk is offered to void a confirmed ballot")
		}
		page := s.page(admin, ballotPath(b.ID))
		if !strings.Contains(page, `data-testid="void"`) || !strings.Contains(page, `data-testid="void-confirmed-hint"`) {
			t.Error("the coordinator is not offered to void the confirmed ballot, or not told what follows")
		}
		s.refusedForm(admin, ballotPath(b.ID)+"/void", url.Values{"reason": {" "}}, http.StatusUnprocessableEntity, "reason")
		res, raw = s.call(nil, "POST", voidAPI, map[string]string{"reason": "程序违法"}, otherDistrict(t, s))
		wantError(t, res, raw, http.StatusNotFound, "not_found")
		var ballot struct {
			Ballot store.Ballot `json:"ballot"`
		}
		s.getJSON2(bearer(s, "admin"), fmt.Sprintf("/api/v1/ballots/%d", b.ID), &ballot)
		if members, _, _, _ := s.partyResults(t, code); ballot.Ballot.State != "confirmed" || len(members) != 4 || len(filed()) != 1 {
			t.Fatalf("a refused void changed things: %s %v", ballot.Ballot.State, members)
		}

		// Voided by the coordinator's form.
		const reason = "上级党组织审查认定党员大会程序违法,选举无效"
		if res, raw := s.call(admin, "POST", ballotPath(b.ID)+"/void", url.Values{"reason": {reason}}.Encode(), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("void: %d %s", res.StatusCode, raw)
		}
		page = s.page(admin, ballotPath(b.ID))
		for _, want := range []string{"当选人员已按其余有效投票重新计算", "计票结果确认后宣布", `data-testid="outcome-void"`, reason} {
			if !strings.Contains(page, want) {
				t.Errorf("the ballot's page after the void lacks %s", want)
			}
		}
		members, _, _, void := s.partyResults(t, code)
		if len(members) != 0 || void == nil || !void.AfterConfirmation || void.BallotID != b.ID || void.Reason != reason {
			t.Fatalf("the results after the void: %v %+v", members, void)
		}
		if p := s.page(leader, "/communities/"+code+"/results"); !strings.Contains(p, `data-testid="void-party"`) || !strings.Contains(p, "暂无当选人员") ||
			!strings.Contains(p, string(void.RerunBy)) {
			t.Error("the results page does not say the election is void awaiting its re-run")
		}

		// The report: the void first, the confirmation's outcome superseded; the void decision filed beside the report.
		var rep struct {
			Outcome []struct {
				Label      string `json:"label"`
				Valid      bool   `json:"valid"`
				Superseded bool   `json:"superseded"`
			} `json:"outcome"`
			Void *struct {
				Reason string `json:"reason"`
			} `json:"void"`
			File     *struct{ ID int64 } `json:"file"`
			VoidNote *struct {
				ID     int64  `json:"id"`
				Name   string `json:"name"`
				SHA256 string `json:"sha256"`
			} `json:"void_note"`
		}
		apiReport := fmt.Sprintf("/api/v1/ballots/%d/report", b.ID)
		s.getJSON2(bearer(s, "admin"), apiReport, &rep)
		if len(rep.Outcome) != 2 || rep.Outcome[0].Valid || !rep.Outcome[1].Superseded || rep.Void == nil || rep.Void.Reason != reason ||
			rep.File == nil || rep.VoidNote == nil || !strings.HasSuffix(rep.VoidNote.Name, "_选举无效决定.xlsx") {
			t.Fatalf("the report after the void: %+v", rep)
		}
		reportPage := s.page(leader, fmt.Sprintf("/ballots/%d/report", b.ID))
		for _, want := range []string{`data-testid="report-void"`, `data-testid="outcome-superseded"`, `data-testid="void-note-filed"`,
			`data-testid="elected-void"`, reason} {
			if !strings.Contains(reportPage, want) {
				t.Errorf("the report's page after the void lacks %s", want)
			}
		}
		if f := filed(); len(f) != 2 {
			t.Fatalf("the archive after the void holds %d results files, want the report and the void decision", len(f))
		}
		// A retry files nothing more.
		if res, raw := s.call(nil, "POST", apiReport+"/archive", map[string]any{}, bearer(s, "admin")); res.StatusCode != http.StatusOK {
			t.Fatalf("filing again: %d %s", res.StatusCode, raw)
		}
		if f := filed(); len(f) != 2 {
			t.Errorf("a retry filed again: %d", len(f))
		}
		// The void decision's workbook.
		res, book := s.call(nil, "GET", "/api/v1/archive/"+rep.VoidNote.SHA256, nil, bearer(s, "admin"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download the void decision: %d", res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); !slices.Equal(got, []string{"选举无效决定", "选举结果报告单", "计票汇总", "当选名单"}) {
			t.Errorf("sheets %q", got)
		}
		rows, err := f.GetRows("选举无效决定")
		if err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprint(rows)
		for _, want := range []string{reason, "无效理由", "重新选举期限", "无,待重新选举", "审计日志截至第"} {
			if !strings.Contains(text, want) {
				t.Errorf("the void decision's sheet lacks %s: %q", want, rows)
			}
		}
		report, err := f.GetRows("选举结果报告单")
		if err != nil || !strings.Contains(fmt.Sprint(report), "宣布无效前的判定") {
			t.Errorf("the report in the void decision does not show the void: %q %v", report, err)
		}
		speaksChinese(t, s, fmt.Sprintf("/ballots/%d/report", b.ID), reportPage)
	})
}

// atoi is the number in s, 0 when none.
func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}
