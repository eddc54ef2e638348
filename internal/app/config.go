// Package app is the huanjie command: the server, the command-line tool and
// the migrator in one. Main takes its arguments and streams and returns an
// exit code, so tests run it like a user would.
package app

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
)

// Config is what every subcommand may need.
type Config struct {
	DB      string // DSN: sqlite:PATH or postgres://…
	Addr    string // listen address of serve
	DataDir string // files folder (archive, uploads) and default key place
	KeyFile string // data key sealing ID and phone numbers
	// AuditKeyFile seals the audit log and signs its checkpoints; beside the
	// data key, never in a backup of the database.
	AuditKeyFile string
	MaxMiB       int64 // serve: the largest upload, in MiB (0: the file store's default)

	TrustedProxies string // serve: reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed
}

// commonFlags registers --db, --data and --key (and --addr when withAddr) on
// fs, with defaults from the environment.
func commonFlags(fs *flag.FlagSet, c *Config, withAddr bool) {
	fs.StringVar(&c.DB, "db", envOr("HUANJIE_DB", store.DefaultDSN), "数据库:sqlite:路径 或 postgres://…(环境变量 HUANJIE_DB)")
	fs.StringVar(&c.DataDir, "data", envOr("HUANJIE_DATA", "data"), "文件目录:归档材料和默认密钥所在处(环境变量 HUANJIE_DATA)")
	fs.StringVar(&c.KeyFile, "key", os.Getenv("HUANJIE_KEY_FILE"), "个人信息加密密钥文件,默认 <data>/huanjie.key,不存在时自动生成(环境变量 HUANJIE_KEY_FILE)")
	fs.StringVar(&c.AuditKeyFile, "audit-key", os.Getenv("HUANJIE_AUDIT_KEY_FILE"), "审计密钥文件,默认 <data>/audit.key;新库首次运行时自动生成,已签署的库缺少它时拒绝启动(环境变量 HUANJIE_AUDIT_KEY_FILE)")
	if withAddr {
		fs.StringVar(&c.Addr, "addr", envOr("HUANJIE_ADDR", "127.0.0.1:8080"), "监听地址(环境变量 HUANJIE_ADDR);局域网使用可设为 :8080")
		def, _ := strconv.ParseInt(envOr("HUANJIE_MAX_UPLOAD", strconv.FormatInt(filestore.DefaultMaxSize>>20, 10)), 10, 64)
		fs.Int64Var(&c.MaxMiB, "max-upload", def, "单个上传文件的上限,单位 MiB(环境变量 HUANJIE_MAX_UPLOAD)")
		fs.StringVar(&c.TrustedProxies, "trusted-proxies", os.Getenv("HUANJIE_TRUSTED_PROXIES"), "反向代理的地址(IP 或 CIDR,逗号分隔);来自这些地址的请求按 X-Forwarded-For 取用户地址,用于登录锁定和举报限流(环境变量 HUANJIE_TRUSTED_PROXIES)")
	}
}

func (c Config) keyPath() string {
	if c.KeyFile != "" {
		return c.KeyFile
	}
	return filepath.Join(c.DataDir, "huanjie.key")
}

func (c Config) auditKeyPath() string {
	if c.AuditKeyFile != "" {
		return c.AuditKeyFile
	}
	return filepath.Join(c.DataDir, "audit.key")
}

// checkpointsPath is the append-only file of the chain's signed heads.
func (c Config) checkpointsPath() string { return filepath.Join(c.DataDir, "audit-checkpoints.log") }

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// newFlagSet returns a flag set whose --help prints usage and the flags in Chinese.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "用法:huanjie %s\n\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// sqlitePath returns the file of an sqlite DSN, "" for other engines.
func sqlitePath(dsn string) string {
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		return p
	}
	return ""
}
