package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/slate"
)

// The structure targets' figures of every unit above the communities
// (migration 00040), each the sum of its subtree's kept results, so that
// the targets page of a zone of 100,000 communities reads one row, not
// 100,000. Kept by the writes that keep results (keepTargets) or forget
// them (invalidateTargets, invalidateTargetsOf), in their transaction; a
// community's own figures are its row of target_results.

// targetSums are kept results summed: the columns of target_totals, and
// per target (its bit in met_bits) the communities meeting it.
type targetSums struct {
	Communities, United, Posts, Failing, WithLineup, OneShoulder, Secretaries, SecretaryAgeSum int
	People, Women, Young, College, High, Cross, AgeSum                                         int
	Met                                                                                        metCounts
}

// metCounts count, per target (its bit in met_bits), the communities
// meeting it.
type metCounts [metBits]int

// count counts a community's met_bits.
func (m *metCounts) count(bits int64) {
	for i := range metBits {
		if bits&(1<<i) != 0 {
			m[i]++
		}
	}
}

// metBits are the targets whose met communities are counted.
const metBits = 63

// targetSumColumns are target_totals' columns in the order of
// targetSums.cols.
const targetSumColumns = `communities, united, posts, failing, with_lineup, one_shoulder, secretaries, secretary_age_sum,
	people, women, young, college, high, cross_people, age_sum`

// targetRowSums is SQL summing rows r of target_results into the columns
// of targetSumColumns.
const targetRowSums = `COUNT(*), COALESCE(SUM(r.united), 0), COALESCE(SUM(r.posts), 0),
	COALESCE(SUM(CASE WHEN r.hard_failed > 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN r.people > 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN r.people > 0 AND r.one_shoulder THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN r.secretary_age >= 0 THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN r.secretary_age >= 0 THEN r.secretary_age ELSE 0 END), 0),
	COALESCE(SUM(r.people), 0), COALESCE(SUM(r.women), 0), COALESCE(SUM(r.young), 0), COALESCE(SUM(r.college), 0),
	COALESCE(SUM(r.high), 0), COALESCE(SUM(r.cross_people), 0), COALESCE(SUM(r.age_sum), 0)`

func (s *targetSums) cols() []*int {
	return []*int{&s.Communities, &s.United, &s.Posts, &s.Failing, &s.WithLineup, &s.OneShoulder, &s.Secretaries, &s.SecretaryAgeSum,
		&s.People, &s.Women, &s.Young, &s.College, &s.High, &s.Cross, &s.AgeSum}
}

// dest are the columns' places, for Scan.
func (s *targetSums) dest() []any {
	cols := s.cols()
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c
	}
	return out
}

// add adds o times sign (1 or -1).
func (s *targetSums) add(o *targetSums, sign int) {
	mine := s.cols()
	for i, v := range o.cols() {
		*mine[i] += sign * *v
	}
	for i := range s.Met {
		s.Met[i] += sign * o.Met[i]
	}
}

// zero reports whether s adds nothing.
func (s *targetSums) zero() bool { return *s == targetSums{} }

// resultSums are one community's kept results as sums.
func resultSums(t slate.Tally, united, posts int, bits int64, hard int) targetSums {
	s := targetSums{Communities: 1, United: united, Posts: posts, People: t.People, Women: t.Women, Young: t.Young,
		College: t.College, High: t.High, Cross: t.Cross, AgeSum: t.AgeSum}
	if hard > 0 {
		s.Failing = 1
	}
	if t.People > 0 {
		s.WithLineup = 1
		if t.OneShoulder {
			s.OneShoulder = 1
		}
	}
	if t.SecretaryAge >= 0 {
		s.Secretaries, s.SecretaryAgeSum = 1, t.SecretaryAge
	}
	s.Met.count(bits)
	return s
}

// targetMoves collects, within one transaction, what kept results added
// to or took from each unit above their communities, by path, so that
// each unit's row is written once however many communities moved.
type targetMoves map[string]*targetSums

// move adds s times sign to every unit above the community at path.
func (m targetMoves) move(path string, s *targetSums, sign int) {
	above := pathsAbove(path) // "/" first, which is no unit; none for the whole tree
	for _, p := range above[min(1, len(above)):] {
		d := m[p]
		if d == nil {
			d = new(targetSums)
			m[p] = d
		}
		d.add(s, sign)
	}
}

// addTargetTotals writes the moves into target_totals and
// target_totals_met.
func addTargetTotals(ctx context.Context, tx *dbTx, cycleID int64, m targetMoves) error {
	if len(m) == 0 {
		return nil
	}
	sets := make([]string, 0, 15)
	marks := make([]string, 0, 15)
	for i, c := range strings.Split(targetSumColumns, ",") {
		c = strings.TrimSpace(c)
		sets, marks = append(sets, c+` = target_totals.`+c+` + excluded.`+c), append(marks, `$`+strconv.Itoa(i+3))
	}
	totals, err := tx.PrepareContext(ctx, `INSERT INTO target_totals (cycle_id, org_id, `+targetSumColumns+`)
		SELECT $1, id, `+strings.Join(marks, ", ")+` FROM orgs WHERE path = $2
		ON CONFLICT (cycle_id, org_id) DO UPDATE SET `+strings.Join(sets, ", "))
	if err != nil {
		return err
	}
	defer totals.Close()
	met, err := tx.PrepareContext(ctx, `INSERT INTO target_totals_met (cycle_id, org_id, bit, n) SELECT $1, id, $3, $4 FROM orgs WHERE path = $2
		ON CONFLICT (cycle_id, org_id, bit) DO UPDATE SET n = target_totals_met.n + excluded.n`)
	if err != nil {
		return err
	}
	defer met.Close()
	for _, path := range slices.Sorted(maps.Keys(m)) { // in one order for all writers: no deadlock on PostgreSQL
		d := m[path]
		if d.zero() {
			continue
		}
		args := []any{cycleID, path}
		for _, v := range d.cols() {
			args = append(args, *v)
		}
		if _, err := totals.ExecContext(ctx, args...); err != nil {
			return err
		}
		for bit, n := range d.Met {
			if n != 0 {
				if _, err := met.ExecContext(ctx, cycleID, path, bit, n); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// targetSumsWithin are the kept results of the communities within the
// bounds lo, hi (a unit's subtree, or the whole tree's) summed: the top
// units' rows of target_totals, and the rows of target_results of a top
// unit that is a community.
func targetSumsWithin(ctx context.Context, q querier, cycleID int64, lo, hi string) (targetSums, error) {
	var out targetSums
	if lo >= hi {
		return out, nil
	}
	top, lo2 := topUnits(lo, 2)
	args := append([]any{cycleID}, lo2...)
	st := targetSumStatements(top)
	for _, query := range st[:2] {
		var s targetSums
		if err := q.QueryRowContext(ctx, query, args...).Scan(s.dest()...); err != nil {
			return out, err
		}
		out.add(&s, 1)
	}
	err := eachRow(ctx, q, st[2], func(rows *sql.Rows) error {
		var bit, n int
		if err := rows.Scan(&bit, &n); err != nil {
			return err
		}
		if bit >= 0 && bit < metBits {
			out.Met[bit] += n
		}
		return nil
	}, args...)
	if err != nil {
		return out, err
	}
	err = eachRow(ctx, q, st[3], func(rows *sql.Rows) error {
		var bits int64
		err := rows.Scan(&bits)
		out.Met.count(bits)
		return err
	}, args...)
	if err != nil {
		return out, err
	}
	return out, nil
}

// targetSumStatements are targetSumsWithin's statements for the top units
// o that top (SQL) selects, in cycle $1: the sums of their target_totals
// and of their own target_results (a top unit that is a community), then
// the met counts (bit, n) of the first and the met_bits of the second. Each starts from the top units (CROSS
// JOIN keeps SQLite to that order: from the kept rows it would read them
// all).
func targetSumStatements(top string) [4]string {
	sums := make([]string, 0, 15)
	for _, c := range strings.Split(targetSumColumns, ",") {
		sums = append(sums, `COALESCE(SUM(t.`+strings.TrimSpace(c)+`), 0)`)
	}
	return [4]string{
		`SELECT ` + strings.Join(sums, ", ") + ` FROM orgs o CROSS JOIN target_totals t WHERE t.cycle_id = $1 AND t.org_id = o.id AND ` + top,
		`SELECT ` + targetRowSums + ` FROM orgs o CROSS JOIN target_results r WHERE r.cycle_id = $1 AND r.org_id = o.id AND ` + top,
		`SELECT m.bit, m.n FROM orgs o CROSS JOIN target_totals_met m WHERE m.cycle_id = $1 AND m.org_id = o.id AND ` + top,
		`SELECT r.met_bits FROM orgs o CROSS JOIN target_results r WHERE r.cycle_id = $1 AND r.org_id = o.id AND ` + top,
	}
}
