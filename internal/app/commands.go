package app

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/termprogress"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/web"
)

func migrateCmd(ctx context.Context, args []string, stdio IO) error {
	var c Config
	fs := newFlagSet("migrate", "migrate [--db DSN]", stdio.Err)
	commonFlags(fs, &c, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openWithoutKey(ctx, c) // Open migrates.
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdio.Out, "数据库结构已是最新(%s)。\n", st.Engine())
	return nil
}

func demoCmd(ctx context.Context, args []string, stdio IO) error {
	var c Config
	fs := newFlagSet("demo", "demo [--db DSN] [--communities N] [--seed S]", stdio.Err)
	commonFlags(fs, &c, false)
	n := fs.Int("communities", demo.DefaultCommunities, "社区数量(1 至 100000)")
	seed := fs.Uint64("seed", demo.DefaultSeed, "随机种子:同一种子生成同样的开发区")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 100000 {
		return exitError{2, "--communities 必须在 1 到 100000 之间"}
	}
	st, err := openAfterDemo(ctx, c, stdio)
	if err != nil {
		return err
	}
	defer st.Close()
	files, err := filestore.Open(filepath.Join(c.DataDir, "files"))
	if err != nil {
		return err
	}
	return loadDemo(ctx, st, files, *seed, *n, stdio)
}

// openAfterDemo opens the store as open does, first emptying a database
// whose demo load was cut off: it held nothing before the load, and half a
// zone is of no use to the demo (which wants an empty database) nor to
// serve.
func openAfterDemo(ctx context.Context, c Config, stdio IO) (*store.Store, error) {
	st, err := open(ctx, c)
	if err != nil {
		return nil, err
	}
	interrupted, err := st.DemoInterrupted(ctx)
	if err != nil || !interrupted {
		if err != nil {
			st.Close()
		}
		return st, err
	}
	fmt.Fprintln(stdio.Out, "上次生成演示数据中途中断,数据库中只有一部分演示数据:已清空,从头开始。")
	err = st.ResetInterruptedDemo(ctx)
	st.Close()
	if err != nil {
		return nil, err
	}
	return open(ctx, c)
}

// loadDemo loads the demo zone all or nothing: the database is marked
// before the first write and unmarked after the last, and a load cut off
// leaves the mark, which makes the next demo or serve start afresh
// (openAfterDemo).
func loadDemo(ctx context.Context, st *store.Store, files *filestore.Store, seed uint64, n int, stdio IO) error {
	z := demo.Generate(seed, n)
	if err := st.BeginDemo(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "正在生成演示开发区:%d 个社区……\n", n)
	// On a terminal the batches of a stage ("组织 5000/12000") redraw one
	// progress line; elsewhere each is a line of its own, as it always was.
	p := termprogress.New(stdio.Out)
	err := demo.LoadWith(ctx, st, z, demo.LoadOptions{
		Progress: func(line string) {
			if !p.Counts(line) {
				fmt.Fprintln(stdio.Out, "  已写入", line)
			}
		},
		// The reports of the demo's confirmed ballots, filed as the confirm
		// handler files each when a coordinator confirms a ballot.
		FileReports: func(ctx context.Context) (int, error) {
			return web.FileReports(ctx, st, st.Zone(store.System), files)
		},
	})
	p.Done()
	if err != nil {
		return err
	}
	if err := demo.LoadArchive(ctx, st, files, z); err != nil {
		return err
	}
	if err := st.EndDemo(ctx); err != nil {
		return err
	}
	if _, err := st.Checkpoint(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdio.Out, "\n演示账号(密码只显示这一次,请记下):")
	for _, a := range z.Accounts {
		scope := a.Scope
		if scope == "" {
			scope = "全部"
		}
		if d, ok := vetting.DefaultDepartments().Find(a.Department); ok {
			scope += ",部门 " + d.Name + "(" + d.Code + ")"
		}
		fmt.Fprintf(stdio.Out, "  %-15s 密码 %s  %s(%s),范围 %s\n", a.Username, a.Password, a.Role.Label(), a.Role, scope)
	}
	return nil
}

const userUsage = `用法:huanjie user add --username U --role ROLE [--scope ORGCODE] [--department CODE] [--name 姓名]
      huanjie user passwd --username U
      huanjie user disable|enable|unlock|reset-password --username U
add 和 passwd 的密码从标准输入读取;reset-password 生成一次性密码,只显示一次,用户首次登录后须修改。`

func userCmd(ctx context.Context, args []string, stdio IO) error {
	if len(args) > 0 {
		if act, ok := userCare[args[0]]; ok {
			return userCareCmd(ctx, args[0], act, args[1:], stdio)
		}
	}
	if len(args) == 0 || (args[0] != "add" && args[0] != "passwd") {
		return exitError{2, userUsage}
	}
	var c Config
	sub := args[0]
	fs := newFlagSet("user "+sub, "user "+sub+" --username U [参数](密码从标准输入读取)", stdio.Err)
	commonFlags(fs, &c, false)
	username := fs.String("username", "", "用户名")
	var role, scope, dept, name *string
	if sub == "add" {
		role = fs.String("role", "", "角色:"+rolesList())
		scope = fs.String("scope", "", "管辖范围的组织编码;admin 不填为全部")
		dept = fs.String("department", "", "联审部门编码(reviewer 必填)")
		name = fs.String("name", "", "姓名")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *username == "" {
		return exitError{2, "请用 --username 指定用户名"}
	}
	password, err := readPassword(stdio)
	if err != nil {
		return err
	}
	st, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "passwd" {
		id, err := st.UserIDByUsername(ctx, *username)
		if err != nil {
			return err
		}
		if err := st.Zone(cli).Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(ctx, id, nil, password) }); err != nil {
			return err
		}
		fmt.Fprintf(stdio.Out, "已重设 %s 的密码,其所有会话已退出。\n", *username)
		return nil
	}
	var u account.User
	err = st.Zone(cli).Write(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.AddUser(ctx, account.NewUser{Username: *username, DisplayName: *name, Role: account.Role(*role),
			ScopeCode: *scope, DepartmentCode: *dept, Password: password})
		return err
	})
	if err != nil {
		return err
	}
	where := "全部"
	if u.ScopeName != "" {
		where = u.ScopeName
	}
	fmt.Fprintf(stdio.Out, "已新建账号 %s:%s,管辖范围 %s\n", u.Username, u.Role.Label(), where)
	return nil
}

// cli is the actor of what the office does on the command line.
var cli = store.Actor{Name: "cli"}

func rolesList() string {
	var names []string
	for _, r := range account.Roles {
		names = append(names, string(r))
	}
	return strings.Join(names, " ")
}

func readPassword(stdio IO) (string, error) {
	if stdio.In == nil {
		return "", exitError{2, "请从标准输入提供密码"}
	}
	line, err := bufio.NewReader(stdio.In).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil {
			return "", exitError{2, "没有从标准输入读到密码"}
		}
		return "", exitError{2, "密码不能为空"}
	}
	return line, nil
}

func auditCmd(ctx context.Context, args []string, stdio IO) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint") {
		return exitError{2, "用法:huanjie audit verify [--db DSN] [--checkpoint 文件 …]\n      huanjie audit checkpoint [--db DSN]"}
	}
	var c Config
	sub := args[0]
	fs := newFlagSet("audit "+sub, "audit "+sub+" [--db DSN] [--data DIR] [--audit-key FILE]", stdio.Err)
	commonFlags(fs, &c, false)
	var files fileList
	if sub == "verify" {
		fs.Var(&files, "checkpoint", "另行保存的检查点或签署声明文件(可重复);本地的 <data>/audit-checkpoints.log 总会核对")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openWithoutKey(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := os.Stat(c.auditKeyPath()); err != nil {
		return exitError{1, fmt.Sprintf("审计密钥文件 %s 不存在,核对和签署审计日志都需要它。"+
			"请把签署这个数据库审计日志的 audit.key 从保管处放回原处,或用 --audit-key 指明。", c.auditKeyPath())}
	}
	if sub == "checkpoint" {
		cp, err := st.Checkpoint(ctx)
		if err != nil {
			return err
		}
		fmt.Fprint(stdio.Out, st.Statement(cp))
		return nil
	}
	var extra []audit.Checkpoint
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return exitError{2, "检查点文件:" + err.Error()}
		}
		cs, err := audit.ReadCheckpoints(f)
		f.Close()
		if err != nil || len(cs) == 0 {
			return exitError{2, fmt.Sprintf("检查点文件 %s 里没有可读的检查点:%v", name, err)}
		}
		extra = append(extra, cs...)
	}
	r, err := st.VerifyAudit(ctx, extra)
	if err != nil {
		return err
	}
	if r.OK() {
		fmt.Fprintf(stdio.Out, "审计日志完好:共 %d 条记录,核对了 %d 个检查点和 %d 条受保护的记录。\n", r.Entries, r.Checkpoints, r.Records)
		return nil
	}
	var b strings.Builder
	b.WriteString("审计日志核对未通过:\n")
	if r.Chain != nil {
		fmt.Fprintf(&b, "- 哈希链:第 %d 条(%s);此前 %d 条完好。\n", r.Chain.Seq, r.Chain.Reason, r.Entries)
	}
	for _, p := range r.Rollbacks {
		fmt.Fprintf(&b, "- 检查点:%s。\n", p)
	}
	for _, p := range r.RecordProblems {
		fmt.Fprintf(&b, "- 受保护的记录:%s。\n", p)
	}
	if r.SearchMismatches > 0 {
		fmt.Fprintf(&b, "- 筛选索引:%s(服务器下次自动核对日志时按日志更正)。\n", store.SearchProblem(r.SearchMismatches))
	}
	return exitError{1, strings.TrimRight(b.String(), "\n")}
}

// fileList is a flag that may be given many times.
type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(v string) error { *f = append(*f, v); return nil }
