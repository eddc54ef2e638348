package store_test

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// TestSideBySide runs a bulk job's parts as many at once as the store lets
// write (one on SQLite, up to four on PostgreSQL), answers the error of the
// lowest part that failed, and starts no part after a failure.
func TestSideBySide(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		var running, most, ran atomic.Int32
		part := func(fail ...int) func(i int) error {
			return func(i int) error {
				ran.Add(1)
				for _, f := range fail {
					if i == f {
						return fmt.Errorf("part %d", i)
					}
				}
				n := running.Add(1)
				defer running.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(50 * time.Millisecond)
				return nil
			}
		}
		if err := st.SideBySide(12, part()); err != nil || ran.Load() != 12 {
			t.Fatalf("ran %d of 12: %v", ran.Load(), err)
		}
		want := int32(1)
		if st.Engine() == store.Postgres {
			want = 4
		}
		if most.Load() != want {
			t.Fatalf("%d parts at once on %s, want %d", most.Load(), st.Engine(), want)
		}
		ran.Store(0)
		err := st.SideBySide(12, part(5, 2))
		if err == nil || err.Error() != "part 2" {
			t.Fatalf("parts 2 and 5 failed: %v, want part 2's error", err)
		}
		// Part 2 fails at once: the parts already started (0 to 3 on
		// PostgreSQL) end, and none starts after them.
		if n := ran.Load(); n < 3 || n > 2+want {
			t.Fatalf("%d parts started, parts 0 to 2 and at most %d more expected", n, want-1)
		}
		if err := st.SideBySide(0, func(int) error { return errors.New("none") }); err != nil {
			t.Fatalf("no parts: %v", err)
		}
	})
}
