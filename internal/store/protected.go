package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
)

// A protected table holds records whose content the audit log vouches for:
// every write through the platform leaves, in its audit entry, a keyed
// digest of each record it touched (audit.RecordDigest), and `huanjie audit
// verify` reports every record whose content no longer matches its last
// audited write. Database triggers (migration 00008) note the records a
// transaction touches in audit_touched, so no write path can forget it;
// Write turns those notes into digests before it commits.
//
// Adding a column to a protected table changes every digest: the migration
// that does it must re-seal the records (verify them under the old columns,
// then digest them under the new ones in an audited entry).
type protectedTable struct {
	table   string
	label   string    // what the records are, in Chinese, for the report
	keys    [2]string // the key columns; the second "" for a one-column key
	columns string    // the content the digest covers, as a SELECT list over t
	org     string    // SQL giving the id of the record's unit, over t
	blank   string    // a condition under which a record needs no digest yet ("" for never)
}

// protectedTables are the records an election office must be able to vouch
// for after the vote. Each has triggers in migration 00008; a test checks it.
var protectedTables = []protectedTable{
	{table: "aspirants", label: "参选人", keys: [2]string{"id"},
		columns: `t.cycle_id, t.org_id, t.name, t.id_sealed, t.id_index, t.phone_sealed, t.sex, t.age, t.ethnicity, t.party,
			t.committee, t.post, t.cross_post, t.education, t.current_post, t.photo, t.status, t.reviewed, t.findings,
			t.created_by, t.created_at, t.updated_at`,
		org: `t.org_id`},
	// A request is created unanswered in a set-based round of up to millions;
	// its answer is what is protected, from the moment it is given.
	{table: "review_requests", label: "联审答复", keys: [2]string{"id"},
		columns: `t.round_id, t.aspirant_id, t.department_id, t.deadline, t.verdict, t.conditions, t.note, t.attachment,
			t.answered_by, t.answered_at`,
		org:   `(SELECT a.org_id FROM aspirants a WHERE a.id = t.aspirant_id)`,
		blank: `t.verdict = '' AND t.conditions = '' AND t.note = '' AND t.attachment = '' AND t.answered_by = '' AND t.answered_at IS NULL`},
	{table: "review_decisions", label: "二次审核决定", keys: [2]string{"id"},
		columns: `t.meeting_id, t.aspirant_id, t.outcome, t.condition, t.case_id, t.persuaded_by, t.persuaded_on, t.withdrawn,
			t.persuasion_note, t.note, t.decided_by, t.decided_at`,
		org: `(SELECT a.org_id FROM aspirants a WHERE a.id = t.aspirant_id)`},
	{table: "cases", label: "案件", keys: [2]string{"id"},
		columns: `t.cycle_id, t.org_id, t.source, t.tip_id, t.summary, t.parties, t.status, t.outcome, t.outcome_note,
			t.created_by, t.created_at, t.updated_at`,
		org: `t.org_id`},
	{table: "case_aspirants", label: "案件涉及的参选人", keys: [2]string{"case_id", "aspirant_id"},
		columns: `t.case_id, t.aspirant_id`,
		org:     `(SELECT c.org_id FROM cases c WHERE c.id = t.case_id)`},
	{table: "assessments", label: "研判", keys: [2]string{"id"},
		columns: `t.org_id, t.cycle_id, t.assessed_on, t.assessors, t.findings, t.scores, t.total, t.max_total, t.computed_class,
			t.explanation, t.created_by, t.created_at`,
		org: `t.org_id`},
	// The class in force and the office's override; the explanation and the
	// time of the last reclassification are derived and left out.
	{table: "standings", label: "社区类别及人工调整", keys: [2]string{"org_id", "cycle_id"},
		columns: `t.assessment_id, t.computed_class, t.override_class, t.override_reason, t.override_by, t.override_at, t.class`,
		org:     `t.org_id`},
	{table: "ledger_items", label: "台账事项", keys: [2]string{"id"},
		columns: `t.cycle_id, t.org_id, t.source, t.source_ref, t.content, t.risk, t.owner, t.leader, t.due_on, t.status,
			t.closed_on, t.closing_note, t.closing_file, t.created_on, t.created_by, t.created_at, t.updated_at`,
		org: `t.org_id`},
}

func protectedByName(name string) (protectedTable, bool) {
	for _, p := range protectedTables {
		if p.table == name {
			return p, true
		}
	}
	return protectedTable{}, false
}

// recordKey is a protected record's key as the log names it: "12" or "12:3".
func recordKey(k1, k2 int64, two bool) string {
	if two {
		return strconv.FormatInt(k1, 10) + ":" + strconv.FormatInt(k2, 10)
	}
	return strconv.FormatInt(k1, 10)
}

func (p protectedTable) twoKeys() bool { return p.keys[1] != "" }

func (p protectedTable) keySelect() string {
	if p.twoKeys() {
		return "t." + p.keys[0] + ", t." + p.keys[1]
	}
	return "t." + p.keys[0] + ", 0"
}

func (p protectedTable) ncolumns() int { return strings.Count(p.columns, ",") + 1 }

// scanContent reads a row of key, key, then the content columns.
func (p protectedTable) scanContent(rows *sql.Rows, extra ...any) (k1, k2 int64, values []any, err error) {
	values = make([]any, p.ncolumns())
	dest := append([]any{&k1, &k2}, extra...)
	for i := range values {
		dest = append(dest, &values[i])
	}
	err = rows.Scan(dest...)
	return k1, k2, values, err
}

type touchedKey struct{ k1, k2 int64 }

// touchedDigests turns the records the transaction touched (noted by the
// triggers) into digests of their content as it is now, and clears the notes.
func (t *Tx) touchedDigests(ctx context.Context) ([]audit.Digest, error) {
	q := `DELETE FROM audit_touched RETURNING tbl, k1, k2`
	if t.s.engine == Postgres {
		q = `DELETE FROM audit_touched WHERE txid = txid_current() RETURNING tbl, k1, k2`
	}
	rows, err := t.tx.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("touched records: %w", err)
	}
	touched := map[string]map[touchedKey]bool{}
	for rows.Next() {
		var tbl string
		var k touchedKey
		if err := rows.Scan(&tbl, &k.k1, &k.k2); err != nil {
			rows.Close()
			return nil, err
		}
		if touched[tbl] == nil {
			touched[tbl] = map[touchedKey]bool{}
		}
		touched[tbl][k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []audit.Digest
	for tbl, keys := range touched {
		p, ok := protectedByName(tbl)
		if !ok {
			return nil, fmt.Errorf("touched records of %s, which is not protected", tbl)
		}
		ds, err := t.digestsOf(ctx, p, keys)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	return out, nil
}

// digestsOf reads the touched records of one table, a thousand at a time,
// and digests them; a record no longer there was deleted.
func (t *Tx) digestsOf(ctx context.Context, p protectedTable, keys map[touchedKey]bool) ([]audit.Digest, error) {
	firsts := make([]int64, 0, len(keys))
	seen := map[int64]bool{}
	for k := range keys {
		if !seen[k.k1] {
			seen[k.k1] = true
			firsts = append(firsts, k.k1)
		}
	}
	found := map[touchedKey]bool{}
	var out []audit.Digest
	const chunk = 1000
	for start := 0; start < len(firsts); start += chunk {
		part := firsts[start:min(start+chunk, len(firsts))]
		args := make([]any, len(part))
		marks := make([]string, len(part))
		for i, id := range part {
			args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
		}
		rows, err := t.tx.QueryContext(ctx, `SELECT `+p.keySelect()+`, `+p.columns+` FROM `+p.table+` t WHERE t.`+p.keys[0]+
			` IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("digest %s: %w", p.table, err)
		}
		for rows.Next() {
			k1, k2, values, err := p.scanContent(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			k := touchedKey{k1, k2}
			if !keys[k] {
				continue // another record under the same first key (another cycle's standing)
			}
			found[k] = true
			key := recordKey(k1, k2, p.twoKeys())
			out = append(out, audit.Digest{Table: p.table, Key: key, Sum: t.s.auditKey.RecordDigest(p.table, key, values)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for k := range keys {
		if !found[k] {
			out = append(out, audit.Digest{Table: p.table, Key: recordKey(k.k1, k.k2, p.twoKeys()), Sum: audit.Deleted})
		}
	}
	return out, nil
}

// RecordProblem is a protected record whose content the log does not vouch for.
type RecordProblem struct {
	Table, Label string // table and what its records are
	Key          string // the record's key, "12" or "12:3"
	Community    string // code and name of the unit it belongs to, when it still exists
	Reason       string
}

func (p RecordProblem) String() string {
	where := ""
	if p.Community != "" {
		where = "(" + p.Community + ")"
	}
	return fmt.Sprintf("%s 第 %s 号%s:%s", p.Label, p.Key, where, p.Reason)
}

// verifyRecords compares every protected record with the last digest the
// intact chain gave it. It returns how many records it read.
func (s *Store) verifyRecords(ctx context.Context, q querier, digests map[string]string, report func(RecordProblem)) (int, error) {
	n := 0
	for _, p := range protectedTables {
		blank := "FALSE"
		if p.blank != "" {
			blank = "CASE WHEN " + p.blank + " THEN TRUE ELSE FALSE END"
		}
		rows, err := q.QueryContext(ctx, `SELECT `+p.keySelect()+`, COALESCE(o.code || ' ' || o.name, ''), `+blank+`, `+p.columns+
			` FROM `+p.table+` t LEFT JOIN orgs o ON o.id = `+p.org)
		if err != nil {
			return n, fmt.Errorf("verify %s: %w", p.table, err)
		}
		for rows.Next() {
			var unit string
			var isBlank bool
			k1, k2, values, err := p.scanContent(rows, &unit, &isBlank)
			if err != nil {
				rows.Close()
				return n, err
			}
			n++
			key := recordKey(k1, k2, p.twoKeys())
			name := audit.RecordName(p.table, key)
			want, ok := digests[name]
			delete(digests, name)
			problem := RecordProblem{Table: p.table, Label: p.label, Key: key, Community: unit}
			switch {
			case !ok && isBlank:
			case !ok:
				problem.Reason = "没有经平台写入的记录,是在数据库里直接添加或改动的"
				report(problem)
			case want == audit.Deleted:
				problem.Reason = "审计日志记载该记录已删除,数据库里却还有"
				report(problem)
			case want != s.auditKey.RecordDigest(p.table, key, values):
				problem.Reason = "内容与最后一次经平台写入时不符,在数据库里被直接改动过"
				report(problem)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	for name, sum := range digests {
		if sum == audit.Deleted {
			continue
		}
		tbl, key, _ := strings.Cut(name, "/")
		p, ok := protectedByName(tbl)
		if !ok {
			continue
		}
		report(RecordProblem{Table: tbl, Label: p.label, Key: key, Reason: "审计日志记载的记录在数据库里不见了,被直接删除"})
	}
	return n, nil
}

// allDigests digests every protected record as it is, for the entry that
// starts vouching for a log sealed before the platform had a key.
func (t *Tx) allDigests(ctx context.Context) ([]audit.Digest, error) {
	var out []audit.Digest
	for _, p := range protectedTables {
		rows, err := t.tx.QueryContext(ctx, `SELECT `+p.keySelect()+`, `+p.columns+` FROM `+p.table+` t`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			k1, k2, values, err := p.scanContent(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			key := recordKey(k1, k2, p.twoKeys())
			out = append(out, audit.Digest{Table: p.table, Key: key, Sum: t.s.auditKey.RecordDigest(p.table, key, values)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
