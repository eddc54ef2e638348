package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/mozillazg/go-pinyin"

	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

type searchHitJSON struct {
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Name      string `json:"name"`
	Where     string `json:"where"`
	Href      string `json:"href"`
}

type searchAnswer struct {
	Query string
	Hits  []searchHitJSON
	More  []string
}

func searchAs(s *site, c *http.Client, q string) searchAnswer {
	s.t.Helper()
	var a searchAnswer
	s.getJSON(c, "/api/v1/search?q="+url.QueryEscape(q), &a)
	return a
}

// has reports whether a hit of kind named name belonging to where is in a.
func (a searchAnswer) has(kind, name, where string) bool {
	return slices.ContainsFunc(a.Hits, func(h searchHitJSON) bool {
		return h.Kind == kind && h.Name == name && h.Where == where
	})
}

// searchZone adds a member 张三 to a community of district1's district and
// another to a community of another district, and an archive file named
// after 张三 in the first; it returns the two communities.
func searchZone(t *testing.T, s *site) (mine, other org.Unit) {
	t.Helper()
	ctx := context.Background()
	zone := s.st.Zone(store.System)
	district := s.accounts["district1"].Scope
	communities, err := zone.ListOrgs(ctx, store.OrgFilter{Kind: org.Community})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range communities {
		if c.ParentCode == district && mine.ID == 0 {
			mine = c
		}
		if c.ParentCode != district && other.ID == 0 {
			other = c
		}
	}
	if mine.ID == 0 || other.ID == 0 {
		t.Fatalf("no communities on both sides of %s", district)
	}
	err = zone.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ImportMembers(ctx, []org.Member{
			{OrgID: mine.ID, Name: "张三", Sex: "男", BirthDate: "1980-01-01", Committee: org.ResidentsCommittee, Post: "委员"},
			{OrgID: other.ID, Name: "张三", Sex: "男", BirthDate: "1981-01-01", Committee: org.ResidentsCommittee, Post: "委员"},
		}); err != nil {
			return err
		}
		_, err := tx.ArchiveBytes(ctx, s.files, mine.Code, "张三情况说明.pdf", archive.Minutes, "",
			[]byte("%PDF-1.4\n%search test\n"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mine, other
}

// One search box finds people, units and documents by Chinese name, full
// pinyin and initials ("zs" finds 张三), partly typed, within the user's
// scope only (issue 13, point 4).
func TestSearchByNamePinyinAndInitials(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		mine, other := searchZone(t, s)
		admin := s.login("admin")
		for _, q := range []string{"张三", "张", "三", "zhangsan", "zhang san", "zhangs", "ZS", "zs"} {
			a := searchAs(s, admin, q)
			if !a.has("member", "张三", mine.Name) || !a.has("member", "张三", other.Name) {
				t.Errorf("admin %q: both 张三 not found: %+v", q, a.Hits)
			}
		}
		if a := searchAs(s, admin, "zs"); !a.has("archive", "张三情况说明.pdf", mine.Name) {
			t.Errorf("admin zs: the archive file not found: %+v", a.Hits)
		}
		for _, q := range []string{"zx", "zhangx", "李"} {
			if a := searchAs(s, admin, q); a.has("member", "张三", mine.Name) {
				t.Errorf("admin %q found 张三: %+v", q, a.Hits)
			}
		}
		// A unit by its name's pinyin initials, with its kind in Chinese and its page.
		py := initialsOf(t, mine)
		if a := searchAs(s, admin, py); !slices.ContainsFunc(a.Hits, func(h searchHitJSON) bool {
			return h.Kind == "unit" && h.Name == mine.Name && h.KindLabel == "社区" && h.Href == "/orgs/"+mine.Code
		}) {
			t.Errorf("admin %q: community %s not found: %+v", py, mine.Name, a.Hits)
		}
		// Many hits: each kind is cut at the limit, and the page says which kinds were.
		if a := searchAs(s, admin, "z"); len(a.More) == 0 || !slices.Contains(a.More, "两委成员") {
			t.Errorf("admin z: no kind cut: %+v", a.More)
		}
		if res, body := s.call(admin, "GET", "/search?q=z", nil, nil); res.StatusCode != http.StatusOK ||
			!strings.Contains(string(body), "每类只显示了前 20 条") {
			t.Errorf("search page z: %d %s", res.StatusCode, body)
		}
		// The page shows the same, in Chinese.
		res, body := s.call(admin, "GET", "/search?q=zs", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "两委成员") || !strings.Contains(string(body), "张三") {
			t.Errorf("search page: %d %s", res.StatusCode, body)
		}
	})
}

// initialsOf is the pinyin initials of u's name, computed here with
// go-pinyin's own first-letter style, apart from the store's code.
func initialsOf(t *testing.T, u org.Unit) string {
	t.Helper()
	a := pinyin.NewArgs()
	a.Style = pinyin.FirstLetter
	out := strings.Join(pinyin.LazyPinyin(u.Name, a), "")
	if out == "" {
		t.Fatalf("no initials for %s", u.Name)
	}
	return out
}

// A district's account finds only its subtree; a department's reviewer,
// which lists only its queue, finds nothing; a role finds only the kinds it
// may list, and every link it is given opens.
func TestSearchStaysInScope(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		mine, other := searchZone(t, s)
		d := s.login("district1")
		a := searchAs(s, d, "zs")
		if !a.has("member", "张三", mine.Name) {
			t.Errorf("district1 does not find its 张三: %+v", a.Hits)
		}
		if a.has("member", "张三", other.Name) {
			t.Errorf("district1 finds another district's 张三: %+v", a.Hits)
		}
		if b := searchAs(s, d, "张三"); b.has("member", "张三", other.Name) || !b.has("member", "张三", mine.Name) {
			t.Errorf("district1 张三: %+v", b.Hits)
		}
		// Every hit lies in the district, and every link opens.
		for _, h := range a.Hits {
			if h.Href == "" {
				continue
			}
			if res, body := s.call(d, "GET", h.Href, nil, nil); res.StatusCode != http.StatusOK {
				t.Errorf("district1's link %s: %d %.200s", h.Href, res.StatusCode, body)
			}
		}
		if b := searchAs(s, d, initialsOf(t, other)); slices.ContainsFunc(b.Hits, func(h searchHitJSON) bool {
			return h.Name == other.Name || h.Where == other.Name
		}) {
			t.Errorf("district1 finds the other district's community: %+v", b.Hits)
		}

		// The discipline commission lists no archive: it finds members, not files.
		disc := searchAs(s, s.login("discipline"), "zs")
		if !disc.has("member", "张三", other.Name) {
			t.Errorf("discipline does not find 张三: %+v", disc.Hits)
		}
		for _, h := range disc.Hits {
			if h.Kind == "archive" || h.Kind == "account" || h.Kind == "meeting" {
				t.Errorf("discipline finds a %s it may not list: %+v", h.Kind, h)
			}
		}

		// A department's reviewer: refused by the route, and nothing from the store.
		for _, rv := range []string{"reviewer-gaj", "reviewer-mzj"} {
			res, body := s.call(s.login(rv), "GET", "/api/v1/search?q=zs", nil, nil)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %d %s", rv, res.StatusCode, body)
			}
			ctx := context.Background()
			id, err := st.UserIDByUsername(ctx, rv)
			if err != nil {
				t.Fatal(err)
			}
			u, err := st.UserByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"zs", "张三", mine.Name} {
				got, err := st.For(u).Search(ctx, q, 50)
				if err != nil || len(got.Hits) != 0 {
					t.Errorf("%s's store search %q: %v %+v", rv, q, err, got.Hits)
				}
			}
		}
	})
}

// A renamed unit is found by its new name's pinyin and no longer by the old
// one's: the keys follow the name in the transaction that changes it.
func TestSearchFollowsRename(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		mine, _ := searchZone(t, s)
		ctx := context.Background()
		oldKeys := initialsOf(t, mine)
		err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
			_, err := tx.UpdateOrg(ctx, mine.Code, "柳树湾社区", mine.Households, mine.Population)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		admin := s.login("admin")
		if a := searchAs(s, admin, "lswsq"); !a.has("unit", "柳树湾社区", "") {
			t.Errorf("new name not found: %+v", a.Hits)
		}
		if a := searchAs(s, admin, oldKeys); a.has("unit", mine.Name, "") {
			t.Errorf("old name still found: %+v", a.Hits)
		}
	})
}

// Aspirants are found by name in scope, never by their sealed ID or phone
// numbers, which no answer carries; daily meetings by title and day, only by
// the roles that read meetings; every link given opens.
func TestSearchAspirantsAndMeetings(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		st := s.st
		mine, other := searchZone(t, s)
		admin := s.login("admin")
		mineID, otherID := validID("19800315", "123"), validID("19810416", "135")
		for _, a := range []struct{ code, id string }{{mine.Code, mineID}, {other.Code, otherID}} {
			if res, body := s.call(admin, "POST", "/api/v1/aspirants", aspirantBody(a.code, "曾小明", a.id), nil); res.StatusCode != http.StatusCreated {
				t.Fatalf("register: %d %s", res.StatusCode, body)
			}
		}
		if res, body := s.call(admin, "POST", "/api/v1/meetings", map[string]any{}, nil); res.StatusCode != http.StatusCreated {
			t.Fatalf("open meeting: %d %s", res.StatusCode, body)
		}
		today := string(st.Today())

		a := searchAs(s, admin, "zxm") // 曾 as a family name is zeng
		if !a.has("aspirant", "曾小明", mine.Name) || !a.has("aspirant", "曾小明", other.Name) {
			t.Errorf("admin zxm: %+v", a.Hits)
		}
		if d := searchAs(s, s.login("district1"), "曾小明"); !d.has("aspirant", "曾小明", mine.Name) || d.has("aspirant", "曾小明", other.Name) {
			t.Errorf("district1 曾小明: %+v", d.Hits)
		}
		for _, q := range []string{mineID, mineID[6:14], "13905310001", "0001"} {
			if res, body := s.call(admin, "GET", "/api/v1/search?q="+url.QueryEscape(q), nil, nil); res.StatusCode != http.StatusOK ||
				strings.Contains(string(body), "aspirant") {
				t.Errorf("search by a sealed number %q: %d %s", q, res.StatusCode, body)
			}
		}
		_, body := s.call(admin, "GET", "/api/v1/search?q=zxm", nil, nil)
		for _, secret := range []string{mineID, mineID[6:14], "13905310001"} {
			if strings.Contains(string(body), secret) {
				t.Errorf("the answer carries %s: %s", secret, body)
			}
		}

		title := "全区工作例会 " + today
		for _, q := range []string{"gzlh", "工作例会", "qqgzlh", today, today[:7]} {
			if a := searchAs(s, admin, q); !a.has("meeting", title, "全区") {
				t.Errorf("admin %q: no meeting: %+v", q, a.Hits)
			}
		}
		if a := searchAs(s, s.login("community1"), "工作例会"); slices.ContainsFunc(a.Hits, func(h searchHitJSON) bool { return h.Kind == "meeting" }) {
			t.Errorf("a community finds meetings it may not read: %+v", a.Hits)
		}

		for _, who := range []string{"admin", "district1", "community1", "leader", "police", "committee", "discipline"} {
			c := s.login(who)
			for _, q := range []string{"zs", "zxm", "gzlh"} {
				for _, h := range searchAs(s, c, q).Hits {
					if h.Href == "" {
						continue
					}
					if res, body := s.call(c, "GET", h.Href, nil, nil); res.StatusCode != http.StatusOK {
						t.Errorf("%s's link %s: %d %.200s", who, h.Href, res.StatusCode, body)
					}
				}
			}
		}
	})
}

// A query too long is answered in Chinese: 422 with the field by the API,
// the page with the box marked and the message tied to it.
func TestSearchRefusesLongQuery(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		admin := s.login("admin")
		long := strings.Repeat("张", 41)
		res, body := s.call(admin, "GET", "/api/v1/search?q="+url.QueryEscape(long), nil, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"field":"q"`) ||
			!strings.Contains(string(body), "不能超过") {
			t.Errorf("api: %d %s", res.StatusCode, body)
		}
		res, body = s.call(admin, "GET", "/search?q="+url.QueryEscape(long), nil, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `aria-describedby="search-error"`) ||
			!strings.Contains(string(body), "不能超过") {
			t.Errorf("page: %d %s", res.StatusCode, body)
		}
	})
}
