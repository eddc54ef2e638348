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
