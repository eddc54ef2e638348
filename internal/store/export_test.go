package store

import (
	"context"
	"fmt"
	"io/fs"
)

// Migrations exposes the embedded migrations to tests.
func Migrations() fs.FS { return migrations }

// ProbeOutOfOrder runs a query whose placeholders appear out of order.
func (s *Store) ProbeOutOfOrder(ctx context.Context, code, name string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE name = $2 OR code = $1`, code, name).Scan(&n)
	return n, err
}

// Setting reads a PostgreSQL run-time setting on one of the pool's connections.
func (s *Store) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT current_setting($1)`, name).Scan(&v)
	return v, err
}

// Tamper runs statements on the database directly, as someone holding only
// the database would: no transaction of the platform, no audit entry.
func (s *Store) Tamper(ctx context.Context, statements ...string) error {
	for _, q := range statements {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// QueryInt reads one number from the database directly.
func (s *Store) QueryInt(ctx context.Context, q string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}

// ProtectedWithoutTriggers lists the protected tables that have no trigger
// noting their writes.
func (s *Store) ProtectedWithoutTriggers(ctx context.Context) ([]string, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1`
	if s.engine == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table = $1 AND event_object_schema = current_schema()`
	}
	var missing []string
	for _, p := range protectedTables {
		var n int
		if err := s.db.QueryRowContext(ctx, q, p.table).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			missing = append(missing, p.table)
		}
	}
	return missing, nil
}
