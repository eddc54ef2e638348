package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
)

// Today's meeting opens with an agenda generated from the data: every
// overdue ledger item and every late election stage of the zone; a
// decision becomes a ledger item of its community; minutes are searchable.
func TestDailyMeetingAgendaAndDecisions(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		start := st.Now() // the store's day, not the machine's: the suite may run with its clock pinned to another day
		res, body := s.call(admin, "POST", "/api/v1/ledger-items", map[string]string{"community": "QS-01-002", "source": "visit",
			"content": "入户走访反映物业矛盾", "risk": "high", "owner": "王强", "due": string(civil.Of(start))}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("ledger item: %d %s", res.StatusCode, body)
		}
		var item struct{ ID int64 }
		jsonInto(t, body, &item)
		later(st, 48*time.Hour) // the item is now overdue
		today := string(civil.Of(st.Now()))
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
		// Once it is open, the list offers to go in, not to open it again.
		_, page := s.call(admin, "GET", "/meetings", nil, nil)
		if !strings.Contains(string(page), fmt.Sprintf(`href="/meetings/%d" data-testid="today-meeting"`, m.ID)) ||
			strings.Contains(string(page), `data-testid="open-meeting"`) {
			t.Fatalf("the meetings page after today's was opened:\n%.3000s", page)
		}
		found := false
		for _, d := range m.Agenda.Due {
			found = found || (d.ID == item.ID && d.Overdue)
		}
		if !found {
			t.Errorf("agenda due %+v lacks overdue item %d", m.Agenda.Due, item.ID)
		}
		late, err := st.Zone(store.System).LateStages(t.Context(), civil.Date(today), 0)
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

// onesOffice adds an office account scoped to the unit code, made by the
// zone admin through the API, and signs it in.
func (s *site) onesOffice(admin *http.Client, username, code string) *http.Client {
	s.t.Helper()
	const password = "a long password for the office"
	res, body := s.call(admin, "POST", "/api/v1/users", map[string]any{"username": username, "display_name": code + "换届办",
		"role": "admin", "scope": code, "password": password}, nil)
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("add %s: %d %s", username, res.StatusCode, body)
	}
	s.accounts[username] = demo.Account{Username: username, Password: password}
	return s.login(username)
}

// otherDistricts are the codes and names of the demo zone's units outside
// QS-01 that no unit of QS-01 shares a name with.
func otherDistricts(t *testing.T) []string {
	z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
	var own, out []string
	for _, u := range z.Units {
		if strings.HasPrefix(u.Code, "QS-01") {
			own = append(own, u.Name)
		}
	}
	for _, u := range z.Units {
		if u.Code == "QS" || strings.HasPrefix(u.Code, "QS-01") {
			continue
		}
		out = append(out, u.Code)
		if !slices.ContainsFunc(own, func(n string) bool { return strings.Contains(n, u.Name) }) {
			out = append(out, u.Name)
		}
	}
	if len(out) < 24 {
		t.Fatalf("other districts: %v", out)
	}
	return out
}

// A district account reading the zone's daily meeting of the demo sees its
// own district's part of the agenda and decisions, and nothing of another
// district (no community, tip, item or stage of it), nor attendance,
// minutes or checkpoint; page and JSON. The zone admin sees all of it.
func TestDailyMeetingOfTheZoneSeenByADistrict(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		// Tips of today in two districts, so the agenda has tips of both.
		for _, code := range []string{"QS-01-001", "QS-02-001"} {
			res, body := s.postTip(map[string]any{"community": code, "category": "bribery", "description": tipDescription}, nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("tip in %s: %d %s", code, res.StatusCode, body)
			}
		}
		res, body := s.call(admin, "POST", "/api/v1/meetings", map[string]any{}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("open the zone's meeting: %d %s", res.StatusCode, body)
		}
		var m struct {
			ID int64 `json:"id"`
		}
		jsonInto(t, body, &m)
		id := itoa(m.ID)
		today := string(civil.Of(st.Now()))
		for _, code := range []string{"QS-01-002", "QS-02-002", "QS-03-001"} {
			res, body := s.call(admin, "POST", "/api/v1/meetings/"+id+"/decisions", map[string]string{"community": code,
				"content": "督促" + code + "完成选民登记", "owner": "专班负责人", "due": today}, nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("decision for %s: %d %s", code, res.StatusCode, body)
			}
		}
		const minutes = "全区例会纪要:研究各片区难点社区的处置"
		res, body = s.call(admin, "POST", "/api/v1/meetings/"+id+"/record", map[string]any{
			"attendance": []string{"换届办主任张某", "纪委联络员"}, "minutes": minutes}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("record: %d %s", res.StatusCode, body)
		}

		// The zone admin sees every district's lines, the minutes and attendance.
		_, whole := s.call(admin, "GET", "/api/v1/meetings/"+id, nil, nil)
		for _, want := range []string{"QS-01-002", "QS-02-002", "QS-03-001", minutes, "换届办主任张某"} {
			if !strings.Contains(string(whole), want) {
				t.Fatalf("the admin's meeting lacks %q", want)
			}
		}
		var full struct {
			Agenda struct {
				Tips       []struct{ Code string } `json:"tips"`
				LateStages []struct{ Code string } `json:"late_stages"`
				Due        []struct{ Code string } `json:"due"`
			} `json:"agenda"`
			Decisions []struct{ Community string } `json:"decisions"`
		}
		jsonInto(t, whole, &full)
		if len(full.Agenda.Tips) < 2 || len(full.Decisions) != 3 {
			t.Fatalf("the admin's meeting: %d tips, %d decisions", len(full.Agenda.Tips), len(full.Decisions))
		}

		district := s.login("district1")
		res, part := s.call(district, "GET", "/api/v1/meetings/"+id, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("district1's view of the zone meeting: %d %s", res.StatusCode, part)
		}
		res, page := s.call(district, "GET", "/meetings/"+id, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("district1's page of the zone meeting: %d", res.StatusCode)
		}
		res, list := s.call(district, "GET", "/api/v1/meetings", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("district1's meetings: %d %s", res.StatusCode, list)
		}
		res, listPage := s.call(district, "GET", "/meetings", nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("district1's meetings page: %d", res.StatusCode)
		}
		for what, b := range map[string][]byte{"JSON": part, "page": page, "list": list, "list page": listPage} {
			for _, other := range otherDistricts(t) {
				if strings.Contains(string(b), other) {
					t.Errorf("district1's %s of the zone meeting shows %q of another district", what, other)
				}
			}
			// Nor the meeting's checkpoint (every printed page ends with the
			// log's head of the moment, which is not the meeting's).
			for _, secret := range []string{minutes, "换届办主任张某", `data-testid="checkpoint"`, `"checkpoint"`} {
				if strings.Contains(string(b), secret) {
					t.Errorf("district1's %s shows %q", what, secret)
				}
			}
		}
		var mine struct {
			Partial bool `json:"partial"`
			Agenda  struct {
				Tips       []struct{ Code string } `json:"tips"`
				LateStages []struct{ Code string } `json:"late_stages"`
				Due        []struct{ Code string } `json:"due"`
			} `json:"agenda"`
			Decisions []struct{ Community string } `json:"decisions"`
		}
		jsonInto(t, part, &mine)
		if !mine.Partial || len(mine.Agenda.Tips) == 0 || len(mine.Agenda.Due) == 0 || len(mine.Decisions) != 1 ||
			mine.Decisions[0].Community != "QS-01-002" {
			t.Fatalf("district1's part: partial %v, %d tips, %d due, decisions %+v", mine.Partial, len(mine.Agenda.Tips),
				len(mine.Agenda.Due), mine.Decisions)
		}
		// Its part is exactly the zone's lines of QS-01.
		count := func(lines []struct{ Code string }) (n int) {
			for _, l := range lines {
				if strings.HasPrefix(l.Code, "QS-01-") {
					n++
				}
			}
			return n
		}
		if count(full.Agenda.Due) != len(mine.Agenda.Due) || count(full.Agenda.LateStages) != len(mine.Agenda.LateStages) ||
			count(full.Agenda.Tips) != len(mine.Agenda.Tips) {
			t.Errorf("district1's part is not the zone's lines of QS-01")
		}
		// Searching the minutes finds nothing for the district, the meeting for the admin.
		var found struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		s.getJSON(district, "/api/v1/meetings?q=难点社区", &found)
		if len(found.Items) != 0 {
			t.Errorf("district1 found the zone's minutes: %+v", found.Items)
		}
		s.getJSON(admin, "/api/v1/meetings?q=难点社区", &found)
		if len(found.Items) != 1 || found.Items[0].ID != m.ID {
			t.Errorf("the admin's search: %+v", found.Items)
		}
	})
}

// An office scoped to a district holds its own daily meeting beside the
// zone's: its agenda is of its district only; it reads the zone's meeting
// as its part and cannot record its minutes or decisions; another
// district does not see its meeting at all.
func TestDailyMeetingOfADistrictOffice(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		office := s.onesOffice(admin, "office-qs02", "QS-02")
		res, body := s.call(admin, "POST", "/api/v1/meetings", map[string]any{}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("open the zone's meeting: %d %s", res.StatusCode, body)
		}
		var zone struct {
			ID int64 `json:"id"`
		}
		jsonInto(t, body, &zone)
		res, body = s.call(admin, "POST", "/api/v1/meetings/"+itoa(zone.ID)+"/record", map[string]any{"minutes": "全区纪要"}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("record: %d %s", res.StatusCode, body)
		}

		res, body = s.call(office, "POST", "/api/v1/meetings", map[string]any{}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("the QS-02 office opens its meeting: %d %s", res.StatusCode, body)
		}
		var own struct {
			ID      int64  `json:"id"`
			Unit    string `json:"unit"`
			Partial bool   `json:"partial"`
			Agenda  struct {
				Decisions  []struct{ Code string } `json:"decisions"`
				Due        []struct{ Code string } `json:"due"`
				Warnings   []struct{ Code string } `json:"warnings"`
				Tips       []struct{ Code string } `json:"tips"`
				LateStages []struct{ Code string } `json:"late_stages"`
			} `json:"agenda"`
		}
		jsonInto(t, body, &own)
		lines := 0
		a := own.Agenda
		for part, list := range map[string][]struct{ Code string }{"decisions": a.Decisions, "due": a.Due, "warnings": a.Warnings,
			"tips": a.Tips, "late stages": a.LateStages} {
			for _, l := range list {
				lines++
				if !strings.HasPrefix(l.Code, "QS-02-") {
					t.Errorf("the QS-02 meeting's %s has a line of %q", part, l.Code)
				}
			}
		}
		if own.Unit != "QS-02" || own.Partial || lines == 0 || strings.Contains(string(body), "QS-01-") ||
			strings.Contains(string(body), "QS-03-") || strings.Contains(string(body), "QS-04-") {
			t.Fatalf("the QS-02 meeting: unit %q, partial %v, %d lines: %s", own.Unit, own.Partial, lines, body)
		}
		res, body = s.call(office, "POST", "/api/v1/meetings", map[string]any{}, nil)
		wantError(t, res, body, http.StatusConflict, "conflict")
		oid := itoa(own.ID)
		res, body = s.call(office, "POST", "/api/v1/meetings/"+oid+"/decisions", map[string]string{"community": "QS-01-001",
			"content": "越界的决定", "owner": "某人", "due": string(civil.Of(st.Now()))}, nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = s.call(office, "POST", "/api/v1/meetings/"+oid+"/record", map[string]any{"minutes": "西部片区例会纪要"}, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the office records its own minutes: %d %s", res.StatusCode, body)
		}

		// The zone's meeting: its part, and no minutes or decisions of its own.
		zid := itoa(zone.ID)
		var part struct {
			Partial bool    `json:"partial"`
			Minutes *string `json:"minutes"`
		}
		s.getJSON(office, "/api/v1/meetings/"+zid, &part)
		if !part.Partial || part.Minutes != nil {
			t.Fatalf("the office's view of the zone meeting: %+v", part)
		}
		res, body = s.call(office, "POST", "/api/v1/meetings/"+zid+"/record", map[string]any{"minutes": "篡改全区纪要"}, nil)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		res, body = s.call(office, "POST", "/api/v1/meetings/"+zid+"/decisions", map[string]string{"community": "QS-02-001",
			"content": "写进全区例会的决定", "owner": "某人", "due": string(civil.Of(st.Now()))}, nil)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		res, body = s.call(office, "POST", "/meetings/"+zid+"/record", "minutes=篡改全区纪要", nil)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("the office's form on the zone's minutes: %d", res.StatusCode)
		}
		var after struct {
			Minutes   string `json:"minutes"`
			Decisions []any  `json:"decisions"`
		}
		s.getJSON(admin, "/api/v1/meetings/"+zid, &after)
		if after.Minutes != "全区纪要" || len(after.Decisions) != 0 {
			t.Fatalf("the zone's meeting was changed by the QS-02 office: %+v", after)
		}

		// The admin reads the office's meeting whole; district1 (QS-01) not at all.
		s.getJSON(admin, "/api/v1/meetings/"+oid, &after)
		if after.Minutes != "西部片区例会纪要" {
			t.Fatalf("the admin's view of the QS-02 meeting: %+v", after)
		}
		district := s.login("district1")
		res, body = s.call(district, "GET", "/api/v1/meetings/"+oid, nil, nil)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, body = s.call(district, "GET", "/api/v1/meetings", nil, nil)
		if res.StatusCode != http.StatusOK || strings.Contains(string(body), `"id":`+oid+`,`) || strings.Contains(string(body), "QS-02") {
			t.Fatalf("district1's list shows the QS-02 meeting: %s", body)
		}
	})
}

// After a meeting is opened and after its minutes are recorded the audit
// log's head is signed into the checkpoint file; the minutes keep the one
// of their recording and print it.
func TestDailyMeetingCheckpoints(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin := s.login("admin")
		ctx := context.Background()
		checkpoints := func() int {
			r, err := st.VerifyAudit(ctx, nil)
			if err != nil || !r.OK() {
				t.Fatalf("verify: %+v %v", r, err)
			}
			return r.Checkpoints
		}
		before := checkpoints()
		res, body := s.call(admin, "POST", "/meetings", "", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("open: %d %s", res.StatusCode, body)
		}
		if n := checkpoints(); n != before+1 {
			t.Fatalf("opening the meeting left %d checkpoints, want %d", n, before+1)
		}
		page := res.Header.Get("Location")
		res, body = s.call(admin, "POST", page+"/record", "attendance=张主任、李明&minutes=部署名单公示", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("record: %d %s", res.StatusCode, body)
		}
		if n := checkpoints(); n != before+2 {
			t.Fatalf("recording the minutes left %d checkpoints, want %d", n, before+2)
		}
		var m struct {
			Checkpoint struct {
				Seq  int64  `json:"seq"`
				Hash string `json:"hash"`
			} `json:"checkpoint"`
		}
		s.getJSON(admin, "/api/v1"+page, &m)
		if m.Checkpoint.Seq == 0 || len(m.Checkpoint.Hash) < 16 {
			t.Fatalf("the meeting keeps no checkpoint: %+v", m)
		}
		// It is the head right after the minutes were recorded: the entry
		// that keeps it with the meeting is the only one after it.
		head, err := st.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.Checkpoint.Seq != head.Seq-1 {
			t.Errorf("checkpoint at %d, head %d: want the entry before the one keeping it", m.Checkpoint.Seq, head.Seq)
		}
		want := "审计日志截至第 " + strconv.FormatInt(m.Checkpoint.Seq, 10) + " 条,校验值 " + m.Checkpoint.Hash[:16] + "…"
		res, body = s.call(admin, "GET", page, nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Fatalf("the minutes do not print %q", want)
		}
		// Recorded again: a new checkpoint, kept and printed.
		res, _ = s.call(admin, "POST", page+"/record", "minutes=部署名单公示(修订)", nil)
		if res.StatusCode != http.StatusSeeOther || checkpoints() != before+3 {
			t.Fatalf("recording again: %d", res.StatusCode)
		}
		var again struct {
			Checkpoint struct{ Seq int64 } `json:"checkpoint"`
		}
		s.getJSON(admin, "/api/v1"+page, &again)
		if again.Checkpoint.Seq <= m.Checkpoint.Seq {
			t.Fatalf("checkpoint after recording again: %d, before %d", again.Checkpoint.Seq, m.Checkpoint.Seq)
		}
	})
}
