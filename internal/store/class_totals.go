package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/assess"
)

// classTally collects moves of classes in force within one transaction, per
// unit code (each moved community and all its ancestors), so that
// class_totals is updated once per unit at the end however many communities
// moved.
type classTally map[string]*[3]int

// classSlot is the counter of class c in a tally entry; -1 for unassessed,
// which is not counted (it is tree_communities less the three).
func classSlot(c assess.Class) int {
	switch c {
	case assess.A:
		return 0
	case assess.B:
		return 1
	case assess.C:
		return 2
	}
	return -1
}

// move records that the community with path went from class from to class to.
func (m classTally) move(path string, from, to assess.Class) {
	if from == to {
		return
	}
	for code := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
		d := m[code]
		if d == nil {
			d = new([3]int)
			m[code] = d
		}
		if i := classSlot(from); i >= 0 {
			d[i]--
		}
		if i := classSlot(to); i >= 0 {
			d[i]++
		}
	}
}

// addClassTotals adds a tally to the cycle's class_totals when the
// transaction is about to commit (writeClassTotals). A zone's and its
// districts' rows are every class move's: written in the middle of a
// write, each was held, and every other assessment of the zone waited,
// through the rest of it, its digests and its turn at the audit chain;
// written last, only through its commit. The counters are derived and not
// protected (no trigger notes their writes, no digest vouches for them),
// so they may follow the seal; nothing reads them inside a write.
func (t *Tx) addClassTotals(cycleID int64, m classTally) {
	if t.classes == nil {
		t.classes = map[int64]classTally{}
	}
	all := t.classes[cycleID]
	if all == nil {
		all = classTally{}
		t.classes[cycleID] = all
	}
	for code, d := range m {
		if all[code] == nil {
			all[code] = new([3]int)
		}
		for i := range d {
			all[code][i] += d[i]
		}
	}
}

// writeClassTotals writes the transaction's class moves (addClassTotals).
func (t *Tx) writeClassTotals(ctx context.Context) error {
	for _, cycleID := range slices.Sorted(maps.Keys(t.classes)) {
		if err := t.classTotals(ctx, cycleID, t.classes[cycleID]); err != nil {
			return err
		}
	}
	return nil
}

// classTotals adds a tally to the cycle's class_totals.
func (t *Tx) classTotals(ctx context.Context, cycleID int64, m classTally) error {
	if len(m) == 0 {
		return nil
	}
	// On PostgreSQL one statement (a round trip per unit took seconds),
	// which takes the units' rows in the order of their ids: in the map's
	// order, two writers took a district's and the zone's rows in opposite
	// orders and deadlocked (issue 17, TestConcurrentWritesNoDeadlock).
	if t.s.engine == Postgres {
		var codes []string
		var a, b, c []int64
		for code, d := range m {
			if *d == ([3]int{}) {
				continue
			}
			codes, a, b, c = append(codes, code), append(a, int64(d[0])), append(b, int64(d[1])), append(c, int64(d[2]))
		}
		_, err := t.exec(ctx, `INSERT INTO class_totals (org_id, cycle_id, a, b, c)
			SELECT o.id, $1, v.a, v.b, v.c FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS v(code, a, b, c)
			JOIN orgs o ON o.code = v.code ORDER BY o.id
			ON CONFLICT (org_id, cycle_id) DO UPDATE SET a = class_totals.a + excluded.a,
			b = class_totals.b + excluded.b, c = class_totals.c + excluded.c`, cycleID, codes, a, b, c)
		return err
	}
	// A statement a unit, prepared once for all writes (stmts.go).
	for code, d := range m {
		if *d == ([3]int{}) {
			continue
		}
		if _, err := t.exec(ctx, `INSERT INTO class_totals (org_id, cycle_id, a, b, c)
			SELECT id, $1, $2, $3, $4 FROM orgs WHERE code = $5
			ON CONFLICT (org_id, cycle_id) DO UPDATE SET a = class_totals.a + excluded.a,
			b = class_totals.b + excluded.b, c = class_totals.c + excluded.c`, cycleID, d[0], d[1], d[2], code); err != nil {
			return fmt.Errorf("class totals of %s: %w", code, err)
		}
	}
	return nil
}
