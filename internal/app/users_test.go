package app_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/audit"
)

// The office cares for accounts from the command line as on the users page:
// disable, enable, unlock and reset a password, each through the store's
// act, audited as done by "cli", answered in Chinese.
func TestUserCare(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		user := func(stdin string, args ...string) (int, string, string) {
			t.Helper()
			return run(t, stdin, append([]string{"user"}, append(args, "--db", dsn, "--data", dir)...)...)
		}
		for _, u := range [][]string{{"office", "admin"}, {"wang", "leader"}} {
			if code, _, errOut := user("first password 1\n", "add", "--username", u[0], "--role", u[1]); code != 0 {
				t.Fatalf("user add %s: %s", u[0], errOut)
			}
		}
		st := openStore(t, dsn, dir)
		db := rawDB(t, dsn)
		login := func(password string) error {
			_, _, err := st.Login(ctx, "wang", password, "127.0.0.1", "")
			return err
		}
		// audited checks that the log's last entry is act on wang, by cli.
		audited := func(act *audit.Action) {
			t.Helper()
			var actor, action, entity string
			if err := db.QueryRow(`SELECT actor, action, entity_id FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&actor, &action, &entity); err != nil {
				t.Fatal(err)
			}
			if actor != "cli" || action != act.Code || entity != "wang" {
				t.Errorf("last audit entry: %s %s %s, want cli %s wang", actor, action, entity, act.Code)
			}
		}
		// refused checks a refusal: exit 1, the store's Chinese message
		// without its code, and nothing written.
		refused := func(want string, args ...string) {
			t.Helper()
			var before int
			db.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&before)
			code, out, errOut := user("", args...)
			var after int
			db.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&after)
			if code != 1 || !strings.Contains(errOut, want) || strings.Contains(errOut, "conflict") || out != "" || after != before {
				t.Errorf("user %v: %d %q %q, %d audit entries written; want exit 1 and %q", args, code, out, errOut, after-before, want)
			}
		}

		code, out, errOut := user("", "disable", "--username", "wang")
		if code != 0 || !strings.Contains(out, "已停用账号 wang") {
			t.Fatalf("disable: %d %s %s", code, out, errOut)
		}
		audited(audit.UserDisable)
		if login("first password 1") == nil {
			t.Fatal("a disabled account signed in")
		}
		refused("已是停用状态", "disable", "--username", "wang")
		if code, out, _ := user("", "enable", "--username", "WANG "); code != 0 || !strings.Contains(out, "已启用账号 wang") {
			t.Fatalf("enable: %d %s", code, out)
		}
		audited(audit.UserEnable)
		if err := login("first password 1"); err != nil {
			t.Fatalf("login after enable: %v", err)
		}

		refused("没有被锁定", "unlock", "--username", "wang")
		for range 5 {
			login("wrong password")
		}
		if login("first password 1") == nil {
			t.Fatal("five wrong passwords did not lock the account")
		}
		if code, out, _ := user("", "unlock", "--username", "wang"); code != 0 || !strings.Contains(out, "已解除账号 wang 的登录锁定") {
			t.Fatalf("unlock: %d %s", code, out)
		}
		audited(audit.UserUnlock)
		if err := login("first password 1"); err != nil {
			t.Fatalf("login after unlock: %v", err)
		}

		code, out, _ = user("", "reset-password", "--username", "wang")
		m := regexp.MustCompile(`一次性密码\(只显示这一次\):(\S+)`).FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("reset-password: %d %s", code, out)
		}
		audited(audit.UserReset)
		var logged string
		db.QueryRow(`SELECT after_data FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&logged)
		if logged == "" || strings.Contains(logged, m[1]) {
			t.Fatalf("the audit entry of the reset %q: want it without the one-time password", logged)
		}
		if login("first password 1") == nil {
			t.Fatal("the old password still signs in")
		}
		u, _, err := st.Login(ctx, "wang", m[1], "127.0.0.1", "")
		if err != nil || !u.MustChangePassword {
			t.Fatalf("login with the one-time password: %+v %v, want it to be changed first", u, err)
		}

		refused("最后一个启用中的全区管理员", "disable", "--username", "office")
		refused("不存在", "reset-password", "--username", "nobody")
		if code, _, errOut := user("", "unlock"); code != 2 || !strings.Contains(errOut, "--username") {
			t.Fatalf("unlock without a username: %d %s", code, errOut)
		}
		if r, err := st.VerifyAudit(ctx, nil); err != nil || !r.OK() {
			t.Fatalf("audit log after the acts: %+v %v", r, err)
		}
	})
}
