package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The two recommendations (两推, issue 14 point 3). Each community's
// committee has at most one recommendation of each slate.Source in a
// cycle; SetRecommendation replaces it whole.

// Recommended is one recommendation as it stands, its votes ranked per
// post. It is what the recommendations page, its JSON twin, the aspirant's
// page, the board and the "unity" target read (Recommendations).
type Recommended struct {
	Community string        `json:"community"` // the community's code
	Committee org.Committee `json:"committee"`
	Source    slate.Source  `json:"source"` // which of the two: the party members' or the residents'
	Kind      slate.Kind    `json:"kind"`   // how the residents' one was made: 群众推荐 or 居民代表推荐
	Expected  int           `json:"expected"`
	Present   int           `json:"present"`
	Day       civil.Date    `json:"day"`
	Posts     []RankedPost  `json:"posts"` // the committee's posts that received votes, in vetting.PostsOf order
}

// Turnout is 实参加 ÷ 应参加 as a percentage with one decimal.
func (r Recommended) Turnout() float64 { return slate.Turnout(r.Present, r.Expected) }

// RankedPost is the ranking of one post in one recommendation: most votes
// first, ties sharing a rank (slate.Rank), each with its share of 实参加.
type RankedPost struct {
	Post   vetting.Post   `json:"post"`
	Ranked []slate.Ranked `json:"ranked"`
}

// Of is the ranking of post p, nil when nobody received votes for it.
func (r Recommended) Of(p vetting.Post) []slate.Ranked {
	for _, rp := range r.Posts {
		if rp.Post == p {
			return rp.Ranked
		}
	}
	return nil
}

// Recommendations returns, in the current cycle, the recommendations of
// the community with code (or, code "", of every community in scope, in
// tree order), each committee's party members' recommendation before the
// residents', with the ranked list of every post that received votes:
// per community, committee, post and kind, each person's votes, share of
// 实参加 and rank (ties share a rank). A community that has none yet gives
// an empty list; one outside the scope gives nothing either (callers that
// show one community check it with CommunityDays first).
func (q *Scoped) Recommendations(ctx context.Context, code string) ([]Recommended, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	where := ` WHERE r.cycle_id = $1 AND o.path >= $2 AND o.path < $3`
	args := []any{cycleID, lo, hi}
	if code != "" {
		where += ` AND o.code = $4`
		args = append(args, code)
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT o.code, r.committee, r.source, r.kind, r.expected, r.present, r.day
		FROM recommendations r JOIN orgs o ON o.id = r.org_id`+where+` ORDER BY o.path, r.committee, r.source`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		code      string
		committee org.Committee
		source    slate.Source
	}
	out := []Recommended{}
	at := map[key]int{}
	for rows.Next() {
		var r Recommended
		if err := rows.Scan(&r.Community, &r.Committee, &r.Source, &r.Kind, &r.Expected, &r.Present, &r.Day); err != nil {
			return nil, err
		}
		at[key{r.Community, r.Committee, r.Source}] = len(out)
		r.Posts = []RankedPost{}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	votes, err := q.s.db.QueryContext(ctx, `SELECT o.code, r.committee, r.source, v.post, v.aspirant_id, a.name, v.votes
		FROM recommendations r JOIN orgs o ON o.id = r.org_id
		JOIN recommendation_votes v ON v.cycle_id = r.cycle_id AND v.org_id = r.org_id AND v.committee = r.committee AND v.source = r.source
		JOIN aspirants a ON a.id = v.aspirant_id`+where, args...)
	if err != nil {
		return nil, err
	}
	defer votes.Close()
	lists := map[key]map[vetting.Post][]slate.Ranked{}
	for votes.Next() {
		var k key
		var p vetting.Post
		var x slate.Ranked
		if err := votes.Scan(&k.code, &k.committee, &k.source, &p, &x.AspirantID, &x.Name, &x.Votes); err != nil {
			return nil, err
		}
		if lists[k] == nil {
			lists[k] = map[vetting.Post][]slate.Ranked{}
		}
		lists[k][p] = append(lists[k][p], x)
	}
	if err := votes.Err(); err != nil {
		return nil, err
	}
	for k, posts := range lists {
		r := &out[at[k]]
		for _, p := range vetting.PostsOf(r.Committee) {
			if list := posts[p]; len(list) > 0 {
				r.Posts = append(r.Posts, RankedPost{Post: p, Ranked: slate.Rank(list, r.Present)})
			}
		}
	}
	return out, nil
}

// recommendationPeople are the aspirants of community orgID in the cycle,
// by id, as slate.ValidateRecommendation reads them.
func (t *Tx) recommendationPeople(ctx context.Context, cycleID, orgID int64) (map[int64]vetting.Aspirant, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, name, status, committee, post, cross_post FROM aspirants
		WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]vetting.Aspirant{}
	for rows.Next() {
		var a vetting.Aspirant
		if err := rows.Scan(&a.ID, &a.Name, &a.Status, &a.Committee, &a.Post, &a.CrossPost); err != nil {
			return nil, err
		}
		out[a.ID] = a
	}
	return out, rows.Err()
}

// SetRecommendation enters one recommendation of a committee of the
// community with code in the transaction's scope, replacing the one of the
// same source (the party members', or the residents' whether by all or by
// representatives) with its votes. It is refused, on its field, when
// slate.ValidateRecommendation refuses it against today, the community's
// election day of that committee and its aspirants. Audited with the counts
// before and after.
func (t *Tx) SetRecommendation(ctx context.Context, code string, r slate.Recommendation) (slate.Recommendation, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return r, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return r, err
	}
	days, err := t.daysOf(ctx, orgID)
	if err != nil {
		return r, err
	}
	people, err := t.recommendationPeople(ctx, cycleID, orgID)
	if err != nil {
		return r, err
	}
	return r, t.setRecommendation(ctx, cycleID, orgID, code, days, people, r)
}

// SetRecommendations enters several recommendations of the community with
// code at once (an Excel import), each as SetRecommendation does, all or
// none: the first refusal ends the transaction.
func (t *Tx) SetRecommendations(ctx context.Context, code string, list []slate.Recommendation) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return err
	}
	days, err := t.daysOf(ctx, orgID)
	if err != nil {
		return err
	}
	people, err := t.recommendationPeople(ctx, cycleID, orgID)
	if err != nil {
		return err
	}
	for _, r := range list {
		if err := t.setRecommendation(ctx, cycleID, orgID, code, days, people, r); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) setRecommendation(ctx context.Context, cycleID, orgID int64, code string, days progress.Days,
	people map[int64]vetting.Aspirant, r slate.Recommendation) error {
	if err := slate.ValidateRecommendation(r, civil.Of(t.s.clock()), days.For(progress.Election(r.Committee)), people); err != nil {
		return err
	}
	t.invalidateTargetsOf(orgID)
	source := r.Kind.Source()
	var before audit.Fields
	var old slate.Recommendation
	err := t.queryRow(ctx, `SELECT kind, expected, present, day FROM recommendations
		WHERE cycle_id = $1 AND org_id = $2 AND committee = $3 AND source = $4`, cycleID, orgID, string(r.Committee), string(source)).
		Scan(&old.Kind, &old.Expected, &old.Present, &old.Day)
	switch {
	case err == nil:
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM recommendation_votes
			WHERE cycle_id = $1 AND org_id = $2 AND committee = $3 AND source = $4`, cycleID, orgID, string(r.Committee), string(source)).
			Scan(&n); err != nil {
			return err
		}
		before = recommendationFields(old, n)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM recommendation_votes WHERE cycle_id = $1 AND org_id = $2 AND committee = $3 AND source = $4`,
		cycleID, orgID, string(r.Committee), string(source)); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO recommendations (cycle_id, org_id, committee, source, kind, expected, present, day, set_by, set_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (cycle_id, org_id, committee, source) DO UPDATE SET kind = excluded.kind, expected = excluded.expected,
		present = excluded.present, day = excluded.day, set_by = excluded.set_by, set_at = excluded.set_at`,
		cycleID, orgID, string(r.Committee), string(source), string(r.Kind), r.Expected, r.Present, string(r.Day),
		t.q.actor.Name, t.s.clock()); err != nil {
		return err
	}
	err = t.insertRows(ctx, "recommendation_votes", strings.Fields(`cycle_id org_id committee source aspirant_id post votes`), len(r.Votes),
		func(i int) ([]any, error) {
			v := r.Votes[i]
			return []any{cycleID, orgID, string(r.Committee), string(source), v.AspirantID, string(v.Post), v.Votes}, nil
		})
	if err != nil {
		return err
	}
	after := recommendationFields(r, len(r.Votes))
	after["committee"] = string(r.Committee)
	return t.Audit(ctx, audit.RecommendSet, On("recommendation", code+"/"+string(r.Committee)+"/"+string(source), code), before, after)
}

func recommendationFields(r slate.Recommendation, votes int) audit.Fields {
	return audit.Fields{"kind": string(r.Kind), "expected": r.Expected, "present": r.Present, "day": string(r.Day),
		"vote_rows": votes}
}
