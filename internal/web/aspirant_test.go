package web_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/web"
)

// validID is an ID number with a correct check digit: born on birth
// (YYYYMMDD) in 370302, sequence seq (odd: a man).
func validID(birth, seq string) string {
	first := "370302" + birth + seq
	return first + string(idcard.CheckDigit(first))
}

func aspirantBody(community, name, id string) map[string]string {
	return map[string]string{"community": community, "name": name, "id_number": id, "phone": "13905310001",
		"party": "member", "committee": "party", "post": "secretary", "education": "bachelor", "current_post": "社区副书记"}
}

// Registration validates the ID number (check digit, age on election day),
// derives sex and age, refuses a second registration of the same number,
// and never shows the full number or phone to a role that must see them
// masked: not in a page, an API answer, the server's log or the SQLite file.
func TestAspirantPersonalDataStaysMasked(t *testing.T) {
	t.Parallel()
	st, dsn := plainDemo.db.OpenDSN(t, store.SQLite)
	z := plainDemo.zone
	var logs bytes.Buffer
	files, _ := filestore.Open(t.TempDir())
	srv, err := web.New(st, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), web.WithFiles(files))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	s := &site{t: t, st: st, srv: srv, ts: ts, accounts: map[string]demo.Account{}}
	for _, a := range z.Accounts {
		s.accounts[a.Username] = a
	}

	admin := s.login("admin")
	good := validID("19800315", "123")
	bad := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
	res, body := s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-001", "张建国", bad), nil)
	wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
	if !strings.Contains(string(body), "校验位") {
		t.Fatalf("wrong check digit: %s, want a Chinese message about it", body)
	}
	young := validID("20100101", "123")
	res, body = s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-001", "张小建", young), nil)
	wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")

	res, body = s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-001", "张建国", good), nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", res.StatusCode, body)
	}
	var a struct {
		ID       int64  `json:"id"`
		IDNumber string `json:"id_number"`
		Phone    string `json:"phone"`
		Sex      string `json:"sex"`
		Age      int    `json:"age"`
		Status   string `json:"status"`
	}
	jsonInto(t, body, &a)
	if a.Sex != "男" || a.Age < 45 || a.Age > 47 || a.Status != "registered" || a.IDNumber != good[:6]+"********"+good[14:] {
		t.Fatalf("registered %+v", a)
	}
	res, body = s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-002", "张建国", good), nil)
	wantError(t, res, body, http.StatusConflict, "conflict")
	if !strings.Contains(string(body), "张建国") {
		t.Fatalf("duplicate: %s, want the existing record named", body)
	}

	id := strconv.FormatInt(a.ID, 10)
	secret := []string{good, "13905310001"}
	paths := []string{"/aspirants", "/aspirants/" + id, "/aspirants/" + id + "/print", "/api/v1/aspirants", "/api/v1/aspirants/" + id}
	for _, user := range []string{"admin", "leader", "district1", "community1", "committee", "discipline"} {
		c := s.login(user)
		for _, p := range paths {
			res, body := s.call(c, "GET", p, nil, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d", user, p, res.StatusCode)
			}
			for _, v := range secret {
				if bytes.Contains(body, []byte(v)) {
					t.Errorf("%s %s shows %s in full", user, p, v)
				}
			}
		}
	}
	// A full view is for the roles that need it, and audited.
	res, body = s.call(s.login("committee"), "POST", "/api/v1/aspirants/"+id+"/reveal", map[string]any{}, nil)
	wantError(t, res, body, http.StatusForbidden, "forbidden")
	res, body = s.call(admin, "POST", "/api/v1/aspirants/"+id+"/reveal", map[string]any{}, nil)
	if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(good)) {
		t.Fatalf("reveal: %d %s", res.StatusCode, body)
	}
	res, body = s.call(admin, "GET", "/api/v1/audit?action=personal.reveal", nil, nil)
	if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("personal.reveal")) || bytes.Contains(body, []byte(good)) {
		t.Fatalf("audit of the reveal: %d %s", res.StatusCode, body)
	}
	// Every committed write is in the file or its write-ahead log.
	for _, path := range []string{strings.TrimPrefix(dsn, "sqlite:"), strings.TrimPrefix(dsn, "sqlite:") + "-wal"} {
		raw, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, v := range secret {
			if bytes.Contains(raw, []byte(v)) {
				t.Errorf("%s holds %s in clear", path, v)
			}
		}
	}
	for _, v := range secret {
		if strings.Contains(logs.String(), v) {
			t.Errorf("the server log holds %s", v)
		}
	}
}

// The second review records a meeting and a decision per aspirant; the
// status follows the state machine, which refuses skipped steps, and the
// statistics count the outcome.
func TestSecondReviewDecisions(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		admin, committee := s.login("admin"), s.login("committee")
		ids := map[string]int64{}
		for i, name := range []string{"李明", "王芳"} {
			res, body := s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-003", name, validID("19750610", "31"+strconv.Itoa(i*2+1))), nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("register %s: %d %s", name, res.StatusCode, body)
			}
			var a struct{ ID int64 }
			jsonInto(t, body, &a)
			ids[name] = a.ID
		}
		today := string(civil.Of(st.Now()))
		res, body := s.call(committee, "POST", "/api/v1/review-meetings", map[string]string{"held_on": today, "title": "党工委会议", "doc_no": "纪要〔2026〕5号"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("meeting: %d %s", res.StatusCode, body)
		}
		var m struct{ ID int64 }
		jsonInto(t, body, &m)
		decide := func(in map[string]any) (*http.Response, []byte) {
			return s.call(committee, "POST", "/api/v1/review-meetings/"+strconv.FormatInt(m.ID, 10)+"/decisions", in, nil)
		}
		// Not yet through the joint review: a decision skips steps.
		res, body = decide(map[string]any{"aspirant_id": ids["李明"], "outcome": "qualified"})
		wantError(t, res, body, http.StatusConflict, "conflict")
		// Move both through the review as the joint-review slice does.
		for _, id := range ids {
			if err := st.Zone(store.System).Write(context.Background(), func(tx *store.Tx) error { return tx.MoveAspirant(context.Background(), id, "under_review", "测试") }); err != nil {
				t.Fatal(err)
			}
			if err := st.Zone(store.System).Write(context.Background(), func(tx *store.Tx) error { return tx.MoveAspirant(context.Background(), id, "reviewed", "测试") }); err != nil {
				t.Fatal(err)
			}
		}
		res, body = decide(map[string]any{"aspirant_id": ids["王芳"], "outcome": "barred"})
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = decide(map[string]any{"aspirant_id": ids["李明"], "outcome": "qualified", "note": "各部门均无异常"})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("qualify: %d %s", res.StatusCode, body)
		}
		res, body = decide(map[string]any{"aspirant_id": ids["王芳"], "outcome": "unsuitable", "condition": firstUnsuitable(),
			"persuasion": map[string]any{"By": "刘书记", "On": today, "Withdrawn": true, "Note": "本人同意退出"}})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("unsuitable: %d %s", res.StatusCode, body)
		}
		for name, want := range map[string]string{"李明": "qualified", "王芳": "withdrawn"} {
			var got struct {
				Aspirant struct{ Status string } `json:"aspirant"`
				Dossier  struct {
					Decisions []struct{ Outcome string } `json:"decisions"`
				} `json:"dossier"`
			}
			s.getJSON(admin, "/api/v1/aspirants/"+strconv.FormatInt(ids[name], 10), &got)
			if got.Aspirant.Status != want || len(got.Dossier.Decisions) != 1 {
				t.Errorf("%s: %+v, want status %s with one decision", name, got, want)
			}
		}
		var stats struct {
			Total map[string]int `json:"total"`
		}
		s.getJSON(s.login("leader"), "/api/v1/vetting/stats", &stats)
		want := map[string]int{"registered": 2, "qualified": 1, "unsuitable": 1, "withdrawn": 1, "barred": 0}
		for k, v := range want {
			if stats.Total[k] != v {
				t.Errorf("stats %s = %d, want %d (%v)", k, stats.Total[k], v, stats.Total)
			}
		}
		// The meeting record page lists both with their decisions.
		res, body = s.call(committee, "GET", "/second-review/meetings/"+strconv.FormatInt(m.ID, 10), nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("王芳")) || !bytes.Contains(body, []byte("刘书记")) {
			t.Fatalf("meeting page: %d", res.StatusCode)
		}
	})
}

// firstUnsuitable is the code of the catalogue's first 不宜 condition.
func firstUnsuitable() string {
	for _, c := range vetting.DefaultCatalogue() {
		if c.Tier == vetting.TierUnsuitable {
			return c.Code
		}
	}
	return ""
}

// The demo zone's gates, as the office sees them on the API and the pages:
// the seed's numbers, the one condition the second round found.
func TestDemoGatesOnTheSite(t *testing.T) {
	t.Parallel()
	fullDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		var stats struct {
			Total map[string]int `json:"total"`
		}
		s.getJSON(admin, "/api/v1/vetting/stats", &stats)
		for k, v := range map[string]int{"disqualified": 5, "withdrawn": 7, "barred": 1} {
			if stats.Total[k] != v {
				t.Errorf("stats %s = %d, want %d", k, stats.Total[k], v)
			}
		}
		// The page names each community with aspirants (read with the
		// counts, not from a list of every community).
		var first struct {
			Items []struct{ Community string } `json:"items"`
		}
		s.getJSON(admin, "/api/v1/vetting/stats", &first)
		if len(first.Items) == 0 {
			t.Fatal("no community in the vetting statistics")
		}
		var name string
		s.getJSON(admin, "/api/v1/orgs/"+first.Items[0].Community, &struct{ Name *string }{&name})
		if page := s.page(admin, "/vetting/stats"); name == "" || !strings.Contains(between(page, `data-testid="vetting-stats"`, 5000), "<td>"+name+"</td>") {
			t.Errorf("/vetting/stats does not name %s (%q)", first.Items[0].Community, name)
		}
		var misses struct {
			Items []struct{ Department, Condition string } `json:"items"`
		}
		s.getJSON(admin, "/api/v1/review/misses", &misses)
		if len(misses.Items) != 1 || misses.Items[0].Department != "gaj" || misses.Items[0].Condition != "criminal" {
			t.Fatalf("misses %+v", misses.Items)
		}
		res, body := s.call(admin, "GET", "/review/misses", nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("公安局")) || !bytes.Contains(body, []byte("刑事处罚")) {
			t.Fatalf("miss report page: %d", res.StatusCode)
		}
		// The pager's links keep the filter.
		res, body = s.call(admin, "GET", "/aspirants?status=qualified", nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`href="?status=qualified&amp;page=2"`)) {
			t.Fatalf("/aspirants?status=qualified: %d, want a next-page link keeping the filter", res.StatusCode)
		}
		res, body = s.call(s.login("committee"), "GET", "/second-review", nil, nil)
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("二次审核")) {
			t.Fatalf("second review page: %d", res.StatusCode)
		}
	})
}

// The second review of a zone's aspirants is one page per 20 people with
// filters: only those a department found something about, only those still
// to decide; the list's JSON twin filters the same.
func checkSecondReviewFilters(t *testing.T, s *site) {
	admin := s.login("admin")
	type list struct {
		Items []struct {
			ID       int64          `json:"id"`
			Status   vetting.Status `json:"status"`
			Findings bool           `json:"findings"`
		} `json:"items"`
		Total int `json:"total"`
	}
	var all, found, open list
	s.getJSON(admin, "/api/v1/aspirants?limit=1000", &all)
	s.getJSON(admin, "/api/v1/aspirants?limit=1000&findings=1", &found)
	s.getJSON(admin, "/api/v1/aspirants?limit=1000&undecided=1", &open)
	wantFound, wantOpen := 0, 0
	for _, a := range all.Items {
		if a.Findings {
			wantFound++
		}
		if !a.Status.Final() {
			wantOpen++
		}
	}
	if wantFound == 0 || wantOpen == 0 || wantOpen == all.Total {
		t.Fatalf("the demo has %d with findings and %d open of %d: nothing to filter", wantFound, wantOpen, all.Total)
	}
	if found.Total != wantFound || len(found.Items) != wantFound || open.Total != wantOpen || len(open.Items) != wantOpen {
		t.Fatalf("findings=1: %d (want %d), undecided=1: %d (want %d)", found.Total, wantFound, open.Total, wantOpen)
	}
	for _, a := range found.Items {
		if !a.Findings {
			t.Errorf("findings=1 lists aspirant %d without findings", a.ID)
		}
	}
	for _, a := range open.Items {
		if a.Status.Final() {
			t.Errorf("undecided=1 lists aspirant %d, %s", a.ID, a.Status)
		}
	}
	var meetings struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	s.getJSON(admin, "/api/v1/review-meetings", &meetings)
	if len(meetings.Items) == 0 {
		t.Fatal("no second-review meeting in the demo")
	}
	for q, want := range map[string]int{"findings=1": wantFound, "undecided=1": wantOpen, "": all.Total} {
		path := fmt.Sprintf("/second-review/meetings/%d?%s", meetings.Items[0].ID, q)
		res, page := s.call(admin, "GET", path, nil, nil)
		shown := strings.Count(string(page), `data-aspirant="`)
		if res.StatusCode != http.StatusOK || shown != min(want, 50) { // one page holds 50
			t.Errorf("GET %s: %d, %d people shown, want %d", path, res.StatusCode, shown, min(want, 50))
		}
		if q != "" && !strings.Contains(string(page), `value="1" checked`) {
			t.Errorf("GET %s: the filter is not shown as set", path)
		}
	}
}
