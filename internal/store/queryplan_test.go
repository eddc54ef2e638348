package store_test

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// smallTables are the tables that do not grow with the zone (settings and
// the chain's head): reading one whole is no fault.
var smallTables = map[string]bool{"cycles": true, "audit_head": true, "audit_meta": true, "margins": true, "targets": true,
	"election_settings": true, "progress_stages": true, "departments": true, "assess_indicators": true, "assess_rules": true,
	"visit_campaigns": true,
	// A statement's own list of ids, one parameter (anyID): as long as the
	// write it serves, not the zone.
	"json_each": true}

var (
	sqliteScan = regexp.MustCompile(`^SCAN (\w+)`)
	pgScan     = regexp.MustCompile(`Seq Scan on (\w+)`)
	pgSort     = regexp.MustCompile(`(^|->  )(Incremental )?Sort\b`)
	pgIndex    = regexp.MustCompile(`Index (Only )?Scan( Backward)? using \w+ on (\w+)`)
	pgNotNull  = regexp.MustCompile(`Index Cond: \(+\w+ IS NOT NULL\)`)
	pgMax      = regexp.MustCompile(`^Index Cond: \(\w+ IS NOT NULL\)$`)
)

// The hot statements' plans (issue 17), on both engines: none reads the
// whole of a table that grows with the zone, nor sorts its rows in a
// temporary B-tree, whatever the size of the zone; an index fits each. On
// PostgreSQL the plans are made with sequential scans and sorts disabled,
// so a scan or sort left is one no index could avoid even on the test's
// small tables.
func TestHotStatementPlans(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		for _, h := range store.HotStatements(st.Engine()) {
			plan, err := st.ExplainPlan(ctx, h.SQL, h.Args...)
			if err != nil {
				t.Fatalf("%s: %v", h.Name, err)
			}
			if fault := planFault(st.Engine(), plan); fault != "" {
				t.Errorf("%s: %s\n%s", h.Name, fault, strings.Join(plan, "\n"))
			}
		}
	})
}

// A read by key keeps its generic plan on PostgreSQL (store.Pools): each
// finds its rows by its key whatever the scope, never by reading a range of
// the tree, nor a whole table or index. It may sort what it found (an
// item's notes).
func TestKeyedReadsGenericPlans(t *testing.T) {
	st := testdb.Open(t, store.Postgres)
	tree(t, st)
	for _, h := range store.KeyedReads() {
		plan, err := st.GenericPlan(ctx, h.SQL, h.Args...)
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		fault := planFault(store.Postgres, slices.DeleteFunc(slices.Clone(plan), func(line string) bool {
			return pgSort.MatchString(strings.TrimSpace(line)) // the sort and its key
		}))
		for _, line := range plan {
			if fault == "" && strings.Contains(line, "Index Cond") && strings.Contains(line, "path >=") {
				fault = "a range of the tree: " + strings.TrimSpace(line)
			}
		}
		if fault != "" {
			t.Errorf("%s: %s\n%s", h.Name, fault, strings.Join(plan, "\n"))
		}
	}
}

// planFault names the first whole scan of a growing table or temporary
// sort in plan, "" when there is none.
func planFault(e store.Engine, plan []string) string {
	for i, line := range plan {
		line = strings.TrimSpace(line)
		scan := sqliteScan
		if e == store.Postgres {
			scan = pgScan
			if pgSort.MatchString(line) {
				return "a sort: " + line
			}
			// An index read from end to end, its rows filtered: the whole
			// table in the index's order.
			// The same when its condition's first column is only bounded by
			// IS NOT NULL, as PostgreSQL bounds a MAX read from an index.
			// But not a MAX of the whole table: its one condition IS NOT
			// NULL, nothing filtered, it reads the index's last row alone.
			if m := pgIndex.FindStringSubmatch(line); m != nil && !smallTables[m[3]] &&
				(i+1 >= len(plan) || !strings.Contains(plan[i+1], "Index Cond:") || pgNotNull.MatchString(plan[i+1])) &&
				!(i+1 < len(plan) && pgMax.MatchString(strings.TrimSpace(plan[i+1])) &&
					(i+2 >= len(plan) || !strings.Contains(plan[i+2], "Filter:"))) {
				return "a whole index of " + m[3] + ": " + line + " " + strings.TrimSpace(plan[min(i+1, len(plan)-1)])
			}
		} else if strings.Contains(line, "TEMP B-TREE") {
			return "a temporary B-tree: " + line
		}
		if m := scan.FindStringSubmatch(line); m != nil && !smallTables[m[1]] && !subquery(plan[:i], m[1]) {
			return "a whole scan of " + m[1] + ": " + line
		}
	}
	return ""
}

// subquery reports whether the plan before a line made name a subquery's
// rows (SQLite's CO-ROUTINE or MATERIALIZE): a scan of it reads what the
// subquery chose, which its own lines were checked for, not a table.
func subquery(before []string, name string) bool {
	for _, line := range before {
		line = strings.TrimSpace(line)
		if line == "CO-ROUTINE "+name || line == "MATERIALIZE "+name {
			return true
		}
	}
	return false
}

// planFault on plans PostgreSQL made on the demo zone of 10,000
// communities: the aspirants' latest round read by walking the whole round
// index for each (the old single-column index of their requests), and read
// from the end of the aspirant's own entries.
func TestPlanFault(t *testing.T) {
	whole := []string{
		"SubPlan 2",
		"  ->  Result  (cost=75.67..75.68 rows=1 width=8)",
		"        InitPlan 1 (returns $1)",
		"          ->  Limit  (cost=0.42..75.67 rows=1 width=8)",
		"                ->  Index Only Scan Backward using review_requests_round_id_aspirant_id_department_id_key on review_requests x  (cost=0.42..3010.59 rows=40 width=8)",
		"                      Index Cond: ((round_id IS NOT NULL) AND (aspirant_id = a.id))",
	}
	if fault := planFault(store.Postgres, whole); !strings.Contains(fault, "a whole index of review_requests") {
		t.Errorf("the round index walked for each aspirant: fault %q", fault)
	}
	fits := []string{
		"SubPlan 2",
		"  ->  Result  (cost=0.45..0.46 rows=1 width=8)",
		"        InitPlan 1 (returns $1)",
		"          ->  Limit  (cost=0.42..0.45 rows=1 width=8)",
		"                ->  Index Only Scan Backward using review_requests_aspirant on review_requests x  (cost=0.42..1.20 rows=40 width=8)",
		"                      Index Cond: ((aspirant_id = a.id) AND (round_id IS NOT NULL))",
	}
	if fault := planFault(store.Postgres, fits); fault != "" {
		t.Errorf("the aspirant's own entries: fault %q", fault)
	}
	// The last entry of the audit log's copy: one row; the last of a
	// department's requests found by walking them all: a fault.
	last := []string{
		"InitPlan 2 (returns $1)",
		"  ->  Limit  (cost=0.15..0.28 rows=1 width=8)",
		"        ->  Index Only Scan Backward using audit_search_pkey on audit_search  (cost=0.15..55.29 rows=408 width=8)",
		"              Index Cond: (seq IS NOT NULL)",
	}
	if fault := planFault(store.Postgres, last); fault != "" {
		t.Errorf("the copy's last entry: fault %q", fault)
	}
	walked := append(slices.Clone(last), "              Filter: (department_id = 3)")
	walked[2] = strings.ReplaceAll(walked[2], "audit_search", "review_requests")
	if fault := planFault(store.Postgres, walked); !strings.Contains(fault, "a whole index of review_requests") {
		t.Errorf("the last of a department's requests, all walked: fault %q", fault)
	}
}

// A write of one record sends its digests' read, their update and its
// entry in the chain with a value a parameter, whose generic plan
// PostgreSQL keeps; with arrays it planned them again on every call
// (anyID). A write of two records sends arrays, as bulk writes do.
// arrayParam finds an array sent as one parameter: unnest($1::bigint[], …)
// or col = ANY($1::bigint[]).
var arrayParam = regexp.MustCompile(`\$\d+::\w+\[\]`)

func TestOneRecordWritesSendNoArrays(t *testing.T) {
	dsn, ok := testdb.DSN(t, store.Postgres)
	if !ok {
		t.Skip("PostgreSQL not configured")
	}
	var mu sync.Mutex
	var sent []string
	o := testdb.Options(t)
	o.Trace = func(q string, _ []any) {
		mu.Lock()
		sent = append(sent, q)
		mu.Unlock()
	}
	st, err := store.Open(t.Context(), dsn, o)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := demo.Load(t.Context(), st, demo.Generate(demo.DefaultSeed, 10).WithoutGates(), nil); err != nil {
		t.Fatal(err)
	}
	arrays := func(write func(tx *store.Tx) error) []string {
		t.Helper()
		mu.Lock()
		sent = nil
		mu.Unlock()
		if err := st.Zone(store.System).Write(t.Context(), write); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, q := range sent {
			if arrayParam.MatchString(q) {
				out = append(out, q)
			}
		}
		return out
	}
	var a ledger.Item
	two := arrays(func(tx *store.Tx) error {
		var err error
		for _, code := range []string{"QS-01-001", "QS-01-002"} {
			if a, err = tx.AddLedgerItem(t.Context(), ledger.Item{OrgCode: code, Content: "入户核实", Risk: ledger.Low, Owner: "王芳",
				Due: "2026-12-31"}); err != nil {
				return err
			}
		}
		return nil
	})
	if len(two) < 2 { // the digests' read and the seal at least
		t.Errorf("a write of two records sent %d statements over arrays, want the digests' read and the seal: %q", len(two), two)
	}
	if one := arrays(func(tx *store.Tx) error {
		_, err := tx.AddLedgerNote(t.Context(), a.ID, "已入户")
		return err
	}); len(one) > 0 {
		t.Errorf("a write of one record sent statements over arrays: %q", one)
	}
}

// A write's statement that matches a column against a list (anyID) is
// planned with its values every time on PostgreSQL, never generically: a
// generic plan guesses the list ten long and the tree's range small, and
// the third gate's read of a dozen persons in the whole zone hashed all
// its 11,251 units for it.
func TestListsPlannedWithTheirValues(t *testing.T) {
	st := testdb.Open(t, store.Postgres)
	ids := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	generic, custom, err := st.PlansOfList(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if generic != 0 || custom != 0 {
		t.Errorf("the list's statement was kept and planned %d times generically, %d with its values", generic, custom)
	}
}
