package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/ledger"
)

// The ledger (台账) of each community: writes. Every change of an item's
// status writes a ledger_events row in the same transaction, so the state
// of every ledger on any past day can be answered (LedgerOn).

// AddLedgerItem adds an item to the ledger of the community it.OrgCode (in
// scope) and returns it with its id. It runs inside any write
// transaction, so the daily meeting calls it for a decision (source
// ledger.FromMeeting, SourceRef the meeting id) in the meeting's own
// transaction. The due day may not be before today (China time).
func (t *Tx) AddLedgerItem(ctx context.Context, it ledger.Item) (ledger.Item, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return it, err
	}
	now := t.s.clock()
	today := civil.Of(now)
	if err := it.Validate(today); err != nil {
		return it, err
	}
	orgID, err := t.communityID(ctx, it.OrgCode)
	if err != nil {
		return it, err
	}
	if it.Leader == "" { // from a visit, a meeting's decision or a form left blank: the community's 包社区领导
		if it.Leader, err = t.communityLeader(ctx, cycleID, orgID); err != nil {
			return it, err
		}
	}
	it.CycleID, it.Status, it.CreatedOn, it.CreatedBy = cycleID, ledger.Open, today, t.q.actor.Name
	err = t.queryRow(ctx, `INSERT INTO ledger_items (cycle_id, org_id, source, source_ref, content, risk, owner, leader, due_on, status,
		created_on, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		cycleID, orgID, string(it.Source), it.SourceRef, it.Content, string(it.Risk), it.Owner, it.Leader, it.Due, string(it.Status),
		today, it.CreatedBy, now).Scan(&it.ID)
	if err != nil {
		return it, fmt.Errorf("add ledger item: %w", err)
	}
	if err := t.ledgerEvent(ctx, it.ID, "", ledger.Open, ""); err != nil {
		return it, err
	}
	return it, t.Audit(ctx, audit.LedgerAdd, On("ledger_item", itoa(it.ID), it.OrgCode), nil, audit.Fields{"community": it.OrgCode,
		"source": string(it.Source), "source_ref": it.SourceRef, "content": it.Content, "risk": string(it.Risk),
		"owner": it.Owner, "leader": it.Leader, "due": it.Due})
}

func (t *Tx) ledgerEvent(ctx context.Context, itemID int64, from, to ledger.Status, note string) error {
	now := t.s.clock()
	_, err := t.exec(ctx, `INSERT INTO ledger_events (item_id, day, at, from_status, to_status, note, by_name) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		itemID, civil.Of(now), now, string(from), string(to), note, t.q.actor.Name)
	if err != nil {
		return fmt.Errorf("ledger event: %w", err)
	}
	return nil
}

// lockedItem is an item in scope read for a change, locked on PostgreSQL.
type lockedItem struct {
	code   string
	status ledger.Status
}

func (t *Tx) ledgerItemInScope(ctx context.Context, id int64) (lockedItem, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return lockedItem{}, err
	}
	lo, hi := t.q.scope.Bounds()
	lock := ""
	if t.s.engine == Postgres {
		lock = " FOR UPDATE OF i"
	}
	var it lockedItem
	err = t.queryRow(ctx, ledgerItemForChange+lock, id, cycleID, lo, hi).Scan(&it.code, &it.status)
	return it, notFound(err, "没有找到该台账事项")
}

// ledgerItemForChange is item $1 of cycle $2 within the scope's bounds $3
// and $4: its community's code and its status.
const ledgerItemForChange = `SELECT o.code, i.status FROM ledger_items i JOIN orgs o ON o.id = i.org_id
	WHERE i.id = $1 AND i.cycle_id = $2 AND o.path >= $3 AND o.path < $4`

// AddLedgerNote records the day's progress on an item in scope (每日进展).
func (t *Tx) AddLedgerNote(ctx context.Context, id int64, note string) (ledger.Note, error) {
	n := ledger.Note{ItemID: id}
	it, err := t.ledgerItemInScope(ctx, id)
	if err != nil {
		return n, err
	}
	if n.Note, err = ledger.CheckNote(note); err != nil {
		return n, err
	}
	n.At, n.By = t.s.clock(), t.q.actor.Name
	n.Day = civil.Of(n.At)
	err = t.queryRow(ctx, `INSERT INTO ledger_notes (item_id, day, note, by_name, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		id, n.Day, n.Note, n.By, n.At).Scan(&n.ID)
	if err != nil {
		return n, fmt.Errorf("ledger note: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE ledger_items SET updated_at = $1 WHERE id = $2`, n.At, id); err != nil {
		return n, err
	}
	return n, t.Audit(ctx, audit.LedgerNote, On("ledger_item", itoa(id), it.code), nil, audit.Fields{"community": it.code, "note": n.Note})
}

// StartLedgerItem moves an open item in scope to in progress.
func (t *Tx) StartLedgerItem(ctx context.Context, id int64) error {
	it, err := t.ledgerItemInScope(ctx, id)
	if err != nil {
		return err
	}
	if err := ledger.Start(it.status); err != nil {
		return err
	}
	return t.moveItem(ctx, id, it, ledger.InProgress, "", audit.LedgerStart, `status = $1, updated_at = $2`)
}

// CloseLedgerItem closes (销号) an item in scope with a closing note and,
// optionally, the SHA-256 of its evidence in the file store. Without a note
// it returns a 422 error and changes nothing.
func (t *Tx) CloseLedgerItem(ctx context.Context, id int64, note, fileSHA string) error {
	it, err := t.ledgerItemInScope(ctx, id)
	if err != nil {
		return err
	}
	if note, err = ledger.Close(it.status, note); err != nil {
		return err
	}
	now := t.s.clock()
	if _, err := t.exec(ctx, `UPDATE ledger_items SET status = $1, closed_on = $2, closing_note = $3, closing_file = $4, updated_at = $5
		WHERE id = $6`, string(ledger.Closed), civil.Of(now), note, fileSHA, now, id); err != nil {
		return err
	}
	if err := t.ledgerEvent(ctx, id, it.status, ledger.Closed, note); err != nil {
		return err
	}
	return t.Audit(ctx, audit.LedgerClose, On("ledger_item", itoa(id), it.code), audit.Fields{"status": string(it.status)},
		audit.Fields{"community": it.code, "status": string(ledger.Closed), "note": note, "file": fileSHA})
}

// ReopenLedgerItem reopens a closed item in scope; the reason is required.
// The closing note stays in the item's history (its events).
func (t *Tx) ReopenLedgerItem(ctx context.Context, id int64, reason string) error {
	it, err := t.ledgerItemInScope(ctx, id)
	if err != nil {
		return err
	}
	if reason, err = ledger.Reopen(it.status, reason); err != nil {
		return err
	}
	return t.moveItem(ctx, id, it, ledger.Open, reason, audit.LedgerReopen,
		`status = $1, updated_at = $2, closed_on = '', closing_note = '', closing_file = ''`)
}

func (t *Tx) moveItem(ctx context.Context, id int64, it lockedItem, to ledger.Status, note string, act *audit.Action, set string) error {
	if _, err := t.exec(ctx, `UPDATE ledger_items SET `+set+` WHERE id = $3`, string(to), t.s.clock(), id); err != nil {
		return err
	}
	if err := t.ledgerEvent(ctx, id, it.status, to, note); err != nil {
		return err
	}
	after := audit.Fields{"community": it.code, "status": string(to)}
	if note != "" {
		after["reason"] = note
	}
	return t.Audit(ctx, act, On("ledger_item", itoa(id), it.code), audit.Fields{"status": string(it.status)}, after)
}

// LedgerFile returns the community code of the item in scope and the
// SHA-256 of its closing evidence: NotFound unless it has one.
func (q *Scoped) LedgerFile(ctx context.Context, id int64) (code, sha string, err error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return "", "", err
	}
	lo, hi := q.scope.Bounds()
	err = q.s.db.QueryRowContext(ctx, `SELECT o.code, i.closing_file FROM ledger_items i JOIN orgs o ON o.id = i.org_id
		WHERE i.id = $1 AND i.cycle_id = $2 AND o.path >= $3 AND o.path < $4`, id, cycleID, lo, hi).Scan(&code, &sha)
	if err == nil && sha == "" {
		err = sql.ErrNoRows
	}
	if err != nil {
		return "", "", notFound(err, "该事项没有销号依据文件")
	}
	return code, sha, nil
}
