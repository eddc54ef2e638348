package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// searchUnits adds a zone with two districts of one community each and
// returns the communities' ids by code.
func searchUnits(t testing.TB, st *store.Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	var ids map[string]int64
	err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = tx.ImportOrgs(ctx, []org.Unit{
			{Code: "SZ", Name: "搜索开发区", Kind: org.Zone},
			{Code: "SZ-1", Name: "东片区", Kind: org.District, ParentCode: "SZ"},
			{Code: "SZ-1-1", Name: "杨柳社区", Kind: org.Community, ParentCode: "SZ-1"},
			{Code: "SZ-2", Name: "西片区", Kind: org.District, ParentCode: "SZ"},
			{Code: "SZ-2-1", Name: "桃花社区", Kind: org.Community, ParentCode: "SZ-2"},
		}, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func memberHits(r store.SearchResult) []string {
	var out []string
	for _, h := range r.Hits {
		if h.Kind == store.SearchMember {
			out = append(out, h.Name+"@"+h.Code)
		}
	}
	return out
}

// Names written before migration 00014, or behind the platform's back, have
// no pinyin keys: Open computes them, so "zs" finds 张三 after a restart.
func TestSearchKeysBackfilledAtOpen(t *testing.T) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			dsn, ok := testdb.DSN(t, e)
			if !ok {
				t.Skip("PostgreSQL: set " + testdb.EnvPostgres)
			}
			ctx := context.Background()
			opts := testdb.Options(t)
			st, err := store.Open(ctx, dsn, opts)
			if err != nil {
				t.Fatal(err)
			}
			ids := searchUnits(t, st)
			err = st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
				return tx.ImportMembers(ctx, []org.Member{{OrgID: ids["SZ-1-1"], Name: "张三", Sex: "男", BirthDate: "1980-01-01",
					Committee: org.ResidentsCommittee, Post: "委员"}})
			})
			if err != nil {
				t.Fatal(err)
			}
			zone := st.Zone(store.System)
			if r, err := zone.Search(ctx, "zs", 10); err != nil || !slices.Equal(memberHits(r), []string{"张三@SZ-1-1"}) {
				t.Fatalf("before: %v %+v", err, r)
			}
			if err := st.Tamper(ctx, `UPDATE members SET name_pinyin = NULL, name_initials = NULL`,
				`UPDATE orgs SET name_pinyin = NULL, name_initials = NULL`); err != nil {
				t.Fatal(err)
			}
			if r, err := zone.Search(ctx, "zs", 10); err != nil || len(memberHits(r)) != 0 {
				t.Fatalf("keys cleared, still found: %v %+v", err, r)
			}
			// Chinese needs no keys.
			if r, err := zone.Search(ctx, "张三", 10); err != nil || !slices.Equal(memberHits(r), []string{"张三@SZ-1-1"}) {
				t.Fatalf("Chinese without keys: %v %+v", err, r)
			}
			st.Close()
			st, err = store.Open(ctx, dsn, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			r, err := st.Zone(store.System).Search(ctx, "zs", 10)
			if err != nil || !slices.Equal(memberHits(r), []string{"张三@SZ-1-1"}) {
				t.Fatalf("after reopening: %v %+v", err, r)
			}
			if r, err := st.Zone(store.System).Search(ctx, "ylsq", 10); err != nil || len(r.Hits) != 1 || r.Hits[0].Code != "SZ-1-1" {
				t.Fatalf("community after reopening: %v %+v", err, r)
			}
		})
	}
}

// A query over 40 characters is refused with a Chinese message; an empty
// one finds nothing; the limit holds per kind and says which kinds had more.
func TestSearchLimits(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ids := searchUnits(t, st)
		var many []org.Member
		for i := range 5 {
			many = append(many, org.Member{OrgID: ids["SZ-2-1"], Name: fmt.Sprintf("张%c", '一'+rune(i)), Sex: "女",
				BirthDate: "1990-01-01", Committee: org.PartyCommittee, Post: "委员"})
		}
		if err := st.Zone(store.System).Write(ctx, func(tx *store.Tx) error { return tx.ImportMembers(ctx, many) }); err != nil {
			t.Fatal(err)
		}
		zone := st.Zone(store.System)
		r, err := zone.Search(ctx, "张", 3)
		if err != nil || len(memberHits(r)) != 3 || !slices.Contains(r.More, store.SearchMember) {
			t.Errorf("limit 3: %v %+v", err, r)
		}
		if r, err := zone.Search(ctx, "  ", 3); err != nil || len(r.Hits) != 0 {
			t.Errorf("blank: %v %+v", err, r)
		}
		long := ""
		for range 41 {
			long += "张"
		}
		if _, err := zone.Search(ctx, long, 3); err == nil {
			t.Error("a 41-character query was not refused")
		}
	})
}
