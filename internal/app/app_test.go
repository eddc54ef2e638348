package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/app"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

var ctx = context.Background()

// run runs the command like a user would and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := app.Main(ctx, args, app.IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

// engines gives each available engine a fresh DSN and data folder.
func engines(t *testing.T, fn func(t *testing.T, dsn, dir string)) {
	for engine, dsn := range testdb.DSNs(t) {
		t.Run(string(engine), func(t *testing.T) { fn(t, dsn, t.TempDir()) })
	}
}

// The demo command loads the zone, files its ballots' result reports and
// refuses a database that is not empty; audit verify passes the log it
// wrote and names each change made behind the platform's back. On
// PostgreSQL the command loads a zone of four communities, which has no
// elections: the whole zone is loaded on PostgreSQL by the demo package's
// tests, and the command's filing of reports is the same Go on both
// engines, while loading it here again would cost the suite a minute.
func TestDemoAndAuditVerify(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		whole := strings.HasPrefix(dsn, "sqlite:")
		args, want := []string{"demo", "--db", dsn, "--data", dir}, []string{"组织 37/37", "选举结果报告单归档 61 份"}
		if !whole {
			args, want = append(args, "--communities", "4"), []string{"组织 9/9"}
		}
		code, out, errOut := run(t, "", args...)
		if code != 0 {
			t.Fatalf("demo: %d %s", code, errOut)
		}
		for _, want := range append(want, "admin", "community1", "reviewer-gaj") {
			if !strings.Contains(out, want) {
				t.Fatalf("demo output lacks %q:\n%s", want, out)
			}
		}
		if whole {
			checkReportsFiled(t, dsn, dir)
		}
		if code, _, errOut := run(t, "", "demo", "--db", dsn, "--data", dir); code == 0 || !strings.Contains(errOut, "空库") {
			t.Fatalf("demo into a full database: %d %s", code, errOut)
		}
		code, out, errOut = run(t, "", "audit", "verify", "--db", dsn, "--data", dir)
		if code != 0 || !strings.Contains(out, "审计日志完好") {
			t.Fatalf("verify of an untouched log: %d %s %s", code, out, errOut)
		}

		db := rawDB(t, dsn)
		var lastSeq int64
		var lastHash string
		if err := db.QueryRow(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&lastSeq, &lastHash); err != nil {
			t.Fatal(err)
		}
		// A row sealed with the formula anyone can read, but without the key.
		forged := audit.Entry{Seq: lastSeq + 1, At: time.Now(), Actor: "mallory", Action: "aspirant.status", Entity: "aspirant",
			EntityID: "1", After: `{"status":"qualified"}`, OrgPath: "/", PrevHash: lastHash}
		forged.Hash = forged.LegacyHash()
		id := func(q string) string {
			var n int64
			if err := db.QueryRow(q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return strconv.FormatInt(n, 10)
		}
		aspirant := id(`SELECT MIN(id) FROM aspirants`)
		answer := id(`SELECT MIN(id) FROM review_requests WHERE verdict <> ''`)
		tamper := []struct {
			name string
			sql  []string
			undo []string
			want string
		}{
			{"changed row", []string{`UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`}, nil, "第 2 条"},
			{"deleted row", []string{`DELETE FROM audit_log WHERE seq = 2`}, nil, "第 2 条"},
			{"deleted last row", []string{`DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)`}, nil, "末尾缺少"},
			{"last rows deleted and the head set back", []string{
				`DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 3 FROM audit_log)`,
				`UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log), hash = (SELECT hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log))`,
			}, nil, "回退或清空"},
			{"every row deleted and the head reset", []string{`DELETE FROM audit_log`,
				`UPDATE audit_head SET seq = 0, hash = '` + audit.Genesis + `'`}, nil, "回退或清空"},
			{"row appended with the public formula", []string{
				`INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, before_data, after_data, org_path, digests, prev_hash, hash)
				VALUES (` + strconv.FormatInt(forged.Seq, 10) + `, CURRENT_TIMESTAMP, 0, 'mallory', 'aspirant.status', 'aspirant', '1', '',
				'{"status":"qualified"}', '/', '', '` + forged.PrevHash + `', '` + forged.Hash + `')`,
				`UPDATE audit_head SET seq = ` + strconv.FormatInt(forged.Seq, 10) + `, hash = '` + forged.Hash + `'`,
			}, nil, "不是用本实例的审计密钥写入的"},
			{"aspirant changed in the database", []string{`UPDATE aspirants SET status = 'qualified' WHERE id = ` + aspirant +
				` AND status <> 'qualified'`, `UPDATE aspirants SET name = name || '改' WHERE id = ` + aspirant},
				[]string{`UPDATE aspirants SET name = substr(name, 1, length(name) - 1) WHERE id = ` + aspirant}, "参选人 第 " + aspirant + " 号"},
			{"review answer changed in the database", []string{`UPDATE review_requests SET note = note || '无' WHERE id = ` + answer},
				[]string{`UPDATE review_requests SET note = substr(note, 1, length(note) - 1) WHERE id = ` + answer}, "联审答复 第 " + answer + " 号"},
			{"the filters' copy of the log changed in the database", []string{`INSERT INTO audit_search (seq, org_path, actor, action, entity, entity_id)
				VALUES (999999, '/', 'mallory', 'aspirant.status', 'aspirant', '1')`},
				[]string{`DELETE FROM audit_search WHERE seq = 999999`}, "筛选索引:审计日志的筛选索引有"},
		}
		for _, tc := range tamper {
			t.Run(tc.name, func(t *testing.T) {
				restore := snapshotAudit(t, db)
				defer restore()
				var status string
				db.QueryRow(`SELECT status FROM aspirants WHERE id = ` + aspirant).Scan(&status)
				for _, q := range tc.sql {
					if _, err := db.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				defer func() {
					for _, q := range append(tc.undo, `UPDATE aspirants SET status = '`+status+`' WHERE id = `+aspirant) {
						if _, err := db.Exec(q); err != nil {
							t.Fatal(err)
						}
					}
				}()
				code, _, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir)
				if code != 1 || !strings.Contains(errOut, tc.want) {
					t.Fatalf("verify after %s: exit %d, %q; want 1 naming %q", tc.name, code, errOut, tc.want)
				}
			})
		}
		if code, _, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir); code != 0 {
			t.Fatalf("verify after restoring the log: %d %s", code, errOut)
		}
	})
}

// checkReportsFiled: after the demo command no confirmed ballot's report
// is left out of the archive (the daily agenda's "reports not filed"), and
// each is a workbook in the file store.
func checkReportsFiled(t *testing.T, dsn, dir string) {
	t.Helper()
	box, err := secret.LoadOrCreate(filepath.Join(dir, "huanjie.key"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := audit.LoadKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dsn, store.Options{Box: box, AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	zone := st.Zone(store.System)
	unfiled, err := zone.UnfiledReports(ctx)
	if err != nil || len(unfiled) != 0 {
		t.Fatalf("%d reports not filed after the demo: %v", len(unfiled), err)
	}
	ballots, err := zone.Ballots(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filestore.Open(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	filed := 0
	for _, b := range ballots {
		f, err := zone.BallotReportFile(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f == nil {
			continue
		}
		filed++
		if err := files.Check(f.SHA256); err != nil || !strings.HasSuffix(f.Name, "选举结果报告单.xlsx") {
			t.Fatalf("report %s: %v", f.Name, err)
		}
	}
	if filed != 61 {
		t.Fatalf("%d reports filed of %d ballots, want the 61 confirmed", filed, len(ballots))
	}
}

// openStore opens the database with the keys the commands keep in dir.
func openStore(t *testing.T, dsn, dir string) *store.Store {
	t.Helper()
	box, err := secret.LoadOrCreate(filepath.Join(dir, "huanjie.key"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := audit.LoadKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dsn, store.Options{Box: box, AuditKey: key, Checkpoints: filepath.Join(dir, "audit-checkpoints.log")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		db, err = sql.Open("sqlite", path)
	} else {
		db, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// snapshotAudit copies the audit log and its head aside and returns a
// function that puts them back, so each tampering starts from the true log.
func snapshotAudit(t *testing.T, db *sql.DB) func() {
	t.Helper()
	for _, q := range []string{`CREATE TABLE audit_copy AS SELECT * FROM audit_log`, `CREATE TABLE head_copy AS SELECT * FROM audit_head`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for _, q := range []string{`DELETE FROM audit_log`, `INSERT INTO audit_log SELECT * FROM audit_copy`, `DROP TABLE audit_copy`,
			`DELETE FROM audit_head`, `INSERT INTO audit_head SELECT * FROM head_copy`, `DROP TABLE head_copy`} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestUserAdd(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		run(t, "", "migrate", "--db", dsn)
		code, out, errOut := run(t, "first password 1\n", "user", "add", "--db", dsn, "--data", dir, "--username", "office", "--role", "admin", "--name", "办公室")
		if code != 0 || !strings.Contains(out, "已新建账号 office") {
			t.Fatalf("user add: %d %s %s", code, out, errOut)
		}
		code, _, errOut = run(t, "first password 1\n", "user", "add", "--db", dsn, "--data", dir, "--username", "office", "--role", "admin")
		if code != 1 || !strings.Contains(errOut, "已被使用") {
			t.Fatalf("duplicate user: %d %s", code, errOut)
		}
		code, _, errOut = run(t, "first password 1\n", "user", "add", "--db", dsn, "--data", dir, "--username", "x1", "--role", "mayor")
		if code != 1 || !strings.Contains(errOut, "未知的角色") {
			t.Fatalf("unknown role: %d %s", code, errOut)
		}
		code, _, errOut = run(t, "first password 1\n", "user", "add", "--db", dsn, "--data", dir, "--username", "x2", "--role", "community", "--scope", "NOPE")
		if code != 1 || !strings.Contains(errOut, "NOPE") {
			t.Fatalf("unknown scope: %d %s", code, errOut)
		}
		code, _, errOut = run(t, "", "user", "add", "--db", dsn, "--data", dir, "--username", "x3", "--role", "admin")
		if code != 2 || !strings.Contains(errOut, "密码") {
			t.Fatalf("no password on stdin: %d %s", code, errOut)
		}
		code, out, _ = run(t, "second password 2\n", "user", "passwd", "--db", dsn, "--data", dir, "--username", "office")
		if code != 0 || !strings.Contains(out, "已重设") {
			t.Fatalf("passwd: %d %s", code, out)
		}
		st := openStore(t, dsn, dir)
		if _, _, err := st.Login(ctx, "office", "second password 2", "127.0.0.1", ""); err != nil {
			t.Fatalf("login with the new password: %v", err)
		}
	})
}

func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	// A zone of 4 communities (in 4 districts): a backup carries any size alike.
	if code, _, errOut := run(t, "", "demo", "--db", dsn, "--data", dir, "--communities", "4"); code != 0 {
		t.Fatal(errOut)
	}
	// An archived file the backup must carry along.
	os.MkdirAll(filepath.Join(dir, "files", "ab"), 0o755)
	os.WriteFile(filepath.Join(dir, "files", "ab", "abcdef"), []byte("会议纪要"), 0o600)

	// Keep a connection open and write while the backup runs, as a server would.
	st := openStore(t, dsn, dir)
	out := filepath.Join(dir, "backup.tar.gz")
	code, stdout, errOut := run(t, "", "backup", "--db", dsn, "--data", dir, "--out", out)
	stored := 0 // the demo's archive and the file above
	filepath.WalkDir(filepath.Join(dir, "files"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(path)) != "tmp" {
			stored++
		}
		return nil
	})
	if code != 0 || stored < 2 || !strings.Contains(stdout, " "+strconv.Itoa(stored)+" 个归档文件") {
		t.Fatalf("backup: %d %s %s", code, stdout, errOut)
	}
	if code, _, _ := run(t, "", "backup", "--db", dsn, "--data", dir, "--out", out); code == 0 {
		t.Fatal("backup overwrote an existing file")
	}
	// A change after the backup must not be in the restored copy.
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		_, err := tx.AddOrg(ctx, org.Unit{Code: "QS-01-099", Name: "备份后新增", Kind: org.Community, ParentCode: "QS-01"}, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	target := t.TempDir()
	restored := "sqlite:" + filepath.Join(target, "huanjie.db")
	code, stdout, errOut = run(t, "", "restore", "--in", out, "--db", restored, "--data", target)
	if code != 0 {
		t.Fatalf("restore: %d %s %s", code, stdout, errOut)
	}
	if code, _, _ := run(t, "", "restore", "--in", out, "--db", restored, "--data", target); code == 0 {
		t.Fatal("restore replaced an existing database without --force")
	}
	got, err := os.ReadFile(filepath.Join(target, "files", "ab", "abcdef"))
	if err != nil || string(got) != "会议纪要" {
		t.Fatalf("restored archive file: %q %v", got, err)
	}
	if code, out, errOut := run(t, "", "audit", "verify", "--db", restored, "--data", target, "--audit-key", filepath.Join(dir, "audit.key"), "--key", filepath.Join(dir, "huanjie.key")); code != 0 {
		t.Fatalf("restored audit chain: %s %s", out, errOut)
	}
	rst := openStore(t, restored, dir) // the keys never travel with a backup: they stay in the office's folder
	c, err := rst.Zone(store.System).CountOrgs(ctx)
	if err != nil || c.Communities != 4 || c.Districts != 4 {
		t.Fatalf("restored zone: %+v %v", c, err)
	}

	// Restored in place, the log is older than the checkpoints taken since:
	// the restore sets them aside (kept), so the restored log verifies.
	if _, err := st.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir); code != 0 {
		t.Fatalf("live log before the restore: %s", errOut)
	}
	code, stdout, errOut = run(t, "", "restore", "--in", out, "--db", dsn, "--data", dir, "--force")
	if code != 0 || !strings.Contains(stdout, "另存为") {
		t.Fatalf("restore in place: %d %s %s", code, stdout, errOut)
	}
	if code, _, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir); code != 0 {
		t.Fatalf("log restored in place: %s", errOut)
	}
	aside, _ := filepath.Glob(filepath.Join(dir, "audit-checkpoints.before-restore-*.log"))
	if len(aside) != 1 {
		t.Fatalf("checkpoints set aside: %v", aside)
	}
	// The kept checkpoints still tell that the log was rolled back.
	if code, _, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir, "--checkpoint", aside[0]); code != 1 || !strings.Contains(errOut, "回退") {
		t.Fatalf("verify against the checkpoints before the restore: %d %s", code, errOut)
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range [][]string{{"serve"}, {"migrate"}, {"demo"}, {"user", "add"}, {"user", "passwd"}, {"user", "disable"}, {"user", "enable"}, {"user", "unlock"},
		{"user", "reset-password"}, {"audit", "verify"}, {"backup"}, {"restore"}, {"key", "rotate"}, {"archive", "verify"}} {
		code, _, errOut := run(t, "", append(cmd, "--help")...)
		if code != 0 || !strings.Contains(errOut, "用法:huanjie "+cmd[0]) {
			t.Errorf("%v --help: %d %q", cmd, code, errOut)
		}
	}
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "huanjie ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errOut := run(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "未知命令") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
	if code, _, _ := run(t, ""); code != 2 {
		t.Fatal("no command must exit 2")
	}
}
