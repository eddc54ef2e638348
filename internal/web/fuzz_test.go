package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
	"github.com/huanjie/huanjie/internal/web"
)

// Fuzz targets of the edge (input.go): random bodies through the real
// handler chain (web.Server.ServeHTTP, guard, checkInput, handler, store)
// on every engine available. No input may panic or answer 5xx. Their seeds
// (below and testdata/fuzz) run in every go test; CI runs each for a few
// seconds with -fuzz (.ci/run).

// fuzzSite is one served demo zone per engine, signed in as admin by token.
type fuzzSite struct {
	engine store.Engine
	srv    *web.Server
	token  string
}

func fuzzSites(f *testing.F) []fuzzSite {
	f.Helper()
	var out []fuzzSite
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		if e == store.Postgres && os.Getenv(testdb.EnvPostgres) == "" {
			continue
		}
		s := plainDemo.open(f, e)
		out = append(out, fuzzSite{e, s.srv, s.token("admin")})
	}
	return out
}

// serve sends one request and fails on a panic or a 5xx.
func (fs fuzzSite) serve(t *testing.T, signedIn bool, method, path, contentType string, body []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if signedIn {
		req.Header.Set("Authorization", "Bearer "+fs.token)
	}
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	fs.srv.ServeHTTP(rec, req) // a panic fails the fuzz run
	if rec.Code >= 500 {
		t.Fatalf("%s: %s %s (%s) %q: %d %s", fs.engine, method, path, contentType, body, rec.Code, rec.Body.String())
	}
}

// fuzzRoutes are write routes whose decoders the fuzz target drives.
var fuzzRoutes = []struct {
	method, path string
	signedIn     bool
}{
	{"POST", "/login", false},
	{"POST", "/api/v1/login", false},
	{"POST", "/tip", false},
	{"POST", "/api/v1/tips", false},
	{"POST", "/api/v1/aspirants", true},
	{"POST", "/aspirants", true},
	{"POST", "/api/v1/orgs", true},
	{"POST", "/api/v1/users", true},
	{"POST", "/api/v1/communities/QS-01-001/assessments", true},
	{"POST", "/communities/QS-01-001/assessments", true},
	{"POST", "/api/v1/communities/QS-01-001/plans", true},
	{"POST", "/api/v1/review-meetings", true},
	{"POST", "/api/v1/cases", true},
	{"POST", "/api/v1/ledger-items", true},
	{"POST", "/api/v1/meetings", true},
	{"POST", "/api/v1/teams", true},
	{"PUT", "/api/v1/assess/rules", true},
	{"PUT", "/api/v1/progress/stages", true},
}

var fuzzTypes = []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz", "text/plain", ""}

func FuzzWriteRoutes(f *testing.F) {
	// Each seed with the content type it is written in (an index of fuzzTypes).
	hostile := []struct {
		kind uint8
		body string
	}{
		{0, `{"username":"ad\u0000min","password":"x"}`}, {0, "{\"name\":\"\xff\xfe\"}"}, {0, `{"name":"张三","note":"一\n二\t三"}`},
		{1, "username=a%00b&password=x"}, {1, "name=%FF%FE&note=%1B"}, {0, `[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`},
		{0, `{"community":"QS-01-001","name":"` + strings.Repeat("长", 5000) + `"}`}, {0, `{"aspirant_id":-1,"id":1e400}`},
		{2, "--fuzz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\x00\r\n--fuzz--\r\n"},
		{2, "--fuzz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\x01.pdf\"\r\n\r\n%PDF\r\n--fuzz--\r\n"},
		{0, `{"community":"QS-01-001","person":"某某","category":"other","description":"该参选人长期不在社区居住,不符合条件。"}`},
		{3, `{"username":"ad\u0000min","password":"x"}`},
	}
	for i := range fuzzRoutes {
		for _, h := range hostile {
			f.Add(uint8(i), h.kind, []byte(h.body))
		}
	}
	sites := fuzzSites(f)
	f.Fuzz(func(t *testing.T, route, kind uint8, body []byte) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		for _, fs := range sites {
			fs.serve(t, rt.signedIn, rt.method, rt.path, fuzzTypes[int(kind)%len(fuzzTypes)], body)
		}
	})
}

// FuzzTipForm fills the public tip form's fields, as a urlencoded form and
// as a multipart one with a photo.
func FuzzTipForm(f *testing.F) {
	f.Add("QS-01-001", "某某", "other", "该参选人长期不在社区居住,不符合条件。", "", "photo.jpg", []byte("\xff\xd8\xff\xe0"))
	f.Add("QS-01-001\x00", "王\x00五", "bribery", "\xff\xfe该参选人长期不在社区居住", "1380013800\x1b", "a\x00.jpg", []byte{})
	f.Add("", "", "", "", "", "", []byte(nil))
	f.Add("QS-99-999", strings.Repeat("某", 300), "crime", strings.Repeat("描述\n", 3000), "微信", "../../etc/passwd", []byte("GIF89a"))
	sites := fuzzSites(f)
	f.Fuzz(func(t *testing.T, community, person, category, description, contact, fileName string, photo []byte) {
		fields := url.Values{"community": {community}, "person": {person}, "category": {category},
			"description": {description}, "contact": {contact}}
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		mw.SetBoundary("fuzzboundary")
		for k, v := range fields {
			mw.WriteField(k, v[0])
		}
		if fileName != "" || len(photo) > 0 {
			w, _ := mw.CreateFormFile("files", fileName)
			w.Write(photo)
		}
		mw.Close()
		for _, fs := range sites {
			fs.serve(t, false, "POST", "/tip", "application/x-www-form-urlencoded", []byte(fields.Encode()))
			fs.serve(t, false, "POST", "/tip", mw.FormDataContentType(), mp.Bytes())
		}
	})
}

// FuzzGeoJSON uploads a GeoJSON document through the API and the map page.
func FuzzGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"QS-01-001"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"QS-01-001\u0000"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1e308,0],[1,-1e308],[0,0]]]]}}]}`))
	f.Add([]byte("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"code\":\"\xff\"},\"geometry\":null}]}"))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"QS-01-001"},"geometry":{"type":"Polygon","coordinates":[]}}]}`))
	f.Add([]byte(`{"type":"Point","coordinates":[NaN]}`))
	f.Add([]byte(nil))
	sites := fuzzSites(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		w, _ := mw.CreateFormFile("file", "map.geojson")
		w.Write(doc)
		mw.Close()
		for _, fs := range sites {
			fs.serve(t, true, "PUT", "/api/v1/map/shapes", "application/geo+json", doc)
			fs.serve(t, true, "POST", "/map/shapes", mw.FormDataContentType(), mp.Bytes())
		}
	})
}
