package store_test

// BenchmarkThrottle times what the limits shared through the database add
// to each public tip request (a status look-up charges a client's bucket
// and the bucket of all clients), only when the benchmark runs:
//
//	go test ./internal/store -run '^$' -bench Throttle -benchtime 2000x
//
// "throttle" is Store.Throttle for 1,000 clients in turn; "bare" is the
// least the database must do for it, in the same run: one transaction
// that moves the same two rows on by plain database/sql.

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/store"
)

func BenchmarkThrottle(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			st := openBench(b, e)
			all := account.Bucket{Key: "bench:*", Burst: 1 << 30, Every: time.Hour}
			clients := make([]account.Bucket, 1000)
			for i := range clients {
				clients[i] = account.Bucket{Key: "bench:" + strconv.Itoa(i), Burst: 1 << 30, Every: time.Hour}
				if wait, err := st.Throttle(ctx, []account.Bucket{clients[i], all}, nil); err != nil || wait != 0 {
					b.Fatal(wait, err)
				}
			}
			b.Run("throttle", func(b *testing.B) {
				i := 0
				for b.Loop() {
					if wait, err := st.Throttle(ctx, []account.Bucket{clients[i%len(clients)], all}, nil); err != nil || wait != 0 {
						b.Fatal(wait, err)
					}
					i++
				}
			})
			b.Run("bare", func(b *testing.B) {
				i := 0
				for b.Loop() {
					if err := st.BareThrottle(ctx, clients[i%len(clients)].Key, all.Key); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		})
	}
}
