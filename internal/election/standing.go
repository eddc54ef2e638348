package election

import (
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Where each committee's election stands, as the ballots, the results and
// the handover tell it: the battle map's colouring by election, the
// progress table's vote stages, the daily agenda and the warnings read it
// (issue 15, points 8 and 9). No SQL, no HTTP.

// Stage is where one committee's election (or a community's two) stands.
type Stage string

// The stages, in the order the map's legend lists them.
const (
	StageNone       Stage = "not_started" // no ballot opened, no result recorded
	StageVoting     Stage = "voting"      // the latest ballot is open or being counted
	StageElected    Stage = "elected"     // the latest ballot confirmed and the committee elected (or its result recorded)
	StageFurther    Stage = "further"     // confirmed, seats left for a further ballot (另行选举) or a revote not yet opened
	StageVoid       Stage = "void"        // the latest ballot void: to be held again by its re-run day
	StageHandedOver Stage = "handed_over" // the new committee took over (工作移交)
)

var stageLabels = map[Stage]string{StageNone: "未开始", StageVoting: "投票中/计票中", StageElected: "已确认", StageFurther: "须另行选举",
	StageVoid: "选举无效待重选", StageHandedOver: "已交接"}

// Label is the Chinese name.
func (s Stage) Label() string { return stageLabels[s] }

// Stages lists them.
var Stages = []Stage{StageNone, StageVoting, StageElected, StageFurther, StageVoid, StageHandedOver}

// Standing is what one committee's election is made of: its latest ballot
// (state and round, "" when none was opened; an outcome that elects
// nobody by the law voids the ballot), whether that ballot, confirmed,
// left seats to fill (Unfilled), whether the committee's members are
// recorded and whether it handed over.
type Standing struct {
	Latest     BallotState `json:"latest"`
	Round      Round       `json:"round"`
	Unfilled   bool        `json:"unfilled"`
	Elected    bool        `json:"elected"`
	HandedOver bool        `json:"handed_over"`
	RerunBy    civil.Date  `json:"rerun_by,omitempty"` // of a void latest ballot
}

// Stage is the committee's stage: handed over once the handover is
// recorded; without a ballot, elected when its result was recorded
// directly, else not started; then the latest ballot's: open or counting
// is voting, void is void, confirmed with seats left is a further ballot
// (or a revote) to hold, else elected.
func (s Standing) Stage() Stage {
	switch {
	case s.HandedOver:
		return StageHandedOver
	case s.Latest == "" && s.Elected:
		return StageElected
	case s.Latest == "":
		return StageNone
	case s.Latest == BallotOpen || s.Latest == BallotCounting:
		return StageVoting
	case s.Latest == BallotVoid:
		return StageVoid
	case s.Unfilled:
		return StageFurther
	}
	return StageElected
}

// Combine is a community's stage from its committees' stages: a void
// election shows first, then a further ballot to hold, then a vote under
// way; handed over when every committee handed over; elected when one at
// least was elected or handed over; else not started.
func Combine(stages ...Stage) Stage {
	has := func(want ...Stage) bool {
		for _, s := range stages {
			for _, w := range want {
				if s == w {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has(StageVoid):
		return StageVoid
	case has(StageFurther):
		return StageFurther
	case has(StageVoting):
		return StageVoting
	case len(stages) > 0 && !has(StageNone, StageElected):
		return StageHandedOver
	case has(StageElected, StageHandedOver):
		return StageElected
	}
	return StageNone
}

// Unfilled reports an outcome (per post, as a confirmed ballot keeps it)
// that left seats to fill: a further ballot (另行选举, the women's seat
// among them) or a revote between those tied at the last seat. A ballot
// whose outcome leaves none elected its committee.
func Unfilled(outcome map[vetting.Post]Outcome) bool {
	for _, o := range outcome {
		if o.FurtherSeats > 0 || len(o.RevoteBetween) > 0 || o.WomenSeatUnfilled {
			return true
		}
	}
	return false
}

// RerunWarnDays is how many days before its re-run day a void election is
// warned about as near (as progress.DueWithin warns of a stage due).
const RerunWarnDays = 7

// RerunLate reports a void election not held again by its re-run day
// (Settings.RerunDays after the void ballot's day, rules.md §3.2).
func RerunLate(rerunBy, today civil.Date) bool { return today > rerunBy }

// RerunNear reports a void election whose re-run day is within
// RerunWarnDays, or passed.
func RerunNear(rerunBy, today civil.Date) bool { return rerunBy <= today.AddDays(RerunWarnDays) }
