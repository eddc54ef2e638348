package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"

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
  audit verify  校验审计日志哈希链
  backup        备份 SQLite 数据库和归档文件
  restore       从备份恢复
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

// open opens the store of a config with its data key (created if absent).
func open(ctx context.Context, c Config) (*store.Store, error) {
	box, err := secret.LoadOrCreate(c.keyPath())
	if err != nil {
		return nil, fmt.Errorf("数据密钥:%w", err)
	}
	return store.Open(ctx, c.DB, box)
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// openWithoutKey opens the store for tools that touch no personal data, so
// that they never create a key file by accident.
func openWithoutKey(ctx context.Context, c Config) (*store.Store, error) {
	return store.Open(ctx, c.DB, nil)
}
