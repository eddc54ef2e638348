package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// manyRows is an insert of many rows into table's columns cols, sent many
// rows a statement (a statement's round trip and parse cost more than its
// rows on both engines: a register of 20,000 households is 200 statements,
// not 20,000); row(i) gives row i's values in the columns' order.
type manyRows struct {
	table string
	cols  []string
	n     int
	row   func(i int) ([]any, error)
	// suffix follows each statement's rows: ON CONFLICT …, or RETURNING …
	// with scan, which reads each row returned. With all, every row sent
	// must come back (a statement that returns fewer is an error) and i is
	// the index of the row sent that a row returned answers, counted in
	// the order they were sent; without, i counts the rows returned.
	suffix string
	scan   func(i int, r *sql.Rows) error
	all    bool
	// then gives a statement run after the rows, its placeholders from
	// $first: on PostgreSQL in the same round trip as the last rows
	// (`WITH rows AS (INSERT …) <then>`), on SQLite, which has no writing
	// WITH and no round trip, after them. Not with scan.
	then func(first int) (string, []any)
	// per is the most rows a statement; 0 for a hundred. Never more than
	// the engines' placeholders allow.
	per int
}

// insertRows inserts n rows into table's columns cols (manyRows).
func (t *Tx) insertRows(ctx context.Context, table string, cols []string, n int, row func(i int) ([]any, error)) error {
	return t.insertMany(ctx, manyRows{table: table, cols: cols, n: n, row: row})
}

// insertRowsThen is insertRows followed by the statement then gives (manyRows.then).
func (t *Tx) insertRowsThen(ctx context.Context, table string, cols []string, n int, row func(i int) ([]any, error),
	then func(first int) (string, []any)) error {
	return t.insertMany(ctx, manyRows{table: table, cols: cols, n: n, row: row, then: then})
}

// insertMany sends m's rows in the transaction, counting them for the
// statistics (Tx.filled).
func (t *Tx) insertMany(ctx context.Context, m manyRows) error {
	t.filled(m.table, m.n)
	return t.s.insertMany(ctx, t.tx, m)
}

// insertMany sends m's rows in tx, with placeholders.
func (s *Store) insertMany(ctx context.Context, tx *dbTx, m manyRows) error {
	if m.scan != nil && m.then != nil {
		return fmt.Errorf("insert into %s: rows returned and a statement after them", m.table)
	}
	per := max(1, min(cmp.Or(m.per, 100), 30000/len(m.cols))) // PostgreSQL takes 65,535 placeholders, SQLite 32,766
	head := `INSERT INTO ` + m.table + ` (` + strings.Join(m.cols, ", ") + `) VALUES `
	var q strings.Builder
	args := make([]any, 0, min(m.n, per)*len(m.cols))
	then := m.then
	for start := 0; start < m.n; start += per {
		end := min(start+per, m.n)
		q.Reset()
		q.WriteString(head)
		args = args[:0]
		for i := start; i < end; i++ {
			values, err := m.row(i)
			if err != nil {
				return err
			}
			if len(values) != len(m.cols) {
				return fmt.Errorf("insert into %s: %d values for %d columns", m.table, len(values), len(m.cols))
			}
			if i > start {
				q.WriteString(", ")
			}
			s.placeholders(&q, len(args), len(values))
			args = append(args, values...)
		}
		if m.suffix != "" {
			q.WriteString(" " + m.suffix)
		}
		stmt := q.String()
		if then != nil && end == m.n && s.engine == Postgres {
			next, more := then(len(args) + 1)
			stmt, args, then = `WITH rows AS (`+stmt+`) `+next, append(args, more...), nil
		}
		if m.scan == nil {
			if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
				return err
			}
			continue
		}
		if err := scanReturned(ctx, tx, m, start, end, stmt, args); err != nil {
			return err
		}
	}
	if then != nil {
		stmt, args := then(1)
		_, err := tx.ExecContext(ctx, stmt, args...)
		return err
	}
	return nil
}

// scanReturned runs a statement of rows start to end of m and reads the
// rows it returns with m.scan.
func scanReturned(ctx context.Context, tx *dbTx, m manyRows, start, end int, stmt string, args []any) error {
	rows, err := tx.QueryContext(ctx, stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	i := start
	for rows.Next() {
		if i == end && m.all {
			return fmt.Errorf("insert into %s: more rows returned than sent", m.table)
		}
		if err := m.scan(i, rows); err != nil {
			return err
		}
		i++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if m.all && i != end {
		return fmt.Errorf("insert into %s: %d rows returned of %d sent", m.table, i-start, end-start)
	}
	return nil
}

// placeholders writes a row of n placeholders, after the first (the
// statement's arguments so far) to q: "(?, ?)" on SQLite, whose driver
// binds a numbered one by looking through the statement's names (a
// statement of k of them costs k²: 500 rows of 9 columns bound 25 times
// slower than with ?), "($4, $5)" on PostgreSQL.
func (s *Store) placeholders(q *strings.Builder, first, n int) {
	q.WriteByte('(')
	for j := range n {
		if j > 0 {
			q.WriteString(", ")
		}
		if s.engine == SQLite {
			q.WriteByte('?')
		} else {
			q.WriteByte('$')
			q.WriteString(strconv.Itoa(first + j + 1))
		}
	}
	q.WriteByte(')')
}
