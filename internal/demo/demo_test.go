package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

func TestGenerateIsDeterministicAndShapedLikeTheSeed(t *testing.T) {
	a, b := Generate(DefaultSeed, DefaultCommunities), Generate(DefaultSeed, DefaultCommunities)
	same := func(a, b Zone) bool { // but for the passwords, random on every generation
		a.Accounts, b.Accounts = slices.Clone(a.Accounts), slices.Clone(b.Accounts)
		for i := range a.Accounts {
			a.Accounts[i].Password = ""
		}
		for i := range b.Accounts {
			b.Accounts[i].Password = ""
		}
		return reflect.DeepEqual(a, b)
	}
	if !same(a, b) {
		t.Fatal("the same seed gave different zones")
	}
	if a.Accounts[0].Password == b.Accounts[0].Password {
		t.Fatal("the same password twice")
	}
	if c := Generate(DefaultSeed+1, DefaultCommunities); reflect.DeepEqual(a.Units, c.Units) {
		t.Fatal("another seed gave the same zone")
	}
	kinds := map[org.Kind]int{}
	names := map[string]bool{}
	for _, u := range a.Units {
		kinds[u.Kind]++
		if u.Kind == org.Community {
			if names[u.Name] || !strings.HasSuffix(u.Name, "社区") || u.Households < 600 || u.Population < u.Households*2 {
				t.Errorf("community %+v", u)
			}
			names[u.Name] = true
		}
	}
	if kinds[org.Zone] != 1 || kinds[org.District] != 4 || kinds[org.Community] != 32 {
		t.Fatalf("shape %v", kinds)
	}
	dual, women := 0, 0
	for _, m := range a.Members {
		info, err := idcard.Parse(m.IDNumber)
		if err != nil || info.Region != DemoRegion || !m.Demo || info.Sex() != m.Sex || !strings.HasPrefix(m.Phone, "100") {
			t.Fatalf("member %+v: %v", m, err)
		}
		if m.Post == "主任" {
			for _, s := range a.Members {
				if s.OrgCode == m.OrgCode && s.Post == "书记" && s.IDNumber == m.IDNumber {
					dual++
				}
			}
		}
		if m.Sex == "女" {
			women++
		}
	}
	if dual == 0 || dual == 32 || women == 0 {
		t.Fatalf("dual roles %d of 32, women %d", dual, women)
	}
	roles, reviewers := map[account.Role]int{}, map[string]string{}
	for _, acc := range a.Accounts {
		roles[acc.Role]++
		if acc.Role == account.Reviewer {
			reviewers[acc.Department] = acc.Username
		}
	}
	for _, d := range vetting.DefaultDepartments() {
		if reviewers[d.Code] == "" {
			t.Errorf("no reviewer account for %s", d.Name)
		}
	}
	if len(roles) != len(account.Roles) || roles[account.Reviewer] != len(vetting.DefaultDepartments()) ||
		reviewers["gaj"] != "reviewer-gaj" || reviewers["mzj"] != "reviewer-mzj" {
		t.Fatalf("accounts by role %v, reviewers %v: want every role, and a reviewer per department", roles, reviewers)
	}
}

// Zones of every size have valid units, accounts and assignments: the
// zone of 100 communities (seven districts counting its elections, one
// more than the liaisons' names) once gave its seventh an empty name and
// failed to load.
func TestGenerateLargeZones(t *testing.T) {
	for _, n := range []int{100, 200, 1000} {
		z := Generate(DefaultSeed, n)
		for _, a := range z.Accounts {
			if a.DisplayName == "" || a.Username == "" {
				t.Fatalf("%d communities: account %+v", n, a)
			}
		}
		kinds := map[string]org.Kind{}
		for _, u := range z.Units {
			kinds[u.Code] = u.Kind
		}
		for _, a := range z.Assignments {
			if err := a.Validate(kinds[a.OrgCode]); err != nil {
				t.Fatalf("%d communities: assignment %+v: %v", n, a, err)
			}
		}
	}
	// Beyond GatesUpTo the records of every capability are in about
	// GatesUpTo communities, in districts spread over the zone: members,
	// aspirants, gates, elections and visits there and nowhere else.
	z := Generate(1, 10000)
	parent := map[string]string{}
	filled, districts := 0, map[string]bool{}
	for _, u := range z.Units {
		parent[u.Code] = u.ParentCode
		if u.Kind == org.Community && z.Fills(u.Code, u.ParentCode) {
			filled++
			districts[u.ParentCode] = true
		}
	}
	if z.Communities() != 10000 || filled < GatesUpTo || filled > 2*GatesUpTo || len(districts) < 20 || len(z.Gates) != filled ||
		len(z.Elections) != filled || len(z.Visits.Registers) == 0 {
		t.Fatalf("communities %d, filled %d in %d districts, %d gates, %d elections, %d registers",
			z.Communities(), filled, len(districts), len(z.Gates), len(z.Elections), len(z.Visits.Registers))
	}
	for _, m := range z.Members {
		if !z.Fills(m.OrgCode, parent[m.OrgCode]) {
			t.Fatalf("a member in %s, outside the filled districts", m.OrgCode)
		}
	}
	for _, a := range z.Aspirants {
		if !z.Fills(a.OrgCode, parent[a.OrgCode]) {
			t.Fatalf("an aspirant in %s, outside the filled districts", a.OrgCode)
		}
	}
	var all []string // the districts in order
	for _, u := range z.Units {
		if u.Kind == org.District {
			all = append(all, u.Code)
		}
	}
	late := 0 // filled districts in the second half of the zone
	for _, d := range all[len(all)/2:] {
		if districts[d] {
			late++
		}
	}
	if !districts[all[0]] || late < len(districts)/3 {
		t.Fatalf("filled districts %v: the first not among them, or %d in the second half", districts, late)
	}
	codes := map[string]bool{}
	for _, u := range z.Units {
		if codes[u.Code] {
			t.Fatalf("duplicate code %s", u.Code)
		}
		codes[u.Code] = true
		if err := u.Validate(); err != nil {
			t.Fatalf("%+v: %v", u, err)
		}
	}
}

// No community's aspirants share a name, whatever the zone's size: a
// ballot names its candidates, and the 2,000-community zone's load failed
// when the third gate registered a second 秦鹏 for a party committee.
func TestAspirantNamesDifferWithinCommunity(t *testing.T) {
	for _, n := range []int{DefaultCommunities, 2000} {
		z := Generate(DefaultSeed, n)
		seen := map[[2]string]bool{}
		for _, a := range z.Aspirants {
			k := [2]string{a.OrgCode, a.Name}
			if seen[k] {
				t.Errorf("%d communities: two aspirants of %s are called %s", n, a.OrgCode, a.Name)
			}
			seen[k] = true
		}
	}
}
