package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The outcome of a confirmed ballot (issue 15, point 5). ConfirmBallot
// ends here, in its transaction: the law's outcome is decided on the
// ballot's total with the cycle's settings and margins (election.Decide,
// the same functions as the outcome check), kept with the settings it was
// decided under (ballot_outcomes, a protected record). A void outcome
// voids the ballot with its reasons and the re-run deadline; a valid one
// sets the committee's elected members (SetElected) from every valid
// ballot of that committee so far: a further ballot adds to the first.

// decideBallot decides the outcome of the confirmed ballot b.
func (t *Tx) decideBallot(ctx context.Context, b Ballot) (Ballot, error) {
	settings, err := t.q.ElectionSettings(ctx)
	if err != nil {
		return b, err
	}
	margins, err := t.q.Margins(ctx)
	if err != nil {
		return b, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return b, err
	}
	lo, hi := t.q.scope.Bounds()
	earlier, err := t.q.ballots(ctx, t.tx, ` AND o.code = $4 AND b.committee = $5 AND b.id < $6`,
		[]any{cycleID, lo, hi, b.Community, string(b.Committee), b.ID})
	if err != nil {
		return b, err
	}
	womanBefore := false
	for _, e := range earlier {
		for _, p := range electedOfBallot(e) {
			womanBefore = womanBefore || p.sex == "女"
		}
	}
	b.Outcome = decide(b, settings, margins, womanBefore)
	valid := true
	// The reasons of every post, each once (a vote without quorum is
	// void for every post alike).
	var reasons []string
	for _, p := range vetting.PostsOf(b.Committee) {
		if o, ok := b.Outcome[p]; ok && !o.Valid {
			valid = false
			for _, r := range o.Reasons {
				if line := r.Code + " " + r.Message; !slices.Contains(reasons, line) {
					reasons = append(reasons, line)
				}
			}
		}
	}
	raw, _ := json.Marshal(b.Outcome)
	rawSettings, _ := json.Marshal(settings)
	if _, err := t.exec(ctx, `INSERT INTO ballot_outcomes (ballot_id, valid, outcome, settings, decided_by, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, b.ID, boolInt(valid), string(raw), string(rawSettings), t.q.actor.Name, t.s.clock()); err != nil {
		return b, err
	}
	if err := t.Audit(ctx, audit.BallotOutcome, On("ballot", b.ID, b.Community), nil,
		audit.Fields{"valid": valid, "outcome": outcomeText(b)}); err != nil {
		return b, err
	}
	if !valid {
		return t.voidDecided(ctx, b, strings.Join(reasons, ";"), settings)
	}
	return b, t.electFrom(ctx, b, append(earlier, b), settings)
}

// decide is the law's outcome of b's total, per post: the party
// committee's members on one list of all its seats (its secretary and
// deputies are elected by the committee afterwards), the residents'
// committee post by post (election.DecidePosts).
func decide(b Ballot, s election.Settings, m slate.Margins, womanBefore bool) map[vetting.Post]election.Outcome {
	total := *b.Total
	val := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	eb := election.Ballot{Committee: b.Committee, Round: b.Round, Registered: b.Registered, ShouldAttend: b.ShouldAttend,
		Present: b.Present, Voted: val(total.Voted), Issued: val(total.Issued), Returned: val(total.Returned),
		Invalid: val(total.Invalid), WomenElsewhere: womanBefore}
	var votes []election.PostVotes
	for _, l := range total.Lines {
		votes = append(votes, election.PostVotes{Key: l.Key, Name: l.Name, Sex: l.Sex, Post: l.Post, Votes: val(l.Yes)})
	}
	for _, w := range total.WriteIns {
		votes = append(votes, election.PostVotes{Name: w.Name, Sex: w.Sex, Post: w.Post, Votes: val(w.Yes), WriteIn: true})
	}
	first := b.Round == election.FirstRound || b.Round == election.RepeatRound
	if b.Committee == org.PartyCommittee {
		seats := 0
		for _, n := range b.Seats {
			seats += n
		}
		at := map[string]int{}
		for _, v := range votes {
			i, ok := at[v.Name]
			if !ok {
				i = len(eb.Candidates)
				at[v.Name] = i
				eb.Candidates = append(eb.Candidates, election.Candidate{Key: v.Key, Name: v.Name, Sex: v.Sex, WriteIn: v.WriteIn})
				if !v.WriteIn {
					eb.Formal++
				}
			}
			eb.Candidates[i].Votes += v.Votes
		}
		eb.Seats = seats
		if first {
			eb.MinFormal = election.MinCandidates(b.Committee, vetting.CommitteeMember, seats, m)
		}
		return map[vetting.Post]election.Outcome{vetting.CommitteeMember: election.Decide(eb, s)}
	}
	least := map[vetting.Post]int{}
	if first {
		for p, n := range b.Seats {
			least[p] = election.MinCandidates(b.Committee, p, n, m)
		}
	}
	return election.DecidePosts(eb, b.Seats, votes, least, s)
}

// elected is one person a ballot elected, with what SetElected needs.
type electedPerson struct {
	key, name, sex string
	post           vetting.Post
	votes          int
	writeIn        bool
}

// electedOfBallot lists who b's kept outcome elected, by post, with the
// votes on their own line (written-in names have no aspirant).
func electedOfBallot(b Ballot) []electedPerson {
	if b.State != election.BallotConfirmed || b.Total == nil {
		return nil
	}
	var out []electedPerson
	for _, p := range vetting.PostsOf(b.Committee) {
		o, ok := b.Outcome[p]
		if !ok || !o.Valid {
			continue
		}
		for _, name := range o.Elected {
			e := electedPerson{name: name, post: p, writeIn: true}
			for _, l := range b.Total.Lines {
				if l.Name == name && (l.Post == p || b.Committee == org.PartyCommittee) {
					e.key, e.sex, e.writeIn = l.Key, l.Sex, false
					if l.Yes != nil {
						e.votes += *l.Yes
					}
				}
			}
			for _, w := range b.Total.WriteIns {
				if e.writeIn && w.Name == name && w.Yes != nil {
					e.sex, e.votes = w.Sex, e.votes+*w.Yes
				}
			}
			out = append(out, e)
		}
	}
	return out
}

// electFrom sets the committee's elected members from its valid ballots so
// far. A written-in person elected has no aspirant record (no birth date,
// education or party status), so the members are then not set and the
// outcome says so: the office enters that person's details first.
func (t *Tx) electFrom(ctx context.Context, b Ballot, ballots []Ballot, s election.Settings) error {
	var members []ElectedMember
	for _, x := range ballots {
		if x.State != election.BallotConfirmed || x.Total == nil {
			continue
		}
		base := x.Total.Voted
		if base == nil || *base == 0 {
			base = x.Total.Returned
		}
		n := 0
		if base != nil {
			n = *base
		}
		if x.Committee == org.PartyCommittee {
			n = x.ShouldAttend
			if s.ThresholdBase == election.BasePresent {
				n = x.Present
			}
		}
		for _, e := range electedOfBallot(x) {
			if e.writeIn {
				return nil
			}
			id, err := strconv.ParseInt(e.key, 10, 64)
			if err != nil {
				return nil
			}
			members = append(members, ElectedMember{AspirantID: id, Name: e.name, Sex: e.sex, Post: e.post, Votes: e.votes,
				Base: n, Round: x.Round})
		}
	}
	if len(members) == 0 {
		return nil
	}
	return t.SetElected(ctx, b.Community, b.Committee, members)
}

// voidDecided voids the confirmed ballot b whose outcome is void, with the
// outcome's reasons and the re-run deadline (rules.md §3.2: 30 days).
func (t *Tx) voidDecided(ctx context.Context, b Ballot, reason string, s election.Settings) (Ballot, error) {
	before := b.State
	b.State, b.VoidReason, b.RerunBy = election.BallotVoid, reason, b.Day.AddDays(s.RerunDays)
	if _, err := t.exec(ctx, `UPDATE ballots SET state = $1, void_reason = $2, rerun_by = $3 WHERE id = $4`,
		string(b.State), reason, string(b.RerunBy), b.ID); err != nil {
		return b, err
	}
	return b, t.Audit(ctx, audit.BallotVoid, On("ballot", b.ID, b.Community), audit.Fields{"state": string(before)},
		audit.Fields{"state": string(b.State), "reason": reason, "rerun_by": string(b.RerunBy)})
}

// outcomeText is the outcome in words for the audit log.
func outcomeText(b Ballot) string {
	var parts []string
	for _, p := range vetting.PostsOf(b.Committee) {
		o, ok := b.Outcome[p]
		if !ok {
			continue
		}
		s := p.Label() + ":"
		switch {
		case !o.Valid:
			s += "无效"
		case len(o.Elected) > 0:
			s += strings.Join(o.Elected, "、") + "当选"
		default:
			s += "无人当选"
		}
		if o.FurtherSeats > 0 {
			s += ",另行选举" + itoa(int64(o.FurtherSeats)) + "名"
		}
		if len(o.RevoteBetween) > 0 {
			s += "," + strings.Join(o.RevoteBetween, "、") + "得票相等须再次投票"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ";")
}
