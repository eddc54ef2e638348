package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/web"
	"github.com/xuri/excelize/v2"
)

// The demo's elections on the pages that show them (issue 15, point 10):
// the predicted-vs-elected comparison, the statistics, the battle map by
// election, the progress table, the warnings, the counts, and each ballot
// of the communities whose elections show the law at work (the void ballot
// held again, the further ballot, a young cadre's) with its report. Each
// page opens for the office and for a district's liaison (its own
// communities only), shows what the demo holds, and speaks Chinese only.
func TestDemoElectionsPages(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		zone := s.st.Zone(store.System)
		if _, err := web.FileReports(ctx, s.st, zone, s.files); err != nil {
			t.Fatal(err)
		}
		usernames := func(w string) bool { _, ok := s.accounts[w]; return ok }
		ballots, err := zone.Ballots(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var void, further store.Ballot
		for _, b := range ballots {
			switch {
			case b.State == election.BallotVoid:
				void = b
			case b.Round == election.FurtherRound:
				further = b
			}
		}
		if void.ID == 0 || further.ID == 0 {
			t.Fatalf("the demo has no void ballot (%d) or no further ballot (%d)", void.ID, further.ID)
		}
		young := ""
		for _, u := range fullDemo.zone.Units {
			if u.Name == "辛庄社区" {
				young = u.Code
			}
		}
		pages := map[string][]string{ // what each page must show
			"/results/match":                                 {"当选预判职务", "当选其他职务"},
			"/results/statistics":                            {"连选连任", "另行选举", "选举无效", "重新选举"},
			"/map?by=election":                               {"已交接", "已确认"},
			"/progress":                                      {"党员大会选举", "投票选举"},
			"/warnings":                                      {`data-testid="warnings-handovers"`, "没有期限临近或已过的待重新选举"},
			"/counts":                                        {},
			"/communities/" + young + "/results":             {"高票当选", "一肩挑"},
			fmt.Sprintf("/ballots/%d", void.ID):              {"选举无效", "流动票箱收回选票"},
			fmt.Sprintf("/ballots/%d/report", void.ID):       {"选举无效"},
			fmt.Sprintf("/ballots/%d", further.ID):           {"另行选举"},
			fmt.Sprintf("/ballots/%d/report", further.ID):    {"另行选举", "当选名单"},
			"/communities/" + further.Community + "/ballots": {"另行选举", "第一次投票"},
			"/communities/" + void.Community + "/ballots":    {"重新选举", "选举无效"},
		}
		admin := s.login("admin")
		for path, wants := range pages {
			page := s.page(admin, path)
			for _, want := range wants {
				if !strings.Contains(page, want) {
					t.Errorf("%s lacks %q", path, want)
				}
			}
			if latin := latinIn(visibleText([]byte(page)), usernames); len(latin) > 0 {
				t.Errorf("%s shows %v", path, latin)
			}
		}
		// The demo zone's statistics (issue 15, "Done when"): the workbook's
		// rows and totals in the county form are the screen's, for both
		// committees.
		res, raw := s.call(admin, "GET", "/results/statistics.xlsx", nil, nil)
		if res.StatusCode != 200 {
			t.Fatalf("statistics workbook: %d", res.StatusCode)
		}
		book, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		for committee, sheet := range map[string]string{"residents": "居委会班子", "party": "党组织班子"} {
			page := s.page(admin, "/results/statistics?committee="+committee)
			screen := tableRows(t, page, "statistics-rows")
			var total []string
			for _, c := range regexp.MustCompile(`(?s)<th[^>]*>(.*?)</th>`).FindAllStringSubmatch(between(page, `data-testid="statistics-total"`, 2000), -1) {
				total = append(total, html.UnescapeString(c[1]))
			}
			rows, err := book.GetRows(sheet)
			if err != nil || len(rows) != 2+len(screen)+1 || len(screen) != 32 {
				t.Fatalf("%s: %d rows in the workbook, %d on the screen %v", sheet, len(rows), len(screen), err)
			}
			elected := 0
			for i, row := range screen {
				if !slices.Equal(trimCells(rows[2+i]), trimCells(row)) {
					t.Errorf("%s row %d: workbook %v, screen %v", sheet, i, rows[2+i], row)
				}
				if !strings.Contains(strings.Join(row, ""), "尚无选举结果") {
					elected++
				}
			}
			if last := rows[len(rows)-1]; len(total) < 3 || total[0] != "合计" || !slices.Equal(trimCells(last), trimCells(total)) {
				t.Errorf("%s totals: workbook %v, screen %v", sheet, last, total)
			}
			if want := map[string]int{"party": 32, "residents": 28}[committee]; elected != want {
				t.Errorf("%s: %d communities with results on the screen, the demo elected %d", sheet, elected, want)
			}
		}

		// A district's liaison sees its own communities' elections only.
		liaison := s.login("district2")
		match := s.page(liaison, "/results/match")
		if !strings.Contains(match, "QS-02-") || strings.Contains(match, "QS-01-") || strings.Contains(match, "QS-03-") {
			t.Errorf("district2's comparison is not its district's alone")
		}
		if res, _ := s.call(liaison, "GET", fmt.Sprintf("/ballots/%d", void.ID), nil, nil); !strings.HasPrefix(void.Community, "QS-02-") &&
			res.StatusCode != 404 {
			t.Errorf("district2 opens a ballot of %s: %d", void.Community, res.StatusCode)
		}
	})
}
