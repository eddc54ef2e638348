package election

import (
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// PostVotes is one person's votes for one post on a ballot that elects
// several posts at once (主任, 副主任 and 委员 on one residents' ballot).
type PostVotes struct {
	Key     string       `json:"key,omitempty"`
	Name    string       `json:"name"`
	Sex     string       `json:"sex,omitempty"`
	Post    vetting.Post `json:"post"`
	Votes   int          `json:"votes"`
	WriteIn bool         `json:"write_in,omitempty"`
}

// DecidePosts decides a ballot with several posts, the higher post first
// (vetting.PostsOf): someone elected to a higher post is not counted for a
// lower one. With Settings.CrossPostCounting (rules.md §3.2, one province)
// a person's total for a post adds the votes for every higher post. The
// women's seat is kept on the last post with seats, and only when no woman
// was elected to a higher one. b carries the ballot's figures (Seats and
// Candidates are set per post); minFormal is each post's margin (0: none).
func DecidePosts(b Ballot, seats map[vetting.Post]int, votes []PostVotes, minFormal map[vetting.Post]int, s Settings) map[vetting.Post]Outcome {
	out := map[vetting.Post]Outcome{}
	posts := vetting.PostsOf(b.Committee)
	last := -1
	for i, p := range posts {
		if seats[p] > 0 {
			last = i
		}
	}
	elected := map[string]bool{}
	woman := false
	for i, p := range posts {
		n := seats[p]
		if n <= 0 {
			continue
		}
		type person struct {
			c    Candidate
			seen bool
		}
		totals := map[string]*person{}
		var order []string
		formal := 0
		for _, v := range votes {
			counts := v.Post == p || (s.CrossPostCounting && higher(b.Committee, v.Post, p))
			if !counts || elected[v.Name] {
				continue
			}
			pp := totals[v.Name]
			if pp == nil {
				pp = &person{c: Candidate{Key: v.Key, Name: v.Name, Sex: v.Sex, WriteIn: v.WriteIn}}
				totals[v.Name] = pp
				order = append(order, v.Name)
			}
			pp.c.Votes += v.Votes
			if v.Post == p && !v.WriteIn && !pp.seen {
				pp.seen = true
				formal++
			}
		}
		one := b
		one.Seats, one.Formal, one.MinFormal, one.summed = n, formal, minFormal[p], s.CrossPostCounting && i > 0
		one.WomenElsewhere = b.WomenElsewhere || woman || i != last
		one.Candidates = nil
		for _, name := range order {
			one.Candidates = append(one.Candidates, totals[name].c)
		}
		o := Decide(one, s)
		for _, name := range o.Elected {
			elected[name] = true
			if totals[name].c.Sex == "女" {
				woman = true
			}
		}
		out[p] = o
	}
	return out
}

// higher reports whether post a ranks above post b on committee c.
func higher(c org.Committee, a, b vetting.Post) bool {
	posts := vetting.PostsOf(c)
	ia, ib := -1, -1
	for i, p := range posts {
		if p == a {
			ia = i
		}
		if p == b {
			ib = i
		}
	}
	return ia >= 0 && ia < ib
}
