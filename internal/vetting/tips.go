package vetting

import (
	"crypto/rand"
	"strings"
	"time"
	"unicode"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// TipCategory is what a public tip (举报) is about.
type TipCategory string

// The categories the public page offers.
const (
	TipBribery      TipCategory = "bribery"      // 拉票贿选
	TipEligibility  TipCategory = "eligibility"  // 参选资格问题(不得、不宜情形)
	TipCrime        TipCategory = "crime"        // 违法犯罪、涉黑涉恶、“村霸”
	TipInterference TipCategory = "interference" // 干扰破坏选举(宗族派性、威胁、造谣)
	TipIntegrity    TipCategory = "integrity"    // 侵占集体资产、作风问题
	TipOther        TipCategory = "other"        // 其他
)

var tipCategoryChoices = choices[TipCategory]{
	{TipBribery, "拉票贿选"}, {TipEligibility, "参选资格问题(不得、不宜情形)"}, {TipCrime, "违法犯罪、涉黑涉恶、“村霸”"},
	{TipInterference, "干扰破坏选举"}, {TipIntegrity, "侵占集体资产、作风问题"}, {TipOther, "其他"},
}

// TipCategories lists them in order.
var TipCategories = tipCategoryChoices.codes()

// Label is the Chinese name.
func (c TipCategory) Label() string { return tipCategoryChoices.label(c) }

// Valid reports whether c is known.
func (c TipCategory) Valid() bool { return tipCategoryChoices.valid(c) }

// TipStatus is where a tip stands.
type TipStatus string

// Tips go received → verifying → closed, with a result when closed.
const (
	TipReceived  TipStatus = "received"  // 已受理
	TipVerifying TipStatus = "verifying" // 核查中
	TipClosed    TipStatus = "closed"    // 已办结
)

var tipStatusChoices = choices[TipStatus]{{TipReceived, "已受理"}, {TipVerifying, "核查中"}, {TipClosed, "已办结"}}

var tipMachine = machine[TipStatus]{noun: "举报", states: tipStatusChoices, next: map[TipStatus][]TipStatus{
	TipReceived:  {TipVerifying},
	TipVerifying: {TipClosed},
}}

// TipStatuses lists them in order.
var TipStatuses = tipStatusChoices.codes()

// Label is the Chinese name.
func (s TipStatus) Label() string { return tipStatusChoices.label(s) }

// Valid reports whether s is known.
func (s TipStatus) Valid() bool { return tipStatusChoices.valid(s) }

// TipTransition checks one step of a tip's status (code Conflict if refused).
func TipTransition(from, to TipStatus) error { return tipMachine.check(from, to) }

// TipRoute is who a tip is routed to in triage, beyond the office and the
// discipline commission, who see every tip: "" (not routed) or the police.
type TipRoute string

// The routes. A tip routed to the police (公安机关) is the only kind police
// accounts see, open and triage.
const (
	NotRouted   TipRoute = ""
	RoutePolice TipRoute = "police" // 公安机关
)

var tipRouteChoices = choices[TipRoute]{{NotRouted, "不移交"}, {RoutePolice, "公安机关"}}

// TipRoutes lists them in order.
var TipRoutes = tipRouteChoices.codes()

// Label is the Chinese name.
func (r TipRoute) Label() string { return tipRouteChoices.label(r) }

// Valid reports whether r is known.
func (r TipRoute) Valid() bool { return tipRouteChoices.valid(r) }

// Tip is a public report about the election or a candidate. It holds
// nothing that traces the reporter beyond the contact they chose to give:
// no address, no account, no device.
type Tip struct {
	ID          int64
	CycleID     int64
	Receipt     string // NewReceipt; the reporter's only handle on the tip
	OrgCode     string // the community concerned
	Person      string // the person concerned, free text, optional
	AspirantID  int64  // the aspirant concerned, chosen by the reporter or linked by triage; 0 if none
	Category    TipCategory
	Description string
	Contact     string // optional
	Status      TipStatus
	Result      string // the verification result, once closed
	CaseID      int64  // the case opened on it, 0 if none
	RoutedTo    TipRoute
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Validate normalises and checks a public submission.
func (t *Tip) Validate() error {
	return first(
		text("community", "所在社区", &t.OrgCode, 1, 40),
		text("person", "被举报人", &t.Person, 0, 30),
		pick("category", "举报类别", t.Category.Valid()),
		text("description", "问题描述", &t.Description, 10, 2000),
		text("contact", "联系方式", &t.Contact, 0, 50),
	)
}

// Move takes the tip one step on at now; closing it needs the result.
func (t *Tip) Move(to TipStatus, result string, now time.Time) error {
	if err := TipTransition(t.Status, to); err != nil {
		return err
	}
	if to == TipClosed {
		if err := text("result", "核查结果", &result, 5, 2000); err != nil {
			return err
		}
		t.Result = result
	}
	t.Status, t.UpdatedAt = to, now
	return nil
}

// PublicTip is all a receipt shows: the status, never the content.
type PublicTip struct {
	Receipt     string
	Status      TipStatus
	StatusLabel string
	SubmittedOn civil.Date // YYYY-MM-DD
	UpdatedOn   civil.Date
}

// Public is the view of the tip a receipt holder may see.
func (t Tip) Public() PublicTip {
	return PublicTip{t.Receipt, t.Status, t.Status.Label(), civil.Of(t.CreatedAt), civil.Of(t.UpdatedAt)}
}

// Receipt codes: 20 characters of Crockford's base32 (no I, L, O, U), each
// from 5 uniformly random bits, so 100 bits in all, shown in groups of five.
const (
	receiptAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	receiptChars    = 20
	// ReceiptBits is the entropy of a receipt code.
	ReceiptBits = receiptChars * 5
)

// NewReceipt returns a new random receipt code, e.g. 7K3QD-9XH2M-PV0TB-4R8WN.
func NewReceipt() string {
	var b [receiptChars]byte
	rand.Read(b[:]) // never fails
	for i := range b {
		b[i] = receiptAlphabet[b[i]&31] // 256 is a multiple of 32: uniform
	}
	return group(b[:])
}

// ParseReceipt normalises what a reporter types: any case, with or without
// dashes or spaces, O read as 0 and I or L as 1. An impossible code is
// NotFound, like an unknown one, so that the answer tells nothing more.
func ParseReceipt(s string) (string, error) {
	var b []byte
	for _, r := range strings.ToUpper(s) {
		switch {
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > unicode.MaxASCII || !strings.ContainsRune(receiptAlphabet, r) {
			return "", errReceipt()
		}
		b = append(b, byte(r))
	}
	if len(b) != receiptChars {
		return "", errReceipt()
	}
	return group(b), nil
}

func errReceipt() error {
	return errs.New(errs.NotFound, "回执码不存在,请核对(回执码为20位字母和数字)")
}

// group writes a code in groups of five joined by dashes.
func group(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(c)
	}
	return s.String()
}
