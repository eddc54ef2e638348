package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/visit"
)

// Users see Chinese only: no internal code and no English word may reach
// what a page shows or what an API error says. The crawl of every role
// (scope_crawl_test.go) checks every page it is answered with, and
// TestEveryRouteForEveryRole every error it is answered with, by
// latinIn below.

// visibleText is what a page shows or speaks, in document order: its text
// outside script and style, and the attributes a user sees or hears
// (title, placeholder, alt, aria-label, the value of a submit or button
// input; a <button>'s value is sent, not shown). Text in <code> is left
// out too: it holds only what a user types or copies as it is written (a
// command, a request header, a one-time password, a token).
func visibleText(body []byte) string {
	var b strings.Builder
	z := html.NewTokenizer(bytes.NewReader(body))
	hidden := 0 // inside script, style or code
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if hidden == 0 {
				b.Write(z.Text())
				b.WriteByte('\n')
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if tag == "script" || tag == "style" || tag == "code" {
				if tt == html.StartTagToken {
					hidden++
				} else if tt == html.EndTagToken {
					hidden--
				}
				continue
			}
			var value, typ string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "title", "placeholder", "alt", "aria-label":
					b.Write(v)
					b.WriteByte('\n')
				case "value":
					value = string(v)
				case "type":
					typ = string(v)
				}
			}
			if tag == "input" && (typ == "submit" || typ == "button" || typ == "reset") {
				b.WriteString(value + "\n")
			}
		}
	}
}

// shownText is what an answer shows a user: a page's visible text, an
// API error's message; "" for anything else (data for other programs).
func shownText(status int, contentType string, body []byte) string {
	switch {
	case status >= 300 && status < 400:
		return "" // a redirect's body is for programs that do not follow it
	case strings.HasPrefix(contentType, "text/html"):
		return visibleText(body)
	case status >= 400 && strings.HasPrefix(contentType, "application/json"):
		var e struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		json.Unmarshal(body, &e)
		return e.Error.Message
	}
	return ""
}

// allowedLatin is everything in Latin letters a user may see, each with
// why: the identifiers people read, type or are given, and the names of
// formats and units that Chinese offices write in Latin letters. The
// test's own data adds the usernames of its accounts (what people type to
// sign in) and the values a request named itself, which its answer may
// repeat. Nothing else may be written in Latin letters.
var allowedLatin = regexp.MustCompile(`^(?:` + strings.Join([]string{
	`[ABC]`,                    // the three classes (三类): A类, B类, C类
	`QS(?:-\d\d(?:-\d\d\d)?)?`, // the demo zone's unit codes, e.g. QS-01-001, printed beside the names
	`(?i:excel|pdf|png|jpe?g|zip|txt|xlsx?|csv|svg|json|geojson)`, // file types, as the office names them
	`A4`,                       // the paper size
	`\d*(?:\.\d+)?[KMG]B`,      // sizes: 512MB
	`[0-9a-f]{8,64}`,           // digests (SHA-256 and the audit chain's), shown to check a file or a printout
	`\d{17}X|\d{6}\*{8}\d{3}X`, // an ID number ending in the check letter X, whole or masked
	`[0-9A-HJKMNP-TV-Z]{5}(?:-[0-9A-HJKMNP-TV-Z]{5}){3}`, // a tip's receipt code
	`[FW]\d{3}`, // the numbered checks of a count (F: an error, W: a warning), quoted by clerks and coordinators as the issue asks
	`zs`,        // the search box's example of pinyin initials (张三), what people type
}, "|") + `)$`)

// latinRun is a run of printable ASCII with a letter.
var latinRun = regexp.MustCompile(`[!-~]*[A-Za-z][!-~]*`)

// latinIn returns the runs of Latin letters in text that are not allowed,
// each once. A run is words joined by punctuation ("QS-01-005.png",
// "(QS-01)"): each with a letter must be allowed, by allowedLatin or by
// also (the accounts' usernames, the request's own values).
func latinIn(text string, also func(word string) bool) []string {
	var out []string
	for _, run := range latinRun.FindAllString(text, -1) {
		for _, w := range latinWords(run) {
			if !allowedLatin.MatchString(w) && !allFileName(w) && !also(w) && !slices.Contains(out, run) {
				out = append(out, run)
			}
		}
	}
	return out
}

// latinWords are the words with a Latin letter of s, split at punctuation.
func latinWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("()[]{}<>,;:!?\"'/=+&|%", r) }) {
		if w = strings.Trim(w, ".-_*"); strings.ContainsFunc(w, isLatin) {
			out = append(out, w)
		}
	}
	return out
}

func isLatin(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// allFileName reports whether w is a file name of an allowed type whose
// stem is digits or allowed ("QS-01-005.png", "附件1.png").
func allFileName(w string) bool {
	stem, ext, found := strings.Cut(w, ".")
	return found && allowedLatin.MatchString(ext) && (!strings.ContainsFunc(stem, isLatin) || allowedLatin.MatchString(stem))
}

func TestLatinIn(t *testing.T) {
	t.Parallel()
	users := func(w string) bool { return w == "office-qs02" }
	for text, want := range map[string]bool{
		"换届办公室(admin)":                true,
		"状态:registered":               true,
		"API 令牌":                      true,
		"社区 QS-01-001":                false,
		"现场QS-01-005.png":             false,
		"Excel 批量导入,A4 纸":             false,
		"校验值 3f9ab0c1de2f4a5b":        false,
		"身份证 990101********003X":      false,
		"回执码 7K3QD-9XH2M-PV0TB-4R8WN": false,
		"账号 office-qs02":              false,
		"账号 office-qs03":              true,
		"2026-05-01 10:00,共 3 条":      false,
		"附件1.png,512MB":               false,
		"photo.png":                   true,
	} {
		if got := latinIn(text, users); (got != nil) != want {
			t.Errorf("latinIn(%q) = %q, want a finding: %v", text, got, want)
		}
	}
	page := []byte(`<html><head><title>首页</title><style>body{color:red}</style><script src="/static/a.js"></script></head>
<body><a href="/x" class="nav">进入</a><input name="q" placeholder="姓名或 pinyin"><button value="next">下一页</button>
<input type="submit" value="Save"><img alt="chart" src="/c.svg"><option value="registered">已登记</option></body></html>`)
	got := visibleText(page)
	for _, want := range []string{"首页", "进入", "pinyin", "Save", "chart", "已登记"} {
		if !strings.Contains(got, want) {
			t.Errorf("visibleText misses %q: %q", want, got)
		}
	}
	for _, not := range []string{"color", "static", "nav", "next", "registered", "href"} {
		if strings.Contains(got, not) {
			t.Errorf("visibleText shows %q: %q", not, got)
		}
	}
}

// labelsOf pairs each value of a kind of code with its label.
func labelsOf[T interface {
	~string
	Label() string
}](vals []T) map[string]string {
	out := map[string]string{}
	for _, v := range vals {
		out[string(v)] = v.Label()
	}
	return out
}

// TestEveryCodeHasALabel checks the label table of every kind of code a
// page shows, for each of its known values: a label in Chinese (by the
// crawl's own rule), and no two values of a kind named alike.
func TestEveryCodeHasALabel(t *testing.T) {
	t.Parallel()
	kinds := map[string]map[string]string{
		"role": labelsOf(account.Roles), "org kind": labelsOf(org.Kinds), "duty": labelsOf(org.Duties),
		"committee": labelsOf(org.Committees),
		"class":     labelsOf(append([]assess.Class{assess.Unassessed}, assess.Classes...)), "warning": labelsOf(assess.Warnings),
		"dimension": labelsOf(assess.Dimensions), "section": labelsOf(assess.Sections), "plan kind": labelsOf(assess.PlanKinds),
		"aspirant status": labelsOf(vetting.Statuses), "party": labelsOf(vetting.Parties), "post": labelsOf(vetting.Posts),
		"education": labelsOf(vetting.Educations), "activity type": labelsOf(vetting.ActivityTypes),
		"case source": labelsOf(vetting.CaseSources), "case status": labelsOf(vetting.CaseStatuses),
		"outcome": labelsOf(vetting.Outcomes), "tip category": labelsOf(vetting.TipCategories),
		"tip status": labelsOf(vetting.TipStatuses), "tip route": labelsOf(vetting.TipRoutes),
		"round kind": labelsOf(vetting.RoundKinds), "verdict": labelsOf(vetting.Verdicts), "tier": labelsOf(vetting.Tiers),
		"ledger source": labelsOf(ledger.Sources), "risk": labelsOf(ledger.Risks), "ledger status": labelsOf(ledger.Statuses),
		"stage state": labelsOf(progress.States), "election": labelsOf(progress.Elections),
		"archive category": labelsOf(archive.Categories), "recommendation kind": labelsOf(slate.Kinds),
		"slate source": labelsOf(slate.Origins),
		// The electorate and polling (issue 15).
		"electoral mode": labelsOf(election.Modes), "registration": labelsOf(election.Registrations),
		"election committee role": labelsOf(election.CommitteeRoles), "objection kind": labelsOf(election.ObjectionKinds),
		"ruling": labelsOf(election.Rulings), "party status": labelsOf(election.PartyStatuses),
		"station kind": labelsOf(election.StationKinds), "staff role": labelsOf(election.StaffRoles),
		"relation": labelsOf(election.Relations), "threshold base": labelsOf(election.Bases),
		"ballot state": labelsOf(election.BallotStates), "count unit kind": labelsOf(election.UnitKinds),
		"entry status": labelsOf(election.EntryStatuses), "resolution": labelsOf(election.Resolutions),
		"round": labelsOf(election.Rounds), "match outcome": labelsOf(election.Matches), "election stage": labelsOf(election.Stages),
		// The three rounds of visits (issue 16).
		"visit round": labelsOf(visit.Rounds), "visit method": labelsOf(visit.Methods), "talk group": labelsOf(visit.TalkKinds),
		"intention": labelsOf(visit.Intentions), "problem category": labelsOf(visit.Categories), "urgency": labelsOf(visit.Urgencies),
		// The five-year programmes (issue 16, point 6).
		"programme status": labelsOf(programme.Statuses), "goal area": labelsOf(programme.Areas),
		"proposal outcome": labelsOf(programme.Outcomes), "milestone state": labelsOf(programme.States),
		"search kind": labelsOf([]store.SearchKind{store.SearchUnit, store.SearchMember, store.SearchAspirant, store.SearchAccount,
			store.SearchArchive, store.SearchMeeting}),
		"condition": {}, "department": {}, "audit action": {},
	}
	for _, c := range vetting.DefaultCatalogue() {
		kinds["condition"][c.Code] = vetting.ConditionOf(c.Code).Label()
	}
	for _, d := range vetting.DefaultDepartments() {
		kinds["department"][d.Code] = vetting.DepartmentName(d.Code)
	}
	for _, a := range audit.Actions() {
		kinds["audit action"][a.Code] = audit.LabelOf(a.Code)
	}
	for _, s := range []audit.Sensitivity{audit.Download, audit.PersonalData, audit.Credential} {
		kinds["audit action"][fmt.Sprint("sensitivity ", s)] = s.Label()
	}
	none := func(string) bool { return false }
	for kind, labels := range kinds {
		if len(labels) < 2 {
			t.Errorf("%s: %d values known", kind, len(labels))
		}
		named := map[string]string{}
		for code, label := range labels {
			switch {
			case label == "":
				t.Errorf("%s %q has no label", kind, code)
			case latinIn(label, none) != nil:
				t.Errorf("%s %q is labelled %q: not Chinese", kind, code, label)
			case named[label] != "" && kind != "audit action":
				t.Errorf("%s %q and %q are both labelled %q", kind, code, named[label], label)
			}
			named[label] = code
		}
	}
}
