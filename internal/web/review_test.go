package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

func reviewTestID(n int) string {
	first := fmt.Sprintf("99010119850301%03d", 700+n)
	return first + string(idcard.CheckDigit(first))
}

type reviewQueueItem struct {
	ID       int64  `json:"id"`
	DocNo    string `json:"doc_no"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Overdue  bool   `json:"overdue"`
	Answer   *struct {
		Verdict string `json:"verdict"`
	} `json:"answer"`
}

type queueJSON struct {
	Items []reviewQueueItem `json:"items"`
	Total int               `json:"total"`
}

// TestJointReview walks the joint review through the real server: a round,
// the department queues and their walls, answers and their validation, the
// Excel round trip, overdue requests and the miss report.
func TestJointReview(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		st.SetClock(func() time.Time { return time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC) })
		s := newSite(t, st)
		zone := st.Zone(store.System)
		names := []string{"联审甲", "联审乙"}
		var ids []int64
		var err error
		err = zone.Write(ctx, func(tx *store.Tx) error {
			items := make([]vetting.Aspirant, len(names))
			for i, n := range names {
				items[i] = vetting.Aspirant{OrgCode: "QS-01-001", Name: n, IDNumber: reviewTestID(i), Phone: "13912345678",
					Party: vetting.Masses, Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember, Education: vetting.Bachelor}
			}
			ids, err = tx.ImportAspirants(ctx, items)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		startable := 0
		for _, status := range vetting.Statuses {
			if status.CanStartRound(vetting.FirstRound) {
				n, err := zone.CountAspirants(ctx, store.AspirantFilter{Status: status})
				if err != nil {
					t.Fatal(err)
				}
				startable += n
			}
		}
		admin := map[string]string{"Authorization": "Bearer " + s.token("admin")}
		gaj := map[string]string{"Authorization": "Bearer " + s.token("reviewer-gaj")}
		mzj := map[string]string{"Authorization": "Bearer " + s.token("reviewer-mzj")}

		res, body := s.call(nil, "POST", "/api/v1/review-rounds", map[string]string{"kind": "second", "doc_no": "文", "date": "2026-11-01", "deadline": "2026-11-10"}, admin)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		res, body = s.call(nil, "POST", "/api/v1/review-rounds", map[string]string{"kind": "first", "doc_no": "开发区换届办〔2026〕3号", "date": "2026-11-01", "deadline": "2026-11-10"}, admin)
		var started struct{ ID, Requests, Aspirants int }
		if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &started) != nil {
			t.Fatalf("start round: %d %s", res.StatusCode, body)
		}
		if started.Aspirants != startable || started.Requests != 20*startable {
			t.Fatalf("started %+v, want %d aspirants × 20 departments", started, startable)
		}

		// Each department sees its own queue, with full ID numbers.
		queue := func(h map[string]string, query string) queueJSON {
			t.Helper()
			res, body := s.call(nil, "GET", "/api/v1/review-requests"+query, nil, h)
			var q queueJSON
			if res.StatusCode != http.StatusOK || json.Unmarshal(body, &q) != nil {
				t.Fatalf("queue: %d %s", res.StatusCode, body)
			}
			return q
		}
		find := func(q queueJSON, name string) int64 {
			for _, it := range q.Items {
				if it.Name == name {
					return it.ID
				}
			}
			t.Fatalf("%s not in queue", name)
			return 0
		}
		gq, mq := queue(gaj, "?status=open&limit=1000"), queue(mzj, "?status=open&limit=1000")
		if gq.Total != startable || len(gq.Items) != startable || mq.Total != startable {
			t.Fatalf("queues: gaj %d/%d mzj %d, want %d", gq.Total, len(gq.Items), mq.Total, startable)
		}
		gajA, mzjA, mzjB := find(gq, names[0]), find(mq, names[0]), find(mq, names[1])
		for _, it := range gq.Items {
			if it.ID == mzjA || it.ID == mzjB {
				t.Fatal("gaj's queue holds a request of mzj")
			}
			if it.Name == names[0] && (it.IDNumber != reviewTestID(0) || !it.Overdue || it.DocNo != "开发区换届办〔2026〕3号") {
				t.Fatalf("gaj item %+v", it)
			}
		}
		// Another department's request is not found, on the API and the pages.
		res, body = s.call(nil, "GET", fmt.Sprintf("/api/v1/review-requests/%d", mzjA), nil, gaj)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", mzjA), map[string]any{"verdict": "clean"}, gaj)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		browser := s.login("reviewer-gaj")
		if res, _ := s.call(browser, "GET", fmt.Sprintf("/review/requests/%d", mzjA), nil, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("gaj page of mzj request: %d", res.StatusCode)
		}
		res, body = s.call(browser, "GET", "/review/queue", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), reviewTestID(0)) || !strings.Contains(string(body), "公安局") {
			t.Fatalf("queue page: %d", res.StatusCode)
		}
		// An admin cannot answer for a department.
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", gajA), map[string]any{"verdict": "clean"}, admin)
		wantError(t, res, body, http.StatusForbidden, "forbidden")
		// Bad answers: 422 in Chinese.
		for _, bad := range []map[string]any{
			{"verdict": "findings", "conditions": []string{}},
			{"verdict": "clean", "conditions": []string{"criminal"}},
			{"verdict": "findings", "conditions": []string{"not_voter"}},
			{"verdict": "maybe"},
		} {
			res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", gajA), bad, gaj)
			wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		}
		// The page form refuses the same with the message on the page.
		res, body = s.call(browser, "POST", fmt.Sprintf("/review/requests/%d/answer", gajA), "verdict=findings", nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "至少勾选一项") {
			t.Fatalf("form answer: %d", res.StatusCode)
		}
		// gaj answers A clean through the form; the other departments through the store.
		res, _ = s.call(browser, "POST", fmt.Sprintf("/review/requests/%d/answer", gajA), "verdict=clean&note=%E6%97%A0", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form answer: %d", res.StatusCode)
		}
		answerRest := func(aspirant int64, skip ...string) {
			t.Helper()
			ds, _ := zone.ReviewDepartments(ctx)
			for _, d := range ds {
				if slices.Contains(skip, d.Code) {
					continue
				}
				err := zone.AsDepartment(d.Code).Write(ctx, func(tx *store.Tx) error {
					items, err := tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: 10000})
					if err != nil {
						return err
					}
					for _, it := range items {
						if it.AspirantID == aspirant {
							if _, err := tx.AnswerReview(ctx, it.ID, vetting.Answer{Verdict: vetting.Clean}); err != nil {
								return err
							}
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		answerRest(ids[0], "gaj")
		a, err := zone.Aspirant(ctx, ids[0])
		if err != nil || a.Status != vetting.Reviewed || !a.Reviewed {
			t.Fatalf("A after every answer: %v %v", a.Status, err)
		}

		// Excel: mzj exports its open queue, answers B with findings but no
		// condition and a foreign id: nothing applied, both reported.
		res, raw := s.call(nil, "GET", "/review/queue.xlsx", nil, mzj)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("export: %d %s", res.StatusCode, raw)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("联审任务")
		rowB := 0
		for i, r := range rows {
			if len(r) > 1 && r[1] == names[1] {
				rowB = i + 1
			}
		}
		if rowB == 0 || len(rows) != mq.Total { // header + open requests (A's mzj request is answered)
			t.Fatalf("export rows %d, B at %d", len(rows), rowB)
		}
		f.SetCellValue("联审任务", fmt.Sprintf("G%d", rowB), "有问题")
		f.SetCellValue("联审任务", fmt.Sprintf("A%d", len(rows)+1), gajA)
		f.SetCellValue("联审任务", fmt.Sprintf("G%d", len(rows)+1), "无异常")
		var bad bytes.Buffer
		f.WriteTo(&bad)
		res, body = s.postFile(s.login("reviewer-mzj"), "/api/v1/review-requests/import", nil, "file", "q.xlsx", bad.Bytes())
		var report struct {
			Rows []struct {
				Row    int    `json:"row"`
				Reason string `json:"reason"`
			} `json:"rows"`
		}
		if res.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(body, &report) != nil || len(report.Rows) != 2 {
			t.Fatalf("bad import: %d %s", res.StatusCode, body)
		}
		if q := queue(mzj, "?status=answered&limit=1000"); slices.ContainsFunc(q.Items, func(it reviewQueueItem) bool {
			return it.ID == mzjB
		}) {
			t.Fatal("a bad file applied an answer")
		}
		mzjBrowser := s.login("reviewer-mzj")
		res, body = s.postFile(mzjBrowser, "/review/queue/import", nil, "file", "q.xlsx", bad.Bytes())
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "不是本部门") || !strings.Contains(string(body), "annotated.xlsx") {
			t.Fatalf("bad import page: %d", res.StatusCode)
		}
		f.SetCellValue("联审任务", fmt.Sprintf("H%d", rowB), "不具有本村(社区)选民资格")
		f.RemoveRow("联审任务", len(rows)+1)
		var good bytes.Buffer
		f.WriteTo(&good)
		res, body = s.postFile(mzjBrowser, "/api/v1/review-requests/import", nil, "file", "q.xlsx", good.Bytes())
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"applied":1`) {
			t.Fatalf("good import: %d %s", res.StatusCode, body)
		}
		if b, _ := zone.Aspirant(ctx, ids[1]); !b.Findings {
			t.Fatal("B's findings not recorded")
		}

		// Overdue: every open request is past 2026-11-10 (today 2026-11-27).
		var overdue struct {
			Departments []struct {
				Code    string `json:"code"`
				Overdue int    `json:"overdue"`
				Open    int    `json:"open"`
			} `json:"departments"`
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		res, body = s.call(nil, "GET", "/api/v1/review-requests/overdue", nil, admin)
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &overdue) != nil || len(overdue.Departments) != 20 {
			t.Fatalf("overdue: %d %s", res.StatusCode, body)
		}
		for _, d := range overdue.Departments {
			want := startable - 1 // A is answered everywhere
			if d.Code == "mzj" {
				want-- // and B by mzj
			}
			if d.Overdue != want || d.Open != want {
				t.Fatalf("overdue of %s: %+v, want %d", d.Code, d, want)
			}
		}
		if !slices.ContainsFunc(overdue.Items, func(it struct {
			ID int64 `json:"id"`
		}) bool {
			return it.ID == find(gq, names[1])
		}) {
			t.Fatal("B's gaj request is not listed overdue")
		}
		if res, body := s.call(s.login("admin"), "GET", "/review/overdue", nil, nil); res.StatusCode != http.StatusOK || !strings.Contains(string(body), "公安局") {
			t.Fatalf("overdue page: %d", res.StatusCode)
		}

		// A second round: gaj now finds a criminal record it answered clean
		// in the first. The miss report names it.
		res, body = s.call(nil, "POST", "/api/v1/review-rounds", map[string]string{"kind": "second", "doc_no": "开发区换届办〔2026〕9号", "date": "2026-11-20", "deadline": "2026-11-30"}, admin)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("second round: %d %s", res.StatusCode, body)
		}
		var second int64
		for _, it := range queue(gaj, "?status=open&limit=1000").Items {
			if it.Name == names[0] && it.DocNo == "开发区换届办〔2026〕9号" {
				second = it.ID
			}
		}
		res, body = s.call(nil, "POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", second),
			map[string]any{"verdict": "findings", "conditions": []string{"criminal"}, "note": "2019年因盗窃罪被判处有期徒刑"}, gaj)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("second answer: %d %s", res.StatusCode, body)
		}
		var misses struct {
			Items []struct {
				Aspirant, Department, Condition string
				MissedDocNo                     string `json:"missed_doc_no"`
				DepartmentName                  string `json:"department_name"`
			} `json:"items"`
		}
		res, body = s.call(nil, "GET", "/api/v1/review/misses", nil, admin)
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &misses) != nil {
			t.Fatalf("misses: %d %s", res.StatusCode, body)
		}
		found := false
		for _, m := range misses.Items {
			if m.Aspirant == names[0] && m.Department == "gaj" && m.Condition == "criminal" && m.MissedDocNo == "开发区换届办〔2026〕3号" && m.DepartmentName == "公安局" {
				found = true
			}
		}
		if !found {
			t.Fatalf("miss report %s lacks A's criminal record", body)
		}
		if res, body := s.call(s.login("admin"), "GET", "/review/misses", nil, nil); res.StatusCode != http.StatusOK || !strings.Contains(string(body), names[0]) {
			t.Fatalf("misses page: %d", res.StatusCode)
		}
		res, body = s.call(s.login("admin"), "GET", "/review", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "开发区换届办〔2026〕9号") {
			t.Fatalf("rounds page: %d", res.StatusCode)
		}

		// Late registrations are sent alone: by the API's aspirant_ids and by
		// the form on the aspirant's page, which only reviewers' managers see.
		var late []int64
		err = zone.Write(ctx, func(tx *store.Tx) error {
			late, err = tx.ImportAspirants(ctx, []vetting.Aspirant{
				{OrgCode: "QS-01-001", Name: "补充丙", IDNumber: reviewTestID(10), Phone: "13912345678", Party: vetting.Masses,
					Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember, Education: vetting.Bachelor},
				{OrgCode: "QS-01-001", Name: "补充丁", IDNumber: reviewTestID(11), Phone: "13912345678", Party: vetting.Masses,
					Committee: org.ResidentsCommittee, Post: vetting.CommitteeMember, Education: vetting.Bachelor}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		res, body = s.call(nil, "POST", "/api/v1/review-rounds", map[string]any{"kind": "first", "doc_no": "补充1号", "date": "2026-11-27",
			"deadline": "2026-12-04", "aspirant_ids": []int64{late[0]}}, admin)
		if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &started) != nil || started.Aspirants != 1 || started.Requests != 20 {
			t.Fatalf("round for one aspirant: %d %s", res.StatusCode, body)
		}
		page := "/aspirants/" + strconv.FormatInt(late[1], 10)
		if res, body := s.call(s.login("admin"), "GET", page, nil, nil); res.StatusCode != http.StatusOK ||
			!strings.Contains(string(body), `data-testid="send-one-form"`) || !strings.Contains(string(body), `<option value="first">联审</option>`) {
			t.Fatalf("aspirant page of a late registration: %d, no form to send it alone", res.StatusCode)
		}
		if _, body := s.call(s.login("reviewer-gaj"), "GET", page, nil, nil); strings.Contains(string(body), `send-one-form`) {
			t.Fatal("a department sees the form to start a round")
		}
		res, body = s.call(s.login("admin"), "POST", "/review/rounds", "kind=first&doc_no=补充2号&date=2026-11-27&deadline=&aspirant_ids="+
			strconv.FormatInt(late[1], 10), nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `send-one-form`) || !strings.Contains(string(body), "答复期限") {
			t.Fatalf("send one without a deadline: %d, want its page with the message", res.StatusCode)
		}
		res, _ = s.call(s.login("admin"), "POST", "/review/rounds", "kind=first&doc_no=补充2号&date=2026-11-27&deadline=2026-12-04&aspirant_ids="+
			strconv.FormatInt(late[1], 10), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
			t.Fatalf("send one from its page: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		for _, id := range late {
			if a, err := zone.Aspirant(ctx, id); err != nil || a.Status != vetting.UnderReview {
				t.Fatalf("late aspirant %d: %v %v", id, a.Status, err)
			}
		}
		var rounds struct {
			Items []struct {
				DocNo     string `json:"doc_no"`
				Aspirants int
			}
		}
		if res, body := s.call(nil, "GET", "/api/v1/review-rounds", nil, admin); res.StatusCode != http.StatusOK || json.Unmarshal(body, &rounds) != nil ||
			len(rounds.Items) == 0 || rounds.Items[len(rounds.Items)-1].DocNo != "补充2号" || rounds.Items[len(rounds.Items)-1].Aspirants != 1 {
			t.Fatalf("the form's round: %s", body)
		}
	})
}
