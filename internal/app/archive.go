package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/huanjie/huanjie/internal/filestore"
)

// archiveCmd is `huanjie archive verify`: every file of the file store that
// a record names (archive, attachments, tip files, photos, evidence) is
// read whole against its SHA-256; the missing and changed ones are listed
// with the records that name them, and the command fails if there are any.
func archiveCmd(ctx context.Context, args []string, stdio IO) error {
	if len(args) == 0 || args[0] != "verify" {
		return exitError{2, "用法:huanjie archive verify [--db DSN] [--data DIR]"}
	}
	var c Config
	fs := newFlagSet("archive verify", "archive verify [--db DSN] [--data DIR]", stdio.Err)
	commonFlags(fs, &c, false)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openWithoutKey(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	dir := filepath.Join(c.DataDir, "files")
	files, err := filestore.Open(dir)
	if err != nil {
		return err
	}
	stored, err := st.StoredFiles(ctx)
	if err != nil {
		return err
	}
	var b strings.Builder
	bad := 0
	for _, f := range stored {
		err := files.Check(f.SHA256)
		var what string
		switch {
		case err == nil:
			continue
		case errors.Is(err, filestore.ErrGone):
			what = "已丢失"
		case errors.Is(err, filestore.ErrCorrupt):
			what = "已被改动"
		default:
			what = "无法读取:" + err.Error()
		}
		bad++
		fmt.Fprintf(&b, "- %s %s:%s\n", what, f.SHA256, strings.Join(f.Where, ";"))
	}
	if bad == 0 {
		fmt.Fprintf(stdio.Out, "档案文件完好:核对了 %s 中的 %d 个文件。\n", dir, len(stored))
		return nil
	}
	return exitError{1, fmt.Sprintf("档案文件核对未通过:%d 个文件中有 %d 个已丢失或被改动(%s):\n%s"+
		"请从备份(huanjie restore 的备份文件中的 files/)取回这些文件放回原处,或删除记录后重新上传。",
		len(stored), bad, dir, b.String())}
}
