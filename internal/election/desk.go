package election

import (
	"github.com/huanjie/huanjie/internal/errs"
)

// The double entry of one station's or box's count sheet (计票单), after
// Kiesraad Abacus's data-entry state machine (anchors.md §2): two clerks
// enter the same sheet independently, the first before the second; when
// both have finalised their entries they are compared (Differences). Equal,
// the count is agreed; different, a coordinator who entered neither keeps
// the first or the second, returns one to its clerk for correction (then
// they are compared again) or discards both. An agreed or resolved count
// whose numbered checks (Check) find no error and whose warnings the
// coordinator acknowledged, each by its code, is confirmed.

// EntryStatus is where a station's double entry stands.
type EntryStatus string

// The statuses, in the order the work goes.
const (
	EntryNone      EntryStatus = "none"      // 未录入
	EntryEntering  EntryStatus = "entering"  // 录入中: the first entry is being made
	EntrySecond    EntryStatus = "second"    // 待第二次录入: the first is final, the second not
	EntryReturned  EntryStatus = "returned"  // 退回更正: the coordinator sent an entry back to its clerk
	EntryDifferent EntryStatus = "different" // 不一致: both final, differences unresolved
	EntryAgreed    EntryStatus = "agreed"    // 一致: equal, or the coordinator resolved the differences
	EntryConfirmed EntryStatus = "confirmed" // 已确认
)

var entryStatusLabels = map[EntryStatus]string{
	EntryNone: "未录入", EntryEntering: "录入中", EntrySecond: "待第二次录入", EntryReturned: "退回更正",
	EntryDifferent: "不一致", EntryAgreed: "一致", EntryConfirmed: "已确认",
}

// Label is the Chinese name.
func (s EntryStatus) Label() string { return entryStatusLabels[s] }

// EntryStatuses lists them.
var EntryStatuses = []EntryStatus{EntryNone, EntryEntering, EntrySecond, EntryReturned, EntryDifferent, EntryAgreed, EntryConfirmed}

// Resolution is what the coordinator does with two entries.
type Resolution string

// The coordinator's choices (Abacus: keep first, keep second, discard
// both; and return an entry to its clerk).
const (
	KeepFirst    Resolution = "keep_first"
	KeepSecond   Resolution = "keep_second"
	ReturnFirst  Resolution = "return_first"
	ReturnSecond Resolution = "return_second"
	DiscardBoth  Resolution = "discard_both"
)

var resolutionLabels = map[Resolution]string{
	KeepFirst: "采用第一次录入", KeepSecond: "采用第二次录入", ReturnFirst: "退回第一次录入员更正",
	ReturnSecond: "退回第二次录入员更正", DiscardBoth: "两次录入均作废,重新录入",
}

// Label is the Chinese name.
func (r Resolution) Label() string { return resolutionLabels[r] }

// Resolutions lists them.
var Resolutions = []Resolution{KeepFirst, KeepSecond, ReturnFirst, ReturnSecond, DiscardBoth}

// Sheet is one clerk's entry of a count sheet: a draft until finalised;
// Returned when the coordinator sent it back for correction (a draft again).
type Sheet struct {
	Clerk    string `json:"clerk"`
	Count    Count  `json:"count"`
	Final    bool   `json:"final"`
	Returned bool   `json:"returned"`
}

// Desk is the double entry of one station: the two entries (nil: not
// begun), the differences of the last comparison still unresolved, the
// coordinator's resolution once made (KeepFirst or KeepSecond) and
// whether the count is confirmed.
type Desk struct {
	Sheets      [2]*Sheet
	Differences []Difference
	Resolution  Resolution
	Confirmed   bool
}

// Status is where the desk stands.
func (d *Desk) Status() EntryStatus {
	a, b := d.Sheets[0], d.Sheets[1]
	switch {
	case d.Confirmed:
		return EntryConfirmed
	case a == nil:
		return EntryNone
	case a.Returned || (b != nil && b.Returned):
		return EntryReturned
	case !a.Final:
		return EntryEntering
	case b == nil || !b.Final:
		return EntrySecond
	case len(d.Differences) > 0 && d.Resolution == "":
		return EntryDifferent
	}
	return EntryAgreed
}

// SlotOf is the entry (0 or 1) clerk made, -1 for none.
func (d *Desk) SlotOf(clerk string) int {
	for i, s := range d.Sheets {
		if s != nil && s.Clerk == clerk {
			return i
		}
	}
	return -1
}

// Result is the count the desk agreed on: the first entry when the two
// are equal or the coordinator kept it, the second when it kept that;
// false before.
func (d *Desk) Result() (Count, bool) {
	if st := d.Status(); st != EntryAgreed && st != EntryConfirmed {
		return Count{}, false
	}
	if d.Resolution == KeepSecond {
		return d.Sheets[1].Count, true
	}
	return d.Sheets[0].Count, true
}

// Slot is the entry (0 the first, 1 the second) clerk may save now, or
// why not. A clerk keeps to the entry they began; the second entry is
// begun only after the first is finalised and never by the first's clerk;
// a finalised entry is changed only after the coordinator returns it.
func (d *Desk) Slot(clerk string) (int, error) {
	if d.Confirmed {
		return -1, errs.New(errs.Conflict, "该计票点的计票结果已确认,不能再录入")
	}
	i := d.SlotOf(clerk)
	switch {
	case i >= 0 && d.Sheets[i].Final:
		return i, errs.Newf(errs.Conflict, "你已提交本计票点的第%s次录入,不能再修改,也不能再做另一次录入;如有错误请联系协调员退回", ordinal(i))
	case i >= 0:
		return i, nil
	case d.Sheets[0] == nil:
		return 0, nil
	case !d.Sheets[0].Final:
		return -1, errs.New(errs.Conflict, "第一次录入尚未提交,第二次录入须待其提交后由另一人进行")
	case d.Sheets[1] == nil:
		return 1, nil
	}
	return -1, errs.New(errs.Conflict, "本计票点的两次录入已由他人进行")
}

// Save records clerk's entry c, finalised or as a draft, in the entry Slot
// gives, and returns it. When both entries are final they are compared.
func (d *Desk) Save(clerk string, c Count, final bool) (int, error) {
	i, err := d.Slot(clerk)
	if err != nil {
		return i, err
	}
	d.Sheets[i] = &Sheet{Clerk: clerk, Count: c, Final: final, Returned: d.Sheets[i] != nil && d.Sheets[i].Returned && !final}
	if final {
		d.compare()
	}
	return i, nil
}

// compare compares the two entries when both are final.
func (d *Desk) compare() {
	d.Differences, d.Resolution = nil, ""
	if a, b := d.Sheets[0], d.Sheets[1]; a != nil && b != nil && a.Final && b.Final {
		d.Differences = Differences(a.Count, b.Count)
	}
}

// Resolve applies the coordinator's resolution. The coordinator may not be
// one of the clerks; keeping an entry needs differences to resolve,
// returning or discarding needs both entries final (an equal pair can be
// sent back too, when its checks find an error).
func (d *Desk) Resolve(coordinator string, r Resolution) error {
	if err := d.coordinates(coordinator); err != nil {
		return err
	}
	a, b := d.Sheets[0], d.Sheets[1]
	if a == nil || b == nil || !a.Final || !b.Final {
		return errs.New(errs.Conflict, "两次录入都提交后才能处理")
	}
	switch r {
	case KeepFirst, KeepSecond:
		if d.Status() != EntryDifferent {
			return errs.New(errs.Conflict, "两次录入没有待处理的不一致")
		}
		d.Resolution = r
	case ReturnFirst, ReturnSecond:
		s := d.Sheets[0]
		if r == ReturnSecond {
			s = d.Sheets[1]
		}
		s.Final, s.Returned = false, true
		d.Differences, d.Resolution = nil, ""
	case DiscardBoth:
		d.Sheets, d.Differences, d.Resolution = [2]*Sheet{}, nil, ""
	default:
		return errs.OnField("resolution", "请选择处理方式")
	}
	return nil
}

// Confirm confirms the agreed count: findings are its checks' results and
// acked the codes of the warnings the coordinator acknowledged.
func (d *Desk) Confirm(coordinator string, findings []Finding, acked map[string]bool) error {
	if err := d.coordinates(coordinator); err != nil {
		return err
	}
	if d.Status() != EntryAgreed {
		return errs.Newf(errs.Conflict, "计票结果%s,不能确认:两次录入一致或不一致已处理后才能确认", d.Status().Label())
	}
	if err := Confirmable(findings, acked); err != nil {
		return err
	}
	d.Confirmed = true
	return nil
}

// Confirmable refuses a count whose checks found an error, or a warning
// not acknowledged, naming the first.
func Confirmable(findings []Finding, acked map[string]bool) error {
	for _, f := range findings {
		if f.Error {
			return errs.Newf(errs.Unprocessable, "校验%s未通过,不能确认:%s", f.Code, f.Message)
		}
	}
	for _, f := range findings {
		if !acked[f.Code] {
			return errs.Newf(errs.Unprocessable, "提醒%s尚未确认知悉:%s", f.Code, f.Message)
		}
	}
	return nil
}

// coordinates refuses a coordinator who entered one of the entries.
func (d *Desk) coordinates(coordinator string) error {
	if d.Confirmed {
		return errs.New(errs.Conflict, "该计票点的计票结果已确认")
	}
	if d.SlotOf(coordinator) >= 0 {
		return errs.New(errs.Forbidden, "你是本计票点的录入员,不能协调处理或确认自己参与录入的计票结果")
	}
	return nil
}

func ordinal(i int) string {
	if i == 1 {
		return "二"
	}
	return "一"
}
