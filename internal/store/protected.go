package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
)

// A protected table holds records whose content the audit log vouches for.
// A record's content is its declared columns as the database writes them as
// one JSON array (contentOf); every write through the platform leaves, in its
// audit entry, a keyed digest of the new content of each record it touched
// (audit.RecordDigest), and keeps that digest on the record (audit_digest).
// `huanjie audit verify` reports every record whose content no longer matches
// its last audited write.
//
// Triggers note the records a transaction touches, with the content each
// had before (its JSON and its audit_digest): on PostgreSQL the database's,
// in audit_touched (migration 00008 and those after it), on SQLite the
// writer connection's, to the store itself (touched.go). So no write path can forget
// it, and a write through the platform checks what it is about to change:
// content that no longer matches its digest was changed behind the
// platform's back, and the entry records the finding (an alarm) instead of
// quietly vouching for it.
//
// Adding a column to a protected table changes every digest: the migration
// that does it must re-seal the records (verify them under the old columns,
// then digest them under the new ones in an audited entry), and change the
// table's PostgreSQL triggers to the same column list (SQLite's follow the
// declaration: touched.go).
type protectedTable struct {
	table   string
	label   string    // what the records are, in Chinese, for the report
	keys    [2]string // the key columns; the second "" for a one-column key
	columns []string  // the content the digest covers, in order; the triggers list the same
	org     string    // SQL giving the id of the record's unit, over t
	// blank tells, from its content, a record created empty in bulk that
	// needs no digest until its first audited write; nil for never.
	blank func(content []any) bool
}

// protectedTables are the records an election office must be able to vouch
// for after the vote. Each has triggers: on PostgreSQL in migration 00008
// (the cases' are redone in 00009 with the decision day) and those that
// added the tables after it, on SQLite made from this declaration
// (touched.go); a test checks that they note the same content as
// contentOf.
var protectedTables = []protectedTable{
	{table: "aspirants", label: "参选人", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id name id_sealed id_index phone_sealed sex age ethnicity party committee post
			cross_post education current_post photo status reviewed findings created_by created_at updated_at`),
		org: `t.org_id`},
	// A request is created unanswered in a set-based round of up to millions;
	// its answer is what is protected, from the moment it is given.
	{table: "review_requests", label: "联审答复", keys: [2]string{"id"},
		columns: strings.Fields(`round_id aspirant_id department_id deadline verdict conditions note attachment answered_by answered_at`),
		org:     `(SELECT a.org_id FROM aspirants a WHERE a.id = t.aspirant_id)`,
		blank: func(c []any) bool {
			return len(c) == 10 && c[4] == "" && c[5] == "" && c[6] == "" && c[7] == "" && c[8] == "" && c[9] == nil
		}},
	{table: "review_decisions", label: "二次审核决定", keys: [2]string{"id"},
		columns: strings.Fields(`meeting_id aspirant_id outcome condition case_id persuaded_by persuaded_on withdrawn
			persuasion_note note decided_by decided_at`),
		org: `(SELECT a.org_id FROM aspirants a WHERE a.id = t.aspirant_id)`},
	{table: "cases", label: "案件", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id source tip_id summary parties status outcome outcome_note created_by created_at updated_at
			decided_on`),
		org: `t.org_id`},
	{table: "case_aspirants", label: "案件涉及的参选人", keys: [2]string{"case_id", "aspirant_id"},
		columns: []string{"case_id", "aspirant_id"},
		org:     `(SELECT c.org_id FROM cases c WHERE c.id = t.case_id)`},
	{table: "assessments", label: "研判", keys: [2]string{"id"},
		columns: strings.Fields(`org_id cycle_id assessed_on assessors findings scores total max_total computed_class explanation
			created_by created_at`),
		org: `t.org_id`},
	// The class in force and the office's override; the explanation and the
	// time of the last reclassification are derived and left out.
	{table: "standings", label: "社区类别及人工调整", keys: [2]string{"org_id", "cycle_id"},
		columns: strings.Fields(`assessment_id computed_class override_class override_reason override_by override_at class`),
		org:     `t.org_id`},
	// The third gate: each person's assessment with the party committee's
	// decision, the higher level's approval and the notice; the objections
	// to a notice with their results (migration 00023).
	{table: "candidate_assessments", label: "人选考察及预备人选决定", keys: [2]string{"aspirant_id", "cycle_id"},
		columns: strings.Fields(`org_id talks talked excellent competent basic incompetent opinion conclusion assessed_by assessed_at
			decision decision_day decision_note higher_day higher_doc notice_start notice_end`),
		org: `t.org_id`},
	{table: "candidate_objections", label: "公示异议", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id aspirant_id day content handling result recorded_by recorded_at`),
		org:     `(SELECT a.org_id FROM aspirants a WHERE a.id = t.aspirant_id)`},
	// The electorate and polling (issue 15, points 1 and 2; migration
	// 00025): the register's publication, the register, its objections,
	// the party members' attendance, the stations and their staff, and
	// the proxies.
	{table: "electorates", label: "选民名单公布及选举方式", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id mode published_on updated_by updated_at`),
		org:     `t.org_id`},
	{table: "voters", label: "选民登记", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id name sex birth_date group_name kind source removed_on removed_reason created_by created_at`),
		org:     `t.org_id`},
	{table: "voter_objections", label: "选民名单异议", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id filed_on filer kind voter_id name sex birth_date group_name reg_kind reason decision answer
			answered_on answered_by result_voter recorded_by recorded_at`),
		org: `t.org_id`},
	{table: "party_members", label: "党员表决权及到会", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id name sex birth_date status excused present created_by created_at`),
		org:     `t.org_id`},
	{table: "polling_stations", label: "投票站", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id committee name kind place opens closes route serves created_by created_at`),
		org:     `t.org_id`},
	{table: "station_staff", label: "投票站工作人员", keys: [2]string{"id"},
		columns: strings.Fields(`station_id role name created_by created_at`),
		org:     `(SELECT s.org_id FROM polling_stations s WHERE s.id = t.station_id)`},
	{table: "proxies", label: "委托投票", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id giver_id holder_id relation written_on created_by created_at`),
		org:     `t.org_id`},
	// Counting (issue 15, migration 00026): the ballots with their
	// electorate and outcome state, the stations counted apart, each clerk's
	// entry of a count sheet, the differences of two entries with the
	// coordinator's resolution, the warnings acknowledged and the ballots
	// read aloud one by one.
	{table: "ballots", label: "投票", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id committee round seq day seats candidates registered should_attend present state
			void_reason rerun_by total opened_by opened_at closed_by closed_at`),
		org: `t.org_id`},
	{table: "count_units", label: "计票点", keys: [2]string{"id"},
		columns: strings.Fields(`ballot_id seq name kind status resolution tally tally_read tally_done confirmed_by confirmed_at`),
		org:     `(SELECT b.org_id FROM ballots b WHERE b.id = t.ballot_id)`},
	{table: "unit_stations", label: "计票点所属投票站", keys: [2]string{"unit_id"},
		columns: []string{"station_id"}, org: unitOrg},
	{table: "count_entries", label: "计票录入", keys: [2]string{"unit_id", "n"},
		columns: strings.Fields(`clerk count final returned saved_at`),
		org:     unitOrg},
	{table: "count_differences", label: "两次录入的不一致", keys: [2]string{"id"},
		columns: strings.Fields(`unit_id comparison field label first_value second_value resolution resolved_by resolved_at`),
		org:     unitOrg},
	{table: "count_acks", label: "计票提醒的确认", keys: [2]string{"id"},
		columns: strings.Fields(`ballot_id unit_id code message acked_by acked_at`),
		org:     `(SELECT b.org_id FROM ballots b WHERE b.id = t.ballot_id)`},
	{table: "tally_ballots", label: "唱票记录", keys: [2]string{"id"},
		columns: strings.Fields(`unit_id seq marks valid reason read_by read_at`),
		org:     unitOrg},
	// The outcome decided on a confirmed ballot (migration 00028).
	{table: "ballot_outcomes", label: "投票的选举结果", keys: [2]string{"ballot_id"},
		columns: strings.Fields(`valid outcome settings decided_by decided_at`),
		org:     `(SELECT b.org_id FROM ballots b WHERE b.id = t.ballot_id)`},
	// What the office entered of a person written in and elected, per
	// ballot and name (migration 00032): it decides who takes the seat.
	{table: "written_in_details", label: "另选他人当选人员信息", keys: [2]string{"id"},
		columns: strings.Fields(`ballot_id name sex birth_date education party recorded_by recorded_at`),
		org:     `(SELECT b.org_id FROM ballots b WHERE b.id = t.ballot_id)`},
	// The results (migration 00027): who was elected, the party committee's
	// officers and the higher level's approval, every comparison with the
	// predicted slate.
	{table: "elected_members", label: "当选人员", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id committee seq aspirant_id name sex birth_date education party post votes base round
			reelected elected_on age set_by set_at`),
		org: `t.org_id`},
	{table: "party_officers", label: "书记副书记选举及上级批准", keys: [2]string{"org_id", "cycle_id"},
		columns: strings.Fields(`elected_on approved_on approval_doc set_by set_at approved_by approved_at`),
		org:     `t.org_id`},
	{table: "slate_matches", label: "预判与选举结果比对", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id committee generation post seat aspirant_id name outcome elected_post elected_names
			compared_by compared_at`),
		org: `t.org_id`},
	// The five-year programmes (migration 00034): the committee's public
	// commitment for its term, as the residents' representatives adopted
	// it, what became of each proposal it was built from, and the progress
	// reported on each milestone.
	{table: "programmes", label: "五年施政纲领及其通过", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id title start_year end_year status adopted_on meeting document archive_file_id adopted_by
			created_by created_at updated_by updated_at`),
		org: `t.org_id`},
	{table: "programme_goals", label: "施政纲领目标及措施", keys: [2]string{"id"},
		columns: strings.Fields(`programme_id seq title area measures created_by created_at updated_by updated_at`),
		org:     `(SELECT p.org_id FROM programmes p WHERE p.id = t.programme_id)`},
	{table: "programme_milestones", label: "施政纲领年度里程碑及进展", keys: [2]string{"id"},
		columns: strings.Fields(`goal_id year text state note reported_on reported_by set_by set_at`),
		org:     `(SELECT p.org_id FROM programme_goals g JOIN programmes p ON p.id = g.programme_id WHERE g.id = t.goal_id)`},
	{table: "programme_dispositions", label: "问计于民建议的处理", keys: [2]string{"visit_id"},
		columns: strings.Fields(`programme_id outcome goal_id note decided_by decided_at`),
		org:     `(SELECT p.org_id FROM programmes p WHERE p.id = t.programme_id)`},
	{table: "ledger_items", label: "台账事项", keys: [2]string{"id"},
		columns: strings.Fields(`cycle_id org_id source source_ref content risk owner leader due_on status closed_on closing_note
			closing_file created_on created_by created_at updated_at`),
		org: `t.org_id`},
}

// unitOrg is the unit of a record of a count unit (t.unit_id).
const unitOrg = `(SELECT b.org_id FROM count_units u JOIN ballots b ON b.id = u.ballot_id WHERE u.id = t.unit_id)`

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

// contentOf is the SQL of a record's content over alias t: its columns as
// one JSON array, written by the engine itself so that the triggers, which
// write OLD's the same way, give the same text for the same content.
func (s *Store) contentOf(p protectedTable) string {
	cols := make([]string, len(p.columns))
	for i, c := range p.columns {
		cols[i] = "t." + c
	}
	if s.engine == Postgres {
		return `json_build_array(` + strings.Join(cols, ", ") + `)::text`
	}
	return `json_array(` + strings.Join(cols, ", ") + `)`
}

func (p protectedTable) isBlank(content string) bool {
	if p.blank == nil {
		return false
	}
	var values []any
	return json.Unmarshal([]byte(content), &values) == nil && p.blank(values)
}

type touchedKey struct{ k1, k2 int64 }

// touchedRecord is what a transaction did to one protected record: the
// content it had before the transaction first touched it (none for a record
// the transaction inserted) and the digest then kept on it.
type touchedRecord struct {
	before       sql.NullString
	beforeDigest sql.NullString
	after        sql.NullString // on SQLite, its content after the transaction's last write of it; none if deleted
}

// touchedDigests turns the records the transaction touched (noted by the
// triggers) into digests of their content as it is now, keeps each digest
// on its record (on PostgreSQL it returns the statement that does, which
// seal sends with the entries), and clears the notes. A record whose
// content before the transaction no longer matched the digest kept on it
// was changed behind the platform's back: it is returned as an alarm.
func (t *Tx) touchedDigests(ctx context.Context) ([]audit.Digest, []audit.Alarm, digestUpdates, error) {
	type note struct {
		n   int64
		tbl string
		k   touchedKey
		r   touchedRecord
	}
	var notes []note
	if t.s.engine == SQLite {
		for i, x := range t.s.notes.take() {
			notes = append(notes, note{n: int64(i), tbl: x.tbl, k: touchedKey{x.k1, x.k2},
				r: touchedRecord{before: x.old, beforeDigest: x.oldDigest, after: x.new}})
		}
	} else {
		rows, err := t.tx.QueryContext(ctx, `DELETE FROM audit_touched WHERE txid = txid_current() RETURNING n, tbl, k1, k2, old, old_digest`)
		if err != nil {
			return nil, nil, digestUpdates{}, fmt.Errorf("touched records: %w", err)
		}
		for rows.Next() {
			var x note
			if err := rows.Scan(&x.n, &x.tbl, &x.k.k1, &x.k.k2, &x.r.before, &x.r.beforeDigest); err != nil {
				rows.Close()
				return nil, nil, digestUpdates{}, err
			}
			notes = append(notes, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, digestUpdates{}, err
		}
	}
	// The first note of a record tells what it was before this transaction,
	// the last what it is now.
	slices.SortFunc(notes, func(a, b note) int { return int(a.n - b.n) })
	touched := map[string]map[touchedKey]touchedRecord{}
	for _, x := range notes {
		if touched[x.tbl] == nil {
			touched[x.tbl] = map[touchedKey]touchedRecord{}
		}
		r, seen := touched[x.tbl][x.k]
		if !seen {
			r = x.r
		}
		r.after = x.r.after
		touched[x.tbl][x.k] = r
	}
	var alarms []audit.Alarm
	var tables []protectedTable
	var keys []map[touchedKey]touchedRecord
	for _, tbl := range slices.Sorted(maps.Keys(touched)) { // one text of the statements for one set of tables
		records := touched[tbl]
		p, ok := protectedByName(tbl)
		if !ok {
			return nil, nil, digestUpdates{}, fmt.Errorf("touched records of %s, which is not protected", tbl)
		}
		for k, r := range records {
			if !r.before.Valid {
				continue // inserted by this transaction
			}
			key := recordKey(k.k1, k.k2, p.twoKeys())
			vouched := r.beforeDigest.String != "" && r.beforeDigest.String == t.s.auditKey.RecordDigest(p.table, key, r.before.String)
			if !vouched && !(r.beforeDigest.String == "" && p.isBlank(r.before.String)) {
				alarms = append(alarms, audit.Alarm{Table: p.table, Key: key})
			}
		}
		tables, keys = append(tables, p), append(keys, records)
	}
	if len(tables) == 0 {
		return nil, alarms, digestUpdates{}, nil
	}
	if t.s.engine == SQLite {
		digests, keep, err := t.digestsNoted(ctx, tables, keys)
		return digests, alarms, keep, err
	}
	digests, keep, err := t.digestsAmong(ctx, tables, keys)
	return digests, alarms, keep, err
}

// digestsNoted digests the touched records of tables (keys[i] those of
// tables[i]) from the content SQLite's notes give after the last write of
// each (touched.go), and keeps the digests on them where the records still
// have that content: the records are not read again. Where one has not (a
// statement failed after its trigger noted it, and the write went on), or
// the write deleted a record, they are read and digested as they are
// (digestsAmong).
func (t *Tx) digestsNoted(ctx context.Context, tables []protectedTable, keys []map[touchedKey]touchedRecord) ([]audit.Digest, digestUpdates, error) {
	var out []audit.Digest
	kept := make([][]touchedKey, len(tables))
	digests := make([][]audit.Digest, len(tables))
	contents := make([][]string, len(tables))
	for i, p := range tables {
		for k, r := range keys[i] {
			if !r.after.Valid {
				return t.digestsAmong(ctx, tables, keys)
			}
			key := recordKey(k.k1, k.k2, p.twoKeys())
			kept[i] = append(kept[i], k)
			contents[i] = append(contents[i], r.after.String)
			digests[i] = append(digests[i], audit.Digest{Table: p.table, Key: key, Sum: t.s.auditKey.RecordDigest(p.table, key, r.after.String)})
		}
		out = append(out, digests[i]...)
	}
	keep, all, err := t.keepDigests(ctx, tables, kept, digests, contents)
	if err == nil && !all {
		return t.digestsAmong(ctx, tables, keys)
	}
	return out, keep, err
}

// digestsAmong reads the touched records of tables (keys[i] those of
// tables[i]) and digests them; a record no longer there was deleted. One
// statement reads them all. The digests are kept on their records at once
// on SQLite; on PostgreSQL the statement that keeps them is returned, for
// the caller to send (digestUpdates): each statement is a round trip there,
// and an assessment touches two tables, a review answer two.
// A round of review touches 100,000 aspirants at once: a table's keys go
// in as one parameter (anyID), not as a parameter each.
func (t *Tx) digestsAmong(ctx context.Context, tables []protectedTable, keys []map[touchedKey]touchedRecord) ([]audit.Digest, digestUpdates, error) {
	var args []any
	reads := make([]string, len(tables))
	for i, p := range tables {
		firsts := make([]int64, 0, len(keys[i]))
		seen := map[int64]bool{}
		for k := range keys[i] {
			if !seen[k.k1] {
				seen[k.k1] = true
				firsts = append(firsts, k.k1)
			}
		}
		reads[i] = `SELECT ` + strconv.Itoa(i) + `, ` + p.keySelect() + `, ` + t.s.contentOf(p) + ` FROM ` + p.table + ` t WHERE ` +
			t.s.anyID("t."+p.keys[0], &args, firsts)
	}
	// The comment names the statement as the audit's (huanjie-bench leaves
	// the audit's statements out of its bare baseline).
	rows, err := t.tx.QueryContext(ctx, `/* audit */ `+strings.Join(reads, ` UNION ALL `), args...)
	if err != nil {
		return nil, digestUpdates{}, fmt.Errorf("digest %s: %w", tables[0].table, err)
	}
	found := make([]map[touchedKey]bool, len(tables))
	digests := make([][]audit.Digest, len(tables))
	kept := make([][]touchedKey, len(tables))
	for rows.Next() {
		var i int
		var k touchedKey
		var content string
		if err := rows.Scan(&i, &k.k1, &k.k2, &content); err != nil {
			rows.Close()
			return nil, digestUpdates{}, err
		}
		if _, ok := keys[i][k]; !ok {
			continue // another record under the same first key (another cycle's standing)
		}
		if found[i] == nil {
			found[i] = map[touchedKey]bool{}
		}
		found[i][k] = true
		p := tables[i]
		key := recordKey(k.k1, k.k2, p.twoKeys())
		digests[i] = append(digests[i], audit.Digest{Table: p.table, Key: key, Sum: t.s.auditKey.RecordDigest(p.table, key, content)})
		kept[i] = append(kept[i], k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, digestUpdates{}, err
	}
	keep, _, err := t.keepDigests(ctx, tables, kept, digests, nil)
	if err != nil {
		return nil, keep, err
	}
	var out []audit.Digest
	for i, p := range tables {
		out = append(out, digests[i]...)
		for k := range keys[i] {
			if !found[i][k] {
				out = append(out, audit.Digest{Table: p.table, Key: recordKey(k.k1, k.k2, p.twoKeys()), Sum: audit.Deleted})
			}
		}
	}
	return out, keep, nil
}

// keepDigests writes each record's new digest on it (keys[i] and ds[i] of
// tables[i]): on SQLite at once, a statement a table, by its key for one
// record and over one JSON object for more; on PostgreSQL it returns the
// updates, one a table over arrays (or values for one record), for one
// statement the caller sends. Writing audit_digest alone fires no trigger.
// With contents (SQLite), a record's digest is written only if the record
// has contents[i][j], its content the digest was taken of: all tells
// whether every record had.
func (t *Tx) keepDigests(ctx context.Context, tables []protectedTable, keys [][]touchedKey, ds [][]audit.Digest,
	contents [][]string) (u digestUpdates, all bool, err error) {
	all = true
	// keep runs one of SQLite's updates, which with contents should update want records.
	keep := func(update string, want int, args ...any) error {
		res, err := t.exec(ctx, update, args...)
		if err != nil || contents == nil {
			return err
		}
		n, err := res.RowsAffected()
		all = all && n == int64(want)
		return err
	}
	for i, p := range tables {
		if len(keys[i]) == 0 {
			continue
		}
		if len(keys[i]) == 1 { // one value each, not arrays (anyID) or a JSON object
			args := []any{}
			if t.s.engine == Postgres {
				args = u.args // one statement with the others' (before)
			}
			n, k := len(args), keys[i][0]
			args = append(args, ds[i][0].Sum, k.k1)
			by := fmt.Sprintf(`t.%s = $%d`, p.keys[0], n+2)
			if p.twoKeys() {
				args = append(args, k.k2)
				by += fmt.Sprintf(` AND t.%s = $%d`, p.keys[1], n+3)
			}
			if contents != nil {
				args = append(args, contents[i][0])
				by += fmt.Sprintf(` AND %s = $%d`, t.s.contentOf(p), len(args))
			}
			update := fmt.Sprintf(`UPDATE %s AS t SET audit_digest = $%d WHERE %s`, p.table, n+1, by)
			if t.s.engine == Postgres {
				u.args, u.updates = args, append(u.updates, update)
				continue
			}
			if err := keep(update, 1, args...); err != nil {
				return u, false, err
			}
			continue
		}
		if t.s.engine == Postgres {
			where := `t.` + p.keys[0] + ` = d.k1`
			if p.twoKeys() {
				where += ` AND t.` + p.keys[1] + ` = d.k2`
			}
			k1, k2, sums := make([]int64, len(keys[i])), make([]int64, len(keys[i])), make([]string, len(keys[i]))
			for j, k := range keys[i] {
				k1[j], k2[j], sums[j] = k.k1, k.k2, ds[i][j].Sum
			}
			u.args = append(u.args, k1, k2, sums)
			n := len(u.args)
			u.updates = append(u.updates, fmt.Sprintf(`UPDATE %s t SET audit_digest = d.sum FROM unnest($%d::bigint[], $%d::bigint[], $%d::text[])
				AS d(k1, k2, sum) WHERE %s`, p.table, n-2, n-1, n, where))
			continue
		}
		// A JSON object of the records' keys: their digests, or with
		// contents [digest, content].
		values := make(map[string]any, len(keys[i]))
		for j, d := range ds[i] {
			if contents != nil {
				values[d.Key] = [2]string{d.Sum, contents[i][j]}
			} else {
				values[d.Key] = d.Sum
			}
		}
		raw, err := json.Marshal(values)
		if err != nil {
			return u, false, err
		}
		set, where := `d.value`, `t.`+p.keys[0]+` = CAST(d.key AS INTEGER)`
		if p.twoKeys() {
			where = `t.` + p.keys[0] + ` = CAST(substr(d.key, 1, instr(d.key, ':') - 1) AS INTEGER)
			AND t.` + p.keys[1] + ` = CAST(substr(d.key, instr(d.key, ':') + 1) AS INTEGER)`
		}
		if contents != nil {
			set, where = `d.value ->> 0`, where+` AND `+t.s.contentOf(p)+` = d.value ->> 1`
		}
		if err := keep(`UPDATE `+p.table+` AS t SET audit_digest = `+set+` FROM json_each($1) AS d WHERE `+where, len(keys[i]), string(raw)); err != nil {
			return u, false, err
		}
	}
	return u, all, nil
}

// digestUpdates are PostgreSQL's updates that keep the digests on their
// records, a table each, with their arguments; none on SQLite, where
// keepDigests has run them.
type digestUpdates struct {
	updates []string
	args    []any
}

// before is one statement: the updates as the WITH of final, a statement
// whose placeholders come after the updates' arguments; with final "", the
// last update with the others as its WITH. The updates run whether or not
// final reads them.
func (u digestUpdates) before(final string) string {
	if len(u.updates) == 0 {
		return final
	}
	last := len(u.updates)
	if final == "" {
		last--
		final = u.updates[last]
	}
	if last == 0 {
		return final
	}
	with := make([]string, last)
	for i, q := range u.updates[:last] {
		with[i] = `k` + strconv.Itoa(i) + ` AS (` + q + `)`
	}
	return `WITH ` + strings.Join(with, `, `) + ` ` + final
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
// intact chain gave it, and reports the alarms the chain's writes raised.
// It returns how many records it read.
func (s *Store) verifyRecords(ctx context.Context, q querier, digests map[string]string, alarms []audit.Found,
	report func(RecordProblem)) (int, error) {
	n := 0
	communities := map[string]string{}
	for _, p := range protectedTables {
		rows, err := q.QueryContext(ctx, `SELECT `+p.keySelect()+`, COALESCE(o.code || ' ' || o.name, ''), `+s.contentOf(p)+
			` FROM `+p.table+` t LEFT JOIN orgs o ON o.id = `+p.org)
		if err != nil {
			return n, fmt.Errorf("verify %s: %w", p.table, err)
		}
		for rows.Next() {
			var k1, k2 int64
			var unit, content string
			if err := rows.Scan(&k1, &k2, &unit, &content); err != nil {
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
			case !ok && p.isBlank(content):
			case !ok:
				problem.Reason = "没有经平台写入的记录,是在数据库里直接添加或改动的"
				report(problem)
			case want == audit.Deleted:
				problem.Reason = "审计日志记载该记录已删除,数据库里却还有"
				report(problem)
			case want != s.auditKey.RecordDigest(p.table, key, content):
				problem.Reason = "内容与最后一次经平台写入时不符,在数据库里被直接改动过"
				report(problem)
			}
			if len(alarms) > 0 {
				communities[name] = unit
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
		if p, ok := protectedByName(tbl); ok {
			report(RecordProblem{Table: tbl, Label: p.label, Key: key, Reason: "审计日志记载的记录在数据库里不见了,被直接删除"})
		}
	}
	for _, a := range alarms {
		tbl, key, _ := strings.Cut(a.Record, "/")
		if p, ok := protectedByName(tbl); ok {
			report(RecordProblem{Table: tbl, Label: p.label, Key: key, Community: communities[a.Record],
				Reason: fmt.Sprintf("第 %d 条记录写入时发现它此前已在数据库里被直接改动,日志保留此发现", a.Seq)})
		}
	}
	return n, nil
}

// allDigests digests every protected record as it is and keeps the digest
// on it, for the entry that starts vouching for a log sealed before the
// platform had a key.
func (t *Tx) allDigests(ctx context.Context) ([]audit.Digest, error) {
	var out []audit.Digest
	for _, p := range protectedTables {
		keys := map[touchedKey]touchedRecord{}
		rows, err := t.tx.QueryContext(ctx, `SELECT `+p.keySelect()+` FROM `+p.table+` t`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k touchedKey
			if err := rows.Scan(&k.k1, &k.k2); err != nil {
				rows.Close()
				return nil, err
			}
			keys[k] = touchedRecord{}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ds, keep, err := t.digestsAmong(ctx, []protectedTable{p}, []map[touchedKey]touchedRecord{keys})
		if err != nil {
			return nil, err
		}
		if len(keep.updates) > 0 {
			if _, err := t.exec(ctx, keep.before(""), keep.args...); err != nil {
				return nil, err
			}
		}
		out = append(out, ds...)
	}
	return out, nil
}
