package store_test

// BenchmarkSearch times the search box (Scoped.Search, issue 13 point 4)
// over 100,000 committee members in 1,000 communities of 100 districts,
// only when the benchmark runs:
//
//	go test ./internal/store -run '^$' -bench Search -benchtime 20x
//
// The members are written through the platform (Tx.ImportMembers), so their
// pinyin keys are computed as in production, in the transaction that writes
// them. Beside the searches, "bare" reads the 100,000 names with plain
// database/sql, and "bare+pinyin" also computes their keys: what a search
// computing pinyin at query time would spend before matching anything.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

const (
	benchPeople    = 100_000
	benchDistricts = 100
	benchPerDist   = 10
)

var (
	benchSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	benchGiven    = []rune("三松帅顺伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇浩凯健俊帆鑫波亮林峰")
)

func seedSearchBench(b *testing.B, st *store.Store) (district string) {
	ctx := context.Background()
	zone := st.Zone(store.System)
	units := []org.Unit{{Code: "SB", Name: "基准开发区", Kind: org.Zone}}
	for d := range benchDistricts {
		dc := fmt.Sprintf("SB-%03d", d)
		units = append(units, org.Unit{Code: dc, Name: fmt.Sprintf("第%d片区", d), Kind: org.District, ParentCode: "SB"})
		for c := range benchPerDist {
			units = append(units, org.Unit{Code: fmt.Sprintf("%s-%02d", dc, c), Name: fmt.Sprintf("第%d片区%d号社区", d, c),
				Kind: org.Community, ParentCode: dc})
		}
	}
	var ids map[string]int64
	if err := zone.Write(ctx, func(tx *store.Tx) error {
		var err error
		ids, err = tx.ImportOrgs(ctx, units, false)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	batch := make([]org.Member, 0, 5000)
	flush := func() {
		if err := zone.Write(ctx, func(tx *store.Tx) error { return tx.ImportMembers(ctx, batch) }); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range benchPeople {
		d, c := i%benchDistricts, (i/benchDistricts)%benchPerDist
		var name strings.Builder
		name.WriteRune(benchSurnames[r.IntN(len(benchSurnames))])
		for range 1 + r.IntN(2) {
			name.WriteRune(benchGiven[r.IntN(len(benchGiven))])
		}
		batch = append(batch, org.Member{OrgID: ids[fmt.Sprintf("SB-%03d-%02d", d, c)], Name: name.String(), Sex: "男",
			BirthDate: "1980-01-01", Committee: org.ResidentsCommittee, Post: "委员"})
		if len(batch) == cap(batch) {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return "SB-007"
}

func BenchmarkSearch(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			st := openBench(b, e)
			start := time.Now()
			district := seedSearchBench(b, st)
			b.Logf("%s: %d members in %d communities written (keys included) in %s", e, benchPeople,
				benchDistricts*benchPerDist, time.Since(start).Round(time.Millisecond))
			zone := st.Zone(store.System)
			unit, err := zone.OrgByCode(ctx, district)
			if err != nil {
				b.Fatal(err)
			}
			scoped := st.For(account.User{ID: 1, Username: "district", Role: account.District, ScopePath: unit.Path})
			for _, c := range []struct {
				name string
				q    *store.Scoped
				text string
			}{
				{"zone/initials-zs", zone, "zs"}, {"zone/pinyin-zhang", zone, "zhang"}, {"zone/chinese-张", zone, "张"},
				{"zone/chinese-none", zone, "不存在的名字"}, {"district/initials-zs", scoped, "zs"},
				{"district/chinese-张", scoped, "张"},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						r, err := c.q.Search(ctx, c.text, 20)
						if err != nil {
							b.Fatal(err)
						}
						if c.text != "不存在的名字" && len(r.Hits) == 0 {
							b.Fatalf("%q found nothing", c.text)
						}
					}
				})
			}
			b.Run("bare", func(b *testing.B) {
				for b.Loop() {
					if names, err := st.BareNames(ctx); err != nil || len(names) != benchPeople {
						b.Fatalf("bare: %d %v", len(names), err)
					}
				}
			})
			b.Run("bare+pinyin", func(b *testing.B) {
				for b.Loop() {
					names, err := st.BareNames(ctx)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for _, name := range names {
						if full, initials := store.SearchKeysOf(name, true); strings.HasPrefix(initials, "zs") || strings.HasPrefix(full, "zs") {
							n++
						}
					}
					if n == 0 {
						b.Fatal("no zs")
					}
				}
			})
		})
	}
}
