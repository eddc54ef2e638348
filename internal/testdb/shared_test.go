package testdb

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/store"
)

// Two fixtures shared under one name are built once per engine in a run:
// the second finds the first's image (here in the same process, as
// another package's binary would) and its copies carry the build's keys
// (their audit logs verify when each test ends) and its clock.
func TestSharedFixtureBuiltOncePerRun(t *testing.T) {
	if theRun() == nil {
		t.Skip("not started by the go command: fixtures are not shared")
	}
	name := fmt.Sprintf("testdb-shared-%x", randUint64())
	builds := map[store.Engine]int{}
	build := func(ctx context.Context, st *store.Store) error {
		builds[st.Engine()]++
		return st.BeginDemo(ctx)
	}
	first, second := Shared(name, build), Shared(name, build)
	for _, f := range []*Fixture{first, second} {
		f.ForEach(t, func(t *testing.T, st *store.Store) {
			if on, err := st.DemoInterrupted(context.Background()); err != nil || !on {
				t.Fatalf("the copy lacks the build's mark: %v %v", on, err)
			}
		})
	}
	for e, n := range builds {
		if n != 1 {
			t.Errorf("%s: built %d times, want once", e, n)
		}
	}
	if len(builds) == 0 {
		t.Fatal("nothing was built")
	}
}

// A run has ended when its go command is gone or its process id now
// belongs to a process started at another time; a run of another machine
// is never taken for ended.
func TestRunEnded(t *testing.T) {
	start, ok := processStart(os.Getpid())
	if !ok {
		t.Skip("no /proc here")
	}
	pid := strconv.Itoa(os.Getpid())
	for id, want := range map[string]bool{
		hostTag() + "_" + pid + "_" + start:       false,
		hostTag() + "_" + pid + "_" + start + "1": true,
		hostTag() + "_999999999_" + start:         true,
		"zzzz_999999999_" + start:                 false,
		"not a run":                               false,
	} {
		if got := runEnded(id); got != want {
			t.Errorf("runEnded(%q) = %v, want %v", id, got, want)
		}
	}
}

// The keys of a pinned clock give the builder's time to every process
// that loads them, not the time of its own start.
func TestKeysKeepTheClock(t *testing.T) {
	k := keys{Box: make([]byte, 64), Audit: make([]byte, 32), Pinned: true, Offset: -5 * time.Hour}
	opts, err := k.options()
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(opts.Clock()); d < 5*time.Hour-time.Minute || d > 5*time.Hour+time.Minute {
		t.Fatalf("the clock is %s behind, want 5h", d)
	}
	k.Pinned = false
	if opts, err = k.options(); err != nil || opts.Clock != nil {
		t.Fatalf("an unpinned clock is set (%v) or refused: %v", opts.Clock != nil, err)
	}
}
