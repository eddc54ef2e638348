package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
)

// Targets returns the cycle's structure targets: the office's if it set
// them, else slate.DefaultTargets (custom false).
func (q *Scoped) Targets(ctx context.Context) (targets []slate.Target, custom bool, err error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, false, err
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT id, name, rule, threshold, hard FROM targets WHERE cycle_id = $1 ORDER BY sort, id`, cycleID)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var t slate.Target
		if err := rows.Scan(&t.ID, &t.Name, &t.Rule, &t.Threshold, &t.Hard); err != nil {
			return nil, false, err
		}
		targets = append(targets, t)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(targets) == 0 {
		return slate.DefaultTargets(), false, nil
	}
	return targets, true, nil
}

// SaveTargets replaces the cycle's structure targets (none: back to the
// defaults). The whole zone's: Forbidden unless zone-wide.
func (t *Tx) SaveTargets(ctx context.Context, targets []slate.Target) ([]slate.Target, error) {
	if err := t.needZone(); err != nil {
		return nil, err
	}
	if err := slate.ValidateTargets(targets); err != nil {
		return nil, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	before, _, err := t.q.Targets(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `DELETE FROM targets WHERE cycle_id = $1`, cycleID); err != nil {
		return nil, err
	}
	lo, hi := org.All.Bounds()
	if err := t.invalidateTargets(ctx, lo, hi); err != nil {
		return nil, err
	}
	for i := range targets {
		if err := t.queryRow(ctx, `INSERT INTO targets (cycle_id, name, rule, threshold, hard, sort) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			cycleID, targets[i].Name, string(targets[i].Rule), targets[i].Threshold, targets[i].Hard, i).Scan(&targets[i].ID); err != nil {
			return nil, err
		}
	}
	text := func(ts []slate.Target) []string {
		out := make([]string, len(ts))
		for i, x := range ts {
			out[i] = x.Name + ":" + x.Text()
		}
		return out
	}
	if len(targets) == 0 {
		targets = slate.DefaultTargets()
	}
	return targets, t.Audit(ctx, audit.TargetsSave, On("cycle", itoa(cycleID), ""), audit.Fields{"targets": text(before)},
		audit.Fields{"targets": text(targets)})
}

// Margins returns the cycle's margins for the formal lists, or the defaults.
func (q *Scoped) Margins(ctx context.Context) (slate.Margins, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return slate.Margins{}, err
	}
	return marginsOf(ctx, q.s.db, cycleID)
}

// margins are the cycle's margins as the transaction sees them (its own
// change included), read once for it (txMemo).
func (t *Tx) margins(ctx context.Context) (slate.Margins, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return slate.Margins{}, err
	}
	return kept(&t.memo.margins, cycleID, func() (slate.Margins, error) { return marginsOf(ctx, t.tx, cycleID) })
}

func marginsOf(ctx context.Context, db querier, cycleID int64) (slate.Margins, error) {
	m := slate.DefaultMargins()
	err := db.QueryRowContext(ctx, `SELECT party_percent, chief_min, chief_max, member_min, member_max, publish_days, withdraw_days,
		replacement_days, notice_days FROM margins WHERE cycle_id = $1`, cycleID).Scan(&m.PartyPercent, &m.ChiefMin, &m.ChiefMax,
		&m.MemberMin, &m.MemberMax, &m.PublishDays, &m.WithdrawDays, &m.ReplacementDays, &m.NoticeDays)
	if errors.Is(err, sql.ErrNoRows) {
		return slate.DefaultMargins(), nil
	}
	return m, err
}

// SaveMargins sets the cycle's margins. Zone-wide.
func (t *Tx) SaveMargins(ctx context.Context, m slate.Margins) error {
	if err := t.needZone(); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	before, err := t.margins(ctx)
	if err != nil {
		return err
	}
	t.memo.margins = nil // read again after this change
	if _, err := t.exec(ctx, `INSERT INTO margins (cycle_id, party_percent, chief_min, chief_max, member_min, member_max, publish_days,
		withdraw_days, replacement_days, notice_days)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (cycle_id) DO UPDATE SET party_percent = excluded.party_percent,
		chief_min = excluded.chief_min, chief_max = excluded.chief_max, member_min = excluded.member_min, member_max = excluded.member_max,
		publish_days = excluded.publish_days, withdraw_days = excluded.withdraw_days, replacement_days = excluded.replacement_days,
		notice_days = excluded.notice_days`,
		cycleID, m.PartyPercent, m.ChiefMin, m.ChiefMax, m.MemberMin, m.MemberMax, m.PublishDays, m.WithdrawDays, m.ReplacementDays,
		m.NoticeDays); err != nil {
		return err
	}
	return t.Audit(ctx, audit.MarginsSave, On("cycle", itoa(cycleID), ""), marginFields(before), marginFields(m))
}

func marginFields(m slate.Margins) audit.Fields {
	return audit.Fields{"party_percent": m.PartyPercent, "chief_min": m.ChiefMin, "chief_max": m.ChiefMax,
		"member_min": m.MemberMin, "member_max": m.MemberMax, "publish_days": m.PublishDays, "withdraw_days": m.WithdrawDays,
		"replacement_days": m.ReplacementDays, "notice_days": m.NoticeDays}
}

// PredictedLineups are the predicted slates of the communities in scope
// that f selects, as the structure targets read them (slate.Lineup: each
// person keyed by aspirant, aged at its committee's election day).
func (q *Scoped) PredictedLineups(ctx context.Context, f CommunityFilter) ([]slate.Lineup, error) {
	slates, err := q.PredictedSlates(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]slate.Lineup, len(slates))
	for i, s := range slates {
		out[i] = s.Lineup()
	}
	return out, nil
}

// Lineup is the slate as the structure targets read it.
func (s PredictedSlate) Lineup() slate.Lineup {
	l := slate.Lineup{Code: s.Code, Name: s.Name, District: s.DistrictName, Holders: make([]slate.Holder, len(s.Persons))}
	for j, p := range s.Persons {
		l.Holders[j] = slate.Holder{Key: itoa(p.AspirantID), Name: p.Name, Committee: p.Committee, Post: p.Post,
			Sex: p.Sex, Age: p.Age, Education: p.Education, Party: p.Party}
	}
	return l
}

// RecommendationFirsts are, per community code in scope ("" every one),
// the persons ranked first on each post in the party members' ([0]) and
// the residents' ([1]) recommendation: what the unity measure compares
// the predicted slate with.
func (q *Scoped) RecommendationFirsts(ctx context.Context, code string) (map[string][2]slate.Firsts, error) {
	recs, err := q.Recommendations(ctx, code)
	if err != nil {
		return nil, err
	}
	return FirstsOf(recs), nil
}

// FirstsOf are, per community code, the persons ranked first on each post
// in the party members' ([0]) and the residents' ([1]) recommendations recs.
func FirstsOf(recs []Recommended) map[string][2]slate.Firsts {
	out := map[string][2]slate.Firsts{}
	for _, r := range recs {
		pair := out[r.Community]
		i := 0
		if r.Source == slate.PublicSource {
			i = 1
		}
		if pair[i] == nil {
			pair[i] = slate.Firsts{}
		}
		for _, p := range r.Posts {
			k := slate.PostKey{Committee: r.Committee, Post: p.Post}
			for _, x := range p.Ranked {
				if x.Rank == 1 {
					if pair[i][k] == nil {
						pair[i][k] = map[string]bool{}
					}
					pair[i][k][itoa(x.AspirantID)] = true
				}
			}
		}
		out[r.Community] = pair
	}
	return out
}
