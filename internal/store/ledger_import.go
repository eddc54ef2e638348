package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
)

// LedgerImport is a ledger item to bulk-load with the history it implies:
// created on CreatedOn (open), started on StartedOn when set, closed on
// ClosedOn with ClosingNote when its Status is closed; its Notes (day,
// text and, when By is set, who wrote them) are loaded too.
type LedgerImport struct {
	ledger.Item
	StartedOn civil.Date
}

// ledgerImportBatch is how many items one transaction of ImportLedgerItems
// writes.
const ledgerImportBatch = 50000

// ImportLedgerItems bulk-loads items of the cycle into the ledgers of
// their communities (OrgCode) for demo data and benchmarks, trusting the
// caller: no validation beyond the community existing in q's scope. It
// writes transactions of 50,000 items on behalf of q, each with its events
// and notes and one "ledger.import" audit entry: prepared statements on
// SQLite, unnest batches on PostgreSQL. progress, when set, is called after
// each transaction with the items written so far.
func (q *Scoped) ImportLedgerItems(ctx context.Context, items []LedgerImport, progress func(done int)) error {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	lo, hi := q.scope.Bounds()
	err = q.s.each(ctx, `SELECT code, id FROM orgs WHERE kind = 'community' AND path >= $1 AND path < $2`, func(rows *sql.Rows) error {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return err
		}
		ids[code] = id
		return nil
	}, lo, hi)
	if err != nil {
		return err
	}
	for start := 0; start < len(items); start += ledgerImportBatch {
		batch := items[start:min(start+ledgerImportBatch, len(items))]
		err := q.Write(ctx, func(tx *Tx) error {
			if err := tx.importLedger(ctx, cycleID, ids, batch); err != nil {
				return err
			}
			return tx.Audit(ctx, audit.LedgerImport, On("ledger", itoa(cycleID), ""), nil, audit.Fields{"items": len(batch)})
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(start + len(batch))
		}
	}
	return nil
}

// importAt is the moment written for an imported event or note of day:
// 09:00 China time, or now for a day of today before 09:00 (a stamp is
// never in the future).
func importAt(day civil.Date, now time.Time) time.Time {
	t := day.Start()
	if t.IsZero() {
		return t
	}
	if t = t.Add(9 * time.Hour).UTC(); t.After(now) {
		return now
	}
	return t
}

type importEvent struct {
	item     int64
	day      civil.Date
	from, to string
	note     string
}

func (t *Tx) importLedger(ctx context.Context, cycleID int64, orgIDs map[string]int64, batch []LedgerImport) error {
	now, by := t.s.clock(), t.q.actor.Name
	itemIDs := make([]int64, len(batch))
	orgs := make([]int64, len(batch))
	for i, it := range batch {
		id, ok := orgIDs[it.OrgCode]
		if !ok {
			return errs.Newf(errs.Unprocessable, "第 %d 项:没有找到社区 %s", i+1, it.OrgCode)
		}
		orgs[i] = id
	}
	if t.s.engine == Postgres {
		// Take the ids first, so events and notes can name their items.
		rows, err := t.tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('ledger_items', 'id')) FROM generate_series(1, $1)`, len(batch))
		if err != nil {
			return err
		}
		for i := 0; rows.Next(); i++ {
			if err := rows.Scan(&itemIDs[i]); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		cols := make([][]string, 13)
		for i := range cols {
			cols[i] = make([]string, len(batch))
		}
		for i, it := range batch {
			for j, v := range []string{string(it.Source), it.SourceRef, it.Content, string(it.Risk), it.Owner, it.Leader, string(it.Due),
				string(it.Status), string(it.ClosedOn), it.ClosingNote, it.ClosingFile, string(it.CreatedOn), by} {
				cols[j][i] = v
			}
		}
		_, err = t.exec(ctx, `INSERT INTO ledger_items (id, cycle_id, org_id, source, source_ref, content, risk, owner, leader, due_on, status,
			closed_on, closing_note, closing_file, created_on, created_by, created_at, updated_at)
			SELECT v.id, $16, v.org_id, v.source, v.source_ref, v.content, v.risk, v.owner, v.leader, v.due_on, v.status, v.closed_on,
			v.closing_note, v.closing_file, v.created_on, v.created_by, $17, $17
			FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
			AS v(id, org_id, source, source_ref, content, risk, owner, leader, due_on, status, closed_on, closing_note, closing_file, created_on, created_by)`,
			itemIDs, orgs, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], cols[9], cols[10], cols[11], cols[12],
			cycleID, now)
		if err != nil {
			return fmt.Errorf("import ledger items: %w", err)
		}
	} else {
		ins, err := t.tx.PrepareContext(ctx, `INSERT INTO ledger_items (cycle_id, org_id, source, source_ref, content, risk, owner, leader,
			due_on, status, closed_on, closing_note, closing_file, created_on, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for i, it := range batch {
			res, err := ins.ExecContext(ctx, cycleID, orgs[i], string(it.Source), it.SourceRef, it.Content, string(it.Risk), it.Owner,
				it.Leader, it.Due, string(it.Status), it.ClosedOn, it.ClosingNote, it.ClosingFile, it.CreatedOn, by, now)
			if err != nil {
				return fmt.Errorf("import ledger item %d: %w", i+1, err)
			}
			if itemIDs[i], err = res.LastInsertId(); err != nil {
				return err
			}
		}
	}
	var events []importEvent
	type noteRow struct {
		item     int64
		day      civil.Date
		note, by string // by: the note's writer when the import names one, else the importer
	}
	var notes []noteRow
	for i, it := range batch {
		id := itemIDs[i]
		events = append(events, importEvent{id, it.CreatedOn, "", string(ledger.Open), ""})
		last := ledger.Open
		if it.StartedOn != "" && it.Status != ledger.Open {
			events = append(events, importEvent{id, it.StartedOn, string(ledger.Open), string(ledger.InProgress), ""})
			last = ledger.InProgress
		}
		if it.Status == ledger.Closed {
			events = append(events, importEvent{id, it.ClosedOn, string(last), string(ledger.Closed), it.ClosingNote})
		}
		for _, n := range it.Notes {
			notes = append(notes, noteRow{id, n.Day, n.Note, cmp.Or(n.By, by)})
		}
	}
	if t.s.engine == Postgres {
		n := len(events)
		item, day, from, to, note, at := make([]int64, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]time.Time, n)
		for i, e := range events {
			item[i], day[i], from[i], to[i], note[i], at[i] = e.item, string(e.day), e.from, e.to, e.note, importAt(e.day, now)
		}
		if _, err := t.exec(ctx, `INSERT INTO ledger_events (item_id, day, at, from_status, to_status, note, by_name)
			SELECT v.item_id, v.day, v.at, v.from_status, v.to_status, v.note, $7 FROM unnest($1::bigint[], $2::text[], $3::timestamptz[],
			$4::text[], $5::text[], $6::text[]) AS v(item_id, day, at, from_status, to_status, note)`, item, day, at, from, to, note, by); err != nil {
			return fmt.Errorf("import ledger events: %w", err)
		}
		m := len(notes)
		nitem, nday, ntext, nby, nat := make([]int64, m), make([]string, m), make([]string, m), make([]string, m), make([]time.Time, m)
		for i, r := range notes {
			nitem[i], nday[i], ntext[i], nby[i], nat[i] = r.item, string(r.day), r.note, r.by, importAt(r.day, now)
		}
		if _, err := t.exec(ctx, `INSERT INTO ledger_notes (item_id, day, note, by_name, at)
			SELECT v.item_id, v.day, v.note, v.by_name, v.at FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
			AS v(item_id, day, note, by_name, at)`, nitem, nday, ntext, nby, nat); err != nil {
			return fmt.Errorf("import ledger notes: %w", err)
		}
		return nil
	}
	ev, err := t.tx.PrepareContext(ctx, `INSERT INTO ledger_events (item_id, day, at, from_status, to_status, note, by_name) VALUES ($1, $2, $3, $4, $5, $6, $7)`)
	if err != nil {
		return err
	}
	defer ev.Close()
	for _, e := range events {
		if _, err := ev.ExecContext(ctx, e.item, e.day, importAt(e.day, now), e.from, e.to, e.note, by); err != nil {
			return fmt.Errorf("import ledger event: %w", err)
		}
	}
	nt, err := t.tx.PrepareContext(ctx, `INSERT INTO ledger_notes (item_id, day, note, by_name, at) VALUES ($1, $2, $3, $4, $5)`)
	if err != nil {
		return err
	}
	defer nt.Close()
	for _, r := range notes {
		if _, err := nt.ExecContext(ctx, r.item, r.day, r.note, r.by, importAt(r.day, now)); err != nil {
			return fmt.Errorf("import ledger note: %w", err)
		}
	}
	return nil
}
