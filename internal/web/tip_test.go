package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

// forEachRaw is f.ForEach that also hands the test a plain connection to
// the same database, to read what the store wrote column by column.
func forEachRaw(t *testing.T, f *testdb.Fixture, fn func(t *testing.T, st *store.Store, raw *sql.DB)) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			st, dsn := f.OpenDSN(t, e)
			driver, source := "pgx", dsn
			if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
				driver, source = "sqlite", store.SQLiteURI(path)
			}
			raw, err := sql.Open(driver, source)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			fn(t, st, raw)
		})
	}
}

// dumpTable returns every value of every row of table as text.
func dumpTable(t *testing.T, raw *sql.DB, table string) string {
	t.Helper()
	rows, err := raw.Query(`SELECT * FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v\t", cols[i], v)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

const tipDescription = "该参选人在小区里挨家挨户送米面油拉票,有多位居民可以作证。"

var receiptPattern = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$`)

// postTip posts a tip to the API anonymously, from the given client address.
func (s *site) postTip(body map[string]any, header map[string]string) (*http.Response, []byte) {
	s.t.Helper()
	return s.call(nil, "POST", "/api/v1/tips", body, header)
}

func TestPublicTipWithoutSession(t *testing.T) {
	t.Parallel()
	const (
		forwarded = "203.0.113.199"
		agent     = "Mozilla/5.0 (TipTest-UA-7f3a9c)"
		contact   = "13912345678"
	)
	forEachRaw(t, testdb.Migrated, func(t *testing.T, st *store.Store, raw *sql.DB) {
		clock := time.Date(2026, 11, 27, 14, 37, 21, 0, civil.Zone)
		st.SetClock(func() time.Time { return clock })
		s := newSite(t, st)
		hdr := map[string]string{"X-Forwarded-For": forwarded, "X-Real-IP": forwarded, "User-Agent": agent}

		res, body := s.postTip(map[string]any{"community": "QS-01-001", "person": "王某", "category": "bribery",
			"description": tipDescription, "contact": contact}, hdr)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("POST /api/v1/tips: %d %s", res.StatusCode, body)
		}
		var got struct{ Receipt string }
		json.Unmarshal(body, &got)
		if !receiptPattern.MatchString(got.Receipt) {
			t.Fatalf("receipt %q is not 20 Crockford characters in groups of five", got.Receipt)
		}

		// The status, read without a session, shows the status and days only.
		var status map[string]string
		s.getJSON(nil, "/api/v1/tips/"+got.Receipt, &status)
		want := map[string]string{"receipt": got.Receipt, "status": "received", "status_label": "已受理",
			"submitted_on": "2026-11-27", "updated_on": "2026-11-27"}
		if fmt.Sprint(status) != fmt.Sprint(want) {
			t.Fatalf("status %v, want %v", status, want)
		}
		// Typed by hand: lower case, no dashes.
		sloppy := strings.ToLower(strings.ReplaceAll(got.Receipt, "-", ""))
		s.getJSON(nil, "/api/v1/tips/"+sloppy, &status)

		for _, bad := range []string{"00000-00000-00000-00000", "NOT-A-RECEIPT", "ABCDE"} {
			if bad == got.Receipt {
				continue
			}
			res, body := s.call(nil, "GET", "/api/v1/tips/"+bad, nil, nil)
			wantError(t, res, body, http.StatusNotFound, "not_found")
		}

		// Multipart with a photo, through the API.
		png := photo(t, "png")
		res, body = s.postFile(s.client(), "/api/v1/tips", map[string]string{"community": "QS-01-002", "category": "crime",
			"description": tipDescription}, "files", "现场.png", png)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("multipart tip: %d %s", res.StatusCode, body)
		}

		// The page: a form posted from our own origin works; from another site it is refused.
		form := url.Values{"community": {"QS-01-003"}, "category": {"interference"}, "description": {tipDescription}}.Encode()
		res, body = s.call(nil, "POST", "/tip", form, map[string]string{"Origin": s.ts.URL, "Sec-Fetch-Site": "same-origin",
			"X-Forwarded-For": forwarded, "User-Agent": agent})
		page := string(body)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `data-testid="receipt"`) {
			t.Fatalf("POST /tip from the page: %d %s", res.StatusCode, page)
		}
		pageReceipt := regexp.MustCompile(`[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}`).FindString(page)
		res, body = s.call(nil, "GET", "/tip/status?receipt="+url.QueryEscape(pageReceipt), nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "已受理") {
			t.Fatalf("status page: %d %s", res.StatusCode, body)
		}
		res, _ = s.call(nil, "GET", "/tip/status?receipt=00000-00000-00000-00001", nil, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("status page of an unknown receipt: %d, want 404", res.StatusCode)
		}
		res, _ = s.call(nil, "POST", "/tip", form, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("POST /tip from another site: %d, want 403", res.StatusCode)
		}
		res, body = s.call(nil, "GET", "/tip", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "QS-01-001") {
			t.Fatalf("GET /tip: %d", res.StatusCode)
		}

		// No trace of the reporter: address, user agent, contact in clear, moment.
		dump := dumpTable(t, raw, "tips") + dumpTable(t, raw, "tip_files")
		if n := strings.Count(dump, "\n"); n != 4 {
			t.Fatalf("%d rows in tips and tip_files, want 3 tips and 1 file:\n%s", n, dump)
		}
		if err := st.LogTips(context.Background(), true); err != nil {
			t.Fatal(err)
		}
		var audit strings.Builder
		entries, err := st.Zone(store.System).AuditLog(context.Background(), store.AuditFilter{Action: "tip.add", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 {
			t.Fatalf("%d tip audit entries, want 3", len(entries))
		}
		for _, e := range entries {
			fmt.Fprintf(&audit, "%+v\n", e)
			if e.Actor != store.Public.Name || e.ActorID != 0 {
				t.Fatalf("tip audited as %q/%d, want the public actor", e.Actor, e.ActorID)
			}
			if !e.At.Equal(civil.DayStart(clock)) {
				t.Fatalf("tip audit entry dated %v, want the start of its day %v", e.At, civil.DayStart(clock))
			}
		}
		all := dump + dumpTable(t, raw, "audit_log")
		for _, trace := range []string{forwarded, "127.0.0.1", agent, "TipTest-UA", contact} {
			if strings.Contains(all, trace) {
				t.Errorf("%q is stored:\n%s", trace, all)
			}
		}
		for _, moment := range []string{"14:37", "06:37"} { // the moment of the tips, China time and UTC
			if strings.Contains(dump+audit.String(), moment) {
				t.Errorf("the moment %s is stored with a tip:\n%s%s", moment, dump, audit.String())
			}
		}
	})
}

func TestTipRateLimits(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		tip := map[string]any{"community": "QS-01-001", "category": "other", "description": tipDescription}
		var receipt string
		for i := range 5 {
			res, body := s.postTip(tip, nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("tip %d: %d %s", i+1, res.StatusCode, body)
			}
			var got struct{ Receipt string }
			json.Unmarshal(body, &got)
			receipt = got.Receipt
		}
		res, body := s.postTip(tip, nil)
		wantError(t, res, body, http.StatusTooManyRequests, "too_many")
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		// The page says so in Chinese too.
		res, body = s.call(nil, "POST", "/tip", url.Values{"community": {"QS-01-001"}}.Encode(), nil)
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(body), "过于频繁") {
			t.Fatalf("POST /tip over the limit: %d", res.StatusCode)
		}

		for i := range 30 {
			path := "/api/v1/tips/" + receipt
			if i%2 == 1 {
				path = "/api/v1/tips/00000-00000-00000-0000" + fmt.Sprint(i%10) // unknown receipts count too
			}
			res, body := s.call(nil, "GET", path, nil, nil)
			if res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("look-up %d refused: %s", i+1, body)
			}
		}
		res, body = s.call(nil, "GET", "/api/v1/tips/"+receipt, nil, nil)
		wantError(t, res, body, http.StatusTooManyRequests, "too_many")
		res, _ = s.call(nil, "GET", "/tip/status?receipt="+receipt, nil, nil)
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("status page over the limit: %d, want 429", res.StatusCode)
		}
	})
}

// addAspirants registers aspirants of a community directly in the store.
func addAspirants(t *testing.T, st *store.Store, community string, names ...string) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		for _, name := range names {
			first17 := fmt.Sprintf("99010119800101%03d", aspirantSeq.Add(1)%1000)
			id := first17 + string(checkDigit(first17))
			a, err := tx.AddAspirant(ctx, vetting.Aspirant{OrgCode: community, Name: name, IDNumber: id,
				Phone: "13800000000", Party: vetting.PartyMember, Committee: org.PartyCommittee, Post: vetting.CommitteeMember,
				Education: vetting.Bachelor})
			if err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

var aspirantSeq atomic.Int64 // tests run in parallel

func checkDigit(first17 string) byte {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

func TestTipTriage(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		ids := addAspirants(t, st, "QS-01-001", "李明")
		other := addAspirants(t, st, "QS-01-002", "赵强")
		res, body := s.postTip(map[string]any{"community": "QS-01-001", "person": "李明", "category": "bribery",
			"description": tipDescription, "contact": "微信 abc123"}, nil)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("tip: %d %s", res.StatusCode, body)
		}
		var rc struct{ Receipt string }
		json.Unmarshal(body, &rc)

		d := "Bearer " + s.token("discipline")
		auth := map[string]string{"Authorization": d}
		var list struct {
			Items []struct {
				ID          int64  `json:"id"`
				Status      string `json:"status"`
				HasContact  bool   `json:"has_contact"`
				Description string `json:"description"`
			} `json:"items"`
			Total int `json:"total"`
		}
		res, body = s.call(nil, "GET", "/api/v1/tips?status=received", nil, auth)
		json.Unmarshal(body, &list)
		if res.StatusCode != http.StatusOK || list.Total != 1 || !list.Items[0].HasContact || strings.Contains(string(body), "abc123") {
			t.Fatalf("tip list: %d %s", res.StatusCode, body)
		}
		id := list.Items[0].ID
		triage := func(in map[string]any) (*http.Response, []byte) {
			return s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/triage", id), in, auth)
		}
		res, body = triage(map[string]any{"status": "closed", "result": "查证属实,已移交"})
		wantError(t, res, body, http.StatusConflict, "conflict")
		res, body = triage(map[string]any{"status": "verifying", "aspirant_id": other[0]})
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = triage(map[string]any{"status": "verifying", "aspirant_id": ids[0]})
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"verifying"`) {
			t.Fatalf("triage to verifying: %d %s", res.StatusCode, body)
		}
		res, body = triage(map[string]any{"status": "closed"})
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")

		// A case on the tip links it.
		res, body = s.call(nil, "POST", "/api/v1/cases", map[string]any{"community": "QS-01-001", "source": "tip", "tip_id": id,
			"summary": "群众举报送米面油拉票", "aspirant_ids": ids}, auth)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("case from tip: %d %s", res.StatusCode, body)
		}
		var detail struct {
			CaseID     int64 `json:"case_id"`
			AspirantID int64 `json:"aspirant_id"`
			Status     string
		}
		s.getJSON2(auth, fmt.Sprintf("/api/v1/tips/%d/detail", id), &detail)
		if detail.CaseID == 0 || detail.AspirantID != ids[0] {
			t.Fatalf("tip after the case: %+v", detail)
		}
		res, body = triage(map[string]any{"status": "closed", "result": "查证属实,已立案处理"})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("close: %d %s", res.StatusCode, body)
		}
		var status map[string]string
		s.getJSON(nil, "/api/v1/tips/"+rc.Receipt, &status)
		if status["status"] != "closed" || status["status_label"] != "已办结" || len(status) != 5 {
			t.Fatalf("public status after closing: %v", status)
		}

		// The contact is shown only on an audited request.
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/tips/%d/contact", id), map[string]any{}, auth)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "abc123") {
			t.Fatalf("reveal contact: %d %s", res.StatusCode, body)
		}
		entries, _ := st.Zone(store.System).AuditLog(context.Background(), store.AuditFilter{Action: "tip.contact"})
		if len(entries) != 1 || entries[0].Actor != "discipline" {
			t.Fatalf("contact reveal audit: %+v", entries)
		}
		// Pages render.
		c := s.login("discipline")
		for _, p := range []string{"/tips", fmt.Sprintf("/tips/%d", id), "/cases", "/cases?community=QS-01-001", "/discipline"} {
			res, body := s.call(c, "GET", p, nil, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d %s", p, res.StatusCode, body)
			}
		}
	})
}

func (s *site) getJSON2(header map[string]string, path string, v any) {
	s.t.Helper()
	res, body := s.call(nil, "GET", path, nil, header)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		s.t.Fatal(err)
	}
}

func TestCaseOutcomeDisqualifies(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		ids := addAspirants(t, st, "QS-02-001", "孙一", "孙二")
		bystander := addAspirants(t, st, "QS-02-001", "孙三")
		auth := map[string]string{"Authorization": "Bearer " + s.token("police")}
		res, body := s.call(nil, "POST", "/api/v1/cases", map[string]any{"community": "QS-02-001", "source": "police",
			"summary": "公安机关移送:以金钱贿赂选民", "parties": []string{"孙一", "孙二", "钱某"}, "aspirant_ids": ids}, auth)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("add case: %d %s", res.StatusCode, body)
		}
		var c struct {
			ID        int64
			Status    string
			Aspirants []struct{ ID int64 } `json:"aspirants"`
		}
		json.Unmarshal(body, &c)
		if c.Status != "accepted" || len(c.Aspirants) != 2 {
			t.Fatalf("new case %s", body)
		}
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		move := func(to string) (*http.Response, []byte) {
			return s.call(nil, "POST", path+"/status", map[string]string{"status": to}, auth)
		}
		decide := func(o string) (*http.Response, []byte) {
			return s.call(nil, "POST", path+"/outcome", map[string]string{"outcome": o, "note": "经查属实"}, auth)
		}
		res, body = move("handling") // skips 调查
		e := wantError(t, res, body, http.StatusConflict, "conflict")
		if !strings.Contains(e.Error.Message, "调查") {
			t.Fatalf("refusal %q does not name the next step", e.Error.Message)
		}
		res, body = decide("disqualify") // not yet handling
		wantError(t, res, body, http.StatusConflict, "conflict")
		if res, body = move("investigating"); res.StatusCode != http.StatusOK {
			t.Fatalf("investigating: %d %s", res.StatusCode, body)
		}
		if res, body = move("handling"); res.StatusCode != http.StatusOK {
			t.Fatalf("handling: %d %s", res.StatusCode, body)
		}
		res, body = move("closed") // no outcome yet
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		for _, id := range append(ids, bystander...) {
			if a, _ := st.Zone(store.System).Aspirant(context.Background(), id); a.Status != vetting.Registered {
				t.Fatalf("aspirant %d is %s before the outcome", id, a.Status)
			}
		}
		if res, body = decide("disqualify"); res.StatusCode != http.StatusOK {
			t.Fatalf("outcome: %d %s", res.StatusCode, body)
		}
		for _, id := range ids {
			if a, _ := st.Zone(store.System).Aspirant(context.Background(), id); a.Status != vetting.Disqualified {
				t.Fatalf("aspirant %d is %s after 取消参选资格, want disqualified", id, a.Status)
			}
		}
		if a, _ := st.Zone(store.System).Aspirant(context.Background(), bystander[0]); a.Status != vetting.Registered {
			t.Fatalf("unlinked aspirant is %s", a.Status)
		}
		// A later outcome cannot undo it, and deciding again moves nobody twice.
		if res, body = decide("admonish"); res.StatusCode != http.StatusOK {
			t.Fatalf("second outcome: %d %s", res.StatusCode, body)
		}
		if a, _ := st.Zone(store.System).Aspirant(context.Background(), ids[0]); a.Status != vetting.Disqualified {
			t.Fatalf("disqualification undone: %s", a.Status)
		}
		if res, body = move("closed"); res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"closed"`) {
			t.Fatalf("close: %d %s", res.StatusCode, body)
		}
		moves, _ := st.Zone(store.System).AuditLog(context.Background(), store.AuditFilter{Action: "aspirant.status", Limit: 100})
		if len(moves) != 2 {
			t.Fatalf("%d aspirant moves audited, want 2", len(moves))
		}
		// The same through the pages: a discipline user sees the case.
		page := s.login("discipline")
		res, body = s.call(page, "GET", fmt.Sprintf("/cases/%d", c.ID), nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "孙一(取消参选资格)") {
			t.Fatalf("case page: %d %s", res.StatusCode, body)
		}
	})
}

func TestCaseStatusFormMovesOneStep(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		c := s.login("discipline")
		form := url.Values{"community": {"QS-01-004"}, "source": {"inspection"}, "summary": {"巡察发现违规承诺"},
			"parties": {"周某、吴某"}}.Encode()
		res, body := s.call(c, "POST", "/cases", form, map[string]string{"Origin": s.ts.URL, "Sec-Fetch-Site": "same-origin"})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("case form: %d %s", res.StatusCode, body)
		}
		loc := res.Header.Get("Location")
		res, body = s.call(c, "POST", loc+"/status", "status=closed", map[string]string{"Origin": s.ts.URL, "Sec-Fetch-Site": "same-origin"})
		if res.StatusCode != http.StatusConflict || !strings.Contains(string(body), "下一步只能是") {
			t.Fatalf("skipping by form: %d", res.StatusCode)
		}
		res, _ = s.call(c, "POST", loc+"/status", "status=investigating", map[string]string{"Origin": s.ts.URL, "Sec-Fetch-Site": "same-origin"})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("one step by form: %d", res.StatusCode)
		}
		_, body = s.call(c, "GET", loc, nil, nil)
		if !strings.Contains(string(body), `data-testid="case-status">调查`) || !strings.Contains(string(body), "周某、吴某") {
			t.Fatalf("case page after the move: %s", body)
		}
	})
}

func TestActivityTotals(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, civil.Zone) })
		s := newSite(t, st)
		auth := map[string]string{"Authorization": "Bearer " + s.token("discipline")}
		for _, a := range []map[string]any{
			{"community": "QS-01-001", "type": "cartoon", "quantity": 300, "date": "2026-11-20"},
			{"community": "QS", "type": "cartoon", "quantity": 250, "date": "2026-11-21", "note": "全区统一张贴"},
			{"community": "QS", "type": "warning_meeting", "quantity": 5, "date": "2026-11-22"},
			{"community": "QS-02-001", "type": "wechat_post", "quantity": 12, "date": "2026-11-27"},
		} {
			res, body := s.call(nil, "POST", "/api/v1/activities", a, auth)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("activity %v: %d %s", a, res.StatusCode, body)
			}
		}
		for _, bad := range []map[string]any{
			{"community": "QS", "type": "cartoon", "quantity": 1, "date": "2026-11-28"},
			{"community": "QS", "type": "other", "quantity": 1, "date": "2026-11-20"},
			{"community": "QS", "type": "cartoon", "quantity": 0, "date": "2026-11-20"},
		} {
			res, body := s.call(nil, "POST", "/api/v1/activities", bad, auth)
			wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		}
		var got struct {
			Items  []struct{ Community string } `json:"items"`
			Totals []struct {
				Type     string `json:"type"`
				Quantity int    `json:"quantity"`
				Measure  string `json:"measure"`
				Entries  int    `json:"entries"`
			} `json:"totals"`
		}
		s.getJSON2(auth, "/api/v1/activities", &got)
		if len(got.Items) != 4 || got.Items[0].Community != "QS-02-001" {
			t.Fatalf("items %+v, want 4, latest first", got.Items)
		}
		totals := map[string]string{}
		for _, tt := range got.Totals {
			totals[tt.Type] = fmt.Sprintf("%d%s/%d", tt.Quantity, tt.Measure, tt.Entries)
		}
		want := map[string]string{"cartoon": "550幅/2", "warning_meeting": "5场/1", "wechat_post": "12篇/1", "banner": "0条/0",
			"briefing": "0场/0", "pledge": "0份/0", "other": "0次/0"}
		if fmt.Sprint(totals) != fmt.Sprint(want) {
			t.Fatalf("totals %v, want %v", totals, want)
		}
		_, body := s.call(s.login("discipline"), "GET", "/discipline", nil, nil)
		if !bytes.Contains(body, []byte("550")) {
			t.Fatal("page does not show the total")
		}
	})
}
