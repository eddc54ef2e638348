package store_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// smallTables are the tables that do not grow with the zone (settings and
// the chain's head): reading one whole is no fault.
var smallTables = map[string]bool{"cycles": true, "audit_head": true, "audit_meta": true, "margins": true, "targets": true,
	"election_settings": true, "progress_stages": true, "departments": true, "assess_indicators": true, "assess_rules": true,
	"visit_campaigns": true}

var (
	sqliteScan = regexp.MustCompile(`^SCAN (\w+)`)
	pgScan     = regexp.MustCompile(`Seq Scan on (\w+)`)
	pgSort     = regexp.MustCompile(`(^|->  )(Incremental )?Sort\b`)
	pgIndex    = regexp.MustCompile(`Index (Only )?Scan( Backward)? using \w+ on (\w+)`)
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
		for _, h := range store.HotStatements() {
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
			if m := pgIndex.FindStringSubmatch(line); m != nil && !smallTables[m[3]] &&
				(i+1 >= len(plan) || !strings.Contains(plan[i+1], "Index Cond:")) {
				return "a whole index of " + m[3] + ": " + line
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
