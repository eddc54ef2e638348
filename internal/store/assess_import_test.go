package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/store"
)

// An import sends its rows many a statement, and keeps each community's
// standing in memory as it goes through them. It must leave what importing
// the same rows one at a time leaves, each reading the standing the one
// before wrote: the standings, the class changes in order (those of the
// import: the override's carries the clock's time) and the districts'
// class totals, for rows that name a community twice on one day, that are
// older than the community's standing, and that name a community whose
// class the office has overridden.
func TestImportAssessmentsAsOneAtATime(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, batch *store.Store) {
		single := gatelessZone.Open(t, batch.Engine())
		list, err := batch.Zone(store.System).CommunityClasses(ctx, store.CommunityFilter{District: "QS-01"})
		if err != nil || len(list) < 3 {
			t.Fatalf("communities of QS-01: %d, %v", len(list), err)
		}
		// c1's standing rests on an assessment older than yesterday, so that
		// the fifth row, of yesterday, is newer than it and older than the
		// rows before it of the same community.
		today := batch.Today()
		var c1 string
		var others []string
		for _, c := range list {
			if c1 == "" && c.AssessedOn != "" && c.AssessedOn < today.AddDays(-2) {
				c1 = c.Code
			} else {
				others = append(others, c.Code)
			}
		}
		if c1 == "" || len(others) < 2 {
			t.Fatalf("no community of QS-01 assessed before %s", today.AddDays(-2))
		}
		c2, c3 := others[0], others[1]
		high, low := assess.Scores{}, assess.Scores{}
		for _, ind := range assess.DefaultRubric() {
			high[ind.Code], low[ind.Code] = ind.Max, 0
		}
		item := func(code string, on string, s assess.Scores, findings string) assess.Assessment {
			return assess.Assessment{OrgCode: code, AssessedOn: civil.Date(on), Findings: findings, Scores: s,
				Assessors: []assess.Assessor{{Unit: "片区专班", Name: "张伟"}}}
		}
		items := []assess.Assessment{
			item(c1, string(today), high, "一"),
			item(c2, "2001-01-01", low, "二,早于现有研判"),
			item(c1, string(today), low, "三,同日再评"),
			item(c3, string(today), low, "四,已调整分类"),
			item(c1, string(today.AddDays(-1)), high, "五,早于本批第一条"),
			item(c3, string(today), high, "六"),
			item(c2, string(today), high, "七"),
		}
		at := func(a assess.Assessment) time.Time {
			return time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(len(a.Findings)) * time.Minute)
		}
		for _, st := range []*store.Store{batch, single} {
			err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				_, err := tx.SetOverride(ctx, c3, assess.B, "班子调整中")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		err = batch.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.ImportAssessments(ctx, items, at) })
		if err != nil {
			t.Fatal(err)
		}
		err = single.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			for _, a := range items {
				if err := tx.ImportAssessments(ctx, []assess.Assessment{a}, at); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sameRows(t, batch, single,
			`SELECT o.code || ' ' || s.computed_class || ' ' || s.override_class || ' ' || s.class || ' ' || a.assessed_on || ' ' ||
				a.findings || ' ' || a.computed_class || ' ' || s.explanation FROM standings s JOIN orgs o ON o.id = s.org_id
				JOIN assessments a ON a.id = s.assessment_id WHERE o.path LIKE '/QS/QS-01/%' ORDER BY o.code`,
			`SELECT o.code || ' ' || c.from_class || ' ' || c.to_class || ' ' || c.cause || ' ' || CAST(c.at AS TEXT) FROM class_changes c
				JOIN orgs o ON o.id = c.org_id WHERE c.cause = '新研判' ORDER BY c.id`,
			`SELECT o.code || ' ' || CAST(t.a AS TEXT) || ' ' || CAST(t.b AS TEXT) || ' ' || CAST(t.c AS TEXT) FROM class_totals t
				JOIN orgs o ON o.id = t.org_id ORDER BY o.code`,
			`SELECT o.code || ' ' || a.assessed_on || ' ' || a.findings || ' ' || a.computed_class || ' ' || CAST(a.total AS TEXT)
				FROM assessments a JOIN orgs o ON o.id = a.org_id ORDER BY a.id`,
		)
		// The rows are what the items say: c1's standing rests on the third
		// row (its day's last), c2's on the seventh, c3 keeps its override.
		rows, _ := batch.QueryTexts(ctx, `SELECT o.code || ' ' || a.findings || ' ' || s.class FROM standings s JOIN orgs o ON o.id = s.org_id
			JOIN assessments a ON a.id = s.assessment_id WHERE o.code IN ('`+c1+`', '`+c2+`', '`+c3+`') ORDER BY o.code`)
		want := []string{c1 + " 三,同日再评 C", c2 + " 七 A", c3 + " 六 B"}
		slices.Sort(want)
		if !slices.Equal(rows, want) {
			t.Errorf("standings %v, want %v", rows, want)
		}
	})
}

// sameRows reports where the rows each query (one text column) reads
// differ between the store that wrote a batch and the one that wrote its
// records one at a time; a query that reads no rows compares nothing, and
// is reported too.
func sameRows(t *testing.T, batch, single *store.Store, queries ...string) {
	t.Helper()
	for _, q := range queries {
		got, err := batch.QueryTexts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := single.QueryTexts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Errorf("%s\nno rows to compare", q)
		}
		for i := range max(len(got), len(want)) {
			if i >= len(got) || i >= len(want) || got[i] != want[i] {
				t.Errorf("%s\nfirst difference at row %d of %d and %d", q, i, len(got), len(want))
				if i < len(got) && i < len(want) {
					t.Errorf("in a batch:    %s\none at a time: %s", got[i], want[i])
				}
				break
			}
		}
	}
}
