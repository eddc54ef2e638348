package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/civil"
)

// What follows a ballot's confirmation, in a browser: a party ballot of
// electionCommunity elects a person written in (另选他人); its page says
// the person's details are needed and offers the coordinator the form,
// which, refused (under 18 on the day), comes back with the message and the
// cursor on the birth date, and, accepted, sets the committee's members;
// then the coordinator declares the confirmed ballot void from its page.
// The ballot's page (form and void), the results and the report pass
// axe-core's WCAG 2.1 AA rules and the size checks, and fit a phone and a
// desktop without scrolling sideways.
func TestWrittenInAndVoidInBrowser(t *testing.T) {
	s, coord := start(t)
	admin := s.account(t, "admin")
	api := gatesLogin(t, s.base, admin.Username, admin.Password)
	electionList(t, s, api)
	b := openElectionBallot(t, api)
	// 38 valid: the 书记 candidate 36, the members 25, 24, 23, 5 and 4, 王另选 written in as 委员 with 30.
	yes := []int{36, 25, 24, 23, 5, 4}
	var lines []map[string]any
	for i, p := range b.Candidates {
		lines = append(lines, map[string]any{"key": p.Key, "post": p.Post, "yes": yes[i], "no": 37 - yes[i], "abstain": 1})
	}
	entry := map[string]any{"ballots_issued": 38, "ballots_returned": 38, "valid_ballots": 38, "invalid_ballots": 0, "lines": lines,
		"write_ins": []any{map[string]any{"name": "王另选", "post": "member", "yes": 30}}, "final": true}
	for _, clerk := range []string{"community1", "district1"} {
		acc := s.account(t, clerk)
		gatesLogin(t, s.base, acc.Username, acc.Password).call("PUT", fmt.Sprintf("/api/v1/count-units/%d/entry", b.Units[0].ID), entry,
			http.StatusOK, nil)
	}
	api.call("POST", fmt.Sprintf("/api/v1/count-units/%d/confirm", b.Units[0].ID), map[string]any{}, http.StatusOK, nil)
	api.call("POST", fmt.Sprintf("/api/v1/ballots/%d/confirm", b.ID), map[string]any{}, http.StatusOK, nil)
	ballot := fmt.Sprintf("/ballots/%d", b.ID)

	coord.open("/login")
	if resp := coord.login(admin.Username, admin.Password, click); resp.Status != http.StatusOK {
		t.Fatalf("admin login: %d", resp.Status)
	}
	// fits checks the open page at width: nothing scrolls sideways, the accessibility checks pass.
	fits := func(p string, width int64) {
		t.Helper()
		over := eval[float64](coord, `document.documentElement.scrollWidth`) - float64(width)
		if over > 1 {
			t.Errorf("%s at %d px scrolls sideways by %.0f px", p, width, over)
		}
		for _, problem := range coord.accessChecks(width <= 500) {
			t.Errorf("%s at %d px: %s", p, width, problem)
		}
	}
	walk := func(paths ...string) {
		t.Helper()
		for _, width := range []int64{1366, 390} {
			if width == 390 {
				coord.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
			} else {
				coord.do("desktop", chromedp.EmulateViewport(1366, 900))
			}
			for _, p := range paths {
				coord.fresh()
				if resp := coord.open(p); resp.Status != http.StatusOK {
					t.Fatalf("%s: %d", p, resp.Status)
				}
				fits(p, width)
			}
		}
		coord.do("desktop", chromedp.EmulateViewport(1366, 900))
	}

	coord.open(ballot)
	if got := coord.text(`[data-testid=results-pending]`); !strings.Contains(got, "王另选") {
		t.Fatalf("the ballot's page does not say the details are needed: %q", got)
	}
	walk(ballot, "/communities/"+electionCommunity+"/results")

	// The details: refused under 18, the cursor on the birth date; then accepted.
	coord.open(ballot)
	form := `form[data-testid=written-in-form]`
	fill := func(birth string) {
		coord.do("fill the details",
			chromedp.WaitVisible(chromedp.CSS(form)),
			chromedp.SetValue(chromedp.CSS(form+` select[name=sex]`), "女"),
			chromedp.SetValue(chromedp.CSS(form+` input[name=birth_date]`), birth),
			chromedp.SetValue(chromedp.CSS(form+` select[name=education]`), "college"),
			chromedp.SetValue(chromedp.CSS(form+` select[name=party]`), "member"))
	}
	year, _ := strconv.Atoi(string(civil.Of(time.Now()))[:4])
	fill(fmt.Sprintf("%d-06-01", year-10))
	resp := coord.follow("submit details under 18", chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	if resp.Status != http.StatusUnprocessableEntity || !strings.Contains(coord.text(`[data-testid=form-error]`), "不满18周岁") {
		t.Fatalf("details under 18: status %d, error %q", resp.Status, coord.text(`[data-testid=form-error]`))
	}
	// Chrome moves the cursor to an autofocus field at its next rendering
	// step, not when the page has loaded: wait for it, a few seconds at most.
	if _, err := chromedp.Run(coord.ctx, chromedp.Poll[bool](`document.activeElement?.name === 'birth_date'`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("the cursor is on %q, want the birth date (%v)", eval[string](coord, `document.activeElement?.name ?? ''`), err)
	}
	fits(ballot+"/written-in (refused)", 1366)
	fill("1990-04-02")
	resp = coord.follow("submit the details", chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	if resp.Status != http.StatusOK || coord.path() != ballot || !strings.Contains(coord.text(`[data-testid=notice]`), "当选人员已随之登记") {
		t.Fatalf("the details: status %d at %s", resp.Status, coord.path())
	}

	// Declared void from its page, once confirmed.
	coord.do("open the void form", chromedp.Click(chromedp.CSS(`details:has(form[data-testid=void]) > summary`)))
	coord.do("give the reason", slateType(`form[data-testid=void] textarea[name=reason]`, "上级党组织审查认定本次选举程序违法"))
	resp = coord.follow("declare it void", chromedp.Click(chromedp.CSS(`form[data-testid=void] button[type=submit]`)))
	if resp.Status != http.StatusOK || !strings.Contains(coord.text(`[data-testid=ballot-state]`), "计票结果确认后宣布") {
		t.Fatalf("the void: status %d, state %q", resp.Status, coord.text(`[data-testid=ballot-state]`))
	}
	walk(ballot, "/communities/"+electionCommunity+"/results", ballot+"/report")
	coord.open("/communities/" + electionCommunity + "/results")
	if got := coord.text(`[data-testid=void-party]`); !strings.Contains(got, "重新选举") {
		t.Errorf("the results page after the void: %q", got)
	}
}
