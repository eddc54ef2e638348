package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
)

// What the elections feed to the rest of the platform (issue 15, points 8
// and 9): where each committee's election stands (the battle map's
// colouring), the progress table's vote stages (marked done when a ballot
// elects the committee, shown waiting for a re-run when the latest ballot
// is void), the daily agenda's lines and the warnings (votes today,
// counts awaiting a clerk or the coordinator, void elections with their
// re-run day, handovers past due, result reports not filed: UnfiledReports
// in ballot_reports.go) and the
// figures of the counts in the statistics. Every read is a few set-based
// statements over the communities in scope, whatever their number.

// voteStage is the progress stage of committee c's vote in the default
// templates (progress.Defaults): a template without it has no vote stage
// to mark or to show waiting.
func voteStage(c org.Committee) string {
	if c == org.PartyCommittee {
		return "party_congress"
	}
	return "res_vote"
}

// latestBallot is the condition that ballot b (of org o, committee
// committee, in cycle $1) is the committee's latest.
func latestBallot(b, committee string) string {
	return b + `.id = (SELECT MAX(x.id) FROM ballots x WHERE x.cycle_id = $1 AND x.org_id = o.id AND x.committee = ` + committee + `)`
}

// ballotDecided follows the outcome decided on the confirmed ballot b
// (decideBallot; a void outcome has voided it): it keeps the ballot's
// figures (ballot_figures: who voted, whether seats are left to fill;
// derived, read by the statistics and the map without the ballot's JSON),
// and when no seat is left the ballot elected the committee: its vote
// stage is marked done (markVote; b.Progress says what became of it).
func (t *Tx) ballotDecided(ctx context.Context, b *Ballot) error {
	if b.Outcome == nil || b.Total == nil {
		return nil
	}
	voted := 0
	for _, n := range []*int{b.Total.Returned, b.Total.Voted} { // 参加投票人数 when entered, else the ballots returned
		if n != nil && *n > 0 {
			voted = *n
		}
	}
	unfilled := election.Unfilled(b.Outcome)
	if _, err := t.exec(ctx, `INSERT INTO ballot_figures (ballot_id, voted, unfilled) VALUES ($1, $2, $3)`, b.ID, voted,
		boolInt(unfilled)); err != nil {
		return err
	}
	if unfilled || b.State != election.BallotConfirmed {
		return nil
	}
	var err error
	b.Progress, err = t.markVote(ctx, *b)
	return err
}

// ElectionStanding is where a community's two elections stand.
type ElectionStanding struct {
	Party     election.Standing `json:"party"`
	Residents election.Standing `json:"residents"`
}

// Of is committee c's standing.
func (e ElectionStanding) Of(c org.Committee) election.Standing {
	if c == org.PartyCommittee {
		return e.Party
	}
	return e.Residents
}

// Stage is the community's stage (election.Combine).
func (e ElectionStanding) Stage() election.Stage {
	return election.Combine(e.Party.Stage(), e.Residents.Stage())
}

// Note says each committee's stage in words, as the map's title does.
func (e ElectionStanding) Note() string {
	note := ""
	for i, c := range org.Committees {
		if i > 0 {
			note += ";"
		}
		s := e.Of(c)
		note += c.Label() + ":" + s.Stage().Label()
		if s.Stage() == election.StageVoid && s.RerunBy != "" {
			note += ",须于" + s.RerunBy.String() + "前重新选举"
		}
	}
	return note
}

// ElectionStandings reads where the elections of the communities in scope
// that f selects (district, class) stand, by community code: each
// committee's latest ballot with its outcome, its result and its handover,
// in one statement. A community with nothing to tell is absent (not started).
func (q *Scoped) ElectionStandings(ctx context.Context, f CommunityFilter) (map[string]ElectionStanding, error) {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	from, args, err := q.s.communityFrom(ctx, q.scope, cycle.ID, f)
	if err != nil {
		return nil, err
	}
	out := map[string]ElectionStanding{}
	err = q.s.each(ctx, `SELECT o.code, c.committee, COALESCE(b.state, ''), COALESCE(b.round, ''), COALESCE(b.rerun_by, ''),
		COALESCE(bf.unfilled, 0), CASE WHEN t.org_id IS NULL THEN 0 ELSE 1 END, CASE WHEN h.org_id IS NULL THEN 0 ELSE 1 END
		FROM (SELECT o.id`+from+`) pg JOIN orgs o ON o.id = pg.id
		CROSS JOIN (SELECT 'party' AS committee UNION ALL SELECT 'residents') c
		LEFT JOIN ballots b ON b.cycle_id = $1 AND b.org_id = o.id AND b.committee = c.committee AND `+latestBallot("b", "c.committee")+`
		LEFT JOIN ballot_figures bf ON bf.ballot_id = b.id
		LEFT JOIN result_tallies t ON t.cycle_id = $1 AND t.org_id = o.id AND t.committee = c.committee
		LEFT JOIN handovers h ON h.cycle_id = $1 AND h.org_id = o.id AND h.committee = c.committee
		WHERE b.id IS NOT NULL OR t.org_id IS NOT NULL OR h.org_id IS NOT NULL`, func(rows *sql.Rows) error {
		var code string
		var c org.Committee
		var s election.Standing
		var unfilled, elected, handed int
		if err := rows.Scan(&code, &c, &s.Latest, &s.Round, &s.RerunBy, &unfilled, &elected, &handed); err != nil {
			return err
		}
		s.Unfilled, s.Elected, s.HandedOver = unfilled != 0, elected != 0, handed != 0
		e := out[code]
		if c == org.PartyCommittee {
			e.Party = s
		} else {
			e.Residents = s
		}
		out[code] = e
		return nil
	}, args...)
	return out, err
}

// Rerun is a committee's vote stage waiting for the re-run of a void
// election: the day it must be held by and why the vote was void.
type Rerun struct {
	By     civil.Date `json:"rerun_by"`
	Reason string     `json:"reason"`
}

// rerunCols are the re-run day and reason of the void latest ballots of
// both committees of org o, for ProgressRows (with rerunJoins).
const rerunCols = `COALESCE(vp.rerun_by, ''), COALESCE(vp.void_reason, ''), COALESCE(vr.rerun_by, ''), COALESCE(vr.void_reason, '')`

var rerunJoins = ` LEFT JOIN ballots vp ON vp.cycle_id = $1 AND vp.org_id = o.id AND vp.committee = 'party' AND vp.state = 'void' AND ` +
	latestBallot("vp", "'party'") + `
	LEFT JOIN ballots vr ON vr.cycle_id = $1 AND vr.org_id = o.id AND vr.committee = 'residents' AND vr.state = 'void' AND ` +
	latestBallot("vr", "'residents'")

// reruns keys the re-runs read with rerunCols by their vote stage (nil
// without one).
func reruns(party, partyReason, residents, residentsReason string) map[string]Rerun {
	if party == "" && residents == "" {
		return nil
	}
	out := map[string]Rerun{}
	if party != "" {
		out[voteStage(org.PartyCommittee)] = Rerun{By: civil.Date(party), Reason: partyReason}
	}
	if residents != "" {
		out[voteStage(org.ResidentsCommittee)] = Rerun{By: civil.Date(residents), Reason: residentsReason}
	}
	return out
}

// voteStageOf is the vote stage of committee c in the cycle's templates,
// false when they have none.
func (t *Tx) voteStageOf(ctx context.Context, c org.Committee) (progress.Stage, bool, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return progress.Stage{}, false, err
	}
	stages, err := t.stages(ctx, cycleID)
	if err != nil {
		return progress.Stage{}, false, err
	}
	stage, ok := progress.Find(stages, voteStage(c))
	return stage, ok, nil
}

// markVote marks the vote stage of ballot b's committee done on b's day
// (today, were that earlier), b confirmed and electing the committee, through MarkStage (the progress
// page's path, audited), when the cycle's templates have the stage and its
// dependencies allow; it says what became of the stage, "" without one.
func (t *Tx) markVote(ctx context.Context, b Ballot) (string, error) {
	stage, ok, err := t.voteStageOf(ctx, b.Committee)
	if err != nil || !ok {
		return "", err
	}
	day := min(b.Day, t.s.Today())
	_, err = t.MarkStage(ctx, ProgressMark{OrgCode: b.Community, Stage: stage.Code, DoneOn: day, Evidence: voteEvidence(b)})
	switch {
	case err == nil:
		return "进度表“" + stage.Name + "”已标记完成", nil
	case errs.Is(err, errs.Unprocessable):
		return "进度表“" + stage.Name + "”未标记:" + errs.MessageOf(err), nil
	}
	return "", err
}

// voteEvidence is the evidence markVote gives the vote stage it marks for
// ballot b: what tells, when b is declared void, that its confirmation
// made the mark (voided.go) and not a person since.
func voteEvidence(b Ballot) string {
	evidence := b.Round.Label() + "计票结果已确认,选举产生" + b.Committee.Label()
	if b.Seq > 1 {
		evidence = "第" + strconv.Itoa(b.Seq) + "次" + evidence
	}
	return evidence
}

// BallotLine is a ballot as the agenda and the warnings name it.
type BallotLine struct {
	BallotID  int64                `json:"ballot_id"`
	Code      string               `json:"code"`
	Name      string               `json:"name"`
	District  string               `json:"district"`
	Committee org.Committee        `json:"committee"`
	Round     election.Round       `json:"round"`
	Seq       int                  `json:"seq"`
	Day       civil.Date           `json:"day"`
	State     election.BallotState `json:"state"`
}

const ballotLineCols = `b.id, o.code, o.name, COALESCE(d.name, ''), b.committee, b.round, b.seq, b.day, b.state`

func (l *BallotLine) scan(rows *sql.Rows, more ...any) error {
	return rows.Scan(append([]any{&l.BallotID, &l.Code, &l.Name, &l.District, &l.Committee, &l.Round, &l.Seq, &l.Day, &l.State}, more...)...)
}

// ballotsFrom is the ballots b of the cycle ($1) in communities o between
// $2 and $3, with the district d.
const ballotsFrom = ` FROM ballots b JOIN orgs o ON o.id = b.org_id LEFT JOIN orgs d ON d.id = o.parent_id
	WHERE b.cycle_id = $1 AND o.path >= $2 AND o.path < $3`

func (q *Scoped) ballotArgs(ctx context.Context) ([]any, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	return []any{cycleID, lo, hi}, nil
}

// VotesOn lists the ballots in scope held on day (their day), in tree
// order, by committee and as they were opened.
func (q *Scoped) VotesOn(ctx context.Context, day civil.Date) ([]BallotLine, error) {
	args, err := q.ballotArgs(ctx)
	if err != nil {
		return nil, err
	}
	out := []BallotLine{}
	err = q.s.each(ctx, `SELECT `+ballotLineCols+ballotsFrom+` AND b.day = $4 ORDER BY o.path, b.committee, b.id`, func(rows *sql.Rows) error {
		var l BallotLine
		err := l.scan(rows)
		out = append(out, l)
		return err
	}, append(args, string(day))...)
	return out, err
}

// PendingCount is a ballot still counted whose stations wait: for their
// second entry, for the coordinator over a difference, for the
// coordinator's confirmation of an agreed count; or, every station
// confirmed, for the confirmation of the ballot's result.
type PendingCount struct {
	BallotLine
	Second    int  `json:"awaiting_second_entry"`
	Different int  `json:"different"`
	Agreed    int  `json:"agreed"`
	Stations  int  `json:"stations"`
	Total     bool `json:"awaiting_total"` // every station confirmed, the ballot not yet
}

// Waiting says in words what the ballot's count waits for.
func (p PendingCount) Waiting() string {
	var parts []string
	for _, x := range []struct {
		n    int
		what string
	}{{p.Second, "待第二次录入"}, {p.Different, "两次录入不一致待协调"}, {p.Agreed, "录入一致待确认"}} {
		if x.n > 0 {
			parts = append(parts, x.what+strconv.Itoa(x.n)+"个计票点")
		}
	}
	if p.Total {
		parts = append(parts, "各计票点均已确认,待确认投票结果")
	}
	return strings.Join(parts, ",")
}

// PendingCounts lists the ballots in scope still counted (open or
// counting) with a station awaiting a clerk's second entry or the
// coordinator, or whose every station is confirmed, in tree order: one
// statement grouping the stations by ballot.
func (q *Scoped) PendingCounts(ctx context.Context) ([]PendingCount, error) {
	args, err := q.ballotArgs(ctx)
	if err != nil {
		return nil, err
	}
	st := func(s election.EntryStatus) string {
		return `SUM(CASE WHEN u.status = '` + string(s) + `' THEN 1 ELSE 0 END)`
	}
	out := []PendingCount{}
	err = q.s.each(ctx, `SELECT `+ballotLineCols+`, `+st(election.EntrySecond)+`, `+st(election.EntryDifferent)+`, `+st(election.EntryAgreed)+`,
		`+st(election.EntryConfirmed)+`, COUNT(*) FROM count_units u JOIN ballots b ON b.id = u.ballot_id
		JOIN orgs o ON o.id = b.org_id LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE b.cycle_id = $1 AND o.path >= $2 AND o.path < $3 AND b.state IN ('open', 'counting')
		GROUP BY b.id, o.path, o.code, o.name, d.name, b.committee, b.round, b.seq, b.day, b.state ORDER BY o.path, b.id`, func(rows *sql.Rows) error {
		var p PendingCount
		var confirmed int
		if err := p.scan(rows, &p.Second, &p.Different, &p.Agreed, &confirmed, &p.Stations); err != nil {
			return err
		}
		p.Total = confirmed == p.Stations
		if p.Second+p.Different+p.Agreed > 0 || p.Total {
			out = append(out, p)
		}
		return nil
	}, args...)
	return out, err
}

// VoidElection is a committee whose latest ballot was declared void: it
// must be held again by RerunBy (late after it).
type VoidElection struct {
	BallotLine
	Reason  string     `json:"reason"`
	RerunBy civil.Date `json:"rerun_by"`
	Late    bool       `json:"late"`
}

// VoidElections lists the page p of the committees in scope whose latest
// ballot is void (no repeat or further ballot opened since) on today, by
// re-run day (so the late ones first) and in tree order, near only those
// whose re-run day is near (election.RerunNear), and how many there are.
func (q *Scoped) VoidElections(ctx context.Context, today civil.Date, near bool, p Page) ([]VoidElection, int, error) {
	args, err := q.ballotArgs(ctx)
	if err != nil {
		return nil, 0, err
	}
	from := ballotsFrom + ` AND b.state = 'void' AND ` + latestBallot("b", "b.committee")
	if near { // election.RerunNear, in the statement
		args = append(args, string(today.AddDays(election.RerunWarnDays)))
		from += ` AND b.rerun_by <= $4`
	}
	out := []VoidElection{}
	n, err := q.s.paged(ctx, ballotLineCols+`, b.void_reason, b.rerun_by`, from, `b.rerun_by, o.path, b.committee`, p,
		func(rows *sql.Rows) error {
			var v VoidElection
			err := v.scan(rows, &v.Reason, &v.RerunBy)
			v.Late = election.RerunLate(v.RerunBy, today)
			out = append(out, v)
			return err
		}, args...)
	return out, n, err
}

// HandoversOverdue lists the page p of the committees in scope elected and
// not handed over past their due day (election.HandoverDue) on today, the
// longest overdue first, and how many there are: one statement over the
// elected members' days and the handovers.
func (q *Scoped) HandoversOverdue(ctx context.Context, today civil.Date, p Page) ([]LateHandover, int, error) {
	args, err := q.ballotArgs(ctx)
	if err != nil {
		return nil, 0, err
	}
	settings, err := q.ElectionSettings(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := []LateHandover{}
	// Late when today is past electedOn + HandoverDays: electedOn before today less the days.
	n, err := q.s.paged(ctx, `o.code, o.name, COALESCE(d.name, ''), e.committee, e.elected_on`,
		` FROM (SELECT org_id, committee, MAX(elected_on) AS elected_on FROM elected_members WHERE cycle_id = $1 GROUP BY org_id, committee) e
		JOIN orgs o ON o.id = e.org_id LEFT JOIN orgs d ON d.id = o.parent_id
		LEFT JOIN handovers h ON h.cycle_id = $1 AND h.org_id = e.org_id AND h.committee = e.committee
		WHERE o.path >= $2 AND o.path < $3 AND h.org_id IS NULL AND e.elected_on < $4`, `e.elected_on, o.path, e.committee`, p,
		func(rows *sql.Rows) error {
			var l LateHandover
			err := rows.Scan(&l.Code, &l.Name, &l.District, &l.Committee, &l.ElectedOn)
			l.Due = election.HandoverDue(l.ElectedOn, settings)
			out = append(out, l)
			return err
		}, append(args, string(today.AddDays(-settings.HandoverDays)))...)
	return out, n, err
}

// ballotWords names a ballot as the agenda says it: 党组织委员会 · 第一次投票,
// a later one of its round numbered (第2次另行选举).
func ballotWords(c org.Committee, r election.Round, seq int) string {
	round := r.Label()
	if seq > 1 {
		round = "第" + strconv.Itoa(seq) + "次" + round
	}
	return c.Label() + " · " + round
}

func (l BallotLine) ballotWords() string { return ballotWords(l.Committee, l.Round, l.Seq) }

// agendaElections adds the elections' lines to the agenda of day: the
// ballots held that day, the counts waiting, the void elections, the
// handovers past due and the result reports not filed.
func (q *Scoped) agendaElections(ctx context.Context, a *meeting.Agenda) error {
	votes, err := q.VotesOn(ctx, a.Day)
	if err != nil {
		return err
	}
	for _, v := range votes {
		a.Votes = append(a.Votes, meeting.VoteLine{BallotID: v.BallotID, Code: v.Code, Community: v.Name, Ballot: v.ballotWords(),
			State: v.State.Label()})
	}
	counts, err := q.PendingCounts(ctx)
	if err != nil {
		return err
	}
	for _, c := range counts {
		a.Counts = append(a.Counts, meeting.CountLine{BallotID: c.BallotID, Code: c.Code, Community: c.Name, Ballot: c.ballotWords(),
			Waiting: c.Waiting()})
	}
	voids, _, err := q.VoidElections(ctx, a.Day, false, Page{})
	if err != nil {
		return err
	}
	for _, v := range voids {
		a.Voids = append(a.Voids, meeting.VoidLine{BallotID: v.BallotID, Code: v.Code, Community: v.Name, Ballot: v.ballotWords(),
			Reason: v.Reason, RerunBy: v.RerunBy, Late: v.Late})
	}
	late, _, err := q.HandoversOverdue(ctx, a.Day, Page{})
	if err != nil {
		return err
	}
	for _, h := range late {
		a.Handovers = append(a.Handovers, meeting.HandoverLine{Code: h.Code, Community: h.Name, Committee: h.Committee.Label(),
			ElectedOn: h.ElectedOn, Due: h.Due})
	}
	reports, err := q.UnfiledReports(ctx) // ballot_reports.go
	for _, r := range reports {
		a.Reports = append(a.Reports, meeting.ReportLine{BallotID: r.ID, Code: r.Community, Community: r.Name,
			Ballot: ballotWords(r.Committee, r.Round, r.Seq)})
	}
	return err
}
