package store_test

import (
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// Visits entered as one batch (Tx.RecordVisits, as the demo zone enters a
// community's, here with one of a neighbour's) are sent a statement for all
// of them, and must leave what
// entering them one after another leaves, on both engines: the visits, who
// was reached first (a household visited twice in the batch, a member
// holding both posts talked to under each), the counts, the problems and
// the ledger items they became, and the audit entries in the same order.
func TestRecordVisitsAsOneAtATime(t *testing.T) {
	demoZone.ForEach(t, func(t *testing.T, batch *store.Store) {
		single := demoZone.Open(t, batch.Engine())
		zone := batch.Zone(store.System)
		codes, err := batch.QueryTexts(ctx, `SELECT o.code FROM visits v JOIN orgs o ON o.id = v.org_id
			WHERE v.household_id > 0 AND NOT v.missed GROUP BY o.code ORDER BY COUNT(*) DESC, o.code LIMIT 1`)
		if err != nil || len(codes) == 0 {
			t.Fatalf("a community with visits: %v %v", codes, err)
		}
		code := codes[0]
		stored, err := zone.Visits(ctx, code, "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		fresh := func(v visit.Visit) visit.Visit {
			n++
			v.ID, v.ClientID = 0, clientID(9000+n)
			v.Problems = slices.Clone(v.Problems)
			for k := range v.Problems {
				v.Problems[k].LedgerItem, v.Problems[k].LedgerStatus = 0, ""
			}
			return v
		}
		var vs []visit.Visit
		var door, talk *visit.Visit
		for i, v := range stored.Visits {
			if len(vs) < 20 || slices.ContainsFunc(v.Problems, func(p visit.Problem) bool { return p.FollowUp }) {
				vs = append(vs, fresh(v)) // visits again of whom the demo reached, and every problem to follow up
			}
			switch {
			case door == nil && v.Household > 0 && !v.Missed:
				door = &stored.Visits[i]
			case talk == nil && v.Member > 0 && !v.Missed:
				talk = &stored.Visits[i]
			}
		}
		if door == nil || talk == nil {
			t.Fatalf("%s has no household visited and no member talked to", code)
		}
		unreached, err := zone.Unreached(ctx, code, door.Round, 3, 0)
		if err != nil || len(unreached.Households) == 0 {
			t.Fatalf("households of %s not reached: %v %v", code, unreached, err)
		}
		for i, h := range append(unreached.Households, unreached.Households[0]) { // the first twice
			v := fresh(*door)
			v.Household = h.ID
			v.Missed = i == 1 // a door that did not open reaches no one
			vs = append(vs, v)
		}
		// A household of a neighbour in the same district: the batch moves
		// the district's and the zone's counts for two communities at once.
		neighbours, err := batch.QueryTexts(ctx, `SELECT o.code FROM orgs o JOIN orgs c ON c.parent_id = o.parent_id
			WHERE c.code = '`+code+`' AND o.code <> c.code AND o.kind = 'community' ORDER BY o.code LIMIT 1`)
		if err != nil || len(neighbours) == 0 {
			t.Fatalf("a neighbour of %s: %v %v", code, neighbours, err)
		}
		theirs, err := zone.Unreached(ctx, neighbours[0], door.Round, 1, 0)
		if err != nil || len(theirs.Households) == 0 {
			t.Fatalf("households of %s not reached: %v %v", neighbours[0], theirs, err)
		}
		next := fresh(*door)
		next.Community, next.Household = neighbours[0], theirs.Households[0].ID
		vs = append(vs, next)
		members, err := zone.Members(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members { // every post: a member holding two is one person
			v := fresh(*talk)
			v.Member = m.ID
			vs = append(vs, v)
		}
		follow := 0
		for _, v := range vs {
			for _, p := range v.Problems {
				if p.FollowUp {
					follow++
				}
			}
		}
		if follow < 2 {
			t.Fatalf("%s: %d problems to follow up among %d visits", code, follow, len(vs))
		}
		err = batch.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.RecordVisits(ctx, vs)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = single.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			for _, v := range vs {
				if _, err := tx.RecordVisits(ctx, []visit.Visit{v}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sameRows(t, batch, single,
			`SELECT CAST(v.id AS TEXT) || ' ' || v.client_id || ' ' || o.code || ' ' || v.round || ' ' || CAST(v.household_id AS TEXT) || ' ' ||
				CAST(v.person_id AS TEXT) || ' ' || CAST(v.member_id AS TEXT) || ' ' || CAST(v.activity_id AS TEXT) || ' ' || v.visited_on || ' ' ||
				v.method || ' ' || v.visitors || ' ' || v.recorded_by FROM visits v JOIN orgs o ON o.id = v.org_id ORDER BY v.id`,
			`SELECT r.round || ' ' || r.kind || ' ' || CAST(r.target_id AS TEXT) || ' ' || CAST(r.org_id AS TEXT) || ' ' || CAST(r.visit_id AS TEXT)
				FROM visit_reached r ORDER BY r.round, r.kind, r.target_id`,
			`SELECT CAST(c.org_id AS TEXT) || ' ' || c.round || ' ' || c.kind || ' ' || CAST(c.n AS TEXT) FROM visit_counts c
				ORDER BY c.org_id, c.round, c.kind`,
			`SELECT CAST(p.visit_id AS TEXT) || ' ' || CAST(p.seq AS TEXT) || ' ' || p.category || ' ' || p.text || ' ' || p.owner || ' ' || p.due ||
				' ' || CAST(p.ledger_item_id AS TEXT) FROM visit_problems p ORDER BY p.visit_id, p.seq`,
			`SELECT CAST(i.id AS TEXT) || ' ' || i.source || ' ' || i.source_ref || ' ' || i.content || ' ' || i.status FROM ledger_items i ORDER BY i.id`,
			`SELECT a.action || ' ' || a.entity || ' ' || a.entity_id || ' ' || a.org_path || ' ' || a.after_data FROM audit_log a
				WHERE a.action IN ('visit.record', 'ledger.add') ORDER BY a.seq`,
		)
	})
}
