package web

// pager is where a page of a long list stands.
type pager struct {
	Page, Pages, Total, Size int
}

func newPager(page, total, size int) pager {
	pages := max(1, (total+size-1)/size)
	return pager{Page: min(page, pages), Pages: pages, Total: total, Size: size}
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
