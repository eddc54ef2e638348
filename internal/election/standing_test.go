package election_test

import (
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
)

// A committee's stage from its latest ballot, its results and handover.
func TestStanding(t *testing.T) {
	for _, c := range []struct {
		s    election.Standing
		want election.Stage
	}{
		{election.Standing{}, election.StageNone},
		{election.Standing{Elected: true}, election.StageElected}, // results recorded without ballots
		{election.Standing{Latest: election.BallotOpen, Round: election.FirstRound}, election.StageVoting},
		{election.Standing{Latest: election.BallotCounting, Round: election.FurtherRound}, election.StageVoting},
		{election.Standing{Latest: election.BallotConfirmed, Round: election.FirstRound}, election.StageElected},
		{election.Standing{Latest: election.BallotConfirmed, Round: election.FirstRound, Unfilled: true}, election.StageFurther},
		{election.Standing{Latest: election.BallotVoid, Round: election.FirstRound, RerunBy: "2027-02-15"}, election.StageVoid},
		{election.Standing{Latest: election.BallotVoid, Round: election.FirstRound, Elected: true}, election.StageVoid},
		{election.Standing{Latest: election.BallotConfirmed, Elected: true, HandedOver: true}, election.StageHandedOver},
		{election.Standing{HandedOver: true}, election.StageHandedOver},
	} {
		if got := c.s.Stage(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.s, got, c.want)
		}
	}
}

// A community's stage from its two committees': trouble first, then a vote
// under way; handed over only when both are.
func TestCombine(t *testing.T) {
	n, v, e, f, x, h := election.StageNone, election.StageVoting, election.StageElected, election.StageFurther, election.StageVoid,
		election.StageHandedOver
	for _, c := range []struct {
		in   []election.Stage
		want election.Stage
	}{
		{[]election.Stage{n, n}, n}, {nil, n},
		{[]election.Stage{v, n}, v}, {[]election.Stage{h, v}, v},
		{[]election.Stage{e, n}, e}, {[]election.Stage{h, n}, e}, {[]election.Stage{h, e}, e},
		{[]election.Stage{h, h}, h},
		{[]election.Stage{h, f}, f}, {[]election.Stage{f, v}, f},
		{[]election.Stage{x, f}, x}, {[]election.Stage{n, x}, x},
	} {
		if got := election.Combine(c.in...); got != c.want {
			t.Errorf("%v: %s, want %s", c.in, got, c.want)
		}
	}
	seen := map[string]bool{}
	for _, s := range election.Stages {
		if s.Label() == "" || seen[s.Label()] {
			t.Errorf("stage %s: label %q missing or twice", s, s.Label())
		}
		seen[s.Label()] = true
	}
}

// A void election is re-run within Settings.RerunDays (rules.md §3.2,
// Chongqing 2025: "30日内"): late the day after its re-run day, near from
// RerunWarnDays before it.
func TestRerun(t *testing.T) {
	const by civil.Date = "2027-03-31"
	for _, c := range []struct {
		today      civil.Date
		late, near bool
	}{
		{"2027-03-23", false, false}, {"2027-03-24", false, true}, {"2027-03-31", false, true}, {"2027-04-01", true, true},
	} {
		if election.RerunLate(by, c.today) != c.late || election.RerunNear(by, c.today) != c.near {
			t.Errorf("today %s: late %v near %v, want %v %v", c.today, election.RerunLate(by, c.today), election.RerunNear(by, c.today),
				c.late, c.near)
		}
	}
}
