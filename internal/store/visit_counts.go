package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/visit"
)

// The counts coverage reads (migration 00035): each community's
// households, people and sitting members (each person once, by their first
// row: sameMember) in a cycle (round "") and those each round reached
// (kinds reachedHousehold, reachedPerson, reachedMember), kept by every
// write that changes them, in its transaction: a household or person
// added, imported or removed, members imported, a visit reaching one for
// the first time in its round (visit_reached's key decides, so two posts
// at once count once), a cycle carrying its registers over. A round's
// coverage of 10,000 communities then reads six rows a community instead
// of counting millions of register and visit rows.

// countVisits adds delta to count kind of community orgID in round of
// cycleID ("" for the register).
func (t *Tx) countVisits(ctx context.Context, cycleID, orgID int64, round visit.Round, kind string, delta int) error {
	if delta == 0 {
		return nil
	}
	_, err := t.exec(ctx, `INSERT INTO visit_counts (cycle_id, org_id, round, kind, n) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (cycle_id, org_id, round, kind) DO UPDATE SET n = visit_counts.n + excluded.n`,
		cycleID, orgID, string(round), kind, delta)
	return err
}

// countOf is SQL reading count kind of community o (an orgs row) in cycle
// $1 and the round the SQL expression round names, 0 when none is kept.
func countOf(round, kind string) string {
	return `COALESCE((SELECT c.n FROM visit_counts c WHERE c.cycle_id = $1 AND c.org_id = o.id AND c.round = ` + round +
		` AND c.kind = '` + kind + `'), 0)`
}

// coverageCounts are the three counts of community o (an orgs row) in the
// round that the SQL expression round names, in cycle $1, as visit_counts
// keeps them: its households on the register, those reached in the round
// (each once, however often visited), and the talks still owed to its
// sitting members (each person once), party members and representatives.
// Coverage reads them for a round's page, the feeds (visit_feeds.go) for
// the rounds near their end and for the progress table's page.
func coverageCounts(round string) string {
	return countOf(`''`, reachedHousehold) + `, ` + countOf(round, reachedHousehold) + `,
		` + countOf(`''`, reachedPerson) + ` - ` + countOf(round, reachedPerson) + `
		+ ` + countOf(`''`, reachedMember) + ` - ` + countOf(round, reachedMember)
}

// coverageStatement is every community's counts within the scope's
// bounds ($3, $4) in round $2 of cycle $1, in tree order: Coverage's.
var coverageStatement = `SELECT o.code, o.name, COALESCE(d.name, ''), ` + coverageCounts("$2") + `
	FROM orgs o LEFT JOIN orgs d ON d.id = o.parent_id
	WHERE o.kind = 'community' AND o.path >= $3 AND o.path < $4 ORDER BY o.path`

// firstMembers is SQL selecting the rows of members m (under its cycle and
// community) that are their person's first: the sitting members counted
// once each.
var firstMembers = ` FROM members m WHERE NOT EXISTS (SELECT 1 FROM members s WHERE s.cycle_id = m.cycle_id AND s.org_id = m.org_id
	AND s.id < m.id AND ` + sameMember("s", "m") + `)`

// countedFromScratch is every count visit_counts keeps, made again from the
// registers, members and visit_reached (as migration 00035 makes them): a
// member's person reached once, whichever of their rows a talk reached.
var countedFromScratch = `SELECT cycle_id, org_id, '' AS round, 'h' AS kind, COUNT(*) AS n FROM visit_households GROUP BY cycle_id, org_id
	UNION ALL SELECT cycle_id, org_id, '', 'p', COUNT(*) FROM visit_people GROUP BY cycle_id, org_id
	UNION ALL SELECT m.cycle_id, m.org_id, '', 'm', COUNT(*)` + firstMembers + ` GROUP BY m.cycle_id, m.org_id
	UNION ALL SELECT cycle_id, org_id, round, kind, COUNT(*) FROM visit_reached WHERE kind IN ('h', 'p')
		GROUP BY cycle_id, org_id, round, kind
	UNION ALL SELECT x.cycle_id, x.org_id, x.round, 'm', COUNT(*) FROM visit_reached x JOIN members m ON m.id = x.target_id
		WHERE x.kind = 'm' AND NOT EXISTS (SELECT 1 FROM visit_reached y JOIN members s ON s.id = y.target_id
			WHERE y.cycle_id = x.cycle_id AND y.round = x.round AND y.kind = 'm' AND y.target_id < x.target_id
			AND s.org_id = m.org_id AND ` + sameMember("s", "m") + `)
		GROUP BY x.cycle_id, x.org_id, x.round`

// countedAgain is every count of visit_counts beside the same count made
// again (countedFromScratch), where the two differ.
var countedAgain = `SELECT t.cycle_id, t.org_id, t.round, t.kind, SUM(t.want), SUM(t.kept), COALESCE(MAX(o.code || ' ' || o.name), '')
	FROM (SELECT cycle_id, org_id, round, kind, n AS want, 0 AS kept FROM (` + countedFromScratch + `) c
		UNION ALL SELECT cycle_id, org_id, round, kind, 0, n FROM visit_counts) t LEFT JOIN orgs o ON o.id = t.org_id
	GROUP BY t.cycle_id, t.org_id, t.round, t.kind HAVING SUM(t.want) <> SUM(t.kept)
	ORDER BY t.cycle_id, t.org_id, t.round, t.kind`

// countMembers counts again the sitting members (each person once) of the
// communities orgIDs in cycleID, after members were added to them.
func (t *Tx) countMembers(ctx context.Context, cycleID int64, orgIDs []int64) error {
	for chunk := range slices.Chunk(orgIDs, 500) {
		ids := make([]string, len(chunk))
		for i, id := range chunk {
			ids[i] = strconv.FormatInt(id, 10)
		}
		if _, err := t.exec(ctx, `INSERT INTO visit_counts (cycle_id, org_id, round, kind, n) SELECT m.cycle_id, m.org_id, '', 'm', COUNT(*)`+
			firstMembers+` AND m.cycle_id = $1 AND m.org_id IN (`+strings.Join(ids, ", ")+`) GROUP BY m.cycle_id, m.org_id
			ON CONFLICT (cycle_id, org_id, round, kind) DO UPDATE SET n = excluded.n`, cycleID); err != nil {
			return err
		}
	}
	return nil
}

// RebuildVisitCounts makes every count coverage reads again from the
// registers, members and visits: for data written into the database by
// other means than the platform (the benchmarks' bulk loads), never on a
// request's path.
func (s *Store) RebuildVisitCounts(ctx context.Context) error {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM visit_counts`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO visit_counts (cycle_id, org_id, round, kind, n) `+countedFromScratch); err != nil {
		return err
	}
	return tx.Commit()
}

// verifyVisitCounts reports each count coverage reads that its registers
// and visit_reached no longer bear out: changed in the database behind
// the platform's back, since every write through it keeps them together.
func verifyVisitCounts(ctx context.Context, q querier, report func(RecordProblem)) error {
	rows, err := q.QueryContext(ctx, countedAgain)
	if err != nil {
		return fmt.Errorf("verify visit_counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cycleID, orgID int64
		var round visit.Round
		var kind, unit string
		var want, kept int64
		if err := rows.Scan(&cycleID, &orgID, &round, &kind, &want, &kept, &unit); err != nil {
			return err
		}
		what := map[string]string{reachedHousehold: "户", reachedPerson: "名党员和居民代表", reachedMember: "名两委成员"}[kind]
		counted := "登记了"
		if round != "" {
			counted = round.Label() + "走访到"
		}
		report(RecordProblem{Table: "visit_counts", Label: "走访覆盖计数", Key: strconv.FormatInt(cycleID, 10) + ":" + strconv.FormatInt(orgID, 10),
			Community: unit, Reason: fmt.Sprintf("%s %d %s,计数却记为 %d,是在数据库里直接改动的", counted, want, what, kept)})
	}
	return rows.Err()
}
