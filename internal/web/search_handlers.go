package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// searchLimit is how many hits of each kind the search box shows.
const searchLimit = 20

// searchHit is one hit as the page and the API show it: its kind in
// Chinese, its name, where it belongs, and the page that shows it ("" when
// the user may not open that page, so no link answers 403).
type searchHit struct {
	Kind      store.SearchKind `json:"kind"`
	KindLabel string           `json:"kind_label"`
	Name      string           `json:"name"`
	Where     string           `json:"where,omitempty"`
	Href      string           `json:"href,omitempty"`
}

type searchView struct {
	Query string      `json:"query"`
	Hits  []searchHit `json:"hits"`
	More  []string    `json:"more,omitempty"` // kinds (in Chinese) with more hits than shown
	Limit int         `json:"-"`              // hits shown of each kind
	Error string      `json:"-"`
}

// hrefOf is the page that shows what h found.
func hrefOf(h store.SearchHit) string {
	switch h.Kind {
	case store.SearchUnit:
		return "/orgs/" + url.PathEscape(h.Code)
	case store.SearchMember:
		return "/orgs/" + url.PathEscape(h.Code) // the unit page lists its members
	case store.SearchAspirant:
		return "/aspirants/" + strconv.FormatInt(h.ID, 10)
	case store.SearchAccount:
		return "/users"
	case store.SearchArchive:
		return "/communities/" + url.PathEscape(h.Code) + "/archive"
	case store.SearchMeeting:
		return "/meetings/" + strconv.FormatInt(h.ID, 10)
	}
	return ""
}

func (s *Server) search(r *http.Request, db *store.Scoped) (searchView, error) {
	res, err := db.Search(r.Context(), r.URL.Query().Get("q"), searchLimit)
	v := searchView{Query: res.Query, Hits: []searchHit{}, Limit: searchLimit}
	if err != nil {
		return v, err
	}
	u := userOf(r)
	for _, h := range res.Hits {
		label := h.Kind.Label()
		if h.Kind == store.SearchUnit {
			label = h.UnitKind.Label()
		}
		out := searchHit{Kind: h.Kind, KindLabel: label, Name: h.Name, Where: h.Where}
		if href := hrefOf(h); s.opens(u, href) {
			out.Href = href
		}
		v.Hits = append(v.Hits, out)
	}
	for _, k := range res.More {
		v.More = append(v.More, k.Label())
	}
	return v, nil
}

// searchPage is the search box's page: people, units and documents in the
// user's scope by Chinese name, pinyin or initials.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.search(r, db)
	code := http.StatusOK
	if err != nil {
		if errs.CodeOf(err) == errs.Internal {
			return err
		}
		v.Error, code = errs.MessageOf(err), status(errs.CodeOf(err))
	}
	s.render(w, r, "search", code, v)
	return nil
}

// apiSearch is the search page's JSON twin: GET /api/v1/search?q=.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.search(r, db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}
