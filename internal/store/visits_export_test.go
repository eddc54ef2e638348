package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/huanjie/huanjie/internal/visit"
)

// BareInsertHouseholds writes list into the register of the community with
// id orgID in cycle cycleID in one plain transaction, 100 rows a statement
// (with ? on SQLite, as insertRows), the phone as given: no validation, sealing, scope, id or audit; the
// import benchmark's baseline.
func (s *Store) BareInsertHouseholds(ctx context.Context, cycleID, orgID int64, list []visit.Household) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := s.clock()
	for start := 0; start < len(list); start += 100 {
		part := list[start:min(start+100, len(list))]
		var q strings.Builder
		q.WriteString(`INSERT INTO visit_households (cycle_id, org_id, address, head, size, phone_enc, group_name, created_by, created_at) VALUES `)
		args := make([]any, 0, 9*len(part))
		for i, h := range part {
			if i > 0 {
				q.WriteString(", ")
			}
			if n := len(args); s.engine == Postgres {
				fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9)
			} else {
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			}
			args = append(args, cycleID, orgID, h.Address, h.Head, h.Size, h.Phone, h.Group, "bench", now)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
