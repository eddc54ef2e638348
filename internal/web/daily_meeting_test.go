package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// Today's meeting opens with an agenda generated from the data: every
// overdue ledger item and every late election stage of the zone; a
// decision becomes a ledger item of its community; minutes are searchable.
func TestDailyMeetingAgendaAndDecisions(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		admin := s.login("admin")
		start := time.Now()
		res, body := s.call(admin, "POST", "/api/v1/ledger-items", map[string]string{"community": "QS-01-002", "source": "visit",
			"content": "入户走访反映物业矛盾", "risk": "high", "owner": "王强", "due": org.Day(start)}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("ledger item: %d %s", res.StatusCode, body)
		}
		var item struct{ ID int64 }
		jsonInto(t, body, &item)
		st.SetClock(func() time.Time { return time.Now().Add(48 * time.Hour) }) // the item is now overdue
		today := org.Day(st.Now())
		admin = s.login("admin") // the session of two days ago has expired

		res, body = s.call(admin, "POST", "/api/v1/meetings", map[string]any{}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("open meeting: %d %s", res.StatusCode, body)
		}
		var m struct {
			ID     int64  `json:"id"`
			HeldOn string `json:"held_on"`
			Agenda struct {
				Due []struct {
					ID      int64 `json:"id"`
					Overdue bool  `json:"overdue"`
				} `json:"due"`
				LateStages []struct{ Community, Stage string } `json:"late_stages"`
			} `json:"agenda"`
		}
		jsonInto(t, body, &m)
		if m.HeldOn != today || len(m.Agenda.Due) == 0 {
			t.Fatalf("meeting %+v", m)
		}
		found := false
		for _, d := range m.Agenda.Due {
			found = found || (d.ID == item.ID && d.Overdue)
		}
		if !found {
			t.Errorf("agenda due %+v lacks overdue item %d", m.Agenda.Due, item.ID)
		}
		cycle, _ := st.CurrentCycle(t.Context())
		late, err := st.LateStages(t.Context(), org.All, cycle.ID, today)
		if err != nil || len(late) == 0 || len(m.Agenda.LateStages) != len(late) {
			t.Fatalf("agenda has %d late stages, the progress table %d (%v)", len(m.Agenda.LateStages), len(late), err)
		}
		res, body = s.call(admin, "POST", "/api/v1/meetings", map[string]any{}, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")

		id := strconv.FormatInt(m.ID, 10)
		decide := func(in map[string]string) (*http.Response, []byte) {
			return s.call(admin, "POST", "/api/v1/meetings/"+id+"/decisions", in, nil)
		}
		res, body = decide(map[string]string{"community": "QS-01-003", "content": "三日内完成候选人名单公示", "due": today})
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = decide(map[string]string{"community": "QS-01-003", "content": "三日内完成候选人名单公示", "owner": "李明", "due": today})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("decision: %d %s", res.StatusCode, body)
		}
		var d struct {
			LedgerItemID int64 `json:"ledger_item_id"`
		}
		jsonInto(t, body, &d)
		res, body = s.call(admin, "GET", "/api/v1/communities/QS-01-003/ledger", nil, nil)
		if res.StatusCode != http.StatusOK || d.LedgerItemID == 0 || !strings.Contains(string(body), "三日内完成候选人名单公示") {
			t.Fatalf("decision's ledger item %d: %d %s", d.LedgerItemID, res.StatusCode, body)
		}
		res, body = s.call(admin, "POST", "/api/v1/meetings/"+id+"/record", map[string]any{
			"attendance": []string{"张主任", "李明"}, "minutes": "研究部署候选人名单公示工作"}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("record: %d %s", res.StatusCode, body)
		}
		var list struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		s.getJSON(s.login("leader"), "/api/v1/meetings?q=名单公示", &list)
		if len(list.Items) != 1 || list.Items[0].ID != m.ID {
			t.Fatalf("search: %+v", list.Items)
		}
		res, body = s.call(admin, "GET", "/meetings/"+id, nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "逾期") || !strings.Contains(string(body), "李明") {
			t.Fatalf("meeting page: %d", res.StatusCode)
		}
	})
}
