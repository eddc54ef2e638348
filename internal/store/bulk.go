package store

import (
	"context"
	"fmt"
	"strings"
)

// insertRows inserts n rows into table's columns cols, many rows a
// statement (a statement's round trip and parse cost more than its rows on
// both engines: a register of 20,000 households is 200 statements, not
// 20,000); row(i) gives row i's values in the columns' order. On SQLite
// the placeholders are ?, not $N: the driver binds a numbered one by
// looking through the statement's names, so a statement of k of them
// costs k² (500 rows of 9 columns bound 25 times slower than with ?).
func (t *Tx) insertRows(ctx context.Context, table string, cols []string, n int, row func(i int) ([]any, error)) error {
	return t.insertRowsThen(ctx, table, cols, n, row, nil)
}

// insertRowsThen is insertRows followed by the statement then gives, whose
// placeholders start at $first: on PostgreSQL in the same round trip as
// the last rows (`WITH rows AS (INSERT …) <then>`), on SQLite, which has
// no writing WITH and no round trip, after them.
func (t *Tx) insertRowsThen(ctx context.Context, table string, cols []string, n int, row func(i int) ([]any, error),
	then func(first int) (string, []any)) error {
	t.filled(table, n)
	per := max(1, min(100, 30000/len(cols))) // PostgreSQL takes 65,535 placeholders, SQLite 32,766
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	var q strings.Builder
	args := make([]any, 0, min(n, per)*len(cols))
	for start := 0; start < n; start += per {
		q.Reset()
		q.WriteString(head)
		args = args[:0]
		for i := start; i < min(start+per, n); i++ {
			values, err := row(i)
			if err != nil {
				return err
			}
			if len(values) != len(cols) {
				return fmt.Errorf("insert into %s: %d values for %d columns", table, len(values), len(cols))
			}
			if i > start {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for j := range values {
				if j > 0 {
					q.WriteString(", ")
				}
				if t.s.engine == SQLite {
					q.WriteByte('?')
				} else {
					fmt.Fprintf(&q, "$%d", len(args)+j+1)
				}
			}
			q.WriteByte(')')
			args = append(args, values...)
		}
		stmt := q.String()
		if then != nil && start+per >= n && t.s.engine == Postgres {
			next, more := then(len(args) + 1)
			stmt, args, then = `WITH rows AS (`+stmt+`) `+next, append(args, more...), nil
		}
		if _, err := t.exec(ctx, stmt, args...); err != nil {
			return err
		}
	}
	if then != nil {
		stmt, args := then(1)
		_, err := t.exec(ctx, stmt, args...)
		return err
	}
	return nil
}
