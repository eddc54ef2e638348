package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/web"
)

// Invalid submissions count against their client's limit but not against
// the global ceiling, which only accepted tips use up (issue 12, finding 6).
func TestInvalidTipsDoNotUseUpTheGlobalLimit(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		nets, _ := web.ParseTrustedProxies("127.0.0.1, ::1")
		web.WithTrustedProxies(nets)(s.srv)
		web.SetTipSubmitLimit(s.srv, 2, 10*time.Minute, 3, 10*time.Minute)
		from := func(addr string) map[string]string { return map[string]string{"X-Forwarded-For": addr} }
		invalid := map[string]any{"community": "QS-01-001", "category": "other", "description": ""}
		for i := range 10 {
			res, body := s.postTip(invalid, from("198.51.100."+itoa(int64(i))))
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("invalid tip %d: %d %s, want 422", i+1, res.StatusCode, body)
			}
		}
		// One client is still held to its own limit, valid or not.
		s.postTip(invalid, from("192.0.2.9"))
		s.postTip(invalid, from("192.0.2.9"))
		res, body := s.postTip(invalid, from("192.0.2.9"))
		wantError(t, res, body, http.StatusTooManyRequests, "too_many")

		valid := map[string]any{"community": "QS-01-001", "category": "other", "description": tipDescription}
		for i := range 3 {
			res, body := s.postTip(valid, from("203.0.113."+itoa(int64(i))))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("valid tip %d after invalid ones: %d %s", i+1, res.StatusCode, body)
			}
		}
		res, body = s.postTip(valid, from("203.0.113.99"))
		wantError(t, res, body, http.StatusTooManyRequests, "too_many")
	})
}
