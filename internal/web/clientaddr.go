package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"unicode"
)

// The client's address keys login lockout, the address a login records and
// the public tip rate limit. Behind a reverse proxy every request comes from
// the proxy, so the server may be told which networks are its proxies
// (WithTrustedProxies): only a request from one of them has its
// X-Forwarded-For read, right to left, skipping further trusted hops, as
// nginx's real_ip (recursive) and Caddy's trusted_proxies do. With no
// trusted networks the header is never read.

// clientAddr is the address of the client of r: the peer unless the peer is
// a trusted proxy, then the rightmost X-Forwarded-For entry that is not
// itself trusted. If every entry is trusted, or the header is missing, it is
// the leftmost trusted address reached; a malformed entry ends the walk at
// the last good address, so garbage is never taken for an address.
func (s *Server) clientAddr(r *http.Request) string {
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		peer = r.RemoteAddr
	}
	if len(s.trusted) == 0 {
		return peer
	}
	last, ok := parseHop(peer)
	if !ok || !s.isTrusted(last) {
		return peer
	}
	lines := r.Header.Values("X-Forwarded-For")
	for i := len(lines) - 1; i >= 0; i-- {
		entries := strings.Split(lines[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			a, ok := parseHop(entries[j])
			if !ok {
				return last.String()
			}
			if !s.isTrusted(a) {
				return a.String()
			}
			last = a
		}
	}
	return last.String()
}

// overHTTPS reports whether the client reached the server over HTTPS:
// directly (r.TLS), or through a trusted proxy (the peer is in
// --trusted-proxies) whose X-Forwarded-Proto says "https". The header's
// rightmost value is the nearest proxy's; from any other peer the header is
// never read, so a client cannot claim HTTPS it did not use.
func (s *Server) overHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if len(s.trusted) == 0 {
		return false
	}
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		peer = r.RemoteAddr
	}
	if a, ok := parseHop(peer); !ok || !s.isTrusted(a) {
		return false
	}
	lines := r.Header.Values("X-Forwarded-Proto")
	if len(lines) == 0 {
		return false
	}
	vals := strings.Split(lines[len(lines)-1], ",")
	return strings.EqualFold(strings.TrimSpace(vals[len(vals)-1]), "https")
}

func (s *Server) isTrusted(a netip.Addr) bool {
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads one address as proxies write it: "1.2.3.4", "1.2.3.4:5678",
// "::1", "[::1]" or "[::1]:80", with IPv4-mapped IPv6 unmapped and any
// zone dropped.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		switch {
		case perr == nil:
			a = ap.Addr()
		case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
			if a, err = netip.ParseAddr(s[1 : len(s)-1]); err != nil {
				return netip.Addr{}, false
			}
		default:
			return netip.Addr{}, false
		}
	}
	return a.Unmap().WithZone(""), true
}

// ParseTrustedProxies reads the --trusted-proxies setting: CIDRs or single
// addresses (a /32 or /128) separated by commas (also U+FF0C and U+3001,
// as a Chinese keyboard types them) or spaces. Empty is none.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\uff0c' || r == '\u3001' || unicode.IsSpace(r) }) {
		var p netip.Prefix
		var err error
		if strings.Contains(f, "/") {
			p, err = netip.ParsePrefix(f)
		} else {
			var a netip.Addr
			if a, err = netip.ParseAddr(f); err == nil && a.Zone() == "" {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		if err != nil || !p.IsValid() {
			return nil, fmt.Errorf("受信任代理地址“%s”无效,应为 IP 或 CIDR,如 10.0.0.1 或 10.0.0.0/8", f)
		}
		out = append(out, normPrefix(p))
	}
	return out, nil
}

// trustedNets is nets ready for matching: valid ones only, normalized.
func trustedNets(nets []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range nets {
		if p.IsValid() {
			out = append(out, normPrefix(p))
		}
	}
	return out
}

// normPrefix masks p and turns an IPv4-mapped IPv6 prefix into its IPv4
// one, since the addresses it is matched against are unmapped.
func normPrefix(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked()
}
