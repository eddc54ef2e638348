package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/idcard"
)

func idWithRegion(region, birth, seq string) string {
	first := region + birth + seq
	return first + string(idcard.CheckDigit(first))
}

// Finding 10: an ID number whose address code begins with no province is
// refused in Chinese; one whose county GB/T 2260 lacks is registered, and
// the reviewer sees a warning on the aspirant's page and in its JSON.
func TestAspirantRegionCode(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		res, body := s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-001", "张无区", idWithRegion("000302", "19800315", "123")), nil)
		wantError(t, res, body, http.StatusUnprocessableEntity, "unprocessable")
		if !strings.Contains(string(body), "省级行政区划代码") || !strings.Contains(string(body), `"field":"id_number"`) {
			t.Fatalf("region 000302: %s", body)
		}
		for _, c := range []struct {
			region, name string
			warn         bool
		}{{"370399", "张未知", true}, {"370302", "张张店", false}} {
			res, body = s.call(admin, "POST", "/api/v1/aspirants", aspirantBody("QS-01-001", c.name, idWithRegion(c.region, "19800315", "135")), nil)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("register %s: %d %s", c.region, res.StatusCode, body)
			}
			var a struct {
				ID            int64  `json:"id"`
				RegionWarning string `json:"region_warning"`
			}
			jsonInto(t, body, &a)
			var got struct {
				Aspirant struct {
					RegionWarning string `json:"region_warning"`
				} `json:"aspirant"`
			}
			s.getJSON(admin, "/api/v1/aspirants/"+strconv.FormatInt(a.ID, 10), &got)
			_, page := s.call(admin, "GET", "/aspirants/"+strconv.FormatInt(a.ID, 10), nil, nil)
			shown := strings.Contains(string(page), `data-testid="region-warning"`)
			if (got.Aspirant.RegionWarning != "") != c.warn || (a.RegionWarning != "") != c.warn || shown != c.warn ||
				(c.warn && !strings.Contains(got.Aspirant.RegionWarning, c.region)) {
				t.Errorf("%s: JSON warning %q, on registering %q, page shows one: %v; want one: %v",
					c.region, got.Aspirant.RegionWarning, a.RegionWarning, shown, c.warn)
			}
		}
	})
}

// send posts body as contentType, bytes as they are, and returns the answer.
func (s *site) send(c *http.Client, method, path, contentType string, body []byte) (*http.Response, []byte) {
	s.t.Helper()
	return s.call(c, method, path, body, map[string]string{"Content-Type": contentType})
}

// Finding 2: NUL bytes, other control characters and invalid UTF-8 in any
// field, the login and public tip forms included, answer a Chinese 400
// naming the field on both engines (PostgreSQL answered 500, SQLite stored
// them), and nothing is stored; line breaks pass in a multi-line field.
func TestHostileText(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		form := func(kv ...string) []byte {
			v := url.Values{}
			for i := 0; i < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return []byte(v.Encode())
		}
		const formType, jsonType = "application/x-www-form-urlencoded", "application/json"
		tip := func(field, v string) []byte {
			in := map[string]string{"community": "QS-01-001", "person": "某某", "category": "other",
				"description": "该参选人长期不在社区居住,不符合条件。", "contact": ""}
			in[field] = v
			return form("community", in["community"], "person", in["person"], "category", in["category"],
				"description", in["description"], "contact", in["contact"])
		}
		for _, c := range []struct {
			name               string
			client             *http.Client
			method, path, kind string
			body               []byte
			field              string
		}{
			{"login form NUL", nil, "POST", "/login", formType, form("username", "ad\x00min", "password", "x"), "username"},
			{"login form bad UTF-8", nil, "POST", "/login", formType, form("username", "\xff\xfeadmin", "password", "x"), "username"},
			{"login API NUL", nil, "POST", "/api/v1/login", jsonType, []byte(`{"username":"ad\u0000min","password":"x"}`), "username"},
			{"login API bad UTF-8", nil, "POST", "/api/v1/login", jsonType, []byte("{\"username\":\"ad\xffmin\",\"password\":\"x\"}"), "username"},
			{"tip form NUL", nil, "POST", "/tip", formType, tip("person", "王\x00五"), "person"},
			{"tip form control", nil, "POST", "/tip", formType, tip("description", "该参选人长期不在社区居住\x1b[31m,不符合条件。"), "description"},
			{"tip API bad UTF-8", nil, "POST", "/api/v1/tips", jsonType,
				[]byte("{\"community\":\"QS-01-001\",\"person\":\"\xc3\x28\",\"category\":\"other\",\"description\":\"该参选人长期不在社区居住,不符合条件。\"}"), "person"},
			{"aspirant NUL", admin, "POST", "/api/v1/aspirants", jsonType,
				[]byte(`{"community":"QS-01-001","name":"张\u0000三","id_number":"` + validID("19800315", "123") + `","phone":"13905310001","party":"member","committee":"party","post":"secretary","education":"bachelor","current_post":"x"}`), "name"},
			{"aspirant line break in a one-line field", admin, "POST", "/api/v1/aspirants", jsonType,
				[]byte(`{"community":"QS-01-001","name":"张\n三","id_number":"` + validID("19800315", "123") + `","phone":"13905310001","party":"member","committee":"party","post":"secretary","education":"bachelor","current_post":"x"}`), "name"},
			{"query NUL", admin, "GET", "/api/v1/aspirants?q=%00", jsonType, nil, "q"},
		} {
			res, body := s.send(c.client, c.method, c.path, c.kind, c.body)
			if res.StatusCode != http.StatusBadRequest || !hasHan(string(body)) {
				t.Errorf("%s: %d %.300s, want a Chinese 400", c.name, res.StatusCode, body)
				continue
			}
			if strings.HasPrefix(c.path, "/api/") {
				if e := wantError(t, res, body, http.StatusBadRequest, "invalid"); e.Error.Field != c.field {
					t.Errorf("%s: field %q, want %q", c.name, e.Error.Field, c.field)
				}
			}
		}
		var list struct {
			Total int `json:"total"`
		}
		s.getJSON(admin, "/api/v1/aspirants", &list)
		if list.Total != 0 {
			t.Errorf("%d aspirants stored from hostile text", list.Total)
		}
		// A multi-line field keeps its line breaks and tabs.
		res, body := s.send(nil, "POST", "/api/v1/tips", jsonType, []byte(`{"community":"QS-01-001","person":"某某","category":"other","description":"第一行:该参选人长期不在社区居住。\n\t第二行:不符合条件。"}`))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("a multi-line description: %d %s", res.StatusCode, body)
		}
	})
}

// Finding 3: sizes. A stranger's 5 MB username is refused with 413 before
// it is read, a long one with 400, and neither reaches the audit log; a
// redirect never echoes a long value; an upload over the file store's limit
// (serve's --max-upload) answers 413, and one over 32 MiB but within the
// limit is taken.
func TestInputSizes(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		huge := strings.Repeat("a", 5<<20)
		res, body := s.send(nil, "POST", "/login", "application/x-www-form-urlencoded", []byte("username="+huge+"&password=x"))
		if res.StatusCode != http.StatusRequestEntityTooLarge || !hasHan(string(body)) {
			t.Fatalf("5 MB username: %d %.200s, want a Chinese 413", res.StatusCode, body)
		}
		res, body = s.send(nil, "POST", "/api/v1/login", "application/json", []byte(`{"username":"`+huge+`","password":"x"}`))
		wantError(t, res, body, http.StatusRequestEntityTooLarge, "too_large")
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		mw.WriteField("username", huge[:2<<20])
		mw.Close()
		res, _ = s.send(nil, "POST", "/login", mw.FormDataContentType(), mp.Bytes())
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("2 MB multipart login: %d, want 413", res.StatusCode)
		}
		res, body = s.send(nil, "POST", "/api/v1/login", "application/json", []byte(`{"username":"`+huge[:10000]+`","password":"x"}`))
		if e := wantError(t, res, body, http.StatusBadRequest, "invalid"); e.Error.Field != "username" {
			t.Fatalf("10 KB username: field %q", e.Error.Field)
		}
		admin := s.login("admin")
		_, audit := s.call(admin, "GET", "/api/v1/audit?limit=500", nil, nil)
		if strings.Contains(string(audit), huge[:100]) {
			t.Fatal("the audit log holds a stranger's long username")
		}

		// Location: the login form's next, and the sign-in redirect of a long address.
		next := "/" + strings.Repeat("x", 100<<10)
		res, _ = s.send(nil, "POST", "/login", "application/x-www-form-urlencoded",
			[]byte(url.Values{"username": {"admin"}, "password": {s.accounts["admin"].Password}, "next": {next}}.Encode()))
		if loc := res.Header.Get("Location"); len(loc) > 2048 || res.StatusCode != http.StatusBadRequest {
			t.Fatalf("100 KB next: %d, Location of %d bytes", res.StatusCode, len(loc))
		}
		res, _ = s.send(nil, "GET", "/aspirants?x="+strings.Repeat("y", 900), "", nil)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login" {
			t.Fatalf("sign-in redirect of a long address: %d %.100s", res.StatusCode, loc)
		}

		// Uploads follow the file store's limit, whatever it is.
		s.files.MaxSize = 40 << 20
		big := bytes.Repeat([]byte("%PDF-1.7\n"), (33<<20)/9)
		res, body = postAssessment(t, s, admin, "QS-02-003", "记录.pdf", big)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("33 MiB attachment under a 40 MiB limit: %d %.300s", res.StatusCode, body)
		}
		s.files.MaxSize = 256 << 10
		res, body = postAssessment(t, s, admin, "QS-02-003", "记录.pdf", big[:300<<10])
		if res.StatusCode != http.StatusRequestEntityTooLarge || !hasHan(string(body)) {
			t.Fatalf("300 KB attachment over a 256 KB limit: %d %.300s", res.StatusCode, body)
		}
		res, body = s.send(admin, "PUT", "/api/v1/map/shapes", "application/json", big[:2<<20])
		wantError(t, res, body, http.StatusRequestEntityTooLarge, "too_large")
	})
}
