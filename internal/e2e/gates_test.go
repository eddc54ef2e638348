package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// gatesRuns numbers the runs of TestGatesRegisterReviewTipDecide in this
// process (go test -count=N shares one site): each run registers a person
// of its own and names its accounts and documents apart.
var gatesRuns atomic.Int32

// gatesCommunity is where the test registers its aspirant: neither
// QS-01-001 nor QS-02-001, which other tests use.
const gatesCommunity = "QS-03-002"

// gatesPassword is the password of the accounts the test creates.
const gatesPassword = "gates-e2e-password-2026"

// gatesAspirant is the part of an aspirant of the API the test reads.
type gatesAspirant struct {
	ID        int64          `json:"id"`
	Community string         `json:"community"`
	Name      string         `json:"name"`
	IDNumber  string         `json:"id_number"`
	Sex       string         `json:"sex"`
	Age       int            `json:"age"`
	Status    vetting.Status `json:"status"`
	Reviewed  bool           `json:"reviewed"`
}

type gatesAspirants struct {
	Items []gatesAspirant `json:"items"`
	Total int             `json:"total"`
}

type gatesRound struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	DocNo     string `json:"doc_no"`
	Date      string `json:"date"`
	Deadline  string `json:"deadline"`
	Requests  int    `json:"requests"`
	Answered  int    `json:"answered"`
	Aspirants int    `json:"aspirants"`
}

type gatesRequest struct {
	ID     int64  `json:"id"`
	DocNo  string `json:"doc_no"`
	Name   string `json:"name"`
	Answer *struct {
		Verdict vetting.Verdict `json:"verdict"`
		By      string          `json:"by"`
	} `json:"answer"`
}

// gatesReceipt is a tip's receipt code, e.g. 7K3QD-9XH2M-PV0TB-4R8WN.
var gatesReceipt = regexp.MustCompile(`^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$`)

// TestGatesRegisterReviewTipDecide walks the gates of discipline and
// qualification through the pages: the office registers an aspirant (a
// wrong check digit refused in Chinese, then a valid number whose sex and
// age are derived and whose number is shown masked), an office account of
// the aspirant's community starts a second joint review, the police
// bureau's reviewer answers the aspirant's request through the answer form
// (and cannot open another department's), the other departments answer
// through the API, a member of the public submits a tip on a phone without
// a session and reads its status with the receipt, and the party committee
// records the aspirant as qualified at a meeting of the second review.
// Finally the demo aspirants the round sent back under review are decided
// qualified again, as they were.
func TestGatesRegisterReviewTipDecide(t *testing.T) {
	s, tb := start(t)
	run := int(gatesRuns.Add(1))
	admin := s.account(t, "admin")
	communityName := s.unitName(t, gatesCommunity)
	now := time.Now().In(civil.Zone)
	today := now.Format("2006-01-02")

	// A person born in 1984, about half a year away from a birthday (so
	// that the age does not depend on the hour the test runs), in the demo
	// zone's region, with an odd sequence number (male) no demo aspirant has.
	birth := time.Date(1984, time.Month((int(now.Month())+5)%12+1), 15, 0, 0, 0, 0, time.UTC)
	first17 := fmt.Sprintf("990101%s%03d", birth.Format("20060102"), 997-2*(run-1))
	idNumber := first17 + string(idcard.CheckDigit(first17))
	badNumber := first17 + gatesWrongCheck(idcard.CheckDigit(first17))
	for _, a := range s.zone.Aspirants {
		if a.IDNumber == idNumber {
			t.Fatalf("demo aspirant %s already has the ID number %s", a.Name, idNumber)
		}
	}
	info, err := idcard.Parse(idNumber)
	if err != nil {
		t.Fatalf("the test's own ID number %s: %v", idNumber, err)
	}
	wantAge := info.AgeOn(now)
	masked := idNumber[:6] + "********" + idNumber[14:]
	name := fmt.Sprintf("联审测试人%d", run)
	docNo := fmt.Sprintf("青石开发区换届办〔2026〕E2E-%d号", run)

	// ---- 1. The office registers the aspirant. ----
	tb.open("/login")
	if resp := tb.login(admin.Username, admin.Password, click); resp.Status != http.StatusOK || tb.path() != "/" {
		t.Fatalf("admin login: status %d at %s, want 200 at /", resp.Status, tb.path())
	}
	listPath := "/api/v1/aspirants?community=" + gatesCommunity + "&limit=1000"
	before := classesFetch[gatesAspirants](tb, listPath)
	if before.Total == 0 || before.Total != len(before.Items) {
		t.Fatalf("%s: API lists %d of %d aspirants, want the demo's", gatesCommunity, len(before.Items), before.Total)
	}
	if resp := tb.open("/aspirants?community=" + gatesCommunity); resp.Status != http.StatusOK {
		t.Fatalf("/aspirants: status %d, want 200", resp.Status)
	}
	form := `form[data-testid=aspirant-form]`
	fill := func(number string) {
		t.Helper()
		tb.do("fill the aspirant form",
			chromedp.SetValue(chromedp.CSS(form+` select[name=community]`), gatesCommunity),
			chromedp.SetValue(chromedp.CSS(form+` input[name=name]`), name),
			chromedp.SetValue(chromedp.CSS(form+` input[name=phone]`), "13912340997"),
			chromedp.SetValue(chromedp.CSS(form+` input[name=ethnicity]`), "汉族"),
			chromedp.SetValue(chromedp.CSS(form+` select[name=party]`), string(vetting.Masses)),
			chromedp.SetValue(chromedp.CSS(form+` select[name=committee]`), string(org.ResidentsCommittee)),
			chromedp.SetValue(chromedp.CSS(form+` select[name=post]`), string(vetting.DeputyDirector)),
			chromedp.SetValue(chromedp.CSS(form+` select[name=education]`), string(vetting.Bachelor)),
			chromedp.SetValue(chromedp.CSS(form+` input[name=current_post]`), "社区网格员"),
			chromedp.Clear(chromedp.CSS(form+` input[name=id_number]`)),
			chromedp.SendKeys(chromedp.CSS(form+` input[name=id_number]`), number),
		)
	}

	// A wrong check digit: refused in Chinese, nothing registered, the
	// number not echoed back.
	fill(badNumber)
	resp := tb.follow("submit the aspirant form with a wrong check digit", chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	if resp.Status != http.StatusUnprocessableEntity || tb.path() != "/aspirants" {
		t.Errorf("wrong check digit: status %d at %s, want 422 at /aspirants", resp.Status, tb.path())
	}
	if got := tb.text(`[data-testid=form-error]`); !strings.Contains(got, "校验位") || !strings.Contains(got, "身份证号码") {
		t.Errorf("wrong check digit: error %q, want a Chinese message on the ID number's 校验位", got)
	}
	if html := eval[string](tb, `document.documentElement.outerHTML`); strings.Contains(html, badNumber) {
		t.Errorf("the refused ID number %s is echoed back in the page", badNumber)
	}
	if got := eval[string](tb, `document.querySelector('`+form+` input[name=name]').value`); got != name {
		t.Errorf("after the refusal the name field holds %q, want %q kept", got, name)
	}
	if got := eval[string](tb, `document.querySelector('`+form+` select[name=community]').value`); got != gatesCommunity {
		t.Errorf("after the refusal the community is %q, want %s kept", got, gatesCommunity)
	}
	if after := classesFetch[gatesAspirants](tb, listPath); after.Total != before.Total ||
		slices.ContainsFunc(after.Items, func(a gatesAspirant) bool { return a.Name == name }) {
		t.Fatalf("after a refused registration %s has %d aspirants (was %d), or one named %s", gatesCommunity, after.Total, before.Total, name)
	}

	// A valid number: registered, shown with the derived sex and age and the
	// number masked.
	fill(idNumber)
	resp = tb.follow("submit the aspirant form", chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	m := regexp.MustCompile(`^/aspirants/(\d+)$`).FindStringSubmatch(tb.path())
	if resp.Status != http.StatusOK || m == nil {
		t.Fatalf("registration: status %d at %s, want 200 at /aspirants/{id}", resp.Status, tb.path())
	}
	aspirantID, _ := strconv.ParseInt(m[1], 10, 64)
	if h1 := tb.text(`main h1`); !strings.Contains(h1, name) || !strings.Contains(h1, communityName) {
		t.Errorf("aspirant page heading %q, want %s and %s", h1, name, communityName)
	}
	if got := tb.text(`[data-testid=sex]`); got != "男" {
		t.Errorf("sex %q, want 男 (sequence digit %c is odd)", got, idNumber[16])
	}
	if got := tb.text(`[data-testid=age]`); got != strconv.Itoa(wantAge) {
		t.Errorf("age %q, want %d (born %s)", got, wantAge, birth.Format("2006-01-02"))
	}
	if got := tb.text(`[data-testid=id-number]`); got != masked || !strings.Contains(got, "********") {
		t.Errorf("ID number shown as %q, want it masked as %s", got, masked)
	}
	if got := tb.text(`[data-testid=status]`); got != "已登记" {
		t.Errorf("status %q, want 已登记", got)
	}
	if html := eval[string](tb, `document.documentElement.outerHTML`); strings.Contains(html, idNumber) {
		t.Errorf("the aspirant page holds the full ID number %s", idNumber)
	}
	got := gatesFetchAspirant(tb, aspirantID)
	if got.Name != name || got.Community != gatesCommunity || got.IDNumber != masked || got.Sex != "男" ||
		got.Age != wantAge || got.Status != vetting.Registered {
		t.Errorf("GET /api/v1/aspirants/%d: %+v, want %s of %s, %s, 男, %d, registered", aspirantID, got, name, gatesCommunity, masked, wantAge)
	}
	if resp := tb.open("/aspirants?community=" + gatesCommunity); resp.Status != http.StatusOK {
		t.Fatalf("/aspirants: status %d", resp.Status)
	}
	row := eval[[]string](tb, fmt.Sprintf(`Array.from(document.querySelector('[data-testid=aspirants] tr[data-id="%d"]')?.cells ?? [], c => c.innerText.trim())`, aspirantID))
	if len(row) != 8 || row[0] != name || row[2] != "男" || row[4] != masked || row[7] != "已登记" {
		t.Errorf("aspirant list row %q, want %s, 男, %s, 已登记", row, name, masked)
	}
	if text := tb.text(`[data-testid=aspirants]`); fullID.MatchString(text) {
		t.Errorf("aspirant list shows a full ID number %s", fullID.FindString(text))
	}

	// The office of the community: an admin account scoped to it, so that
	// the round sends only this community's aspirants, not the whole zone's.
	office := fmt.Sprintf("gates-office-%d", run)
	if resp := tb.open("/users"); resp.Status != http.StatusOK {
		t.Fatalf("/users: status %d", resp.Status)
	}
	uform := `form[action="/users"]`
	tb.do("fill the new account form",
		chromedp.SendKeys(chromedp.CSS(uform+` input[name=username]`), office),
		chromedp.SendKeys(chromedp.CSS(uform+` input[name=display_name]`), "社区换届办(测试)"),
		chromedp.SetValue(chromedp.CSS(uform+` select[name=role]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(uform+` input[name=scope]`), gatesCommunity),
		chromedp.SendKeys(chromedp.CSS(uform+` input[name=password]`), gatesPassword),
	)
	resp = tb.follow("submit the new account form", chromedp.Click(chromedp.CSS(uform+` button[type=submit]`)))
	if resp.Status != http.StatusOK {
		t.Fatalf("new account %s: status %d, want 200", office, resp.Status)
	}
	if got := tb.text(`[data-testid=notice]`); tb.path() != "/users/"+office || !strings.Contains(got, "账号已新建") {
		t.Fatalf("new account %s: at %s, message %q", office, tb.path(), got)
	}
	gatesLogout(tb)

	// ---- 2. The community's office starts a second joint review. ----
	if resp := tb.login(office, gatesPassword, click); resp.Status != http.StatusOK || tb.path() != "/" {
		t.Fatalf("%s login: status %d at %s, want 200 at /", office, resp.Status, tb.path())
	}
	if got := tb.text(`[data-testid=current-user]`); !strings.Contains(got, communityName) {
		t.Errorf("current user %q, want the scope %s", got, communityName)
	}
	depts := classesFetch[struct {
		Items []struct {
			Code      string   `json:"code"`
			Name      string   `json:"name"`
			Checklist []string `json:"checklist"`
		} `json:"items"`
	}](tb, "/api/v1/review/departments").Items
	if len(depts) != 20 {
		t.Fatalf("%d vetting departments, want the default 20", len(depts))
	}
	for _, d := range depts {
		if len(d.Checklist) == 0 {
			t.Fatalf("department %s (%s) has no checklist: it would get no requests", d.Code, d.Name)
		}
	}
	// Sent: the new aspirant and every demo aspirant of the community whose
	// status allows a new round.
	var sent []gatesAspirant
	for _, a := range before.Items {
		if a.Status.CanStartRound(vetting.SecondRound) {
			sent = append(sent, a)
		}
	}
	roundsBefore := classesFetch[struct{ Items []gatesRound }](tb, "/api/v1/review-rounds").Items
	if resp := tb.open("/review"); resp.Status != http.StatusOK {
		t.Fatalf("/review: status %d", resp.Status)
	}
	rform := `form[data-testid=round-form]`
	if got := eval[string](tb, `document.querySelector('`+rform+` input[name=date]').value`); got != today {
		t.Errorf("round form date %q, want today %s", got, today)
	}
	deadline := now.AddDate(0, 0, 14).Format("2006-01-02")
	tb.do("fill the round form",
		chromedp.SetValue(chromedp.CSS(rform+` select[name=kind]`), string(vetting.SecondRound)),
		chromedp.SendKeys(chromedp.CSS(rform+` input[name=doc_no]`), docNo),
		chromedp.SetValue(chromedp.CSS(rform+` input[name=deadline]`), deadline),
	)
	resp = tb.follow("submit the round form", chromedp.Click(chromedp.CSS(rform+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != "/review" {
		t.Fatalf("start round: status %d at %s, want 200 at /review; error: %s", resp.Status, tb.path(),
			eval[string](tb, `document.querySelector('main .error')?.innerText ?? ''`))
	}
	wantAspirants := len(sent) + 1
	roundRows := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=rounds] tbody tr'), tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	if !slices.ContainsFunc(roundRows, func(r []string) bool {
		return len(r) == 6 && r[0] == "二次联审" && r[1] == docNo && r[2] == today && r[3] == deadline &&
			r[4] == strconv.Itoa(wantAspirants) && r[5] == fmt.Sprintf("0/%d", 20*wantAspirants)
	}) {
		t.Errorf("rounds table %q: no row 二次联审 %s %s %s with %d aspirants and 0/%d answered", roundRows, docNo, today, deadline, wantAspirants, 20*wantAspirants)
	}
	rounds := classesFetch[struct{ Items []gatesRound }](tb, "/api/v1/review-rounds").Items
	if len(rounds) != len(roundsBefore)+1 {
		t.Fatalf("%d rounds after starting one, want %d", len(rounds), len(roundsBefore)+1)
	}
	i := slices.IndexFunc(rounds, func(r gatesRound) bool { return r.DocNo == docNo })
	if i < 0 {
		t.Fatalf("GET /api/v1/review-rounds has no round %s: %+v", docNo, rounds)
	}
	round := rounds[i]
	if round.Kind != string(vetting.SecondRound) || round.Aspirants != wantAspirants || round.Requests != 20*wantAspirants || round.Answered != 0 {
		t.Fatalf("round %+v, want a second round of %d aspirants (the new one and %d of the demo's in %s) × 20 departments, none answered",
			round, wantAspirants, len(sent), gatesCommunity)
	}
	if got := gatesFetchAspirant(tb, aspirantID); got.Status != vetting.UnderReview {
		t.Errorf("aspirant %d after the round started: status %s, want under_review", aspirantID, got.Status)
	}
	gatesLogout(tb)

	// The mzj department's request on the new aspirant, to check that the
	// police bureau's reviewer cannot open it.
	mzj := s.account(t, "reviewer-mzj")
	mzjReq := gatesFind(t, gatesLogin(t, s.base, mzj.Username, mzj.Password), docNo, name)

	// ---- 3. The police bureau's reviewer answers through the pages. ----
	gaj := s.account(t, "reviewer-gaj")
	if resp := tb.login(gaj.Username, gaj.Password, click); resp.Status != http.StatusOK {
		t.Fatalf("reviewer-gaj login: status %d at %s", resp.Status, tb.path())
	}
	if got := tb.text(`[data-testid=current-user]`); !strings.Contains(got, "公安局") {
		t.Errorf("current user %q, want the department 公安局", got)
	}
	if resp := tb.open("/review/queue"); resp.Status != http.StatusOK {
		t.Fatalf("/review/queue: status %d", resp.Status)
	}
	type queueRow struct {
		ID    string
		Cells []string
	}
	queue := func() []queueRow {
		t.Helper()
		return eval[[]queueRow](tb, `Array.from(document.querySelectorAll('[data-testid=queue] tbody tr[data-id]'),
			tr => ({ID: tr.dataset.id, Cells: Array.from(tr.cells, c => c.innerText.trim())}))`)
	}
	rows := queue()
	// Columns: 编号 文号 姓名 性别 身份证号码 社区 截止日期 答复.
	j := slices.IndexFunc(rows, func(r queueRow) bool { return len(r.Cells) == 8 && r.Cells[2] == name && r.Cells[1] == docNo })
	if j < 0 {
		t.Fatalf("reviewer-gaj's open queue has no request on %s of %s: %q", name, docNo, rows)
	}
	if r := rows[j].Cells; r[3] != "男" || r[4] != idNumber || r[5] != communityName || r[6] != deadline {
		t.Errorf("queue row %q, want 男, the full ID number %s for the check, %s, %s", r, idNumber, communityName, deadline)
	}
	inRound := 0
	for _, r := range rows {
		if len(r.Cells) == 8 && r.Cells[1] == docNo {
			inRound++
		}
	}
	if inRound != wantAspirants {
		t.Errorf("reviewer-gaj's open queue has %d requests of %s, want one per aspirant: %d", inRound, docNo, wantAspirants)
	}
	reqID := rows[j].ID
	reqPath := "/review/requests/" + reqID
	resp = tb.follow("open the request", chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid=queue] tr[data-id=%q] a[href=%q]`, reqID, reqPath))))
	if resp.Status != http.StatusOK || tb.path() != reqPath {
		t.Fatalf("request %s: status %d at %s, want 200 at %s", reqID, resp.Status, tb.path(), reqPath)
	}
	if facts := tb.text(`main dl.facts`); !strings.Contains(facts, name) || !strings.Contains(facts, docNo) || strings.Contains(facts, "答复") {
		t.Errorf("request page facts %q, want %s and %s and no answer yet", facts, name, docNo)
	}
	aform := `form[data-testid=answer-form]`
	const note = "经查询人口信息和违法犯罪记录,未发现问题"
	tb.do("answer the request as clean",
		chromedp.Click(chromedp.CSS(aform+` input[name=verdict][value=clean]`)),
		chromedp.SendKeys(chromedp.CSS(aform+` textarea[name=note]`), note),
	)
	resp = tb.follow("submit the answer", chromedp.Click(chromedp.CSS(aform+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != "/review/queue" {
		t.Fatalf("answer: status %d at %s, want 200 back at /review/queue", resp.Status, tb.path())
	}
	if slices.ContainsFunc(queue(), func(r queueRow) bool { return r.ID == reqID }) {
		t.Errorf("request %s still in the open queue after the answer", reqID)
	}
	if resp := tb.open(reqPath); resp.Status != http.StatusOK {
		t.Fatalf("%s after the answer: status %d", reqPath, resp.Status)
	}
	if facts := tb.text(`main dl.facts`); !strings.Contains(facts, "未发现问题") || !strings.Contains(facts, gaj.Username) {
		t.Errorf("request page after the answer: facts %q, want 未发现问题 by %s", facts, gaj.Username)
	}
	if h := tb.text(`main section.panel h2`); h != "修改答复" {
		t.Errorf("request page after the answer: form heading %q, want 修改答复", h)
	}
	if !eval[bool](tb, `document.querySelector('`+aform+` input[name=verdict][value=clean]').checked`) {
		t.Errorf("request page after the answer: 未发现问题 not checked")
	}
	if got := eval[string](tb, `document.querySelector('`+aform+` textarea[name=note]').value`); got != note {
		t.Errorf("request page after the answer: note %q, want %q", got, note)
	}
	answered := classesFetch[gatesRequest](tb, "/api/v1/review-requests/"+reqID)
	if answered.Answer == nil || answered.Answer.Verdict != vetting.Clean {
		t.Errorf("GET /api/v1/review-requests/%s: answer %+v, want clean", reqID, answered.Answer)
	}
	// Another department's request does not exist for this reviewer.
	other := fmt.Sprintf("/review/requests/%d", mzjReq)
	if resp := tb.open(other); resp.Status != http.StatusNotFound && resp.Status != http.StatusForbidden {
		t.Errorf("reviewer-gaj opens mzj's request %s: status %d, want 404 or 403", other, resp.Status)
	}
	if body := eval[string](tb, `document.body.innerText`); strings.Contains(body, name) {
		t.Errorf("reviewer-gaj's page of mzj's request %s shows the aspirant %s", other, name)
	}
	gatesLogout(tb)

	// The other departments answer through the API: the demo has reviewers
	// of gaj and mzj only, the office adds one for each other department.
	// They answer the whole round, clean, so that the demo aspirants sent
	// with the new one can be decided again at the end.
	office1 := gatesLogin(t, s.base, admin.Username, admin.Password)
	for _, d := range depts {
		var c *gatesClient
		switch d.Code {
		case "gaj":
			c = gatesLogin(t, s.base, gaj.Username, gaj.Password)
		case "mzj":
			c = gatesLogin(t, s.base, mzj.Username, mzj.Password)
		default:
			user := "gates-reviewer-" + d.Code
			st := office1.call("POST", "/api/v1/users", map[string]string{"username": user, "display_name": d.Name + "联审员(测试)",
				"role": "reviewer", "department": d.Code, "password": gatesPassword}, 0, nil)
			if st != http.StatusCreated && st != http.StatusConflict { // 409: made by an earlier run of -count
				t.Fatalf("new reviewer %s: status %d, want 201", user, st)
			}
			c = gatesLogin(t, s.base, user, gatesPassword)
		}
		var q struct{ Items []gatesRequest }
		c.call("GET", "/api/v1/review-requests?status=open&limit=1000", nil, http.StatusOK, &q)
		n := 0
		for _, it := range q.Items {
			if it.DocNo != docNo {
				continue
			}
			n++
			c.call("POST", fmt.Sprintf("/api/v1/review-requests/%d/answer", it.ID), map[string]string{"verdict": "clean"}, http.StatusOK, nil)
		}
		want := wantAspirants
		if d.Code == "gaj" {
			want-- // answered through the page
		}
		if n != want {
			t.Errorf("department %s had %d open requests of %s, want %d", d.Code, n, docNo, want)
		}
	}
	var a struct{ Aspirant gatesAspirant }
	office1.call("GET", fmt.Sprintf("/api/v1/aspirants/%d", aspirantID), nil, http.StatusOK, &a)
	if a.Aspirant.Status != vetting.Reviewed || !a.Aspirant.Reviewed {
		t.Fatalf("aspirant %d after all 20 departments answered: status %s (reviewed %v), want reviewed", aspirantID, a.Aspirant.Status, a.Aspirant.Reviewed)
	}

	// ---- 4. A public tip on a phone, without a session. ----
	ph := newTab(t, s.base)
	ph.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	if resp := ph.open("/tip"); resp.Status != http.StatusOK || ph.path() != "/tip" {
		t.Fatalf("/tip without a session: status %d at %s, want 200 at /tip", resp.Status, ph.path())
	}
	if w := eval[int](ph, `window.innerWidth`); w != 390 {
		t.Fatalf("viewport width %d, want 390", w)
	}
	if n := eval[int](ph, `document.querySelectorAll('[data-testid=current-user]').length`); n != 0 {
		t.Fatalf("the phone tab has a session")
	}
	tform := `form[data-testid=tip-form]`
	if right := eval[float64](ph, `document.querySelector('`+tform+`').getBoundingClientRect().right`); right > 390 {
		t.Errorf("tip form reaches x=%.0f on a 390 px wide screen", right)
	}
	ph.do("fill the tip form",
		chromedp.SetValue(chromedp.CSS(tform+` select[name=community]`), gatesCommunity),
		chromedp.SendKeys(chromedp.CSS(tform+` input[name=person]`), "某自荐人"),
		chromedp.SetValue(chromedp.CSS(tform+` select[name=category]`), string(vetting.TipBribery)),
		chromedp.SendKeys(chromedp.CSS(tform+` textarea[name=description]`), "有人晚上在小区里挨家挨户送购物卡,要求投票时选他。"),
	)
	resp = ph.follow("tap 提交举报", chromedp.Tap(chromedp.CSS(tform+` button[type=submit]`)))
	if resp.Status != http.StatusOK || ph.path() != "/tip" {
		t.Fatalf("tip: status %d at %s, want 200 at /tip", resp.Status, ph.path())
	}
	receipt := ph.text(`[data-testid=receipt]`)
	if !gatesReceipt.MatchString(receipt) {
		t.Fatalf("receipt %q, want a code like 7K3QD-9XH2M-PV0TB-4R8WN", receipt)
	}
	if resp := ph.open("/tip/status"); resp.Status != http.StatusOK {
		t.Fatalf("/tip/status: status %d", resp.Status)
	}
	ph.do("type the receipt", chromedp.SendKeys(chromedp.CSS(`form[action="/tip/status"] input[name=receipt]`), receipt))
	resp = ph.follow("tap 查询", chromedp.Tap(chromedp.CSS(`form[action="/tip/status"] button[type=submit]`)))
	if resp.Status != http.StatusOK || ph.path() != "/tip/status" {
		t.Fatalf("status look-up: status %d at %s, want 200 at /tip/status", resp.Status, ph.path())
	}
	if st := ph.text(`[data-testid=tip-status]`); !strings.Contains(st, receipt) || !strings.Contains(st, "已受理") || !strings.Contains(st, today) {
		t.Errorf("tip status %q, want %s 已受理 submitted %s", st, receipt, today)
	}
	pub := classesFetch[map[string]string](ph, "/api/v1/tips/"+receipt)
	if pub["status"] != string(vetting.TipReceived) || pub["status_label"] != "已受理" {
		t.Errorf("GET /api/v1/tips/%s without a session: %v, want received 已受理", receipt, pub)
	}
	if st, err := chromedp.Run(ph.ctx, chromedp.Evaluate[int](`fetch('/api/v1/me').then(r => r.status)`, chromedp.EvalAwaitPromise)); err != nil || st != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me in the phone tab: status %d (%v), want 401 (no session)", st, err)
	}

	// ---- 5. The party committee decides: qualified. ----
	committee := s.account(t, "committee")
	tb.open("/login")
	if resp := tb.login(committee.Username, committee.Password, click); resp.Status != http.StatusOK {
		t.Fatalf("committee login: status %d at %s", resp.Status, tb.path())
	}
	if resp := tb.open("/second-review"); resp.Status != http.StatusOK {
		t.Fatalf("/second-review: status %d", resp.Status)
	}
	mform := `form[data-testid=meeting-form]`
	meetingTitle := fmt.Sprintf("党工委会议(二次联审后审核 %d)", run)
	tb.do("fill the meeting form",
		chromedp.SetValue(chromedp.CSS(mform+` input[name=title]`), meetingTitle),
		chromedp.SendKeys(chromedp.CSS(mform+` input[name=doc_no]`), fmt.Sprintf("青石党工委纪要〔2026〕E2E-%d号", run)),
	)
	resp = tb.follow("submit the meeting form", chromedp.Click(chromedp.CSS(mform+` button[type=submit]`)))
	m = regexp.MustCompile(`^/second-review/meetings/(\d+)$`).FindStringSubmatch(tb.path())
	if resp.Status != http.StatusOK || m == nil {
		t.Fatalf("new meeting: status %d at %s, want 200 at /second-review/meetings/{id}", resp.Status, tb.path())
	}
	meetingPath := m[0]
	if h1 := tb.text(`main h1`); !strings.Contains(h1, meetingTitle) || !strings.Contains(h1, today) {
		t.Errorf("meeting heading %q, want %s of %s", h1, meetingTitle, today)
	}
	if resp := tb.open(meetingPath + "?community=" + gatesCommunity); resp.Status != http.StatusOK {
		t.Fatalf("%s?community=%s: status %d", meetingPath, gatesCommunity, resp.Status)
	}
	sec := fmt.Sprintf(`section[data-aspirant="%d"]`, aspirantID)
	if got := tb.text(sec + ` > h2 [data-testid=status]`); got != "联审完成" {
		t.Errorf("meeting: %s's status %q before the decision, want 联审完成", name, got)
	}
	if got := tb.text(sec + ` > section.panel`); !strings.Contains(got, "各轮联审均未反馈问题") {
		t.Errorf("meeting: %s's dossier %q, want no findings", name, got)
	}
	dform := sec + ` form[data-testid=decision-form]`
	tb.do("fill the decision form",
		chromedp.SetValue(chromedp.CSS(dform+` select[name=outcome]`), string(vetting.Qualified)),
		chromedp.SendKeys(chromedp.CSS(dform+` textarea[name=note]`), "二十个部门联审无异常,资格审查通过"),
	)
	resp = tb.follow("submit the decision", chromedp.Click(chromedp.CSS(dform+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != meetingPath {
		t.Fatalf("decision: status %d at %s, want 200 at %s; error: %s", resp.Status, tb.path(), meetingPath,
			eval[string](tb, `document.querySelector('[data-testid=form-error]')?.innerText ?? ''`))
	}
	if got := tb.text(sec + ` > h2 [data-testid=status]`); got != "资格通过" {
		t.Errorf("meeting: %s's status %q after the decision, want 资格通过", name, got)
	}
	if got := tb.text(sec + ` [data-testid=decisions]`); !strings.Contains(got, "资格通过") || !strings.Contains(got, "二十个部门联审无异常") {
		t.Errorf("meeting: %s's decisions %q, want 资格通过 with the note", name, got)
	}
	if got := gatesFetchAspirant(tb, aspirantID); got.Status != vetting.Qualified {
		t.Errorf("GET /api/v1/aspirants/%d after the decision: status %q, want qualified", aspirantID, got.Status)
	}

	// Put the demo aspirants the round sent back where they were.
	meetingID, _ := strconv.ParseInt(strings.TrimPrefix(meetingPath, "/second-review/meetings/"), 10, 64)
	board := gatesLogin(t, s.base, committee.Username, committee.Password)
	for _, x := range sent {
		if x.Status != vetting.Qualified {
			continue // reviewed stays reviewed; nothing else can be sent
		}
		board.call("POST", fmt.Sprintf("/api/v1/review-meetings/%d/decisions", meetingID), map[string]any{
			"aspirant_id": x.ID, "outcome": "qualified", "note": "二次联审无异常,维持资格通过"}, http.StatusCreated, nil)
	}
	after := classesFetch[gatesAspirants](tb, listPath)
	for _, x := range before.Items {
		k := slices.IndexFunc(after.Items, func(y gatesAspirant) bool { return y.ID == x.ID })
		if k < 0 {
			t.Errorf("demo aspirant %d %s no longer listed", x.ID, x.Name)
		} else if after.Items[k].Status != x.Status {
			t.Errorf("demo aspirant %d %s: status %s at the end, was %s", x.ID, x.Name, after.Items[k].Status, x.Status)
		}
	}
	var r2 struct{ Items []gatesRound }
	office1.call("GET", "/api/v1/review-rounds", nil, http.StatusOK, &r2)
	if k := slices.IndexFunc(r2.Items, func(r gatesRound) bool { return r.ID == round.ID }); k < 0 || r2.Items[k].Answered != round.Requests {
		t.Errorf("round %d at the end: %+v, want all %d requests answered", round.ID, r2.Items, round.Requests)
	}
}

// gatesWrongCheck is a check character other than c.
func gatesWrongCheck(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// gatesFetchAspirant reads an aspirant through the API in the tab's session.
func gatesFetchAspirant(tb *tab, id int64) gatesAspirant {
	tb.t.Helper()
	return classesFetch[struct{ Aspirant gatesAspirant }](tb, fmt.Sprintf("/api/v1/aspirants/%d", id)).Aspirant
}

// gatesLogout signs out through the form of the layout's header.
func gatesLogout(tb *tab) {
	tb.t.Helper()
	resp := tb.follow("click 退出", chromedp.Click(chromedp.CSS(`header form[action="/logout"] button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != "/login" {
		tb.t.Fatalf("logout: status %d at %s, want 200 at /login", resp.Status, tb.path())
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-testid=current-user]').length`); n != 0 {
		tb.t.Fatalf("still signed in after 退出")
	}
}

// gatesFind is the id of the open request of round docNo on the aspirant
// named name in the queue of c's department.
func gatesFind(t *testing.T, c *gatesClient, docNo, name string) int64 {
	t.Helper()
	var q struct{ Items []gatesRequest }
	c.call("GET", "/api/v1/review-requests?status=open&limit=1000", nil, http.StatusOK, &q)
	for _, it := range q.Items {
		if it.DocNo == docNo && it.Name == name {
			return it.ID
		}
	}
	t.Fatalf("no open request of %s on %s in the queue", docNo, name)
	return 0
}

// gatesClient is a Go client of the site's JSON API with a session of its
// own: the set-up and clean-up the test does not do through the pages.
type gatesClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

// gatesLogin signs username in through POST /api/v1/login.
func gatesLogin(t *testing.T, base, username, password string) *gatesClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &gatesClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 15 * time.Second}}
	c.call("POST", "/api/v1/login", map[string]string{"username": username, "password": password}, http.StatusOK, nil)
	return c
}

// call sends in as JSON (nil: no body) and decodes the answer into out (if
// not nil). With want not 0, any other status fails the test. It returns
// the status.
func (c *gatesClient) call(method, path string, in any, want int, out any) int {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			c.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if want != 0 && resp.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}
