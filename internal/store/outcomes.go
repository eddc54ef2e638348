package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
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
	settings, err := t.electionSettings(ctx)
	if err != nil {
		return b, err
	}
	margins, err := t.margins(ctx)
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
	b.Results, err = t.electFrom(ctx, b.Community, b.Committee, append(earlier, b), settings, false)
	return b, err
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

// electFrom sets committee c's elected members of the community with code
// from its valid (confirmed) ballots among ballots, each member with the
// votes on their own line, the base and the round. A person written in
// (另选他人) has no aspirant record: their details are the ones the office
// entered for that ballot and name (written_in_details, SetWrittenIn), and
// while one is missing the members are not set. It returns why the
// members could not be set ("" when they were, or when no ballot elected
// anyone): the persons whose details are missing, a candidate whose
// aspirant record is not one, a rule of the members refused (SetElected's
// 422, which comes before it writes anything). The reason is kept in
// results_pending, for the ballot and results pages, and audited
// (results.pending); a later call that sets the members deletes it.
//
// After a confirmed ballot was declared void (again true), the members
// are those of the remaining valid ballots: none elected, or not all
// known, leave the committee without members rather than keep those the
// void ballot elected.
func (t *Tx) electFrom(ctx context.Context, code string, c org.Committee, ballots []Ballot, s election.Settings, again bool) (string, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return "", err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return "", err
	}
	details, err := writtenInDetails(ctx, t.tx, cycleID, orgID)
	if err != nil {
		return "", err
	}
	var members []ElectedMember
	var missing, broken []string
	for _, x := range ballots {
		if x.State != election.BallotConfirmed || x.Total == nil || x.Committee != c {
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
			m := ElectedMember{Name: e.name, Sex: e.sex, Post: e.post, Votes: e.votes, Base: n, Round: x.Round}
			if e.writeIn {
				d, ok := details[x.ID][e.name]
				if !ok {
					missing = append(missing, e.name+"("+ballotWords(x.Committee, x.Round, x.Seq)+")")
					continue
				}
				m.Sex, m.BirthDate, m.Education, m.Party = d.Sex, d.BirthDate, d.Education, d.Party
			} else if m.AspirantID, err = strconv.ParseInt(e.key, 10, 64); err != nil || m.AspirantID <= 0 {
				broken = append(broken, e.name)
				continue
			}
			members = append(members, m)
		}
	}
	var reason string
	switch {
	case len(missing) > 0:
		reason = "另选他人" + strings.Join(missing, "、") + "当选,须登记其性别、出生日期、文化程度和政治面貌后才能登记" + c.Label() + "的当选人员"
	case len(broken) > 0:
		reason = "候选人" + strings.Join(broken, "、") + "在选票上的参选人记录无效,不能登记" + c.Label() + "的当选人员,请联系换届办公室核查"
	case len(members) > 0:
		why := ""
		if again {
			why = "投票被宣布无效,按其余有效投票重新计算"
		}
		err := t.setElected(ctx, code, c, members, why)
		if errs.Is(err, errs.Unprocessable) {
			reason = c.Label() + "的当选人员未能登记:" + errs.MessageOf(err)
		} else if err != nil {
			return "", err
		}
	}
	if again && (reason != "" || len(members) == 0) {
		// The void ballot's members go: none elected by the rest, or not all known yet.
		old, err := electedOf(ctx, t.tx, cycleID, orgID, c)
		if err != nil {
			return "", err
		}
		if len(old) > 0 {
			why := "其余有效投票未选出当选人员"
			if reason != "" {
				why = reason
			}
			if err := t.setElected(ctx, code, c, nil, "投票被宣布无效;"+why); err != nil {
				return "", err
			}
		}
	}
	if reason == "" {
		_, err := t.exec(ctx, `DELETE FROM results_pending WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`, cycleID, orgID, string(c))
		return "", err
	}
	if _, err := t.exec(ctx, `INSERT INTO results_pending (cycle_id, org_id, committee, reason) VALUES ($1, $2, $3, $4)
		ON CONFLICT (cycle_id, org_id, committee) DO UPDATE SET reason = excluded.reason`, cycleID, orgID, string(c), reason); err != nil {
		return "", err
	}
	return reason, t.Audit(ctx, audit.ResultsPending, On("community", code, code), nil, audit.Fields{"committee": c.Label(), "reason": reason})
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
