package web

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/org"
)

// The rows a page prints in Go escape what they take from data as the
// template would: a hostile name or code stays text.
func TestTableRowsEscape(t *testing.T) {
	hostile := `张"建'国&<script>x</script>`
	v := orgView{Unit: org.Unit{Code: `QS"><b>`}, CanAssign: true, Ancestors: []org.Unit{{Code: `QS"><b>`, Name: hostile}},
		Members:     []org.Member{{Name: hostile, Post: hostile, Education: hostile, Demo: true}, {Name: "李", PartyMember: true}},
		Assignments: []org.Assignment{{ID: 7, Duty: org.Duties[0], Name: hostile, Unit: hostile, Phone: hostile, Username: hostile}}}
	escaped := `张&#34;建&#39;国&amp;&lt;script&gt;x&lt;/script&gt;`
	for name, got := range map[string]string{"members": string(v.MemberRows()), "assignments": string(v.AssignmentRows()),
		"crumbs": string(v.Crumbs())} {
		if strings.Contains(got, "<script>") || strings.Contains(got, `"><b>`) {
			t.Errorf("%s: data printed as markup: %s", name, got)
		}
		if !strings.Contains(got, escaped) {
			t.Errorf("%s: the hostile text is not escaped as %s: %s", name, escaped, got)
		}
		if strings.Count(got, "<tr>") != strings.Count(got, "</tr>") {
			t.Errorf("%s: rows not closed: %s", name, got)
		}
	}
	m := string(v.MemberRows())
	if strings.Count(m, "<tr>") != 2 || !strings.Contains(m, `<span class="tag">演示</span>`) || !strings.Contains(m, "<td>是</td>") {
		t.Errorf("members' rows: %s", m)
	}
	if a := string(v.AssignmentRows()); !strings.Contains(a, `action="/assignments/7/remove"`) || !strings.Contains(a, `value="QS&#34;&gt;&lt;b&gt;"`) {
		t.Errorf("assignments' rows: %s", a)
	}
	if c := string(v.Crumbs()); !strings.Contains(c, ` › <a href="/orgs/QS%22%3E%3Cb%3E">`) {
		t.Errorf("crumbs: %s", c)
	}
	v.CanAssign = false
	if a := string(v.AssignmentRows()); strings.Contains(a, "<form") {
		t.Errorf("a reader who may not assign is given the form: %s", a)
	}
	if (orgView{}).MemberRows() != "" {
		t.Error("no members, yet rows")
	}
}
