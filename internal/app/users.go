package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/huanjie/huanjie/internal/store"
)

// Account care from the command line (issue 13, point 6): the acts of the
// users page (disable, enable, unlock, reset a password) through the same
// store methods, audited the same way, as the office's actor "cli".

// careAct is one act: what it does, for --help, and the act itself, which
// returns what to tell the office.
type careAct struct {
	summary string
	do      func(ctx context.Context, tx *store.Tx, username string) (string, error)
}

var userCare = map[string]careAct{
	"disable": {"停用账号,其所有登录会话和 API 令牌立即失效;最后一个启用中的全区管理员不能停用",
		func(ctx context.Context, tx *store.Tx, username string) (string, error) {
			return "已停用账号 " + username + ",其所有登录会话和 API 令牌均已失效。", tx.SetUserDisabled(ctx, username, true)
		}},
	"enable": {"重新启用已停用的账号",
		func(ctx context.Context, tx *store.Tx, username string) (string, error) {
			return "已启用账号 " + username + "。", tx.SetUserDisabled(ctx, username, false)
		}},
	"unlock": {"解除账号因多次输错密码造成的登录锁定",
		func(ctx context.Context, tx *store.Tx, username string) (string, error) {
			return "已解除账号 " + username + " 的登录锁定,可以立即登录。", tx.UnlockUser(ctx, username)
		}},
	"reset-password": {"把密码重置为随机的一次性密码(只显示这一次),用户首次登录后须立即修改;其所有登录会话和 API 令牌立即失效",
		func(ctx context.Context, tx *store.Tx, username string) (string, error) {
			password, err := tx.ResetPassword(ctx, username)
			return "已重置账号 " + username + " 的密码,其所有登录会话和 API 令牌均已失效。\n" +
				"一次性密码(只显示这一次):" + password + "\n请当面或电话告知本人,首次登录后须立即修改。", err
		}},
}

func userCareCmd(ctx context.Context, sub string, act careAct, args []string, stdio IO) error {
	var c Config
	fs := newFlagSet("user "+sub, "user "+sub+" --username U [--db DSN]\n"+act.summary+"。", stdio.Err)
	commonFlags(fs, &c, false)
	username := fs.String("username", "", "用户名")
	if err := fs.Parse(args); err != nil {
		return err
	}
	name := strings.ToLower(strings.TrimSpace(*username))
	if name == "" {
		return exitError{2, "请用 --username 指定用户名"}
	}
	st, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	var msg string
	err = st.Zone(cli).Write(ctx, func(tx *store.Tx) error {
		var err error
		msg, err = act.do(ctx, tx, name)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdio.Out, msg)
	return nil
}
