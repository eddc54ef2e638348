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
)

// A backup is one .tar.gz: huanjie.db, a consistent copy of the SQLite
// database taken while the server runs, and files/, the archive folder. The
// data key is deliberately left out: keep it apart from the backups.
const (
	backupDB    = "huanjie.db"
	backupFiles = "files"
)

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
	n, err := Backup(ctx, c, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "已备份数据库和 %d 个归档文件到 %s\n数据密钥 %s 不在备份中,请另行妥善保管。\n", n, *out, c.keyPath())
	return nil
}

// Backup writes the backup file and returns how many archive files it holds.
func Backup(ctx context.Context, c Config, out string) (int, error) {
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
	snapshot := filepath.Join(tmp, backupDB)
	if err := st.BackupTo(ctx, snapshot); err != nil {
		return 0, err
	}
	partial := out + ".partial"
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := writeBackup(f, snapshot, filepath.Join(c.DataDir, backupFiles))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(partial)
		return 0, err
	}
	return n, os.Rename(partial, out)
}

func writeBackup(w io.Writer, snapshot, filesDir string) (int, error) {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	if err := addFile(tw, snapshot, backupDB); err != nil {
		return 0, err
	}
	n := 0
	err := filepath.WalkDir(filesDir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == filesDir {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(filesDir, p)
		if err != nil {
			return err
		}
		n++
		return addFile(tw, p, path.Join(backupFiles, filepath.ToSlash(rel)))
	})
	if err != nil {
		return 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	return n, gz.Close()
}

func addFile(tw *tar.Writer, src, name string) error {
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
	_, err = io.Copy(tw, f)
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
	n, err := Restore(c, *in, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "已恢复数据库到 %s,归档文件 %d 个到 %s。\n请把原来的数据密钥(%s)和审计密钥(%s)放回原处后再启动;不要新建密钥。\n",
		sqlitePath(c.DB), n, filepath.Join(c.DataDir, backupFiles), c.keyPath(), c.auditKeyPath())
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

// Restore unpacks a backup into the config's SQLite file and data folder. It
// refuses to replace an existing database unless force is set.
func Restore(c Config, in string, force bool) (int, error) {
	dbPath := sqlitePath(c.DB)
	if dbPath == "" {
		return 0, errors.New("restore 只用于内置 SQLite 数据库;PostgreSQL 请用 pg_restore")
	}
	if _, err := os.Stat(dbPath); err == nil && !force {
		return 0, fmt.Errorf("%s 已存在;确认要覆盖请加 --force(先停止服务)", dbPath)
	}
	f, err := os.Open(in)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("不是有效的备份文件:%w", err)
	}
	tr := tar.NewReader(gz)
	n, sawDB := 0, false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("备份文件损坏:%w", err)
		}
		var dst string
		switch {
		case h.Name == backupDB:
			dst, sawDB = dbPath+".restoring", true
		case strings.HasPrefix(h.Name, backupFiles+"/") && !strings.Contains(h.Name, ".."):
			dst = filepath.Join(c.DataDir, filepath.FromSlash(h.Name))
			n++
		default:
			return n, fmt.Errorf("备份文件中有意外的条目 %q", h.Name)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return n, err
		}
		if err := writeFrom(dst, tr); err != nil {
			return n, err
		}
	}
	if !sawDB {
		return n, errors.New("备份文件中没有数据库")
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	return n, os.Rename(dbPath+".restoring", dbPath)
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
