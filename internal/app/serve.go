package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/web"
)

func serveCmd(ctx context.Context, args []string, stdio IO) error {
	var c Config
	fs := newFlagSet("serve", "serve [--db DSN] [--addr HOST:PORT] [--data DIR] [--key FILE] [--demo]", stdio.Err)
	commonFlags(fs, &c, true)
	withDemo := fs.Bool("demo", false, "数据库为空时生成演示开发区(4个片区、32个社区)并打印演示账号")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return Serve(ctx, c, *withDemo, stdio, nil)
}

// Serve runs the platform until ctx ends. With withDemo it first fills an
// empty database with the demo zone. ready, if not nil, is told the address
// the server listens on (useful with port 0).
func Serve(ctx context.Context, c Config, withDemo bool, stdio IO, ready func(addr string)) error {
	proxies, err := web.ParseTrustedProxies(c.TrustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies:%w", err)
	}
	log := newLogger(stdio.Err)
	st, err := openAfterDemo(ctx, c, stdio)
	if err != nil {
		return err
	}
	defer st.Close()
	files, err := filestore.Open(filepath.Join(c.DataDir, "files"))
	if err != nil {
		return err
	}
	if withDemo {
		if err := loadDemoIfEmpty(ctx, st, files, stdio); err != nil {
			return err
		}
	}
	switch {
	case c.MaxMiB < 0:
		return fmt.Errorf("--max-upload must be at least 1 (MiB), got %d", c.MaxMiB)
	case c.MaxMiB > 0: // 0: the file store's default
		files.MaxSize = c.MaxMiB << 20
	}
	srv, err := web.New(st, log, web.WithFiles(files), web.WithTrustedProxies(proxies))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of recordings
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	go housekeeping(ctx, st, log)
	go checkpoints(ctx, st, log, time.Hour)
	go keepTargets(ctx, st, log, targetsEvery)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	addr := ln.Addr().String()
	log.Info("huanjie serving", "addr", "http://"+addr, "db", string(st.Engine()), "version", Version)
	fmt.Fprintf(stdio.Out, "换届工作平台已启动:http://%s\n", addr)
	if ready != nil {
		ready(addr)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func housekeeping(ctx context.Context, st *store.Store, log interface{ Warn(string, ...any) }) {
	every(ctx, 10*time.Minute, func() {
		if err := st.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("purge sessions", "err", err)
		}
		// A day's public tips not yet read by the office go into the audit
		// log, one entry per community, within ten minutes of the day's end.
		if err := st.LogTips(ctx, false); err != nil && ctx.Err() == nil {
			log.Warn("log tips", "err", err)
		}
	})
}

// targetsEvery is how often the server looks for a write that forgot
// targets' results (a variable so that a test can set it).
var targetsEvery = 5 * time.Second

// keepTargets computes the structure targets' results that writes forgot
// (a district's election days, a slate), off the request path: when the
// server starts, and within interval of any write that moves their version,
// by this server or another on the same database. The page that reads them
// then finds them kept instead of computing every community's on its
// request. Several servers may compute the same results at once; each is
// kept once (store.KeepAllTargetResults).
func keepTargets(ctx context.Context, st *store.Store, log interface{ Warn(string, ...any) }, interval time.Duration) {
	kept := int64(-1) // the version whose results are all kept
	keep := func() {
		v, err := st.TargetVersion(ctx)
		if err == nil && v != kept {
			if err = st.Zone(store.System).KeepAllTargetResults(ctx); err == nil {
				kept = v
			}
		}
		if err != nil && ctx.Err() == nil {
			log.Warn("keep targets", "err", err)
		}
	}
	keep()
	every(ctx, interval, keep)
}

// every runs fn at each interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}

// checkpoints signs the chain's head into the checkpoint file and checks
// the whole log when the server starts and every interval while the log
// grows: a log cut back or wiped behind the platform's back fails
// `audit verify`, and a record changed in the database is reported to the
// office (log and audit page) within the interval.
func checkpoints(ctx context.Context, st *store.Store, log *slog.Logger, interval time.Duration) {
	var last audit.Checkpoint
	var err error
	check := func() {
		if last, err = st.Checkpoint(ctx); err != nil {
			if ctx.Err() == nil {
				log.Warn("audit checkpoint", "err", err)
			}
			return
		}
		r, verr := st.CheckNow(ctx)
		switch {
		case verr != nil && ctx.Err() == nil:
			log.Warn("audit verify", "err", verr)
		case verr == nil && !r.OK():
			log.Error("审计日志核对未通过", "problem", st.LastVerify().Summary)
		}
	}
	check()
	every(ctx, interval, func() {
		if st.LastHead().Seq != last.Seq || err != nil {
			check()
		}
	})
}

func loadDemoIfEmpty(ctx context.Context, st *store.Store, files *filestore.Store, stdio IO) error {
	c, err := st.Zone(store.System).CountOrgs(ctx)
	if err != nil {
		return err
	}
	if c.Zones+c.Districts+c.Communities > 0 {
		fmt.Fprintln(stdio.Out, "数据库中已有数据,未重新生成演示数据(演示账号密码只在首次生成时打印;可用 huanjie user passwd 重设)。")
		return nil
	}
	return loadDemo(ctx, st, files, demo.DefaultSeed, demo.DefaultCommunities, stdio)
}
