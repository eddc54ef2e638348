package vetting

// Status is where an aspirant stands in the qualification gate.
type Status string

// The statuses. Joint review runs registered → under review → reviewed; the
// second review then decides qualified, barred (不得) or unsuitable (不宜); an
// unsuitable aspirant may be persuaded to withdraw (劝退). A case can
// disqualify an aspirant from any status that is not final. A second joint
// review (二次联审) sends a reviewed, qualified or unsuitable aspirant back
// under review.
const (
	Registered   Status = "registered"   // 已登记
	UnderReview  Status = "under_review" // 联审中
	Reviewed     Status = "reviewed"     // 联审完成
	Qualified    Status = "qualified"    // 资格通过
	Barred       Status = "barred"       // 存在不得情形
	Unsuitable   Status = "unsuitable"   // 存在不宜情形
	Withdrawn    Status = "withdrawn"    // 已劝退
	Disqualified Status = "disqualified" // 取消参选资格
)

var statusChoices = choices[Status]{
	{Registered, "已登记"}, {UnderReview, "联审中"}, {Reviewed, "联审完成"}, {Qualified, "资格通过"},
	{Barred, "存在不得情形"}, {Unsuitable, "存在不宜情形"}, {Withdrawn, "已劝退"}, {Disqualified, "取消参选资格"},
}

var aspirantMachine = machine[Status]{noun: "参选人", states: statusChoices, next: map[Status][]Status{
	Registered:  {UnderReview, Disqualified},
	UnderReview: {Reviewed, Disqualified},
	Reviewed:    {Qualified, Barred, Unsuitable, UnderReview, Disqualified},
	Qualified:   {UnderReview, Disqualified},
	Unsuitable:  {Withdrawn, UnderReview, Disqualified},
}}

// Statuses lists every status in order.
var Statuses = statusChoices.codes()

// Label is the Chinese name of the status.
func (s Status) Label() string { return statusChoices.label(s) }

// Valid reports whether s is known.
func (s Status) Valid() bool { return statusChoices.valid(s) }

// Final reports whether nothing can follow s: barred, withdrawn, disqualified.
func (s Status) Final() bool { return s.Valid() && len(aspirantMachine.next[s]) == 0 }

// decided reports whether the second review has decided on an aspirant in s
// (a disqualification may come before any review, so it does not count).
func (s Status) decided() bool {
	return s == Qualified || s == Barred || s == Unsuitable || s == Withdrawn
}

// Next lists the statuses that may follow s.
func (s Status) Next() []Status { return append([]Status(nil), aspirantMachine.next[s]...) }

// CanStartRound reports whether an aspirant in s is sent to a new round of
// kind k: a joint review (联审) takes those not reviewed yet, so a later
// one for late registrations leaves the decided alone; a second joint
// review (二次联审) takes everyone the state machine lets go back under
// review.
func (s Status) CanStartRound(k RoundKind) bool {
	if k == FirstRound {
		return s == Registered
	}
	return Transition(s, UnderReview) == nil
}

// Transition checks one step of an aspirant's status. It refuses skipped
// steps, steps out of a final status and non-changes with a Chinese message
// naming the allowed next steps (code Conflict).
func Transition(from, to Status) error { return aspirantMachine.check(from, to) }
