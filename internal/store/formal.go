package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The formal candidate lists (正式候选人, issue 14 point 7). The rules are
// slate's (internal/slate/formal_list.go); here the lists are read and
// written in the cycle, within scope, and audited.

// FormalPerson is a person on a formal list with what the posted list
// shows: sex, age on the committee's election day, education, party.
type FormalPerson struct {
	slate.FormalCandidate
	Sex       string            `json:"sex"`
	Age       int               `json:"age"`
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
}

// FormalList is one committee's formal list of a community as it stands:
// its candidates by post (withdrawn ones kept, with who replaced them),
// the margin check of the standing candidates against the seats (Findings;
// SeatsSet false when the seats were unset since), and whether a
// withdrawal left a place empty (Short, with Warnings in Chinese).
type FormalList struct {
	Community   string          `json:"community"`
	Name        string          `json:"name"`
	Committee   org.Committee   `json:"committee"`
	ElectionDay civil.Date      `json:"election_day"`
	PostedOn    civil.Date      `json:"posted_on"`
	Candidates  []FormalPerson  `json:"candidates"`
	SeatsSet    bool            `json:"seats_set"`
	Findings    []slate.Finding `json:"findings"`
	Short       bool            `json:"short"`
	Warnings    []string        `json:"warnings"`
}

// Formal is the list as slate reads it.
func (l FormalList) Formal() slate.Formal {
	f := slate.Formal{Committee: l.Committee, PostedOn: l.PostedOn, Candidates: make([]slate.FormalCandidate, len(l.Candidates))}
	for i, c := range l.Candidates {
		f.Candidates[i] = c.FormalCandidate
	}
	return f
}

// FormalLists returns, in the current cycle, the formal lists of the
// community with code in scope (or, code "", of every community in scope,
// in tree order), the party committee's before the residents', each as it
// stands: candidates by post in the order they were listed, replacements
// after, withdrawn ones with the day, the reason and who replaced them.
// A committee without a list is absent. The elections take these lists as
// they are, and the board shows them.
func (q *Scoped) FormalLists(ctx context.Context, code string) ([]FormalList, error) {
	if code != "" {
		if _, err := communityInScope(ctx, q.s.db, q.scope, code); err != nil {
			return nil, err
		}
	}
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	margins, err := q.Margins(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	where, args := ` WHERE l.cycle_id = $1 AND o.path >= $2 AND o.path < $3`, []any{cycle.ID, lo, hi}
	if code != "" {
		where += ` AND o.code = $4`
		args = append(args, code)
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT o.code, o.name, l.committee, l.posted_on, COALESCE(ep.day, ''), COALESCE(er.day, ''),
		s.chief, s.deputies, s.members, s.full_members, s.body
		FROM formal_lists l JOIN orgs o ON o.id = l.org_id`+daysJoin+`
		LEFT JOIN seats s ON s.cycle_id = l.cycle_id AND s.org_id = l.org_id AND s.committee = l.committee`+where+`
		ORDER BY o.path, l.committee`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		code      string
		committee org.Committee
	}
	out := []FormalList{}
	at := map[key]int{}
	seats := map[key]slate.Seats{}
	for rows.Next() {
		var l FormalList
		var own progress.Days
		var chief, deputies, members, full sql.NullInt64
		var body sql.NullString
		if err := rows.Scan(&l.Community, &l.Name, &l.Committee, &l.PostedOn, &own.Party, &own.Residents,
			&chief, &deputies, &members, &full, &body); err != nil {
			return nil, err
		}
		l.ElectionDay = progress.Resolve(own, cycleDays(cycle)).For(progress.Election(l.Committee))
		l.Candidates = []FormalPerson{}
		k := key{l.Community, l.Committee}
		if l.SeatsSet = chief.Valid; l.SeatsSet {
			seats[k] = slate.Seats{Committee: l.Committee, Chief: int(chief.Int64), Deputies: int(deputies.Int64),
				Members: int(members.Int64), FullMembers: int(full.Int64), Body: slate.Body(body.String)}
		}
		at[k] = len(out)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	where = strings.Replace(where, "l.cycle_id", "c.cycle_id", 1)
	people, err := q.s.db.QueryContext(ctx, `SELECT o.code, c.committee, c.aspirant_id, a.name, c.post, c.posted_on, c.replaces,
		c.withdrawn_on, c.withdraw_reason, c.replaced_by, c.note, a.sex, a.age, a.committee, a.id_sealed, a.education, a.party
		FROM formal_candidates c JOIN orgs o ON o.id = c.org_id JOIN aspirants a ON a.id = c.aspirant_id`+where+`
		ORDER BY o.path, c.committee, c.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer people.Close()
	for people.Next() {
		var k key
		var p FormalPerson
		var registered org.Committee
		var sealed string
		if err := people.Scan(&k.code, &k.committee, &p.AspirantID, &p.Name, &p.Post, &p.PostedOn, &p.Replaces, &p.WithdrawnOn,
			&p.Reason, &p.ReplacedBy, &p.Note, &p.Sex, &p.Age, &registered, &sealed, &p.Education, &p.Party); err != nil {
			return nil, err
		}
		i, ok := at[k]
		if !ok {
			continue
		}
		if registered != k.committee && q.s.box != nil {
			// Stored ages are on the day of the committee registered for;
			// on the other committee's list, the age on its own day.
			number, err := q.s.box.Open(sealed)
			if err != nil {
				return nil, err
			}
			p.Age = vetting.Aspirant{IDNumber: number}.Age(out[i].ElectionDay.Start())
		}
		out[i].Candidates = append(out[i].Candidates, p)
	}
	if err := people.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		l := &out[i]
		order := vetting.PostsOf(l.Committee)
		slices.SortStableFunc(l.Candidates, func(a, b FormalPerson) int {
			return slices.Index(order, a.Post) - slices.Index(order, b.Post)
		})
		f := l.Formal()
		l.Findings = []slate.Finding{}
		if l.SeatsSet {
			l.Findings = slate.CheckList(seats[key{l.Community, l.Committee}], f.Counts(), margins)
		}
		l.Warnings = f.Warnings()
		l.Short = f.Short()
	}
	return out, nil
}

// formalOf reads, locking it, the formal list of committee c of community
// orgID in the transaction; false when there is none.
func (t *Tx) formalOf(ctx context.Context, cycleID, orgID int64, c org.Committee) (slate.Formal, bool, error) {
	f := slate.Formal{Committee: c}
	err := t.queryRow(ctx, `SELECT posted_on FROM formal_lists WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`+t.s.forUpdate(),
		cycleID, orgID, string(c)).Scan(&f.PostedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, err
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT c.aspirant_id, a.name, c.post, c.posted_on, c.replaces, c.withdrawn_on, c.withdraw_reason,
		c.replaced_by, c.note FROM formal_candidates c JOIN aspirants a ON a.id = c.aspirant_id
		WHERE c.cycle_id = $1 AND c.org_id = $2 AND c.committee = $3 ORDER BY c.seq`, cycleID, orgID, string(c))
	if err != nil {
		return f, true, err
	}
	defer rows.Close()
	for rows.Next() {
		var x slate.FormalCandidate
		if err := rows.Scan(&x.AspirantID, &x.Name, &x.Post, &x.PostedOn, &x.Replaces, &x.WithdrawnOn, &x.Reason, &x.ReplacedBy, &x.Note); err != nil {
			return f, true, err
		}
		f.Candidates = append(f.Candidates, x)
	}
	return f, true, rows.Err()
}

// nominees are the community's aspirants with the stage of their
// assessment today, by id, as slate.ValidateFormal reads them.
func (t *Tx) nominees(ctx context.Context, code string) (map[int64]slate.Nominee, error) {
	list, err := t.q.Candidates(ctx, code)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]slate.Nominee, len(list))
	for _, c := range list {
		out[c.ID] = slate.Nominee{Aspirant: c.Aspirant, Stage: c.Stage, Reason: c.Reason}
	}
	return out, nil
}

func formalFields(f slate.Formal) audit.Fields {
	names := make([]any, 0, len(f.Candidates))
	for _, c := range f.Candidates {
		names = append(names, c.Name+"("+c.Post.Label()+")")
	}
	return audit.Fields{"committee": string(f.Committee), "posted_on": string(f.PostedOn), "candidates": names}
}

// SetFormalList sets the formal list of committee c of the community with
// code in the transaction's scope, posted on posted: entries replace the
// list there was, until its posting day has passed or a candidate has
// withdrawn (then only withdrawals change it). Refused, on its field, when
// slate.ValidateFormal refuses it against the committee's seats, its
// election day, the cycle's margins and the community's persons as they
// stand today. Audited with the list before.
func (t *Tx) SetFormalList(ctx context.Context, code string, c org.Committee, posted civil.Date, entries []slate.Entry) (slate.Formal, error) {
	f := slate.Formal{Committee: c, PostedOn: posted}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return f, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return f, err
	}
	if c != org.PartyCommittee && c != org.ResidentsCommittee {
		return f, errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	old, exists, err := t.formalOf(ctx, cycleID, orgID, c)
	if err != nil {
		return f, err
	}
	today := civil.Of(t.s.clock())
	if exists {
		if today > old.PostedOn {
			return f, errs.Newf(errs.Conflict, "%s正式候选人名单已于%s公布,公布日已过,只能登记候选人退出", c.Label(), old.PostedOn)
		}
		for _, x := range old.Candidates {
			if !x.Standing() {
				return f, errs.Newf(errs.Conflict, "%s已退出,名单只能通过退出和递补变动", x.Name)
			}
		}
	}
	days, err := t.daysOf(ctx, orgID)
	if err != nil {
		return f, err
	}
	var seats slate.Seats
	seats.Committee = c
	set := true
	err = t.queryRow(ctx, `SELECT full_members, body, chief, deputies, members FROM seats WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`,
		cycleID, orgID, string(c)).Scan(&seats.FullMembers, &seats.Body, &seats.Chief, &seats.Deputies, &seats.Members)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		set = false
	case err != nil:
		return f, err
	}
	margins, err := t.margins(ctx)
	if err != nil {
		return f, err
	}
	people, err := t.nominees(ctx, code)
	if err != nil {
		return f, err
	}
	if err := slate.ValidateFormal(c, entries, people, seats, set, posted, days.For(progress.Election(c)), margins); err != nil {
		return f, err
	}
	var before audit.Fields
	if exists {
		before = formalFields(old)
	}
	if _, err := t.exec(ctx, `DELETE FROM formal_candidates WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`, cycleID, orgID, string(c)); err != nil {
		return f, err
	}
	if _, err := t.exec(ctx, `INSERT INTO formal_lists (cycle_id, org_id, committee, posted_on, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (cycle_id, org_id, committee) DO UPDATE SET posted_on = excluded.posted_on, set_by = excluded.set_by, set_at = excluded.set_at`,
		cycleID, orgID, string(c), string(posted), t.q.actor.Name, t.s.clock()); err != nil {
		return f, err
	}
	err = t.insertRows(ctx, "formal_candidates", []string{"cycle_id", "org_id", "committee", "aspirant_id", "post", "seq", "posted_on"},
		len(entries), func(i int) ([]any, error) {
			e := entries[i]
			return []any{cycleID, orgID, string(c), e.AspirantID, string(e.Post), i, string(posted)}, nil
		})
	if err != nil {
		return f, err
	}
	for _, e := range entries {
		f.Candidates = append(f.Candidates, slate.FormalCandidate{AspirantID: e.AspirantID, Name: people[e.AspirantID].Name, Post: e.Post, PostedOn: posted})
	}
	return f, t.Audit(ctx, audit.FormalList, On("community", code, code), before, formalFields(f))
}

// WithdrawFormal records a candidate's written withdrawal from the formal
// list of committee c of the community with code (slate.Withdrawal's
// rules) and fills the place with the next by votes in the committee's own
// recommendation for that post (slate.NextByVotes, slate.SourceFor) among
// the persons who passed and are not on the list, posted on the
// replacement's day (the withdrawal's when not given). When that day is
// too late (slate.CheckReplacementPosting) or nobody is left, the
// withdrawal is still recorded and the place stays empty, the list short
// with a note saying why. Audited with who replaced whom.
func (t *Tx) WithdrawFormal(ctx context.Context, code string, c org.Committee, w slate.Withdrawal) (slate.Formal, error) {
	w.Reason = strings.TrimSpace(w.Reason)
	if c != org.PartyCommittee && c != org.ResidentsCommittee {
		return slate.Formal{}, errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return slate.Formal{}, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return slate.Formal{}, err
	}
	f, exists, err := t.formalOf(ctx, cycleID, orgID, c)
	if err != nil {
		return f, err
	}
	if !exists {
		return f, errs.Newf(errs.NotFound, "尚未确定%s正式候选人名单", c.Label())
	}
	days, err := t.daysOf(ctx, orgID)
	if err != nil {
		return f, err
	}
	electionDay := days.For(progress.Election(c))
	margins, err := t.margins(ctx)
	if err != nil {
		return f, err
	}
	if err := w.Validate(f, civil.Of(t.s.clock()), electionDay, margins); err != nil {
		return f, err
	}
	i := slices.IndexFunc(f.Candidates, func(x slate.FormalCandidate) bool { return x.AspirantID == w.AspirantID })
	gone := &f.Candidates[i]
	posted := w.ReplacementPostedOn
	if posted == "" {
		posted = w.On
	}
	var next slate.Ranked
	note := ""
	if err := slate.CheckReplacementPosting(posted, electionDay, margins.ReplacementDays); err != nil {
		note = errs.MessageOf(err)
	} else {
		people, err := t.nominees(ctx, code)
		if err != nil {
			return f, err
		}
		recs, err := t.q.Recommendations(ctx, code)
		if err != nil {
			return f, err
		}
		var primary, other []slate.Ranked
		for _, r := range recs {
			if r.Committee != c {
				continue
			}
			if r.Source == slate.SourceFor(c) {
				primary = r.Of(gone.Post)
			} else {
				other = r.Of(gone.Post)
			}
		}
		var found bool
		next, found = slate.NextByVotes(primary, other, func(id int64) bool {
			p, ok := people[id]
			return ok && p.Stage == slate.StagePassed && slate.Stands(p.Aspirant, c) && !f.Has(id)
		})
		if !found {
			note = "推荐票中已没有通过考察和公示、尚未列入名单的" + gone.Post.Label() + "人选可以递补,名单缺额"
		}
	}
	gone.WithdrawnOn, gone.Reason, gone.ReplacedBy, gone.Note = w.On, w.Reason, next.AspirantID, note
	if _, err := t.exec(ctx, `UPDATE formal_candidates SET withdrawn_on = $1, withdraw_reason = $2, replaced_by = $3, note = $4
		WHERE cycle_id = $5 AND org_id = $6 AND committee = $7 AND aspirant_id = $8`,
		string(w.On), w.Reason, next.AspirantID, note, cycleID, orgID, string(c), w.AspirantID); err != nil {
		return f, err
	}
	after := audit.Fields{"committee": string(c), "post": string(gone.Post), "candidate": gone.Name, "withdrawn_on": string(w.On),
		"reason": w.Reason}
	if next.AspirantID != 0 {
		if _, err := t.exec(ctx, `INSERT INTO formal_candidates (cycle_id, org_id, committee, aspirant_id, post, seq, posted_on, replaces)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, cycleID, orgID, string(c), next.AspirantID, string(gone.Post), len(f.Candidates),
			string(posted), w.AspirantID); err != nil {
			return f, err
		}
		f.Candidates = append(f.Candidates, slate.FormalCandidate{AspirantID: next.AspirantID, Name: next.Name, Post: gone.Post,
			PostedOn: posted, Replaces: w.AspirantID})
		after["replacement"], after["replacement_posted_on"] = next.Name, string(posted)
	} else {
		after["note"] = note
	}
	return f, t.Audit(ctx, audit.FormalWithdraw, On("aspirant", itoa(w.AspirantID), code), nil, after)
}
