package store

import (
	"context"
	"fmt"
	"os"
)

// BackupTo writes a consistent copy of an SQLite database to path, which must
// not exist, while the database stays in use (VACUUM INTO reads one snapshot).
// PostgreSQL is backed up with pg_dump instead (README).
func (s *Store) BackupTo(ctx context.Context, path string) error {
	if s.engine != SQLite {
		return fmt.Errorf("backup of %s: use pg_dump (see README)", s.engine)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup target %s exists", path)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
