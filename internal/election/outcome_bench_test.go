package election

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// province is the two ballots of each of n communities: the party
// committee's 5 seats among 6 candidates and the residents' committee's
// 主任, 2 副主任 and 4 委员 on one ballot, 9 candidates, votes at random.
func province(n int) ([]Ballot, []Ballot, [][]PostVotes) {
	r := rand.New(rand.NewPCG(1, 2))
	party := make([]Ballot, n)
	res := make([]Ballot, n)
	votes := make([][]PostVotes, n)
	for i := range n {
		p := Ballot{Committee: org.PartyCommittee, Round: FirstRound, Seats: 5, ShouldAttend: 60, Present: 55, Issued: 55,
			Returned: 55, Invalid: r.IntN(2), Formal: 6, MinFormal: 6}
		for j := range 6 {
			p.Candidates = append(p.Candidates, Candidate{Name: "党" + strconv.Itoa(j), Votes: 20 + r.IntN(30)})
		}
		party[i] = p
		res[i] = Ballot{Committee: org.ResidentsCommittee, Round: FirstRound, Registered: 2000, Voted: 1500, Issued: 1500,
			Returned: 1500, Invalid: r.IntN(30)}
		for j := range 9 {
			post := vetting.CommitteeMember
			switch {
			case j < 2:
				post = vetting.Director
			case j < 5:
				post = vetting.DeputyDirector
			}
			sex := "男"
			if j%3 == 0 {
				sex = "女"
			}
			votes[i] = append(votes[i], PostVotes{Name: "居" + strconv.Itoa(j), Sex: sex, Post: post, Votes: 300 + r.IntN(1000)})
		}
	}
	return party, res, votes
}

var residentSeats = map[vetting.Post]int{vetting.Director: 1, vetting.DeputyDirector: 2, vetting.CommitteeMember: 4}

// BenchmarkOutcomesProvince decides both elections of a 70,000-community
// province with the rules; BenchmarkOutcomesProvinceBare only sorts the
// same candidates by votes, the least any outcome must do.
func BenchmarkOutcomesProvince(b *testing.B) {
	party, res, votes := province(70_000)
	s := DefaultSettings()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range party {
			Decide(party[i], s)
			DecidePosts(res[i], residentSeats, votes[i], nil, s)
		}
	}
}

func BenchmarkOutcomesProvinceBare(b *testing.B) {
	party, _, votes := province(70_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range party {
			slices.SortFunc(slices.Clone(party[i].Candidates), func(x, y Candidate) int { return y.Votes - x.Votes })
			slices.SortFunc(slices.Clone(votes[i]), func(x, y PostVotes) int { return y.Votes - x.Votes })
		}
	}
}
