package slate

import (
	"strconv"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Margins are the cycle's settings for the formal candidate lists (差额),
// with the defaults of rules.md §2 and §3.5; the provincial ones are
// settings because provinces differ.
type Margins struct {
	// PartyPercent: the party committee's candidates exceed its seats by at
	// least this share of the seats, rounded up (条例第十三条: 20%).
	PartyPercent int `json:"party_percent"`
	// ChiefMin, ChiefMax: 主任 and 副主任 candidates exceed their seats by
	// this many (§3.5: +1).
	ChiefMin int `json:"chief_min"`
	ChiefMax int `json:"chief_max"`
	// MemberMin, MemberMax: 委员 candidates exceed their seats by this many
	// (§3.5: +1 to +3).
	MemberMin int `json:"member_min"`
	MemberMax int `json:"member_max"`
	// PublishDays: the formal list is posted at least this many days before
	// the vote (§3.5: 5; some provinces 7).
	PublishDays int `json:"publish_days"`
	// WithdrawDays: a candidate may withdraw in writing within this many
	// days of the posting, the next by votes filling the place (§3.5: 3).
	WithdrawDays int `json:"withdraw_days"`
	// ReplacementDays: the one who fills a withdrawn candidate's place is
	// posted at least this many days before the vote (§3.5, one province: 3).
	ReplacementDays int `json:"replacement_days"`
	// NoticeDays: the public notice of the 预备人选 lasts at least this many
	// days, both ends counted (local practice: 5; no national text found).
	NoticeDays int `json:"notice_days"`
}

// DefaultMargins are rules.md's defaults.
func DefaultMargins() Margins {
	return Margins{PartyPercent: 20, ChiefMin: 1, ChiefMax: 1, MemberMin: 1, MemberMax: 3, PublishDays: 5, WithdrawDays: 3,
		ReplacementDays: ReplacementPostDays, NoticeDays: MinNoticeDays}
}

// PartyCandidatesMin is the fewest candidates for a party committee of
// seats seats: seats plus percent of them, rounded up (5 seats → 6).
func PartyCandidatesMin(seats, percent int) int { return seats + (seats*percent+99)/100 }

// CheckList checks the number of formal candidates of one committee, post
// by post, against its seats and the margins. A party branch without a
// committee (fewer than 7 full members) elects its secretary directly and
// needs no margin.
func CheckList(s Seats, candidates map[vetting.Post]int, m Margins) []Finding {
	var out []Finding
	bad := func(field, msg string) { out = append(out, Finding{field, msg, true}) }
	if s.Committee == org.PartyCommittee {
		if s.FullMembers < 7 {
			return nil
		}
		n := 0
		for _, c := range candidates {
			n += c
		}
		if need := PartyCandidatesMin(s.Total(), m.PartyPercent); n < need {
			bad("candidates", "委员会应选"+strconv.Itoa(s.Total())+"人,差额不少于应选人数的"+strconv.Itoa(m.PartyPercent)+
				"%,候选人至少"+strconv.Itoa(need)+"人(现为"+strconv.Itoa(n)+"人)")
		}
		return out
	}
	for _, p := range vetting.PostsOf(s.Committee) {
		seats, n := s.Of(p), candidates[p]
		lo, hi := m.ChiefMin, m.ChiefMax
		if p == vetting.CommitteeMember {
			lo, hi = m.MemberMin, m.MemberMax
		}
		if seats == 0 {
			if n > 0 {
				bad(string(p), p.Label()+"未设职数,不应有候选人")
			}
			continue
		}
		if n < seats+lo || n > seats+hi {
			want := strconv.Itoa(seats + lo)
			if hi > lo {
				want += "至" + strconv.Itoa(seats+hi)
			}
			bad(string(p), p.Label()+"应选"+strconv.Itoa(seats)+"人,候选人应为"+want+"人(现为"+strconv.Itoa(n)+"人)")
		}
	}
	return out
}

// CheckPosting refuses a formal list posted later than the margins allow
// before the committee's election day.
func CheckPosting(posted, electionDay civil.Date, m Margins) error {
	if !posted.Valid() {
		return errs.OnField("posted_on", "公布日期不是有效日期,格式如 2027-01-09")
	}
	if last := electionDay.AddDays(-m.PublishDays); posted > last {
		return errs.OnField("posted_on", "候选人名单应在选举日("+electionDay.String()+")前"+strconv.Itoa(m.PublishDays)+
			"日公布,即不晚于"+last.String())
	}
	return nil
}

// CheckWithdrawal refuses a withdrawal outside the days after the posting.
func CheckWithdrawal(posted, on civil.Date, m Margins) error {
	if !on.Valid() {
		return errs.OnField("withdrawn_on", "退出日期不是有效日期")
	}
	if on < posted || on > posted.AddDays(m.WithdrawDays) {
		return errs.OnField("withdrawn_on", "候选人应在名单公布后"+strconv.Itoa(m.WithdrawDays)+"日内书面提出退出,即"+
			posted.String()+"至"+posted.AddDays(m.WithdrawDays).String())
	}
	return nil
}

// Validate checks margins an office sets.
func (m Margins) Validate() error {
	for _, f := range []struct {
		field  string
		v, max int
	}{{"party_percent", m.PartyPercent, 100}, {"chief_min", m.ChiefMin, 5}, {"chief_max", m.ChiefMax, 5},
		{"member_min", m.MemberMin, 9}, {"member_max", m.MemberMax, 9}, {"publish_days", m.PublishDays, 60}, {"withdraw_days", m.WithdrawDays, 30},
		{"replacement_days", m.ReplacementDays, 30}, {"notice_days", m.NoticeDays, 30}} {
		if f.v < 0 || f.v > f.max {
			return errs.OnField(f.field, "须为0到"+strconv.Itoa(f.max)+"的整数")
		}
	}
	if m.ChiefMax < m.ChiefMin {
		return errs.OnField("chief_max", "主任、副主任差额的上限不能小于下限")
	}
	if m.MemberMax < m.MemberMin {
		return errs.OnField("member_max", "委员差额的上限不能小于下限")
	}
	return nil
}
