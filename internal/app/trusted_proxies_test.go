package app_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/app"
)

// A bad --trusted-proxies (or HUANJIE_TRUSTED_PROXIES) stops serve before it
// touches the database, with a Chinese message naming the bad entry.
func TestServeBadTrustedProxies(t *testing.T) {
	for _, c := range []struct {
		name string
		env  string
		args []string
	}{
		{"flag", "", []string{"--trusted-proxies", "10.0.0.0/8, nginx"}},
		{"environment", "10.0.0.0/8, nginx", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("HUANJIE_TRUSTED_PROXIES", c.env)
			dir := t.TempDir()
			db := filepath.Join(dir, "huanjie.db")
			args := append([]string{"serve", "--db", "sqlite:" + db, "--data", dir, "--addr", "127.0.0.1:0"}, c.args...)
			// Bounded, so that a serve which wrongly starts ends (exit 0) and fails the test.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var errBuf lockedBuffer
			code := app.Main(ctx, args, app.IO{In: strings.NewReader(""), Out: io.Discard, Err: &errBuf})
			errOut := errBuf.String()
			if code == 0 || !strings.Contains(errOut, "--trusted-proxies") || !strings.Contains(errOut, "受信任代理地址“nginx”无效") {
				t.Fatalf("serve with a bad proxy list: exit %d, stderr %q", code, errOut)
			}
			if _, err := os.Stat(db); err == nil {
				t.Fatal("serve created the database before refusing its flags")
			}
		})
	}
}

// serve passes the setting to the web server: behind the trusted proxy each
// forwarded user has a tip look-up limit of their own.
func TestServeTrustedProxies(t *testing.T) {
	dir := t.TempDir()
	cfg := app.Config{DB: "sqlite:" + filepath.Join(dir, "huanjie.db"), Addr: "127.0.0.1:0", DataDir: dir,
		TrustedProxies: "127.0.0.1"}
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := startServe(t, ctx, cfg, false, io.Discard)
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	}()
	lookup := func(forwarded string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/tips/00000-00000-00000-00000", nil)
		req.Header.Set("X-Forwarded-For", forwarded)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	var last int
	for range 100 { // far above the per-client limit
		if last = lookup("198.51.100.1"); last != http.StatusNotFound {
			break
		}
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("look-ups of one forwarded user ended with %d, want 429", last)
	}
	if got := lookup("198.51.100.2"); got != http.StatusNotFound {
		t.Fatalf("another forwarded user: %d, want 404 (a limit of their own)", got)
	}
}
