package app

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/keyfile"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/termprogress"
)

// A backup is one .tar.gz: keys.txt, the fingerprints of the data key and
// the audit key the database was sealed with (never the keys); huanjie.db,
// a consistent copy of the SQLite database taken while the server runs; and
// files/, the archive folder. The keys are deliberately left out: keep them
// apart from the backups.
const (
	backupKeys  = "keys.txt"
	backupDB    = "huanjie.db"
	backupFiles = "files"
)

// KeyChecks are the fingerprints of a database's keys, "" for a key that
// has sealed nothing yet.
type KeyChecks struct{ Data, Audit string }

func (k KeyChecks) String() string {
	return "# huanjie backup: fingerprints of the keys this database needs (not the keys)\n" +
		"data_key " + k.Data + "\naudit_key " + k.Audit + "\n"
}

func parseKeyChecks(r io.Reader) (KeyChecks, error) {
	raw, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return KeyChecks{}, err
	}
	var k KeyChecks
	for _, line := range strings.Split(string(raw), "\n") {
		name, value, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch name {
		case "data_key":
			k.Data = strings.TrimSpace(value)
		case "audit_key":
			k.Audit = strings.TrimSpace(value)
		}
	}
	return k, nil
}

func backupCmd(ctx context.Context, args []string, stdio IO) error {
	var c Config
	fs := newFlagSet("backup", "backup [--db DSN] [--data DIR] --out FILE.tar.gz", stdio.Err)
	commonFlags(fs, &c, false)
	out := fs.String("out", "", "备份文件(.tar.gz),不能已存在")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return exitError{2, "请用 --out 指定备份文件"}
	}
	if sqlitePath(c.DB) == "" {
		return exitError{2, "PostgreSQL 请用 pg_dump 备份(见 README);backup 只用于内置 SQLite 数据库"}
	}
	p := termprogress.New(stdio.Out)
	n, err := backup(ctx, c, *out, p)
	p.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "已备份数据库和 %d 个归档文件到 %s\n数据密钥 %s 和审计密钥 %s 不在备份中,请另行妥善保管;"+
		"恢复这份备份时要用它们(备份里记有它们的指纹)。\n", n, *out, c.keyPath(), c.auditKeyPath())
	return nil
}

// Backup writes the backup file and returns how many archive files it holds.
func Backup(ctx context.Context, c Config, out string) (int, error) { return backup(ctx, c, out, nil) }

// backup is Backup showing on p (nil for none) the bytes read so far.
func backup(ctx context.Context, c Config, out string, p *termprogress.Line) (int, error) {
	if _, err := os.Stat(out); err == nil {
		return 0, fmt.Errorf("%s 已存在,不会覆盖", out)
	}
	st, err := openWithoutKey(ctx, c)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".huanjie-backup-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	var keys KeyChecks
	if keys.Data, _, err = st.DataKeyCheck(ctx); err != nil {
		return 0, err
	}
	if keys.Audit, err = st.AuditKeyCheck(ctx); err != nil {
		return 0, err
	}
	snapshot := filepath.Join(tmp, backupDB)
	if err := st.BackupTo(ctx, snapshot); err != nil {
		return 0, err
	}
	partial := out + ".partial"
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := writeBackup(f, keys, snapshot, filepath.Join(c.DataDir, backupFiles), p)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(partial)
		return 0, err
	}
	return n, os.Rename(partial, out)
}

func writeBackup(w io.Writer, keys KeyChecks, snapshot, filesDir string, p *termprogress.Line) (int, error) {
	if p != nil {
		p.Bytes("备份", backupSize(snapshot, filesDir))
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	// First, so that a restore can stop over a key mismatch before it writes anything.
	manifest := keys.String()
	if err := tw.WriteHeader(&tar.Header{Name: backupKeys, Mode: 0o600, Size: int64(len(manifest)), ModTime: time.Now()}); err != nil {
		return 0, err
	}
	if _, err := io.WriteString(tw, manifest); err != nil {
		return 0, err
	}
	if err := addFile(tw, snapshot, backupDB, p); err != nil {
		return 0, err
	}
	n := 0
	err := filepath.WalkDir(filesDir, func(file string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && file == filesDir {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(filesDir, file)
		if err != nil {
			return err
		}
		n++
		return addFile(tw, file, path.Join(backupFiles, filepath.ToSlash(rel)), p)
	})
	if err != nil {
		return 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	return n, gz.Close()
}

// backupSize is the bytes a backup reads: the snapshot and the archive's
// files, for the progress line (an unreadable file counts nothing here and
// fails the backup itself).
func backupSize(snapshot, filesDir string) int64 {
	var n int64
	if info, err := os.Stat(snapshot); err == nil {
		n = info.Size()
	}
	filepath.WalkDir(filesDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// addFile adds src to tw as name, counting its bytes on p (nil for none).
func addFile(tw *tar.Writer, src, name string, p *termprogress.Line) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: info.Size(), ModTime: info.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, p.Reader(f))
	return err
}

func restoreCmd(ctx context.Context, args []string, stdio IO) error {
	var c Config
	fs := newFlagSet("restore", "restore --in FILE.tar.gz [--db sqlite:PATH] [--data DIR] [--force]", stdio.Err)
	commonFlags(fs, &c, false)
	in := fs.String("in", "", "备份文件(.tar.gz)")
	force := fs.Bool("force", false, "覆盖已有的数据库文件")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" {
		return exitError{2, "请用 --in 指定备份文件"}
	}
	p := termprogress.New(stdio.Out)
	n, keys, err := restore(c, *in, *force, p)
	p.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "已恢复数据库到 %s,归档文件 %d 个到 %s。\n", sqlitePath(c.DB), n, filepath.Join(c.DataDir, backupFiles))
	for _, k := range []struct{ name, path, label, check string }{{"数据密钥", c.keyPath(), "指纹", keys.Data},
		{"审计密钥", c.auditKeyPath(), "校验值", keys.Audit}} {
		switch {
		case k.check == "": // the backup's database had no such key yet, or the backup is older than keys.txt
		case fileExists(k.path):
			fmt.Fprintf(stdio.Out, "%s %s 与备份相符(%s %s)。\n", k.name, k.path, k.label, k.check)
		default:
			fmt.Fprintf(stdio.Out, "请把做这份备份时所用的%s(%s %s)放回 %s 后再启动;不要新建密钥。\n", k.name, k.label, k.check, k.path)
		}
	}
	if kept, err := setAsideCheckpoints(c); err != nil {
		return err
	} else if kept != "" {
		fmt.Fprintf(stdio.Out, "恢复的是备份时的数据,审计日志短于此后的检查点;原检查点文件已另存为 %s,请与本次恢复的记录一并存档。\n", kept)
	}
	return nil
}

// setAsideCheckpoints moves the checkpoint file of the data folder aside
// after a restore: the restored log is older than its later checkpoints,
// which would otherwise report it as cut back. The file is kept, renamed,
// as the record of what the log held before the restore.
func setAsideCheckpoints(c Config) (string, error) {
	path := c.checkpointsPath()
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	kept := strings.TrimSuffix(path, ".log") + ".before-restore-" + time.Now().Format("20060102-150405") + ".log"
	return kept, os.Rename(path, kept)
}

// Restore unpacks a backup into the config's SQLite file and data folder
// and returns how many archive files it held and the fingerprints of the
// keys it needs. It refuses to replace an existing database unless force is
// set, and stops before it writes anything when a key file already in
// place is not the one the backup's database was sealed with.
func Restore(c Config, in string, force bool) (n int, keys KeyChecks, err error) {
	return restore(c, in, force, nil)
}

// restore is Restore showing on p (nil for none) the bytes of the backup
// file read so far.
func restore(c Config, in string, force bool, p *termprogress.Line) (n int, keys KeyChecks, err error) {
	dbPath := sqlitePath(c.DB)
	if dbPath == "" {
		return 0, keys, errors.New("restore 只用于内置 SQLite 数据库;PostgreSQL 请用 pg_restore")
	}
	if _, err := os.Stat(dbPath); err == nil && !force {
		return 0, keys, fmt.Errorf("%s 已存在;确认要覆盖请加 --force(先停止服务)", dbPath)
	}
	f, err := os.Open(in)
	if err != nil {
		return 0, keys, err
	}
	defer f.Close()
	var src io.Reader = f
	if info, err := f.Stat(); err == nil && p != nil {
		p.Bytes("恢复", info.Size())
		src = p.Reader(f)
	}
	gz, err := gzip.NewReader(src)
	if err != nil {
		return 0, keys, fmt.Errorf("不是有效的备份文件:%w", err)
	}
	tr := tar.NewReader(gz)
	sawDB := false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, keys, fmt.Errorf("备份文件损坏:%w", err)
		}
		var dst string
		switch {
		case h.Name == backupKeys && n == 0 && !sawDB:
			if keys, err = parseKeyChecks(tr); err != nil {
				return n, keys, fmt.Errorf("备份文件损坏:%w", err)
			}
			if err := keysFit(c, keys); err != nil {
				return n, keys, err
			}
			continue
		case h.Name == backupDB:
			dst, sawDB = dbPath+".restoring", true
		case strings.HasPrefix(h.Name, backupFiles+"/") && !strings.Contains(h.Name, ".."):
			dst = filepath.Join(c.DataDir, filepath.FromSlash(h.Name))
			n++
		default:
			return n, keys, fmt.Errorf("备份文件中有意外的条目 %q", h.Name)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return n, keys, err
		}
		if err := writeFrom(dst, tr); err != nil {
			return n, keys, err
		}
	}
	if !sawDB {
		return n, keys, errors.New("备份文件中没有数据库")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	return n, keys, os.Rename(dbPath+".restoring", dbPath)
}

// keysFit refuses a restore when a key file in place is not the key the
// backup's database was sealed with: the database restored over it would
// not start. A missing key file is left to the message after the restore.
func keysFit(c Config, keys KeyChecks) error {
	if keys.Data != "" {
		box, err := secret.Load(c.keyPath())
		if err != nil && !errors.Is(err, keyfile.ErrMissing) {
			return fmt.Errorf("未恢复:数据密钥 %s 读不出:%w", c.keyPath(), err)
		}
		if err == nil && box.Check() != keys.Data {
			return exitError{1, fmt.Sprintf("未恢复:这份备份的数据库是用指纹为 %s 的数据密钥加密的,而 %s 里的数据密钥指纹是 %s。"+
				"请先把做这份备份时所用的数据密钥放到 %s(现有的密钥文件先另存),或用 --key 指明它,再恢复。",
				keys.Data, c.keyPath(), box.Check(), c.keyPath())}
		}
	}
	if keys.Audit != "" {
		k, err := audit.LoadKey(c.auditKeyPath())
		if err != nil && !errors.Is(err, keyfile.ErrMissing) {
			return fmt.Errorf("未恢复:审计密钥 %s 读不出:%w", c.auditKeyPath(), err)
		}
		if err == nil && k.Check() != keys.Audit {
			return exitError{1, fmt.Sprintf("未恢复:这份备份的审计日志是用校验值为 %s 的审计密钥签署的,而 %s 里的审计密钥校验值是 %s。"+
				"请先把做这份备份时所用的 audit.key 放到 %s(现有的密钥文件先另存),或用 --audit-key 指明它,再恢复。",
				keys.Audit, c.auditKeyPath(), k.Check(), c.auditKeyPath())}
		}
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func writeFrom(dst string, r io.Reader) error {
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
