package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/huanjie/huanjie/internal/errs"
)

// The few places where SQLite and PostgreSQL differ.

// forUpdate locks the selected rows on PostgreSQL. SQLite needs no lock: its
// write transactions begin IMMEDIATE and so run one at a time.
func (s *Store) forUpdate() string {
	if s.engine == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// forUpdateOf is forUpdate that locks the rows of the table alias only,
// not of the tables it is joined to: PostgreSQL's FOR UPDATE locks a row of
// each, and every answer of a department, which joins its department's
// row, waited for the one before (issue 17).
func (s *Store) forUpdateOf(alias string) string {
	if s.engine == Postgres {
		return " FOR UPDATE OF " + alias
	}
	return ""
}

// isUnique reports a unique-constraint violation on either engine.
func isUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == 2067 || lite.Code() == 1555 // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
	}
	return false
}

// notFound turns sql.ErrNoRows into a NotFound error with message, and passes
// other errors on.
func notFound(err error, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(err, errs.NotFound, message)
	}
	return err
}

// Analyze gathers the planner's statistics after a bulk load, on PostgreSQL.
// Until autovacuum gets to freshly loaded tables (never, where it is off)
// the planner takes them for empty and picks nested loops: the overview of
// 100,000 communities filtered by class ran for minutes. SQLite plans well
// without statistics. Without tables it gathers them for every table of
// the schema, the tables dealt out, largest first, to sideBySide
// connections at once: one ANALYZE of a 10,000-community zone's 109 tables
// took 1.1 s on one of the server's cores.
func (s *Store) Analyze(ctx context.Context, tables ...string) error {
	if s.engine != Postgres {
		return nil
	}
	if len(tables) > 0 {
		_, err := s.db.ExecContext(ctx, `ANALYZE `+strings.Join(tables, ", "))
		return err
	}
	var all []string
	err := s.each(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY pg_relation_size(c.oid) DESC, c.relname`, func(rows *sql.Rows) error {
		var t string
		err := rows.Scan(&t)
		all = append(all, `"`+t+`"`)
		return err
	})
	if err != nil {
		return err
	}
	parts := make([][]string, min(sideBySide, len(all)))
	for i, t := range all {
		parts[i%len(parts)] = append(parts[i%len(parts)], t)
	}
	return s.SideBySide(len(parts), func(i int) error {
		_, err := s.db.ExecContext(ctx, `ANALYZE `+strings.Join(parts[i], ", "))
		return err
	})
}
