package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
)

// The ledger: reads, on the Scoped view of one request. Every query bounds
// orgs.path with its scope and reads its cycle; an item outside the scope
// is "not found".

// ledgerCols are the item columns scanItem reads, over ledger_items i,
// orgs o (the community) and its district d (LEFT JOIN).
const ledgerCols = `i.id, i.cycle_id, o.code, o.name, COALESCE(d.name, ''), i.source, i.source_ref, i.content, i.risk, i.owner,
	i.leader, i.due_on, i.status, i.closed_on, i.closing_note, i.closing_file, i.created_on, i.created_by`

const ledgerFrom = ` FROM ledger_items i JOIN orgs o ON o.id = i.org_id` + districtJoin

// districtJoin adds the district d of the community o, for ledgerCols.
const districtJoin = ` LEFT JOIN orgs d ON d.id = o.parent_id`

// scopedItems is the FROM of the ledger items i of communities o, reached
// through the rows of table (alias a, with an item_id) when table is set,
// for a WHERE that bounds o.path by scope. When the scope holds at most a
// quarter of the zone's communities SQLite is made to start from them and
// read their items on ledger_items_org: left to itself it walks the whole
// zone's rows of the day and filters them by community (about 600 ms
// instead of 3 ms for a district of a 10,000-community zone), which is
// right only for a scope of most of the zone. PostgreSQL plans both well.
// It also reports whether it starts from the communities.
func (s *Store) scopedItems(ctx context.Context, scope org.Scope, table, a string) (from string, narrow bool, err error) {
	if s.engine == SQLite && scope.Path != org.All.Path {
		lo, hi := scope.Bounds()
		var in, all int
		err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE path >= $1 AND path < $2), COUNT(*) FROM orgs
			WHERE kind = 'community'`, lo, hi).Scan(&in, &all)
		if err != nil {
			return "", false, err
		}
		narrow = 4*in <= all
	}
	switch {
	case narrow && table != "":
		return ` FROM orgs o CROSS JOIN ledger_items i INDEXED BY ledger_items_org ON i.org_id = o.id CROSS JOIN ` + table + ` ` + a +
			` ON ` + a + `.item_id = i.id`, true, nil
	case narrow:
		return ` FROM orgs o CROSS JOIN ledger_items i INDEXED BY ledger_items_org ON i.org_id = o.id`, true, nil
	case table != "":
		return ` FROM ` + table + ` ` + a + ` JOIN ledger_items i ON i.id = ` + a + `.item_id JOIN orgs o ON o.id = i.org_id`, false, nil
	}
	return ` FROM ledger_items i JOIN orgs o ON o.id = i.org_id`, false, nil
}

func scanItem(rows interface{ Scan(...any) error }, it *ledger.Item, more ...any) error {
	return rows.Scan(append([]any{&it.ID, &it.CycleID, &it.OrgCode, &it.Community, &it.District, &it.Source, &it.SourceRef, &it.Content, &it.Risk,
		&it.Owner, &it.Leader, &it.Due, &it.Status, &it.ClosedOn, &it.ClosingNote, &it.ClosingFile, &it.CreatedOn, &it.CreatedBy}, more...)...)
}

func (s *Store) items(ctx context.Context, q string, args ...any) ([]ledger.Item, error) {
	var out []ledger.Item
	err := s.each(ctx, q, func(rows *sql.Rows) error {
		var it ledger.Item
		if err := scanItem(rows, &it); err != nil {
			return err
		}
		out = append(out, it)
		return nil
	}, args...)
	return out, err
}

// unitInScope returns the path of the unit with code in scope (any kind).
func (s *Store) unitInScope(ctx context.Context, scope org.Scope, code string) (string, error) {
	lo, hi := scope.Bounds()
	var path string
	err := s.db.QueryRowContext(ctx, `SELECT path FROM orgs WHERE code = $1 AND path >= $2 AND path < $3`, code, lo, hi).Scan(&path)
	return path, notFound(err, "没有找到该单位")
}

// CommunityLedger returns the ledger of a community in scope: its items,
// open ones first by due day, then closed ones newest first, each with its
// progress notes.
func (q *Scoped) CommunityLedger(ctx context.Context, code string) ([]ledger.Item, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	s := q.s
	orgID, err := communityInScope(ctx, s.db, q.scope, code)
	if err != nil {
		return nil, err
	}
	items, err := s.items(ctx, `SELECT `+ledgerCols+ledgerFrom+` WHERE i.org_id = $1 AND i.cycle_id = $2
		ORDER BY CASE WHEN i.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN i.status = 'closed' THEN '' ELSE i.due_on END,
		i.closed_on DESC, i.id`, orgID, cycleID)
	if err != nil {
		return nil, err
	}
	return items, attachNotes(ctx, s.db, items, `SELECT n.id, n.item_id, n.day, n.note, n.by_name, n.at FROM ledger_notes n
		JOIN ledger_items i ON i.id = n.item_id WHERE i.org_id = $1 AND i.cycle_id = $2 ORDER BY n.item_id, n.id`, orgID, cycleID)
}

// attachNotes reads notes (id, item_id, day, note, by_name, at) with q on
// db and hangs them on their items.
func attachNotes(ctx context.Context, db querier, items []ledger.Item, q string, args ...any) error {
	if len(items) == 0 {
		return nil
	}
	byID := make(map[int64]int, len(items))
	for i, it := range items {
		byID[it.ID] = i
	}
	return eachRow(ctx, db, q, func(rows *sql.Rows) error {
		var n ledger.Note
		if err := rows.Scan(&n.ID, &n.ItemID, &n.Day, &n.Note, &n.By, &n.At); err != nil {
			return err
		}
		if i, ok := byID[n.ItemID]; ok {
			items[i].Notes = append(items[i].Notes, n)
		}
		return nil
	}, args...)
}

// ledgerItemRead reads the item $1 of the cycle $2 and its community's
// path, by key: its scope is checked on the path (byKey).
const ledgerItemRead = byKey + `SELECT ` + ledgerCols + `, o.path` + ledgerFrom + ` WHERE i.id = $1 AND i.cycle_id = $2`

// The notes and events of the item $1, by key.
const (
	ledgerNotesCount = byKey + `SELECT COUNT(*) FROM ledger_notes WHERE item_id = $1`
	ledgerEvents     = byKey + `SELECT day, at, from_status, to_status, note, by_name FROM ledger_events WHERE item_id = $1 ORDER BY id`
)

// ledgerNotes reads the notes of the item $1 in order, by key: all when
// latest is 0, else the latest ones.
func ledgerNotes(latest int) string {
	if latest == 0 {
		return byKey + `SELECT id, item_id, day, note, by_name, at FROM ledger_notes WHERE item_id = $1 ORDER BY id`
	}
	return byKey + `SELECT * FROM (SELECT id, item_id, day, note, by_name, at FROM ledger_notes WHERE item_id = $1
		ORDER BY id DESC LIMIT ` + strconv.Itoa(latest) + `) n ORDER BY id`
}

// LedgerItem returns one item in scope with its status events and its
// notes: all of them when latest is 0, else the latest ones only, with
// NotesTotal counting them all (a write's answer: an item may carry
// thousands of notes, issue 17).
func (q *Scoped) LedgerItem(ctx context.Context, id int64, latest int) (ledger.Item, error) {
	return q.ledgerItem(ctx, q.s.db, id, latest)
}

// ChangeLedgerItem writes change and answers with the item id as the write
// left it, with its latest notes (LedgerItem). On SQLite the answer is read
// in the write's transaction, on the writer's connection, which holds the
// pages the write has just changed: read after the commit on another
// connection, every page came cold, SQLite having dropped that
// connection's cache when the writer wrote. On PostgreSQL it is read after
// the commit, as before: read inside, 8 clients wrote 8% fewer notes
// (docs/performance.md).
func (q *Scoped) ChangeLedgerItem(ctx context.Context, id int64, latest int, change func(*Tx) error) (ledger.Item, error) {
	var it ledger.Item
	err := q.Write(ctx, func(tx *Tx) error {
		if err := change(tx); err != nil || q.s.engine != SQLite {
			return err
		}
		var err error
		it, err = q.ledgerItem(ctx, tx.tx, id, latest)
		return err
	})
	if err != nil || q.s.engine == SQLite {
		return it, err
	}
	return q.LedgerItem(ctx, id, latest)
}

// ledgerItem is LedgerItem read on db.
func (q *Scoped) ledgerItem(ctx context.Context, db querier, id int64, latest int) (ledger.Item, error) {
	var it ledger.Item
	cycle, err := q.cycleOn(ctx, db)
	if err != nil {
		return it, err
	}
	cycleID := cycle.ID
	var path string
	err = scanItem(db.QueryRowContext(ctx, ledgerItemRead, id, cycleID), &it, &path)
	if err == nil && !q.scope.Contains(path) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return it, notFound(err, "没有找到该台账事项")
	}
	items := []ledger.Item{it}
	if err := attachNotes(ctx, db, items, ledgerNotes(latest), id); err != nil {
		return it, err
	}
	it = items[0]
	it.NotesTotal = len(it.Notes)
	if latest > 0 && it.NotesTotal == latest {
		if err := db.QueryRowContext(ctx, ledgerNotesCount, id).Scan(&it.NotesTotal); err != nil {
			return it, err
		}
	}
	err = eachRow(ctx, db, ledgerEvents,
		func(rows *sql.Rows) error {
			e := ledger.Event{ItemID: id}
			if err := rows.Scan(&e.Day, &e.At, &e.From, &e.To, &e.Note, &e.By); err != nil {
				return err
			}
			it.Events = append(it.Events, e)
			return nil
		}, id)
	return it, err
}

// notClosedOn is the condition "not closed on day" on ledger_items i. For
// today it is the status, which the index (cycle_id, status, due_on)
// serves; for a past day an item closed after that day was still open then.
func notClosedOn(day, today civil.Date, arg int) string {
	if day >= today {
		return `i.status IN ('open', 'in_progress')`
	}
	return `(i.status IN ('open', 'in_progress') OR (i.status = 'closed' AND i.closed_on > $` + strconv.Itoa(arg) + `))`
}

// DueAndOverdue lists the ledger items in scope due on or before day and
// not closed (日调度: the overdue ones are due before day), by due day and
// community, with community and district names, followed by the open plan
// measures due on or before day (Source ledger.FromPlan, ID 0, SourceRef
// the measure's id; a measure is closed on the plan page). The daily
// meeting's agenda calls it for today: it reads the index
// ledger_items_due (cycle_id, status, due_on).
func (q *Scoped) DueAndOverdue(ctx context.Context, day civil.Date) ([]ledger.Item, error) {
	items, _, err := q.DueAndOverduePage(ctx, day, 0, 0)
	if err != nil {
		return nil, err
	}
	measures, err := q.DueMeasures(ctx, day, 0)
	return append(items, measures...), err
}

// DueLine is a ledger item of the daily meeting's agenda: due on or before
// the day and not closed; Code and Path are its community's, Path for the
// order.
type DueLine struct {
	ID                              int64
	Code, Community, Content, Owner string
	Due                             civil.Date
	Path                            string
}

// DueLines lists the same ledger items as DueAndOverdue (without the plan
// measures) in the same order (due day, community, id), with only the
// columns the agenda shows. The items are found on the index
// ledger_items_due alone (covering: id, cycle_id, status, due_on), then
// read by rowid in rowid order on SQLite (PostgreSQL plans the plain join
// better: the IN form made it 4× slower), and sorted here: on SQLite that
// is about half the time of the full rows sorted in SQL.
func (q *Scoped) DueLines(ctx context.Context, day civil.Date) ([]DueLine, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	s, scope := q.s, q.scope
	lo, hi := scope.Bounds()
	today := civil.Of(s.clock())
	due := `i.cycle_id = $1 AND ` + notClosedOn(day, today, 2) + ` AND i.due_on <= $2`
	from, narrow, err := s.scopedItems(ctx, scope, "", "")
	if err != nil {
		return nil, err
	}
	if s.engine == SQLite && !narrow {
		due = `i.id IN (SELECT i.id FROM ledger_items i WHERE ` + due + `)`
	}
	var out []DueLine
	err = s.each(ctx, `SELECT i.id, o.code, o.name, i.content, i.owner, i.due_on, o.path`+from+`
		WHERE `+due+` AND o.path >= $3 AND o.path < $4`, func(rows *sql.Rows) error {
		var l DueLine
		if err := rows.Scan(&l.ID, &l.Code, &l.Community, &l.Content, &l.Owner, &l.Due, &l.Path); err != nil {
			return err
		}
		out = append(out, l)
		return nil
	}, cycleID, day, lo, hi)
	slices.SortFunc(out, func(a, b DueLine) int {
		return cmp.Or(cmp.Compare(a.Due, b.Due), strings.Compare(a.Path, b.Path), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// DueAndOverduePage is one page of the ledger items of DueAndOverdue
// (limit 0: all) with their total; plan measures are not included.
func (q *Scoped) DueAndOverduePage(ctx context.Context, day civil.Date, offset, limit int) ([]ledger.Item, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	s, scope := q.s, q.scope
	lo, hi := scope.Bounds()
	today := civil.Of(s.clock())
	where := ` WHERE i.cycle_id = $1 AND ` + notClosedOn(day, today, 2) + ` AND i.due_on <= $2 AND o.path >= $3 AND o.path < $4`
	args := []any{cycleID, day, lo, hi}
	total := -1
	from, _, err := s.scopedItems(ctx, scope, "", "")
	if err != nil {
		return nil, 0, err
	}
	query := `SELECT ` + ledgerCols + from + districtJoin + where + ` ORDER BY i.due_on, o.path, i.id`
	if limit > 0 {
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
		query += ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(offset)
	}
	items, err := s.items(ctx, query, args...)
	if total < 0 {
		total = len(items)
	}
	if day < today {
		for i := range items { // as they stood on day
			if items[i].Status == ledger.Closed {
				items[i].Status, items[i].ClosedOn, items[i].ClosingNote, items[i].ClosingFile = ledger.Open, "", "", ""
			}
		}
	}
	return items, total, err
}

// DueMeasures lists the open plan measures in scope due on or before day
// as ledger lines (Source ledger.FromPlan, ID 0, SourceRef the measure id),
// at most limit (0: all).
func (q *Scoped) DueMeasures(ctx context.Context, day civil.Date, limit int) ([]ledger.Item, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	query := `SELECT m.id, o.code, o.name, COALESCE(d.name, ''), m.content, m.owner, m.due_on
		FROM plan_measures m JOIN plans p ON p.id = m.plan_id JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE m.done_on = '' AND m.due_on <= $1 AND p.cycle_id = $2 AND o.path >= $3 AND o.path < $4 ORDER BY m.due_on, o.path, m.id`
	if limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(limit)
	}
	return q.s.measureLines(ctx, cycleID, query, day, cycleID, lo, hi)
}

func (s *Store) measureLines(ctx context.Context, cycleID int64, q string, args ...any) ([]ledger.Item, error) {
	var out []ledger.Item
	err := s.each(ctx, q, func(rows *sql.Rows) error {
		it := ledger.Item{CycleID: cycleID, Source: ledger.FromPlan, Risk: ledger.Medium, Status: ledger.Open}
		var id int64
		if err := rows.Scan(&id, &it.OrgCode, &it.Community, &it.District, &it.Content, &it.Owner, &it.Due); err != nil {
			return err
		}
		it.SourceRef = strconv.FormatInt(id, 10)
		out = append(out, it)
		return nil
	}, args...)
	return out, err
}

// CommunityMeasures lists a community's open plan measures as read-only
// ledger lines, by due day.
func (q *Scoped) CommunityMeasures(ctx context.Context, code string) ([]ledger.Item, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return nil, err
	}
	return q.s.measureLines(ctx, cycleID, `SELECT m.id, o.code, o.name, COALESCE(d.name, ''), m.content, m.owner, m.due_on
		FROM plan_measures m JOIN plans p ON p.id = m.plan_id JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs d ON d.id = o.parent_id
		WHERE m.done_on = '' AND p.org_id = $1 AND p.cycle_id = $2 ORDER BY m.due_on, m.id`, orgID, cycleID)
}

// firstAndTotal runs q (rows in order) with at most limit rows (0: all)
// and returns the total: the rows' count when the list is not cut, else
// COUNT(*) over from, which takes the same arguments.
func (s *Store) firstAndTotal(ctx context.Context, q, from string, limit int, fn func(*sql.Rows) error, args ...any) (int, error) {
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	n := 0
	err := s.each(ctx, q, func(rows *sql.Rows) error { n++; return fn(rows) }, args...)
	if err != nil || limit == 0 || n < limit {
		return n, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&n)
	return n, err
}

// Closings lists the items in scope closed (销号) on day, from the status
// events, so an item reopened since still shows; ClosedOn and ClosingNote
// are the day's closing, CreatedBy is replaced by who closed it, Status is
// the item's status now. At most limit (0: all), with the day's total. It
// reads the index ledger_events_day.
func (q *Scoped) Closings(ctx context.Context, day civil.Date, limit int) ([]ledger.Item, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	s, scope := q.s, q.scope
	lo, hi := scope.Bounds()
	join, _, err := s.scopedItems(ctx, scope, "ledger_events", "e")
	if err != nil {
		return nil, 0, err
	}
	where := ` WHERE e.day = $1 AND e.to_status = 'closed' AND i.cycle_id = $2 AND o.path >= $3 AND o.path < $4`
	var out []ledger.Item
	total, err := s.firstAndTotal(ctx, `SELECT `+ledgerCols+`, e.day, e.note, e.by_name`+join+districtJoin+where+` ORDER BY e.id`, join+where, limit,
		func(rows *sql.Rows) error {
			var it ledger.Item
			if err := rows.Scan(&it.ID, &it.CycleID, &it.OrgCode, &it.Community, &it.District, &it.Source, &it.SourceRef, &it.Content,
				&it.Risk, &it.Owner, &it.Leader, &it.Due, &it.Status, &it.ClosedOn, &it.ClosingNote, &it.ClosingFile, &it.CreatedOn,
				&it.CreatedBy, &it.ClosedOn, &it.ClosingNote, &it.CreatedBy); err != nil {
				return err
			}
			out = append(out, it)
			return nil
		}, day, cycleID, lo, hi)
	return out, total, err
}

// DayNote is a progress note with its item, for the day's analysis.
type DayNote struct {
	ledger.Note
	Item ledger.Item
}

// NotesOn lists the progress notes written in scope on day (日分析), in
// the order they were written, at most limit (0: all), with the day's
// total. It reads the index ledger_notes_day.
func (q *Scoped) NotesOn(ctx context.Context, day civil.Date, limit int) ([]DayNote, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	s, scope := q.s, q.scope
	lo, hi := scope.Bounds()
	join, _, err := s.scopedItems(ctx, scope, "ledger_notes", "n")
	if err != nil {
		return nil, 0, err
	}
	where := ` WHERE n.day = $1 AND i.cycle_id = $2 AND o.path >= $3 AND o.path < $4`
	var out []DayNote
	total, err := s.firstAndTotal(ctx, `SELECT `+ledgerCols+`, n.id, n.day, n.note, n.by_name, n.at`+join+districtJoin+where+` ORDER BY n.id`, join+where, limit,
		func(rows *sql.Rows) error {
			var n DayNote
			it := &n.Item
			if err := rows.Scan(&it.ID, &it.CycleID, &it.OrgCode, &it.Community, &it.District, &it.Source, &it.SourceRef, &it.Content,
				&it.Risk, &it.Owner, &it.Leader, &it.Due, &it.Status, &it.ClosedOn, &it.ClosingNote, &it.ClosingFile, &it.CreatedOn,
				&it.CreatedBy, &n.ID, &n.Day, &n.Note.Note, &n.By, &n.At); err != nil {
				return err
			}
			n.ItemID = it.ID
			out = append(out, n)
			return nil
		}, day, cycleID, lo, hi)
	return out, total, err
}

// LedgerOn answers "what was open on day": the items in scope (or in the
// unit with code under it, when code is set) created on or before day
// whose last status event up to day left them open or in progress, with
// Status as it stood then; one page of them (limit 0: all) and the total.
// Items created after day are excluded.
func (q *Scoped) LedgerOn(ctx context.Context, day civil.Date, code string, offset, limit int) ([]ledger.Item, int, error) {
	if !day.Valid() {
		return nil, 0, errs.OnField("day", "日期格式应为 2026-03-01")
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	s, scope := q.s, q.scope
	if code != "" {
		path, err := s.unitInScope(ctx, scope, code)
		if err != nil {
			return nil, 0, err
		}
		scope = org.Within(path)
	}
	lo, hi := scope.Bounds()
	inner := `SELECT ` + ledgerCols + `, (SELECT e.to_status FROM ledger_events e WHERE e.item_id = i.id AND e.day <= $2
		ORDER BY e.day DESC, e.id DESC LIMIT 1) AS then_status` + ledgerFrom + `
		WHERE i.cycle_id = $1 AND i.created_on <= $2 AND o.path >= $3 AND o.path < $4`
	cond := ` WHERE x.then_status IN ('open', 'in_progress')`
	args := []any{cycleID, day, lo, hi}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+inner+`) x`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	query := `SELECT * FROM (` + inner + `) x` + cond + ` ORDER BY x.due_on, x.id`
	if limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(offset)
	}
	var out []ledger.Item
	err = s.each(ctx, query, func(rows *sql.Rows) error {
		var it ledger.Item
		var then string
		if err := rows.Scan(&it.ID, &it.CycleID, &it.OrgCode, &it.Community, &it.District, &it.Source, &it.SourceRef, &it.Content,
			&it.Risk, &it.Owner, &it.Leader, &it.Due, &it.Status, &it.ClosedOn, &it.ClosingNote, &it.ClosingFile, &it.CreatedOn,
			&it.CreatedBy, &then); err != nil {
			return err
		}
		it.Status, it.ClosedOn, it.ClosingNote, it.ClosingFile = ledger.Status(then), "", "", ""
		out = append(out, it)
		return nil
	}, args...)
	return out, total, err
}

// MaxLedgerExport is the most items one export holds.
const MaxLedgerExport = 200000

// LedgerExport returns the items of the scope, or of the unit with code in
// it (a community or a district), with their progress notes, for the Excel
// export: by district, community, then id. More than MaxLedgerExport items
// is a 422 asking for a narrower export.
func (q *Scoped) LedgerExport(ctx context.Context, code string) ([]ledger.Item, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	s, scope := q.s, q.scope
	if code != "" {
		path, err := s.unitInScope(ctx, scope, code)
		if err != nil {
			return nil, err
		}
		scope = org.Within(path)
	}
	lo, hi := scope.Bounds()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_items i JOIN orgs o ON o.id = i.org_id
		WHERE i.cycle_id = $1 AND o.path >= $2 AND o.path < $3`, cycleID, lo, hi).Scan(&n); err != nil {
		return nil, err
	}
	if n > MaxLedgerExport {
		return nil, errs.Newf(errs.Unprocessable, "台账共 %d 项,超过单次导出上限 %d 项,请按片区或社区导出", n, MaxLedgerExport)
	}
	items, err := s.items(ctx, `SELECT `+ledgerCols+ledgerFrom+` WHERE i.cycle_id = $1 AND o.path >= $2 AND o.path < $3
		ORDER BY o.path, i.id`, cycleID, lo, hi)
	if err != nil {
		return nil, err
	}
	return items, attachNotes(ctx, s.db, items, `SELECT n.id, n.item_id, n.day, n.note, n.by_name, n.at FROM ledger_notes n
		JOIN ledger_items i ON i.id = n.item_id JOIN orgs o ON o.id = i.org_id
		WHERE i.cycle_id = $1 AND o.path >= $2 AND o.path < $3 ORDER BY n.item_id, n.id`, cycleID, lo, hi)
}

// NotesText joins an item's progress notes for a cell: "day note" per line.
func NotesText(it ledger.Item) string {
	var b strings.Builder
	for i, n := range it.Notes {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(n.Day.String() + " " + n.Note)
	}
	return b.String()
}
