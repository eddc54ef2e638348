package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func mustTrusted(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	nets, err := ParseTrustedProxies(s)
	if err != nil {
		t.Fatal(err)
	}
	return nets
}

// request from peer with one X-Forwarded-For header line per entry of xff.
func request(peer string, xff ...string) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = peer
	for _, v := range xff {
		r.Header.Add("X-Forwarded-For", v)
	}
	return r
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	// Two proxies on the intranet, an IPv6 proxy network and an IPv4
	// network written as mapped IPv6.
	proxied := &Server{trusted: mustTrusted(t, "10.0.0.0/8, 192.168.1.1 fd00::/8 ::ffff:172.16.0.0/108")}
	direct := &Server{}
	for _, c := range []struct {
		name string
		s    *Server
		peer string
		xff  []string
		want string
	}{
		{"no trusted nets: peer, header ignored", direct, "10.0.0.1:1234", []string{"1.2.3.4"}, "10.0.0.1"},
		{"no trusted nets: IPv6 peer", direct, "[2001:db8::1]:443", []string{"1.2.3.4"}, "2001:db8::1"},
		{"no trusted nets: peer without port", direct, "pipe", []string{"1.2.3.4"}, "pipe"},
		{"untrusted peer with spoofed header: peer", proxied, "203.0.113.5:4000", []string{"1.2.3.4"}, "203.0.113.5"},
		{"untrusted peer claiming a proxy: peer", proxied, "203.0.113.5:4000", []string{"10.0.0.1"}, "203.0.113.5"},
		{"untrusted peer without port", proxied, "pipe", []string{"1.2.3.4"}, "pipe"},
		{"trusted peer: the forwarded client", proxied, "10.0.0.1:1234", []string{"1.2.3.4"}, "1.2.3.4"},
		{"trusted peer: rightmost untrusted, spoofed left ignored", proxied, "10.0.0.1:1234", []string{"6.6.6.6, 1.2.3.4"}, "1.2.3.4"},
		{"chain of two trusted proxies", proxied, "10.0.0.1:1234", []string{"6.6.6.6, 1.2.3.4, 192.168.1.1"}, "1.2.3.4"},
		{"no spaces", proxied, "10.0.0.1:1234", []string{"6.6.6.6,1.2.3.4,10.9.9.9"}, "1.2.3.4"},
		{"header lines read as one list", proxied, "10.0.0.1:1234", []string{"6.6.6.6, 1.2.3.4", "10.0.0.2"}, "1.2.3.4"},
		{"later header line is nearer", proxied, "10.0.0.1:1234", []string{"1.2.3.4", "5.6.7.8"}, "5.6.7.8"},
		{"every entry trusted: leftmost", proxied, "10.0.0.1:1234", []string{"10.0.0.3, 192.168.1.1", "10.0.0.2"}, "10.0.0.3"},
		{"trusted peer, no header: peer", proxied, "10.0.0.1:1234", nil, "10.0.0.1"},
		{"IPv6 proxy and client", proxied, "[fd00::1]:443", []string{"2001:db8::7"}, "2001:db8::7"},
		{"IPv6 proxy, IPv4 client", proxied, "[fd00::1]:443", []string{"198.51.100.9, fd00::2"}, "198.51.100.9"},
		{"mapped peer and client unmapped", proxied, "[::ffff:10.0.0.1]:80", []string{"::ffff:1.2.3.4"}, "1.2.3.4"},
		{"mapped trusted hop skipped", proxied, "10.0.0.1:1234", []string{"1.2.3.4, ::ffff:10.0.0.9"}, "1.2.3.4"},
		{"network given as mapped IPv6", proxied, "172.16.5.5:80", []string{"1.2.3.4"}, "1.2.3.4"},
		{"outside the mapped network", proxied, "172.32.0.1:80", []string{"1.2.3.4"}, "172.32.0.1"},
		{"IPv4 with port", proxied, "10.0.0.1:1234", []string{"1.2.3.4:5678"}, "1.2.3.4"},
		{"IPv6 with port", proxied, "10.0.0.1:1234", []string{"[2001:db8::7]:80"}, "2001:db8::7"},
		{"IPv6 in brackets", proxied, "10.0.0.1:1234", []string{"[2001:db8::9]"}, "2001:db8::9"},
		{"trusted hop with port skipped", proxied, "10.0.0.1:1234", []string{"1.2.3.4, 10.0.0.2:80"}, "1.2.3.4"},
		{"malformed last entry: peer", proxied, "10.0.0.1:1234", []string{"1.2.3.4, garbage"}, "10.0.0.1"},
		{"malformed entry: last good trusted hop", proxied, "10.0.0.1:1234", []string{"1.2.3.4, nonsense, 10.0.0.2"}, "10.0.0.2"},
		{"unknown: peer", proxied, "10.0.0.1:1234", []string{"unknown"}, "10.0.0.1"},
		{"empty entry stops", proxied, "10.0.0.1:1234", []string{"1.2.3.4,,10.0.0.2"}, "10.0.0.2"},
		{"empty header: peer", proxied, "10.0.0.1:1234", []string{""}, "10.0.0.1"},
		{"out of range: peer", proxied, "10.0.0.1:1234", []string{"1.2.3.400"}, "10.0.0.1"},
		{"malformed line after good one", proxied, "10.0.0.1:1234", []string{"1.2.3.4", "x<script>"}, "10.0.0.1"},
		{"malformed left of the client is not reached", proxied, "10.0.0.1:1234", []string{"garbage, 1.2.3.4"}, "1.2.3.4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.s.clientAddr(request(c.peer, c.xff...)); got != c.want {
				t.Fatalf("clientAddr(%s, X-Forwarded-For %q) = %q, want %q", c.peer, c.xff, got, c.want)
			}
		})
	}
}

// Without trusted networks the address is exactly what it was before the
// setting existed: the host of RemoteAddr, or RemoteAddr if it has none.
func TestClientAddrDefaultUnchanged(t *testing.T) {
	t.Parallel()
	before := func(r *http.Request) string {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			return r.RemoteAddr
		}
		return host
	}
	for _, s := range []*Server{{}, {trusted: []netip.Prefix{}}, {trusted: trustedNets(nil)}} {
		for _, peer := range []string{"203.0.113.5:4000", "[::ffff:10.0.0.1]:80", "[fe80::1%eth0]:80", "@", "", "1.2.3.4"} {
			r := request(peer, "1.2.3.4", "5.6.7.8")
			if got, want := s.clientAddr(r), before(r); got != want {
				t.Errorf("peer %q: %q, want %q", peer, got, want)
			}
		}
	}
}

// The option reaches the tip rate limit: behind a trusted proxy two users
// have their own buckets; without the setting they share the proxy's.
func TestClientAddrTipThrottleBehindProxy(t *testing.T) {
	t.Parallel()
	refused := errors.New("refused")
	lookup := func(s *Server, peer, xff string) (error, string) {
		w := httptest.NewRecorder()
		err := s.throttle(w, request(peer, xff), s.tips.lookup, refused)
		return err, w.Header().Get("Retry-After")
	}
	exhaust := func(s *Server, peer, xff string) {
		t.Helper()
		for i := range lookupBurst {
			if err, _ := lookup(s, peer, xff); err != nil {
				t.Fatalf("look-up %d from %s (%s) refused", i+1, peer, xff)
			}
		}
		if err, wait := lookup(s, peer, xff); err != refused || wait == "" {
			t.Fatalf("look-up %d from %s (%s): %v, Retry-After %q; want refused", lookupBurst+1, peer, xff, err, wait)
		}
	}
	behind := &Server{tips: newTipLimiters()}
	WithTrustedProxies(mustTrusted(t, "127.0.0.1"))(behind)
	exhaust(behind, "127.0.0.1:5000", "198.51.100.1")
	if err, _ := lookup(behind, "127.0.0.1:5000", "198.51.100.2"); err != nil {
		t.Fatal("behind a trusted proxy, another user was refused for the first user's look-ups")
	}
	// A client that is not the proxy cannot pick a fresh bucket by header.
	exhaust(behind, "198.51.100.3:6000", "")
	if err, _ := lookup(behind, "198.51.100.3:6000", "203.0.113.77"); err != refused {
		t.Fatal("a direct client escaped its limit with a forged X-Forwarded-For")
	}

	plain := &Server{tips: newTipLimiters()}
	exhaust(plain, "127.0.0.1:5000", "198.51.100.1")
	if err, _ := lookup(plain, "127.0.0.1:5000", "198.51.100.2"); err != refused {
		t.Fatal("without trusted proxies the header chose the bucket")
	}
}

func TestParseTrustedProxies(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"", "[]"},
		{"  ", "[]"},
		{"10.0.0.1", "[10.0.0.1/32]"},
		{"::1", "[::1/128]"},
		{"10.0.0.0/8,192.168.0.0/16", "[10.0.0.0/8 192.168.0.0/16]"},
		{"10.0.0.0/8, 192.168.1.1 fd00::/8", "[10.0.0.0/8 192.168.1.1/32 fd00::/8]"},
		{"\t10.0.0.1\n10.0.0.2,", "[10.0.0.1/32 10.0.0.2/32]"},
		{"10.0.0.1\uff0c10.0.0.2\u300110.0.0.3", "[10.0.0.1/32 10.0.0.2/32 10.0.0.3/32]"}, // Chinese keyboard commas
		{"10.1.2.3/8", "[10.0.0.0/8]"},
		{"::ffff:10.0.0.1", "[10.0.0.1/32]"},
		{"::ffff:172.16.0.0/108", "[172.16.0.0/12]"},
	} {
		got, err := ParseTrustedProxies(c.in)
		if err != nil || fmt.Sprint(got) != c.want {
			t.Errorf("ParseTrustedProxies(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct{ in, bad string }{
		{"nginx", "nginx"},
		{"10.0.0.0/8, proxy.local", "proxy.local"},
		{"10.0.0.0/33", "10.0.0.0/33"},
		{"10.0.0.300", "10.0.0.300"},
		{"10.0.0.1:80", "10.0.0.1:80"},
		{"fe80::1%eth0", "fe80::1%eth0"},
		{"10.0.0.0/8;192.168.0.0/16", "10.0.0.0/8;192.168.0.0/16"},
		{"10.0.0.0/", "10.0.0.0/"},
	} {
		got, err := ParseTrustedProxies(c.in)
		if err == nil {
			t.Errorf("ParseTrustedProxies(%q) = %v, want an error", c.in, got)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "“"+c.bad+"”") || !strings.Contains(msg, "无效") {
			t.Errorf("ParseTrustedProxies(%q): %q, want a Chinese message naming %q", c.in, msg, c.bad)
		}
	}
}
