package store_test

import (
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// A community's ancestors are read root first, and only those in the
// reader's scope: the whole zone sees the zone and the district, the
// district's office the district alone, and the community's own account
// none. A unit at the top has none.
func TestOrgAncestors(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		zone := st.Zone(store.System)
		community, err := zone.OrgByCode(ctx, "QS-02-001")
		if err != nil {
			t.Fatal(err)
		}
		district, err := zone.OrgByCode(ctx, "QS-02")
		if err != nil {
			t.Fatal(err)
		}
		codes := func(q *store.Scoped, u org.Unit) []string {
			t.Helper()
			as, err := q.OrgAncestors(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range as {
				out = append(out, a.Code)
			}
			return out
		}
		for _, c := range []struct {
			name string
			q    *store.Scoped
			u    org.Unit
			want []string
		}{
			{"zone", zone, community, []string{"QS", "QS-02"}},
			{"district", within(st, district.Path), community, []string{"QS-02"}},
			{"community", within(st, community.Path), community, nil},
			{"the top", zone, org.Unit{Code: "QS", Path: "/QS/"}, nil},
		} {
			if got := codes(c.q, c.u); !slices.Equal(got, c.want) {
				t.Errorf("%s: ancestors of %s = %q, want %q", c.name, c.u.Code, got, c.want)
			}
		}
		if as, _ := zone.OrgAncestors(ctx, community); len(as) == 2 && (as[1].ParentCode != "QS" || as[1].Tree.Communities == 0) {
			t.Errorf("the district is read whole: %+v", as[1])
		}
	})
}
