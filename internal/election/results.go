package election

// The results of a community's two elections (issue 15, points 7 and 8):
// who was elected to each committee, with their votes; for the party
// committee the secretary and deputies its committee then elected, pending
// the higher level's approval (rules.md §2); the handover within
// Settings.HandoverDays; how the elected compare with the predicted slate.
// No SQL, no HTTP.

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// 高票当选 (elected with a high vote) has no legal definition. Here it is a
// share of the base (the votes cast, or for the party those who should
// attend or were present) of at least HighNum/HighDen, 90%; every vote of
// the base is 全票当选.
const (
	HighNum = 9
	HighDen = 10
)

// OldAge is the age from which a member counts as 60岁以上, the figure
// higher levels ask beside 35岁以下. 以上 includes the number itself
// (民法典第一千二百五十九条), as 以下 does for slate.YoungAge.
const OldAge = 60

// Old reports whether a person of age (on the election day of the
// committee concerned) is 60岁以上.
func Old(age int) bool { return age >= OldAge }

// MaxElected is the most members one committee's result may list (the
// law's largest committee is 9; a branch committee usually at most 7).
const MaxElected = 15

// ElectedMember is one person elected to one committee of a community in
// a cycle: a formal candidate or an aspirant written in (AspirantID set;
// the store reads name, sex, birth date, education and party status from
// the aspirant) or a person written in without an aspirant record
// (AspirantID 0; the row carries its own). For the party committee every
// member is elected as 委员 (the members' assembly elects the committee);
// the committee then elects its secretary and deputies (Officers), which
// changes their Post.
type ElectedMember struct {
	ID         int64             `json:"id"`                    // set by the store
	AspirantID int64             `json:"aspirant_id,omitempty"` // 0: written in without an aspirant record
	Name       string            `json:"name"`
	Sex        string            `json:"sex"` // 男 / 女
	BirthDate  civil.Date        `json:"birth_date"`
	Education  vetting.Education `json:"education"`
	Party      vetting.Party     `json:"party"`
	Post       vetting.Post      `json:"post"`
	Votes      int               `json:"votes"`
	// Base is what the share is counted on: the ballots cast (residents),
	// those who should attend or were present (party, as
	// Settings.ThresholdBase says).
	Base  int   `json:"base"`
	Round Round `json:"round"`
	// Reelected: a sitting member of that committee (the cycle's members)
	// elected again (连选连任); set by the store, not taken from the input.
	Reelected bool `json:"reelected"`
	// Cross: elected to the other committee too (交叉任职); set by reads.
	Cross bool `json:"cross"`
	// Age on the election day the result came from; set by the store.
	Age int `json:"age"`
}

// Share is the votes as a percentage of the base, one decimal.
func (m ElectedMember) Share() float64 { return slate.Share(m.Votes, m.Base) }

// High reports 高票当选: at least HighNum/HighDen of the base.
func (m ElectedMember) High() bool { return m.Base > 0 && m.Votes*HighDen >= m.Base*HighNum }

// Unanimous reports 全票当选: every vote of the base.
func (m ElectedMember) Unanimous() bool { return m.Base > 0 && m.Votes == m.Base }

// PersonKey identifies a person within one community across its two
// committees: the name and the birth date (a person written in on one
// committee and elected as an aspirant on the other is the same person).
func (m ElectedMember) PersonKey() string { return m.Name + "|" + string(m.BirthDate) }

// validRound reports a known round.
func validRound(r Round) bool {
	for _, x := range Rounds {
		if x == r {
			return true
		}
	}
	return false
}

// CheckElected refuses a committee's result that cannot be: on the field
// members[N].… with the reason in Chinese. Each member needs a name (at most
// 30 characters), sex, a birth date making them at least vetting.MinAge on
// day (the election day), education and party status (for the party
// committee a full member: rules.md §2, Art. 5), a post of the committee
// (only 委员 for the party committee: its secretary and deputies are
// elected by the committee afterwards), votes between 0 and the base, the
// base at least 1 and a known round; nobody twice; no more members on a
// post than its seats (the party committee: no more than all its seats),
// when seats is not nil; one chief at most in any case.
func CheckElected(c org.Committee, day civil.Date, members []ElectedMember, seats *slate.Seats) error {
	if c != org.PartyCommittee && c != org.ResidentsCommittee {
		return errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	if len(members) > MaxElected {
		return errs.OnField("members", fmt.Sprintf("当选人员不能多于%d人", MaxElected))
	}
	seen := map[string]int{}
	perPost := map[vetting.Post]int{}
	for i := range members {
		m := &members[i]
		at := func(f string) string { return "members[" + strconv.Itoa(i) + "]." + f }
		row := fmt.Sprintf("第%d人", i+1)
		m.Name = strings.TrimSpace(m.Name)
		switch n := utf8.RuneCountInString(m.Name); {
		case n == 0:
			return errs.OnField(at("name"), row+":请填写姓名")
		case n > 30:
			return errs.OnField(at("name"), row+":姓名不能超过30个字")
		}
		who := m.Name
		if err := checkPerson(c, day, m.Sex, m.BirthDate, m.Education, m.Party, at, who+":"); err != nil {
			return err
		}
		if !m.Post.Fits(c) {
			return errs.OnField(at("post"), who+":"+c.Label()+"没有该职务")
		}
		if c == org.PartyCommittee && m.Post != vetting.CommitteeMember {
			return errs.OnField(at("post"), who+":党员大会选举党组织委员会委员,书记、副书记由委员会选举产生后另行登记")
		}
		if m.Base < 1 {
			return errs.OnField(at("base"), who+":计票基数(参加投票人数或应到会人数)须为正整数")
		}
		if m.Votes < 0 || m.Votes > m.Base {
			return errs.OnField(at("votes"), fmt.Sprintf("%s:得票须在0到计票基数%d之间", who, m.Base))
		}
		if !validRound(m.Round) {
			return errs.OnField(at("round"), who+":请选择当选的轮次")
		}
		key := m.PersonKey()
		if m.AspirantID != 0 {
			key = "#" + strconv.FormatInt(m.AspirantID, 10)
		}
		if j, twice := seen[key]; twice {
			return errs.OnField(at("name"), fmt.Sprintf("%s与第%d人是同一人,同一人在一个委员会只能当选一次", who, j+1))
		}
		seen[key] = i
		perPost[m.Post]++
		limit, what := -1, c.Label()+m.Post.Label()
		switch {
		case seats != nil && c == org.PartyCommittee:
			limit, what = seats.Total(), c.Label()
		case seats != nil:
			limit = seats.Of(m.Post)
		case m.Post == vetting.Director:
			limit = 1
		}
		count := perPost[m.Post]
		if c == org.PartyCommittee {
			count = i + 1
		}
		if limit >= 0 && count > limit {
			return errs.OnField(at("post"), fmt.Sprintf("%s职数为%d名,当选人员不能多于职数", what, limit))
		}
	}
	return nil
}

// checkPerson refuses what a person elected to committee c on day cannot
// be (rules.md §2 Art. 5, §3.1 "Who votes"): sex 男 or 女, a real birth
// date making them at least vetting.MinAge on day, an education and a
// party status, for the party committee a full member. The error is on
// at(field), its message led by who.
func checkPerson(c org.Committee, day civil.Date, sex string, birth civil.Date, edu vetting.Education, party vetting.Party,
	at func(string) string, who string) error {
	if sex != "男" && sex != "女" {
		return errs.OnField(at("sex"), who+"请选择性别")
	}
	if !birth.Valid() {
		return errs.OnField(at("birth_date"), who+"出生日期格式应为 1980-05-01")
	}
	if age := slate.AgeOn(birth, day); age < vetting.MinAge {
		return errs.OnField(at("birth_date"), fmt.Sprintf("%s选举日(%s)时%d岁,不满%d周岁", who, day, age, vetting.MinAge))
	}
	if !edu.Valid() {
		return errs.OnField(at("education"), who+"请选择文化程度")
	}
	if !party.Valid() {
		return errs.OnField(at("party"), who+"请选择政治面貌")
	}
	if c == org.PartyCommittee && party != vetting.PartyMember {
		return errs.OnField(at("party"), who+"只有正式党员才能当选党组织委员会委员,该人为"+party.Label())
	}
	return nil
}

// WrittenIn is what the office records of a person written in (另选他人)
// and elected, who has no aspirant record: what CheckElected needs of a
// member beyond the name and the votes the count gives.
type WrittenIn struct {
	Name      string            `json:"name"`
	Sex       string            `json:"sex"`
	BirthDate civil.Date        `json:"birth_date"`
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
}

// CheckWrittenIn refuses details of a person written in and elected to
// committee c on day that could not make them a member (the rules of
// CheckElected, on the fields sex, birth_date, education and party);
// countSex, the sex the count sheet wrote beside the name ("" when none),
// must agree, since the women's seat was decided on it.
func CheckWrittenIn(c org.Committee, day civil.Date, w WrittenIn, countSex string) error {
	if c != org.PartyCommittee && c != org.ResidentsCommittee {
		return errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	if err := checkPerson(c, day, w.Sex, w.BirthDate, w.Education, w.Party, func(f string) string { return f }, ""); err != nil {
		return err
	}
	if countSex != "" && w.Sex != countSex {
		return errs.OnField("sex", "计票单上该人的性别记为"+countSex+",妇女名额按此判定,登记的性别应与之一致")
	}
	return nil
}

// Officers are the secretary and deputies the party committee elected
// among its members on Day, by the members' ids (ElectedMember.ID).
type Officers struct {
	Day       civil.Date `json:"day"`
	Secretary int64      `json:"secretary"`
	Deputies  []int64    `json:"deputies"`
}

// CheckOfficers refuses officers who cannot be: a day that is not a real
// day, before the party election (partyDay) or after today; no secretary;
// a secretary or deputy who is not a member of the committee (members, the
// party committee's elected), a deputy twice or also the secretary; more
// deputies than the seats' (deputies < 0: not set).
func CheckOfficers(o Officers, members []ElectedMember, deputies int, partyDay, today civil.Date) error {
	switch {
	case !o.Day.Valid():
		return errs.OnField("day", "选举日期格式应为 2027-01-09")
	case o.Day < partyDay:
		return errs.OnField("day", "委员会选举书记、副书记不能早于党员大会选举日("+partyDay.String()+")")
	case o.Day > today:
		return errs.OnField("day", "选举日期不能晚于今天")
	}
	ids := map[int64]string{}
	for _, m := range members {
		ids[m.ID] = m.Name
	}
	if o.Secretary == 0 {
		return errs.OnField("secretary", "请选择当选的书记")
	}
	if _, ok := ids[o.Secretary]; !ok {
		return errs.OnField("secretary", "书记须从当选的党组织委员会委员中选举产生")
	}
	seen := map[int64]bool{}
	for i, id := range o.Deputies {
		at := "deputies[" + strconv.Itoa(i) + "]"
		name, ok := ids[id]
		switch {
		case !ok:
			return errs.OnField(at, "副书记须从当选的党组织委员会委员中选举产生")
		case id == o.Secretary:
			return errs.OnField(at, name+"已当选书记,不能同时为副书记")
		case seen[id]:
			return errs.OnField(at, name+"重复")
		}
		seen[id] = true
	}
	if deputies >= 0 && len(o.Deputies) > deputies {
		return errs.OnField("deputies", fmt.Sprintf("副书记职数为%d名,当选副书记不能多于职数", deputies))
	}
	return nil
}

// Approval is the higher level's approval of the secretary and deputies
// (rules.md §2: 书记、副书记选举产生后,应报上级党组织批准): its day and
// document number (文号).
type Approval struct {
	Day      civil.Date `json:"approved_on"`
	Document string     `json:"document"`
}

// CheckApproval refuses an approval dated before the officers were elected
// (electedOn) or after today, or without a document number (at most 50
// characters).
func CheckApproval(a *Approval, electedOn, today civil.Date) error {
	a.Document = strings.TrimSpace(a.Document)
	switch {
	case !a.Day.Valid():
		return errs.OnField("approved_on", "批准日期格式应为 2027-01-20")
	case a.Day < electedOn:
		return errs.OnField("approved_on", "批准日期不能早于书记、副书记的选举日期("+electedOn.String()+")")
	case a.Day > today:
		return errs.OnField("approved_on", "批准日期不能晚于今天")
	case a.Document == "":
		return errs.OnField("document", "请填写上级批复的文号")
	case utf8.RuneCountInString(a.Document) > 50:
		return errs.OnField("document", "文号不能超过50个字")
	}
	return nil
}

// Handover is the day the outgoing committee handed over to the new one
// (工作移交), with a note.
type Handover struct {
	Day  civil.Date `json:"day"`
	Note string     `json:"note"`
}

// CheckHandover refuses a handover dated before the new committee was
// elected (electedOn) or after today, or with a note over 500 characters.
func CheckHandover(h *Handover, electedOn, today civil.Date) error {
	h.Note = strings.TrimSpace(h.Note)
	switch {
	case !h.Day.Valid():
		return errs.OnField("day", "交接日期格式应为 2027-01-20")
	case h.Day < electedOn:
		return errs.OnField("day", "交接日期不能早于新一届委员会的选举日("+electedOn.String()+")")
	case h.Day > today:
		return errs.OnField("day", "交接日期不能晚于今天")
	case utf8.RuneCountInString(h.Note) > 500:
		return errs.OnField("note", "备注不能超过500字")
	}
	return nil
}

// HandoverDue is the last day of the handover of a committee elected on
// electedOn: within s.HandoverDays (rules.md §3.1: 10 days).
func HandoverDue(electedOn civil.Date, s Settings) civil.Date {
	return electedOn.AddDays(s.HandoverDays)
}

// HandoverLate reports a handover late: done after its due day, or not
// done while today is past it.
func HandoverLate(electedOn, done, today civil.Date, s Settings) bool {
	due := HandoverDue(electedOn, s)
	if done != "" {
		return done > due
	}
	return today > due
}
