package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
)

type visitJSON struct {
	ID       int64  `json:"id"`
	ClientID string `json:"client_id"`
	Target   string `json:"target"`
	Problems []struct {
		LedgerItem   int64  `json:"ledger_item"`
		LedgerStatus string `json:"ledger_status"`
	} `json:"problems"`
}

type coverageJSON struct {
	Total struct {
		Households int `json:"households"`
		Reached    int `json:"reached"`
	} `json:"total"`
	Rows []struct {
		Community  string `json:"community"`
		Households int    `json:"households"`
		Reached    int    `json:"reached"`
		Percent    int    `json:"percent"`
		Below      bool   `json:"below"`
		TalksOwed  int    `json:"talks_owed"`
	} `json:"communities"`
	Count int `json:"count"`
}

// The visits through the real server: the round's dates set by the office;
// households registered by a community's staff (phones masked in the
// answer), a refused household form coming back marked, an import refused
// whole with its bad rows and then taken; POST /api/v1/visits answering 201
// and the same body for the same client id, a conflict for another visit
// under it, refusals on their field in Chinese; a district's account
// finds another district's community and household not found; coverage
// from the API and its page listing the community below target with its
// unreached households; the visit's page showing its problem's ledger
// state; the page's form recording a visit.
func TestVisits(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		s.st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		const code, other = "QS-01-001", "QS-02-001"
		admin, staff, district := bearer(s, "admin"), bearer(s, "community1"), bearer(s, "district1")
		call := caller(t, s)
		call(admin, "PUT", "/api/v1/visits/campaigns/before", map[string]any{"starts_on": "2026-10-01", "ends_on": "2026-11-30",
			"household_percent": 70, "talk_all": true}, http.StatusOK)
		call(district, "PUT", "/api/v1/visits/campaigns/before", map[string]any{"household_percent": 10}, http.StatusForbidden)

		// The register.
		var ids []int64
		for i := range 4 {
			var h struct {
				ID    int64  `json:"id"`
				Phone string `json:"phone"`
			}
			raw := call(staff, "POST", "/api/v1/communities/"+code+"/households", map[string]any{"address": fmt.Sprintf("8号楼%d01", i+1),
				"head": fmt.Sprintf("户主%d", i), "size": 3, "phone": "13800001234", "group": "第一网格"}, http.StatusCreated)
			if err := json.Unmarshal([]byte(raw), &h); err != nil || h.Phone == "13800001234" || !strings.HasSuffix(h.Phone, "1234") {
				t.Fatalf("household answered %s", raw)
			}
			ids = append(ids, h.ID)
		}
		browser := s.login("community1")
		s.refusedForm(browser, "/communities/"+code+"/households", url.Values{"address": {"9号楼101"}, "head": {"张三"}, "size": {"0"}},
			http.StatusUnprocessableEntity, "size")
		bad := [][]any{{"9号楼101", "甲", 2, "", ""}, {"8号楼101", "乙", 2, "", ""}, {"9号楼102", "丙", "两", "", ""}}
		res, body := s.postFile(browser, "/communities/"+code+"/households/import", nil, "file", "户.xlsx",
			registerFile(t, s, browser, code, "households", "走访户名单", bad))
		page := string(body)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "未导入任何走访户") || !strings.Contains(page, "已登记") ||
			!strings.Contains(page, "人口应为1到30的整数") {
			t.Fatalf("a bad import: %d %s", res.StatusCode, page)
		}
		if tok := regexp.MustCompile(`/visits/import/[^/]+/annotated\.xlsx`).FindString(page); tok == "" {
			t.Error("no annotated workbook offered")
		} else if res, _ := s.call(browser, "GET", tok, nil, nil); res.StatusCode != http.StatusOK {
			t.Errorf("annotated workbook: %d", res.StatusCode)
		}
		res, body = postFileBearer(t, s, "community1", "/api/v1/communities/"+code+"/households/import",
			registerFile(t, s, browser, code, "households", "走访户名单", bad[:1]))
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"applied":1`) {
			t.Fatalf("import: %d %s", res.StatusCode, body)
		}
		// Another district's household.
		var far struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal([]byte(call(admin, "POST", "/api/v1/communities/"+other+"/households",
			map[string]any{"address": "远处1号", "head": "王五", "size": 1}, http.StatusCreated)), &far)

		// POST /api/v1/visits: idempotent by the client's id.
		v := map[string]any{"client_id": "3f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f", "community": code, "round": "before",
			"household_id": ids[0], "visitors": []string{"调研员甲", "调研员乙"}, "visited_on": "2026-10-19", "method": "door",
			"committee_opinions": "班子团结", "problems": []map[string]any{{"category": "property", "urgency": "urgent", "text": "电梯停运",
				"follow_up": true, "owner": "物业专员", "due": "2026-11-01"}}}
		first := call(staff, "POST", "/api/v1/visits", v, http.StatusCreated)
		again := call(staff, "POST", "/api/v1/visits", v, http.StatusCreated)
		if first != again {
			t.Errorf("the same visit posted twice answered differently:\n%s\n%s", first, again)
		}
		var got visitJSON
		if err := json.Unmarshal([]byte(first), &got); err != nil || got.ID == 0 || len(got.Problems) != 1 ||
			got.Problems[0].LedgerItem == 0 || got.Problems[0].LedgerStatus != "open" || got.Target != "8号楼101" {
			t.Fatalf("recorded: %s", first)
		}
		v2 := map[string]any{}
		for k, x := range v {
			v2[k] = x
		}
		v2["household_id"] = ids[1]
		if raw := call(staff, "POST", "/api/v1/visits", v2, http.StatusConflict); !strings.Contains(raw, `"field":"client_id"`) {
			t.Errorf("another visit under a used client id: %s", raw)
		}
		v2["client_id"], v2["round"] = "4f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f", "sometime"
		if raw := call(staff, "POST", "/api/v1/visits", v2, http.StatusUnprocessableEntity); !strings.Contains(raw, `"field":"round"`) {
			t.Errorf("a bad round: %s", raw)
		}
		v2["round"], v2["proposals"] = "before", "建议"
		if raw := call(staff, "POST", "/api/v1/visits", v2, http.StatusUnprocessableEntity); !strings.Contains(raw, `"field":"proposals"`) ||
			!strings.Contains(raw, "只在选举后的走访中填写") {
			t.Errorf("a proposal before the election: %s", raw)
		}
		delete(v2, "proposals")
		v2["community"] = other
		call(district, "POST", "/api/v1/visits", v2, http.StatusNotFound)
		v2["community"], v2["household_id"] = code, far.ID
		if raw := call(district, "POST", "/api/v1/visits", v2, http.StatusUnprocessableEntity); !strings.Contains(raw, `"field":"household_id"`) {
			t.Errorf("another district's household: %s", raw)
		}
		call(district, "GET", "/api/v1/communities/"+other+"/households", nil, http.StatusNotFound)
		call(district, "GET", fmt.Sprintf("/api/v1/visits/%d", got.ID), nil, http.StatusOK)
		farStaff := s.addAccount(t, map[string]string{"username": "staff-qs02", "role": "community", "scope": other})
		call(farStaff, "GET", fmt.Sprintf("/api/v1/visits/%d", got.ID), nil, http.StatusNotFound)
		call(farStaff, "GET", "/api/v1/communities/"+code+"/unreached?round=before", nil, http.StatusNotFound)

		// The page's form: a visit to a household chosen from the list.
		form := url.Values{"client_id": {"5f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f"}, "round": {"before"}, "target": {fmt.Sprintf("h:%d", ids[1])},
			"visitors": {"甲、乙"}, "visited_on": {"2026-10-20"}, "method": {"phone"}}
		res, _ = s.call(browser, "POST", "/communities/"+code+"/visits", form.Encode(), nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/visits/") {
			t.Fatalf("the visit form: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		form.Set("client_id", "6f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f")
		form.Set("visited_on", "2026-10-21")
		form.Set("target", fmt.Sprintf("h:%d", ids[2]))
		s.refusedForm(browser, "/communities/"+code+"/visits", form, http.StatusUnprocessableEntity, "visited_on")

		// Coverage: 2 of 5 households, below 70%.
		var cov coverageJSON
		if err := json.Unmarshal([]byte(call(admin, "GET", "/api/v1/coverage?round=before&below=1&limit=500", nil, http.StatusOK)), &cov); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range cov.Rows {
			if r.Community == code {
				found = r.Households == 5 && r.Reached == 2 && r.Percent == 40 && r.Below
			}
		}
		if !found || cov.Total.Reached != 2 {
			t.Errorf("coverage: %+v", cov)
		}
		call(admin, "GET", "/api/v1/coverage?round=never", nil, http.StatusUnprocessableEntity)
		page = s.page(s.login("leader"), "/visits/coverage?round=before&below=1")
		if !strings.Contains(page, "未达目标") || !strings.Contains(page, "/communities/"+code+"/visits?round=before") {
			t.Errorf("the coverage page lacks the community below target")
		}
		page = s.page(browser, "/communities/"+code+"/visits?round=before")
		if !strings.Contains(page, "8号楼301") || !strings.Contains(page, "尚未走访的住户") || strings.Contains(page, "13800001234") {
			t.Errorf("the community's page: unreached households or masking")
		}
		page = s.page(browser, fmt.Sprintf("/visits/%d", got.ID))
		if !strings.Contains(page, "电梯停运") || !strings.Contains(page, "待办") {
			t.Errorf("the visit's page lacks its problem's ledger state")
		}
	})
}

// TestVisitsOffline checks the server's side of offline entry (issue 16,
// point 5): the service worker served at the root, revalidated and under the
// page's CSP; the visits page carrying the script and the form's data; the
// queue's page; and a visit posted by address, as a phone's queue sends a
// household typed in, stored once under its client id.
func TestVisitsOffline(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		s.st.SetClock(func() time.Time { return time.Date(2026, 10, 20, 9, 0, 0, 0, civil.Zone) })
		const code = "QS-01-001"
		staff := bearer(s, "community1")
		res, raw := s.call(nil, "GET", "/sw.js", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") ||
			res.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(string(raw), "addEventListener(\"fetch\"") ||
			!strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Fatalf("/sw.js: %d %v %.80s", res.StatusCode, res.Header, raw)
		}
		if res, _ := s.call(nil, "GET", "/static/visits-offline.js", nil, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("visits-offline.js: %d", res.StatusCode)
		}
		browser := s.login("community1")
		page := s.page(browser, "/communities/"+code+"/visits?round=before")
		for _, want := range []string{`<script src="/static/visits-offline.js" defer></script>`, `data-offline`, `data-community="` + code + `"`, `href="/visits/outbox"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the visits page lacks %s", want)
			}
		}
		if strings.Contains(page, "<script>") {
			t.Error("the visits page has an inline script")
		}
		if page := s.page(browser, "/visits/outbox"); !strings.Contains(page, `data-testid="outbox"`) || !strings.Contains(page, "/static/visits-offline.js") {
			t.Errorf("the queue's page: %.300s", page)
		}
		res, raw = s.call(nil, "POST", "/api/v1/communities/"+code+"/households", map[string]any{"address": "离线1号", "head": "赵六", "size": 2}, staff)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("household: %d %s", res.StatusCode, raw)
		}
		v := map[string]any{"client_id": "5f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f", "community": code, "round": "before",
			"address": " 离线1号 ", "visitors": []string{"走访员"}, "visited_on": "2026-10-19", "method": "door"}
		var bodies []string
		for range 2 {
			res, raw := s.call(nil, "POST", "/api/v1/visits", v, staff)
			if res.StatusCode != http.StatusCreated || !strings.Contains(string(raw), "离线1号") {
				t.Fatalf("a visit by address: %d %s", res.StatusCode, raw)
			}
			bodies = append(bodies, string(raw))
		}
		if bodies[0] != bodies[1] {
			t.Errorf("the same client id twice answered differently:\n%s\n%s", bodies[0], bodies[1])
		}
		v["client_id"], v["address"] = "6f0c6a52-1b7e-4c1a-9e55-0a1b2c3d4e5f", "不存在的住址"
		if res, raw := s.call(nil, "POST", "/api/v1/visits", v, staff); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `"field":"address"`) {
			t.Errorf("an unknown address: %d %s", res.StatusCode, raw)
		}
	})
}
