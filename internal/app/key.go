package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/huanjie/huanjie/internal/keyfile"
	"github.com/huanjie/huanjie/internal/secret"
)

// keyCmd is `huanjie key rotate`: a new data key for the database. Every
// sealed ID and phone number and every lookup hash is sealed anew in one
// transaction, which also records the new key's fingerprint and is
// audited; the new key file is written beside the old (<key>.new) before
// that transaction and put in its place after it, and the old one is kept
// as <key>.YYYYMMDD-HHMMSS.bak, which the backups made before the rotation
// need.
func keyCmd(ctx context.Context, args []string, stdio IO) error {
	if len(args) == 0 || args[0] != "rotate" {
		return exitError{2, "用法:huanjie key rotate [--db DSN] [--data DIR] [--key FILE](先停止服务)"}
	}
	var c Config
	fs := newFlagSet("key rotate", "key rotate [--db DSN] [--data DIR] [--key FILE](先停止服务)", stdio.Err)
	commonFlags(fs, &c, false)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	path := c.keyPath()
	pending := path + ".new"
	key, err := secret.NewKey()
	if err != nil {
		return err
	}
	next, err := secret.New(key)
	if err != nil {
		return err
	}
	if err := keyfile.Create(pending, secret.Header, key); errors.Is(err, os.ErrExist) {
		return exitError{1, fmt.Sprintf("%s 已存在:上次密钥轮换没有完成。请先用现有密钥启动一次确认数据库所用的是哪把"+
			"(不符时提示会说明),再把多余的 %s 另存别处后重试。", pending, pending)}
	} else if err != nil {
		return fmt.Errorf("新数据密钥:%w", err)
	}
	r, err := st.RotateDataKey(ctx, cli, next)
	if err != nil {
		os.Remove(pending)
		return err
	}
	kept := path + "." + time.Now().Format("20060102-150405") + ".bak"
	if err := keyfile.Install(pending, path, kept); err != nil {
		return exitError{1, fmt.Sprintf("数据库已改用新密钥(指纹 %s),但新密钥文件没能换上:%v。"+
			"请把 %s 另存为 %s,再把 %s 改名为 %s,然后启动。", r.To, err, path, kept, pending, path)}
	}
	fmt.Fprintf(stdio.Out, "已轮换数据密钥:重新加密了 %d 个个人信息字段和查找哈希。\n新密钥 %s(指纹 %s)。\n"+
		"旧密钥(指纹 %s)另存为 %s:此前做的备份要用它恢复,请与那些备份的密钥一起保管。\n请立即做一次新的备份。\n",
		r.Values, path, r.To, r.From, kept)
	return nil
}
