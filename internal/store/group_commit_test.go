package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/visit"
)

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
			if _, err := tx.AddHousehold(ctx, "Z-1-1", visit.Household{Address: address, Head: "户主", Size: 1}); err != nil {
				return err
			}
			return then()
		})
	}
	kept := func() error { return nil }
	holding, hold := make(chan struct{}), make(chan struct{})
	release := sync.OnceFunc(func() { close(hold) })
	defer release() // on a failure too, for the writes to end
	held := make(chan error, 1)
	go func() {
		held <- add(ctx, "先写的", func() error { close(holding); <-hold; return nil })
	}()
	<-holding
	queued := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); st.QueuedWrites() != n; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d writes queued, want %d", st.QueuedWrites(), n)
			}
		}
	}
	var wg sync.WaitGroup
	got := map[string]error{}
	queue := func(name string, write func() error) {
		n := st.QueuedWrites()
		wg.Go(func() {
			err := write()
			mu.Lock()
			got[name] = err
			mu.Unlock()
		})
		queued(n + 1)
	}
	gone, cancel := context.WithCancel(ctx)
	queue("kept", func() error { return add(ctx, "成组一", kept) })
	queue("refused", func() error { return add(ctx, "被拒的", func() error { return errs.New(errs.Invalid, "不行") }) })
	queue("gone", func() error { return add(gone, "走了的", kept) })
	queue("panics", func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return add(ctx, "崩溃的", func() error { panic("boom") })
	})
	queue("kept too", func() error { return add(ctx, "成组二", kept) })
	cancel()
	queued(4) // the one given up has left the queue
	release()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if got["kept"] != nil || got["kept too"] != nil || !errs.Is(got["refused"], errs.Invalid) ||
		!errors.Is(got["gone"], context.Canceled) || fmt.Sprint(got["panics"]) != "panic: boom" {
		t.Errorf("outcomes: %v", got)
	}
	if !slices.Contains(sizes, 4) {
		t.Errorf("groups written: %v, want one of the 4 queued together", sizes)
	}
	page, err := zone.Households(ctx, "Z-1-1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var addresses []string
	for _, h := range page.Households {
		addresses = append(addresses, h.Address)
	}
	slices.Sort(addresses)
	if want := []string{"先写的", "成组一", "成组二"}; !slices.Equal(addresses, want) {
		t.Errorf("households %v, want %v", addresses, want)
	}
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
	add := func(tx *store.Tx, address string) error {
		_, err := tx.AddHousehold(ctx, "Z-1-1", visit.Household{Address: address, Head: "户主", Size: 1})
		return err
	}
	holding, hold := make(chan struct{}), make(chan struct{})
	release := sync.OnceFunc(func() { close(hold) })
	defer release()
	held := make(chan error, 1)
	go func() {
		held <- zone.Write(ctx, func(tx *store.Tx) error { close(holding); <-hold; return add(tx, "先写的") })
	}()
	<-holding
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]error{}
	queue := func(name string, fn func(*store.Tx) error) {
		n := st.QueuedWrites()
		wg.Go(func() {
			err := zone.Write(ctx, fn)
			mu.Lock()
			got[name] = err
			mu.Unlock()
		})
		for deadline := time.Now().Add(5 * time.Second); st.QueuedWrites() != n+1; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s not queued", name)
			}
		}
	}
	queue("kept", func(tx *store.Tx) error { return add(tx, "成组一") })
	queue("ended", func(tx *store.Tx) error {
		if err := add(tx, "请求已结束的"); err != nil {
			return err
		}
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		// An update far longer than 20 ms, which changes nothing: the ids
		// it looks for, a million of them, are none of the tree's. An
		// update, not a read: SQLite rolls back the whole transaction when
		// it interrupts a write.
		if err := tx.Exec(short, `UPDATE orgs SET name = name WHERE id IN (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT -i FROM n)`); err != nil {
			return fmt.Errorf("the long statement: %w", err)
		}
		return tx.Exec(short, `SELECT 1`)
	})
	queue("kept too", func(tx *store.Tx) error { return add(tx, "成组二") })
	release()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if got["kept"] != nil || got["kept too"] != nil || !errors.Is(got["ended"], context.DeadlineExceeded) ||
		strings.Contains(fmt.Sprint(got["ended"]), "the long statement") {
		t.Errorf("outcomes: %v", got)
	}
	page, err := zone.Households(ctx, "Z-1-1", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var addresses []string
	for _, h := range page.Households {
		addresses = append(addresses, h.Address)
	}
	slices.Sort(addresses)
	if want := []string{"先写的", "成组一", "成组二"}; !slices.Equal(addresses, want) {
		t.Errorf("households %v, want %v", addresses, want)
	}
}
