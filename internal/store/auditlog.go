package store

import (
	"context"
	"iter"
	"strconv"

	"github.com/huanjie/huanjie/internal/audit"
)

// AuditFilter narrows the audit log listing.
type AuditFilter struct {
	Actor     string
	Action    string // prefix, e.g. "login" matches login and login.fail
	Entity    string
	EntityID  string
	BeforeSeq int64 // page backwards from this seq (exclusive); 0 for the newest
	Limit     int
}

const auditColumns = `seq, at, actor_id, actor, action, entity, entity_id, before_data, after_data, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := row.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = audit.Timestamp(e.At)
	return e, err
}

// ListAudit returns audit entries, newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE 1 = 1`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += ` AND ` + cond + ` $` + strconv.Itoa(len(args))
	}
	if f.Actor != "" {
		add("actor =", f.Actor)
	}
	if f.Action != "" {
		// "login" matches login and login.fail: the action or its sub-actions.
		args = append(args, f.Action, f.Action+".%")
		q += ` AND (action = $` + strconv.Itoa(len(args)-1) + ` OR action LIKE $` + strconv.Itoa(len(args)) + `)`
	}
	if f.Entity != "" {
		add("entity =", f.Entity)
	}
	if f.EntityID != "" {
		add("entity_id =", f.EntityID)
	}
	if f.BeforeSeq > 0 {
		add("seq <", f.BeforeSeq)
	}
	q += ` ORDER BY seq DESC LIMIT ` + strconv.Itoa(f.Limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditHead returns the chain head recorded beside the log.
func (s *Store) AuditHead(ctx context.Context) (audit.Head, error) {
	var h audit.Head
	err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash)
	return h, err
}

// AuditEntries streams the whole log in sequence order, in pages, without
// holding it in memory.
func (s *Store) AuditEntries(ctx context.Context) iter.Seq2[audit.Entry, error] {
	return func(yield func(audit.Entry, error) bool) {
		const page = 5000
		var after int64 = -1 << 62
		for {
			rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT `+strconv.Itoa(page), after)
			if err != nil {
				yield(audit.Entry{}, err)
				return
			}
			n := 0
			for rows.Next() {
				e, err := scanAudit(rows)
				if err != nil {
					rows.Close()
					yield(audit.Entry{}, err)
					return
				}
				n++
				after = e.Seq
				if !yield(e, nil) {
					rows.Close()
					return
				}
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				yield(audit.Entry{}, err)
				return
			}
			if n < page {
				return
			}
		}
	}
}

// VerifyAudit recomputes the whole chain. It returns the number of entries
// checked and the first break, nil when the chain holds.
func (s *Store) VerifyAudit(ctx context.Context) (int64, *audit.Break, error) {
	head, err := s.AuditHead(ctx)
	if err != nil {
		return 0, nil, err
	}
	return audit.Verify(s.AuditEntries(ctx), head)
}
