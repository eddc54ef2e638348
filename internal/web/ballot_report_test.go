package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/store"
)

// stationEntry is a party sheet of n ballots, all valid, as the API takes
// it: yes[i] the 赞成 of the ballot's i-th candidate (the rest 1 弃权 and
// 不赞成), and the names written in with their votes for 委员.
func stationEntry(b store.Ballot, n int, yes []int, writeIns map[string]int) map[string]any {
	var lines []map[string]any
	for i, c := range b.Candidates {
		abstain := min(1, n-yes[i])
		lines = append(lines, map[string]any{"key": c.Key, "post": c.Post, "yes": yes[i], "no": n - yes[i] - abstain, "abstain": abstain})
	}
	ws := []map[string]any{}
	for name, v := range writeIns {
		ws = append(ws, map[string]any{"name": name, "post": "member", "yes": v})
	}
	return map[string]any{"ballots_issued": n, "ballots_returned": n, "valid_ballots": n, "invalid_ballots": 0, "lines": lines,
		"write_ins": ws, "final": true}
}

// countedPartyBallot opens the first ballot of community code's party
// committee (formalListOf's list; 40 should attend, 38 present) with a
// mobile box beside its main hall, has community1 and district1 enter both
// stations' counts alike and admin confirm them: 30 ballots in the hall,
// 8 in the box with a name written in. The ballot itself is left to confirm.
func countedPartyBallot(t *testing.T, s *site, code string) store.Ballot {
	t.Helper()
	formalListOf(t, s.st, code)
	b := openPartyBallot(t, s.st, code)
	admin := bearer(s, "admin")
	res, raw := s.call(nil, "POST", fmt.Sprintf("/api/v1/ballots/%d/units", b.ID), map[string]string{"name": "流动票箱一", "kind": "mobile"}, admin)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("a box: %d %s", res.StatusCode, raw)
	}
	res, raw = s.call(nil, "GET", fmt.Sprintf("/api/v1/ballots/%d", b.ID), nil, admin)
	var got struct {
		Ballot store.Ballot `json:"ballot"`
	}
	jsonInto(t, raw, &got)
	b = got.Ballot
	sheets := []map[string]any{
		stationEntry(b, 30, []int{29, 24, 22, 20, 11, 8}, nil),
		stationEntry(b, 8, []int{8, 6, 6, 5, 3, 2}, map[string]int{"王另选": 1}),
	}
	for i, u := range b.Units {
		for _, clerk := range []string{"community1", "district1"} {
			if res, raw := s.call(nil, "PUT", fmt.Sprintf("/api/v1/count-units/%d/entry", u.ID), sheets[i], bearer(s, clerk)); res.StatusCode != http.StatusOK {
				t.Fatalf("%s enters %s: %d %s", clerk, u.Name, res.StatusCode, raw)
			}
		}
		if res, raw := s.call(nil, "POST", fmt.Sprintf("/api/v1/count-units/%d/confirm", u.ID), map[string]any{}, admin); res.StatusCode != http.StatusOK {
			t.Fatalf("confirm %s: %d %s", u.Name, res.StatusCode, raw)
		}
	}
	return b
}

// reportJSON is the part of the report's API the tests read.
type reportAnswer struct {
	Eligible     int  `json:"eligible"`
	Participants *int `json:"participants"`
	Confirmed    bool `json:"confirmed"`
	Figures      *struct {
		Issued   *int `json:"ballots_issued"`
		Returned *int `json:"ballots_returned"`
		Valid    *int `json:"valid_ballots"`
	} `json:"figures"`
	Lines []struct {
		Name     string `json:"name"`
		Yes      *int   `json:"yes"`
		Stations []*int `json:"stations"`
	} `json:"lines"`
	WriteIns []struct {
		Name string `json:"name"`
		Yes  *int   `json:"yes"`
	} `json:"write_ins"`
	Outcome []struct {
		Valid             bool     `json:"valid"`
		Elected           []string `json:"elected"`
		FurtherSeats      int      `json:"further_ballot_seats"`
		FurtherCandidates []string `json:"further_ballot_candidates"`
	} `json:"outcome"`
	Elected []struct {
		Member store.ElectedMember `json:"member"`
	} `json:"elected"`
	File *struct {
		ID       int64  `json:"id"`
		SHA256   string `json:"sha256"`
		Name     string `json:"name"`
		Category string `json:"category"`
	} `json:"file"`
}

// The reports of a ballot (issue 15, point 7): before the ballot is
// confirmed its report shows the stations' sum as not confirmed and cannot
// be filed; confirming it files the workbook (选举结果报告单, 计票汇总, 当选名单,
// Chinese headings, the page's figures) into the community's archive, once:
// filing again or confirming again files nothing; the page shows the
// figures per candidate and station, the signatures and the audit mark;
// another district finds none of it.
func TestBallotReport(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		const code = "QS-01-001"
		b := countedPartyBallot(t, s, code)
		admin, coord, leader := bearer(s, "admin"), s.login("admin"), s.login("leader")
		report, apiReport := fmt.Sprintf("/ballots/%d/report", b.ID), fmt.Sprintf("/api/v1/ballots/%d/report", b.ID)
		reportsFiled := func() []map[string]any {
			t.Helper()
			var a struct {
				Items []map[string]any `json:"items"`
			}
			s.getJSON2(admin, "/api/v1/communities/"+code+"/archive", &a)
			var out []map[string]any
			for _, f := range a.Items {
				if f["category"] == "results" {
					out = append(out, f)
				}
			}
			return out
		}

		// Every station confirmed, the ballot not: the sum, not confirmed, not to be filed.
		var r reportAnswer
		s.getJSON2(admin, apiReport, &r)
		if r.Confirmed || r.Figures == nil || *r.Figures.Issued != 38 || r.Eligible != 40 || r.Participants == nil || *r.Participants != 38 || r.File != nil {
			t.Fatalf("the report before the ballot is confirmed: %+v", r)
		}
		if page := s.page(leader, report); !strings.Contains(page, `data-testid="report-pending"`) {
			t.Errorf("the report does not say it is not confirmed")
		}
		res, raw := s.call(nil, "POST", apiReport+"/archive", map[string]any{}, admin)
		wantError(t, res, raw, http.StatusConflict, "conflict")
		if n := len(reportsFiled()); n != 0 {
			t.Fatalf("%d reports filed before confirming", n)
		}

		// Confirmed from the ballot's page: filed at once.
		if page := s.page(coord, ballotPath(b.ID)); !strings.Contains(page, `href="`+report+`"`) {
			t.Errorf("the ballot's page does not link to its report")
		}
		if res, raw := s.call(coord, "POST", ballotPath(b.ID)+"/confirm", "", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", res.StatusCode, raw)
		}
		filed := reportsFiled()
		if len(filed) != 1 || !strings.HasSuffix(filed[0]["name"].(string), "_选举结果报告单.xlsx") {
			t.Fatalf("the archive after confirming: %v", filed)
		}
		s.getJSON2(admin, apiReport, &r)
		if !r.Confirmed || r.File == nil || r.File.ID != int64(filed[0]["id"].(float64)) || r.File.Category != "results" {
			t.Fatalf("the report after confirming: %+v", r)
		}
		// Its figures: the sum of the stations, each candidate's 赞成 at each.
		if *r.Figures.Issued != 38 || *r.Figures.Valid != 38 || len(r.Lines) != 6 || *r.Lines[0].Yes != 37 ||
			fmt.Sprint(deref(r.Lines[1].Stations)) != "[24 6]" || len(r.WriteIns) != 1 || r.WriteIns[0].Name != "王另选" || *r.WriteIns[0].Yes != 1 {
			t.Errorf("the report's figures: %+v", r)
		}

		// A retry files nothing: the file route answers the filed report, a second confirmation is refused.
		res, raw = s.call(nil, "POST", apiReport+"/archive", map[string]any{}, admin)
		var again struct {
			ID int64 `json:"id"`
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("filing again: %d %s", res.StatusCode, raw)
		}
		jsonInto(t, raw, &again)
		res, raw = s.call(nil, "POST", fmt.Sprintf("/api/v1/ballots/%d/confirm", b.ID), map[string]any{}, admin)
		wantError(t, res, raw, http.StatusConflict, "conflict")
		if n := len(reportsFiled()); n != 1 || again.ID != r.File.ID {
			t.Errorf("after a retry the archive holds %d reports (answered %d, filed %d)", n, again.ID, r.File.ID)
		}

		// The workbook as filed: three sheets, Chinese headings, the page's figures.
		res, book := s.call(nil, "GET", "/api/v1/archive/"+r.File.SHA256, nil, admin)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("download the report: %d", res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); !slices.Equal(got, []string{"选举结果报告单", "计票汇总", "当选名单"}) {
			t.Errorf("sheets %q", got)
		}
		rows := func(sheet string) [][]string {
			rs, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			return rs
		}
		after := func(rs [][]string, head ...string) []string {
			for i, row := range rs {
				if len(row) >= len(head) && slices.Equal(row[:len(head)], head) && i+1 < len(rs) {
					return rs[i+1]
				}
			}
			t.Errorf("no row %q", head)
			return nil
		}
		sheet := rows("选举结果报告单")
		if got := after(sheet, "发出选票", "收回选票", "有效票", "无效票"); !slices.Equal(got, []string{"38", "38", "38", "0"}) {
			t.Errorf("the report's ballots: %q", got)
		}
		if got := after(sheet, "职位", "姓名", "赞成", "不赞成", "弃权"); len(got) != 5 || got[2] != "37" {
			t.Errorf("the report's first candidate: %q", got)
		}
		if got := after(sheet, "职位", "姓名", "票数"); len(got) != 3 || got[1] != "王另选" || got[2] != "1" {
			t.Errorf("the report's written-in name: %q", got)
		}
		text := fmt.Sprint(sheet)
		for _, want := range []string{"应参加选举人数", "参加人数", "选举结果", "总监票人(签名)", "计票人(签名)", "主持人(签名)", "审计日志截至第"} {
			if !strings.Contains(text, want) {
				t.Errorf("the report's sheet lacks %s", want)
			}
		}
		tally := rows("计票汇总")
		if fmt.Sprint(tally[0]) != "[计票点 类型 录入状态 参加投票人数 发出选票 收回选票 有效票 无效票]" || len(tally) < 4 ||
			tally[1][0] != "主会场" || tally[1][4] != "30" || tally[2][0] != "流动票箱一" || tally[2][4] != "8" || tally[3][0] != "合计" || tally[3][4] != "38" {
			t.Errorf("计票汇总: %q", tally)
		}
		var results struct {
			Committees []struct {
				Committee string `json:"committee"`
				Members   []struct {
					Member store.ElectedMember `json:"member"`
				} `json:"members"`
			} `json:"committees"`
		}
		s.getJSON2(admin, "/api/v1/communities/"+code+"/results", &results)
		var want []string
		for _, c := range results.Committees {
			if c.Committee == "party" {
				for _, m := range c.Members {
					want = append(want, m.Member.Name)
				}
			}
		}
		elected := rows("当选名单")
		var names []string
		for _, row := range elected[1:] {
			if len(row) > 1 {
				names = append(names, row[1])
			}
		}
		if elected[0][0] != "职务" || fmt.Sprint(names) != fmt.Sprint(want) || len(r.Elected) != len(want) {
			t.Errorf("当选名单 %q, the results hold %q, the report's API %d", elected, want, len(r.Elected))
		}
		// The outcome decided on confirming: more than half of the 40 who
		// should attend elects the first four; the fifth seat goes to a
		// further ballot between the next two.
		var first []string
		for _, c := range b.Candidates {
			first = append(first, c.Name)
		}
		if len(r.Outcome) != 1 || !r.Outcome[0].Valid || fmt.Sprint(r.Outcome[0].Elected) != fmt.Sprint(first[:4]) ||
			r.Outcome[0].FurtherSeats != 1 || fmt.Sprint(r.Outcome[0].FurtherCandidates) != fmt.Sprint(first[4:]) || len(want) != 4 {
			t.Errorf("the outcome %+v, the results %q; want %q elected and a further ballot between %q", r.Outcome, want, first[:4], first[4:])
		}
		if !strings.Contains(text, strings.Join(first[:4], "、")+"当选;尚缺1名,另行选举") {
			t.Errorf("the report's sheet does not give the outcome: %q", sheet)
		}

		// The page: the figures, the signatures, the audit mark, the filed file.
		page := s.page(leader, report)
		for _, want := range []string{"选举结果报告单", "计票汇总", "当选名单", `data-testid="issued">38<`, ">37<", "王另选", "总监票人",
			"流动票箱一", "尚缺1名,另行选举", `data-testid="report-filed"`, `data-testid="audit-mark"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the report's page lacks %s", want)
			}
		}
		if strings.Contains(page, `data-testid="file-report"`) {
			t.Errorf("the report's page offers to file a filed report")
		}

		// Another district: not found.
		other := otherDistrict(t, s)
		for _, p := range []string{apiReport} {
			if res, _ := s.call(nil, "GET", p, nil, other); res.StatusCode != http.StatusNotFound {
				t.Errorf("another district's office GET %s: %d", p, res.StatusCode)
			}
		}
		res, raw = s.call(nil, "POST", apiReport+"/archive", map[string]any{}, other)
		wantError(t, res, raw, http.StatusNotFound, "not_found")
	})
}

func ballotPath(id int64) string { return "/ballots/" + strconv.FormatInt(id, 10) }

// deref is the numbers pointed at, -1 for none.
func deref(ps []*int) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = -1
		if p != nil {
			out[i] = *p
		}
	}
	return out
}
