package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// verified runs the whole check and returns its report.
func verified(t *testing.T, st *store.Store) store.AuditReport {
	t.Helper()
	r, err := st.VerifyAudit(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func problems(r store.AuditReport) string {
	var b strings.Builder
	if r.Chain != nil {
		b.WriteString(r.Chain.Error() + "\n")
	}
	for _, p := range r.Rollbacks {
		b.WriteString(p + "\n")
	}
	for _, p := range r.RecordProblems {
		b.WriteString(p.String() + "\n")
	}
	if r.SearchMismatches > 0 {
		b.WriteString(store.SearchProblem(r.SearchMismatches) + "\n")
	}
	return b.String()
}

// Whoever holds only the database can change a protected record, but the
// log no longer vouches for it: verify names the record, its community and
// what happened; putting the content back makes it verify again.
func TestProtectedRecords(t *testing.T) {
	demoZone.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t)
		if r := verified(t, st); !r.OK() || r.Records < 1000 {
			t.Fatalf("untouched demo: %d records read, problems:\n%s", r.Records, problems(r))
		}
		first := func(q string) string {
			n, err := st.QueryInt(ctx, q)
			if err != nil || n == 0 {
				t.Fatalf("%s: %d %v", q, n, err)
			}
			return itoa(n)
		}
		aspirant := first(`SELECT MIN(id) FROM aspirants`)
		answer := first(`SELECT MIN(id) FROM review_requests WHERE verdict <> ''`)
		unanswered := first(`SELECT MAX(id) FROM review_requests WHERE verdict = '' AND answered_at IS NULL`)
		decision := first(`SELECT MIN(id) FROM review_decisions`)
		assessment := first(`SELECT MIN(id) FROM assessments`)
		caseID := first(`SELECT MIN(id) FROM cases`)
		linked := first(`SELECT MIN(aspirant_id) FROM case_aspirants WHERE case_id = ` + caseID)
		item := first(`SELECT MIN(id) FROM ledger_items`)
		standing := first(`SELECT MIN(org_id) FROM standings`)
		approved := first(`SELECT MIN(aspirant_id) FROM candidate_assessments WHERE decision = 'approved'`)
		objection := first(`SELECT MIN(id) FROM candidate_objections`)
		partyMember := first(`SELECT MIN(id) FROM party_members WHERE status = 'full'`)
		cases := []struct {
			name, tamper, undo, want string
		}{
			{"aspirant", `UPDATE aspirants SET name = name || '改' WHERE id = ` + aspirant,
				`UPDATE aspirants SET name = substr(name, 1, length(name) - 1) WHERE id = ` + aspirant, "参选人 第 " + aspirant + " 号"},
			{"review answer", `UPDATE review_requests SET note = note || '改' WHERE id = ` + answer,
				`UPDATE review_requests SET note = substr(note, 1, length(note) - 1) WHERE id = ` + answer, "联审答复 第 " + answer + " 号"},
			{"second-review decision", `UPDATE review_decisions SET note = note || '改' WHERE id = ` + decision,
				`UPDATE review_decisions SET note = substr(note, 1, length(note) - 1) WHERE id = ` + decision, "二次审核决定 第 " + decision + " 号"},
			{"assessment", `UPDATE assessments SET total = total + 1 WHERE id = ` + assessment,
				`UPDATE assessments SET total = total - 1 WHERE id = ` + assessment, "研判 第 " + assessment + " 号"},
			{"case", `UPDATE cases SET outcome_note = outcome_note || '改' WHERE id = ` + caseID,
				`UPDATE cases SET outcome_note = substr(outcome_note, 1, length(outcome_note) - 1) WHERE id = ` + caseID, "案件 第 " + caseID + " 号"},
			{"committee's decision on a 预备人选", `UPDATE candidate_assessments SET decision = 'rejected' WHERE aspirant_id = ` + approved,
				`UPDATE candidate_assessments SET decision = 'approved' WHERE aspirant_id = ` + approved, "人选考察及预备人选决定 第 " + approved + ":"},
			{"objection's result", `UPDATE candidate_objections SET handling = handling || '改' WHERE id = ` + objection,
				`UPDATE candidate_objections SET handling = substr(handling, 1, length(handling) - 1) WHERE id = ` + objection, "公示异议 第 " + objection + " 号"},
			{"party member's vote", `UPDATE party_members SET status = 'probationary' WHERE id = ` + partyMember,
				`UPDATE party_members SET status = 'full' WHERE id = ` + partyMember, "党员表决权及到会 第 " + partyMember + " 号"},
			{"class in force", `UPDATE standings SET override_reason = override_reason || '改' WHERE org_id = ` + standing,
				`UPDATE standings SET override_reason = substr(override_reason, 1, length(override_reason) - 1) WHERE org_id = ` + standing,
				"社区类别及人工调整 第 " + standing + ":"},
			{"ledger item", `UPDATE ledger_items SET status = 'closed' WHERE id = ` + item + ` AND status <> 'closed'`,
				``, "台账事项 第 " + item + " 号"},
			{"answer slipped into an unanswered request", `UPDATE review_requests SET verdict = 'clear' WHERE id = ` + unanswered,
				`UPDATE review_requests SET verdict = '' WHERE id = ` + unanswered, "联审答复 第 " + unanswered + " 号"},
			{"case link removed", `DELETE FROM case_aspirants WHERE case_id = ` + caseID + ` AND aspirant_id = ` + linked,
				`INSERT INTO case_aspirants (case_id, aspirant_id) VALUES (` + caseID + `, ` + linked + `)`, "被直接删除"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM ledger_items WHERE status = 'closed' AND id = `+item)
				if err := st.Tamper(ctx, tc.tamper); err != nil {
					t.Fatal(err)
				}
				r := verified(t, st)
				if r.OK() || len(r.RecordProblems) != 1 || !strings.Contains(problems(r), tc.want) || r.Chain != nil {
					t.Fatalf("after changing the %s directly, verify found:\n%s\nwant one problem naming %q", tc.name, problems(r), tc.want)
				}
				if p := r.RecordProblems[0]; p.Community == "" && tc.name != "case link removed" {
					t.Fatalf("the problem does not name the community: %+v", p)
				}
				undo := tc.undo
				if undo == "" && before == 0 {
					undo = `UPDATE ledger_items SET status = (SELECT to_status FROM ledger_events WHERE item_id = ` + item +
						` ORDER BY id DESC LIMIT 1) WHERE id = ` + item
				}
				if err := st.Tamper(ctx, undo); err != nil {
					t.Fatal(err)
				}
				if r := verified(t, st); !r.OK() {
					t.Fatalf("after putting the %s back:\n%s", tc.name, problems(r))
				}
			})
		}

		// A record changed behind the platform's back stays reported when the
		// platform writes other records afterwards: the triggers' notes of
		// the outside write are not vouched for by the next transaction.
		if err := st.Tamper(ctx, `UPDATE aspirants SET name = name || '改' WHERE id = `+aspirant); err != nil {
			t.Fatal(err)
		}
		other := first(`SELECT MAX(id) FROM aspirants`)
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, audit.AspirantStatus, store.On("aspirant", other, ""), nil, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddOrg(ctx, org.Unit{Code: "QS-01-099", Name: "新社区", Kind: org.Community, ParentCode: "QS-01"}, false)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if r := verified(t, st); len(r.RecordProblems) != 1 || !strings.Contains(problems(r), "参选人 第 "+aspirant+" 号") {
			t.Fatalf("an outside change was vouched for by a later write:\n%s", problems(r))
		}
		if err := st.Tamper(ctx, `UPDATE aspirants SET name = substr(name, 1, length(name) - 1) WHERE id = `+aspirant); err != nil {
			t.Fatal(err)
		}

		// A record changed behind the platform's back and then written through
		// the platform: the write finds it and its entry keeps the finding, so
		// the new content is not quietly vouched for.
		var code string
		n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM standings WHERE org_id = `+standing)
		if n != 1 {
			t.Fatalf("standings of %s: %d", standing, n)
		}
		if err := st.Tamper(ctx, `UPDATE standings SET class = 'A', override_class = 'A', override_reason = '直接改的' WHERE org_id = `+standing); err != nil {
			t.Fatal(err)
		}
		units, _ := st.Zone(store.System).ListOrgs(ctx, store.OrgFilter{Kind: org.Community})
		for _, u := range units {
			if itoa(u.ID) == standing {
				code = u.Code
			}
		}
		err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.SetOverride(ctx, code, "B", "包片领导研判认为选情复杂")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r := verified(t, st)
		if len(r.RecordProblems) != 1 || !strings.Contains(problems(r), "社区类别及人工调整 第 "+standing+":") ||
			!strings.Contains(problems(r), "写入时发现它此前已在数据库里被直接改动") {
			t.Fatalf("a write through the platform over an outside change:\n%s", problems(r))
		}
	})
}

// Every protected table notes its writes for the digests, with the record's
// content before the write written exactly as the digests read it.
func TestProtectedTablesHaveTriggers(t *testing.T) {
	preElectionZone.ForEach(t, func(t *testing.T, st *store.Store) {
		if missing, err := st.ProtectedWithoutTriggers(ctx); err != nil || len(missing) > 0 {
			t.Fatalf("protected tables without triggers: %v %v", missing, err)
		}
		electInDemo(t, st)     // no election results yet
		countsOnDemo(t, st)    // no elections yet
		programmeInDemo(t, st) // no programmes in the demo
		if bad, err := st.TriggersMatchContent(ctx); err != nil || len(bad) > 0 {
			t.Fatalf("triggers note other content than the digests read: %v %v", bad, err)
		}
	})
}

// The log of a database without its key cannot be extended or rewritten:
// the platform refuses the wrong key, and a log of the first version is
// sealed under the key only when it is intact.
func TestAuditKey(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		// The platform attaches its key before the process writes (in Open,
		// or just after opening for reading only), so no copy of the log for
		// its filters runs while a log is sealed anew; this test writes
		// first, and its copy runs when the test says. Left running, a copy
		// begun before the log was made old could commit after the seal had
		// emptied the copy, keeping the paths the log no longer has (seen
		// once in CI on PostgreSQL).
		st.StopAuditCopy()
		other := testdb.AuditKey(t)
		if err := st.AttachAuditKey(ctx, other); !errors.Is(err, store.ErrWrongAuditKey) {
			t.Fatalf("another key: %v, want refused", err)
		}

		// Make the log what a database of the first version held: unkeyed
		// SHA-256 entries and no key check.
		legacy := func() []string {
			entries, err := st.Zone(store.System).AuditLog(ctx, store.AuditFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var stmts []string
			prevSeq, prevHash := int64(0), audit.Genesis
			for i := len(entries) - 1; i >= 0; i-- {
				e := entries[i]
				e.PrevHash, e.OrgPath, e.Digests = prevHash, "/", ""
				e.Hash = e.LegacyHash()
				stmts = append(stmts, `UPDATE audit_log SET org_path = '/', digests = '', prev_hash = '`+e.PrevHash+`', hash = '`+e.Hash+
					`' WHERE seq = `+itoa(e.Seq))
				prevSeq, prevHash = e.Seq, e.Hash
			}
			return append(stmts, `UPDATE audit_head SET seq = `+itoa(prevSeq)+`, hash = '`+prevHash+`'`,
				`UPDATE audit_meta SET scheme = 1, key_check = ''`)
		}()
		if err := st.Tamper(ctx, legacy...); err != nil {
			t.Fatal(err)
		}
		if err := st.Tamper(ctx, `UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`); err != nil {
			t.Fatal(err)
		}
		err := st.AttachAuditKey(ctx, other)
		if err == nil || !strings.Contains(err.Error(), "已损坏") {
			t.Fatalf("a broken log of the first version was sealed: %v", err)
		}
		if err := st.Tamper(ctx, `UPDATE audit_log SET actor = 'system' WHERE seq = 1`); err != nil {
			t.Fatal(err)
		}
		n, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log`)
		if err := st.AttachAuditKey(ctx, other); err != nil {
			t.Fatalf("an intact log of the first version: %v", err)
		}
		r := verified(t, st)
		if !r.OK() || r.Entries != n+1 {
			t.Fatalf("sealed anew: %d entries (had %d):\n%s", r.Entries, n, problems(r))
		}
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddOrg(ctx, org.Unit{Code: "Z-3", Name: "新片区", Kind: org.District, ParentCode: "Z"}, false)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		st.CopyAuditSearch(ctx) // the copy, taken anew from the sealed log and the write after it
		if r := verified(t, st); !r.OK() {
			t.Fatalf("after a write under the new key:\n%s", problems(r))
		}
		if c, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_search`); c != n+2 {
			t.Fatalf("the log's copy holds %d entries, want %d", c, n+2)
		}
	})
}

// Checkpoints outside the database catch a log cut back with its head, or
// wiped; a checkpoint line changed in the file is refused.
func TestCheckpoints(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		testdb.Tampers(t)
		tree(t, st)
		cp, err := st.Checkpoint(ctx)
		if err != nil || cp.Seq == 0 {
			t.Fatalf("checkpoint %+v %v", cp, err)
		}
		if r := verified(t, st); !r.OK() || r.Checkpoints != 1 {
			t.Fatalf("fresh checkpoint: %+v", r)
		}
		// Cut the last entry and set the head back: the chain alone holds.
		if err := st.Tamper(ctx, `DELETE FROM audit_log WHERE seq = `+itoa(cp.Seq),
			`UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit_log WHERE seq = `+itoa(cp.Seq-1)+`)`); err != nil {
			t.Fatal(err)
		}
		r := verified(t, st)
		if r.Chain != nil || len(r.Rollbacks) != 1 || !strings.Contains(r.Rollbacks[0], "回退或清空") {
			t.Fatalf("log cut back with its head: %+v", r)
		}
		if err := st.Tamper(ctx, `DELETE FROM audit_log`,
			`UPDATE audit_head SET seq = 0, hash = '`+audit.Genesis+`'`); err != nil {
			t.Fatal(err)
		}
		if r := verified(t, st); r.Chain != nil || len(r.Rollbacks) != 1 {
			t.Fatalf("log wiped: %+v", r)
		}
		// A checkpoint of another instance, or one changed, is named as such.
		path := filepath.Join(t.TempDir(), "other.txt")
		forged := cp
		forged.Seq = 0
		os.WriteFile(path, []byte(forged.String()+"\n"), 0o600)
		f, _ := os.Open(path)
		extra, err := audit.ReadCheckpoints(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		r, err = st.VerifyAudit(ctx, extra)
		if err != nil || len(r.Rollbacks) != 2 || !strings.Contains(r.Rollbacks[1], "签名不对") {
			t.Fatalf("forged checkpoint: %+v %v", r.Rollbacks, err)
		}
	})
}

// A scoped account reads only the entries about its subtree.
func TestAuditLogScope(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		d1, err := st.Zone(store.System).OrgByCode(ctx, "Z-1")
		if err != nil {
			t.Fatal(err)
		}
		scoped := st.For(account.User{ID: 99, Username: "d1admin", Role: account.Admin, ScopeCode: "Z-1", ScopePath: d1.Path})
		mine, err := scoped.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		all, _ := st.Zone(store.System).AuditLog(ctx, store.AuditFilter{})
		var ids []string
		for _, e := range mine {
			ids = append(ids, e.EntityID)
			if !strings.HasPrefix(e.OrgPath, "/Z/Z-1/") {
				t.Errorf("entry %d about %s shown to Z-1", e.Seq, e.OrgPath)
			}
		}
		if strings.Join(ids, ",") != "Z-1-2,Z-1-1,Z-1" || len(all) != 7 {
			t.Fatalf("Z-1 reads %v of %d entries", ids, len(all))
		}
	})
}

func itoa[N int | int64](n N) string { return strconv.FormatInt(int64(n), 10) }

// An office scoped to a district cannot name an account of another district,
// nor one of the whole tree, in an assignment: naming it would move that
// account's scope (finding 2 of issue 11). Nothing is written.
func TestAssignmentsNameOnlyAccountsInScope(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		tree(t, st)
		zone := st.Zone(store.System)
		err := zone.Write(ctx, func(tx *store.Tx) error {
			for _, n := range []account.NewUser{
				{Username: "east", Role: account.Community, ScopeCode: "Z-1-1", Password: "a long password 1"},
				{Username: "west", Role: account.Community, ScopeCode: "Z-2-1", Password: "a long password 2"},
				{Username: "chief", Role: account.Admin, Password: "a long password 3"},
			} {
				if _, err := tx.AddUser(ctx, n); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		d1, _ := zone.OrgByCode(ctx, "Z-1")
		office := within(st, d1.Path)
		before, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log`)
		for _, name := range []string{"west", "chief"} {
			err := office.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.AddAssignment(ctx, org.Assignment{OrgCode: "Z-1-2", Duty: org.CommunityCadre, Name: "王五", Username: name})
				return err
			})
			if !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != "username" {
				t.Fatalf("naming %s from Z-1's office: %v, want refused on username", name, err)
			}
		}
		if after, _ := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log`); after != before {
			t.Fatalf("refused assignments wrote %d audit entries", after-before)
		}
		users, _ := zone.ListUsers(ctx)
		for _, u := range users {
			if (u.Username == "west" && u.ScopeCode != "Z-2-1") || (u.Username == "chief" && u.ScopeCode != "") {
				t.Fatalf("%s moved to %q", u.Username, u.ScopeCode)
			}
		}
		// An account of its own district it may name, and that account's scope follows.
		err = office.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddAssignment(ctx, org.Assignment{OrgCode: "Z-1-2", Duty: org.CommunityCadre, Name: "赵六", Username: "east"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// Only actions declared in package audit can be written.
func TestUndeclaredActionRefused(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, &audit.Action{Code: "org.add", Label: "新增组织"}, store.On("org", "X", ""), nil, nil)
		})
		if err == nil || !strings.Contains(err.Error(), "undeclared") {
			t.Fatalf("a copy of a declared action was written: %v", err)
		}
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.Audit(ctx, nil, store.On("org", "X", ""), nil, nil) }); err == nil {
			t.Fatal("a nil action was written")
		}
	})
}
