package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/vetting"
)

// TestReviewRequestsNameTheirParents: a review request names a round, an
// aspirant and a department that exist, and none of them can go or change
// its id while a request names it. SQLite holds this with foreign keys;
// PostgreSQL with checks once per statement (migration 00044), which a
// round of 2,000,000 requests needs, and which must refuse all that the
// foreign keys refused.
func TestReviewRequestsNameTheirParents(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t) // requests written behind the platform's back
		cycle, ids := reviewZone(t, st, 2)
		started := startRound(t, st, cycle, vetting.FirstRound, "文1", "2026-11-01")
		round, err := st.QueryInt(ctx, `SELECT MAX(id) FROM review_rounds`)
		if err != nil {
			t.Fatal(err)
		}
		dept, err := st.QueryInt(ctx, `SELECT MIN(department_id) FROM review_requests`)
		if err != nil {
			t.Fatal(err)
		}
		count := func() int64 {
			t.Helper()
			n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM review_requests`)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(); n != int64(started.Requests) || n != 40 {
			t.Fatalf("the round's requests: %d counted, %d started, want 40", n, started.Requests)
		}
		// A round, an aspirant and a department that only requests name:
		// the round and aspirants of this test, and a department added
		// here, without accounts or a checklist, named by one request.
		if err := st.Tamper(ctx, `INSERT INTO departments (code, name, sort) VALUES ('t44', '测试部门', 99)`); err != nil {
			t.Fatal(err)
		}
		newDept, err := st.QueryInt(ctx, `SELECT id FROM departments WHERE code = 't44'`)
		if err != nil {
			t.Fatal(err)
		}
		insert := func(rows ...[3]int64) string {
			var values []string
			for _, r := range rows {
				values = append(values, fmt.Sprintf("(%d, %d, %d, '2026-11-10')", r[0], r[1], r[2]))
			}
			return `INSERT INTO review_requests (round_id, aspirant_id, department_id, deadline) VALUES ` + strings.Join(values, ", ")
		}
		if err := st.Tamper(ctx, insert([3]int64{round, ids[0], newDept})); err != nil {
			t.Fatalf("a request naming parents that exist: %v", err)
		}
		if n := count(); n != 41 {
			t.Fatalf("after a good insert: %d requests, want 41", n)
		}
		const missing = 999_999_999
		refused := map[string]string{
			"a request naming no round":                insert([3]int64{missing, ids[1], newDept}),
			"a request naming no aspirant":             insert([3]int64{round, missing, newDept}),
			"a request naming no department":           insert([3]int64{round, ids[1], missing}),
			"good rows with one bad":                   insert([3]int64{round, ids[1], newDept}, [3]int64{round, missing, dept}),
			"a request moved to no aspirant":           fmt.Sprintf(`UPDATE review_requests SET aspirant_id = %d WHERE department_id = %d`, missing, newDept),
			"a request moved to no round":              fmt.Sprintf(`UPDATE review_requests SET round_id = %d WHERE department_id = %d`, missing, newDept),
			"the round its requests name deleted":      fmt.Sprintf(`DELETE FROM review_rounds WHERE id = %d`, round),
			"the aspirant its requests name deleted":   fmt.Sprintf(`DELETE FROM aspirants WHERE id = %d`, ids[0]),
			"the department its request names deleted": fmt.Sprintf(`DELETE FROM departments WHERE id = %d`, newDept),
			"the round's id changed":                   fmt.Sprintf(`UPDATE review_rounds SET id = %d WHERE id = %d`, missing, round),
			"the aspirant's id changed":                fmt.Sprintf(`UPDATE aspirants SET id = %d WHERE id = %d`, missing, ids[0]),
			"the department's id changed":              fmt.Sprintf(`UPDATE departments SET id = %d WHERE id = %d`, missing, newDept),
		}
		if st.Engine() == store.Postgres {
			// A foreign key allows moving a request to another parent that
			// exists; the platform never moves one, and PostgreSQL refuses it.
			refused["a request moved to another aspirant"] = fmt.Sprintf(`UPDATE review_requests SET aspirant_id = %d WHERE department_id = %d`, ids[1], newDept)
			refused["review rounds truncated"] = `TRUNCATE review_rounds`
		}
		for what, q := range refused {
			if err := st.Tamper(ctx, q); err == nil {
				t.Errorf("%s: allowed", what)
			}
			if n := count(); n != 41 {
				t.Fatalf("after %s: %d requests, want 41", what, n)
			}
		}
		for what, q := range map[string]string{
			"rounds":      `SELECT COUNT(*) FROM review_rounds WHERE id = ` + fmt.Sprint(round),
			"aspirants":   fmt.Sprintf(`SELECT COUNT(*) FROM aspirants WHERE id IN (%d, %d)`, ids[0], ids[1]),
			"departments": fmt.Sprintf(`SELECT COUNT(*) FROM departments WHERE id = %d`, newDept),
		} {
			want := map[string]int64{"rounds": 1, "aspirants": 2, "departments": 1}[what]
			if n, err := st.QueryInt(ctx, q); err != nil || n != want {
				t.Errorf("%s left: %d (%v), want %d", what, n, err, want)
			}
		}
		// The checks stop nothing that the foreign keys allowed: a request
		// deleted, then its department.
		if err := st.Tamper(ctx, fmt.Sprintf(`DELETE FROM review_requests WHERE department_id = %d`, newDept),
			fmt.Sprintf(`DELETE FROM departments WHERE id = %d`, newDept)); err != nil {
			t.Fatalf("a department no request names deleted: %v", err)
		}
	})
}
