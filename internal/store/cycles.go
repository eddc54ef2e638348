package store

import (
	"context"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/org"
)

// CurrentCycle returns the cycle campaign data is entered for now.
func (s *Store) CurrentCycle(ctx context.Context) (org.Cycle, error) {
	var c org.Cycle
	err := s.db.QueryRowContext(ctx, `SELECT id, code, name, election_day, current FROM cycles
		WHERE current = TRUE ORDER BY id DESC LIMIT 1`).Scan(&c.ID, &c.Code, &c.Name, &c.ElectionDay, &c.Current)
	return c, notFound(err, "尚未设置当前换届届次")
}

// Departments lists the vetting departments in their order.
func (s *Store) Departments(ctx context.Context) ([]account.Department, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, code, name FROM departments ORDER BY sort, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.Department
	for rows.Next() {
		var d account.Department
		if err := rows.Scan(&d.ID, &d.Code, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
