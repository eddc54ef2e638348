package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/keyfile"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
)

// Version is set at build time with -ldflags "-X …/internal/app.Version=…".
var Version = "dev"

// IO is the command's standard streams.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

const usage = `huanjie:社区两委换届工作平台

用法:huanjie <命令> [参数]

命令:
  serve         运行网页平台(--demo 在空库中生成演示开发区)
  migrate       升级数据库结构
  demo          在空库中生成演示开发区并打印演示账号
  user add      新建账号(密码从标准输入读取)
  user passwd   重设账号密码(新密码从标准输入读取)
  user disable  停用账号(其登录会话和 API 令牌立即失效)
  user enable   重新启用已停用的账号
  user unlock   解除账号的登录锁定
  user reset-password  重置为一次性密码(只显示一次,首次登录须修改)
  audit verify      核对审计日志:哈希链、检查点、受保护的记录
  audit checkpoint  打印审计日志当前链头的签署声明,供报上级存档
  backup        备份 SQLite 数据库和归档文件(密钥另行保管)
  restore       从备份恢复(核对密钥指纹)
  key rotate    轮换数据密钥:重新加密全部个人信息,旧密钥另存
  archive verify  核对全部档案和附件文件,列出丢失或被改动的
  version       显示版本

每个命令都可加 --help 查看参数。
`

// Main runs the command named by args (without the program name) and returns
// the exit code.
func Main(ctx context.Context, args []string, stdio IO) int {
	if len(args) == 0 {
		fmt.Fprint(stdio.Err, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = serveCmd(ctx, rest, stdio)
	case "migrate":
		err = migrateCmd(ctx, rest, stdio)
	case "demo":
		err = demoCmd(ctx, rest, stdio)
	case "user":
		err = userCmd(ctx, rest, stdio)
	case "audit":
		err = auditCmd(ctx, rest, stdio)
	case "backup":
		err = backupCmd(ctx, rest, stdio)
	case "restore":
		err = restoreCmd(ctx, rest, stdio)
	case "key":
		err = keyCmd(ctx, rest, stdio)
	case "archive":
		err = archiveCmd(ctx, rest, stdio)
	case "version":
		fmt.Fprintln(stdio.Out, "huanjie", versionString())
	case "help", "-h", "--help":
		fmt.Fprint(stdio.Out, usage)
	default:
		fmt.Fprintf(stdio.Err, "未知命令 %q\n\n%s", cmd, usage)
		return 2
	}
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &exit):
		fmt.Fprintln(stdio.Err, exit.msg)
		return exit.code
	case errs.CodeOf(err) != errs.Internal: // a refusal: its Chinese message, without the code
		fmt.Fprintln(stdio.Err, "错误:", errs.MessageOf(err))
		return 1
	default:
		fmt.Fprintln(stdio.Err, "错误:", err)
		return 1
	}
}

// exitError ends a command with a message and a given exit code.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func versionString() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		v += " " + info.GoVersion
	}
	return v
}

// open opens the store of a config with its data key and its audit key,
// each created only for a database that no key has sealed yet.
func open(ctx context.Context, c Config) (*store.Store, error) {
	st, err := store.Open(ctx, c.DB, store.Options{Checkpoints: c.checkpointsPath()})
	if err != nil {
		return nil, err
	}
	if err := attachDataKey(ctx, st, c, true); err != nil {
		st.Close()
		return nil, err
	}
	if err := attachAuditKey(ctx, st, c, true); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// attachDataKey loads the data key and gives it to st. A missing key file
// is created only when create is set and the database holds nothing sealed
// and records no key: a database restored without its key must not start
// sealing under a new one, which opens none of its numbers and keys their
// lookup hashes differently (the same ID number could be registered twice).
// Without create, a missing key of a new database is left missing.
func attachDataKey(ctx context.Context, st *store.Store, c Config, create bool) error {
	path := c.keyPath()
	box, err := secret.Load(path)
	if errors.Is(err, keyfile.ErrMissing) {
		check, sealed, cerr := st.DataKeyCheck(ctx)
		if cerr != nil {
			return cerr
		}
		if check != "" || sealed {
			fp := ""
			if check != "" {
				fp = "(指纹 " + check + ")"
			}
			return exitError{1, fmt.Sprintf("数据密钥文件 %s 不存在,而这个数据库的身份证号、电话是用数据密钥%s加密的。"+
				"请把与这个数据库配套、另行保管的那份 huanjie.key 放回 %s,或用 --key 指明它的位置;"+
				"恢复备份时,要一并放回做这份备份时所用的数据密钥。不要新建密钥:新密钥打不开已有的号码,同一身份证号还会被重复登记。",
				path, fp, path)}
		}
		if !create {
			return nil
		}
		box, err = secret.LoadOrCreate(path)
	}
	if err != nil {
		return fmt.Errorf("数据密钥 %s:%w", path, err)
	}
	var wrong *store.WrongDataKeyError
	if err := st.AttachDataKey(ctx, box); errors.As(err, &wrong) {
		want := "另一把数据密钥"
		if wrong.Want != "" {
			want = "指纹为 " + wrong.Want + " 的数据密钥"
		}
		msg := fmt.Sprintf("数据密钥与数据库不符:%s 里的密钥(指纹 %s)不是这个数据库所用的密钥,这个数据库是用%s加密的。"+
			"请把那把密钥文件放回 %s,或用 --key 指明它的位置:恢复备份时要放回做这份备份时所用的数据密钥,"+
			"轮换过密钥的,旧密钥另存在同一目录下的 huanjie.key.日期-时间.bak。不要新建密钥。", path, wrong.Got, want, path)
		if next, err := secret.Load(path + ".new"); err == nil && wrong.Want != "" && next.Check() == wrong.Want {
			msg += fmt.Sprintf("\n上次密钥轮换已写入数据库,但新密钥文件没有换上:请把 %s.new 改名为 %s(原文件先另存),再启动。", path, path)
		}
		return exitError{1, msg}
	} else if err != nil {
		return err
	}
	return nil
}

// attachAuditKey loads the audit key and gives it to st. A missing key file
// is created only when create is set and no key has sealed the log yet: a
// database restored without its key must not start sealing entries under a
// new one that cannot vouch for the old. Without create, a missing key of a
// log no key has sealed is left missing.
func attachAuditKey(ctx context.Context, st *store.Store, c Config, create bool) error {
	path := c.auditKeyPath()
	k, err := audit.LoadKey(path)
	if errors.Is(err, audit.ErrNoKeyFile) {
		check, cerr := st.AuditKeyCheck(ctx)
		if cerr != nil {
			return cerr
		}
		if check != "" {
			return exitError{1, fmt.Sprintf("审计密钥文件 %s 不存在,而这个数据库的审计日志需要它来核对和续写。"+
				"请把签署它的 audit.key 从保管处放回原处(恢复备份时要连同原来的密钥文件一起恢复),或用 --audit-key 指明;"+
				"不要新建密钥,否则审计日志将无法核对。", path)}
		}
		if !create {
			return nil
		}
		if k, err = audit.CreateKey(path); err != nil {
			return fmt.Errorf("审计密钥:%w", err)
		}
	}
	if err != nil {
		return fmt.Errorf("审计密钥:%w", err)
	}
	if err := st.AttachAuditKey(ctx, k); errors.Is(err, store.ErrWrongAuditKey) {
		want, _ := st.AuditKeyCheck(ctx)
		return exitError{1, fmt.Sprintf("审计密钥与数据库不符:%s 里的密钥(校验值 %s)不是签署这个数据库审计日志的那把(校验值 %s)。"+
			"请把签署它的 audit.key 放回 %s(恢复备份时要放回做这份备份时所用的审计密钥),或用 --audit-key 指明;不要新建密钥。",
			path, k.Check(), want, path)}
	} else if err != nil {
		return err
	}
	return nil
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// openWithoutKey opens the store for tools that touch no personal data and
// write nothing, so that they never create a key file by accident. The
// keys that exist are checked all the same, and a database that needs a
// missing one is refused, as by every command.
func openWithoutKey(ctx context.Context, c Config) (*store.Store, error) {
	st, err := store.Open(ctx, c.DB, store.Options{Checkpoints: c.checkpointsPath()})
	if err != nil {
		return nil, err
	}
	if err := attachDataKey(ctx, st, c, false); err != nil {
		st.Close()
		return nil, err
	}
	if err := attachAuditKey(ctx, st, c, false); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
