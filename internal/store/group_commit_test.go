package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
)

// grouping holds one write of the zone open on SQLite, so that the writes
// queued next are written as one group once it is let go.
type grouping struct {
	t       *testing.T
	st      *store.Store
	release func()
	held    chan error
	wg      sync.WaitGroup
	mu      sync.Mutex
	got     map[string]error
}

// holdWrite writes the household 先写的 and holds its write open until
// let go (release); a failed test lets it go too.
func holdWrite(t *testing.T, st *store.Store) *grouping {
	g := &grouping{t: t, st: st, held: make(chan error, 1), got: map[string]error{}}
	holding, hold := make(chan struct{}), make(chan struct{})
	g.release = sync.OnceFunc(func() { close(hold) })
	t.Cleanup(g.release)
	go func() {
		g.held <- st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			err := addHousehold(ctx, tx, "先写的")
			close(holding)
			<-hold
			return err
		})
	}()
	<-holding
	return g
}

func addHousehold(ctx context.Context, tx *store.Tx, address string) error {
	_, err := tx.AddHousehold(ctx, "Z-1-1", visit.Household{Address: address, Head: "户主", Size: 1})
	return err
}

// queue starts write, named name, and waits until it is queued.
func (g *grouping) queue(name string, write func() error) {
	g.t.Helper()
	n := g.st.QueuedWrites()
	g.wg.Go(func() {
		err := write()
		g.mu.Lock()
		g.got[name] = err
		g.mu.Unlock()
	})
	g.queued(n + 1)
}

// queued waits until n writes are queued.
func (g *grouping) queued(n int) {
	g.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); g.st.QueuedWrites() != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			g.t.Fatalf("%d writes queued, want %d", g.st.QueuedWrites(), n)
		}
	}
}

// outcomes lets the held write go and returns the queued writes' errors
// by name, once all have ended.
func (g *grouping) outcomes() map[string]error {
	g.t.Helper()
	g.release()
	if err := <-g.held; err != nil {
		g.t.Fatal(err)
	}
	g.wg.Wait()
	return g.got
}

// households fails the test unless the community's households are want.
func (g *grouping) households(want ...string) {
	g.t.Helper()
	page, err := g.st.Zone(store.System).Households(ctx, "Z-1-1", 0, 0)
	if err != nil {
		g.t.Fatal(err)
	}
	var got []string
	for _, h := range page.Households {
		got = append(got, h.Address)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		g.t.Errorf("households %v, want %v", got, want)
	}
}

// On SQLite the writes that queue behind one are written together, in one
// transaction with a savepoint each (group_commit.go), and each comes out
// as it would alone: a write refused, one that panics and one given up
// while it waited change nothing, and the panic reaches its own caller;
// the others are kept, each with its entry in the audit log, whose chain
// holds (testdb verifies it when the test ends).
func TestWritesGroupTogether(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	tree(t, st)
	var mu sync.Mutex
	var sizes []int
	st.OnGroup(func(n int) { mu.Lock(); sizes = append(sizes, n); mu.Unlock() })
	zone := st.Zone(store.System)
	add := func(ctx context.Context, address string, then func() error) error {
		return zone.Write(ctx, func(tx *store.Tx) error {
			if err := addHousehold(ctx, tx, address); err != nil {
				return err
			}
			return then()
		})
	}
	kept := func() error { return nil }
	g := holdWrite(t, st)
	gone, cancel := context.WithCancel(ctx)
	g.queue("kept", func() error { return add(ctx, "成组一", kept) })
	g.queue("refused", func() error { return add(ctx, "被拒的", func() error { return errs.New(errs.Invalid, "不行") }) })
	g.queue("gone", func() error { return add(gone, "走了的", kept) })
	g.queue("panics", func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return add(ctx, "崩溃的", func() error { panic("boom") })
	})
	g.queue("kept too", func() error { return add(ctx, "成组二", kept) })
	cancel()
	g.queued(4) // the one given up has left the queue
	got := g.outcomes()
	if got["kept"] != nil || got["kept too"] != nil || !errs.Is(got["refused"], errs.Invalid) ||
		!errors.Is(got["gone"], context.Canceled) || fmt.Sprint(got["panics"]) != "panic: boom" {
		t.Errorf("outcomes: %v", got)
	}
	if !slices.Contains(sizes, 4) {
		t.Errorf("groups written: %v, want one of the 4 queued together", sizes)
	}
	g.households("先写的", "成组一", "成组二")
	log, err := zone.AuditLog(ctx, store.AuditFilter{Entity: "household"})
	if err != nil || len(log) != 3 {
		t.Errorf("%d entries of households in the audit log, want 3 (%v)", len(log), err)
	}
}

// A write of a group whose request ends while one of its statements runs
// does not interrupt SQLite, which would roll back the whole transaction,
// the writes before it in its group with them: the statement runs to its
// end, the write's next statement fails with the request's error, and the
// write alone is rolled back.
func TestGroupedWriteOutlivesItsRequest(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	tree(t, st)
	zone := st.Zone(store.System)
	write := func(fn func(*store.Tx) error) func() error {
		return func() error { return zone.Write(ctx, fn) }
	}
	// ended is a write whose request ends 20 ms into a long update, run
	// by exec, or prepared as a bulk import's statements are.
	ended := func(address string, exec func(*store.Tx, context.Context, string) error) func() error {
		return write(func(tx *store.Tx) error {
			if err := addHousehold(ctx, tx, address); err != nil {
				return err
			}
			short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
			defer cancel()
			// An update far longer than 20 ms, which changes nothing: the
			// ids it looks for, a million of them, are none of the tree's.
			// An update, not a read: SQLite rolls back the whole
			// transaction when it interrupts a write.
			if err := exec(tx, short, `UPDATE orgs SET name = name WHERE id IN (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT -i FROM n)`); err != nil {
				return fmt.Errorf("the long statement: %w", err)
			}
			return tx.Exec(short, `SELECT 1`)
		})
	}
	g := holdWrite(t, st)
	g.queue("kept", write(func(tx *store.Tx) error { return addHousehold(ctx, tx, "成组一") }))
	g.queue("ended", ended("请求已结束的", (*store.Tx).Exec))
	g.queue("ended, prepared", ended("请求已结束的二", (*store.Tx).ExecPrepared))
	g.queue("kept too", write(func(tx *store.Tx) error { return addHousehold(ctx, tx, "成组二") }))
	got := g.outcomes()
	if got["kept"] != nil || got["kept too"] != nil {
		t.Errorf("outcomes: %v", got)
	}
	for _, name := range []string{"ended", "ended, prepared"} {
		if !errors.Is(got[name], context.DeadlineExceeded) || strings.Contains(fmt.Sprint(got[name]), "the long statement") {
			t.Errorf("%s: %v, want its request's end at its next statement", name, got[name])
		}
	}
	g.households("先写的", "成组一", "成组二")
}

// Closing a SQLite store writes the writes already queued, refuses the
// ones that come after, and returns once the queue is written: no write
// waits for ever on a store closed under it, and none is lost once queued.
func TestCloseWritesWhatIsQueued(t *testing.T) {
	st, dsn, opts := sqliteFileStore(t)
	zone := st.Zone(store.System)
	g := holdWrite(t, st)
	g.queue("queued", func() error {
		return zone.Write(ctx, func(tx *store.Tx) error { return addHousehold(ctx, tx, "排队的") })
	})
	closed := make(chan error, 1)
	go func() { closed <- st.Close() }()
	for deadline := time.Now().Add(5 * time.Second); !st.WritesRefused(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Close did not begin refusing writes")
		}
	}
	late := zone.Write(ctx, func(tx *store.Tx) error { return addHousehold(ctx, tx, "来晚的") })
	if late == nil {
		t.Error("a write after Close began was accepted")
	}
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a write was still open", err)
	case <-time.After(20 * time.Millisecond):
	}
	if got := g.outcomes(); got["queued"] != nil {
		t.Errorf("the write queued before Close: %v", got["queued"])
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return once the queue was written")
	}
	st, err := store.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	(&grouping{t: t, st: st}).households("先写的", "排队的")
	testdb.CheckAudit(t, st)
}

// A panic in the drainer outside any write's own function (here in the
// test's hook, told each group's size before it is written) reaches the
// group's writers, each in its own goroutine, and the drainer goes on to
// write the next group: it does not end the process.
func TestPanicOutsideAWriteReachesItsWriters(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	tree(t, st)
	var first atomic.Bool
	first.Store(true)
	st.OnGroup(func(int) {
		if first.CompareAndSwap(true, false) {
			panic("boom")
		}
	})
	zone := st.Zone(store.System)
	write := func(address string) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return zone.Write(ctx, func(tx *store.Tx) error { return addHousehold(ctx, tx, address) })
	}
	if err := write("崩溃的"); fmt.Sprint(err) != "panic: boom" {
		t.Fatalf("the write whose group panicked: %v, want its panic", err)
	}
	if err := write("之后的"); err != nil {
		t.Fatalf("the write after: %v", err)
	}
	(&grouping{t: t, st: st}).households("之后的")
}
