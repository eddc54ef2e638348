package store

import (
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// walCheckpointer copies SQLite's write-ahead log back into the database
// file on a goroutine of its own. SQLite's automatic checkpoint runs inside
// the commit that takes the log past 1,000 pages, so every hundredth or so
// write waited for it: one client's ledger notes had a 99th percentile of
// 8.5–10.7 ms with it and 4.5–4.8 ms without (docs/performance.md). The store opens
// its connections without it (wal_autocheckpoint(0)); each write ends by
// waking this goroutine, which runs a passive checkpoint (it waits for no
// reader or writer) at most every minGap.
type walCheckpointer struct {
	db       *sql.DB
	kick     chan struct{}
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	runs     atomic.Int64 // checkpoints run, for tests
}

// minGap is the least time between two checkpoints: under a stream of
// writes one checkpoint takes in all the log written since the last.
const minGap = 200 * time.Millisecond

func startWALCheckpointer(db *sql.DB) *walCheckpointer {
	w := &walCheckpointer{db: db, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
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

// wrote tells the checkpointer that a write committed; it never waits.
func (w *walCheckpointer) wrote() {
	if w == nil {
		return
	}
	select {
	case w.kick <- struct{}{}:
	default: // a checkpoint is already due
	}
}

func (w *walCheckpointer) loop() {
	defer close(w.done)
	for {
		select {
		case <-w.quit:
			return
		case <-w.kick:
		}
		// An error (a disk error) leaves the log as it is; the next write
		// tries again, and closing the last connection checkpoints it whole.
		w.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		w.runs.Add(1)
		select {
		case <-w.quit:
			return
		case <-time.After(minGap):
		}
	}
}

// stop ends the goroutine after the checkpoint it is running, if any.
func (w *walCheckpointer) stop() {
	if w == nil {
		return
	}
	w.stopOnce.Do(func() { close(w.quit) })
	<-w.done
}
