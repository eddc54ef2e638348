package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/slate"
)

// The structure targets of each community's predicted slate are computed
// once and kept in target_results (migration 00022), so that a page of a
// 10,000-community zone reads rows instead of evaluating every slate.
// Every write that changes an input (the slate, the recommendations, the
// community's or the cycle's election days, the cycle's targets) deletes
// the rows it touches and moves the cycle's version, in its own
// transaction; the next read computes what is missing and keeps it only if
// the version did not move meanwhile, so a read racing a write never keeps
// a stale row. The rows are derived, not audited: they say nothing the
// slates and settings do not.

// invalidateTargets forgets the results of the communities between lo and
// hi (a subtree's bounds): the sums above the subtree lose what the
// subtree's results added, the subtree's own sums go.
func (t *Tx) invalidateTargets(ctx context.Context, lo, hi string) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	if err := t.bumpTargets(ctx, cycleID); err != nil {
		return err
	}
	sums, err := targetSumsWithin(ctx, t.tx, cycleID, lo, hi)
	if err != nil {
		return err
	}
	moves := targetMoves{}
	moves.move(lo, &sums, -1)
	if err := addTargetTotals(ctx, t.tx, cycleID, moves); err != nil {
		return err
	}
	for _, table := range []string{"target_totals", "target_totals_met", "target_results"} {
		if _, err := t.exec(ctx, `DELETE FROM `+table+` WHERE cycle_id = $1
			AND org_id IN (SELECT id FROM orgs WHERE path >= $2 AND path < $3)`, cycleID, lo, hi); err != nil {
			return err
		}
	}
	return nil
}

// invalidateTargetsOf forgets one community's results, and takes them
// from the sums above it, when the transaction has done the rest of its
// work (forgetTargets): a slate's or a recommendation's write first.
func (t *Tx) invalidateTargetsOf(orgID int64) {
	if t.forget == nil {
		t.forget = map[int64]bool{}
	}
	t.forget[orgID] = true
}

// forgetTargets forgets the results of the communities the transaction
// changed (invalidateTargetsOf), at its end, in one statement: the
// version's row, which every write of a slate or a recommendation in the
// zone moves, is then held from there to the commit, not for the whole
// write, and a community changed many times (the demo's four
// recommendations and its slate, a statement each) is forgotten once. A
// reader that keeps results meanwhile either keeps them before the
// version moves, and this statement forgets them, or waits for this
// transaction and keeps nothing (keepTargets): the same as when the
// version moved first. Only the transaction's own reads of kept results
// would see them unforgotten, and no write reads them.
func (t *Tx) forgetTargets(ctx context.Context) error {
	if len(t.forget) == 0 {
		return nil
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	if err := t.bumpTargets(ctx, cycleID); err != nil {
		return err
	}
	args := []any{cycleID}
	moves := targetMoves{}
	err = eachRow(ctx, t.tx, `DELETE FROM target_results WHERE cycle_id = $1 AND `+t.s.anyID("org_id", &args, slices.Sorted(maps.Keys(t.forget)))+`
		RETURNING path, people, women, young, college, high, cross_people, age_sum, one_shoulder, secretary_age, united, posts, met_bits, hard_failed`,
		func(rows *sql.Rows) error {
			var path string
			var tally slate.Tally
			var united, posts, hard int
			var bits int64
			if err := rows.Scan(&path, &tally.People, &tally.Women, &tally.Young, &tally.College, &tally.High, &tally.Cross, &tally.AgeSum,
				&tally.OneShoulder, &tally.SecretaryAge, &united, &posts, &bits, &hard); err != nil {
				return err
			}
			sums := resultSums(tally, united, posts, bits, hard)
			moves.move(path, &sums, -1)
			return nil
		}, args...)
	if err != nil {
		return err
	}
	t.forget = nil
	return addTargetTotals(ctx, t.tx, cycleID, moves)
}

// bumpTargets moves the cycle's version of the targets' inputs, once a
// transaction: a reader keeps what it computed only if the version it read
// is the one committed when it keeps (keepTargets, which waits for the
// transaction that holds the row), so one move says as much as many, and a
// write of many communities' slates sent one statement each.
func (t *Tx) bumpTargets(ctx context.Context, cycleID int64) error {
	_, err := kept(&t.memo.bumped, cycleID, func() (bool, error) {
		_, err := t.exec(ctx, `INSERT INTO target_version (cycle_id, version) VALUES ($1, 1)
			ON CONFLICT (cycle_id) DO UPDATE SET version = target_version.version + 1`, cycleID)
		return true, err
	})
	return err
}

// TargetRow is one community's targets on its predicted slate.
type TargetRow struct {
	Code, Name, District string
	Results              []slate.TargetResult
	United, Posts        int
	HardFailed           int
}

// TargetsPage is the structure targets of the communities in scope (of a
// district when set): per target how many communities meet it, the zone's
// ratios and unity, and a page of rows (those failing a hard target, or
// all).
type TargetsPage struct {
	Targets       []slate.Target
	Met           []int // per target, the communities meeting it
	Communities   int
	Ratios        slate.Ratios
	United, Posts int
	Failing       int // communities failing a hard target
	Rows          []TargetRow
	Total         int // rows of the listing (failing or all)
}

// storedResult is one target's result as target_results keeps it.
type storedResult struct {
	Met    bool    `json:"m"`
	Value  float64 `json:"v"`
	Reason string  `json:"r,omitempty"`
}

// Targets evaluated: see TargetsPage.
func (q *Scoped) TargetsPage(ctx context.Context, district string, all bool, limit, offset int) (TargetsPage, error) {
	var p TargetsPage
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return p, err
	}
	if p.Targets, _, err = q.Targets(ctx); err != nil {
		return p, err
	}
	// The figures from the sums kept above the communities (target_totals);
	// results missing for some communities are computed and kept first.
	sums, args, err := q.keptTargetSums(ctx, cycle.ID, district, p.Targets)
	if err != nil {
		return p, err
	}
	p.Communities, p.United, p.Posts, p.Failing = sums.Communities, sums.United, sums.Posts, sums.Failing
	p.Ratios = slate.RatiosOf(slate.Totals{Communities: sums.Communities, WithLineup: sums.WithLineup, OneShoulder: sums.OneShoulder,
		SecretaryN: sums.Secretaries, SecretarySum: sums.SecretaryAgeSum, People: sums.People, Women: sums.Women, Young: sums.Young,
		College: sums.College, High: sums.High, Cross: sums.Cross, AgeSum: sums.AgeSum})
	p.Met = make([]int, len(p.Targets))
	for i := range p.Met {
		if i < metBits {
			p.Met[i] = sums.Met[i]
		}
	}
	// The page of rows: those failing a hard target found on their own
	// index in tree order, or all the communities in tree order.
	rows, total := targetRowsFailing, p.Failing
	if all {
		rows, total = targetRowsAll, p.Communities
	}
	p.Total = total
	err = q.s.each(ctx, rows+pageClause(limit, offset), func(rows *sql.Rows) error {
		var row TargetRow
		var raw string
		if err := rows.Scan(&row.Code, &row.Name, &row.District, &row.United, &row.Posts, &row.HardFailed, &raw); err != nil {
			return err
		}
		var err error
		if row.Results, err = keptResults(raw, p.Targets); err != nil {
			return err
		}
		p.Rows = append(p.Rows, row)
		return nil
	}, args...)
	return p, err
}

// targetRowsFailing and targetRowsAll are the targets page's rows of
// cycle $1 within the bounds $2, $3, in tree order: those failing a hard
// target (on their own index, target_results_failing) or all.
const (
	targetRowsFailing = `SELECT o.code, o.name, COALESCE(d.name, ''), r.united, r.posts, r.hard_failed, r.results
		FROM target_results r JOIN orgs o ON o.id = r.org_id LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE r.cycle_id = $1 AND r.hard_failed > 0 AND r.path >= $2 AND r.path < $3 ORDER BY r.path`
	targetRowsAll = `SELECT o.code, o.name, COALESCE(d.name, ''), r.united, r.posts, r.hard_failed, r.results
		FROM target_results r JOIN orgs o ON o.id = r.org_id LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE r.cycle_id = $1 AND o.kind = 'community' AND o.path >= $2 AND o.path < $3 ORDER BY o.path`
)

// keptTargetSums are the sums of the targets' results of the communities
// of district (every one in scope with ""), after those missing are
// computed and kept, with the cycle and the bounds they are within ($1 to
// $3 of the rows' statements).
func (q *Scoped) keptTargetSums(ctx context.Context, cycleID int64, district string, targets []slate.Target) (targetSums, []any, error) {
	from, args, err := q.s.communityFrom(ctx, q.scope, cycleID, CommunityFilter{District: district})
	if err != nil {
		return targetSums{}, nil, err
	}
	lo, hi := args[1].(string), args[2].(string)
	sums, err := targetSumsWithin(ctx, q.s.db, cycleID, lo, hi)
	if err != nil {
		return sums, nil, err
	}
	if communities, err := communitiesWithin(ctx, q.s.db, lo, hi); err != nil || sums.Communities >= communities {
		return sums, args[:3], err
	}
	if err := q.computeMissingTargets(ctx, cycleID, from, args, district, targets); err != nil {
		return sums, nil, err
	}
	sums, err = targetSumsWithin(ctx, q.s.db, cycleID, lo, hi)
	return sums, args[:3], err
}

// KeepAllTargetResults computes and keeps the results of every community
// in scope that has none, as the targets page does when it finds some
// missing: the server calls it in the background whenever TargetVersion
// moves (app: keepTargets), so that the first view after a write that
// forgot results (a district's days, a slate) does not compute them on
// its request (0.61 s at 10,000 communities, 2.4 s at 100,000).
func (q *Scoped) KeepAllTargetResults(ctx context.Context) error {
	return q.keepTargetResults(ctx, true)
}

// TargetVersion is the version of the current cycle's kept results of the
// targets, which every write that forgets some moves (0 before any).
func (s *Store) TargetVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT v.version FROM target_version v JOIN cycles c ON c.id = v.cycle_id
		WHERE c.current), 0)`).Scan(&v)
	return v, err
}

// computeMissingTargets computes and keeps the results of the communities
// that from selects and that have none.
func (q *Scoped) computeMissingTargets(ctx context.Context, cycleID int64, from string, args []any, district string, targets []slate.Target) error {
	var version int64
	err := q.s.db.QueryRowContext(ctx, `SELECT version FROM target_version WHERE cycle_id = $1`, cycleID).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	lineups, firsts, err := q.missingLineups(ctx, cycleID, from, args, district)
	if err != nil || len(lineups) == 0 {
		return err
	}
	return q.s.keepTargets(ctx, cycleID, version, lineups, firsts, targets)
}

// missingLineups are the lineups, with their recommendations' firsts, of
// the communities that from selects and that have no kept results: read
// one community at a time when few are missing, 200 a statement when many
// are.
func (q *Scoped) missingLineups(ctx context.Context, cycleID int64, from string, args []any, district string) ([]slate.Lineup, map[string][2]slate.Firsts, error) {
	var missing []string
	err := q.s.each(ctx, `SELECT o.code`+from+` AND NOT EXISTS (SELECT 1 FROM target_results r WHERE r.cycle_id = $1 AND r.org_id = o.id)`,
		func(rows *sql.Rows) error {
			var code string
			if err := rows.Scan(&code); err != nil {
				return err
			}
			missing = append(missing, code)
			return nil
		}, args...)
	if err != nil || len(missing) == 0 {
		return nil, nil, err
	}
	var lineups []slate.Lineup
	if len(missing) <= 50 {
		firsts := map[string][2]slate.Firsts{}
		for _, code := range missing {
			l, err := q.PredictedLineups(ctx, CommunityFilter{Code: code})
			if err != nil {
				return nil, nil, err
			}
			f, err := q.RecommendationFirsts(ctx, code)
			if err != nil {
				return nil, nil, err
			}
			lineups, firsts[code] = append(lineups, l...), f[code]
		}
		return lineups, firsts, nil
	}
	// Many: read them 200 a statement (a province's few hundred with
	// picks, not its 100,000 communities), and every recommendation's
	// firsts at once.
	for chunk := range slices.Chunk(missing, 200) {
		l, err := q.PredictedLineups(ctx, CommunityFilter{District: district, Codes: chunk})
		if err != nil {
			return nil, nil, err
		}
		lineups = append(lineups, l...)
	}
	firsts, err := q.RecommendationFirsts(ctx, "")
	return lineups, firsts, err
}

// withPicks selects the communities within the bounds $2, $3 with picks
// in cycle $1, starting from the picks (CROSS JOIN keeps SQLite to that
// order), not from every community of a province.
const withPicks = ` FROM (SELECT DISTINCT org_id FROM slate_picks WHERE cycle_id = $1) k CROSS JOIN orgs o
	WHERE o.id = k.org_id AND o.path >= $2 AND o.path < $3`

// KeepTargetResults computes and keeps, in a write of its own, the results
// of the communities in scope with picks and none kept: the warnings and
// the agenda's preview, which read outside any write, call it first, so
// that UnmetTargets finds them kept instead of evaluating every slate on
// every view.
func (q *Scoped) KeepTargetResults(ctx context.Context) error { return q.keepTargetResults(ctx, false) }

// keepTargetResults keeps the missing results of every community in scope
// (all), or of those with picks.
func (q *Scoped) keepTargetResults(ctx context.Context, all bool) error {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return err
	}
	targets, _, err := q.Targets(ctx)
	if err != nil {
		return err
	}
	if all {
		_, _, err = q.keptTargetSums(ctx, cycle.ID, "", targets)
		return err
	}
	lo, hi := q.scope.Bounds()
	return q.computeMissingTargets(ctx, cycle.ID, withPicks, []any{cycle.ID, lo, hi}, "", targets)
}

// UnmetTargets are the communities in scope whose predicted slate misses
// a hard structure target, with the reasons (issue 14, point 9), for the
// daily meeting's agenda and the warnings. It reads the kept results and
// evaluates the missing ones without keeping them: it runs inside the
// meeting's write, which must not wait on a second writer (readers outside
// a write call KeepTargetResults first).
func (q *Scoped) UnmetTargets(ctx context.Context) ([]meeting.TargetLine, error) {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return nil, err
	}
	targets, _, err := q.Targets(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	args := []any{cycle.ID, lo, hi}
	line := func(code, name string, results []slate.TargetResult) (meeting.TargetLine, bool) {
		var unmet []string
		for _, x := range results {
			if x.Target.Hard && !x.Met {
				unmet = append(unmet, x.Target.Name+":"+x.Reason)
			}
		}
		return meeting.TargetLine{Code: code, Community: name, Unmet: strings.Join(unmet, ";")}, len(unmet) > 0
	}
	byCode := map[string]meeting.TargetLine{}
	var order []string
	// Both reads start from the cycle's results and picks (CROSS JOIN keeps
	// SQLite to that order), not from the communities in scope: a zone of
	// 100,000 communities that has not begun its slates reads nothing.
	err = q.s.each(ctx, `SELECT o.code, o.name, r.results FROM target_results r CROSS JOIN orgs o
		WHERE o.id = r.org_id AND r.cycle_id = $1 AND r.hard_failed > 0 AND r.path >= $2 AND r.path < $3 ORDER BY r.path`, func(rows *sql.Rows) error {
		var code, name, raw string
		if err := rows.Scan(&code, &name, &raw); err != nil {
			return err
		}
		results, err := keptResults(raw, targets)
		if err != nil {
			return err
		}
		if l, ok := line(code, name, results); ok {
			byCode[code], order = l, append(order, code)
		}
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	// A community without picks has no holders and misses nothing: only
	// those with picks and no kept results are evaluated.
	lineups, _, err := q.missingLineups(ctx, cycle.ID, withPicks, args, "")
	if err != nil {
		return nil, err
	}
	for _, l := range lineups {
		if _, kept := byCode[l.Code]; kept || len(l.Holders) == 0 {
			continue
		}
		if x, ok := line(l.Code, l.Name, slate.Evaluate(l, targets)); ok {
			byCode[l.Code], order = x, append(order, l.Code)
		}
	}
	out := make([]meeting.TargetLine, len(order))
	for i, code := range order {
		out[i] = byCode[code]
	}
	return out, nil
}

// keptResults are a row's kept results, paired with the cycle's targets.
func keptResults(raw string, targets []slate.Target) ([]slate.TargetResult, error) {
	var kept []storedResult
	if err := json.Unmarshal([]byte(raw), &kept); err != nil {
		return nil, err
	}
	out := make([]slate.TargetResult, len(targets))
	for i, t := range targets {
		out[i].Target = t
		if i < len(kept) {
			out[i].Met, out[i].Value, out[i].Reason = kept[i].Met, kept[i].Value, kept[i].Reason
		}
	}
	return out, nil
}

// targetResultColumns are the columns keepTargets writes.
var targetResultColumns = strings.Fields(`cycle_id org_id path people women young college high cross_people age_sum
	one_shoulder secretary_age united posts met_bits hard_failed results`)

// keepTargets writes the results of lineups if the cycle's version is
// still version; otherwise a write changed an input meanwhile, and nothing
// is kept (the next read computes again).
func (s *Store) keepTargets(ctx context.Context, cycleID, version int64, lineups []slate.Lineup, firsts map[string][2]slate.Firsts,
	targets []slate.Target) error {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	defer tx.Rollback()
	var now int64
	err = tx.QueryRowContext(ctx, `SELECT version FROM target_version WHERE cycle_id = $1`+s.forUpdate(), cycleID).Scan(&now)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if now != version {
		return nil
	}
	// Five hundred communities a statement: a zone-wide change sends every
	// community's results again (100,000 of them in a province), and one
	// statement each was a round trip each on PostgreSQL.
	moves := targetMoves{}
	for chunk := range slices.Chunk(lineups, 500) {
		codes := make([]string, len(chunk))
		for i, l := range chunk {
			codes[i] = l.Code
		}
		var args []any
		type unit struct {
			id   int64
			path string
		}
		units := map[string]unit{}
		err := eachRow(ctx, tx, `SELECT code, id, path FROM orgs WHERE `+s.anyText("code", &args, codes), func(rows *sql.Rows) error {
			var code string
			var u unit
			err := rows.Scan(&code, &u.id, &u.path)
			units[code] = u
			return err
		}, args...)
		if err != nil {
			return err
		}
		type sent struct {
			sums targetSums
			path string
		}
		sentRows := map[int64]sent{}
		var rows [][]any
		for _, l := range chunk {
			u, ok := units[l.Code]
			if !ok {
				continue // no such community (any more)
			}
			results := slate.Evaluate(l, targets)
			kept := make([]storedResult, len(results))
			var bits int64
			hard := 0
			for i, r := range results {
				kept[i] = storedResult{r.Met, r.Value, r.Reason}
				if r.Met {
					bits |= 1 << i
				} else if r.Target.Hard && len(l.Holders) > 0 {
					hard++
				}
			}
			raw, err := json.Marshal(kept)
			if err != nil {
				return err
			}
			f := firsts[l.Code]
			united, posts := slate.Unity(l, f[0], f[1])
			t := slate.TallyOf(l)
			sentRows[u.id] = sent{resultSums(t, united, posts, bits, hard), u.path}
			rows = append(rows, []any{cycleID, u.id, u.path, t.People, t.Women, t.Young, t.College, t.High, t.Cross, t.AgeSum,
				t.OneShoulder, t.SecretaryAge, united, posts, bits, hard, string(raw)})
		}
		err = s.insertMany(ctx, tx, manyRows{table: "target_results", cols: targetResultColumns, n: len(rows), per: len(chunk),
			row:    func(i int) ([]any, error) { return rows[i], nil },
			suffix: `ON CONFLICT (cycle_id, org_id) DO NOTHING RETURNING org_id`, // not those kept already
			scan: func(_ int, r *sql.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				x, ok := sentRows[id]
				if !ok {
					return fmt.Errorf("targets: results kept for unit %d, not sent", id)
				}
				moves.move(x.path, &x.sums, 1)
				return nil
			}})
		if err != nil {
			return err
		}
	}
	if err := addTargetTotals(ctx, tx, cycleID, moves); err != nil {
		return err
	}
	return tx.Commit()
}
