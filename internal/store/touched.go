package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
)

// On SQLite the notes of the records a write touches (protected.go) are
// made by triggers of the writer connection's own temporary schema, which
// the store creates on the connection as it takes it (takeWriter);
// migration 00046 dropped the database file's. A trigger hands its note,
// the record's content before and after as SQLite itself writes it
// (json_array), to the store in Go (huanjie_note), where the write takes
// it (writerNotes): no table of notes to fill, read back and clear, so an
// audited write on SQLite runs two statements fewer (issue 17). A holder
// of the file alone cannot drop or change the triggers, which are the
// binary's. Writes on another connection, the sqlite3 shell's among them,
// are noted by none, as those the platform did not make must not be
// vouched for (Tx.run). PostgreSQL keeps its triggers and table, whose
// notes carry the transaction's id: its writers run side by side.
//
// A note is made as the record changes, and a statement that fails after
// it is undone by SQLite while the note stays: the content a note gives
// after the write is kept as the record's digest only where the record
// still has it (keepDigests), and read again where it does not.

// sqliteDriver is the name the store opens SQLite under: the package's
// driver, with the function the writer's triggers call.
var sqliteDriver = func() string {
	d := &sqlite.Driver{}
	d.MustRegisterScalarFunction("huanjie_note", 7, takeNote)
	sql.Register("huanjie-sqlite", d)
	return "huanjie-sqlite"
}()

// writerNotes are the notes of the writes of one store on SQLite, in the
// order the triggers made them; its writers' triggers pass its number
// (noteSinks). A connection that was the store's writer before keeps its
// triggers when the pool lends it out again, but it cannot write while an
// audited write holds SQLite's one write lock: its notes are left between
// audited writes, which forget them as they start (Tx.run), as they forget
// the notes of the store's writes that are not audited.
type writerNotes struct {
	mu    sync.Mutex
	notes []writerNote
	sink  int64
}

type writerNote struct {
	tbl            string
	k1, k2         int64
	old, oldDigest sql.NullString
	new            sql.NullString
}

// reset forgets the notes made so far: those of a write that failed, or of
// a write of the store that is not audited.
func (w *writerNotes) reset() {
	w.take()
}

// take returns the notes made since the last reset or take, and forgets them.
func (w *writerNotes) take() []writerNote {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.notes
	w.notes = nil // not kept for the next: a bulk write's notes hold its records' content
	return out
}

// noteSinks are the writerNotes of the stores open, by the number their
// writers' triggers pass.
var (
	noteSinks  sync.Map // int64: *writerNotes
	sinkNumber atomic.Int64
)

// takeNote is huanjie_note(sink, tbl, k1, k2, old, old_digest, new), which
// the writer's triggers call.
func takeNote(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	sink, _ := args[0].(int64)
	v, ok := noteSinks.Load(sink)
	if !ok {
		return nil, nil // a store since closed
	}
	text := func(a driver.Value) sql.NullString {
		s, ok := a.(string)
		return sql.NullString{String: s, Valid: ok}
	}
	n := writerNote{old: text(args[4]), oldDigest: text(args[5]), new: text(args[6])}
	n.tbl, _ = args[1].(string)
	n.k1, _ = args[2].(int64)
	n.k2, _ = args[3].(int64)
	w := v.(*writerNotes)
	w.mu.Lock()
	w.notes = append(w.notes, n)
	w.mu.Unlock()
	return nil, nil
}

// touchedTriggers are the writer's triggers, which pass sink: a note on
// every insert (but into a table whose records are created blank in bulk:
// protectedTable.blank), update of a declared column and delete, with the
// record's content before it and after it (none after a delete), so that
// the write digests the records it touched without reading them again.
func touchedTriggers(sink int64) []string {
	var out []string
	for _, p := range protectedTables {
		key := func(row string) string {
			k2 := "0"
			if p.twoKeys() {
				k2 = row + "." + p.keys[1]
			}
			return "'" + p.table + "', " + row + "." + p.keys[0] + ", " + k2
		}
		content := func(row string) string {
			cols := make([]string, len(p.columns))
			for i, c := range p.columns {
				cols[i] = row + "." + c
			}
			return `json_array(` + strings.Join(cols, ", ") + `)`
		}
		// The content after an update is noted under the key before it,
		// unless the key changed: the record under that key is gone.
		same := "NEW." + p.keys[0] + " = OLD." + p.keys[0]
		if p.twoKeys() {
			same += " AND NEW." + p.keys[1] + " = OLD." + p.keys[1]
		}
		call := `SELECT huanjie_note(` + strconv.FormatInt(sink, 10) + `, `
		note := func(after string) string {
			return call + key("OLD") + `, ` + content("OLD") + `, OLD.audit_digest, ` + after + `);`
		}
		// A key is noted changed as well as the content: the note names
		// the record by its key before the write.
		changed := []string{p.keys[0]}
		if p.twoKeys() {
			changed = append(changed, p.keys[1])
		}
		for _, c := range p.columns {
			if c != p.keys[0] && c != p.keys[1] {
				changed = append(changed, c)
			}
		}
		if p.blank == nil {
			out = append(out, fmt.Sprintf(`CREATE TEMP TRIGGER IF NOT EXISTS %[1]s_audit_insert AFTER INSERT ON main.%[1]s BEGIN
				%[2]s%[3]s, NULL, NULL, %[4]s); END`, p.table, call, key("NEW"), content("NEW")))
		}
		out = append(out,
			fmt.Sprintf(`CREATE TEMP TRIGGER IF NOT EXISTS %[1]s_audit_update AFTER UPDATE OF %[2]s ON main.%[1]s BEGIN %[3]s END`,
				p.table, strings.Join(changed, ", "), note(`CASE WHEN `+same+` THEN `+content("NEW")+` END`)),
			fmt.Sprintf(`CREATE TEMP TRIGGER IF NOT EXISTS %[1]s_audit_delete AFTER DELETE ON main.%[1]s BEGIN %[2]s END`, p.table, note("NULL")))
	}
	return out
}

// takeWriter takes a connection of pool as SQLite's writer, with the
// triggers that hand their notes to w under w's number in noteSinks.
func takeWriter(ctx context.Context, pool *sql.DB, w *writerNotes) (*sql.Conn, error) {
	c, err := pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if w.sink == 0 {
		w.sink = sinkNumber.Add(1)
	}
	for _, q := range touchedTriggers(w.sink) {
		if _, err := c.ExecContext(ctx, q); err != nil {
			c.Close()
			return nil, fmt.Errorf("writer: %w", err)
		}
	}
	noteSinks.Store(w.sink, w)
	return c, nil
}
