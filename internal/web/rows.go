package web

import (
	"html/template"
	"strings"
)

// tableRows prints the rows of a table's body in Go, each cell escaped as
// html/template escapes text there. A page uses it for a table it draws on
// every request with many cells, the community page's members and
// assignments: html/template calls its escaper through reflection for every
// value it prints, and a dozen members' rows took half the page's time
// (issue 17, BenchmarkCommunityRender). The template prints the rows as one
// value: <tbody>{{.MemberRows}}</tbody>.
type tableRows struct{ b strings.Builder }

// rowsOf are n rows of about size bytes each, the room for them taken at once.
func rowsOf(n, size int) *tableRows {
	t := new(tableRows)
	t.b.Grow(n * size)
	return t
}

// tr starts a row; the next tr or html ends it.
func (t *tableRows) tr() {
	t.end()
	t.b.WriteString("<tr>")
}

func (t *tableRows) end() {
	if t.b.Len() > 0 {
		t.b.WriteString("</tr>\n")
	}
}

// td is a cell of text, with class if not "".
func (t *tableRows) td(class, text string) { t.cell(class, template.HTMLEscapeString(text)) }

// cell is a cell of markup the caller built, escaping what it took from data.
func (t *tableRows) cell(class, markup string) {
	if class == "" {
		t.b.WriteString("<td>")
	} else {
		t.b.WriteString(`<td class="` + class + `">`)
	}
	t.b.WriteString(markup)
	t.b.WriteString("</td>")
}

// html is the rows printed.
func (t *tableRows) html() template.HTML {
	t.end()
	return template.HTML(t.b.String())
}
