package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/app"
)

// instance is one running server and what a test sends it.
type instance struct {
	t    *testing.T
	base string
}

// call sends a request with the session secret (if any) and returns the
// status, the body and the session secret the answer set, if it set one.
func (in instance) call(method, path, session, contentType string, body []byte) (int, []byte, string) {
	in.t.Helper()
	req, err := http.NewRequest(method, in.base+path, bytes.NewReader(body))
	if err != nil {
		in.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: account.SessionCookie, Value: session})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	set := ""
	for _, c := range res.Cookies() {
		if c.Name == account.SessionCookie {
			set = c.Value
		}
	}
	return res.StatusCode, raw, set
}

func (in instance) login(user, password string) (int, string) {
	in.t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	status, _, session := in.call("POST", "/api/v1/login", "", "application/json", body)
	return status, session
}

// Two servers on one database and one data folder act as one platform, as
// an office running several behind a proxy needs (docs/scaling.md): a
// session opened on one is good on the other, a refused import's annotated
// workbook made on one downloads from the other (to its owner only),
// a session ended on one ends on the other within a second, failed
// logins on both add up to one lockout, and the public tip routes'
// limits count the requests sent to both. Each server alone would let a
// client through that the two together refuse.
func TestTwoServersActAsOne(t *testing.T) {
	engines(t, func(t *testing.T, dsn, dir string) {
		if code, _, errOut := run(t, "", "migrate", "--db", dsn); code != 0 {
			t.Fatalf("migrate: %s", errOut)
		}
		const pw = "two servers 2026"
		for _, u := range []string{"office", "office2", "locked"} {
			if code, _, errOut := run(t, pw+"\n", "user", "add", "--db", dsn, "--data", dir, "--username", u, "--role", "admin"); code != 0 {
				t.Fatalf("user add %s: %s", u, errOut)
			}
		}
		cfg := app.Config{DB: dsn, Addr: "127.0.0.1:0", DataDir: dir}
		ctx, cancel := context.WithCancel(context.Background())
		addrA, doneA := startServe(t, ctx, cfg, false, io.Discard)
		addrB, doneB := startServe(t, ctx, cfg, false, io.Discard)
		defer func() {
			cancel()
			for _, done := range []<-chan error{doneA, doneB} {
				if err := <-done; err != nil {
					t.Errorf("serve returned %v after shutdown", err)
				}
			}
		}()
		a, b := instance{t, "http://" + addrA}, instance{t, "http://" + addrB}

		// A session opened on A is good on B.
		status, session := a.login("office", pw)
		if status != 200 || session == "" {
			t.Fatalf("login on A: %d", status)
		}
		if status, raw, _ := b.call("GET", "/api/v1/me", session, "", nil); status != 200 || !strings.Contains(string(raw), `"office"`) {
			t.Fatalf("A's session on B: %d %s", status, raw)
		}

		// A refused import on A: its annotated workbook downloads from B,
		// to the account that made the import only.
		status, template, _ := a.call("GET", "/classes/template.xlsx", session, "", nil)
		if status != 200 {
			t.Fatalf("template: %d %s", status, template)
		}
		f, err := excelize.OpenReader(bytes.NewReader(template))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		header, _ := f.GetRows(sheet)
		for c := range header[0] { // a row for no community, every cell out of range
			cell, _ := excelize.CoordinatesToCellName(c+1, 2)
			f.SetCellValue(sheet, cell, 99)
		}
		var book bytes.Buffer
		f.WriteTo(&book)
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("file", "研判表.xlsx")
		fw.Write(book.Bytes())
		mw.Close()
		status, page, _ := a.call("POST", "/classes/import", session, mw.FormDataContentType(), form.Bytes())
		link := regexp.MustCompile(`/classes/import/[0-9a-f]+/annotated\.xlsx`).Find(page)
		if status != http.StatusUnprocessableEntity || link == nil {
			t.Fatalf("bad import on A: %d, link %q\n%.2000s", status, link, page)
		}
		status, annotated, _ := b.call("GET", string(link), session, "", nil)
		if status != 200 {
			t.Fatalf("annotated workbook from B: %d %.300s", status, annotated)
		}
		if _, err := excelize.OpenReader(bytes.NewReader(annotated)); err != nil {
			t.Fatalf("annotated workbook from B does not open: %v", err)
		}
		_, other := b.login("office2", pw)
		if status, _, _ := b.call("GET", string(link), other, "", nil); status != http.StatusNotFound {
			t.Fatalf("another account's annotated workbook: %d, want 404", status)
		}

		// Failed logins on A and B together lock the account from this
		// source; each server saw fewer than the limit.
		for i := range account.MaxFailures {
			srv := []instance{a, b}[i%2]
			if status, _ := srv.login("locked", "wrong password"); status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, status)
			}
		}
		for name, srv := range map[string]instance{"A": a, "B": b} {
			if status, _ := srv.login("locked", pw); status != http.StatusTooManyRequests {
				t.Fatalf("the right password on %s after %d failures on both: %d, want 429", name, account.MaxFailures, status)
			}
		}

		// Tip submissions, valid or not, count against the client on both
		// servers: 3 on A and 2 on B use up the 5 a client has.
		for i := range 5 {
			srv := []instance{a, a, a, b, b}[i]
			if status, raw, _ := srv.call("POST", "/api/v1/tips", "", "application/json", []byte(`{}`)); status == http.StatusTooManyRequests {
				t.Fatalf("submission %d refused: %s", i+1, raw)
			}
		}
		for name, srv := range map[string]instance{"A": a, "B": b} {
			if status, _, _ := srv.call("POST", "/api/v1/tips", "", "application/json", []byte(`{}`)); status != http.StatusTooManyRequests {
				t.Fatalf("sixth submission on %s: %d, want 429", name, status)
			}
		}

		// Status look-ups likewise: 30 a minute a client, over both.
		for i := range 30 {
			srv := []instance{a, b}[i%2]
			if status, _, _ := srv.call("GET", "/api/v1/tips/00000-00000-00000-00000", "", "", nil); status != http.StatusNotFound {
				t.Fatalf("look-up %d: %d, want 404", i+1, status)
			}
		}
		for name, srv := range map[string]instance{"A": a, "B": b} {
			if status, _, _ := srv.call("GET", "/api/v1/tips/00000-00000-00000-00000", "", "", nil); status != http.StatusTooManyRequests {
				t.Fatalf("look-up 31 on %s: %d, want 429", name, status)
			}
		}

		// A session ended on A is refused on B within a second: B answers
		// a session it read in the last second from memory (docs/security.md).
		status, _, _ = a.call("POST", "/api/v1/logout", session, "application/json", nil)
		if status != http.StatusNoContent && status != http.StatusOK {
			t.Fatalf("logout on A: %d", status)
		}
		if status, _, _ := a.call("GET", "/api/v1/me", session, "", nil); status != http.StatusUnauthorized {
			t.Fatalf("the ended session on A: %d, want 401", status)
		}
		for ended := time.Now(); ; time.Sleep(50 * time.Millisecond) {
			status, _, _ := b.call("GET", "/api/v1/me", session, "", nil)
			if status == http.StatusUnauthorized {
				break
			}
			if time.Since(ended) > 3*time.Second {
				t.Fatalf("the session ended on A still answers on B after 3 s: %d", status)
			}
		}

		// Both servers appended to the audit log, each after entries the
		// other wrote (the logins and their failures): one chain.
		if code, out, errOut := run(t, "", "audit", "verify", "--db", dsn, "--data", dir); code != 0 {
			t.Fatalf("audit verify after both servers wrote: %s%s", out, errOut)
		}
	})
}
