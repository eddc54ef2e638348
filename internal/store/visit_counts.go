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
// cycleID ("" for the register), and to the same count of every unit
// above it (migration 00039), in one statement.
func (t *Tx) countVisits(ctx context.Context, cycleID, orgID int64, round visit.Round, kind string, delta int) error {
	return t.addVisitCounts(ctx, cycleID, map[visitCount]int{{orgID, round, kind}: delta}, true)
}

// visitCount names one count of a community: kind in round.
type visitCount struct {
	org   int64
	round visit.Round
	kind  string
}

// addVisitCounts adds each delta of counts to its count of every unit
// above its community, and of the community itself with self, in one
// statement, the rows in the order of the units' ids: a write of a
// community's visits moves four of its counts, and the same four of its
// district and the zone, whose rows every write of visits in the zone
// holds from the first statement that moves them to its commit.
func (t *Tx) addVisitCounts(ctx context.Context, cycleID int64, counts map[visitCount]int, self bool) error {
	args := []any{cycleID}
	var rows []string
	for c, delta := range counts {
		if delta == 0 {
			continue
		}
		path, err := t.pathOfID(ctx, c.org)
		if err != nil {
			return err
		}
		units := pathsAbove(path)[1:] // not "/", the whole tree, which is no unit
		if self {
			units = append(units, path)
		}
		for _, p := range units {
			args = append(args, p, string(c.round), c.kind, delta)
			n := len(args)
			rows = append(rows, fmt.Sprintf("(CAST($%d AS TEXT), CAST($%d AS TEXT), CAST($%d AS TEXT), CAST($%d AS INTEGER))", n-3, n-2, n-1, n))
		}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := t.exec(ctx, `INSERT INTO visit_counts (cycle_id, org_id, round, kind, n)
		SELECT $1, o.id, v.column2, v.column3, SUM(v.column4) FROM (VALUES `+strings.Join(rows, ", ")+`) v, orgs o
		WHERE o.path = v.column1 GROUP BY o.id, v.column2, v.column3 ORDER BY o.id, v.column2, v.column3
		ON CONFLICT (cycle_id, org_id, round, kind) DO UPDATE SET n = visit_counts.n + excluded.n`, args...)
	return err
}

// countOf is SQL reading count kind of community o (an orgs row) in cycle
// $1 and the round the SQL expression round names, 0 when none is kept.
func countOf(round, kind string) string {
	return `COALESCE((SELECT c.n FROM visit_counts c WHERE c.cycle_id = $1 AND c.org_id = o.id AND c.round = ` + round +
		` AND c.kind = '` + kind + `'), 0)`
}

// coverageParts are the three counts of unit o (an orgs row) in the
// round that the SQL expression round names, in cycle $1, as visit_counts
// keeps them: its households on the register, those reached in the round
// (each once, however often visited), and the talks still owed to its
// sitting members (each person once), party members and representatives.
func coverageParts(round string) (households, reached, owed string) {
	return countOf(`''`, reachedHousehold), countOf(round, reachedHousehold),
		countOf(`''`, reachedPerson) + ` - ` + countOf(round, reachedPerson) + `
		+ ` + countOf(`''`, reachedMember) + ` - ` + countOf(round, reachedMember)
}

// coverageCounts are coverageParts as three columns. Coverage reads them
// for a round's page, the feeds (visit_feeds.go) for the rounds near their
// end and for the progress table's page.
func coverageCounts(round string) string {
	h, r, w := coverageParts(round)
	return h + `, ` + r + `, ` + w
}

// coverageDistrictsFrom selects the units within the bounds $1, $2 whose
// children are communities (the districts), for their count;
// coverageDistricts is the first CoverageDistricts of them within the
// bounds $3, $4 in tree order, with their counts in round $2 of cycle $1.
const coverageDistrictsFrom = ` FROM orgs o WHERE o.kind <> 'community' AND o.path >= $1 AND o.path < $2
	AND EXISTS (SELECT 1 FROM orgs k WHERE k.parent_id = o.id AND k.kind = 'community')`

var coverageDistricts = `SELECT o.code, o.name, ` + coverageCounts("$2") + strings.NewReplacer("$1", "$3", "$2", "$4").Replace(coverageDistrictsFrom) +
	` ORDER BY o.path LIMIT ` + strconv.Itoa(CoverageDistricts)

// coverageCommunities selects the communities within the bounds $3, $4 in
// tree order; coverageRows reads the path and the counts in round $2 of
// cycle $1 of the communities that page (such a selection) selects, in no
// order (a page is sorted in Go, not in a sort the plan test would take
// for one over the zone).
const coverageCommunities = `SELECT o.id FROM orgs o WHERE o.kind = 'community' AND o.path >= $3 AND o.path < $4 ORDER BY o.path`

func coverageRows(page string) string {
	return `SELECT o.path, o.code, o.name, COALESCE(d.name, ''), ` + coverageCounts("$2") + `
		FROM (` + page + `) pg JOIN orgs o ON o.id = pg.id LEFT JOIN orgs d ON d.id = o.parent_id`
}

// firstMembers is SQL selecting the rows of members m (under its cycle and
// community) that are their person's first: the sitting members counted
// once each.
var firstMembers = ` FROM members m WHERE NOT EXISTS (SELECT 1 FROM members s WHERE s.cycle_id = m.cycle_id AND s.org_id = m.org_id
	AND s.id < m.id AND ` + sameMember("s", "m") + `)`

// countedInCommunities is every community's count visit_counts keeps,
// made again from the registers, members and visit_reached (as migration
// 00035 makes them): a member's person reached once, whichever of their
// rows a talk reached.
var countedInCommunities = `SELECT cycle_id, org_id, '' AS round, 'h' AS kind, COUNT(*) AS n FROM visit_households GROUP BY cycle_id, org_id
	UNION ALL SELECT cycle_id, org_id, '', 'p', COUNT(*) FROM visit_people GROUP BY cycle_id, org_id
	UNION ALL SELECT m.cycle_id, m.org_id, '', 'm', COUNT(*)` + firstMembers + ` GROUP BY m.cycle_id, m.org_id
	UNION ALL SELECT cycle_id, org_id, round, kind, COUNT(*) FROM visit_reached WHERE kind IN ('h', 'p')
		GROUP BY cycle_id, org_id, round, kind
	UNION ALL SELECT x.cycle_id, x.org_id, x.round, 'm', COUNT(*) FROM visit_reached x JOIN members m ON m.id = x.target_id
		WHERE x.kind = 'm' AND NOT EXISTS (SELECT 1 FROM visit_reached y JOIN members s ON s.id = y.target_id
			WHERE y.cycle_id = x.cycle_id AND y.round = x.round AND y.kind = 'm' AND y.target_id < x.target_id
			AND s.org_id = m.org_id AND ` + sameMember("s", "m") + `)
		GROUP BY x.cycle_id, x.org_id, x.round`

// unitsUp pairs each community (org_id) with itself and every unit above
// it (anc).
const unitsUp = `WITH RECURSIVE up (org_id, anc) AS (SELECT id, id FROM orgs WHERE kind = 'community'
	UNION ALL SELECT up.org_id, o.parent_id FROM up JOIN orgs o ON o.id = up.anc WHERE o.parent_id IS NOT NULL)
	SELECT org_id, anc FROM up`

// countedFromScratch is every count visit_counts keeps, made again: each
// community's (countedInCommunities) and each unit's above them, the sum
// of its subtree's (migration 00039).
var countedFromScratch = `SELECT c.cycle_id, u.anc AS org_id, c.round, c.kind, SUM(c.n) AS n FROM (` + countedInCommunities + `) c
	JOIN (` + unitsUp + `) u ON u.org_id = c.org_id GROUP BY c.cycle_id, u.anc, c.round, c.kind`

// countedAgain is every count of visit_counts beside the same count made
// again (countedFromScratch), where the two differ.
var countedAgain = `SELECT t.cycle_id, t.org_id, t.round, t.kind, SUM(t.want), SUM(t.kept), COALESCE(MAX(o.code || ' ' || o.name), '')
	FROM (SELECT cycle_id, org_id, round, kind, n AS want, 0 AS kept FROM (` + countedFromScratch + `) c
		UNION ALL SELECT cycle_id, org_id, round, kind, 0, n FROM visit_counts) t LEFT JOIN orgs o ON o.id = t.org_id
	GROUP BY t.cycle_id, t.org_id, t.round, t.kind HAVING SUM(t.want) <> SUM(t.kept)
	ORDER BY t.cycle_id, t.org_id, t.round, t.kind`

// countMembers counts again the sitting members (each person once) of the
// communities orgIDs in cycleID, after members were added to them, and
// moves the counts of the units above them by as much.
func (t *Tx) countMembers(ctx context.Context, cycleID int64, orgIDs []int64) error {
	for chunk := range slices.Chunk(orgIDs, 500) {
		ids := make([]string, len(chunk))
		for i, id := range chunk {
			ids[i] = strconv.FormatInt(id, 10)
		}
		in := strings.Join(ids, ", ")
		before, err := t.memberCounts(ctx, cycleID, in)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO visit_counts (cycle_id, org_id, round, kind, n) SELECT m.cycle_id, m.org_id, '', 'm', COUNT(*)`+
			firstMembers+` AND m.cycle_id = $1 AND m.org_id IN (`+in+`) GROUP BY m.cycle_id, m.org_id
			ON CONFLICT (cycle_id, org_id, round, kind) DO UPDATE SET n = excluded.n`, cycleID); err != nil {
			return err
		}
		after, err := t.memberCounts(ctx, cycleID, in)
		if err != nil {
			return err
		}
		moved := map[visitCount]int{}
		for _, id := range chunk {
			moved[visitCount{id, "", reachedMember}] = after[id] - before[id]
		}
		if err := t.addVisitCounts(ctx, cycleID, moved, false); err != nil {
			return err
		}
	}
	return nil
}

// memberCounts are the kept counts of sitting members of the communities
// whose ids the list in holds (integers the store wrote, not input).
func (t *Tx) memberCounts(ctx context.Context, cycleID int64, in string) (map[int64]int, error) {
	out := map[int64]int{}
	rows, err := t.tx.QueryContext(ctx, `SELECT org_id, n FROM visit_counts WHERE cycle_id = $1 AND round = '' AND kind = 'm' AND org_id IN (`+in+`)`, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// RebuildVisitCounts makes every count coverage reads again from the
// registers, members and visits: for data written into the database by
// other means than the platform (the benchmarks' bulk loads), never on a
// request's path.
func (s *Store) RebuildVisitCounts(ctx context.Context) error {
	return s.unaudited(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM visit_counts`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO visit_counts (cycle_id, org_id, round, kind, n) `+countedFromScratch)
		return err
	})
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
