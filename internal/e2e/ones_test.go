package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/huanjie/huanjie/internal/civil"
)

// onesRuns numbers the runs of TestOnesLedgerArchiveMapMeeting in this
// process (go test -count=N shares one site): each run closes another item,
// uploads other bytes and records another decision.
var onesRuns atomic.Int32

// onesCommunity is the community whose ledger and archive the test changes:
// no other test of the package uses it.
const onesCommunity = "QS-04-002"

// onesItem is the part of a ledger item of the API the test reads.
type onesItem struct {
	ID          int64  `json:"id"`
	Community   string `json:"community"`
	Source      string `json:"source"`
	SourceLabel string `json:"source_label"`
	Content     string `json:"content"`
	Owner       string `json:"owner"`
	Due         string `json:"due"`
	Status      string `json:"status"`
	Overdue     bool   `json:"overdue"`
	ClosedOn    string `json:"closed_on"`
	ClosingNote string `json:"closing_note"`
}

type onesLedger struct {
	Community string     `json:"community"`
	Items     []onesItem `json:"items"`
	Open      int        `json:"open"`
}

// onesItemByID is the item id of l (ok false if l has none).
func onesItemByID(l onesLedger, id int64) (onesItem, bool) {
	i := slices.IndexFunc(l.Items, func(it onesItem) bool { return it.ID == id })
	if i < 0 {
		return onesItem{}, false
	}
	return l.Items[i], true
}

// onesArchiveFile is the part of an archived file of the API the test reads.
type onesArchiveFile struct {
	SHA256   string `json:"sha256"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Size     int    `json:"size"`
	Category string `json:"category"`
}

// onesDownload is what the page's fetch of an archived file saw.
type onesDownload struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// TestOnesLedgerArchiveMapMeeting runs the office's daily machinery through
// the pages as the admin: on a community's ledger a 销号 without a closing
// note is refused in Chinese and changes nothing, with a note the item
// closes and shows among the day's closings and in the audit log; a small
// PNG uploaded to the community's archive is listed and comes back
// byte-identical (its SHA-256 computed in the page); the battle map has one
// shape per community of the zone and a click on one opens that community;
// today's daily meeting is opened (or, if another run opened it, taken from
// the list) with its generated agenda listing the community's overdue items
// and the zone's late stages, its attendance and minutes are recorded, and a
// decision for the community appears in its ledger as a 会议决定 item.
func TestOnesLedgerArchiveMapMeeting(t *testing.T) {
	s, tb := start(t)
	run := int(onesRuns.Add(1))
	admin := s.account(t, "admin")
	code := onesCommunity
	communityName := s.unitName(t, code)
	today := string(civil.Of(time.Now()))
	stamp := time.Now().Format("150405.000")
	ledgerAPI := "/api/v1/communities/" + code + "/ledger"

	tb.open("/login")
	if resp := tb.login(admin.Username, admin.Password, click); resp.Status != http.StatusOK || tb.path() != "/" {
		t.Fatalf("admin login: status %d at %s, want 200 at /", resp.Status, tb.path())
	}

	// ---- 1. The ledger: 销号 without a note refused, with a note done. ----
	before := classesFetch[onesLedger](tb, ledgerAPI)
	if before.Community != code {
		t.Fatalf("%s: API answers the ledger of %q", ledgerAPI, before.Community)
	}
	// A demo item still open; on later runs of -count=N, the decision an
	// earlier run recorded.
	var item onesItem
	for _, it := range before.Items {
		if it.ID != 0 && it.Status == "open" && (item.ID == 0 || item.Source == "meeting") {
			item = it
		}
	}
	ledgerPath := "/communities/" + code + "/ledger"
	if resp := tb.open(ledgerPath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d, want 200", ledgerPath, resp.Status)
	}
	if item.ID == 0 {
		// None left: add one through the page's form.
		content := fmt.Sprintf("核对社区换届选民登记公告张贴情况(e2e 第%d次 %s)", run, stamp)
		lf := `form[data-testid=ledger-form]`
		tb.do("fill the ledger form",
			chromedp.SetValue(chromedp.CSS(lf+` select[name=source]`), "manual"),
			chromedp.SetValue(chromedp.CSS(lf+` input[name=content]`), content),
			chromedp.SetValue(chromedp.CSS(lf+` select[name=risk]`), "low"),
			chromedp.SetValue(chromedp.CSS(lf+` input[name=owner]`), "社区主任"),
			chromedp.SetValue(chromedp.CSS(lf+` input[name=due]`), today),
		)
		if resp := tb.follow("click 添加", chromedp.Click(chromedp.CSS(lf+` button[type=submit]`))); resp.Status != http.StatusOK || tb.path() != ledgerPath {
			t.Fatalf("add a ledger item: status %d at %s, want 200 at %s", resp.Status, tb.path(), ledgerPath)
		}
		before = classesFetch[onesLedger](tb, ledgerAPI)
		i := slices.IndexFunc(before.Items, func(it onesItem) bool { return it.Content == content })
		if i < 0 || before.Items[i].Status != "open" {
			t.Fatalf("%s has no open item %q after adding it; items: %+v", code, content, before.Items)
		}
		item = before.Items[i]
	}
	if h1 := tb.text(`main h1`); !strings.Contains(h1, communityName) || !strings.Contains(h1, "台账") {
		t.Errorf("ledger heading %q, want %s 台账", h1, communityName)
	}
	row := fmt.Sprintf(`tr#item-%d`, item.ID)
	if got := eval[string](tb, `document.querySelector('`+row+`')?.dataset.status ?? ''`); got != "open" {
		t.Fatalf("ledger row of item %d: data-status %q, want open", item.ID, got)
	}
	closeForm := fmt.Sprintf(`%s form[action="/ledger-items/%d/close"]`, row, item.ID)
	resp := tb.follow("click 销号 without a note",
		chromedp.RemoveAttribute(chromedp.CSS(closeForm+` input[name=note]`), "required"), // else the browser itself refuses to submit
		chromedp.Click(chromedp.CSS(closeForm+` button[type=submit]`)))
	if resp.Status != http.StatusUnprocessableEntity {
		t.Errorf("销号 without a note: status %d, want 422", resp.Status)
	}
	if got := tb.text(`[data-testid=form-error]`); !strings.Contains(got, "销号说明") {
		t.Errorf("销号 without a note: error %q, want a Chinese message asking for the 销号说明", got)
	}
	after := classesFetch[onesLedger](tb, ledgerAPI)
	if it, ok := onesItemByID(after, item.ID); !ok || it.Status != "open" || it.ClosedOn != "" || it.ClosingNote != "" {
		t.Fatalf("after a refused 销号 item %d is %+v (found %v), want it still open without a closing", item.ID, it, ok)
	}
	if after.Open != before.Open {
		t.Errorf("after a refused 销号 the ledger has %d open items, was %d", after.Open, before.Open)
	}

	note := fmt.Sprintf("已办结,经核实整改到位(e2e 第%d次 %s)", run, stamp)
	tb.do("fill the closing note",
		chromedp.SendKeys(chromedp.CSS(closeForm+` input[name=note]`), note),
	)
	resp = tb.follow("click 销号 with a note", chromedp.Click(chromedp.CSS(closeForm+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != ledgerPath {
		t.Fatalf("销号 with a note: status %d at %s, want 200 at %s", resp.Status, tb.path(), ledgerPath)
	}
	if got := eval[string](tb, `document.querySelector('`+row+`')?.dataset.status ?? ''`); got != "closed" {
		t.Errorf("after 销号 the row of item %d has data-status %q, want closed", item.ID, got)
	}
	if cell := tb.text(row + ` td:last-child`); !strings.Contains(cell, "已销号") || !strings.Contains(cell, note) || !strings.Contains(cell, today) {
		t.Errorf("after 销号 the status cell reads %q, want 已销号, %s and the note", cell, today)
	}
	closed := classesFetch[onesLedger](tb, ledgerAPI)
	if it, ok := onesItemByID(closed, item.ID); !ok || it.Status != "closed" || it.ClosingNote != note || it.ClosedOn != today {
		t.Fatalf("after 销号 item %d is %+v (found %v), want closed on %s with the note", item.ID, it, ok, today)
	}
	if closed.Open != before.Open-1 {
		t.Errorf("after 销号 the ledger has %d open items, want %d", closed.Open, before.Open-1)
	}

	// The day's closings (日销号) list it.
	if resp := tb.open("/ledger/today"); resp.Status != http.StatusOK {
		t.Fatalf("/ledger/today: status %d, want 200", resp.Status)
	}
	if h1 := tb.text(`main h1`); !strings.Contains(h1, today) {
		t.Errorf("/ledger/today heading %q, want the day %s", h1, today)
	}
	closing := eval[[]string](tb, fmt.Sprintf(`Array.from(document.querySelector('[data-testid=closings] tr[data-id="%d"]')?.cells ?? [], c => c.innerText.trim())`, item.ID))
	// Columns: 社区 事项 责任人 销号依据 销号人 现状态.
	if len(closing) != 6 {
		t.Errorf("日销号 has no row of item %d; closings: %q", item.ID, tb.text(`[data-testid=closings]`))
	} else if closing[0] != communityName || closing[3] != note || closing[5] != "已销号" {
		t.Errorf("日销号 row of item %d: %q, want %s, the note and 已销号", item.ID, closing, communityName)
	}
	if n, err := strconv.Atoi(strings.ReplaceAll(tb.text(`[data-testid=closings-total]`), ",", "")); err != nil || n < 1 {
		t.Errorf("closings-total %q, want at least 1", tb.text(`[data-testid=closings-total]`))
	}

	// The audit log keeps the closing.
	if resp := tb.open(fmt.Sprintf("/audit?action=ledger.close&entity_id=%d", item.ID)); resp.Status != http.StatusOK {
		t.Fatalf("/audit?action=ledger.close: status %d, want 200", resp.Status)
	}
	audits := eval[[][]string](tb, `Array.from(document.querySelectorAll('[data-testid=audit] tbody tr'),
		tr => Array.from(tr.cells, c => c.innerText.trim()))`)
	// Columns: 序号 时间 操作人 操作 对象 所属单位 变更, in Chinese.
	if !slices.ContainsFunc(audits, func(r []string) bool {
		return len(r) == 7 && r[2] == admin.Username && r[3] == "台账销号" &&
			r[4] == fmt.Sprintf("台账事项 %d", item.ID) && strings.Contains(r[6], "已销号")
	}) {
		t.Errorf("audit log has no ledger.close of item %d by %s; rows: %q", item.ID, admin.Username, audits)
	}

	// ---- 2. The archive: a PNG uploaded, listed, downloaded identical. ----
	pngBytes := onesPNG(t, run)
	sum := sha256.Sum256(pngBytes)
	sha := hex.EncodeToString(sum[:])
	fileName := fmt.Sprintf("ones-e2e-%d-%s.png", run, strings.ReplaceAll(stamp, ".", ""))
	filePath := filepath.Join(t.TempDir(), fileName)
	if err := os.WriteFile(filePath, pngBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	archivePath := "/communities/" + code + "/archive"
	if resp := tb.open(archivePath); resp.Status != http.StatusOK {
		t.Fatalf("%s: status %d, want 200", archivePath, resp.Status)
	}
	countBefore, err := strconv.Atoi(tb.text(`[data-testid=archive-count]`))
	if err != nil {
		t.Fatalf("archive-count %q: %v", tb.text(`[data-testid=archive-count]`), err)
	}
	form := `form[data-testid=archive-form]`
	tb.do("fill the archive form",
		chromedp.SetValue(chromedp.CSS(form+` select[name=category]`), "minutes"),
		chromedp.SetValue(chromedp.CSS(form+` input[name=note]`), "e2e 例会照片"),
		chromedp.SetUploadFiles(chromedp.CSS(form+` input[type=file][name=file]`), []string{filePath}),
	)
	resp = tb.follow("click 上传归档", chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != archivePath {
		t.Fatalf("upload: status %d at %s, want 200 at %s (error: %q)", resp.Status, tb.path(), archivePath,
			eval[string](tb, `document.querySelector('.error')?.innerText ?? ''`))
	}
	if got := tb.text(`p.notice[role=status]`); !strings.Contains(got, "已归档 1 个文件") {
		t.Errorf("after the upload the notice reads %q, want 已归档 1 个文件", got)
	}
	if got := tb.text(`[data-testid=archive-count]`); got != strconv.Itoa(countBefore+1) {
		t.Errorf("archive-count after the upload %q, want %d", got, countBefore+1)
	}
	listed := eval[[]string](tb, fmt.Sprintf(`(() => {
		const a = document.querySelector('section[data-category=minutes] a[href="/archive/%s"]');
		return a ? Array.from(a.closest('tr').cells, c => c.innerText.trim()) : [];
	})()`, sha))
	// Columns: 类型 文件名 大小 上传人 时间 说明.
	if len(listed) != 6 {
		t.Errorf("the 会议记录 section of the archive lists no link to /archive/%s", sha)
	} else if listed[1] != fileName || listed[5] != "e2e 例会照片" {
		t.Errorf("archive row %q, want the file name %s and the note", listed, fileName)
	}
	apiList := classesFetch[struct{ Items []onesArchiveFile }](tb, "/api/v1/communities/"+code+"/archive")
	if i := slices.IndexFunc(apiList.Items, func(f onesArchiveFile) bool { return f.SHA256 == sha }); i < 0 {
		t.Errorf("the archive API of %s lists no file %s", code, sha)
	} else if f := apiList.Items[i]; f.Name != fileName || f.Size != len(pngBytes) || f.Category != "minutes" || f.Type != "image/png" {
		t.Errorf("archive API entry %+v, want %s, %d bytes, minutes, image/png", f, fileName, len(pngBytes))
	}
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[onesDownload](fmt.Sprintf(`fetch('/api/v1/archive/%s').then(async r => {
		const b = await r.arrayBuffer();
		const d = await crypto.subtle.digest('SHA-256', b);
		return {status: r.status, type: r.headers.get('Content-Type') || '', size: b.byteLength,
			sha256: Array.from(new Uint8Array(d), x => x.toString(16).padStart(2, '0')).join('')};
	})`, sha), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download /api/v1/archive/%s in the page: %v", sha, err)
	}
	if got.Status != http.StatusOK || got.Size != len(pngBytes) || got.SHA256 != sha || got.Type != "image/png" {
		t.Errorf("download: %+v, want 200, image/png, %d bytes with SHA-256 %s", got, len(pngBytes), sha)
	}

	// ---- 3. The battle map: one shape per community, a click opens it. ----
	if resp := tb.open("/map"); resp.Status != http.StatusOK {
		t.Fatalf("/map: status %d, want 200", resp.Status)
	}
	codes := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=battle-map] svg [data-code]'), e => e.getAttribute('data-code'))`)
	distinct := slices.Compact(slices.Sorted(slices.Values(codes)))
	zoneCommunities := s.zone.CommunityCodes()
	slices.Sort(zoneCommunities)
	if len(codes) != 32 || len(zoneCommunities) != 32 || !slices.Equal(distinct, zoneCommunities) {
		t.Errorf("battle map has %d shapes with %d distinct codes (zone has %d communities), want one per community: %q",
			len(codes), len(distinct), len(zoneCommunities), codes)
	}
	shape := fmt.Sprintf(`[data-testid=battle-map] svg [data-code="%s"]`, code)
	if title := eval[string](tb, `document.querySelector('`+shape+` title')?.textContent ?? ''`); !strings.Contains(title, communityName) {
		t.Errorf("the shape of %s is titled %q, want the community's name %s", code, title, communityName)
	}
	resp = tb.follow("click the community on the battle map", chromedp.Click(chromedp.CSS(shape)))
	if want := "/communities/" + code + "/assessment"; resp.Status != http.StatusOK || tb.path() != want {
		t.Errorf("click on %s in the battle map: status %d at %s, want 200 at %s", code, resp.Status, tb.path(), want)
	} else if h1 := tb.text(`main h1`); !strings.Contains(h1, communityName) {
		t.Errorf("the page opened from the map is headed %q, want %s", h1, communityName)
	}

	// ---- 4. The daily meeting. ----
	if resp := tb.open("/meetings"); resp.Status != http.StatusOK {
		t.Fatalf("/meetings: status %d, want 200", resp.Status)
	}
	meetingDays := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=meetings] tbody tr td:first-child a'), a => a.textContent.trim())`)
	// The week before the day the demo ran (either, if its load crossed midnight).
	week := false
	for _, loaded := range site(t).loaded {
		past := 0
		for i := 1; i <= 7; i++ {
			if slices.Contains(meetingDays, string(loaded.AddDays(-i))) {
				past++
			}
		}
		week = week || past == 7
	}
	if !week {
		t.Errorf("meeting history %q does not hold the 7 days before the demo's load on %v, want a week of demo meetings", meetingDays, site(t).loaded)
	}
	openedHere := false
	const todayLink = `[data-testid=meetings] tbody a[href^="/meetings/"]`
	todayHref := eval[string](tb, `Array.from(document.querySelectorAll('`+todayLink+`')).find(a => a.textContent.trim() === '`+today+`')?.getAttribute('href') ?? ''`)
	if todayHref == "" {
		if got := tb.text(`[data-testid=open-meeting]`); !strings.Contains(got, today) {
			t.Errorf("open-meeting button reads %q, want today %s", got, today)
		}
		resp = tb.follow("click 召开今日例会", chromedp.Click(chromedp.CSS(`form[action="/meetings"] [data-testid=open-meeting]`)))
		if resp.Status == http.StatusOK && regexp.MustCompile(`^/meetings/\d+$`).MatchString(tb.path()) {
			openedHere = true
		} else if msg := eval[string](tb, `document.querySelector('.error')?.innerText ?? ''`); strings.Contains(msg, "已经创建") {
			// Another test opened it between the list and the click.
			t.Logf("today's meeting was opened elsewhere meanwhile: %s", msg)
			todayHref = eval[string](tb, `Array.from(document.querySelectorAll('`+todayLink+`')).find(a => a.textContent.trim() === '`+today+`')?.getAttribute('href') ?? ''`)
		} else {
			t.Fatalf("open today's meeting: status %d at %s (error %q), want 200 at /meetings/{id}", resp.Status, tb.path(), msg)
		}
	} else {
		t.Logf("today's meeting already exists at %s (opened by another run)", todayHref)
	}
	if !openedHere {
		if todayHref == "" {
			t.Fatalf("no meeting of %s in the list to take", today)
		}
		resp = tb.follow("open today's meeting from the list", chromedp.Click(chromedp.CSS(`[data-testid=meetings] a[href="`+todayHref+`"]`)))
		if resp.Status != http.StatusOK || tb.path() != todayHref {
			t.Fatalf("today's meeting: status %d at %s, want 200 at %s", resp.Status, tb.path(), todayHref)
		}
	}
	meetingPath := tb.path()
	if h1 := tb.text(`main h1`); !strings.Contains(h1, today) || !strings.Contains(h1, "工作例会") {
		t.Errorf("meeting heading %q, want %s 工作例会", h1, today)
	}

	// The agenda: overdue items and late stages.
	if n := eval[int](tb, `document.querySelectorAll('[data-testid=agenda]').length`); n != 1 {
		t.Fatalf("meeting page has %d agendas, want 1", n)
	}
	dueItems := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=agenda] [data-testid=agenda-due] tbody tr'), tr => tr.dataset.item + (tr.classList.contains('late') ? ' late' : ''))`)
	lateRows := 0
	for _, d := range dueItems {
		if strings.HasSuffix(d, " late") {
			lateRows++
		}
	}
	if lateRows == 0 {
		t.Errorf("agenda-due lists %d items, none overdue; the demo has overdue items", len(dueItems))
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-testid=agenda] [data-testid=agenda-late] tbody tr').length`); n == 0 {
		t.Errorf("agenda lists no late stage; the demo has late stages")
	}
	if openedHere {
		// Opened now by the admin: every overdue item of the community is on it.
		for _, it := range classesFetch[onesLedger](tb, ledgerAPI).Items {
			if it.ID != 0 && it.Overdue && it.Status != "closed" && !slices.Contains(dueItems, strconv.FormatInt(it.ID, 10)+" late") {
				t.Errorf("overdue item %d of %s (due %s) is not on the agenda as overdue", it.ID, code, it.Due)
			}
		}
	}

	// Attendance and minutes.
	attendance := []string{"王主任", "李副主任", fmt.Sprintf("测试员%d", run)}
	minutes := fmt.Sprintf("会议听取各片区进展汇报,部署当日工作。(e2e 第%d次 %s)", run, stamp)
	record := fmt.Sprintf(`form[action="%s/record"]`, meetingPath)
	tb.do("fill attendance and minutes",
		chromedp.SetValue(chromedp.CSS(record+` input[name=attendance]`), strings.Join(attendance, ",")),
		chromedp.SetValue(chromedp.CSS(record+` textarea[name=minutes]`), minutes),
	)
	resp = tb.follow("click 保存纪要", chromedp.Click(chromedp.CSS(record+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != meetingPath {
		t.Fatalf("save the minutes: status %d at %s, want 200 at %s", resp.Status, tb.path(), meetingPath)
	}
	if got := tb.text(`[data-testid=attendance]`); got != strings.Join(attendance, "、") {
		t.Errorf("attendance reads %q, want %q", got, strings.Join(attendance, "、"))
	}
	if got := tb.text(`[data-testid=minutes]`); got != minutes {
		t.Errorf("minutes read %q, want %q", got, minutes)
	}

	// A decision for the community, into its ledger.
	decision := fmt.Sprintf("督促%s今日完成选民名单公示核对(e2e 第%d次 %s)", communityName, run, stamp)
	owner := fmt.Sprintf("片区专班%d", run)
	df := `form[data-testid=decision-form]`
	if got := eval[string](tb, `document.querySelector('`+df+` input[name=due]')?.value ?? ''`); got != today {
		t.Errorf("decision form's due day defaults to %q, want the meeting's day %s", got, today)
	}
	tb.do("fill the decision form",
		chromedp.SetValue(chromedp.CSS(df+` select[name=community]`), code),
		chromedp.SetValue(chromedp.CSS(df+` textarea[name=content]`), decision),
		chromedp.SetValue(chromedp.CSS(df+` input[name=owner]`), owner),
	)
	resp = tb.follow("click 记录决定并转入台账", chromedp.Click(chromedp.CSS(df+` button[type=submit]`)))
	if resp.Status != http.StatusOK || tb.path() != meetingPath {
		t.Fatalf("record the decision: status %d at %s (error %q), want 200 at %s", resp.Status, tb.path(),
			eval[string](tb, `document.querySelector('.error')?.innerText ?? ''`), meetingPath)
	}
	decided := eval[[]string](tb, `(() => {
		const tr = Array.from(document.querySelectorAll('[data-testid=decisions] tbody tr')).find(tr => tr.cells.length === 5 && tr.cells[1].innerText.trim() === `+strconv.Quote(decision)+`);
		return tr ? Array.from(tr.cells, c => c.innerText.trim()).concat([tr.querySelector('a')?.getAttribute('href') ?? '']) : [];
	})()`)
	// Columns: 社区 事项 责任人 时限 台账, and the link.
	m := regexp.MustCompile(`^台账 #(\d+)$`)
	var decisionItem int64
	if len(decided) != 6 {
		t.Fatalf("the decisions table has no row of the decision %q", decision)
	} else if sub := m.FindStringSubmatch(decided[4]); decided[0] != code || decided[2] != owner || decided[3] != today ||
		decided[5] != ledgerPath || sub == nil {
		t.Errorf("decision row %q, want %s, %s, %s and a link 台账 #id to %s", decided, code, owner, today, ledgerPath)
	} else {
		decisionItem, _ = strconv.ParseInt(sub[1], 10, 64)
	}

	// The community's ledger shows it as a 会议决定 item.
	resp = tb.follow("click the decision's ledger link", chromedp.Click(chromedp.CSS(`[data-testid=decisions] a[href="`+ledgerPath+`"]`)))
	if resp.Status != http.StatusOK || tb.path() != ledgerPath {
		t.Fatalf("ledger from the decision: status %d at %s, want 200 at %s", resp.Status, tb.path(), ledgerPath)
	}
	rows := classesTable(tb, `document.querySelector('[data-testid=ledger]')`)
	i := slices.IndexFunc(rows, func(r map[string]string) bool { return r["内容"] == decision })
	if i < 0 {
		t.Fatalf("the ledger of %s has no row with the decision %q", code, decision)
	}
	if r := rows[i]; !strings.HasPrefix(r["来源"], "会议决定") || r["责任人"] != owner || !strings.HasPrefix(r["计划日"], today) ||
		!strings.HasPrefix(r["状态"], "待办") {
		t.Errorf("ledger row of the decision %q, want 来源 会议决定, 责任人 %s, 计划日 %s, 状态 待办", r, owner, today)
	}
	final := classesFetch[onesLedger](tb, ledgerAPI)
	j := slices.IndexFunc(final.Items, func(it onesItem) bool { return it.Content == decision })
	if j < 0 {
		t.Fatalf("%s lists no item with the decision %q", ledgerAPI, decision)
	}
	if it := final.Items[j]; it.Source != "meeting" || it.SourceLabel != "会议决定" || it.Status != "open" || it.Owner != owner ||
		it.Due != today || (decisionItem != 0 && it.ID != decisionItem) {
		t.Errorf("ledger item of the decision %+v, want source meeting (会议决定), open, owner %s, due %s, id %d", it, owner, today, decisionItem)
	}
	if final.Open != closed.Open+1 {
		t.Errorf("after the decision the ledger has %d open items, want %d", final.Open, closed.Open+1)
	}
}

// onesPNG is a small valid PNG whose pixels depend on run and the clock, so
// that every run uploads bytes of its own.
func onesPNG(t *testing.T, run int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	n := time.Now().UnixNano()
	for i := range 16 {
		img.Set(i%4, i/4, color.RGBA{R: byte(n >> (i % 8 * 8)), G: byte(run), B: byte(i * 16), A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
