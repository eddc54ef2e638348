package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/huanjie/huanjie/internal/audit"
)

// On SQLite, which writes one transaction at a time, the writes that queue
// while one is being written are written together: one transaction holds
// each in a savepoint of its own and commits them all at once (group
// commit). A commit writes every page the transaction changed into the
// write-ahead log, and writes that come together change many of the same
// pages (the audit log's last page and its indexes', the chain's head, the
// tables they share), so one commit for several writes fewer pages than
// their commits one by one: with eight clients answering review requests,
// 27% of the time the write lock was held went to commits
// (docs/performance.md).
//
// Each write still has its own savepoint: one that fails, or panics, is
// rolled back to it and the others are not, as if it had run alone. A
// write answers only when the transaction that holds it has committed, so
// no write is told it is kept before it is. One client alone, or writes
// that do not queue, commit each at once, as before: nothing waits to make
// a group, which is only what queued anyway.
//
// The groups are written one after another by one goroutine, the
// drainer, which lives as long as the store: woken by a write that finds
// it idle, it takes the queue (up to groupMax writes), writes it, tells
// each write its outcome and takes the next group at once, until it finds
// the queue empty. Each writer waits on its own channel for its outcome.
// (The group was once written by the goroutine of its first write, which
// then handed the lead to the first write queued meanwhile; but that write
// sat runnable behind its predecessor, which went on to answer its own
// request, and with eight clients writing the write lock stood idle for
// 130-160 µs at each handover: docs/performance.md.)

// groupMax is the most writes one transaction holds. A group waits for its
// slowest write, so its size bounds how long a write can wait for others.
const groupMax = 32

// grouped is a write queued for its group.
type grouped struct {
	ctx   context.Context
	q     *Scoped
	fn    func(*Tx) error
	done  chan groupDone
	taken bool // its group is being written: it no longer leaves the queue when its context ends
}

// groupDone is a queued write's outcome: an error, or the value a panic of
// its fn carried.
type groupDone struct {
	err   error
	panic any
}

// writeGroups is the queue of SQLite's writes and its drainer.
type writeGroups struct {
	mu       sync.Mutex
	queue    []*grouped
	draining bool          // the drainer was woken and has not yet found the queue empty
	closed   bool          // the store is closing: no write is queued any more
	wake     chan struct{} // wakes the drainer (room for one); closed with the store
	done     chan struct{} // closed when the drainer has ended
	sizes    func(int)     // told each group's size, for tests (nil)
}

// errClosed refuses a write to a store being closed.
var errClosed = errors.New("store: closed")

// startDrainer starts the goroutine that writes SQLite's queued writes.
func (s *Store) startDrainer() {
	g := &s.groups
	g.wake, g.done = make(chan struct{}, 1), make(chan struct{})
	go func() {
		defer close(g.done)
		for range g.wake {
			s.drain()
		}
	}()
}

// stopDrainer refuses further writes and waits for the drainer to write
// those queued and end.
func (s *Store) stopDrainer() {
	g := &s.groups
	if g.wake == nil {
		return
	}
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.wake)
	}
	g.mu.Unlock()
	<-g.done
}

// writeGrouped queues fn's write and waits for its outcome.
func (s *Store) writeGrouped(ctx context.Context, q *Scoped, fn func(*Tx) error) error {
	w := &grouped{ctx: ctx, q: q, fn: fn, done: make(chan groupDone, 1)}
	g := &s.groups
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return errClosed
	}
	g.queue = append(g.queue, w)
	if !g.draining {
		// Never waits: the drainer took the last wake before it last
		// found the queue empty.
		g.draining = true
		g.wake <- struct{}{}
	}
	g.mu.Unlock()
	var d groupDone
	select {
	case d = <-w.done:
	case <-ctx.Done():
		// Given up while it waits in the queue: it leaves it, and its
		// request ends with its own error. Once taken, it waits for what
		// its group gives it.
		g.mu.Lock()
		if !w.taken {
			g.queue = slices.DeleteFunc(g.queue, func(x *grouped) bool { return x == w })
			g.mu.Unlock()
			return ctx.Err()
		}
		g.mu.Unlock()
		d = <-w.done
	}
	if d.panic != nil {
		panic(d.panic)
	}
	return d.err
}

// drain writes the queue's writes, a group at a time, until it finds the
// queue empty.
func (s *Store) drain() {
	g := &s.groups
	for {
		g.mu.Lock()
		n := min(len(g.queue), groupMax)
		if n == 0 {
			g.draining = false
			g.mu.Unlock()
			return
		}
		group := make([]*grouped, n)
		copy(group, g.queue)
		g.queue = g.queue[n:]
		for _, w := range group {
			w.taken = true
		}
		g.mu.Unlock()
		for i, d := range s.writeGroupSafely(group) {
			group[i].done <- d
		}
	}
}

// writeGroupSafely is writeGroup, with a panic outside any write's fn (the
// writes' own are recovered in writeOne) handed to every write of the
// group, to be raised again in each writer's goroutine, where the server
// recovers it as a handler's, rather than ending the process.
func (s *Store) writeGroupSafely(group []*grouped) (outcomes []groupDone) {
	defer func() {
		if p := recover(); p != nil {
			outcomes = make([]groupDone, len(group))
			for i := range outcomes {
				outcomes[i].panic = p
			}
		}
	}()
	if s.groups.sizes != nil {
		s.groups.sizes(len(group))
	}
	return s.writeGroup(group)
}

// writeGroup writes group in one transaction, each write in a savepoint,
// and returns each write's outcome. The transaction begins and commits
// on no write's context: a write given up by its client is rolled back to
// its savepoint, not the whole group with it.
func (s *Store) writeGroup(group []*grouped) []groupDone {
	outcomes := make([]groupDone, len(group))
	fail := func(err error) []groupDone {
		for i := range outcomes {
			if outcomes[i].err == nil && outcomes[i].panic == nil {
				outcomes[i].err = err
			}
		}
		return outcomes
	}
	bg := context.Background()
	tx, release, err := s.beginWrite(bg)
	if err != nil {
		return fail(fmt.Errorf("begin: %w", err))
	}
	defer release()
	tx.detached = true
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	head := s.head.Load()
	kept := 0
	// A write alone needs no savepoint: it fails with the transaction.
	savepoints := len(group) > 1
	point := func(stmt string) error {
		if !savepoints {
			return nil
		}
		_, err := tx.ExecContext(bg, stmt)
		return err
	}
	for i, w := range group {
		if err := w.ctx.Err(); err != nil {
			outcomes[i].err = err
			continue
		}
		if err := point(`SAVEPOINT w`); err != nil {
			return fail(fmt.Errorf("begin: %w", err))
		}
		h, d := s.writeOne(w, tx, head)
		outcomes[i] = d
		if d.err == nil && d.panic == nil {
			if err := point(`RELEASE w`); err != nil {
				return fail(fmt.Errorf("commit: %w", err))
			}
			head = &h
			kept++
			continue
		}
		// What the write did is undone, and the transaction goes on for
		// the others. Where SQLite has ended the transaction itself (a full
		// disk), there is no savepoint left, and the whole group fails.
		if err := point(`ROLLBACK TO w`); err != nil {
			return fail(fmt.Errorf("commit: %w", err))
		}
		if err := point(`RELEASE w`); err != nil {
			return fail(fmt.Errorf("commit: %w", err))
		}
	}
	if kept == 0 {
		return outcomes // rolled back, deferred
	}
	committed = true // Commit ends the transaction whatever it returns
	if err := tx.Commit(); err != nil {
		return fail(fmt.Errorf("commit: %w", err))
	}
	s.head.Store(head)
	return outcomes
}

// writeOne runs write w in the group's transaction tx, after head (the
// head the write before it left, or the store's), up to its commit: its
// new head, or its error, or the value of a panic of its fn, which the
// drainer recovers and w's own goroutine raises again.
func (s *Store) writeOne(w *grouped, tx *dbTx, head *audit.Head) (h audit.Head, d groupDone) {
	defer func() {
		if p := recover(); p != nil {
			d = groupDone{panic: p}
		}
	}()
	t := &Tx{tx: tx, s: s, q: w.q, after: head}
	keep, err := t.run(w.ctx, w.fn)
	if err != nil {
		return h, groupDone{err: err}
	}
	h, err = t.finish(w.ctx, keep)
	return h, groupDone{err: err}
}
