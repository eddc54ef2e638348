package store

import (
	"context"
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
