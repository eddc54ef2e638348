package store

import (
	"context"
	"fmt"
	"time"
)

// The audit log's filters (a subtree, an actor, an action, a record) read
// audit_search, a copy of each entry's unit, actor, action and record with
// the indexes they need, which the store fills off the request path: a
// write's commit writes the log's row and its chain's head and no index
// page (migration 00047; each index of the log was a page of its own in
// every commit, four of the dozen a review answer wrote on SQLite). The
// entries the copy has not taken in yet are the log's last, read from the
// log itself by their sequence (auditSearched), so a list is never behind
// the log.
//
// The copy is derived: the log is what is sealed and verified. A holder of
// the database who changes or deletes rows of it could hide entries from a
// filtered list; the check of the log finds every row that does not match
// the log (VerifyAudit), and the server's check mends them (CheckNow).

// searchGap is the least time between two runs of the copy; searchBatch the
// entries one write of it takes in at most, so that it holds the write
// lock briefly.
const (
	searchGap   = time.Second
	searchBatch = 5000
)

// searchColumns are the columns the copy keeps of an entry.
const searchColumns = `seq, org_path, actor, action, entity, entity_id`

// searchSame matches an entry of the log (l) with its row in the copy (s).
const searchSame = `l.seq = s.seq AND l.org_path = s.org_path AND l.actor = s.actor AND l.action = s.action
	AND l.entity = s.entity AND l.entity_id = s.entity_id`

// copyAuditSearch takes the entries after the copy's last into it, a batch
// a write, until it holds the log up to the head this process last wrote.
// Run off the request path (offPath); an error leaves the rest to the next
// run, and to the server's check.
func (s *Store) copyAuditSearch(ctx context.Context) {
	for ctx.Err() == nil {
		head := s.head.Load()
		if head == nil || head.Seq <= s.searched.Load() {
			return
		}
		n, err := s.copyAuditBatch(ctx)
		if err != nil {
			return
		}
		if n < searchBatch {
			s.searched.Store(head.Seq)
		}
	}
}

// copyAuditBatch copies up to searchBatch entries after the copy's last.
// Several servers on one PostgreSQL may copy the same entries at once:
// each entry is taken in once.
func (s *Store) copyAuditBatch(ctx context.Context) (n int64, err error) {
	err = s.unaudited(ctx, func(tx *dbTx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO audit_search (`+searchColumns+`)
			SELECT `+searchColumns+` FROM audit_log WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM audit_search)
			ORDER BY seq LIMIT `+itoa(searchBatch)+` ON CONFLICT (seq) DO NOTHING`)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// searchMismatches counts the rows of the copy that do not match the log:
// rows whose entry differs or is gone, and entries up to the copy's last
// that it lacks.
func searchMismatches(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM audit_search s WHERE NOT EXISTS (SELECT 1 FROM audit_log l WHERE `+searchSame+`))
		+ (SELECT COUNT(*) FROM audit_log l WHERE l.seq <= (SELECT COALESCE(MAX(seq), 0) FROM audit_search)
			AND NOT EXISTS (SELECT 1 FROM audit_search s WHERE s.seq = l.seq))`).Scan(&n)
	return n, err
}

// SearchProblem tells, in Chinese, that n rows of the copy did not match.
func SearchProblem(n int64) string {
	return fmt.Sprintf("审计日志的筛选索引有 %d 条与日志不符,是在数据库里直接改动的,按条件筛选时可能看不到部分日志", n)
}

// mendAuditSearch makes the copy match the log again: the rows that do not
// are deleted, and every entry it lacks is copied.
func (s *Store) mendAuditSearch(ctx context.Context) error {
	return s.unaudited(ctx, func(tx *dbTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_search AS s WHERE NOT EXISTS (SELECT 1 FROM audit_log l WHERE `+
			searchSame+`)`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_search (`+searchColumns+`) SELECT `+searchColumns+` FROM audit_log l
			WHERE NOT EXISTS (SELECT 1 FROM audit_search s WHERE s.seq = l.seq) ON CONFLICT (seq) DO NOTHING`)
		return err
	})
}

// auditSearched is the statement that lists the sequences of the entries
// where (over the columns the log and its copy share, with its arguments
// already placed) holds, the last limit of them: the copy's, and the
// entries after the copy's last read from the log.
func auditSearched(where string, limit int) string {
	return `SELECT seq FROM (SELECT seq FROM audit_search WHERE ` + where + ` ORDER BY seq DESC LIMIT ` + itoa(int64(limit)) + `) s
		UNION ALL SELECT seq FROM audit_log WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM audit_search) AND ` + where
}
