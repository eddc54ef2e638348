package web_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/store"
)

func jsonInto(t testing.TB, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// later moves st's clock, pinned or not, d ahead; it runs on from there.
func later(st *store.Store, d time.Duration) {
	from, real := st.Now(), time.Now()
	st.SetClock(func() time.Time { return from.Add(d + time.Since(real)) })
}
