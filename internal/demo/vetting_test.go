package demo_test

import (
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/demo"
)

// The demo's aspirants pass registration and tell the seed's story: five
// disqualified in two communities, seven withdrawn, one barred late.
func TestDemoAspirantsTellTheSeed(t *testing.T) {
	z := demo.Generate(demo.DefaultSeed, demo.DefaultCommunities)
	fates := map[demo.Fate]int{}
	caseCommunities := map[string]bool{}
	seen := map[string]bool{}
	for _, a := range z.Aspirants {
		fates[a.Fate]++
		if a.Fate == demo.Disqualified {
			caseCommunities[a.OrgCode] = true
		}
		if seen[a.IDNumber] {
			t.Fatalf("ID number %s drawn twice", a.IDNumber)
		}
		seen[a.IDNumber] = true
		v := a.Aspirant
		if err := v.Validate(time.Now()); err != nil {
			t.Fatalf("%s of %s: %v", a.Name, a.OrgCode, err)
		}
	}
	if fates[demo.Disqualified] != 5 || len(caseCommunities) != 2 || fates[demo.Withdrawn] != 7 || fates[demo.BarredLate] != 1 ||
		fates[demo.PendingReview] != 2 || fates[demo.Late] != 10 || len(z.Aspirants) < 5*demo.DefaultCommunities {
		t.Fatalf("fates %v over %d aspirants in case communities %v", fates, len(z.Aspirants), caseCommunities)
	}
	if len(z.Cases) != 2 || len(z.Tips) < 4 || len(z.Activities) == 0 {
		t.Fatalf("cases %d, tips %d, activities %d", len(z.Cases), len(z.Tips), len(z.Activities))
	}
}
