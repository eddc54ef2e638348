package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The top bars kept stay at most topBarsKept however many readers there
// are, and a reader whose bar was forgotten gets their own again.
func TestTopBarsKeptBounded(t *testing.T) {
	s, err := New(testdb.Open(t, store.SQLite), nil)
	if err != nil {
		t.Fatal(err)
	}
	reader := func(i int) account.User {
		return account.User{ID: int64(i + 1), Username: fmt.Sprint("u", i), DisplayName: fmt.Sprint("读者", i), Role: account.Admin}
	}
	for i := range topBarsKept + 100 {
		bar, err := s.topBar(reader(i), "/classes")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(bar), `data-testid="current-user">`+reader(i).DisplayName+`<small>`) {
			t.Fatalf("reader %d got another's bar: %.300s", i, bar)
		}
	}
	kept := 0
	s.topBars.Range(func(any, any) bool { kept++; return true })
	if kept > topBarsKept || kept == 0 {
		t.Errorf("%d top bars kept, want between 1 and %d", kept, topBarsKept)
	}
	// The first reader's bar was forgotten with the others: printed again, still theirs.
	if bar, _ := s.topBar(reader(0), "/classes"); !strings.Contains(string(bar), `>`+reader(0).DisplayName+`<small>`) {
		t.Errorf("the first reader's bar printed again: %.300s", bar)
	}
	if bar, err := s.topBar(account.User{}, "/"); bar != "" || err != nil {
		t.Errorf("no one's top bar: %q %v", bar, err)
	}
}
