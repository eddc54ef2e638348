package slate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The formal candidate lists (正式候选人, issue 14 point 7): per committee
// and post, the persons who passed the assessment and its notice
// (StagePassed), checked against the seats and the margins (CheckList),
// posted in time before the vote (CheckPosting); a candidate who withdraws
// within the days after the posting (CheckWithdrawal) is replaced by the
// next by votes (NextByVotes), the replacement posted in time
// (CheckReplacementPosting) or the list is short.

// ReplacementPostDays: the person who replaces a withdrawn candidate is
// posted at least this many days before the vote (rules.md §3.5: "the next
// by votes fills the gap, posted 3 days before the vote").
const ReplacementPostDays = 3

// Entry is one candidate put on a formal list: a person for a post.
type Entry struct {
	AspirantID int64        `json:"aspirant_id"`
	Post       vetting.Post `json:"post"`
}

// Nominee is a person of the community as the formal list reads them: the
// aspirant with the stage of their assessment and, when failed, why.
type Nominee struct {
	vetting.Aspirant
	Stage  Stage
	Reason string
}

// FormalCandidate is one person on a formal list as it stands: posted on
// PostedOn (the list's day, or a replacement's own), perhaps having
// withdrawn (WithdrawnOn, Reason) and been replaced by ReplacedBy (0 when
// nobody could be: Note says why), or replacing Replaces.
type FormalCandidate struct {
	AspirantID  int64        `json:"aspirant_id"`
	Name        string       `json:"name"`
	Post        vetting.Post `json:"post"`
	PostedOn    civil.Date   `json:"posted_on"`
	Replaces    int64        `json:"replaces,omitempty"`
	WithdrawnOn civil.Date   `json:"withdrawn_on,omitempty"`
	Reason      string       `json:"withdraw_reason,omitempty"`
	ReplacedBy  int64        `json:"replaced_by,omitempty"`
	Note        string       `json:"note,omitempty"` // why a withdrawn candidate was not replaced
}

// Standing reports whether c is still a candidate.
func (c FormalCandidate) Standing() bool { return c.WithdrawnOn == "" }

// Formal is one committee's formal list.
type Formal struct {
	Committee  org.Committee     `json:"committee"`
	PostedOn   civil.Date        `json:"posted_on"`
	Candidates []FormalCandidate `json:"candidates"`
}

// Counts are the standing candidates per post, as CheckList takes them.
func (f Formal) Counts() map[vetting.Post]int {
	out := map[vetting.Post]int{}
	for _, c := range f.Candidates {
		if c.Standing() {
			out[c.Post]++
		}
	}
	return out
}

// Short reports whether a withdrawn candidate's place stays empty.
func (f Formal) Short() bool { return len(f.Warnings()) > 0 }

// Warnings say, in Chinese, each place left empty by a withdrawal.
func (f Formal) Warnings() []string {
	out := []string{}
	for _, c := range f.Candidates {
		if !c.Standing() && c.ReplacedBy == 0 {
			out = append(out, c.Post.Label()+"候选人"+c.Name+"退出后缺额:"+c.Note)
		}
	}
	return out
}

// Has reports whether the person is on the list, standing or withdrawn.
func (f Formal) Has(id int64) bool {
	return slices.ContainsFunc(f.Candidates, func(c FormalCandidate) bool { return c.AspirantID == id })
}

// ValidateFormal checks the formal list of committee c before it is kept:
// the committee's seats set (set false: refused asking for them first),
// its election day set, the posting day in time (CheckPosting), at least
// one candidate, each a person of the community (people, by id) who
// stands for the committee, passed the assessment and its notice, once,
// for a post of the committee; then the margins post by post (CheckList),
// the message naming the post. Rows are candidates[N].field.
func ValidateFormal(c org.Committee, entries []Entry, people map[int64]Nominee, seats Seats, set bool,
	posted, electionDay civil.Date, m Margins) error {
	if c != org.PartyCommittee && c != org.ResidentsCommittee {
		return errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	if !set {
		return errs.OnField("seats", "尚未设定"+c.Label()+"职数,请先设定职数再确定正式候选人")
	}
	if electionDay == "" {
		return errs.OnField("posted_on", "尚未设定"+c.Label()+"选举日,请先设定选举日")
	}
	if err := CheckPosting(posted, electionDay, m); err != nil {
		return err
	}
	if len(entries) == 0 {
		return errs.OnField("candidates", "请至少列入一名候选人")
	}
	seen := map[int64]bool{}
	for i, e := range entries {
		row := "第" + strconv.Itoa(i+1) + "行:"
		field := func(k string) string { return "candidates[" + strconv.Itoa(i) + "]." + k }
		p, ok := people[e.AspirantID]
		if !ok {
			return errs.OnField(field("aspirant_id"), row+"不是本社区本届的参选人")
		}
		if !e.Post.Fits(c) {
			return errs.OnField(field("post"), row+p.Name+":请选择"+c.Label()+"的职务("+postNames(c)+")")
		}
		if !Stands(p.Aspirant, c) {
			return errs.OnField(field("aspirant_id"), row+p.Name+"未参选"+c.Label())
		}
		if p.Stage != StagePassed {
			why := p.Reason
			if why == "" {
				why = "目前为" + p.Stage.Label()
			}
			return errs.OnField(field("aspirant_id"), row+p.Name+"尚未通过考察和公示,不能列为正式候选人("+why+")")
		}
		if seen[e.AspirantID] {
			return errs.OnField(field("aspirant_id"), row+p.Name+"已列入名单,同一人只能列入一次")
		}
		seen[e.AspirantID] = true
	}
	counts := map[vetting.Post]int{}
	for _, e := range entries {
		counts[e.Post]++
	}
	for _, f := range CheckList(seats, counts, m) {
		if f.Error {
			return errs.OnField(f.Field, f.Message)
		}
	}
	return nil
}

// Withdrawal is a candidate's written withdrawal (退出): the day, the
// reason, and the day the replacement is posted ("" for the same day).
type Withdrawal struct {
	AspirantID          int64      `json:"aspirant_id"`
	On                  civil.Date `json:"withdrawn_on"`
	Reason              string     `json:"reason"`
	ReplacementPostedOn civil.Date `json:"replacement_posted_on"`
}

// Validate checks a withdrawal from list f before today: a standing
// candidate of the list, a reason, within the days after the posting
// (CheckWithdrawal) and not after today; the replacement posted on or
// after the withdrawal and not after the vote.
func (w Withdrawal) Validate(f Formal, today, electionDay civil.Date, m Margins) error {
	i := slices.IndexFunc(f.Candidates, func(c FormalCandidate) bool { return c.AspirantID == w.AspirantID })
	switch {
	case i < 0:
		return errs.OnField("aspirant_id", "此人不在"+f.Committee.Label()+"正式候选人名单上")
	case !f.Candidates[i].Standing():
		return errs.OnField("aspirant_id", f.Candidates[i].Name+"已于"+f.Candidates[i].WithdrawnOn.String()+"退出")
	case strings.TrimSpace(w.Reason) == "":
		return errs.OnField("reason", "请填写退出理由(候选人书面提出)")
	}
	if err := CheckWithdrawal(f.PostedOn, w.On, m); err != nil {
		return err
	}
	if w.On > today {
		return errs.OnField("withdrawn_on", "退出日期不能晚于今天")
	}
	if w.ReplacementPostedOn != "" {
		if !w.ReplacementPostedOn.Valid() {
			return errs.OnField("replacement_posted_on", "替补人选公布日期不是有效日期")
		}
		if w.ReplacementPostedOn < w.On {
			return errs.OnField("replacement_posted_on", "替补人选公布日期不能早于退出日期")
		}
		if electionDay != "" && w.ReplacementPostedOn >= electionDay {
			return errs.OnField("replacement_posted_on", "替补人选须在选举日("+electionDay.String()+")之前公布")
		}
	}
	return nil
}

// CheckReplacementPosting refuses a replacement posted later than days
// (the cycle's Margins.ReplacementDays, by default ReplacementPostDays) before the vote; the message is the list's warning.
func CheckReplacementPosting(posted, electionDay civil.Date, days int) error {
	if last := electionDay.AddDays(-days); electionDay == "" || posted > last {
		return errs.OnField("replacement_posted_on", "替补人选应在选举日("+electionDay.String()+")前"+
			strconv.Itoa(days)+"日公布,即不晚于"+last.String()+",已来不及递补,名单缺额")
	}
	return nil
}

// SourceFor is the recommendation whose votes rank the replacements of
// committee c: the party members' for the party committee, the residents'
// (or their representatives') for the residents' committee.
func SourceFor(c org.Committee) Source {
	if c == org.PartyCommittee {
		return PartySource
	}
	return PublicSource
}

// NextByVotes is the person who fills a withdrawn candidate's place: of
// the post's ranking in the committee's own recommendation (primary, see
// SourceFor), the one with the most votes whom ok accepts (passed the
// assessment, stands for the committee, not on the list yet). Ties are
// broken by the votes for the same post in the other recommendation
// (other), then by name, then by the earlier registration (id). False
// when nobody is left.
func NextByVotes(primary, other []Ranked, ok func(id int64) bool) (Ranked, bool) {
	alt := map[int64]int{}
	for _, r := range other {
		alt[r.AspirantID] = r.Votes
	}
	list := slices.Clone(primary)
	slices.SortStableFunc(list, func(a, b Ranked) int {
		if a.Votes != b.Votes {
			return b.Votes - a.Votes
		}
		if alt[a.AspirantID] != alt[b.AspirantID] {
			return alt[b.AspirantID] - alt[a.AspirantID]
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.AspirantID, b.AspirantID)
	})
	for _, r := range list {
		if ok(r.AspirantID) {
			return r, true
		}
	}
	return Ranked{}, false
}
