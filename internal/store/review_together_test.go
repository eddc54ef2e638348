package store_test

import (
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// TestLastAnswersTogether has the last two departments answer an
// aspirant's requests at the same time: each transaction answers its own
// request while the other's is still open to it. The aspirant must still
// move to reviewed when both have committed. On PostgreSQL, whose writers
// run side by side, each saw the other's request open and neither moved
// the aspirant, which then stayed under review with every request answered
// (settleAspirants now locks the aspirants first). On SQLite the writes
// run one after the other and the test checks the same outcome.
func TestLastAnswersTogether(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		firstRoundOf(t, st, 1)
		depts, err := st.Zone(store.System).ReviewDepartments(ctx)
		if err != nil || len(depts) < 3 {
			t.Fatalf("departments %d %v", len(depts), err)
		}
		answer := func(tx *store.Tx) error {
			q, err := tx.ReviewQueue(ctx, store.QueueFilter{Status: "open", Limit: 10})
			if err != nil || len(q) != 1 {
				t.Errorf("queue %d %v", len(q), err)
				return err
			}
			return tx.AnswerReviews(ctx, []store.ReviewAnswer{{RequestID: q[0].ID, Answer: vetting.Answer{Verdict: vetting.Clean}}})
		}
		last := len(depts) - 2
		for _, d := range depts[:last] {
			if err := asDept(st, d.Code).Write(ctx, answer); err != nil {
				t.Fatal(err)
			}
		}
		// The first of the two answers and waits, before it commits, until
		// the second has answered too, or for a while if the second waits
		// on it (as it must: the wait is the fix).
		answered, second := make(chan struct{}), make(chan error, 1)
		go func() {
			<-answered
			second <- asDept(st, depts[last+1].Code).Write(ctx, answer)
		}()
		err = asDept(st, depts[last].Code).Write(ctx, func(tx *store.Tx) error {
			if err := answer(tx); err != nil {
				return err
			}
			close(answered)
			time.Sleep(300 * time.Millisecond) // the second answers meanwhile, or waits
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := <-second; err != nil {
			t.Fatal(err)
		}
		list, err := st.Zone(store.System).Aspirants(ctx, store.AspirantFilter{Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("aspirants %d %v", len(list), err)
		}
		if a := list[0]; !a.Reviewed || a.Status != vetting.Reviewed {
			t.Fatalf("every request answered, the aspirant is reviewed %v, %s; want reviewed", a.Reviewed, a.Status.Label())
		}
	})
}
