package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// pager is where a page of a long list stands, with what its links keep.
type pager struct {
	Page, Pages, Total, Size int
	Query                    template.URL // the list's filter, encoded, for the links
	Unit                     string       // what the list counts: 人, 个社区 …
	Path                     string       // the list's path, for a list shown at another address (a refused form's); "" links from where it is
}

func newPager(page, total, size int) pager {
	pages := max(1, (total+size-1)/size)
	return pager{Page: min(page, pages), Pages: pages, Total: total, Size: size}
}

// Of keeps the filter q in the page links and names what the list counts.
// The query is encoded here, so the template may put it in a link as it is
// (a plain string there would have its = and & escaped, losing the filter).
func (p pager) Of(q url.Values, unit string) pager {
	for k, vs := range q {
		if len(vs) == 0 || vs[0] == "" || k == "page" {
			q.Del(k)
		}
	}
	p.Query, p.Unit = template.URL(q.Encode()), unit
	return p
}

// First is the 1-based number of the page's first row.
func (p pager) First() int { return (p.Page-1)*p.Size + 1 }

// Prev and Next are the neighbouring pages, 0 where there is none.
func (p pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}

// flag is a checkbox's value in a link: "1" when set, "" (left out) when not.
func flag(on bool) string {
	if on {
		return "1"
	}
	return ""
}

// apiPage reads an API list's ?limit= (1 to 10000, 1000 by default) and
// ?offset= (0 by default), a refusal naming the bad one.
func apiPage(q url.Values) (limit, offset int, err error) {
	limit = 1000
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 10000 {
			return 0, 0, errs.OnField("limit", fieldName("limit")+"应为 1 到 10000 的整数")
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, errs.OnField("offset", fieldName("offset")+"应为非负整数")
		}
	}
	return limit, offset, nil
}

// apiPaging is where a JSON twin's page of a list stands: ?limit (1 to the
// list's most; its default when not given) and ?page from 1.
type apiPaging struct{ limit, page int }

func apiPagingOf(q url.Values, def, most int) (apiPaging, error) {
	limit, err := queryIntOf(q, "limit", def, most)
	if err != nil {
		return apiPaging{}, err
	}
	page, err := queryIntOf(q, "page", 1, 1_000_000)
	return apiPaging{max(limit, 1), max(page, 1)}, err
}

// window is the page for the store.
func (p apiPaging) window() store.Page {
	return store.Page{Limit: p.limit, Offset: (p.page - 1) * p.limit}
}

// next is the link from path with query q to the following page.
func (p apiPaging) next(path string, q url.Values) string {
	q.Set("limit", strconv.Itoa(p.limit))
	q.Set("page", strconv.Itoa(p.page+1))
	return path + "?" + q.Encode()
}

// answer writes the page's items with the list's total and, while more
// follow, the next link.
func (p apiPaging) answer(w http.ResponseWriter, r *http.Request, items any, total int) {
	out := map[string]any{"items": items, "total": total}
	if p.page*p.limit < total {
		out["next"] = p.next(r.URL.Path, r.URL.Query())
	}
	writeJSON(w, http.StatusOK, out)
}
