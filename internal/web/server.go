// Package web is huanjie's HTTP face: Chinese HTML pages for people and their
// JSON twins under /api/v1 for integrations and tests. Handlers stay thin:
// parse, call the store or a domain package, render. Who may do what is
// decided once, in routes.go, from the route's permission.
package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
)

// Server serves the platform.
type Server struct {
	st      *store.Store
	log     *slog.Logger
	pages   *pages
	handler http.Handler
	routes  []route

	gets        *http.ServeMux                // the GET routes alone, to tell which route a link opens
	getPerms    map[string]account.Permission // their permissions by pattern
	navPerms    []account.Permission          // the permission each of navEntries needs, "" none
	topBars     sync.Map                      // the top bars printed, by topKey (topBar)
	topBarsKept atomic.Int64                  // about how many topBars holds
	// communityPerms are the permission each of communityLinks needs.
	communityPerms []account.Permission

	files   *filestore.Store // attachments; nil refuses uploads
	tips    *tipLimiters     // rate limits of the public tip routes
	trusted []netip.Prefix   // reverse proxies whose X-Forwarded-For is read (clientaddr.go)

	mapCommunities int // the most communities the battle map draws one by one (map_handlers.go)
}

// Option configures a Server.
type Option func(*Server)

// WithFiles gives the server a file store for attachments.
func WithFiles(fs *filestore.Store) Option { return func(s *Server) { s.files = fs } }

// WithTrustedProxies makes the server read X-Forwarded-For on requests
// whose peer is in one of nets. Nil or empty: the peer is the client.
func WithTrustedProxies(nets []netip.Prefix) Option {
	return func(s *Server) { s.trusted = trustedNets(nets) }
}

// WithMapCommunities sets the most communities the battle map of a whole
// scope draws one by one (default 2,000); a larger scope is drawn a
// district a tile, each leading to its district's map.
func WithMapCommunities(n int) Option { return func(s *Server) { s.mapCommunities = n } }

// New returns the platform's HTTP server on st.
func New(st *store.Store, log *slog.Logger, opts ...Option) (*Server, error) {
	if log == nil {
		log = slog.Default()
	}
	p, err := sharedPages()
	if err != nil {
		return nil, err
	}
	s := &Server{st: st, log: log, pages: p, tips: newTipLimiters(), mapCommunities: 2000}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	s.routes = s.routeTable()
	s.gets, s.getPerms = http.NewServeMux(), map[string]account.Permission{}
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.guard(rt))
		if strings.HasPrefix(rt.pattern, "GET ") {
			s.gets.Handle(rt.pattern, http.NotFoundHandler())
			s.getPerms[rt.pattern] = rt.perm
		}
	}
	if len(navEntries) > 64 {
		return nil, errors.New("more navigation links than navLinks counts")
	}
	if s.navPerms, err = s.linkPerms(navEntries); err != nil {
		return nil, err
	}
	if s.communityPerms, err = s.linkPerms(communityLinks); err != nil {
		return nil, err
	}
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	mux.HandleFunc("GET /sw.js", serviceWorker)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("/", s.notFound)
	// Every state-changing request from a browser must come from our own
	// origin (Sec-Fetch-Site / Origin); cookies are SameSite=Lax on top.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errForbiddenOrigin)
	}))
	s.handler = securityHeaders(cop.Handler(mux))
	return s, nil
}

// linkPerms are the permissions of the GET routes links open, read from
// the route table, in the links' order; "{code}" in a link stands for any
// unit's code.
func (s *Server) linkPerms(links []link) ([]account.Permission, error) {
	var perms []account.Permission
	for _, e := range links {
		req, err := http.NewRequest(http.MethodGet, strings.ReplaceAll(e.Href, "{code}", "X"), nil)
		if err != nil {
			return nil, err
		}
		_, pattern := s.gets.Handler(req)
		perm, ok := s.getPerms[pattern]
		if !ok {
			return nil, fmt.Errorf("link %s opens no route", e.Href)
		}
		perms = append(perms, perm)
	}
	return perms, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes lists the method and pattern of every guarded route with its
// permission ("" for public), for the authorization test.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, rt := range s.routes {
		out[i] = RouteInfo{Pattern: rt.pattern, Permission: rt.perm}
	}
	return out
}

// RouteInfo describes one route.
type RouteInfo struct {
	Pattern    string
	Permission account.Permission
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.st.Ping(ctx); err != nil {
		s.log.Error("health check", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok"))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, errNotFound)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}

// serviceWorker serves static/sw.js at the site's root, so that its scope
// covers the visit pages (/communities/{code}/visits, /visits/outbox); it
// answers only those and their assets. Revalidated on every load, as
// browsers expect of a worker's script.
func serviceWorker(w http.ResponseWriter, r *http.Request) {
	raw, err := assets.ReadFile("static/sw.js")
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(raw)
}

func cacheForever(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}

// writeTwo is writeOne for a write that answers two things.
func writeTwo[A, B any](ctx context.Context, db *store.Scoped, fn func(tx *store.Tx) (A, B, error)) (A, B, error) {
	var a A
	var b B
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		a, b, err = fn(tx)
		return err
	})
	return a, b, err
}

// writeOne runs fn in one write transaction on behalf of db and returns what
// it made: the shape of most single writes of the pages and the API.
func writeOne[T any](ctx context.Context, db *store.Scoped, fn func(tx *store.Tx) (T, error)) (T, error) {
	var out T
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}
