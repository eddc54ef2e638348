package app_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/app"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
)

// cli acts in these tests as the command line does.
var cli = store.Actor{Name: "cli"}

// serveExit runs `huanjie serve` like a user and returns its exit code and
// standard error, failing the test if it is still running after 2 s (it
// started).
func serveExit(t *testing.T, dsn, dir string) (int, string) {
	t.Helper()
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	var out, errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- app.Main(c, []string{"serve", "--db", dsn, "--data", dir, "--addr", "127.0.0.1:0"},
			app.IO{In: strings.NewReader(""), Out: &out, Err: &errOut})
	}()
	select {
	case code := <-done:
		return code, errOut.String()
	case <-time.After(2 * time.Second):
		cancel()
		<-done
		t.Fatalf("serve started instead of refusing the key: %s", out.String())
		return 0, ""
	}
}

// TestCommandsRefuseAnotherDataKey: a database restored without its data
// key, or with another, is refused by serve and every command, naming the
// key file expected and how to restore it; no new key is made (issue 12,
// finding 4: serve made a new key and started, pages answered 500 and the
// same ID number could be registered twice).
func TestCommandsRefuseAnotherDataKey(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		if code, _, errOut := run(t, "", "demo", "--db", dsn, "--data", dir, "--communities", "4"); code != 0 {
			t.Fatalf("demo: %s", errOut)
		}
		keyPath := filepath.Join(dir, "huanjie.key")
		kept := filepath.Join(t.TempDir(), "huanjie.key")
		if err := os.Rename(keyPath, kept); err != nil {
			t.Fatal(err)
		}
		commands := [][]string{
			{"migrate"}, {"user", "passwd", "--username", "admin"}, {"backup", "--out", filepath.Join(t.TempDir(), "b.tar.gz")},
			{"audit", "verify"}, {"key", "rotate"}, {"demo"},
		}
		// Missing: refused, and no key is made in its place.
		code, errOut := serveExit(t, dsn, dir)
		if code == 0 || !strings.Contains(errOut, keyPath) || !strings.Contains(errOut, "不存在") || !strings.Contains(errOut, "备份") {
			t.Fatalf("serve without its data key: %d %s", code, errOut)
		}
		if _, err := os.Stat(keyPath); err == nil {
			t.Fatal("serve made a new data key for a database sealed with another")
		}
		for _, cmd := range commands {
			if cmd[0] == "backup" && !strings.HasPrefix(dsn, "sqlite:") {
				continue
			}
			args := append(append([]string{}, cmd...), "--db", dsn, "--data", dir)
			if code, _, errOut := run(t, "secret-pass\n", args...); code == 0 || !strings.Contains(errOut, keyPath) {
				t.Errorf("%v without the data key: %d %s", cmd, code, errOut)
			}
		}
		if _, err := os.Stat(keyPath); err == nil {
			t.Fatal("a command made a new data key for a database sealed with another")
		}
		// Another key: refused, naming both fingerprints.
		other, err := secret.LoadOrCreate(keyPath)
		if err != nil {
			t.Fatal(err)
		}
		right, err := secret.Load(kept)
		if err != nil {
			t.Fatal(err)
		}
		code, errOut = serveExit(t, dsn, dir)
		if code == 0 || !strings.Contains(errOut, "不符") || !strings.Contains(errOut, keyPath) ||
			!strings.Contains(errOut, other.Check()) || !strings.Contains(errOut, right.Check()) {
			t.Fatalf("serve with another data key: %d %s", code, errOut)
		}
		for _, cmd := range commands {
			if cmd[0] == "backup" && !strings.HasPrefix(dsn, "sqlite:") {
				continue
			}
			args := append(append([]string{}, cmd...), "--db", dsn, "--data", dir)
			if code, _, errOut := run(t, "secret-pass\n", args...); code == 0 || !strings.Contains(errOut, "不符") {
				t.Errorf("%v with another data key: %d %s", cmd, code, errOut)
			}
		}
		// The store refuses it too, to anything that opens it.
		if _, err := store.Open(ctx, dsn, store.Options{Box: other}); err == nil {
			t.Fatal("the store opened with another data key")
		}
		// The right key back: the commands work again.
		os.Remove(keyPath)
		if err := os.Rename(kept, keyPath); err != nil {
			t.Fatal(err)
		}
		if code, out, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir); code != 0 {
			t.Fatalf("verify with the right key: %d %s %s", code, out, errOut)
		}
		// Another audit key: refused the same way, naming the file.
		auditPath := filepath.Join(dir, "audit.key")
		if err := os.Rename(auditPath, auditPath+".kept"); err != nil {
			t.Fatal(err)
		}
		if _, err := audit.CreateKey(auditPath); err != nil {
			t.Fatal(err)
		}
		code, errOut = serveExit(t, dsn, dir)
		if code == 0 || !strings.Contains(errOut, "审计密钥与数据库不符") || !strings.Contains(errOut, auditPath) {
			t.Fatalf("serve with another audit key: %d %s", code, errOut)
		}
	})
}

// TestDataKeyRecordedOnOldDatabases: a database from before the data key's
// fingerprint was recorded takes the fingerprint of the first key that
// opens its sealed values, and refuses one that does not.
func TestDataKeyRecordedOnOldDatabases(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		if code, _, errOut := run(t, "", "demo", "--db", dsn, "--data", dir, "--communities", "4"); code != 0 {
			t.Fatalf("demo: %s", errOut)
		}
		db := rawDB(t, dsn)
		if _, err := db.Exec(`UPDATE audit_meta SET data_key_check = ''`); err != nil {
			t.Fatal(err)
		}
		other, _ := secret.New(make([]byte, 64))
		if _, err := store.Open(ctx, dsn, store.Options{Box: other}); err == nil {
			t.Fatal("a key that opens none of the sealed values was taken")
		}
		st := openStore(t, dsn, dir)
		check, sealed, err := st.DataKeyCheck(ctx)
		right, _ := secret.Load(filepath.Join(dir, "huanjie.key"))
		if err != nil || !sealed || check != right.Check() {
			t.Fatalf("recorded check %q (sealed %v, %v), want %q", check, sealed, err, right.Check())
		}
	})
}

// TestKeyRotate: `huanjie key rotate` seals every personal value and lookup
// hash anew under a new key in one audited transaction, puts the new key
// file in place and keeps the old one; the old key is refused after.
func TestKeyRotate(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		if code, _, errOut := run(t, "", "demo", "--db", dsn, "--data", dir, "--communities", "4"); code != 0 {
			t.Fatalf("demo: %s", errOut)
		}
		keyPath := filepath.Join(dir, "huanjie.key")
		oldRaw, _ := os.ReadFile(keyPath)
		old, _ := secret.Load(keyPath)
		st := openStore(t, dsn, dir)
		var id int64
		if err := rawDB(t, dsn).QueryRow(`SELECT MIN(id) FROM aspirants`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		var idNumber, phone string
		if err := st.Zone(cli).Write(ctx, func(tx *store.Tx) (err error) {
			idNumber, phone, err = tx.RevealAspirant(ctx, id, "测试")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		st.Close()

		code, out, errOut := run(t, "", "key", "rotate", "--db", dsn, "--data", dir)
		if code != 0 || !strings.Contains(out, "已轮换数据密钥") {
			t.Fatalf("key rotate: %d %s %s", code, out, errOut)
		}
		kept, _ := filepath.Glob(keyPath + ".*.bak")
		if len(kept) != 1 {
			t.Fatalf("old key kept as: %v", kept)
		}
		if raw, _ := os.ReadFile(kept[0]); string(raw) != string(oldRaw) {
			t.Fatal("the kept file is not the old key")
		}
		if _, err := os.Stat(keyPath + ".new"); err == nil {
			t.Fatal("the pending key file was left behind")
		}
		next, err := secret.Load(keyPath)
		if err != nil || next.Check() == old.Check() {
			t.Fatalf("new key: %v (same as old: %v)", err, next != nil && next.Check() == old.Check())
		}
		for _, f := range []string{kept[0], keyPath} {
			if info, err := os.Stat(f); err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("%s: %v %v", f, info.Mode(), err)
			}
		}
		if !strings.Contains(out, next.Check()) || !strings.Contains(out, old.Check()) {
			t.Fatalf("rotate output names neither fingerprint: %s", out)
		}
		// No value is left that only the old key opens.
		db := rawDB(t, dsn)
		for _, q := range []string{`SELECT id_sealed FROM aspirants`, `SELECT phone_sealed FROM aspirants`,
			`SELECT id_number_enc FROM members WHERE id_number_enc <> ''`, `SELECT phone_enc FROM members WHERE phone_enc <> ''`,
			`SELECT phone_enc FROM assignments WHERE phone_enc <> ''`, `SELECT contact_sealed FROM tips WHERE contact_sealed <> ''`} {
			rows, err := db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v string
				rows.Scan(&v)
				if _, err := next.Open(v); err != nil {
					t.Fatalf("%s: a value the new key does not open", q)
				}
			}
			rows.Close()
		}

		st = openStore(t, dsn, dir)
		var gotID, gotPhone string
		if err := st.Zone(cli).Write(ctx, func(tx *store.Tx) (err error) {
			gotID, gotPhone, err = tx.RevealAspirant(ctx, id, "测试")
			return err
		}); err != nil || gotID != idNumber || gotPhone != phone {
			t.Fatalf("after rotation: %q %q %v, want %q %q", gotID, gotPhone, err, idNumber, phone)
		}
		// The lookup hash follows the new key: the same ID number is still one person.
		a, err := st.Zone(cli).Aspirant(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		again := a.Aspirant
		again.ID, again.IDNumber, again.Phone = 0, idNumber, phone
		err = st.Zone(cli).Write(ctx, func(tx *store.Tx) error { _, err := tx.AddAspirant(ctx, again); return err })
		if errs.CodeOf(err) != errs.Conflict || errs.FieldOf(err) != "id_number" {
			t.Fatalf("the same ID number again after rotation: %v", err)
		}
		log, err := st.Zone(cli).AuditLog(ctx, store.AuditFilter{Action: "key.rotate"})
		if err != nil || len(log) != 1 || !strings.Contains(log[0].After, next.Check()) {
			t.Fatalf("rotation's audit entry: %+v %v", log, err)
		}
		st.Close()
		if _, err := store.Open(ctx, dsn, store.Options{Box: old}); err == nil {
			t.Fatal("the old key is still taken after rotation")
		}
		if code, out, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir); code != 0 {
			t.Fatalf("verify after rotation: %d %s %s", code, out, errOut)
		}
	})
}

// TestRestoreChecksKeys: a backup records its keys' fingerprints; a restore
// over a key file that is not the backup's stops before it writes anything.
func TestRestoreChecksKeys(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	if code, _, errOut := run(t, "", "demo", "--db", dsn, "--data", dir, "--communities", "4"); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "backup.tar.gz")
	if code, stdout, errOut := run(t, "", "backup", "--db", dsn, "--data", dir, "--out", out); code != 0 {
		t.Fatalf("backup: %s %s", stdout, errOut)
	}
	right, _ := secret.Load(filepath.Join(dir, "huanjie.key"))

	target := t.TempDir()
	if _, err := secret.LoadOrCreate(filepath.Join(target, "huanjie.key")); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(target, "huanjie.db")
	code, stdout, errOut := run(t, "", "restore", "--in", out, "--db", "sqlite:"+restored, "--data", target)
	if code == 0 || !strings.Contains(errOut, "未恢复") || !strings.Contains(errOut, right.Check()) {
		t.Fatalf("restore over another data key: %d %s %s", code, stdout, errOut)
	}
	if _, err := os.Stat(restored); err == nil {
		t.Fatal("the database was restored over another key")
	}
	if entries, _ := os.ReadDir(filepath.Join(target, "files")); len(entries) > 0 {
		t.Fatal("archive files were restored over another key")
	}
	// Without key files the restore goes ahead and says which keys to put back.
	empty := t.TempDir()
	code, stdout, errOut = run(t, "", "restore", "--in", out, "--db", "sqlite:"+filepath.Join(empty, "huanjie.db"), "--data", empty)
	if code != 0 || !strings.Contains(stdout, right.Check()) || !strings.Contains(stdout, filepath.Join(empty, "huanjie.key")) {
		t.Fatalf("restore without keys: %d %s %s", code, stdout, errOut)
	}
}

// TestArchiveVerify: `huanjie archive verify` reads every stored file that a
// record names and lists the missing and changed ones with their records,
// failing when there are any (issue 12, finding 8).
func TestArchiveVerify(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		if code, _, errOut := run(t, "", "demo", "--db", dsn, "--data", dir, "--communities", "4"); code != 0 {
			t.Fatalf("demo: %s", errOut)
		}
		code, out, errOut := run(t, "", "archive", "verify", "--db", dsn, "--data", dir)
		if code != 0 || !strings.Contains(out, "档案文件完好") {
			t.Fatalf("verify of an intact archive: %d %s %s", code, out, errOut)
		}
		var names []string
		filepath.WalkDir(filepath.Join(dir, "files"), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && filepath.Base(filepath.Dir(p)) != "tmp" {
				names = append(names, p)
			}
			return nil
		})
		if len(names) < 2 {
			t.Fatalf("the demo stored %d files", len(names))
		}
		changed, gone := names[0], names[1]
		os.Chmod(changed, 0o600)
		if err := os.WriteFile(changed, []byte("改过的内容"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(gone); err != nil {
			t.Fatal(err)
		}
		code, out, errOut = run(t, "", "archive", "verify", "--db", dsn, "--data", dir)
		if code != 1 || !strings.Contains(errOut, "已被改动 "+filepath.Base(changed)) || !strings.Contains(errOut, "已丢失 "+filepath.Base(gone)) ||
			!strings.Contains(errOut, "档案 ") || strings.Count(errOut, "\n- ") != 2 {
			t.Fatalf("verify with a changed and a missing file: %d %s %s", code, out, errOut)
		}
	})
}

// TestMain runs the command itself when the test starts it as a child
// process (demoChild), so that the child can be killed like a real one.
func TestMain(m *testing.M) {
	if args := os.Getenv("HUANJIE_TEST_CHILD_ARGS"); args != "" {
		out := &stallAfter{w: os.Stdout, mark: os.Getenv("HUANJIE_TEST_CHILD_STALL")}
		os.Exit(app.Main(context.Background(), strings.Split(args, "\x1f"), app.IO{In: os.Stdin, Out: out, Err: os.Stderr}))
	}
	os.Exit(m.Run())
}

// stallAfter passes what is written to w and, once a line holds mark,
// blocks forever: the point at which the test kills the child.
type stallAfter struct {
	w    *os.File
	mark string
}

func (s *stallAfter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if s.mark != "" && strings.Contains(string(p), s.mark) {
		s.w.Sync()
		select {}
	}
	return n, err
}

// TestDemoKilledMidway: `huanjie demo` killed with SIGKILL half way (its
// units and members written, its assessments not) leaves a database that
// the next demo and serve both use: the half-loaded zone is emptied and the
// demo loaded whole (issue 12, finding 7: both refused it, or served half
// a zone).
func TestDemoKilledMidway(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		args := []string{"demo", "--db", dsn, "--data", dir, "--communities", "4"}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "HUANJIE_TEST_CHILD_ARGS="+strings.Join(args, "\x1f"), "HUANJIE_TEST_CHILD_STALL=两委成员")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		reached := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), "两委成员") {
				reached = true
				break
			}
		}
		if !reached {
			cmd.Wait()
			t.Fatalf("the child never reached the members: %s", stderr.String())
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		var orgs, assessments int
		db := rawDB(t, dsn)
		db.QueryRow(`SELECT COUNT(*) FROM orgs`).Scan(&orgs)
		db.QueryRow(`SELECT COUNT(*) FROM assessments`).Scan(&assessments)
		if orgs == 0 || assessments != 0 {
			t.Fatalf("not killed half way: %d units, %d assessments", orgs, assessments)
		}

		// serve uses it: it starts, on an emptied database.
		c, cancel := context.WithCancel(ctx)
		started := make(chan string, 1)
		done := make(chan error, 1)
		var out, errOut strings.Builder
		go func() {
			done <- app.Serve(c, app.Config{DB: dsn, DataDir: dir, Addr: "127.0.0.1:0"}, false,
				app.IO{Out: &out, Err: &errOut}, func(addr string) { started <- addr })
		}()
		select {
		case <-started:
		case err := <-done:
			t.Fatalf("serve after a killed demo: %v %s", err, errOut.String())
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not start")
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		db.QueryRow(`SELECT COUNT(*) FROM orgs`).Scan(&orgs)
		if orgs != 0 || !strings.Contains(out.String(), "中断") {
			t.Fatalf("serve kept half a zone: %d units; %s", orgs, out.String())
		}
		// demo uses it too (killed again first, so that demo is the one that finds it).
		cmd = exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "HUANJIE_TEST_CHILD_ARGS="+strings.Join(args, "\x1f"), "HUANJIE_TEST_CHILD_STALL=研判")
		stdout, _ = cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc = bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "研判") {
				break
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		code, stdoutText, errText := run(t, "", args...)
		if code != 0 || !strings.Contains(stdoutText, "中断") || !strings.Contains(stdoutText, "community1") {
			t.Fatalf("demo after a killed demo: %d %s %s", code, stdoutText, errText)
		}
		var communities int
		db.QueryRow(`SELECT COUNT(*) FROM orgs WHERE kind = 'community'`).Scan(&communities)
		if communities != 4 {
			t.Fatalf("after the second demo: %d communities, want 4", communities)
		}
		if code, out, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir); code != 0 {
			t.Fatalf("verify after the second demo: %s %s", out, errOut)
		}
		if code, out, errOut := run(t, "", "archive", "verify", "--db", dsn, "--data", dir); code != 0 {
			t.Fatalf("archive verify after the second demo: %s %s", out, errOut)
		}
	})
}
