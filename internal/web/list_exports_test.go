package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The Excel exports of the lists (issue 13, point 5): second-review
// decisions, cases, tips and accounts hold what their pages list under the
// same filter, every page of it, in the page's columns and order; the header
// is frozen and days are dates; the store's scope and desk apply; each
// export is audited; a role that may not see the list may not export it.

var (
	reTable = regexp.MustCompile(`(?s)<table[^>]*>.*?</table>`)
	reRow   = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	reCell  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	reTag   = regexp.MustCompile(`<[^>]*>`)
	reTotal = regexp.MustCompile(`共 (\d+) `)
)

// pageTable is the first table of a page: its heads, and its body rows as
// a reader sees them, written as the export writes them: "#12" is 12, "—"
// and "从未登录" are empty cells, a tag is in brackets. An empty list's
// row (one cell spanning the table) is no row.
func pageTable(t *testing.T, page []byte) (heads []string, rows [][]string) {
	t.Helper()
	table := reTable.FindString(string(page))
	if table == "" {
		t.Fatal("the page has no table")
	}
	text := func(s string) string {
		s = regexp.MustCompile(`<span class="tag">([^<]*)</span>`).ReplaceAllString(s, "($1)")
		s = strings.Join(strings.Fields(html.UnescapeString(reTag.ReplaceAllString(s, ""))), " ")
		switch s {
		case "—", "从未登录":
			return ""
		}
		if n, ok := strings.CutPrefix(s, "#"); ok {
			return n
		}
		return s
	}
	for i, tr := range reRow.FindAllStringSubmatch(table, -1) {
		var cells []string
		for _, td := range reCell.FindAllStringSubmatch(tr[1], -1) {
			cells = append(cells, text(td[1]))
		}
		switch {
		case i == 0:
			heads = cells
		case len(cells) > 1:
			rows = append(rows, cells)
		}
	}
	return heads, rows
}

// exportRows GETs an export as c and reads it as a spreadsheet does: the
// rows of its one sheet, each as wide as the header, the cells as shown.
// It checks what every export must be: a workbook with the header frozen,
// whose cells in the columns headed dates are date cells (at least one).
func exportRows(t *testing.T, s *site, c *http.Client, path string, dates ...string) [][]string {
	t.Helper()
	res, raw := s.call(c, "GET", path, nil, nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("GET %s: %d %s %.300s", path, res.StatusCode, res.Header.Get("Content-Type"), raw)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.SheetCount != 1 {
		t.Errorf("%s has %d sheets, want 1", path, f.SheetCount)
	}
	sheet := f.GetSheetName(0)
	if p, err := f.GetPanes(sheet); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("%s: header not frozen: %+v %v", path, p, err)
	}
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: rows %v", path, err)
	}
	for i := range rows {
		for len(rows[i]) < len(rows[0]) {
			rows[i] = append(rows[i], "")
		}
	}
	for _, head := range dates {
		col := slices.Index(rows[0], head)
		if col < 0 {
			t.Fatalf("%s has no column %s: %q", path, head, rows[0])
		}
		seen := 0
		for r := 1; r < len(rows); r++ {
			if rows[r][col] == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(col+1, r+1)
			if dateCell(f, sheet, cell) == "" {
				t.Errorf("%s %s %q is not a date", path, cell, rows[r][col])
			}
			seen++
		}
		if seen == 0 {
			t.Errorf("%s: no date in column %s", path, head)
		}
	}
	return rows
}

// listExport checks the export of a list page against the page as c sees
// it: the page links to it, and the export's header is the page's and its
// first rows the page's rows. It returns the export's rows, header first.
func listExport(t *testing.T, s *site, c *http.Client, page, export string, dates ...string) [][]string {
	t.Helper()
	res, body := s.call(c, "GET", page, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", page, res.StatusCode)
	}
	if !strings.Contains(string(body), `href="`+html.EscapeString(export)+`"`) {
		t.Errorf("%s does not link to %s", page, export)
	}
	heads, want := pageTable(t, body)
	rows := exportRows(t, s, c, export, dates...)
	if !slices.Equal(rows[0], heads) {
		t.Errorf("%s columns %q, the page's %q", export, rows[0], heads)
	}
	if len(rows)-1 < len(want) {
		t.Fatalf("%s has %d rows, the page shows %d", export, len(rows)-1, len(want))
	}
	for i, w := range want {
		if !slices.Equal(rows[i+1], w) {
			t.Errorf("%s row %d %q, the page's %q", export, i+2, rows[i+1], w)
		}
	}
	return rows
}

// pageTotal is the count a list page states ("共 12 件").
func pageTotal(t *testing.T, s *site, c *http.Client, page string) int {
	t.Helper()
	_, body := s.call(c, "GET", page, nil, nil)
	m := reTotal.FindSubmatch(body)
	if m == nil {
		t.Fatalf("%s states no total", page)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// audited checks that actor's last entry of action is there, in Chinese,
// with rows rows.
func audited(t *testing.T, s *site, admin *http.Client, action, actor, label string, rows int) {
	t.Helper()
	var log struct {
		Items []struct {
			Actor, Label string
			After        map[string]any
		}
	}
	s.getJSON(admin, "/api/v1/audit?action="+action, &log)
	for _, e := range log.Items {
		if e.Actor == actor {
			if e.Label != label || e.After["rows"] != float64(rows) {
				t.Errorf("%s by %s audited as %+v, want %s of %d rows", action, actor, e, label, rows)
			}
			return
		}
	}
	t.Errorf("%s by %s not audited: %+v", action, actor, log.Items)
}

// scopedAccount adds an account of role within scope and signs it in.
func scopedAccount(t *testing.T, s *site, admin *http.Client, username, role, scope string) *http.Client {
	t.Helper()
	const password = "a long password for the export test"
	res, body := s.call(admin, "POST", "/api/v1/users", map[string]string{"username": username, "display_name": username,
		"role": role, "scope": scope, "password": password}, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("add %s: %d %s", username, res.StatusCode, body)
	}
	s.accounts[username] = demo.Account{Username: username, Password: password}
	return s.login(username)
}

// demoUnits are the demo zone's units by code.
func demoUnits() map[string]org.Unit {
	units := map[string]org.Unit{}
	for _, u := range demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).Units {
		units[u.Code] = u
	}
	return units
}

// subtreeNames are the names of unit code and of the units under it.
func subtreeNames(units map[string]org.Unit, code string) map[string]bool {
	names := map[string]bool{}
	for _, u := range units {
		for c := u.Code; c != ""; c = units[c].ParentCode {
			if c == code {
				names[u.Name] = true
			}
		}
	}
	return names
}

// inScope checks that every row names a community in names in column col,
// and that there is at least one.
func inScope(t *testing.T, what string, rows [][]string, col int, names map[string]bool) {
	t.Helper()
	if len(rows) < 2 {
		t.Errorf("%s: no rows in scope", what)
	}
	for _, r := range rows[1:] {
		if !names[r[col]] {
			t.Errorf("%s: row %q lies outside the account's scope", what, r)
		}
	}
}

func forbidden(t *testing.T, s *site, c *http.Client, path string) {
	t.Helper()
	if res, _ := s.call(c, "GET", path, nil, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("GET %s: %d, want 403", path, res.StatusCode)
	}
}

// codeOf is the code of the unit named name.
func codeOf(t *testing.T, units map[string]org.Unit, name string) string {
	t.Helper()
	for _, u := range units {
		if u.Name == name {
			return u.Code
		}
	}
	t.Fatalf("no unit named %q", name)
	return ""
}

func TestListExports(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		units := demoUnits()
		qs02 := subtreeNames(units, "QS-02")

		t.Run("users", func(t *testing.T) {
			rows := listExport(t, s, admin, "/users", "/users.xlsx", "最近登录")
			var api struct{ Items []any }
			s.getJSON(admin, "/api/v1/users", &api)
			if len(rows)-1 != len(api.Items) {
				t.Errorf("users export has %d rows, the list %d", len(rows)-1, len(api.Items))
			}
			audited(t, s, admin, "export.users", "admin", "导出账号名单", len(rows)-1)
			// An office of one district lists the accounts of its subtree only.
			office := scopedAccount(t, s, admin, "office-export-qs02", "admin", "QS-02")
			mine := listExport(t, s, office, "/users", "/users.xlsx", "最近登录")
			inScope(t, "scoped users export", mine, 3, qs02)
			if len(mine) >= len(rows) {
				t.Errorf("scoped users export has %d rows, the whole zone's %d", len(mine)-1, len(rows)-1)
			}
			forbidden(t, s, s.login("leader"), "/users.xlsx")
		})

		t.Run("tips", func(t *testing.T) {
			discipline := s.login("discipline")
			total := pageTotal(t, s, discipline, "/tips")
			rows := listExport(t, s, discipline, "/tips", "/tips.xlsx", "提交日期")
			if len(rows)-1 != total || total == 0 {
				t.Errorf("tips export has %d rows, the page %d", len(rows)-1, total)
			}
			audited(t, s, admin, "export.tips", "discipline", "导出举报清单", total)
			// The page's filter, every page of it.
			community := rows[1][2]
			q := "community=" + codeOf(t, units, community)
			filtered := listExport(t, s, discipline, "/tips?"+q, "/tips.xlsx?"+q, "提交日期")
			if n := pageTotal(t, s, discipline, "/tips?"+q); len(filtered)-1 != n || n == 0 || n == total {
				t.Errorf("filtered tips export has %d rows, the page %d of %d", len(filtered)-1, n, total)
			}
			for _, r := range filtered[1:] {
				if r[2] != community {
					t.Errorf("filtered tips export lists %q", r)
				}
			}
			if res, _ := s.call(discipline, "GET", "/tips.xlsx?status=nonsense", nil, nil); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("tips export of an unknown status: %d, want 422", res.StatusCode)
			}
			// The police export the tips routed to them, as their page lists them.
			police := s.login("police")
			routed := listExport(t, s, police, "/tips", "/tips.xlsx")
			if n := pageTotal(t, s, police, "/tips"); len(routed)-1 != n || n >= total {
				t.Errorf("police tips export has %d rows, their page %d of %d", len(routed)-1, n, total)
			}
			// A scoped account exports the tips of its subtree.
			district := units[codeOf(t, units, community)].ParentCode
			scoped := scopedAccount(t, s, admin, "discipline-export-tips", "discipline", district)
			mine := listExport(t, s, scoped, "/tips", "/tips.xlsx", "提交日期")
			inScope(t, "scoped tips export", mine, 2, subtreeNames(units, district))
			if len(mine) >= len(rows) {
				t.Errorf("scoped tips export has %d rows of the zone's %d", len(mine)-1, len(rows)-1)
			}
			forbidden(t, s, s.login("leader"), "/tips.xlsx")
		})

		t.Run("cases", func(t *testing.T) {
			discipline := s.login("discipline")
			rows := listExport(t, s, discipline, "/cases", "/cases.xlsx")
			if n := pageTotal(t, s, discipline, "/cases"); len(rows)-1 != n || n == 0 {
				t.Errorf("cases export has %d rows, the page %d", len(rows)-1, n)
			}
			audited(t, s, admin, "export.cases", "discipline", "导出案件清单", len(rows)-1)
			// The office sees the outcomes only, in the columns of its page.
			outcomes := listExport(t, s, admin, "/cases", "/cases.xlsx", "决定日期")
			if n := pageTotal(t, s, admin, "/cases"); len(outcomes)-1 != n || n == 0 || slices.Contains(outcomes[0], "案情摘要") {
				t.Errorf("the office's cases export (%d rows of %d): %q", len(outcomes)-1, n, outcomes)
			}
			// A scoped account exports the cases of its subtree (the demo's
			// cases lie in two communities of one district).
			first := codeOf(t, units, rows[1][1])
			scoped := scopedAccount(t, s, admin, "discipline-export-cases", "discipline", first)
			mine := listExport(t, s, scoped, "/cases", "/cases.xlsx")
			inScope(t, "scoped cases export", mine, 1, subtreeNames(units, first))
			if len(mine) >= len(rows) {
				t.Errorf("scoped cases export has %d rows of the zone's %d", len(mine)-1, len(rows)-1)
			}
			forbidden(t, s, s.login("district1"), "/cases.xlsx")
		})

		t.Run("decisions", func(t *testing.T) { decisionsExport(t, s, admin, units) })
	})
}

// decisionsExport checks the export of the second review's decisions
// against the second-review page (the meetings, in its order) and the
// meetings' records (the aspirants in their order, with their decisions).
func decisionsExport(t *testing.T, s *site, admin *http.Client, units map[string]org.Unit) {
	committee := s.login("committee")
	decideLater(t, s, committee, "QS-04-001")
	_, body := s.call(committee, "GET", "/second-review", nil, nil)
	heads, meetings := pageTable(t, body)
	if !strings.Contains(string(body), `href="/second-review/decisions.xlsx"`) {
		t.Error("the second-review page does not link to the export")
	}
	var list struct {
		Items []struct {
			ID     int64
			HeldOn string `json:"held_on"`
			Title  string
			DocNo  string `json:"doc_no"`
		}
	}
	s.getJSON(committee, "/api/v1/review-meetings", &list)
	if len(list.Items) != len(meetings) || len(meetings) == 0 {
		t.Fatalf("%d meetings listed, %d in the API", len(meetings), len(list.Items))
	}
	// The aspirants in a record's order, with every decision on each.
	type dossier struct {
		Name      string
		Community string
		Decisions []struct {
			MeetingID int64  `json:"meeting_id"`
			Outcome   string `json:"outcome"`
			By        string `json:"by"`
		}
	}
	record := func(query string) []dossier {
		var all []dossier
		for page := 1; ; page++ {
			var rec struct {
				Items []dossier
				Total int
			}
			s.getJSON(committee, "/api/v1/review-meetings/"+itoa(list.Items[0].ID)+"?page="+strconv.Itoa(page)+query, &rec)
			all = append(all, rec.Items...)
			if len(all) >= rec.Total || len(rec.Items) == 0 {
				return all
			}
		}
	}
	// Who recorded a decision, as the page names them: the platform (the
	// demo's decisions) by what it is, a user by username.
	recorder := func(by string) string {
		if by == "system" {
			return "平台"
		}
		return by
	}
	want := func(query string, meetingID int64) [][]string {
		dossiers := record(query)
		var out [][]string
		for i, m := range list.Items {
			if meetingID != 0 && m.ID != meetingID {
				continue
			}
			for _, d := range dossiers {
				for _, x := range d.Decisions {
					if x.MeetingID == m.ID {
						out = append(out, []string{meetings[i][0], meetings[i][1], meetings[i][2], d.Name, units[d.Community].Name,
							vetting.Status(x.Outcome).Label(), recorder(x.By)})
					}
				}
			}
		}
		return out
	}
	check := func(c *http.Client, path string, want [][]string) [][]string {
		t.Helper()
		rows := exportRows(t, s, c, path, "日期", "记录时间")
		if !slices.Equal(rows[0][:len(heads)], heads) {
			t.Errorf("decisions export columns %q, the page's %q", rows[0], heads)
		}
		if len(rows)-1 != len(want) || len(want) == 0 {
			t.Fatalf("%s has %d rows, the records %d", path, len(rows)-1, len(want))
		}
		for i, w := range want {
			r := rows[i+1]
			if got := []string{r[0], r[1], r[2], r[3], r[4], r[6], r[14]}; !slices.Equal(got, w) {
				t.Errorf("%s row %d %q, the record %q", path, i+2, got, w)
			}
		}
		return rows
	}
	all := check(committee, "/second-review/decisions.xlsx", want("", 0))
	audited(t, s, admin, "export.decisions", "committee", "导出二次审核决定", len(all)-1)

	// One meeting's, under its record's filter, linked from it.
	var m int64
	for _, x := range list.Items {
		if slices.ContainsFunc(all[1:], func(r []string) bool { return r[0] == x.HeldOn && r[1] == x.Title }) {
			m = x.ID
			break
		}
	}
	community := codeOf(t, units, all[1][4])
	q := "community=" + community
	_, page := s.call(committee, "GET", "/second-review/meetings/"+itoa(m)+"?"+q, nil, nil)
	link := "/second-review/decisions.xlsx?meeting=" + itoa(m) + "&" + q
	if !strings.Contains(string(page), `href="`+html.EscapeString(link)+`"`) {
		t.Errorf("the meeting's record does not link to %s", link)
	}
	check(committee, link, want("&"+q, m))

	// A scoped member of the committee exports the decisions of its subtree.
	district := units[community].ParentCode
	scoped := scopedAccount(t, s, admin, "committee-export", "committee", district)
	mine := exportRows(t, s, scoped, "/second-review/decisions.xlsx", "日期", "记录时间")
	inScope(t, "scoped decisions export", mine, 4, subtreeNames(units, district))
	if len(mine) >= len(all) {
		t.Errorf("scoped decisions export has %d rows of the zone's %d", len(mine)-1, len(all)-1)
	}
	if res, _ := s.call(committee, "GET", "/second-review/decisions.xlsx?meeting=999999", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("decisions of no meeting: %d, want 404", res.StatusCode)
	}
	forbidden(t, s, s.login("leader"), "/second-review/decisions.xlsx")
}

// decideLater has the committee decide, at a second meeting held today, on
// an aspirant of community code reviewed clean by every department, so that
// the decisions span two meetings and the demo's community order.
func decideLater(t *testing.T, s *site, committee *http.Client, code string) {
	t.Helper()
	ctx := context.Background()
	zone := s.st.Zone(store.System)
	today := s.st.Today()
	var ids []int64
	err := zone.Write(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = tx.ImportAspirants(ctx, []vetting.Aspirant{{OrgCode: code, Name: "后审甲", IDNumber: reviewTestID(80),
			Phone: "13912345678", Party: vetting.Masses, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember,
			Education: vetting.Bachelor}})
		if err != nil {
			return err
		}
		_, err = tx.StartReviewRound(ctx, vetting.Round{Kind: vetting.FirstRound, DocNo: "开发区换届办〔2026〕8号", Date: today,
			Deadline: today.AddDays(7), Only: ids})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	depts, err := zone.ReviewDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		err := zone.AsDepartment(d.Code).Write(ctx, func(tx *store.Tx) error {
			queue, err := tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: store.MaxQueuePage})
			if err != nil {
				return err
			}
			var answers []store.ReviewAnswer
			for _, q := range queue {
				if q.AspirantID == ids[0] {
					answers = append(answers, store.ReviewAnswer{RequestID: q.ID, Answer: vetting.Answer{Verdict: vetting.Clean, By: d.Name}})
				}
			}
			return tx.AnswerReviews(ctx, answers)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var m struct{ ID int64 }
	res, body := s.call(committee, "POST", "/api/v1/review-meetings", map[string]string{"held_on": string(today), "title": "党工委会议(补充审核)"}, nil)
	if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &m) != nil {
		t.Fatalf("add meeting: %d %s", res.StatusCode, body)
	}
	res, body = s.call(committee, "POST", "/api/v1/review-meetings/"+itoa(m.ID)+"/decisions",
		map[string]any{"aspirant_id": ids[0], "outcome": "qualified"}, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("decide: %d %s", res.StatusCode, body)
	}
}
