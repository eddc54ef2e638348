package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/web"
)

// The session cookie is Secure when the browser used HTTPS: directly, or
// through a proxy listed in --trusted-proxies that says so in
// X-Forwarded-Proto; a header from anyone else is not believed (issue 12,
// finding 5).
func TestSessionCookieSecureBehindHTTPSProxy(t *testing.T) {
	t.Parallel()
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		err := st.Zone(store.System).Write(t.Context(), func(tx *store.Tx) error {
			_, err := tx.AddUser(t.Context(), account.NewUser{Username: "office", Role: account.Admin, Password: "a long password for cookies"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		cookie := func(proxies, proto string, tls bool) *http.Cookie {
			t.Helper()
			nets, err := web.ParseTrustedProxies(proxies)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := web.New(st, nil, web.WithTrustedProxies(nets))
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewUnstartedServer(srv)
			if tls {
				ts.StartTLS()
			} else {
				ts.Start()
			}
			defer ts.Close()
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/login",
				bytes.NewBufferString(`{"username":"office","password":"a long password for cookies"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", ts.URL)
			if proto != "" {
				req.Header.Set("X-Forwarded-Proto", proto)
			}
			res, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			for _, c := range res.Cookies() {
				if c.Name == account.SessionCookie {
					if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
						t.Errorf("cookie %v: want HttpOnly, SameSite=Lax", c)
					}
					return c
				}
			}
			t.Fatalf("no session cookie: %d", res.StatusCode)
			return nil
		}
		for _, c := range []struct {
			name           string
			proxies, proto string
			tls, secure    bool
		}{
			{"trusted proxy says https", "127.0.0.1", "https", false, true},
			{"trusted proxy says HTTPS, chain", "127.0.0.1", "http, HTTPS", false, true},
			{"trusted proxy says http", "127.0.0.1", "http", false, false},
			{"trusted proxy, no header", "127.0.0.1", "", false, false},
			{"untrusted peer claims https", "10.0.0.0/8", "https", false, false},
			{"no trusted proxies, header ignored", "", "https", false, false},
			{"direct TLS", "", "", true, true},
		} {
			if got := cookie(c.proxies, c.proto, c.tls); got.Secure != c.secure {
				t.Errorf("%s: Secure=%v, want %v (%s)", c.name, got.Secure, c.secure, strings.TrimSpace(got.String()))
			}
		}
	})
}
