package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/huanjie/huanjie/internal/audit"
)

// Actor is who does a write: a user, the system, or the public.
type Actor struct {
	ID   int64
	Name string
}

// System and Public are the actors of writes no user makes.
var (
	System = Actor{Name: "system"}
	Public = Actor{Name: "public"}
)

// Tx is a write transaction. Each write in it records what it did with Audit;
// Write refuses to commit a transaction that recorded nothing.
type Tx struct {
	tx      *sql.Tx
	s       *Store
	actor   Actor
	head    audit.Head
	headSet bool
	entries int
}

// Write runs fn in one transaction, appending its audit entries to the chain
// in the same transaction. An error from fn rolls everything back.
func (s *Store) Write(ctx context.Context, actor Actor, fn func(*Tx) error) (err error) {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, s: s, actor: actor}
	defer func() {
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if tx.entries == 0 {
		return errors.New("store: a write transaction recorded no audit entry")
	}
	if _, err = sqlTx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, tx.head.Seq, tx.head.Hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Audit appends an entry for one act to the chain, inside the transaction.
// before and after hold the changed fields; sensitive ones are masked.
func (t *Tx) Audit(ctx context.Context, action, entity, entityID string, before, after audit.Fields) error {
	if !t.headSet {
		row := t.tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+t.s.forUpdate())
		if err := row.Scan(&t.head.Seq, &t.head.Hash); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		t.headSet = true
	}
	e := audit.Entry{
		At: t.s.clock(), ActorID: t.actor.ID, Actor: t.actor.Name,
		Action: action, Entity: entity, EntityID: entityID,
		Before: audit.Encode(before), After: audit.Encode(after),
	}
	e.Seal(t.head.Seq, t.head.Hash)
	_, err := t.tx.ExecContext(ctx, `INSERT INTO audit_log
		(seq, at, actor_id, actor, action, entity, entity_id, before_data, after_data, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	t.head = audit.Head{Seq: e.Seq, Hash: e.Hash}
	t.entries++
	return nil
}

// Actor is who the transaction writes for.
func (t *Tx) Actor() Actor { return t.actor }

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, query, args...)
}
