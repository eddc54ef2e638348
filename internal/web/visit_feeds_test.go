package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// feedCount is a community's coverage in a round as the database's own
// rows count it.
type feedCount struct {
	code, name, district string
	households, reached  int
	owed                 int // people and sitting members no visit of the round reached
}

// memberKey is SQL naming the person of members row a: a member holding
// both posts (一肩挑) has a row in each committee, one ID number.
func memberKey(a string) string {
	return `CASE WHEN ` + a + `.id_number_index <> '' THEN ` + a + `.id_number_index ELSE ` + a + `.name || '|' || ` + a + `.birth_date END`
}

// feedCounts counts every community's coverage in round of cycle, in tree
// order, from the rows themselves: distinct households reached by a visit
// not missed, against the register; people and sitting members (each
// person once) no such visit reached.
func feedCounts(t *testing.T, raw *sql.DB, cycle int64, round string) []feedCount {
	t.Helper()
	rows, err := raw.Query(`SELECT o.code, o.name, d.code,
		(SELECT COUNT(*) FROM visit_households h WHERE h.cycle_id = $1 AND h.org_id = o.id),
		(SELECT COUNT(DISTINCT v.household_id) FROM visits v WHERE v.cycle_id = $1 AND v.org_id = o.id AND v.round = $2
			AND v.household_id > 0 AND NOT v.missed),
		(SELECT COUNT(*) FROM visit_people p WHERE p.cycle_id = $1 AND p.org_id = o.id AND NOT EXISTS (SELECT 1 FROM visits v
			WHERE v.cycle_id = $1 AND v.round = $2 AND v.person_id = p.id AND NOT v.missed))
		+ (SELECT COUNT(DISTINCT `+memberKey("m")+`) FROM members m WHERE m.cycle_id = $1 AND m.org_id = o.id AND NOT EXISTS (
			SELECT 1 FROM visits v JOIN members r ON r.id = v.member_id WHERE v.cycle_id = $1 AND v.round = $2 AND NOT v.missed
				AND r.org_id = o.id AND `+memberKey("r")+` = `+memberKey("m")+`))
		FROM orgs o JOIN orgs d ON d.id = o.parent_id WHERE o.kind = 'community' ORDER BY o.path`, cycle, round)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []feedCount
	for rows.Next() {
		var c feedCount
		if err := rows.Scan(&c.code, &c.name, &c.district, &c.households, &c.reached, &c.owed); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The visits' feeds on the pages that read them, on the demo zone with its
// elections held (its round before the election over since the eve of the
// first vote, some communities short of it; its round during the
// elections under way), on both engines. The communities short of a
// round's targets near or past its end, as the database's own counts say
// (households reached under the target, or talks owed under 全谈), are
// exactly those the warnings page and its JSON list, with their figures
// and links to their visits and unreached households, and those today's
// agenda lists, in Chinese; a district's office sees only its district's,
// a community's account only its own. The progress table shows each
// community's coverage in the round under way as those counts give it, on
// the page, in its JSON and in its workbook; a community's account sees
// its row only. The board shows what the talks before the election heard
// about standing, counted by each person's latest talk, with the names of
// those standing, and hides it from another district's office.
func TestVisitFeedsPages(t *testing.T) {
	t.Parallel()
	forEachRaw(t, fullDemo.db, func(t *testing.T, st *store.Store, raw *sql.DB) {
		s := serve(t, st, fullDemo.zone)
		ctx := context.Background()
		cycle, err := st.Zone(store.System).Cycle(ctx)
		if err != nil {
			t.Fatal(err)
		}
		today := st.Today()

		// What the rule gives from the database's own rows.
		type line struct {
			feedCount
			round       string
			target      int
			late, below bool
		}
		var want []line
		current := ""
		rows, err := raw.Query(`SELECT round, starts_on, ends_on, household_percent, talk_all FROM visit_campaigns
			WHERE cycle_id = $1 AND ends_on <> '' ORDER BY ends_on`, cycle.ID)
		if err != nil {
			t.Fatal(err)
		}
		type campaign struct {
			round, starts, ends string
			percent             int
			talkAll             bool
		}
		var campaigns []campaign
		for rows.Next() {
			var c campaign
			if err := rows.Scan(&c.round, &c.starts, &c.ends, &c.percent, &c.talkAll); err != nil {
				t.Fatal(err)
			}
			campaigns = append(campaigns, c)
		}
		rows.Close()
		for _, c := range campaigns {
			// Rounds may overlap (the round after begins with the first
			// residents' vote): the first in the campaign's order is current.
			if current == "" && string(today) >= c.starts && string(today) <= c.ends {
				current = c.round
			}
			if today < civil.Date(c.ends).AddDays(-7) {
				continue
			}
			for _, n := range feedCounts(t, raw, cycle.ID, c.round) {
				below := n.reached*100 < c.percent*n.households
				if below || (c.talkAll && n.owed > 0) {
					want = append(want, line{n, c.round, c.percent, string(today) > c.ends, below})
				}
			}
		}
		if current != string(visit.During) {
			t.Fatalf("the demo zone's round under way is %q, want the round during the elections", current)
		}
		var households int
		for _, l := range want {
			if l.round == "before" && l.below {
				households++
			}
		}
		if households == 0 || len(want) == 0 || !want[0].late {
			t.Fatalf("the demo zone should have communities short of the round before, over: %+v", want)
		}
		codes := func(ls []line, keep func(line) bool) []string {
			out := []string{}
			for _, l := range ls {
				if keep(l) {
					out = append(out, l.code)
				}
			}
			return out
		}
		all := func(line) bool { return true }
		var first, community string
		for _, a := range fullDemo.zone.Accounts {
			switch a.Username {
			case "district1":
				first = a.Scope
			case "community1":
				community = a.Scope
			}
		}
		inDistrict := func(l line) bool { return l.district == first }
		own := func(l line) bool { return l.code == community }
		if n := len(codes(want, inDistrict)); n == 0 || n == len(want) {
			t.Fatalf("%d of the %d communities short are %s's: the scope test needs some in and some out", n, len(want), first)
		}

		// The warnings page and its JSON twin.
		dataCode := regexp.MustCompile(`<tr[^>]*data-code="([^"]+)"`)
		listed := func(table string) []string {
			out := []string{}
			for _, m := range dataCode.FindAllStringSubmatch(table, -1) {
				out = append(out, m[1])
			}
			return out
		}
		admin, district, staff := s.login("admin"), s.login("district1"), s.login("community1")
		page := s.page(admin, "/warnings")
		table := tableOf(page, "warnings-coverage")
		if got := listed(table); !slices.Equal(got, codes(want, all)) {
			t.Fatalf("the warnings list %v, the database's counts put %v short", got, codes(want, all))
		}
		if !strings.Contains(page, "走访未达目标的社区") || !strings.Contains(page, "本轮走访截止日已过或7天内到期") {
			t.Error("the warnings' visits section is not headed in Chinese")
		}
		for i, row := range rowsOf(table) {
			l := want[i]
			if len(row) != 9 || row[0] != l.name || row[3] != fmt.Sprintf("%d/%d", l.reached, l.households) ||
				!strings.HasPrefix(row[4], fmt.Sprintf("%d%%", l.reached*100/max(l.households, 1))) ||
				strings.Contains(row[4], "未达目标") != l.below || strings.Contains(row[7], "已截止") != l.late {
				t.Errorf("warnings row %q, want %+v", row, l)
			}
			if l.below && !strings.Contains(table, `href="/communities/`+l.code+`/visits?round=`+l.round+`#unreached"`) {
				t.Errorf("%s: no link to its unreached households", l.code)
			}
		}
		var warnings struct {
			Coverage []visit.Shortfall `json:"coverage_shortfalls"`
		}
		s.getJSON(admin, "/api/v1/warnings", &warnings)
		if len(warnings.Coverage) != len(want) {
			t.Fatalf("the warnings' JSON lists %d short, want %d", len(warnings.Coverage), len(want))
		}
		for i, w := range warnings.Coverage {
			l := want[i]
			if w.Community != l.code || w.Households != l.households || w.Reached != l.reached || w.TalksOwed != l.owed ||
				string(w.Round) != l.round || w.Target != l.target || w.Late != l.late || w.Below != l.below {
				t.Errorf("JSON shortfall %+v, want %+v", w, l)
			}
		}
		if got := listed(tableOf(s.page(district, "/warnings"), "warnings-coverage")); !slices.Equal(got, codes(want, inDistrict)) {
			t.Errorf("district1's warnings list %v, want %v", got, codes(want, inDistrict))
		}
		mine := s.page(staff, "/warnings")
		if got := listed(tableOf(mine, "warnings-coverage")); !slices.Equal(got, codes(want, own)) {
			t.Errorf("community1's warnings list %v, want its own only: %v", got, codes(want, own))
		}
		if !strings.Contains(mine, "走访未达目标的社区") {
			t.Error("community1's warnings have no visits section")
		}

		// Today's agenda, before the meeting is opened and as opened.
		if got := listed(tableOf(s.page(admin, "/meetings"), "agenda-coverage")); !slices.Equal(got, codes(want, all)) {
			t.Errorf("today's agenda lists %v, want %v", got, codes(want, all))
		}
		if got := listed(tableOf(s.page(district, "/meetings"), "agenda-coverage")); !slices.Equal(got, codes(want, inDistrict)) {
			t.Errorf("district1's agenda lists %v, want %v", got, codes(want, inDistrict))
		}
		res, body := s.call(admin, "POST", "/api/v1/meetings", map[string]any{}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("open today's meeting: %d %s", res.StatusCode, body)
		}
		var opened struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(body, &opened); err != nil || opened.ID == 0 {
			t.Fatalf("opened %s: %v", body, err)
		}
		m := s.page(admin, fmt.Sprintf("/meetings/%d", opened.ID))
		if !strings.Contains(m, "十二、走访未达目标的社区") {
			t.Error("the meeting's agenda has no visits section")
		}
		agenda := tableOf(m, "agenda-coverage")
		for i, row := range rowsOf(agenda) {
			l := want[i]
			anchor := map[bool]string{true: "#unreached", false: "#owed"}[l.below]
			if !strings.Contains(agenda, `href="/communities/`+l.code+`/visits?round=`+l.round+anchor+`"`) {
				t.Errorf("the agenda's line of %s does not link to its visits%s", l.code, anchor)
			}
			if len(row) != 5 || row[0] != l.name || !strings.HasPrefix(row[2], fmt.Sprintf("%d/%d户", l.reached, l.households)) ||
				strings.Contains(row[2], "未达目标") != l.below || strings.Contains(row[4], "已截止") != l.late {
				t.Errorf("agenda row %q, want %+v", row, l)
			}
		}

		// The progress table: the round under way.
		during := map[string]feedCount{}
		for _, n := range feedCounts(t, raw, cycle.ID, current) {
			during[n.code] = n
		}
		cell := regexp.MustCompile(`<tr data-code="([^"]+)">.*?data-visits="(\d+)"`)
		check := func(page string, only string) {
			t.Helper()
			ms := cell.FindAllStringSubmatch(strings.ReplaceAll(page, "\n", " "), -1)
			if len(ms) == 0 || (only != "" && (len(ms) != 1 || ms[0][1] != only)) {
				t.Fatalf("progress rows with a visits cell: %d (only %q)", len(ms), only)
			}
			for _, m := range ms {
				n := during[m[1]]
				if want := fmt.Sprint(n.reached * 100 / max(n.households, 1)); m[2] != want {
					t.Errorf("progress %s: %s%%, the database counts %d of %d (%s%%)", m[1], m[2], n.reached, n.households, want)
				}
			}
		}
		pg := s.page(admin, "/progress")
		if !strings.Contains(pg, "入户走访 · 选举中 · 目标") || !strings.Contains(pg, "绿色已达目标") {
			t.Error("the progress table has no visits column headed in Chinese")
		}
		check(pg, "")
		check(s.page(staff, "/progress"), community)
		var progress struct {
			Round visit.Campaign `json:"visits_round"`
			Items []struct {
				Code   string `json:"code"`
				Visits *struct {
					Households, Reached, Percent int
				} `json:"visits"`
			} `json:"items"`
		}
		s.getJSON(admin, "/api/v1/progress", &progress)
		if progress.Round.Round != visit.During || len(progress.Items) == 0 {
			t.Fatalf("progress JSON: round %q, %d items", progress.Round.Round, len(progress.Items))
		}
		for _, it := range progress.Items {
			n := during[it.Code]
			if it.Visits == nil || it.Visits.Households != n.households || it.Visits.Reached != n.reached {
				t.Errorf("progress JSON %s: %+v, the database counts %+v", it.Code, it.Visits, n)
			}
		}
		res, body = s.call(admin, "GET", "/progress.xlsx", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("progress workbook: %d", res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if !sheetHas(f, "入户走访") {
			t.Error("the progress workbook has no visits column")
		}
		f.Close()

		// The board of a community whose talks heard someone standing.
		type heard struct {
			person     int64
			member     string // the member's person (memberKey), "" for a person of the register
			name, said string
		}
		var board string
		var said []heard
		for _, n := range feedCounts(t, raw, cycle.ID, "before") {
			rows, err := raw.Query(`SELECT v.person_id, COALESCE(`+memberKey("m")+`, ''), COALESCE(m.name, p.name), v.intention FROM visits v
				JOIN orgs o ON o.id = v.org_id LEFT JOIN visit_people p ON p.id = v.person_id AND v.person_id > 0
				LEFT JOIN members m ON m.id = v.member_id AND v.member_id > 0
				WHERE o.code = $1 AND v.cycle_id = $2 AND v.round = 'before' AND NOT v.missed AND v.intention <> ''
				ORDER BY v.visited_on, v.id`, n.code, cycle.ID)
			if err != nil {
				t.Fatal(err)
			}
			said = said[:0]
			for rows.Next() {
				var h heard
				if err := rows.Scan(&h.person, &h.member, &h.name, &h.said); err != nil {
					t.Fatal(err)
				}
				said = append(said, h)
			}
			rows.Close()
			if n.district != first && slices.ContainsFunc(said, func(h heard) bool { return h.said == "stands" }) {
				board = n.code
				break
			}
		}
		if board == "" {
			t.Fatal("no community outside district1 whose talks heard someone standing")
		}
		latest := map[string]heard{} // each person's latest
		for _, h := range said {
			latest[fmt.Sprint(h.person, "|", h.member)] = h
		}
		count := map[string]int{}
		var standing []string
		for _, h := range latest {
			count[h.said]++
			if h.said == "stands" {
				standing = append(standing, h.name)
			}
		}
		var talks, homes int
		if err := raw.QueryRow(`SELECT COALESCE(SUM(CASE WHEN v.household_id > 0 THEN 0 ELSE 1 END), 0),
			COALESCE(SUM(CASE WHEN v.household_id > 0 THEN 1 ELSE 0 END), 0) FROM visits v JOIN orgs o ON o.id = v.org_id
			WHERE o.code = $1 AND v.cycle_id = $2 AND v.round = 'before' AND NOT v.missed AND v.aspirant_opinions <> ''`,
			board, cycle.ID).Scan(&talks, &homes); err != nil {
			t.Fatal(err)
		}
		bp := s.page(admin, "/communities/"+board+"/board")
		text := reTag.ReplaceAllString(bp, "")
		if w := fmt.Sprintf("有意参选 %d 人 · 无意参选 %d 人 · 未表态 %d 人", count["stands"], count["not_stand"], count["undecided"]); !strings.Contains(text, w) {
			t.Errorf("the board of %s does not say %q", board, w)
		}
		if w := fmt.Sprintf("谈话 %d 次,入户 %d 次", talks, homes); !strings.Contains(text, w) {
			t.Errorf("the board of %s does not say %q", board, w)
		}
		names := reTag.ReplaceAllString(elementOf(bp, "board-standing", "</p>"), "")
		for _, name := range standing {
			if !strings.Contains(names, name+"(") {
				t.Errorf("the board of %s does not name %s, who intends to stand", board, name)
			}
		}
		if !strings.Contains(bp, `href="/communities/`+board+`/visits?round=before"`) {
			t.Error("the board does not link to the community's visits of the round before")
		}
		var api struct {
			Talks *visit.IntentionTally `json:"talks"`
		}
		s.getJSON(admin, "/api/v1/communities/"+board+"/board", &api)
		if api.Talks == nil || api.Talks.Stands != count["stands"] || len(api.Talks.Standing) != len(standing) || api.Talks.OpinionTalks != talks {
			t.Errorf("the board's JSON talks: %+v", api.Talks)
		}
		for _, path := range []string{"/communities/" + board + "/board", "/api/v1/communities/" + board + "/board"} {
			if res, body := s.call(district, "GET", path, nil, nil); res.StatusCode != http.StatusNotFound || strings.Contains(string(body), "有意参选") {
				t.Errorf("district1 reads another district's %s: %d", path, res.StatusCode)
			}
		}
	})
}
