package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// BenchmarkCommunityRender times the community page's template alone (no
// request, no database): what the page costs beyond its statements, against
// which the comparison with the bare stack is read. The page as
// the whole-zone admin sees it: twelve sitting members, three duty holders
// with the form that assigns one; then without the members; then without
// the form and its table too.
//
//	go test ./internal/web -run '^$' -bench CommunityRender -benchmem
func BenchmarkCommunityRender(b *testing.B) {
	DrawOnce(b)
	s, err := New(testdb.Open(b, store.SQLite), nil)
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/orgs/QS-01-001", nil)
	r = r.WithContext(context.WithValue(r.Context(), userKey{}, account.User{ID: 1, Username: "admin", DisplayName: "管理员", Role: account.Admin}))
	whole := orgView{Unit: org.Unit{Code: "QS-01-001", Name: "青山社区", Kind: org.Community, Households: 1234, Population: 4567},
		Ancestors: []org.Unit{{Code: "QS", Name: "青山开发区"}, {Code: "QS-01", Name: "第一片区"}}, CanAssign: true}
	for i := range 12 {
		whole.Members = append(whole.Members, org.Member{ID: int64(i + 1), Name: "张建国", Sex: "男", BirthDate: civil.Date("1970-01-02"),
			Committee: org.PartyCommittee, Post: "委员", PartyMember: true, Education: "本科", IDNumber: "1101**********1234", Phone: "138****1234"})
	}
	for _, d := range org.Duties {
		if d.On() == org.Community {
			whole.Duties = append(whole.Duties, d)
			whole.Assignments = append(whole.Assignments, org.Assignment{ID: int64(len(whole.Assignments) + 1), Duty: d, Name: "李明",
				Unit: "党群部", Phone: "139****5678"})
		}
	}
	noMembers := whole
	noMembers.Members = nil
	bare := noMembers
	bare.Assignments, bare.Duties, bare.CanAssign = nil, nil, false
	for _, c := range []struct {
		name string
		v    orgView
	}{{"whole", whole}, {"no-members", noMembers}, {"no-members-no-duties", bare}} {
		b.Run(c.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				w := httptest.NewRecorder()
				v := c.v
				v.Links = s.communityLinkBar(userOf(r), v.Unit.Code) // as orgPageView does on every request
				s.renderPage(w, r, "org", 200, v, nil)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size)/1024, "KiB/page")
		})
	}
}
