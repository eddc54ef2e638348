package demo_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/demotest"
	"github.com/huanjie/huanjie/internal/meeting"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The loaded demo looks like a real zone's work, on both engines (on
// SQLite loaded at 00:30 China time, see loadAtHalfPast): people are named, never a placeholder; nothing is
// stamped after that moment (today's events are not put at 09:00, in the
// future, where a page would show them as "upcoming" and the audit log
// would run backwards); its elections have the seed's shape
// (checkElections); and the audit log verifies.
func TestDemoLooksReal(t *testing.T) {
	z := demotest.Zone()
	loadAtHalfPast(t, z, demotest.Whole, func(t *testing.T, st *store.Store, raw *sql.DB, now time.Time) {
		checkPeopleNamed(t, raw)
		checkNothingInTheFuture(t, st.Engine(), raw, now)
		checkElections(t, st, z)
		testdb.CheckAudit(t, st)
	})
}

// The zone as it stood before its elections (Zone.WithoutElections), on
// both engines (on SQLite loaded at 00:30): every department with work has an account
// whose queue holds requests overdue, due today and due later (not the same
// overdue people everywhere); nothing is stamped after the load; and the
// third gate has the seed's shape, its persons at varied steps
// (checkThirdGate).
func TestDemoBeforeElections(t *testing.T) {
	loadAtHalfPast(t, demotest.Zone().WithoutElections(), demotest.WithoutElections,
		func(t *testing.T, st *store.Store, raw *sql.DB, now time.Time) {
			checkDepartmentsHaveWork(t, st)
			checkNothingInTheFuture(t, st.Engine(), raw, now)
			checkThirdGate(t, st)
		})
}

// loadAtHalfPast loads z on SQLite with the store's clock at 00:30 China
// time today, where a time stamped later in the day is in the future, and
// runs check on it. On PostgreSQL it runs check on a copy of f, which holds
// z loaded by the tests of several packages between them, with the store's
// clock stopped at the copy's opening as now: loading the zone on
// PostgreSQL again for the hour alone would cost half a minute, and the
// times are the platform's, made in Go, on both engines.
func loadAtHalfPast(t *testing.T, z demo.Zone, f *testdb.Fixture, check func(t *testing.T, st *store.Store, raw *sql.DB, now time.Time)) {
	ctx := context.Background()
	for engine, dsn := range testdb.DSNs(t) {
		t.Run(string(engine), func(t *testing.T) {
			if engine == store.Postgres {
				st, dsn := f.OpenDSN(t, engine)
				now := st.Now()
				st.SetClock(func() time.Time { return now })
				check(t, st, rawDB(t, engine, dsn), now)
				return
			}
			st, err := store.Open(ctx, dsn, testdb.Options(t))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			now := civil.Of(time.Now()).Start().Add(30 * time.Minute)
			st.SetClock(func() time.Time { return now })
			if err := demo.Load(ctx, st, z, nil); err != nil {
				t.Fatal(err)
			}
			check(t, st, rawDB(t, engine, dsn), now)
		})
	}
}

// rawDB opens the database behind the platform's back, to read every row.
func rawDB(t *testing.T, engine store.Engine, dsn string) *sql.DB {
	driver, source := "pgx", dsn
	if engine == store.SQLite {
		driver, source = "sqlite", store.SQLiteURI(strings.TrimPrefix(dsn, "sqlite:"))
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func checkDepartmentsHaveWork(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	zone := st.Zone(store.System)
	depts, err := zone.ReviewDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users, err := zone.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reviewers := map[string]account.User{}
	for _, u := range users {
		if u.Role == account.Reviewer && !u.Disabled {
			reviewers[u.DepartmentCode] = u
		}
	}
	today := st.Today()
	withWork := 0
	overdueSets := map[string]bool{}
	for _, d := range depts {
		if len(d.Checklist) == 0 {
			continue
		}
		withWork++
		u, ok := reviewers[d.Code]
		if !ok {
			t.Errorf("%s has work but no reviewer account", d.Name)
			continue
		}
		var queue []store.QueueItem
		err := st.For(u).Write(ctx, func(tx *store.Tx) error {
			queue, err = tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: 1000})
			return err
		})
		if err != nil {
			t.Fatalf("queue of %s: %v", u.Username, err)
		}
		var overdue []string
		dueToday, later := 0, 0
		for _, it := range queue {
			switch {
			case it.Deadline < today:
				overdue = append(overdue, it.Name)
			case it.Deadline == today:
				dueToday++
			default:
				later++
			}
			if it.Overdue != (it.Deadline < today) {
				t.Errorf("%s: request %d due %s is shown overdue: %v, today %s", d.Name, it.ID, it.Deadline, it.Overdue, today)
			}
		}
		if len(overdue) == 0 || dueToday == 0 || later == 0 {
			t.Errorf("%s's queue (%s): %d overdue, %d due today, %d due later; want some of each", d.Name, u.Username,
				len(overdue), dueToday, later)
		}
		slices.Sort(overdue)
		overdueSets[strings.Join(overdue, "、")] = true
	}
	if withWork < 20 {
		t.Errorf("%d departments with a checklist, want the 20 of the joint review", withWork)
	}
	if len(overdueSets) < withWork/2 {
		t.Errorf("the departments' overdue requests name %d different sets of people over %d departments, want them varied",
			len(overdueSets), withWork)
	}
}

// personName is a Chinese name of two or three characters, with an
// optional title in brackets after it: "刘建华(党工委副书记)".
var personName = regexp.MustCompile(`^\p{Han}{2,3}(\([^()]+\))?$`)

// titles are words that make a placeholder of what should be a name.
var titles = []string{"领导", "用户", "负责人", "书记", "主任", "联审员", "联络员", "干部", "网格员", "专班", "社区", "办公室", "部门", "委员", "演示"}

func placeholder(name string) bool {
	if !personName.MatchString(name) {
		return true
	}
	if i := strings.Index(name, "("); i >= 0 {
		name = name[:i]
	}
	for _, w := range titles {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func checkPeopleNamed(t *testing.T, db *sql.DB) {
	t.Helper()
	columns := []struct {
		query    string
		optional bool // an empty value means nobody, not a missing name
		list     bool // names separated by 、
	}{
		{`SELECT display_name FROM users`, false, false},
		{`SELECT name FROM assignments`, false, false},
		{`SELECT leader FROM work_teams`, false, false},
		{`SELECT owner FROM plan_measures`, false, false},
		{`SELECT owner FROM ledger_items`, false, false},
		{`SELECT leader FROM ledger_items`, true, false},
		{`SELECT by_name FROM ledger_notes`, false, false},
		{`SELECT owner FROM meeting_decisions`, false, false},
		{`SELECT attendance FROM daily_meetings`, false, true},
		{`SELECT persuaded_by FROM review_decisions`, true, false},
	}
	for _, c := range columns {
		rows, err := db.Query(c.query)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		n := 0
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			names := []string{v}
			if c.list {
				names = meeting.Attendees(v)
			}
			if v == "" && c.optional {
				continue
			}
			for _, name := range names {
				n++
				if placeholder(name) {
					t.Errorf("%s: %q is not a person's name", c.query, name)
				}
			}
		}
		rows.Close()
		if n == 0 {
			t.Errorf("%s: no names to check", c.query)
		}
	}
}

// checkNothingInTheFuture reads the latest value of every timestamp column.
func checkNothingInTheFuture(t *testing.T, engine store.Engine, db *sql.DB, now time.Time) {
	t.Helper()
	list := `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type LIKE 'timestamp%' AND table_name NOT LIKE 'goose%'`
	if engine == store.SQLite {
		list = `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND m.name NOT LIKE 'goose%' AND upper(c.type) LIKE '%TIME%'`
	}
	rows, err := db.Query(list)
	if err != nil {
		t.Fatal(err)
	}
	var columns [][2]string
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			t.Fatal(err)
		}
		columns = append(columns, [2]string{table, column})
	}
	rows.Close()
	checked := 0
	for _, c := range columns {
		var latest any
		if err := db.QueryRow(fmt.Sprintf(`SELECT MAX(%s) FROM %s`, c[1], c[0])).Scan(&latest); err != nil {
			t.Fatalf("%s.%s: %v", c[0], c[1], err)
		}
		var at time.Time
		switch v := latest.(type) {
		case nil:
			continue
		case time.Time:
			at = v
		case string: // SQLite: stamps are written in UTC, so the latest is the greatest text
			if at, err = time.Parse("2006-01-02 15:04:05.999999999-07:00", v); err != nil {
				t.Fatalf("%s.%s: %v", c[0], c[1], err)
			}
		default:
			t.Fatalf("%s.%s: %T", c[0], c[1], latest)
		}
		checked++
		if at.After(now) {
			t.Errorf("%s.%s holds %v, after the load at %v", c[0], c[1], at.In(civil.Zone), now.In(civil.Zone))
		}
	}
	if checked < 10 {
		t.Fatalf("only %d timestamp columns with values checked", checked)
	}
}
