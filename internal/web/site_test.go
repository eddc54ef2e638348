package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/demotest"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/web"
)

// site is the real web server on a demo zone, for tests.
//
// Every test of the package calls t.Parallel: each has its own copy of its
// zone, its own server and its own clock, and shares nothing else. The
// package runs last in the suite, and alone on a 2-core machine its tests
// one at a time kept one core of two busy.
type site struct {
	t        testing.TB
	st       *store.Store
	srv      *web.Server
	ts       *httptest.Server
	files    *filestore.Store        // the server's archive and uploads
	accounts map[string]demo.Account // by username
}

// The demo zones tests start from, each loaded once per test binary and
// engine and copied for every test that asks (testdb.Fixture): the default
// zone without its aspirants, tips, cases and activities, which tests of
// the gates make themselves, and the whole of it, its elections held. Their
// demo accounts' passwords are those of the tests' own draw of the zone
// (testdb.Fixture.Logins).
var (
	plainDemo = newDemoDB(demotest.Zone().WithoutGates(), demotest.WithoutGates)
	fullDemo  = newDemoDB(demotest.Zone(), demotest.Whole)
	// preElectionDemo is the whole zone as it stood before its elections
	// (the days ahead, the third gate at its varied steps, no formal list),
	// for tests that hold elections of their own.
	preElectionDemo = newDemoDB(demotest.Zone().WithoutElections(), demotest.WithoutElections)
	// gatedDemo is the zone up to the second review, for tests of the
	// third gate that enter their own seats, recommendations and slates.
	gatedDemo = newDemoDB(demotest.Zone().WithoutThirdGate(), demotest.WithoutThirdGate)
)

// demoDB is a demo zone and the fixture that holds it loaded.
type demoDB struct {
	zone demo.Zone
	db   *testdb.Fixture
}

// newDemoDB is zone z as fixture f holds it loaded, its accounts logged
// into with the passwords of z.
func newDemoDB(z demo.Zone, f *testdb.Fixture) demoDB {
	passwords := map[string]string{}
	for _, a := range z.Accounts {
		passwords[a.Username] = a.Password
	}
	return demoDB{z, f.Logins(passwords)}
}

// each runs fn on every engine with the real server on a fresh copy of d.
func (d demoDB) each(t *testing.T, fn func(t *testing.T, s *site)) {
	d.db.ForEach(t, func(t *testing.T, st *store.Store) { fn(t, serve(t, st, d.zone)) })
}

// open serves a fresh copy of d on engine e.
func (d demoDB) open(t testing.TB, e store.Engine) *site { return serve(t, d.db.Open(t, e), d.zone) }

// newSite loads the demo zone without its gates into st and serves it, for
// tests that set st's clock before the zone is loaded; the others start
// from a copy (plainDemo).
func newSite(t testing.TB, st *store.Store) *site {
	t.Helper()
	return siteFor(t, st, plainDemo.zone)
}

// siteFor loads zone z into st and serves it.
func siteFor(t testing.TB, st *store.Store, z demo.Zone) *site {
	t.Helper()
	if err := demo.Load(context.Background(), st, z, nil); err != nil {
		t.Fatal(err)
	}
	return serve(t, st, z)
}

// serve serves st, which holds zone z, with the options given besides a
// file store.
func serve(t testing.TB, st *store.Store, z demo.Zone, opts ...web.Option) *site {
	t.Helper()
	files, err := filestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(st, nil, append([]web.Option{web.WithFiles(files)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	s := &site{t: t, st: st, srv: srv, ts: ts, files: files, accounts: map[string]demo.Account{}}
	for _, a := range z.Accounts {
		s.accounts[a.Username] = a
	}
	return s
}

// client returns a browser-like client with its own cookie jar that does not
// follow redirects, so tests see them.
func (s *site) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs username in through the API and returns its client.
func (s *site) login(username string) *http.Client {
	s.t.Helper()
	c := s.client()
	res, body := s.call(c, "POST", "/api/v1/login", map[string]string{"username": username, "password": s.accounts[username].Password}, nil)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("login %s: %d %s", username, res.StatusCode, body)
	}
	return c
}

// token makes an API token for username directly in the store.
func (s *site) token(username string) string {
	s.t.Helper()
	ctx := context.Background()
	id, err := s.st.UserIDByUsername(ctx, username)
	if err != nil {
		s.t.Fatal(err)
	}
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		s.t.Fatal(err)
	}
	var secret string
	err = s.st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		var err error
		_, secret, err = tx.CreateAPIToken(ctx, u, "测试令牌")
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return secret
}

// call sends a request; a map or struct body is sent as JSON, url.Values-like
// strings as a form, bytes as they are. header adds headers.
func (s *site) call(c *http.Client, method, path string, body any, header map[string]string) (*http.Response, []byte) {
	s.t.Helper()
	var rd io.Reader
	contentType := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, contentType = strings.NewReader(b), "application/x-www-form-urlencoded"
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd, contentType = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(method, s.ts.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if c == nil {
		c = s.client()
	}
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, raw
}

// getJSON GETs path as c and decodes the answer into v, failing unless 200.
// page is the page at path as c sees it; anything but 200 fails the test.
func (s *site) page(c *http.Client, path string) string {
	s.t.Helper()
	res, body := s.call(c, "GET", path, nil, nil)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return string(body)
}

func (s *site) getJSON(c *http.Client, path string, v any) {
	s.t.Helper()
	res, body := s.call(c, "GET", path, nil, nil)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		s.t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// wantError checks an API error answer: status, code and a Chinese message.
func wantError(t testing.TB, res *http.Response, body []byte, status int, code string) apiErr {
	t.Helper()
	var e apiErr
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", res.StatusCode, status, body)
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != code {
		t.Fatalf("error body %s, want code %q", body, code)
	}
	if !hasHan(e.Error.Message) {
		t.Fatalf("error message %q is not Chinese", e.Error.Message)
	}
	return e
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

var demoRoles = map[account.Role]string{
	account.Admin: "admin", account.Leader: "leader", account.District: "district1", account.Community: "community1",
	account.Reviewer: "reviewer-gaj", account.Discipline: "discipline", account.Police: "police", account.Committee: "committee",
}

// postFile sends a multipart form: fields, and one file under fileField.
func (s *site) postFile(c *http.Client, path string, fields map[string]string, fileField, fileName string, data []byte) (*http.Response, []byte) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	part, _ := mw.CreateFormFile(fileField, fileName)
	part.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", s.ts.URL+path, &body)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, raw
}
