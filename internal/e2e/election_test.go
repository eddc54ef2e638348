package e2e

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/slate"
)

// electionCommunity is where the election tests vote: community1's own
// community, in district1's district, so that the two demo clerks may both
// enter its counts and admin, who enters none, coordinates.
const electionCommunity = "QS-01-001"

// electionCandidate is the part of a candidate of the API the set-up reads.
type electionCandidate struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Committee string      `json:"committee"`
	Eligible  bool        `json:"eligible"`
	Stage     slate.Stage `json:"stage"`
	Decision  *struct {
		Approved bool       `json:"approved"`
		Day      civil.Date `json:"day"`
	} `json:"decision"`
	Higher *struct {
		Day civil.Date `json:"day"`
	} `json:"higher"`
	Notice *struct {
		Start civil.Date `json:"start"`
		End   civil.Date `json:"end"`
	} `json:"notice"`
}

// electionBallot is the part of a ballot of the API the tests read.
type electionBallot struct {
	ID         int64  `json:"id"`
	Round      string `json:"round"`
	State      string `json:"state"`
	Committee  string `json:"committee"`
	Candidates []struct {
		Key  string `json:"key"`
		Name string `json:"name"`
		Post string `json:"post"`
	} `json:"candidates"`
	Units []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"units"`
}

var electionSetUp struct {
	once sync.Once
	err  string
}

// electionList gives electionCommunity's party committee, once per
// process and through the API as the office does: its election day today
// (the residents' four weeks later), 5 seats (书记, 副书记, 3 委员) and a
// formal list of six, the demo's qualified party aspirants taken through
// the third gate's remaining steps (assessment, decision, the higher
// level's approval, a notice ended), posted eight days before the vote.
func electionList(t *testing.T, s *demoSite, admin *gatesClient) {
	t.Helper()
	electionSetUp.once.Do(func() { electionSetUp.err = makeElectionList(t, s, admin) })
	if electionSetUp.err != "" {
		t.Fatal(electionSetUp.err)
	}
}

func makeElectionList(t *testing.T, s *demoSite, c *gatesClient) string {
	today := civil.Of(time.Now())
	day := func(n int) civil.Date { return today.AddDays(n) }
	var formal struct {
		Candidates []struct {
			AspirantID  int64      `json:"aspirant_id"`
			WithdrawnOn civil.Date `json:"withdrawn_on"`
		} `json:"candidates"`
	}
	if c.call("GET", "/api/v1/communities/"+electionCommunity+"/formal/party", nil, 0, &formal) == http.StatusOK && len(formal.Candidates) >= 6 {
		return "" // a run before this process's set it up
	}
	c.call("PUT", "/api/v1/election-days", map[string]any{"unit": electionCommunity, "party_day": today, "residents_day": day(28)},
		http.StatusOK, nil)
	c.call("PUT", "/api/v1/communities/"+electionCommunity+"/seats/party", map[string]any{"full_members": 40, "chief": 1, "deputies": 1,
		"members": 3}, http.StatusOK, nil)
	var list struct {
		Items []electionCandidate `json:"items"`
	}
	c.call("GET", "/api/v1/communities/"+electionCommunity+"/candidates", nil, http.StatusOK, &list)
	for _, p := range list.Items {
		if p.Committee != "party" || !p.Eligible {
			continue
		}
		put := func(step string, body map[string]any) bool {
			return c.call("PUT", fmt.Sprintf("/api/v1/candidates/%d/%s", p.ID, step), body, 0, nil) == http.StatusOK
		}
		switch p.Stage {
		case slate.StagePending, slate.StageAssessed:
			if !put("assessment", map[string]any{"talks": 5, "talked": "党员群众", "excellent": 8, "competent": 2, "opinion": "群众公认,能力较强",
				"conclusion": slate.Recommend}) {
				continue
			}
			fallthrough
		case slate.StageRecommended:
			if p.Decision == nil && !put("decision", map[string]any{"approved": true, "day": day(-20)}) {
				continue
			}
		}
		decided := day(-20)
		if p.Decision != nil {
			if !p.Decision.Approved {
				continue
			}
			decided = max(decided, p.Decision.Day)
		}
		higher := max(decided, day(-18))
		if p.Higher == nil && p.Notice == nil && !put("higher", map[string]any{"day": higher, "document": "清组字〔2026〕8号"}) {
			continue
		}
		if p.Higher != nil {
			higher = p.Higher.Day
		}
		if p.Notice == nil {
			start := max(higher, day(-15))
			if end := start.AddDays(4); end >= today || !put("notice", map[string]any{"start": start, "end": end}) {
				continue
			}
		}
	}
	c.call("GET", "/api/v1/communities/"+electionCommunity+"/candidates", nil, http.StatusOK, &list)
	var entries []map[string]any
	for _, p := range list.Items {
		if p.Committee == "party" && p.Stage == slate.StagePassed && len(entries) < 6 {
			post := "member"
			if len(entries) == 0 {
				post = "secretary"
			}
			entries = append(entries, map[string]any{"aspirant_id": p.ID, "post": post})
		}
	}
	if len(entries) < 6 {
		return fmt.Sprintf("%s has %d party candidates through the third gate, the formal list needs 6", electionCommunity, len(entries))
	}
	if st := c.call("PUT", "/api/v1/communities/"+electionCommunity+"/formal/party", map[string]any{"posted_on": day(-8),
		"candidates": entries}, 0, nil); st != http.StatusOK {
		return fmt.Sprintf("the formal list of %s: status %d", electionCommunity, st)
	}
	return ""
}

// partyBallots are electionCommunity's party ballots, as they were opened.
func partyBallots(c *gatesClient) []electionBallot {
	var list struct {
		Committees []struct {
			Committee string           `json:"committee"`
			Ballots   []electionBallot `json:"ballots"`
		} `json:"committees"`
	}
	c.call("GET", "/api/v1/communities/"+electionCommunity+"/ballots", nil, http.StatusOK, &list)
	for _, com := range list.Committees {
		if com.Committee == "party" {
			return com.Ballots
		}
	}
	return nil
}

// openElectionBallot opens a party ballot of electionCommunity for this
// run: the first, or after voiding the standing one (a run before this
// one, or the walk's) a repeat; 40 should attend, 38 are present.
func openElectionBallot(t *testing.T, c *gatesClient) electionBallot {
	t.Helper()
	round := "first"
	for _, b := range partyBallots(c) {
		if b.State != "void" {
			c.call("POST", fmt.Sprintf("/api/v1/ballots/%d/void", b.ID), map[string]any{"reason": "浏览器测试重新投票"}, http.StatusOK, nil)
		}
		round = "repeat"
	}
	var b electionBallot
	c.call("POST", "/api/v1/communities/"+electionCommunity+"/ballots/party", map[string]any{"round": round, "should_attend": 40, "present": 38},
		http.StatusCreated, &b)
	return b
}

// electionYes are the 赞成 of the six on a count sheet of 38 ballots, all
// valid, each line with 1 弃权: the 书记 candidate 36, the members 30, 29,
// 27, 12 and 9 (three seats), so that more than half of the 40 who should
// attend elects four and the fifth seat goes to a further ballot.
var electionYes = []int{36, 30, 29, 27, 12, 9}

// reportBallot is the ballot whose report TestFormsFitA4 prints: the
// latest confirmed party ballot of electionCommunity, or walkBallot's.
func reportBallot(t *testing.T, s *demoSite) int64 {
	t.Helper()
	admin := s.account(t, "admin")
	bs := partyBallots(gatesLogin(t, s.base, admin.Username, admin.Password))
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].State == "confirmed" {
			return bs[i].ID
		}
	}
	return walkBallot(t, s).ID
}

// walkBallot is a party ballot of electionCommunity still counted, for the
// walk: the latest, or one opened whose main hall's first entry community1
// made, so that its page offers the office the second entry and the desk.
func walkBallot(t *testing.T, s *demoSite) electionBallot {
	t.Helper()
	admin := s.account(t, "admin")
	c := gatesLogin(t, s.base, admin.Username, admin.Password)
	if bs := partyBallots(c); len(bs) > 0 && (bs[len(bs)-1].State == "open" || bs[len(bs)-1].State == "counting") {
		return bs[len(bs)-1]
	}
	electionList(t, s, c)
	b := openElectionBallot(t, c)
	var lines []map[string]any
	for i, p := range b.Candidates {
		lines = append(lines, map[string]any{"key": p.Key, "post": p.Post, "yes": electionYes[i], "no": 37 - electionYes[i], "abstain": 1})
	}
	clerk := s.account(t, "community1")
	gatesLogin(t, s.base, clerk.Username, clerk.Password).call("PUT", fmt.Sprintf("/api/v1/count-units/%d/entry", b.Units[0].ID),
		map[string]any{"ballots_issued": 38, "ballots_returned": 38, "valid_ballots": 38, "invalid_ballots": 0, "lines": lines,
			"write_ins": []any{}, "final": true}, http.StatusOK, nil)
	return b
}

// electionPages adds to pages the elections' pages an office reaches by
// links rather than from the menu: from the community's page its
// electorate, ballots and results; from the electorate the election
// settings; from the ballots the counts overview, the outcome check and a
// ballot; from the ballot its report, a station's entry and its desk.
func electionPages(tb *tab, s *demoSite, pages []string) []string {
	tb.t.Helper()
	b := walkBallot(tb.t, s)
	links := func(p string) []string {
		tb.fresh()
		if resp := tb.open(p); resp.Status != http.StatusOK {
			tb.t.Errorf("%s: status %d", p, resp.Status)
			return nil
		}
		return eval[[]string](tb, `Array.from(document.querySelectorAll('main a[href^="/"]'), a => a.getAttribute('href'))`)
	}
	// add adds the first link of from to each of paths (regular
	// expressions), none there being an error.
	add := func(from []string, paths ...string) {
		for _, p := range paths {
			re := regexp.MustCompile(`^` + p + `$`)
			if i := slices.IndexFunc(from, re.MatchString); i < 0 {
				tb.t.Errorf("no link like %s", p)
			} else if !slices.Contains(pages, from[i]) {
				pages = append(pages, from[i])
			}
		}
	}
	community := "/communities/" + electionCommunity
	ballot := fmt.Sprintf("/ballots/%d", b.ID)
	add(links("/orgs/"+electionCommunity), community+"/electorate", community+"/ballots", community+"/results")
	add(links(community+"/electorate"), "/elections/settings")
	add(links(community+"/ballots"), "/counts", "/elections/outcome-check", ballot)
	add(links(ballot), ballot+"/report", `/count-units/\d+/entry`, `/count-units/\d+/differences`)
	return pages
}

// The count of a ballot in the browser (issue 15, "Done when"): two clerks
// enter the main hall's count sheet on their own accounts, the second
// leaving 参加投票人数 empty where the first typed 38; the coordinator sees
// the difference, keeps the first entry, confirms the station and then the
// ballot, and opens the 选举结果报告单, which shows the figures and the
// outcome, is filed in the community's archive and prints on A4 portrait,
// one sheet per part.
func TestElectionCountReport(t *testing.T) {
	s, coord := start(t)
	admin := s.account(t, "admin")
	api := gatesLogin(t, s.base, admin.Username, admin.Password)
	electionList(t, s, api)
	b := openElectionBallot(t, api)
	if len(b.Candidates) != 6 || len(b.Units) != 1 {
		t.Fatalf("the ballot opened: %+v", b)
	}
	unit := b.Units[0].ID
	entry := fmt.Sprintf("/count-units/%d/entry", unit)
	t.Logf("ballot %d (%s) of %s, main hall %d", b.ID, b.Round, electionCommunity, unit)

	yes := electionYes
	enter := func(username string, voted string) {
		t.Helper()
		clerk := newTab(t, s.base)
		acc := s.account(t, username)
		clerk.open("/login")
		if resp := clerk.login(acc.Username, acc.Password, click); resp.Status != http.StatusOK {
			t.Fatalf("%s login: %d", username, resp.Status)
		}
		if resp := clerk.open(entry); resp.Status != http.StatusOK {
			t.Fatalf("%s opens %s: %d", username, entry, resp.Status)
		}
		form := `form[data-testid=entry-form]`
		steps := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS(form))}
		if voted != "" {
			steps = append(steps, slateType(form+` input[name=voted]`, voted))
		}
		for name, v := range map[string]string{"ballots_issued": "38", "ballots_returned": "38", "valid_ballots": "38", "invalid_ballots": "0"} {
			steps = append(steps, slateType(form+` input[name=`+name+`]`, v))
		}
		for i, y := range yes {
			steps = append(steps,
				slateType(fmt.Sprintf(`%s input[name="lines[%d].yes"]`, form, i), strconv.Itoa(y)),
				slateType(fmt.Sprintf(`%s input[name="lines[%d].no"]`, form, i), strconv.Itoa(38-y-1)),
				slateType(fmt.Sprintf(`%s input[name="lines[%d].abstain"]`, form, i), "1"))
		}
		clerk.do(username+" fills the count sheet", steps...)
		resp := clerk.follow(username+" submits", chromedp.Click(chromedp.CSS(form+` button[name=final]`)))
		if resp.Status != http.StatusOK || clerk.path() != fmt.Sprintf("/ballots/%d", b.ID) {
			t.Fatalf("%s submits: status %d at %s; %s", username, resp.Status, clerk.path(),
				eval[string](clerk, `document.querySelector('[data-testid=form-error]')?.innerText ?? ''`))
		}
	}
	enter("community1", "38")
	enter("district1", "")

	// The coordinator: the difference, kept the first; the station confirmed.
	coord.open("/login")
	if resp := coord.login(admin.Username, admin.Password, click); resp.Status != http.StatusOK {
		t.Fatalf("admin login: %d", resp.Status)
	}
	desk := fmt.Sprintf("/count-units/%d/differences", unit)
	coord.open(desk)
	diffs := eval[[][]string](coord, `Array.from(document.querySelectorAll('[data-testid=differences] tbody tr'), tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	if len(diffs) != 1 || !strings.Contains(diffs[0][1], "参加投票人数") || diffs[0][2] != "38" || diffs[0][3] != "空" || diffs[0][4] != "待处理" {
		t.Fatalf("the differences the coordinator sees: %q", diffs)
	}
	if n := eval[int](coord, `document.querySelectorAll('form[data-testid=confirm]').length`); n != 0 {
		t.Errorf("the desk offers to confirm a count whose entries differ")
	}
	resp := coord.follow("keep the first entry",
		chromedp.Click(chromedp.CSS(`form[data-testid=resolve] input[value=keep_first]`)),
		chromedp.Click(chromedp.CSS(`form[data-testid=resolve] button[type=submit]`)))
	if resp.Status != http.StatusOK || coord.path() != desk {
		t.Fatalf("resolve: status %d at %s", resp.Status, coord.path())
	}
	for range 5 { // acknowledge any warning, then confirm
		acks := eval[int](coord, `document.querySelectorAll('[data-testid=result] form[action$="/acknowledge"] button').length`)
		if acks == 0 {
			break
		}
		coord.follow("acknowledge a warning", chromedp.Click(chromedp.CSS(`[data-testid=result] form[action$="/acknowledge"] button`)))
	}
	coord.follow("confirm the station", chromedp.Click(chromedp.CSS(`form[data-testid=confirm] button`)))
	if got := coord.text(`[data-testid=unit-status]`); got != "已确认" {
		t.Fatalf("the station after confirming: %s", got)
	}

	// The ballot, confirmed from its page; then its report.
	coord.fresh()
	ballot := fmt.Sprintf("/ballots/%d", b.ID)
	coord.open(ballot)
	for range 5 {
		if eval[int](coord, `document.querySelectorAll('[data-testid=total] form[action$="/acknowledge"] button').length`) == 0 {
			break
		}
		coord.follow("acknowledge a warning", chromedp.Click(chromedp.CSS(`[data-testid=total] form[action$="/acknowledge"] button`)))
	}
	coord.follow("confirm the ballot", chromedp.Click(chromedp.CSS(`form[data-testid=confirm-ballot] button`)))
	if got := coord.text(`[data-testid=ballot-state]`); !strings.Contains(got, "计票结果已确认") {
		t.Fatalf("the ballot after confirming: %s", got)
	}
	resp = coord.follow("open the report", chromedp.Click(chromedp.CSS(`a[data-testid=report-link]`)))
	if resp.Status != http.StatusOK || coord.path() != ballot+"/report" {
		t.Fatalf("the report: status %d at %s", resp.Status, coord.path())
	}
	figures := map[string]string{}
	for _, k := range []string{"eligible", "participants", "issued", "returned", "valid", "invalid"} {
		figures[k] = strings.Fields(coord.text(`[data-testid=report-figures] [data-testid=` + k + `]`))[0]
	}
	if fmt.Sprint(figures) != "map[eligible:40 invalid:0 issued:38 participants:38 returned:38 valid:38]" {
		t.Errorf("the report's figures: %v", figures)
	}
	lines := eval[[][]string](coord, `Array.from(document.querySelectorAll('[data-testid=report-lines] tbody tr'), tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	for i, c := range b.Candidates {
		if want := []string{map[string]string{"secretary": "书记", "member": "委员"}[c.Post], c.Name, strconv.Itoa(yes[i]), strconv.Itoa(38 - yes[i] - 1), "1"}; i >= len(lines) || !slices.Equal(lines[i], want) {
			t.Errorf("the report's line %d: %q, want %q", i+1, lines, want)
			break
		}
	}
	var names []string
	for _, c := range b.Candidates {
		names = append(names, c.Name)
	}
	outcome := coord.text(`[data-testid=report-outcome]`)
	if !strings.Contains(outcome, strings.Join(names[:4], "、")+"当选") || !strings.Contains(outcome, "另行选举") {
		t.Errorf("the report's outcome %q, want %s elected and a further ballot", outcome, strings.Join(names[:4], "、"))
	}
	for _, want := range []string{"总监票人", "监票人", "计票人", "主持人"} {
		if !strings.Contains(coord.text(`[data-testid=report-sign]`), want) {
			t.Errorf("the report has no signature line for %s", want)
		}
	}
	if coord.text(`[data-testid=tally-sum] td:nth-child(4)`) != "38" || len(eval[[]string](coord, `Array.from(document.querySelectorAll('[data-testid=elected] tbody tr'), tr => tr.innerText)`)) != 4 {
		t.Errorf("the 计票汇总 or the 当选名单 are not the ballot's")
	}
	if !strings.Contains(coord.text(`[data-testid=report-filed]`), "归入本社区档案") {
		t.Errorf("the report is not filed")
	}
	var archive struct {
		Items []struct {
			Name     string `json:"name"`
			Category string `json:"category"`
		} `json:"items"`
	}
	api.call("GET", "/api/v1/communities/"+electionCommunity+"/archive", nil, http.StatusOK, &archive)
	filed := 0
	for _, f := range archive.Items {
		if f.Category == "results" && strings.Contains(f.Name, "选举结果报告单") {
			filed++
		}
	}
	if filed == 0 {
		t.Errorf("the archive holds no report after ballot %d was confirmed", b.ID)
	}

	// Printed: the audit mark under the last part, every page A4 portrait,
	// a sheet for each part.
	if _, err := chromedp.Call(coord.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if mark := coord.text(`[data-testid=audit-mark]`); !strings.Contains(mark, "审计日志截至第") {
		t.Errorf("the printed report carries no audit mark: %q", mark)
	}
	if _, err := chromedp.Call(coord.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	yesB, noB := true, false
	pdf, err := chromedp.Call(coord.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yesB, PrintBackground: &noB})
	if err != nil {
		t.Fatalf("print the report: %v", err)
	}
	pages, err := pdfPages(pdf.Data)
	if err != nil {
		t.Fatalf("the report's PDF: %v", err)
	}
	if len(pages) < 3 || len(pages) > 4 {
		t.Errorf("the report prints on %d pages, want 3 (a sheet per part) or 4", len(pages))
	}
	for i, p := range pages {
		if math.Abs(p.W-a4Short) > 2 || math.Abs(p.H-a4Long) > 2 {
			t.Errorf("page %d of the report is %.1f×%.1f pt, want A4 portrait", i+1, p.W, p.H)
		}
	}
	t.Logf("the report prints on %d A4 pages", len(pages))
}
