package store

import (
	"context"
	"fmt"

	"github.com/huanjie/huanjie/internal/errs"
)

// BeginDemo marks a new database as being loaded with demo data, so that a
// load cut off half way (kill -9, a power cut) is known for what it is.
// Conflict unless the database is new: no unit and nothing in the audit log.
func (s *Store) BeginDemo(ctx context.Context) error {
	res, err := s.db.ExecContext(ctx, `UPDATE audit_meta SET demo_loading = TRUE WHERE id = 1
		AND NOT EXISTS (SELECT 1 FROM orgs) AND NOT EXISTS (SELECT 1 FROM audit_log)`)
	if err != nil {
		return fmt.Errorf("demo mark: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errs.New(errs.Conflict, "数据库中已有组织数据或操作记录,演示数据只能装入新建的空库")
	}
	return nil
}

// EndDemo clears the mark once all of the demo data is in.
func (s *Store) EndDemo(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `UPDATE audit_meta SET demo_loading = FALSE WHERE id = 1`)
	return err
}

// DemoInterrupted reports whether a demo load began and never ended.
func (s *Store) DemoInterrupted(ctx context.Context) (bool, error) {
	var loading bool
	err := s.db.QueryRowContext(ctx, `SELECT demo_loading FROM audit_meta WHERE id = 1`).Scan(&loading)
	return loading, err
}

// ResetInterruptedDemo empties a database whose demo load was cut off, by
// taking every migration down and up again: it held nothing before the
// load (BeginDemo) and half a zone since. Close the store and open it
// again afterwards. Conflict for any other database.
func (s *Store) ResetInterruptedDemo(ctx context.Context) error {
	interrupted, err := s.DemoInterrupted(ctx)
	if err != nil {
		return err
	}
	if !interrupted {
		return errs.New(errs.Conflict, "数据库不是中断的演示数据,不能清空")
	}
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		return fmt.Errorf("reset %s: %w", s.engine, err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("reset %s: %w", s.engine, err)
	}
	return nil
}
