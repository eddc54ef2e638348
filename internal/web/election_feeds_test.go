package web_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// partySheet is a party count of 38 valid ballots: the 书记 candidate yes
// on all, each member fewer by turns from 19 (elected: the 书记 candidate
// only, more than half of 40 who should attend).
func partySheet(b store.Ballot) election.Count {
	c := b.Blank()
	n := func(v int) *int { return &v }
	c.Issued, c.Returned, c.Valid, c.Invalid = n(38), n(38), n(38), n(0)
	for i := range c.Lines {
		yes := 20 - i
		if i == 0 {
			yes = 38
		}
		c.Lines[i].Yes, c.Lines[i].No, c.Lines[i].Abstain = n(yes), n(38-yes), n(0)
	}
	return c
}

// countedElection holds the party committee's vote of community code (with
// formalListOf's list, today): its first ballot declared void; repeated,
// entered twice and confirmed (the 书记 candidate elected, four seats left
// to a further ballot); a further ballot opened.
func countedElection(t *testing.T, st *store.Store, code string) {
	t.Helper()
	ctx := context.Background()
	zone := st.Zone(store.System)
	formalListOf(t, st, code)
	first := openPartyBallot(t, st, code)
	var repeat store.Ballot
	if err := zone.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.VoidBallot(ctx, first.ID, "收回选票多于发出选票"); err != nil {
			return err
		}
		var err error
		repeat, err = tx.OpenBallot(ctx, code, election.Opening{Committee: org.PartyCommittee, Round: election.RepeatRound, ShouldAttend: 40,
			Present: 38})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	scope := "/QS/" + code[:5] + "/"
	for i, name := range []string{"动态录入甲", "动态录入乙"} {
		clerk := st.For(account.User{ID: int64(9401 + i), Username: name, Role: account.District, ScopePath: scope})
		if err := clerk.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveEntry(ctx, repeat.Units[0].ID, partySheet(repeat), true, false)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	coord := st.For(account.User{ID: 9403, Username: "动态协调员", Role: account.District, ScopePath: scope})
	if err := coord.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ConfirmCount(ctx, repeat.Units[0].ID); err != nil {
			return err
		}
		b, err := tx.ConfirmBallot(ctx, repeat.ID)
		if err == nil && (b.State != election.BallotConfirmed || !election.Unfilled(b.Outcome)) {
			t.Fatalf("the repeat's outcome: %s %+v", b.State, b.Outcome)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range repeat.Candidates[1:5] {
		keys = append(keys, c.Key)
	}
	if err := zone.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.OpenBallot(ctx, code, election.Opening{Committee: org.PartyCommittee, Round: election.FurtherRound, ShouldAttend: 40,
			Present: 38, Candidates: keys, Seats: map[vetting.Post]int{vetting.CommitteeMember: 4}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// voidElection opens community code's first party ballot (formalListOf's
// list, today) and declares it void.
func voidElection(t *testing.T, st *store.Store, code string) {
	t.Helper()
	formalListOf(t, st, code)
	b := openPartyBallot(t, st, code)
	if err := st.Zone(store.System).Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.VoidBallot(context.Background(), b.ID, "未公开唱票计票")
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// sheetHas reports a cell of the workbook's first sheet holding text.
func sheetHas(f *excelize.File, text string) bool {
	rows, _ := f.GetRows(f.GetSheetList()[0])
	for _, r := range rows {
		if slices.ContainsFunc(r, func(c string) bool { return strings.Contains(c, text) }) {
			return true
		}
	}
	return false
}

// fillOf is the fill of community code's shape on a battle map.
func fillOf(svg, code string) string {
	m := regexp.MustCompile(`data-code="` + code + `"[^>]*fill="(#[0-9a-f]{6})"`).FindStringSubmatch(svg)
	if m == nil {
		return ""
	}
	return m[1]
}

// The elections' state on the pages that read it: the battle map coloured
// by election (with its legend, the district drill-down and the scope), the
// progress table's vote stage waiting for a re-run, the warnings (void
// elections near their re-run day, handovers past due) and today's agenda.
// Each with data that makes it appear and data that does not.
func TestElectionFeedsPages(t *testing.T) {
	t.Parallel()
	preElectionDemo.each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		var admin, district, community *http.Client
		at := func(day civil.Date) { // sessions end with the days: signed in again
			clock := day.Start().Add(9 * time.Hour)
			s.st.SetClock(func() time.Time { return clock })
			admin, district, community = s.login("admin"), s.login("district1"), s.login("community1")
		}
		at("2027-01-20")
		// Nothing held yet: every community not started, nothing warned of.
		m := s.page(admin, "/map?by=election")
		for _, st := range election.Stages {
			if !strings.Contains(m, ">"+st.Label()+"</text>") {
				t.Errorf("the legend lacks %s", st.Label())
			}
		}
		if f := fillOf(m, "QS-02-002"); f != "#c8d1dc" || !strings.Contains(m, "(按选举)") {
			t.Errorf("a community not started is filled %q", f)
		}
		w := s.page(admin, "/warnings")
		if !strings.Contains(w, "没有期限临近或已过的待重新选举") || !strings.Contains(w, "没有逾期未交接的委员会") {
			t.Error("the warnings list elections before any")
		}

		// QS-01-001's results recorded, QS-02-001 voting its further ballot, QS-02-002's first ballot void.
		electDemo(t, s)
		countedElection(t, s.st, "QS-02-001")
		voidElection(t, s.st, "QS-02-002")
		void, err := s.st.Zone(store.System).OrgByCode(ctx, "QS-02-002")
		if err != nil {
			t.Fatal(err)
		}
		m = s.page(admin, "/map?by=election")
		for code, want := range map[string]string{"QS-01-001": "#8fd19e", "QS-02-001": "#0969da", "QS-02-002": "#cf222e", "QS-02-003": "#c8d1dc"} {
			if f := fillOf(m, code); f != want {
				t.Errorf("%s filled %q, want %q", code, f, want)
			}
		}
		if !strings.Contains(m, "须于2027-02-19前重新选举") {
			t.Error("the void election's title lacks its re-run day")
		}
		if d := s.page(admin, "/map?by=election&district=QS-02"); fillOf(d, "QS-02-002") != "#cf222e" || fillOf(d, "QS-01-001") != "" {
			t.Error("the drill-down into QS-02")
		}
		if d := s.page(district, "/map?by=election"); fillOf(d, "QS-01-001") != "#8fd19e" || fillOf(d, "QS-02-002") != "" {
			t.Error("district1's map by election")
		}
		if res, _ := s.call(district, "GET", "/map?by=election&district=QS-02", nil, nil); res.StatusCode == http.StatusOK {
			t.Error("district1 drills into QS-02")
		}

		// The progress table: QS-02-002's party vote waits for its re-run, QS-02-001's does not.
		cell := regexp.MustCompile(`data-stage="party_congress" data-state="([a-z_]+)" title="([^"]*)">([^<]*)<`)
		p := s.page(admin, "/progress?district=QS-02")
		rows := strings.Split(p, `<tr data-code="`)
		for _, r := range rows[1:] {
			c := cell.FindStringSubmatch(r)
			switch {
			case strings.HasPrefix(r, "QS-02-002"):
				if c == nil || c[1] != "late" || c[3] != "待重选" || !strings.Contains(c[2], "须于2027-02-19前重新选举") {
					t.Errorf("QS-02-002's vote stage: %v", c)
				}
			case c != nil && c[3] == "待重选":
				t.Errorf("%s's vote stage waits for a re-run", r[:9])
			}
		}
		if cp := s.page(admin, "/communities/QS-02-002/progress"); !strings.Contains(cp, "选举无效,须于2027-02-19前重新选举") {
			t.Error("the community's progress page")
		}
		if cp := s.page(admin, "/communities/QS-02-001/progress"); strings.Contains(cp, "重新选举") {
			t.Error("QS-02-001's progress page: a re-run")
		}
		res, raw := s.call(admin, "GET", "/progress.xlsx?district=QS-02", nil, nil)
		if f, err := excelize.OpenReader(bytes.NewReader(raw)); res.StatusCode != http.StatusOK || err != nil || !sheetHas(f, "须于2027-02-19前重新选举") {
			t.Errorf("the progress workbook lacks the re-run: %d %v", res.StatusCode, err)
		}
		var api struct {
			Items []struct {
				Code   string `json:"code"`
				Stages map[string]struct {
					State   string     `json:"state"`
					RerunBy civil.Date `json:"rerun_by"`
				} `json:"stages"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/progress?district=QS-02", &api)
		for _, it := range api.Items {
			c := it.Stages["party_congress"]
			switch {
			case it.Code == "QS-02-002" && (c.State != "late" || c.RerunBy != "2027-02-19"):
				t.Errorf("the twin's QS-02-002 party vote: %+v", c)
			case it.Code == "QS-02-001" && (c.State != "due" || c.RerunBy != ""):
				t.Errorf("the twin's QS-02-001 party vote: %+v", c)
			case it.Code != "QS-02-002" && c.RerunBy != "":
				t.Errorf("the twin's %s party vote waits for a re-run", it.Code)
			}
		}

		// Today's agenda: the votes of QS-02, the void election; none of them for district1 (QS-01).
		a := s.page(admin, "/meetings")
		for _, want := range []string{`data-testid="agenda-votes"`, `data-testid="agenda-voids"`, void.Name, "2027-02-19", "重新选举"} {
			if !strings.Contains(a, want) {
				t.Errorf("the agenda lacks %s", want)
			}
		}
		if a := s.page(district, "/meetings"); strings.Contains(a, void.Name) || strings.Contains(a, `data-testid="agenda-voids"`) {
			t.Error("district1's agenda shows QS-02's void election")
		}

		// The warnings: QS-01-001's party committee not handed over past its day (district1's too); the void
		// election only from 7 days before its re-run day, and never for district1 or community1.
		w = s.page(admin, "/warnings")
		if !strings.Contains(w, `data-testid="warnings-handovers"`) || strings.Contains(w, `data-testid="warnings-voids"`) {
			t.Error("the warnings on 01-20: a handover past due, no re-run near")
		}
		if w := s.page(district, "/warnings"); !strings.Contains(w, `data-testid="warnings-handovers"`) {
			t.Error("district1's warnings lack its handover")
		}
		at("2027-02-12")
		for user, c := range map[string]*http.Client{"admin": admin, "district1": district, "community1": community} {
			w := s.page(c, "/warnings")
			if strings.Contains(w, `data-testid="warnings-voids"`) != (user == "admin") || strings.Contains(w, void.Name) != (user == "admin") {
				t.Errorf("%s's warnings on 02-12 and the void election", user)
			}
		}
		var warnings struct {
			Voids []store.VoidElection `json:"void_elections"`
		}
		s.getJSON(admin, "/api/v1/warnings", &warnings)
		if len(warnings.Voids) != 1 || warnings.Voids[0].Code != "QS-02-002" || warnings.Voids[0].Late {
			t.Errorf("the warnings' twin: %+v", warnings.Voids)
		}
		at("2027-02-20")
		if w := s.page(admin, "/warnings"); !strings.Contains(between(w, `data-testid="warnings-voids"`, 2000), "逾期") {
			t.Error("a void election past its re-run day is not late")
		}
	})
}
