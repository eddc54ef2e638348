package store_test

// BenchmarkPredictedSlates10k times Scoped.PredictedSlates, the read the
// structure targets are computed from, on the demo zone of 10,000
// communities with a full predicted slate in each (party committee of 5,
// residents' committee of 7, two persons on both: 12 persons, 120,000
// rows). The slates are written straight into the tables (set-based, no
// audit): the benchmark times the read, not SetSlate. Only when run:
//
//	go test ./internal/store -run '^$' -bench PredictedSlates10k -benchtime 20x
//
// Sub-benchmarks: first and last page of 50 communities, and the whole
// zone in one call (the batch). Figures in docs/performance.md.

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

const slateBenchCommunities = 10_000

func BenchmarkPredictedSlates10k(b *testing.B) {
	engines := []store.Engine{store.SQLite}
	if os.Getenv(testdb.EnvPostgres) != "" {
		engines = append(engines, store.Postgres)
	}
	for _, e := range engines {
		b.Run(string(e), func(b *testing.B) {
			st, _ := loadBenchZone(b, e, slateBenchCommunities)
			ctx := context.Background()
			fillSlates(b, st)
			zone := st.Zone(store.System)
			for _, c := range []struct {
				name string
				f    store.CommunityFilter
				want int
			}{
				{"first-page-50", store.CommunityFilter{Limit: 50}, 50},
				{"last-page-50", store.CommunityFilter{Limit: 50, Offset: slateBenchCommunities - 50}, 50},
				{"whole-zone", store.CommunityFilter{}, slateBenchCommunities},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						got, err := zone.PredictedSlates(ctx, c.f)
						if err != nil || len(got) != c.want || len(got[0].Persons) != 12 {
							b.Fatalf("%v: %d slates", err, len(got))
						}
					}
				})
			}
		})
	}
}

// fillSlates gives every community of the current cycle 10 qualified
// aspirants and a full slate, behind the platform's back.
func fillSlates(b *testing.B, st *store.Store) {
	b.Helper()
	ctx := context.Background()
	nums := "SELECT 0 AS k"
	for k := 1; k < 10; k++ {
		nums += " UNION ALL SELECT " + strconv.Itoa(k)
	}
	err := st.Tamper(ctx,
		`INSERT INTO aspirants (cycle_id, org_id, name, id_sealed, id_index, phone_sealed, sex, age, party, committee, post,
			education, status, created_by, created_at, updated_at)
		SELECT c.id, o.id, '人选' || n.k, '', o.code || '-' || n.k, '', CASE WHEN n.k < 4 THEN '女' ELSE '男' END, 40, 'member',
			CASE WHEN n.k < 5 THEN 'party' ELSE 'residents' END, 'member', 'bachelor', 'qualified', 'bench', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
		FROM orgs o, cycles c, (`+nums+`) n WHERE o.kind = 'community' AND c.current = TRUE`,
		`INSERT INTO slates (cycle_id, org_id, dual, set_by, set_at)
		SELECT c.id, o.id, TRUE, 'bench', CURRENT_TIMESTAMP FROM orgs o, cycles c WHERE o.kind = 'community' AND c.current = TRUE`,
		// aspirants 0–4 on the party committee, 3–9 on the residents': 3 and 4 on both.
		`INSERT INTO slate_picks (cycle_id, org_id, committee, post, seat, aspirant_id, birth_date, source, notes)
		SELECT cycle_id, org_id, 'party', 'member', id, id, '1990-06-01', 'inside', '' FROM aspirants WHERE created_by = 'bench' AND committee = 'party'`,
		`INSERT INTO slate_picks (cycle_id, org_id, committee, post, seat, aspirant_id, birth_date, source, notes)
		SELECT cycle_id, org_id, 'residents', 'member', id, id, '1980-06-01', '', '' FROM aspirants
		WHERE created_by = 'bench' AND (committee = 'residents' OR name IN ('人选3', '人选4'))`,
	)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Tamper(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}
