package e2e

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// slateRuns numbers the runs of TestThirdGateSlateBoard in this process (go
// test -count=N shares one site): each run moves the election days again.
var slateRuns atomic.Int32

// slateAspirant is the part of an aspirant of the API the test reads; its
// age is on the election day of its committee.
type slateAspirant struct {
	ID        int64          `json:"id"`
	Community string         `json:"community"`
	Name      string         `json:"name"`
	Sex       string         `json:"sex"`
	Age       int            `json:"age"`
	Committee org.Committee  `json:"committee"`
	Post      vetting.Post   `json:"post"`
	CrossPost vetting.Post   `json:"cross_post"`
	Status    vetting.Status `json:"status"`
}

// slateCast are the persons of the test's community: S stands for party
// secretary and residents' director (一肩挑), M is another man of the party
// committee (nil if none), Wp a woman of the party committee (the fix),
// Wr a woman of the residents' committee, Y someone 35岁以下 who is not a
// woman of the party committee, and A the person whose assessment the
// test records (its form open: no decision of the party committee yet).
type slateCast struct {
	Code               string
	S, M, Wp, Wr, Y, A *slateAspirant
}

// The communities other tests change or read: the slate test leaves them alone.
var slateAvoid = []string{"QS-01-001", "QS-02-001", gatesCommunity, onesCommunity}

// TestThirdGateSlateBoard walks the third gate (人选考察关, issue 14) through
// the pages as the office would: it sets a community's two election days
// and sees its deadlines move, sets the seats of both committees, enters
// the party members' recommendation and sees the ranking, records the
// assessment of an 初步人选, predicts a slate (a young cadre without a
// source refused in Chinese, the form kept) that has no woman on the party
// committee, sees the warning with its reason on the board and the
// targets page, puts a woman on the party committee and sees the warning
// gone, and prints the board on A4 landscape.
func TestThirdGateSlateBoard(t *testing.T) {
	s, tb := start(t)
	run := int(slateRuns.Add(1))
	admin := s.account(t, "admin")
	today := time.Now().In(civil.Zone)
	tb.open("/login")
	if resp := tb.login(admin.Username, admin.Password, click); resp.Status != http.StatusOK || tb.path() != "/" {
		t.Fatalf("admin login: status %d at %s, want 200 at /", resp.Status, tb.path())
	}
	c := slateChooseCast(t, s, tb)
	code := c.Code
	name := s.unitName(t, code)
	t.Logf("%s %s: secretary and director %s, woman of the party committee %s, of the residents' %s, 35岁以下 %s, assessed %s",
		code, name, c.S.Name, c.Wp.Name, c.Wr.Name, c.Y.Name, c.A.Name)

	// ---- 1. The election days, and the deadlines they move. ----
	tb.fresh()
	calPath := "/calendar/" + code
	if resp := tb.open(calPath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", calPath, resp.Status)
	}
	oldParty, oldResidents := slateDate(t, tb.text(`[data-testid=party-day]`)), slateDate(t, tb.text(`[data-testid=residents-day]`))
	oldDeadlines := slateDeadlines(tb)
	party := civil.Of(today.AddDate(0, 0, 40+run))
	residents := civil.Of(today.AddDate(0, 0, 54+run))
	for party == oldParty || residents == oldResidents {
		party, residents = party.AddDays(1), residents.AddDays(1)
	}
	dform := `form[data-testid=community-days-form]`
	tb.do("fill the election days",
		chromedp.SetValue(chromedp.CSS(dform+` input[name=party_day]`), string(party)),
		chromedp.SetValue(chromedp.CSS(dform+` input[name=residents_day]`), string(residents)),
	)
	resp := tb.follow("submit the election days", chromedp.Click(chromedp.CSS(dform+` button[type=submit]`)))
	slateSaved(t, tb, resp.Status, calPath, "选举日已设定")
	if got, got2 := tb.text(`[data-testid=party-day]`), tb.text(`[data-testid=residents-day]`); got != string(party) || got2 != string(residents) {
		t.Errorf("%s after saving: days %s and %s, want %s and %s", calPath, got, got2, party, residents)
	}
	// Every deadline counts from one of the two days: each moved by as many
	// days as its election day did, and some moved.
	shiftParty := int(math.Round(party.Start().Sub(oldParty.Start()).Hours() / 24))
	shiftResidents := int(math.Round(residents.Start().Sub(oldResidents.Start()).Hours() / 24))
	newDeadlines := slateDeadlines(tb)
	moved := 0
	for stage, before := range oldDeadlines {
		after, ok := newDeadlines[stage]
		if !ok {
			t.Errorf("deadline of %s gone after the days changed", stage)
			continue
		}
		d := int(math.Round(after.Sub(before).Hours() / 24))
		if d != shiftParty && d != shiftResidents {
			t.Errorf("deadline of %s moved %d days (%s to %s), want %d (party day) or %d (residents' day)",
				stage, d, before.Format(time.DateOnly), after.Format(time.DateOnly), shiftParty, shiftResidents)
		}
		if d != 0 {
			moved++
		}
	}
	if len(oldDeadlines) == 0 || moved == 0 {
		t.Errorf("%s: %d deadlines, %d moved when the election days moved %d and %d days", calPath, len(oldDeadlines), moved, shiftParty, shiftResidents)
	}
	t.Logf("election days %s and %s: %d of %d deadlines moved", party, residents, moved, len(oldDeadlines))

	// ---- 2. The seats of both committees. ----
	tb.fresh()
	seatsPath := "/communities/" + code + "/seats"
	if resp := tb.open(seatsPath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", seatsPath, resp.Status)
	}
	pform := `form[data-testid=seats-form-party]`
	tb.do("fill the party committee's seats",
		slateType(pform+` input[name=full_members]`, "36"),
		slateType(pform+` input[name=chief]`, "1"),
		slateType(pform+` input[name=deputies]`, "1"),
		slateType(pform+` input[name=members]`, "3"),
	)
	resp = tb.follow("submit the party committee's seats", chromedp.Click(chromedp.CSS(pform+` button[type=submit]`)))
	slateSaved(t, tb, resp.Status, seatsPath, "职数已保存")
	rform := `form[data-testid=seats-form-residents]`
	tb.do("fill the residents' committee's seats",
		chromedp.SetValue(chromedp.CSS(rform+` select[name=body]`), string(slate.ResidentsBody)),
		slateType(rform+` input[name=chief]`, "1"),
		slateType(rform+` input[name=deputies]`, "1"),
		slateType(rform+` input[name=members]`, "3"),
	)
	resp = tb.follow("submit the residents' committee's seats", chromedp.Click(chromedp.CSS(rform+` button[type=submit]`)))
	slateSaved(t, tb, resp.Status, seatsPath, "职数已保存")
	if p, r := tb.text(`[data-testid=seats-party]`), tb.text(`[data-testid=seats-residents]`); p != "5" || r != "5" {
		t.Errorf("seats after saving: party %s, residents %s, want 5 and 5", p, r)
	}

	// ---- 3. The party members' recommendation of the party committee. ----
	tb.fresh()
	recPath := "/communities/" + code + "/recommendations"
	if resp := tb.open(recPath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", recPath, resp.Status)
	}
	const expected, present, sVotes, wpVotes, mVotes = 40, 36, 33, 29, 3
	recform := `form[data-testid=recommendation-form]`
	row := func(i int, a *slateAspirant, post vetting.Post, votes int) chromedp.Action[chromedp.Void] {
		n := fmt.Sprintf("votes[%d].", i)
		return chromedp.Steps(
			chromedp.SetValue(chromedp.CSS(recform+` select[name="`+n+`aspirant_id"]`), strconv.FormatInt(a.ID, 10)),
			chromedp.SetValue(chromedp.CSS(recform+` select[name="`+n+`post"]`), string(post)),
			slateType(recform+` input[name="`+n+`votes"]`, strconv.Itoa(votes)),
		)
	}
	rows := []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS(recform+` select[name=committee]`), string(org.PartyCommittee)),
		chromedp.SetValue(chromedp.CSS(recform+` select[name=kind]`), string(slate.MembersKind)),
		slateType(recform+` input[name=expected]`, strconv.Itoa(expected)),
		slateType(recform+` input[name=present]`, strconv.Itoa(present)),
		chromedp.SetValue(chromedp.CSS(recform+` input[name=day]`), string(civil.Of(today))),
		row(0, c.S, vetting.Secretary, sVotes),
		row(1, c.Wp, vetting.CommitteeMember, wpVotes),
	}
	if c.M != nil {
		rows = append(rows, row(2, c.M, vetting.Secretary, mVotes))
	}
	tb.do("fill the recommendation", rows...)
	resp = tb.follow("submit the recommendation", chromedp.Click(chromedp.CSS(recform+` button[type=submit]`)))
	slateSaved(t, tb, resp.Status, recPath, "推荐票已保存")
	turnout := tb.text(`[data-testid=rec-party-party]`)
	if want := slate.Percent(slate.Share(present, expected)); !strings.Contains(turnout, fmt.Sprintf("应参加 %d 人,实参加 %d 人", expected, present)) || !strings.Contains(turnout, want) {
		t.Errorf("party members' recommendation %q, want %d expected, %d present, turnout %s", turnout, expected, present, want)
	}
	ranking := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=ranking-party-party-secretary] tbody tr'), tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	wantRanks := [][]string{{"1", c.S.Name, strconv.Itoa(sVotes), slate.Percent(slate.Share(sVotes, present))}}
	if c.M != nil {
		wantRanks = append(wantRanks, []string{"2", c.M.Name, strconv.Itoa(mVotes), slate.Percent(slate.Share(mVotes, present))})
	}
	if fmt.Sprint(ranking) != fmt.Sprint(wantRanks) {
		t.Errorf("secretary's ranking %q, want %q", ranking, wantRanks)
	}

	// ---- 4. The assessment of an 初步人选. ----
	tb.fresh()
	candPath := "/communities/" + code + "/candidates"
	if resp := tb.open(candPath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", candPath, resp.Status)
	}
	personPath := fmt.Sprintf("/candidates/%d", c.A.ID)
	resp = tb.follow("open the person's page", chromedp.Click(chromedp.CSS(`[data-testid=candidates] a[href="`+personPath+`"]`)))
	if resp.Status != http.StatusOK || tb.path() != personPath {
		t.Fatalf("click %s on %s: status %d at %s", c.A.Name, candPath, resp.Status, tb.path())
	}
	aform := `form[data-testid=assessment-form]`
	const opinion = "该同志政治立场坚定,熟悉社区工作,群众基础较好,考察组建议作为预备人选。"
	tb.do("fill the assessment",
		slateType(aform+` input[name=talks]`, "12"),
		slateType(aform+` textarea[name=talked]`, "社区党员、居民代表、网格员共12人"),
		slateType(aform+` input[name=excellent]`, "20"),
		slateType(aform+` input[name=competent]`, "8"),
		slateType(aform+` input[name=basic]`, "2"),
		slateType(aform+` input[name=incompetent]`, "0"),
		slateType(aform+` textarea[name=opinion]`, opinion),
		chromedp.SetValue(chromedp.CSS(aform+` select[name=conclusion]`), string(slate.Recommend)),
	)
	resp = tb.follow("submit the assessment", chromedp.Click(chromedp.CSS(aform+` button[type=submit]`)))
	slateSaved(t, tb, resp.Status, personPath, "考察情况已保存")
	if got, want := tb.text(`[data-testid=share]`), (slate.Appraisal{Excellent: 20, Competent: 8, Basic: 2}).GoodPercent(); got != want {
		t.Errorf("appraisal's share %q, want %s", got, want)
	}
	if got := tb.text(`[data-testid=stage]`); !strings.Contains(got, slate.StageRecommended.Label()) {
		t.Errorf("stage after the assessment %q, want %s", got, slate.StageRecommended.Label())
	}
	if got := tb.text(`[data-testid=step-assessment]`); !strings.Contains(got, opinion) {
		t.Errorf("assessment step %q does not show the opinion", got)
	}

	// ---- 5. A predicted slate without a woman on the party committee. ----
	tb.fresh()
	slatePath := "/communities/" + code + "/slate"
	if resp := tb.open(slatePath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", slatePath, resp.Status)
	}
	picks := map[org.Committee][]slatePick{
		org.PartyCommittee:     {{vetting.Secretary, c.S}},
		org.ResidentsCommittee: {{vetting.Director, c.S}, {vetting.CommitteeMember, c.Wr}},
	}
	if c.Y.Committee == org.PartyCommittee {
		picks[org.PartyCommittee] = append(picks[org.PartyCommittee], slatePick{vetting.CommitteeMember, c.Y})
	} else if c.Y != c.Wr {
		picks[org.ResidentsCommittee] = append(picks[org.ResidentsCommittee], slatePick{vetting.CommitteeMember, c.Y})
	}
	// First without the young cadre's source: refused, the form kept.
	slateFill(t, tb, picks, c.Y)
	resp = tb.follow("submit the slate without a source", chromedp.Click(chromedp.CSS(`form[data-testid=slate-form] button[type=submit]`)))
	if resp.Status != http.StatusUnprocessableEntity || tb.path() != slatePath {
		t.Fatalf("slate with a young cadre without source: status %d at %s, want 422 at %s", resp.Status, tb.path(), slatePath)
	}
	if got := tb.text(`[data-testid=form-error]`); !strings.Contains(got, c.Y.Name) || !strings.Contains(got, "须注明来源") {
		t.Errorf("refused slate: error %q, want one on %s's 来源", got, c.Y.Name)
	}
	sec := slateSelects(tb, org.PartyCommittee, vetting.Secretary)
	if got := eval[string](tb, `document.querySelector('select[name="`+sec[0]+`"]').value`); got != strconv.FormatInt(c.S.ID, 10) {
		t.Errorf("refused slate: the secretary's choice is %q, want %s (%d) kept", got, c.S.Name, c.S.ID)
	}
	slateFill(t, tb, picks, nil)
	resp = tb.follow("submit the slate", chromedp.Click(chromedp.CSS(`form[data-testid=slate-form] button[type=submit]`)))
	slateSaved(t, tb, resp.Status, slatePath, "预判人选已保存")
	saved := classesFetch[slateAPI](tb, "/api/v1/slates/"+code)
	if !saved.Dual || !slateHas(saved, org.PartyCommittee, vetting.Secretary, c.S.ID) || !slateHas(saved, org.ResidentsCommittee, vetting.Director, c.S.ID) ||
		!slateHas(saved, org.ResidentsCommittee, vetting.CommitteeMember, c.Wr.ID) || slateHas(saved, org.PartyCommittee, vetting.CommitteeMember, c.Wp.ID) {
		t.Fatalf("GET /api/v1/slates/%s after saving: %+v", code, saved)
	}

	// The board and the targets page name the unmet target and why.
	tb.fresh()
	boardPath := "/communities/" + code + "/board"
	womanReason := "女性成员:" + org.PartyCommittee.Label() + "女性0名,少于1名"
	unmet := slateBoardUnmet(t, tb, boardPath)
	if !slices.Contains(unmet, womanReason) {
		t.Errorf("%s: unmet targets %q, want %q", boardPath, unmet, womanReason)
	}
	for _, u := range unmet {
		if strings.HasPrefix(u, "一肩挑:") || strings.HasPrefix(u, "35岁以下成员:") {
			t.Errorf("%s: unmet %q, which the slate meets", boardPath, u)
		}
	}
	board := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=board-party] tbody tr'), tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	i := slices.IndexFunc(board, func(r []string) bool { return len(r) == 6 && strings.HasPrefix(r[2], c.S.Name) })
	if i < 0 {
		t.Fatalf("%s: no party row predicts %s: %q", boardPath, c.S.Name, board)
	}
	if want := fmt.Sprintf("第1名 %d票(%s)", sVotes, slate.Percent(slate.Share(sVotes, present))); board[i][0] != vetting.Secretary.Label() || board[i][3] != want {
		t.Errorf("%s: secretary's row %q, want %s with the party members' %s", boardPath, board[i], vetting.Secretary.Label(), want)
	}
	if c.A == c.S && board[i][5] != slate.StageRecommended.Label() {
		t.Errorf("%s: secretary's assessment %q, want %s", boardPath, board[i][5], slate.StageRecommended.Label())
	}
	district := slateDistrict(t, s, code)
	targetsPath := "/targets?district=" + district
	if got := slateTargetsUnmet(t, tb, targetsPath, code); !slices.Contains(got, womanReason) {
		t.Errorf("%s: %s's row %q, want %q", targetsPath, code, got, womanReason)
	}

	// ---- 6. The fix: a woman on the party committee. ----
	tb.fresh()
	if resp := tb.open(slatePath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", slatePath, resp.Status)
	}
	picks[org.PartyCommittee] = append(picks[org.PartyCommittee], slatePick{vetting.CommitteeMember, c.Wp})
	slateFill(t, tb, picks, nil)
	resp = tb.follow("submit the slate with a woman on the party committee", chromedp.Click(chromedp.CSS(`form[data-testid=slate-form] button[type=submit]`)))
	slateSaved(t, tb, resp.Status, slatePath, "预判人选已保存")
	history := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=slate-history] tbody tr'), tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	if !slices.ContainsFunc(history, func(r []string) bool {
		return len(r) == 6 && r[1] == org.PartyCommittee.Label()+vetting.CommitteeMember.Label() && r[3] == c.Wp.Name
	}) {
		t.Errorf("%s: history %q has no change to %s as %s%s", slatePath, history, c.Wp.Name, org.PartyCommittee.Label(), vetting.CommitteeMember.Label())
	}
	tb.fresh()
	for _, u := range slateBoardUnmet(t, tb, boardPath) {
		if strings.HasPrefix(u, "女性成员:") || strings.HasPrefix(u, "一肩挑:") || strings.HasPrefix(u, "35岁以下成员:") {
			t.Errorf("%s after the fix: a hard target still unmet: %q", boardPath, u)
		}
	}
	if got := slateTargetsUnmet(t, tb, targetsPath, code); got != nil {
		t.Errorf("%s after the fix: %s still listed as failing a hard target: %q", targetsPath, code, got)
	}

	// ---- 7. The board printed: A4 landscape. ----
	tb.fresh()
	if resp := tb.open(boardPath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", boardPath, resp.Status)
	}
	yes, no := true, false
	res, err := chromedp.Call(tb.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &no})
	if err != nil {
		t.Fatalf("print %s to PDF: %v", boardPath, err)
	}
	pages, err := pdfPages(res.Data)
	if err != nil {
		t.Fatalf("%s: reading its PDF (%d bytes): %v", boardPath, len(res.Data), err)
	}
	if len(pages) == 0 || len(pages) > 3 {
		t.Errorf("%s prints on %d pages, want 1 to 3", boardPath, len(pages))
	}
	t.Logf("%s: %d pages", boardPath, len(pages))
	for i, p := range pages {
		if math.Abs(p.W-a4Long) > 2 || math.Abs(p.H-a4Short) > 2 {
			t.Errorf("%s: page %d of %d is %.1f×%.1f pt, want A4 landscape (%.0f×%.0f)", boardPath, i+1, len(pages), p.W, p.H, a4Long, a4Short)
		}
	}
}

// slatePick is a person on a post of the slate page.
type slatePick struct {
	Post   vetting.Post
	Person *slateAspirant
}

// slateAPI is the part of GET /api/v1/slates/{code} the test reads.
type slateAPI struct {
	Dual       bool `json:"dual"`
	Committees []struct {
		Committee org.Committee `json:"committee"`
		Posts     []struct {
			Post    vetting.Post `json:"post"`
			Persons []struct {
				AspirantID int64 `json:"aspirant_id"`
			} `json:"persons"`
		} `json:"posts"`
	} `json:"committees"`
}

// slateHas reports whether the slate predicts aspirant id on post p of c.
func slateHas(s slateAPI, c org.Committee, p vetting.Post, id int64) bool {
	for _, x := range s.Committees {
		for _, y := range x.Posts {
			for _, z := range y.Persons {
				if x.Committee == c && y.Post == p && z.AspirantID == id {
					return true
				}
			}
		}
	}
	return false
}

// slateChooseCast finds a community, other than those other tests use,
// whose qualified aspirants make the cast (slateCast), with a person whose
// assessment form is open.
func slateChooseCast(t *testing.T, s *demoSite, tb *tab) slateCast {
	t.Helper()
	all := classesFetch[struct {
		Items []slateAspirant `json:"items"`
		Total int             `json:"total"`
	}](tb, "/api/v1/aspirants?status=qualified&limit=1000")
	if all.Total != len(all.Items) || all.Total == 0 {
		t.Fatalf("the API lists %d of %d qualified aspirants", len(all.Items), all.Total)
	}
	by := map[string][]*slateAspirant{}
	var codes []string
	for i := range all.Items {
		a := &all.Items[i]
		if _, ok := by[a.Community]; !ok {
			codes = append(codes, a.Community)
		}
		by[a.Community] = append(by[a.Community], a)
	}
	slices.Sort(codes)
	first := func(list []*slateAspirant, ok func(*slateAspirant) bool) *slateAspirant {
		for _, a := range list {
			if ok(a) {
				return a
			}
		}
		return nil
	}
	for _, code := range codes {
		if slices.Contains(slateAvoid, code) {
			continue
		}
		list := by[code]
		c := slateCast{Code: code}
		c.S = first(list, func(a *slateAspirant) bool {
			return a.Committee == org.PartyCommittee && a.Post == vetting.Secretary && a.CrossPost == vetting.Director && a.Sex == "男"
		})
		if c.S == nil {
			continue
		}
		c.M = first(list, func(a *slateAspirant) bool { return a.Committee == org.PartyCommittee && a.Sex == "男" && a != c.S })
		c.Wp = first(list, func(a *slateAspirant) bool { return a.Committee == org.PartyCommittee && a.Sex == "女" })
		c.Wr = first(list, func(a *slateAspirant) bool { return a.Committee == org.ResidentsCommittee && a.Sex == "女" })
		// 34 or less now: still 35岁以下 when the test moves the election
		// day by a few weeks and a birthday falls between.
		c.Y = first(list, func(a *slateAspirant) bool {
			return a.Age <= slate.YoungAge-1 && a.CrossPost == "" && a != c.S &&
				!(a.Committee == org.PartyCommittee && a.Sex == "女")
		})
		if c.Wp == nil || c.Wr == nil || c.Y == nil {
			continue
		}
		cands := classesFetch[struct {
			Items []struct {
				ID    int64       `json:"id"`
				Stage slate.Stage `json:"stage"`
			} `json:"items"`
		}](tb, "/api/v1/communities/"+code+"/candidates").Items
		open := map[int64]bool{}
		for _, x := range cands {
			switch x.Stage {
			case slate.StagePending, slate.StageAssessed, slate.StageRecommended:
				open[x.ID] = true
			}
		}
		if open[c.S.ID] {
			c.A = c.S
		} else {
			c.A = first(list, func(a *slateAspirant) bool { return open[a.ID] })
		}
		if c.A == nil {
			continue
		}
		return c
	}
	t.Fatalf("no demo community (but %v) has qualified aspirants for the test: a man for secretary and director, "+
		"a woman on each committee, one 35岁以下, one not yet decided on", slateAvoid)
	return slateCast{}
}

// slateDistrict is the code of the district of community code.
func slateDistrict(t *testing.T, s *demoSite, code string) string {
	t.Helper()
	for _, u := range s.zone.Units {
		if u.Code == code {
			return u.ParentCode
		}
	}
	t.Fatalf("demo zone has no unit %s", code)
	return ""
}

// slateType replaces what the field at css holds with text, typed (the
// field emptied first: chromedp.Clear fails on an empty textarea, SetValue
// to "").
func slateType(css, text string) chromedp.Action[chromedp.Void] {
	empty := chromedp.Evaluate[bool](`(e => { e.value = ''; return true })(document.querySelector(` + strconv.Quote(css) + `))`)
	return chromedp.Steps(
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := empty(ctx, t)
			return chromedp.Void{}, err
		},
		chromedp.SendKeys(chromedp.CSS(css), text),
	)
}

// slateSaved checks that a form went to path with the notice.
func slateSaved(t *testing.T, tb *tab, status int64, path, notice string) {
	t.Helper()
	if status != http.StatusOK || tb.path() != path {
		t.Fatalf("save: status %d at %s, want 200 at %s; error: %s", status, tb.path(), path,
			eval[string](tb, `document.querySelector('[data-testid=form-error]')?.innerText ?? ''`))
	}
	if got := tb.text(`[data-testid=notice]`); !strings.Contains(got, notice) {
		t.Errorf("%s: notice %q, want %s", path, got, notice)
	}
}

var slateDay = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// slateDate reads the date in s.
func slateDate(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(slateDay.FindString(s))
	if err != nil {
		t.Fatalf("no date in %q", s)
	}
	return d
}

// slateDeadlines are the deadlines of the community's calendar page, by stage.
func slateDeadlines(tb *tab) map[string]time.Time {
	tb.t.Helper()
	rows := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=deadlines] tbody tr'), tr => [tr.dataset.stage, tr.querySelector('[data-testid=deadline]').innerText])`)
	out := map[string]time.Time{}
	for _, r := range rows {
		if d, err := time.Parse(time.DateOnly, slateDay.FindString(r[1])); err == nil {
			out[r[0]] = d
		}
	}
	return out
}

// slateSelects are the names of the person selects of post p of committee c
// on the slate page, in seat order.
func slateSelects(tb *tab, c org.Committee, p vetting.Post) []string {
	tb.t.Helper()
	return eval[[]string](tb, fmt.Sprintf(`Array.from(document.querySelectorAll('table[data-testid=slate-%s] tr[data-post=%s] select[name$=".aspirant_id"]'), s => s.name)`, c, p))
}

// slateFill fills the slate form the tab shows with picks, every other
// seat left empty, 一肩挑 planned, a source for each young cadre but
// without (nil: none), and the reason of the change.
func slateFill(t *testing.T, tb *tab, picks map[org.Committee][]slatePick, without *slateAspirant) {
	t.Helper()
	eval[bool](tb, `(document.querySelectorAll('form[data-testid=slate-form] select').forEach(s => { s.value = '' }), true)`)
	for _, c := range org.Committees {
		used := map[vetting.Post]int{}
		for _, k := range picks[c] {
			names := slateSelects(tb, c, k.Post)
			if used[k.Post] >= len(names) {
				t.Fatalf("the slate form has %d seats of %s%s, the test fills %d", len(names), c.Label(), k.Post.Label(), used[k.Post]+1)
			}
			name := names[used[k.Post]]
			used[k.Post]++
			actions := []chromedp.Action[chromedp.Void]{chromedp.SetValue(chromedp.CSS(`select[name="`+name+`"]`), strconv.FormatInt(k.Person.ID, 10))}
			if k.Person.Age <= slate.YoungAge+1 && k.Person != without {
				source := strings.TrimSuffix(name, "aspirant_id") + "source"
				actions = append(actions, chromedp.SetValue(chromedp.CSS(`select[name="`+source+`"]`), string(slate.Inside)))
			}
			tb.do("pick "+k.Person.Name, actions...)
		}
	}
	if !eval[bool](tb, `document.querySelector('form[data-testid=slate-form] input[name=dual]').checked`) {
		tb.do("plan 一肩挑", chromedp.Click(chromedp.CSS(`form[data-testid=slate-form] input[name=dual]`)))
	}
	tb.do("the reason", slateType(`form[data-testid=slate-form] textarea[name=reason]`, "按两推和考察情况调整预判人选"))
}

// slateBoardUnmet opens the board at path and reads its unmet targets.
func slateBoardUnmet(t *testing.T, tb *tab, path string) []string {
	t.Helper()
	if resp := tb.open(path); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", path, resp.Status)
	}
	return eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=board-unmet] [data-testid=unmet]'), p => p.innerText.trim())`)
}

// slateTargetsUnmet opens the targets page at path and reads the unmet
// targets of community code's row; nil when it has no row.
func slateTargetsUnmet(t *testing.T, tb *tab, path, code string) []string {
	t.Helper()
	if resp := tb.open(path); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d", path, resp.Status)
	}
	return eval[[]string](tb, `(r => r ? Array.from(r.querySelectorAll('[data-testid=unmet]'), p => p.innerText.trim()) : null)(document.querySelector('[data-testid=target-rows] tr[data-code="`+code+`"]'))`)
}
