package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
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

const auditColumns = `seq, at, actor_id, actor, action, entity, entity_id, before_data, after_data, org_path, digests, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }, extra ...any) (audit.Entry, error) {
	var e audit.Entry
	err := row.Scan(append([]any{&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After,
		&e.OrgPath, &e.Digests, &e.PrevHash, &e.Hash}, extra...)...)
	e.At = audit.Timestamp(e.At)
	return e, err
}

// AuditListed is an entry with the name of the unit it concerns ("" for
// the whole tree or a unit since gone).
type AuditListed struct {
	audit.Entry
	Unit    string
	Records int // the protected records the entry vouches for; Entry.Digests is not read
}

// auditListColumns are auditColumns without the digests, which a bulk
// import fills with half a megabyte: the list shows how many there are.
var auditListColumns = strings.Replace(auditColumns, "digests", "'' AS digests", 1)

// AuditLog returns the audit entries about q's scope, newest first: an
// account of the whole tree reads every entry, a scoped one only the entries
// about units of its subtree.
func (q *Scoped) AuditLog(ctx context.Context, f AuditFilter) ([]AuditListed, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	query, args := auditListQuery(q.s.engine, q.scope, f)
	investigates := q.Can(account.ManageCases)
	var out []AuditListed
	err := q.s.each(ctx, query, func(rows *sql.Rows) error {
		var l AuditListed
		var err error
		l.Entry, err = scanAudit(rows, &l.Unit, &l.Records)
		if l.Entity == "case" && !investigates {
			l.Before, l.After = withheld(l.Before), withheld(l.After)
		}
		out = append(out, l)
		return err
	}, args...)
	return out, err
}

// auditListQuery is AuditLog's statement for f (its limit set) in scope on
// engine e.
func auditListQuery(e Engine, scope org.Scope, f AuditFilter) (string, []any) {
	lo, hi := scope.Bounds()
	// The entries are chosen over the columns the log and its copy share
	// (audit_search.go), and checked again on the log's own rows.
	where := `org_path >= $3 AND org_path < $4`
	args := []any{"\n", "\n!", lo, hi}
	add := func(cond string, v any) {
		args = append(args, v)
		where += ` AND ` + cond + ` $` + strconv.Itoa(len(args))
	}
	if f.Actor != "" {
		add("actor =", f.Actor)
	}
	if f.Action != "" {
		// "login" matches login and login.fail: the action or its sub-actions.
		args = append(args, f.Action, f.Action+".%")
		where += ` AND (action = $` + strconv.Itoa(len(args)-1) + ` OR action LIKE $` + strconv.Itoa(len(args)) + `)`
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
	// The digests counted in SQL: a line each ($1), less the alarms (lines
	// that begin with "!": $2 within the text, or at its start).
	query := `SELECT ` + auditListColumns + `, COALESCE((SELECT o.name FROM orgs o WHERE o.path = audit_log.org_path), ''),
		CASE WHEN digests = '' THEN 0 ELSE length(digests) - length(replace(digests, $1, '')) + 1
			- (length(digests) - length(replace(digests, $2, ''))) / 2 - CASE WHEN digests LIKE '!%' THEN 1 ELSE 0 END END
		FROM audit_log WHERE `
	if f.Actor != "" || f.Action != "" || f.Entity != "" || f.EntityID != "" || scope != org.All {
		// The entries found are read by their sequence: on PostgreSQL as an
		// array found first, or it walks the log backwards and looks each up
		// among them (TestHotStatementPlans).
		found := `seq IN (` + auditSearched(where, f.Limit) + `)`
		if e == Postgres {
			found = `seq = ANY (ARRAY(` + auditSearched(where, f.Limit) + `))`
		}
		query += found + ` AND `
	} // else the whole log, newest first, read by its sequence alone
	return query + where + ` ORDER BY seq DESC LIMIT ` + strconv.Itoa(f.Limit), args
}

// caseInvestigation are the fields of a case's audit entries that tell its
// investigation. A reader who sees case outcomes only (the office, which
// reads the log) reads who acted on which case and when, and the outcome,
// but not these (docs/roles.md), as Cases shows it (outcomeOnly).
var caseInvestigation = []string{"summary", "parties", "source", "tip", "status"}

// withheld is the changed fields of a case's entry with the investigation's
// values replaced by a note that they are withheld.
func withheld(fields string) string {
	if fields == "" {
		return ""
	}
	var m map[string]any
	if json.Unmarshal([]byte(fields), &m) != nil {
		return "" // not the store's canonical JSON: show nothing of it
	}
	for _, k := range caseInvestigation {
		if _, ok := m[k]; ok {
			m[k] = "(案件调查内容,不予显示)"
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	return string(b)
}

// AuditHead returns the chain head recorded beside the log.
func (s *Store) AuditHead(ctx context.Context) (audit.Head, error) {
	return auditHead(ctx, s.db)
}

func auditHead(ctx context.Context, q querier) (audit.Head, error) {
	var h audit.Head
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash)
	return h, err
}

// LastHead is the chain's head as this process last wrote or read it, for
// the footer of printed pages: no query per page.
func (s *Store) LastHead() audit.Head {
	if h := s.head.Load(); h != nil {
		return *h
	}
	return audit.Head{Hash: audit.Genesis}
}

// entries streams the whole log in sequence order, in pages, without
// holding it in memory.
func entries(ctx context.Context, q querier) iter.Seq2[audit.Entry, error] {
	return func(yield func(audit.Entry, error) bool) {
		const page = 5000
		var after int64 = -1 << 62
		for {
			rows, err := q.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT `+strconv.Itoa(page), after)
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

// The versions of the chain's sealing, in audit_meta.
const (
	schemeUnkeyed = 1 // SHA-256 without a key (until migration 00008)
	schemeKeyed   = 2 // HMAC under the instance's audit key
)

// AuditKeyCheck is the check value of the key the log is sealed with, ""
// while no key has sealed it. The command line reads it before it loads or
// creates the key file: a database sealed with a key must never get a new one.
func (s *Store) AuditKeyCheck(ctx context.Context) (string, error) {
	var check string
	err := s.db.QueryRowContext(ctx, `SELECT key_check FROM audit_meta WHERE id = 1`).Scan(&check)
	return check, err
}

// ErrWrongAuditKey is returned by AttachAuditKey when the log was sealed
// with another key.
var ErrWrongAuditKey = errs.New(errs.Internal, "审计密钥与数据库不符:这个数据库的审计日志是用另一把密钥签署的。"+
	"请换上签署它的那把 audit.key(恢复备份时要连同原来的密钥文件),不要新建密钥")

// AttachAuditKey makes k the key that seals the log from now on. A log
// sealed with another key is refused. A log of the first, unkeyed version
// is checked as it is and, if intact, sealed anew under k in one
// transaction, ending with an entry that vouches for every protected record
// as it stands; a broken one is refused, so that no key ever vouches for a
// log that was already altered.
func (s *Store) AttachAuditKey(ctx context.Context, k *audit.Key) error {
	var scheme int
	var check string
	if err := s.db.QueryRowContext(ctx, `SELECT scheme, key_check FROM audit_meta WHERE id = 1`).Scan(&scheme, &check); err != nil {
		return fmt.Errorf("audit meta: %w", err)
	}
	if check != "" && check != k.Check() {
		return ErrWrongAuditKey
	}
	s.auditKey = k
	if scheme == schemeUnkeyed {
		if err := s.reseal(ctx, k); err != nil {
			s.auditKey = nil
			return err
		}
	}
	head, err := s.AuditHead(ctx)
	if err != nil {
		return err
	}
	s.head.Store(&head)
	return nil
}

// reseal seals a log of the first version under k (see AttachAuditKey).
func (s *Store) reseal(ctx context.Context, k *audit.Key) error {
	var n, records int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		return err
	}
	for _, p := range protectedTables {
		var c int64
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+p.table).Scan(&c); err != nil {
			return err
		}
		records += c
	}
	mark := func(ctx context.Context, x interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	}) error {
		_, err := x.ExecContext(ctx, `UPDATE audit_meta SET scheme = $1, key_check = $2 WHERE id = 1`, schemeKeyed, k.Check())
		return err
	}
	if n == 0 && records == 0 {
		return mark(ctx, s.db) // a new database: nothing to vouch for yet
	}
	return s.Zone(System).Write(ctx, func(tx *Tx) error {
		var head audit.Head
		if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+s.forUpdate()).Scan(&head.Seq, &head.Hash); err != nil {
			return err
		}
		old := audit.NewLegacyVerifier()
		var all []audit.Entry
		for e, err := range entries(ctx, tx.tx) {
			if err != nil {
				return err
			}
			if brk := old.Add(e); brk != nil {
				return fmt.Errorf("审计日志在启用实例密钥之前已损坏,不能用密钥为它担保:%w", brk)
			}
			all = append(all, e)
		}
		if brk := old.Finish(head); brk != nil {
			return fmt.Errorf("审计日志在启用实例密钥之前已损坏,不能用密钥为它担保:%w", brk)
		}
		prevSeq, prevHash := int64(0), audit.Genesis
		for _, e := range all {
			e.Seal(k, prevSeq, prevHash)
			if _, err := tx.exec(ctx, `UPDATE audit_log SET org_path = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
				e.OrgPath, e.PrevHash, e.Hash, e.Seq); err != nil {
				return err
			}
			prevSeq, prevHash = e.Seq, e.Hash
		}
		// The log's copy for its filters is taken anew from the entries
		// sealed (audit_search.go).
		if _, err := tx.exec(ctx, `DELETE FROM audit_search`); err != nil {
			return err
		}
		s.searched.Store(0)
		if _, err := tx.exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, prevSeq, prevHash); err != nil {
			return err
		}
		digests, err := tx.allDigests(ctx)
		if err != nil {
			return err
		}
		tx.extra = digests
		if err := mark(ctx, tx.tx); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.AuditRekey, On("audit", "key", ""), audit.Fields{"entries": n, "scheme": "sha256"},
			audit.Fields{"scheme": "hmac-sha256", "key": k.Fingerprint(), "records": len(digests)})
	})
}

// AuditReport is what `huanjie audit verify` found.
type AuditReport struct {
	Entries        int64        // entries found intact
	Head           audit.Head   // the head recorded beside the log
	Chain          *audit.Break // the first break of the chain, nil when it holds
	Checkpoints    int          // checkpoints compared with the log
	Rollbacks      []string     // checkpoints the log no longer agrees with
	Records        int          // protected records read
	RecordProblems []RecordProblem
	// SearchMismatches are the rows of the copy the log's filters read
	// (audit_search.go) that do not match the log: changed in the database
	// to hide entries from a filtered list. The server's check mends them.
	SearchMismatches int64
}

// OK reports whether nothing was found.
func (r AuditReport) OK() bool {
	return r.Chain == nil && len(r.Rollbacks) == 0 && len(r.RecordProblems) == 0 && r.SearchMismatches == 0
}

// maxRecordProblems bounds the report; the count beyond it is kept.
const maxRecordProblems = 1000

// VerifyAudit checks the log in one consistent snapshot: the chain under the
// key, its end against the head, every checkpoint of the checkpoint file and
// of extra against the entries, and every protected record against the
// digest of its last audited write.
func (s *Store) VerifyAudit(ctx context.Context, extra []audit.Checkpoint) (AuditReport, error) {
	var r AuditReport
	if s.auditKey == nil {
		return r, errNoAuditKey
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return r, err
	}
	defer conn.Close()
	begin := `BEGIN DEFERRED`
	if s.engine == Postgres {
		begin = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return r, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	if r.Head, err = auditHead(ctx, conn); err != nil {
		return r, err
	}
	v := audit.NewVerifier(s.auditKey)
	for e, err := range entries(ctx, conn) {
		if err != nil {
			return r, err
		}
		if v.Add(e) != nil {
			break
		}
	}
	r.Chain = v.Finish(r.Head)
	r.Entries = v.Checked()
	checkpoints, err := s.readCheckpoints()
	if err != nil {
		return r, err
	}
	for _, c := range append(checkpoints, extra...) {
		r.Checkpoints++
		if problem := s.checkpointProblem(ctx, conn, c, r.Head); problem != "" {
			r.Rollbacks = append(r.Rollbacks, problem)
		}
	}
	report := func(p RecordProblem) {
		if len(r.RecordProblems) < maxRecordProblems {
			r.RecordProblems = append(r.RecordProblems, p)
		}
	}
	if r.Records, err = s.verifyRecords(ctx, conn, v.Digests(), v.Alarms(), report); err != nil {
		return r, err
	}
	if r.SearchMismatches, err = searchMismatches(ctx, conn); err != nil {
		return r, err
	}
	return r, verifyVisitCounts(ctx, conn, report)
}

// VerifyStatus is the outcome of the last check the server ran by itself.
type VerifyStatus struct {
	At      time.Time
	OK      bool
	Summary string // the first problem found, in Chinese, "" when OK
}

// CheckNow verifies the log as VerifyAudit does and keeps the outcome for
// LastVerify: the server runs it every hour while the log grows, so a
// record changed behind the platform's back is reported within the hour,
// before a later write through the platform could take it in. Rows of the
// log's filtered copy that no longer match it are reported and mended.
func (s *Store) CheckNow(ctx context.Context) (AuditReport, error) {
	r, err := s.VerifyAudit(ctx, nil)
	if err != nil {
		return r, err
	}
	if r.SearchMismatches > 0 {
		if err := s.mendAuditSearch(ctx); err != nil {
			return r, err
		}
	}
	st := VerifyStatus{At: s.clock(), OK: r.OK()}
	switch {
	case r.Chain != nil:
		st.Summary = r.Chain.Error()
	case len(r.Rollbacks) > 0:
		st.Summary = r.Rollbacks[0]
	case len(r.RecordProblems) > 0:
		st.Summary = fmt.Sprintf("%d 条受保护的记录与审计日志不符,如 %s", len(r.RecordProblems), r.RecordProblems[0])
	case r.SearchMismatches > 0:
		st.Summary = SearchProblem(r.SearchMismatches) + ",已按日志更正"
	}
	s.verified.Store(&st)
	return r, nil
}

// LastVerify is the outcome of the server's last check, nil before the first.
func (s *Store) LastVerify() *VerifyStatus { return s.verified.Load() }

// checkpointProblem says how the log disagrees with checkpoint c, "" when
// it agrees: c's entry is still there with the hash c names.
func (s *Store) checkpointProblem(ctx context.Context, q querier, c audit.Checkpoint, head audit.Head) string {
	at := c.At.In(civil.Zone).Format("2006-01-02 15:04")
	if err := s.auditKey.VerifyCheckpoint(c); err != nil {
		return fmt.Sprintf("%s 的检查点(第 %d 条):%v", at, c.Seq, err)
	}
	if c.Seq == 0 {
		return ""
	}
	if c.Seq > head.Seq {
		return fmt.Sprintf("%s 的检查点记载日志已有 %d 条,现在只有 %d 条:日志被回退或清空", at, c.Seq, head.Seq)
	}
	var hash string
	err := q.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, c.Seq).Scan(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Sprintf("%s 的检查点记载的第 %d 条记录已不在日志里", at, c.Seq)
	case err != nil:
		return fmt.Sprintf("%s 的检查点无法核对:%v", at, err)
	case hash != c.Hash:
		return fmt.Sprintf("%s 的检查点记载的第 %d 条记录与日志中的不符:此前的日志被改写", at, c.Seq)
	}
	return ""
}

// Checkpoint signs the chain's current head and appends it to the
// checkpoint file, when the store has one.
func (s *Store) Checkpoint(ctx context.Context) (audit.Checkpoint, error) {
	if s.auditKey == nil {
		return audit.Checkpoint{}, errNoAuditKey
	}
	head, err := s.AuditHead(ctx)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	s.head.Store(&head)
	c := s.auditKey.Checkpoint(head, s.clock())
	if s.checkpoints == "" {
		return c, nil
	}
	f, err := os.OpenFile(s.checkpoints, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return c, fmt.Errorf("检查点文件:%w", err)
	}
	if _, err := f.WriteString(c.String() + "\n"); err != nil {
		f.Close()
		return c, fmt.Errorf("检查点文件:%w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return c, fmt.Errorf("检查点文件:%w", err)
	}
	return c, f.Close()
}

// Statement is the printable text of a checkpoint, for the higher level.
func (s *Store) Statement(c audit.Checkpoint) string { return s.auditKey.Statement(c) }

// readCheckpoints reads the checkpoint file; none yet is no checkpoint.
func (s *Store) readCheckpoints() ([]audit.Checkpoint, error) {
	if s.checkpoints == "" {
		return nil, nil
	}
	f, err := os.Open(s.checkpoints)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cs, err := audit.ReadCheckpoints(f)
	if err != nil {
		return nil, fmt.Errorf("检查点文件 %s:%w", s.checkpoints, err)
	}
	return cs, nil
}
