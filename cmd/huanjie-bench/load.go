package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/huanjie/huanjie/internal/termprogress"
)

// client talks to the server as one signed-in user over one shared transport
// that keeps a connection per concurrent client.
type client struct {
	base      string
	transport *http.Transport
	http      *http.Client
	cookie    string
}

func newClient(addr string, conns int) *client {
	tr := &http.Transport{
		MaxIdleConns:        conns + 16,
		MaxIdleConnsPerHost: conns + 16,
		IdleConnTimeout:     90 * time.Second,
	}
	return &client{
		base:      "http://" + addr,
		transport: tr,
		http: &http.Client{
			Transport: tr,
			Timeout:   60 * time.Second,
			// A redirect (to /login) is an error here, not something to follow.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// login signs in once through the API and keeps the session cookie.
func (c *client) login(ctx context.Context, username, password string) error {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/login", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("login as %s: %s", username, res.Status)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "huanjie_session" {
			c.cookie = ck.Name + "=" + ck.Value
			return nil
		}
	}
	return fmt.Errorf("login as %s set no session cookie", username)
}

// do sends a GET of path with the session.
func (c *client) do(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Cookie", c.cookie)
	return c.http.Do(req)
}

// get requests path and reads the whole answer; an error for anything but 200.
func (c *client) get(ctx context.Context, path string) (int, error) {
	res, err := c.do(ctx, path)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil {
		return int(n), err
	}
	if res.StatusCode != http.StatusOK {
		return int(n), fmt.Errorf("status %s", res.Status)
	}
	return int(n), nil
}

// result is what one path got in one phase.
type result struct {
	path        string
	n           int             // requests sent
	errors      int             // transport errors and statuses other than 200
	firstErrors []string        // the first few, to show
	times       []time.Duration // of the requests that succeeded, sorted
	size        int             // bytes of the last answer
	elapsed     time.Duration   // wall time of the phase
}

func (r *result) record(d time.Duration, size int, err error) {
	r.n++
	if err != nil {
		r.errors++
		if len(r.firstErrors) < 5 {
			r.firstErrors = append(r.firstErrors, err.Error())
		}
		return
	}
	r.times = append(r.times, d)
	r.size = size
}

// percentile is the p-th percentile (nearest rank) of the successful requests.
func (r *result) percentile(p int) time.Duration {
	if len(r.times) == 0 {
		return 0
	}
	i := (len(r.times)*p + 99) / 100
	return r.times[max(i, 1)-1]
}

// latencyPhase sends n sequential requests to each path, after a short
// warm-up, counting them on p (nil for none).
func latencyPhase(ctx context.Context, c *client, paths []string, n int, p *termprogress.Line) []result {
	var out []result
	defer p.Done()
	for _, path := range paths {
		p.Stage(path, int64(n))
		for range 5 {
			c.get(ctx, path)
		}
		r := result{path: path}
		start := time.Now()
		for i := 0; i < n && ctx.Err() == nil; i++ {
			t := time.Now()
			size, err := c.get(ctx, path)
			r.record(time.Since(t), size, err)
			p.Add(1)
		}
		r.elapsed = time.Since(start)
		slices.Sort(r.times)
		out = append(out, r)
	}
	return out
}

// concurrencyPhase lets clients goroutines request path in a loop until d has
// passed or limit requests were sent in all, showing the seconds passed on p
// (nil for none).
func concurrencyPhase(ctx context.Context, c *client, path string, clients int, d time.Duration, limit int, p *termprogress.Line) result {
	deadline := time.Now().Add(d)
	p.Stage(path+" 秒", int64(d/time.Second))
	stopTicks := tick(p, time.Now())
	defer stopTicks()
	var sent atomic.Int64
	var mu sync.Mutex
	total := result{path: path}
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Go(func() {
			var r result
			for time.Now().Before(deadline) && ctx.Err() == nil && sent.Add(1) <= int64(limit) {
				t := time.Now()
				size, err := c.get(ctx, path)
				r.record(time.Since(t), size, err)
			}
			mu.Lock()
			defer mu.Unlock()
			total.n += r.n
			total.errors += r.errors
			total.times = append(total.times, r.times...)
			total.size = max(total.size, r.size)
			for _, e := range r.firstErrors {
				if len(total.firstErrors) < 5 {
					total.firstErrors = append(total.firstErrors, e)
				}
			}
		})
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	slices.Sort(total.times)
	return total
}

// tick sets p to the seconds since start every 200 ms until stopped; only
// its goroutine touches p meanwhile. The stop shows the last count and ends
// the line.
func tick(p *termprogress.Line, start time.Time) (stop func()) {
	if p == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.Set(int64(time.Since(start) / time.Second))
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		p.Set(int64(time.Since(start) / time.Second))
		p.Done()
	}
}

func printTable(w io.Writer, rs []result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "path\trequests\terrors\tKiB\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	for _, r := range rs {
		var maxT time.Duration
		if len(r.times) > 0 {
			maxT = r.times[len(r.times)-1]
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", r.path, r.n, r.errors, float64(r.size)/1024,
			ms(r.percentile(50)), ms(r.percentile(95)), ms(r.percentile(99)), ms(maxT))
	}
	tw.Flush()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
