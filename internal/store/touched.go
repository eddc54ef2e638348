package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// On SQLite the notes of the records a write touches (protected.go) are
// kept in a table of the writer connection's own temporary schema, by
// triggers of that schema, which the store creates on the connection
// as it takes it (takeWriter); migration 00046 dropped the
// database file's. A note made and taken in the same transaction never
// reaches the file, so a commit writes one page fewer (issue 17: a review
// answer's commit wrote twelve, seven of them the audit's); and a holder
// of the file alone cannot drop or change the triggers, which are the
// binary's. Writes on another connection, the sqlite3 shell's among them,
// are noted by none, as those the platform did not make must not be
// vouched for (Tx.run). A note holds the record's content after the write
// as well as before it, so that the write digests what it touched without
// reading it again (Tx.digestsNoted). PostgreSQL keeps its triggers and
// table, whose notes carry the transaction's id: its writers run side by
// side.

// touchedTable is the temporary table of notes. Every connection of the
// store's has it (sqliteDriver), so that the statements that name it are
// prepared once on any connection of the pool and kept (stmts.go); only
// the writer's triggers fill it.
const touchedTable = `CREATE TEMP TABLE IF NOT EXISTS audit_touched (
	n          INTEGER PRIMARY KEY,
	tbl        TEXT NOT NULL,
	k1         BIGINT NOT NULL,
	k2         BIGINT NOT NULL,
	old        TEXT,
	old_digest TEXT,
	new        TEXT)`

// sqliteDriver is the name the store opens SQLite under: the package's
// driver, with a hook that gives each new connection the table of notes.
var sqliteDriver = func() string {
	d := &sqlite.Driver{}
	d.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		_, err := c.ExecContext(context.Background(), touchedTable, nil)
		return err
	})
	sql.Register("huanjie-sqlite", d)
	return "huanjie-sqlite"
}()

// touchedTriggers are the writer's triggers: a note on every insert (but
// into a table whose records are created blank in bulk:
// protectedTable.blank), update of a declared column and delete, with the
// record's content before it and after it (none after a delete), so that
// the write digests the records it touched without reading them again.
func touchedTriggers() []string {
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
		note := func(after string) string {
			return `INSERT INTO audit_touched (tbl, k1, k2, old, old_digest, new) VALUES (` + key("OLD") + `, ` + content("OLD") +
				`, OLD.audit_digest, ` + after + `);`
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
				INSERT INTO audit_touched (tbl, k1, k2, new) VALUES (%[2]s, %[3]s); END`, p.table, key("NEW"), content("NEW")))
		}
		out = append(out,
			fmt.Sprintf(`CREATE TEMP TRIGGER IF NOT EXISTS %[1]s_audit_update AFTER UPDATE OF %[2]s ON main.%[1]s BEGIN %[3]s END`,
				p.table, strings.Join(changed, ", "), note(`CASE WHEN `+same+` THEN `+content("NEW")+` END`)),
			fmt.Sprintf(`CREATE TEMP TRIGGER IF NOT EXISTS %[1]s_audit_delete AFTER DELETE ON main.%[1]s BEGIN %[2]s END`, p.table, note("NULL")))
	}
	return out
}

// takeWriter takes a connection of pool as SQLite's writer, with the
// triggers that fill its table of notes.
func takeWriter(ctx context.Context, pool *sql.DB) (*sql.Conn, error) {
	c, err := pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	for _, q := range touchedTriggers() {
		if _, err := c.ExecContext(ctx, q); err != nil {
			c.Close()
			return nil, fmt.Errorf("writer: %w", err)
		}
	}
	return c, nil
}
