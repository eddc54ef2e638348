package store

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"
)

// offPath runs a job on a goroutine of its own, off the request path: each
// write ends by waking it (wrote), and it runs at most every gap, so that
// under a stream of writes one run takes in all that was written since the
// last. Two jobs run so: SQLite's checkpoints (startWALCheckpointer) and the
// audit log's search table (audit_search.go).
type offPath struct {
	job    func(context.Context)
	gap    time.Duration
	kick   chan struct{}
	ctx    context.Context // the job's, ended by stop
	cancel context.CancelFunc
	done   chan struct{}
	runs   atomic.Int64 // jobs run, for tests
}

// minGap is the least time between two checkpoints.
const minGap = 200 * time.Millisecond

// startWALCheckpointer copies SQLite's write-ahead log back into the
// database file. SQLite's automatic checkpoint runs inside the commit that
// takes the log past 1,000 pages, so every hundredth or so write waited for
// it: one client's ledger notes had a 99th percentile of 8.5–10.7 ms with it
// and 4.5–4.8 ms without (docs/performance.md). The store opens its
// connections without it (wal_autocheckpoint(0)); each write ends by waking
// this goroutine, which runs a passive checkpoint (it waits for no reader or
// writer) at most every minGap.
func startWALCheckpointer(db *sql.DB) *offPath {
	// An error (a disk error) leaves the log as it is; the next write
	// tries again, and closing the last connection checkpoints it whole.
	return startOffPath(minGap, func(context.Context) { db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`) })
}

// startOffPath starts the goroutine that runs job after a write, at most
// every gap; the job's context ends when it is stopped.
func startOffPath(gap time.Duration, job func(context.Context)) *offPath {
	w := &offPath{job: job, gap: gap, kick: make(chan struct{}, 1), done: make(chan struct{})}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	go w.loop()
	return w
}

// StartWALCheckpoints checkpoints the log of db, a SQLite pool opened with
// OpenPool outside a Store, as a Store checkpoints its own: wrote, called
// after each write commits, wakes a goroutine that runs a passive
// checkpoint at most every minGap; stop ends it. huanjie-bench's bare
// baseline uses it, so that its writes' log is taken in by its own
// checkpoints, as the platform's is, and not by the platform's next ones.
func StartWALCheckpoints(db *sql.DB) (wrote, stop func()) {
	w := startWALCheckpointer(db)
	return w.wrote, w.stop
}

// wrote tells the goroutine that a write committed; it never waits.
func (w *offPath) wrote() {
	if w == nil {
		return
	}
	select {
	case w.kick <- struct{}{}:
	default: // a run is already due
	}
}

func (w *offPath) loop() {
	defer close(w.done)
	for {
		select {
		case <-w.ctx.Done():
			return
		case <-w.kick:
		}
		w.job(w.ctx)
		w.runs.Add(1)
		select {
		case <-w.ctx.Done():
			return
		case <-time.After(w.gap):
		}
	}
}

// stop ends the goroutine after the job it is running, if any, whose
// context it ends.
func (w *offPath) stop() {
	if w == nil {
		return
	}
	w.cancel()
	<-w.done
}
