package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

type ledgerItemOut struct {
	ID          int64  `json:"id"`
	Community   string `json:"community"`
	Status      string `json:"status"`
	Overdue     bool   `json:"overdue"`
	ClosedOn    string `json:"closed_on"`
	ClosingNote string `json:"closing_note"`
	ClosingFile string `json:"closing_file"`
	Notes       []struct {
		Note string `json:"note"`
	} `json:"notes"`
	NotesTotal int `json:"notes_total"`
}

func TestLedger(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		clock := time.Date(2026, 11, 20, 10, 0, 0, 0, civil.Zone)
		st.SetClock(func() time.Time { return clock })
		s := newSite(t, st)
		admin := map[string]string{"Authorization": "Bearer " + s.token("admin")}
		comm := map[string]string{"Authorization": "Bearer " + s.token("community1")}
		leader := map[string]string{"Authorization": "Bearer " + s.token("leader")}
		do := func(h map[string]string, method, path string, body any, want int) []byte {
			t.Helper()
			res, raw := s.call(nil, method, path, body, h)
			if res.StatusCode != want {
				t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, raw, want)
			}
			return raw
		}
		item := func(h map[string]string, id int64) ledgerItemOut {
			t.Helper()
			var it ledgerItemOut
			if err := json.Unmarshal(do(h, "GET", "/api/v1/ledger-items/"+itoa(id), nil, 200), &it); err != nil {
				t.Fatal(err)
			}
			return it
		}
		var mine, other ledgerItemOut
		json.Unmarshal(do(comm, "POST", "/api/v1/ledger-items", map[string]any{"community": "QS-01-001", "source": "visit",
			"content": "走访发现:居民反映小区停车纠纷", "risk": "high", "owner": "王芳", "leader": "李书记", "due": "2026-11-22"}, 201), &mine)
		json.Unmarshal(do(admin, "POST", "/api/v1/ledger-items", map[string]any{"community": "QS-01-002", "source": "tip",
			"content": "举报:拉票线索核查", "risk": "medium", "owner": "赵强", "due": "2026-11-21"}, 201), &other)
		if mine.ID == 0 || mine.Status != "open" || other.ID == 0 {
			t.Fatalf("created: %+v %+v", mine, other)
		}
		// Refused inputs.
		res, raw := s.call(nil, "POST", "/api/v1/ledger-items", map[string]any{"community": "QS-01-001", "content": "x", "risk": "extreme",
			"owner": "王芳", "due": "2026-11-22"}, comm)
		wantError(t, res, raw, 422, "unprocessable")
		res, raw = s.call(nil, "POST", "/api/v1/ledger-items", map[string]any{"community": "QS-01-001", "content": "x", "risk": "low",
			"owner": "王芳", "due": "2026-11-19"}, comm)
		wantError(t, res, raw, 422, "unprocessable")

		// Scope: the community account neither sees nor changes another community's ledger.
		do(comm, "GET", "/api/v1/communities/QS-01-002/ledger", nil, 404)
		do(comm, "GET", "/api/v1/ledger-items/"+itoa(other.ID), nil, 404)
		do(comm, "POST", "/api/v1/ledger-items/"+itoa(other.ID)+"/close", map[string]any{"note": "已核实"}, 404)
		do(comm, "POST", "/api/v1/ledger-items/"+itoa(other.ID)+"/notes", map[string]any{"note": "x"}, 404)
		do(comm, "POST", "/api/v1/ledger-items", map[string]any{"community": "QS-01-002", "content": "x", "risk": "low", "owner": "a", "due": "2026-11-22"}, 404)
		do(leader, "POST", "/api/v1/ledger-items/"+itoa(mine.ID)+"/close", map[string]any{"note": "x"}, 403)
		if item(admin, other.ID).Status != "open" {
			t.Fatal("another community's item changed")
		}

		// Closing without a note: 422, nothing changed, nothing audited.
		res, raw = s.call(nil, "POST", "/api/v1/ledger-items/"+itoa(mine.ID)+"/close", map[string]any{"note": "  "}, comm)
		if e := wantError(t, res, raw, 422, "unprocessable"); e.Error.Field != "note" {
			t.Errorf("field %q, want note", e.Error.Field)
		}
		res, raw = s.postFile(s.login("community1"), "/ledger-items/"+itoa(mine.ID)+"/close", map[string]string{"note": ""}, "file", "a.txt", []byte("证明"))
		if res.StatusCode != 422 || !strings.Contains(string(raw), "销号须填写销号说明") {
			t.Errorf("form close without note: %d", res.StatusCode)
		}
		if it := item(comm, mine.ID); it.Status != "open" || it.ClosedOn != "" || it.ClosingNote != "" {
			t.Fatalf("after refused close: %+v", it)
		}
		var log struct {
			Items []struct {
				Action   string `json:"action"`
				EntityID string `json:"entity_id"`
				Actor    string `json:"actor"`
			} `json:"items"`
		}
		s.getJSON2(admin, "/api/v1/audit?action=ledger.close", &log)
		if len(log.Items) != 0 {
			t.Fatalf("refused close audited: %+v", log.Items)
		}

		// Start, note, close with a note and evidence.
		do(comm, "POST", "/api/v1/ledger-items/"+itoa(mine.ID)+"/start", map[string]any{}, 200)
		do(comm, "POST", "/api/v1/ledger-items/"+itoa(mine.ID)+"/start", map[string]any{}, 409)
		// A write's answer is the item as the write left it (on SQLite read
		// in its transaction): the note just written last, and of many notes
		// only the latest 20, with how many there are.
		var noted ledgerItemOut
		json.Unmarshal(do(comm, "POST", "/api/v1/ledger-items/"+itoa(mine.ID)+"/notes", map[string]any{"note": "已约双方面谈"}, 201), &noted)
		if noted.Status != "in_progress" || len(noted.Notes) != 1 || noted.Notes[0].Note != "已约双方面谈" || noted.NotesTotal != 1 {
			t.Fatalf("a note's answer: %+v", noted)
		}
		json.Unmarshal(do(admin, "POST", "/api/v1/ledger-items/"+itoa(other.ID)+"/start", map[string]any{}, 200), &noted)
		if noted.Status != "in_progress" || noted.ID != other.ID {
			t.Fatalf("a start's answer: %+v", noted)
		}
		for i := 1; i <= 21; i++ {
			json.Unmarshal(do(admin, "POST", "/api/v1/ledger-items/"+itoa(other.ID)+"/notes", map[string]any{"note": "第" + itoa(int64(i)) + "次核查"}, 201), &noted)
		}
		if len(noted.Notes) != 20 || noted.Notes[0].Note != "第2次核查" || noted.Notes[19].Note != "第21次核查" || noted.NotesTotal != 21 {
			t.Fatalf("the answer to an item's 21st note: %d notes of %d, %+v", len(noted.Notes), noted.NotesTotal, noted.Notes)
		}
		res, raw = s.postFile(s.login("community1"), "/ledger-items/"+itoa(mine.ID)+"/close",
			map[string]string{"note": "双方签订调解协议"}, "file", "协议.txt", []byte("调解协议全文"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form close: %d %s", res.StatusCode, raw)
		}
		closed := item(comm, mine.ID)
		if closed.Status != "closed" || closed.ClosedOn != "2026-11-20" || closed.ClosingNote != "双方签订调解协议" || closed.ClosingFile == "" ||
			len(closed.Notes) != 1 {
			t.Fatalf("closed: %+v", closed)
		}
		res, raw = s.call(nil, "GET", "/ledger-items/"+itoa(mine.ID)+"/evidence", nil, comm)
		if res.StatusCode != 200 || string(raw) != "调解协议全文" {
			t.Fatalf("evidence: %d %q", res.StatusCode, raw)
		}
		var daily struct {
			Due      []ledgerItemOut `json:"due"`
			Closings []ledgerItemOut `json:"closings"`
			Notes    []struct {
				Note string `json:"note"`
			} `json:"notes"`
		}
		s.getJSON2(comm, "/api/v1/ledger/daily", &daily)
		if len(daily.Closings) != 1 || daily.Closings[0].ID != mine.ID || daily.Closings[0].ClosingNote != "双方签订调解协议" ||
			len(daily.Notes) != 1 || daily.Notes[0].Note != "已约双方面谈" {
			t.Fatalf("daily of the community: %+v", daily)
		}
		s.getJSON2(admin, "/api/v1/audit?action=ledger.close", &log)
		if len(log.Items) != 1 || log.Items[0].EntityID != itoa(mine.ID) || log.Items[0].Actor != "community1" {
			t.Fatalf("audit of the close: %+v", log.Items)
		}

		// Three days later: the other item is overdue in the dispatch, in red.
		clock = time.Date(2026, 11, 23, 9, 0, 0, 0, civil.Zone)
		daily.Due, daily.Closings = nil, nil
		s.getJSON2(admin, "/api/v1/ledger/daily", &daily)
		if len(daily.Due) != 1 || daily.Due[0].ID != other.ID || !daily.Due[0].Overdue || len(daily.Closings) != 0 {
			t.Fatalf("dispatch on the 23rd: %+v", daily)
		}
		res, raw = s.call(nil, "GET", "/ledger/today", nil, admin)
		if res.StatusCode != 200 || !strings.Contains(string(raw), `class="late"`) || !strings.Contains(string(raw), "举报:拉票线索核查") {
			t.Fatalf("today page: %d", res.StatusCode)
		}
		daily.Closings = nil
		s.getJSON2(admin, "/api/v1/ledger/daily?day=2026-11-20", &daily)
		if len(daily.Closings) != 1 {
			t.Fatalf("closings of the 20th seen on the 23rd: %+v", daily.Closings)
		}

		// Reopen needs a reason.
		res, raw = s.call(nil, "POST", "/api/v1/ledger-items/"+itoa(mine.ID)+"/reopen", map[string]any{"reason": ""}, comm)
		wantError(t, res, raw, 422, "unprocessable")
		if item(comm, mine.ID).Status != "closed" {
			t.Fatal("reopened without a reason")
		}
		do(comm, "POST", "/api/v1/ledger-items/"+itoa(mine.ID)+"/reopen", map[string]any{"reason": "协议未履行,居民再次反映"}, 200)
		if it := item(comm, mine.ID); it.Status != "open" || it.ClosedOn != "" {
			t.Fatalf("reopened: %+v", it)
		}

		// History: what was open on each day.
		on := func(day string) []int64 {
			var out struct{ Items []ledgerItemOut }
			s.getJSON2(admin, "/api/v1/ledger/on?day="+day, &out)
			var ids []int64
			for _, it := range out.Items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		for day, want := range map[string][]int64{"2026-11-19": nil, "2026-11-20": {other.ID}, "2026-11-22": {other.ID},
			"2026-11-23": {other.ID, mine.ID}} {
			if got := on(day); !sameIDs(got, want) {
				t.Errorf("open on %s: %v, want %v", day, got, want)
			}
		}
		var commOn struct{ Items []ledgerItemOut }
		s.getJSON2(comm, "/api/v1/ledger/on?day=2026-11-23", &commOn)
		if len(commOn.Items) != 1 || commOn.Items[0].ID != mine.ID {
			t.Errorf("history of the community account: %+v", commOn.Items)
		}
		do(comm, "GET", "/api/v1/ledger/on?day=2026-11-23&community=QS-01-002", nil, 404)

		// Pages and the Excel export.
		res, raw = s.call(nil, "GET", "/communities/QS-01-001/ledger", nil, comm)
		if res.StatusCode != 200 || !strings.Contains(string(raw), "走访发现:居民反映小区停车纠纷") || !strings.Contains(string(raw), "已约双方面谈") {
			t.Fatalf("ledger page: %d", res.StatusCode)
		}
		res, raw = s.call(nil, "GET", "/communities/QS-01-001/ledger/export", nil, comm)
		if res.StatusCode != 200 {
			t.Fatalf("export: %d %s", res.StatusCode, raw)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		wantCols := "社区编码,社区,片区,来源,内容,风险,责任人,包社区领导,计划日,每日进展,状态,销号时间,销号依据"
		if len(rows) != 2 || strings.Join(rows[0], ",") != wantCols {
			t.Fatalf("export rows: %q", rows)
		}
		if r := rows[1]; r[0] != "QS-01-001" || r[3] != "走访问题" || r[5] != "高" || r[6] != "王芳" || r[7] != "李书记" || r[8] != "2026-11-22" ||
			!strings.Contains(r[9], "2026-11-20 已约双方面谈") || r[10] != "待办" {
			t.Errorf("export row: %q", r)
		}
		// The community has its code, the due day is a date cell, the daily notes wrap (issue 13, point 13).
		sheet := f.GetSheetName(0)
		if raw, _ := f.GetCellValue(sheet, "I2", excelize.Options{RawCellValue: true}); raw != "46348" {
			t.Errorf("计划日 stored as %q, want the date serial 46348", raw)
		}
		for _, cell := range []string{"E2", "J2", "M2"} {
			id, _ := f.GetCellStyle(sheet, cell)
			if st, _ := f.GetStyle(id); st == nil || st.Alignment == nil || !st.Alignment.WrapText {
				t.Errorf("%s does not wrap", cell)
			}
		}
		do(comm, "GET", "/communities/QS-01-002/ledger/export", nil, 404)
		res, raw = s.call(nil, "GET", "/ledger/export", nil, admin)
		if f, err = excelize.OpenReader(bytes.NewReader(raw)); err != nil || res.StatusCode != 200 {
			t.Fatalf("scope export: %d %v", res.StatusCode, err)
		}
		if rows, _ = f.GetRows(f.GetSheetName(0)); len(rows) != 3 {
			t.Errorf("scope export: %d rows, want 3", len(rows))
		}
	})
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[int64]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}
