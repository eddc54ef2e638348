package election

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The electorate of a community's two votes (issue 15, point 1). The
// residents' committee: the election committee (选举委员会), the electoral
// mode, the voter register with its three registration kinds, its
// publication and the objections to it (rules.md §3.1). The party
// organisation: its members with their voting rights, who should attend
// and who came, and the quorum (rules.md §2). Deadlines count from the
// community's election day of the committee concerned.

// Mode is how the residents elect their committee (居委会组织法 Art. 8,
// rules.md §3.1 "Electoral modes").
type Mode string

// The three modes.
const (
	ModeAll       Mode = "all"       // 全体选民直接选举
	ModeHousehold Mode = "household" // 每户派代表选举
	ModeGroup     Mode = "group"     // 每个居民小组选举代表2至3人选举
)

// Modes lists them.
var Modes = []Mode{ModeAll, ModeHousehold, ModeGroup}

// Label is the Chinese name.
func (m Mode) Label() string {
	switch m {
	case ModeAll:
		return "全体选民直接选举"
	case ModeHousehold:
		return "户代表选举"
	case ModeGroup:
		return "居民小组代表选举"
	}
	return ""
}

// Valid reports whether m is one of Modes.
func (m Mode) Valid() bool { return m.Label() != "" }

// Registration is how a voter comes to be on the register (村委会组织法
// Art. 13, rules.md §3.1 "Voter registration"; cn-systems §3.6).
type Registration string

// The three kinds.
const (
	RegResident Registration = "resident" // 户籍在本社区并在本社区居住
	RegAway     Registration = "away"     // 户籍在本社区、不在本社区居住,本人表示参加选举
	RegIncomer  Registration = "incomer"  // 居住一年以上、户籍不在本社区,本人申请并经同意
)

// Registrations lists them.
var Registrations = []Registration{RegResident, RegAway, RegIncomer}

// Label is the Chinese name.
func (r Registration) Label() string {
	switch r {
	case RegResident:
		return "户籍在本社区并居住"
	case RegAway:
		return "户籍在本社区不居住,本人表示参加"
	case RegIncomer:
		return "居住一年以上户籍不在本社区,经申请同意"
	}
	return ""
}

// Short is the label in a narrow column.
func (r Registration) Short() string {
	switch r {
	case RegResident:
		return "户籍居住"
	case RegAway:
		return "户籍不居住"
	case RegIncomer:
		return "居住未落户"
	}
	return ""
}

// Valid reports whether r is one of Registrations.
func (r Registration) Valid() bool { return r.Label() != "" }

// ParseRegistration reads a kind as a workbook or a form writes it: its
// code, its label or its short label.
func ParseRegistration(s string) (Registration, bool) {
	s = strings.TrimSpace(s)
	for _, r := range Registrations {
		if s == string(r) || s == r.Label() || s == r.Short() {
			return r, true
		}
	}
	return "", false
}

// nameOK checks a person's name: 2 to 30 characters, as elsewhere.
func nameOK(field, name string) error {
	if n := utf8.RuneCountInString(name); n < 2 || n > 30 {
		return errs.OnField(field, "姓名须为2至30个字")
	}
	return nil
}

// dayOK checks a day a user typed, named what in the message.
func dayOK(field, what string, d civil.Date) error {
	if !d.Valid() {
		return errs.OnField(field, what+"不是有效日期,应写成 2027-01-09 这样的年-月-日")
	}
	return nil
}

// ---------------------------------------------------------------------------
// The election committee (选举委员会).

// CommitteeRole is a member's place on the election committee.
type CommitteeRole string

// The two places.
const (
	RoleChair  CommitteeRole = "chair"  // 主任
	RoleMember CommitteeRole = "member" // 委员
)

// CommitteeRoles lists them.
var CommitteeRoles = []CommitteeRole{RoleChair, RoleMember}

// Label is the Chinese name.
func (r CommitteeRole) Label() string {
	switch r {
	case RoleChair:
		return "主任"
	case RoleMember:
		return "委员"
	}
	return ""
}

// CommitteeMember is one member of a community's election committee: on it
// from JoinedOn, and, having left, LeftOn with the reason.
type CommitteeMember struct {
	ID         int64         `json:"id"`
	Name       string        `json:"name"`
	Role       CommitteeRole `json:"role"`
	JoinedOn   civil.Date    `json:"joined_on"`
	LeftOn     civil.Date    `json:"left_on,omitempty"`
	LeftReason string        `json:"left_reason,omitempty"`
}

// Sitting reports whether m is still on the committee.
func (m CommitteeMember) Sitting() bool { return m.LeftOn == "" }

// Validate checks a member joining the committee on or before today: a
// name, a place, a real day. candidates are the names of the community's
// standing formal candidates of the residents' committee: a candidate may
// not join it (村委会组织法 Art. 12, rules.md §3.1).
func (m *CommitteeMember) Validate(today civil.Date, candidates []string) error {
	m.Name = strings.TrimSpace(m.Name)
	if err := nameOK("name", m.Name); err != nil {
		return err
	}
	if m.Role.Label() == "" {
		return errs.OnField("role", "请选择主任或委员")
	}
	if err := dayOK("joined_on", "加入日期", m.JoinedOn); err != nil {
		return err
	}
	if m.JoinedOn > today {
		return errs.OnField("joined_on", "加入日期不能晚于今天")
	}
	for _, c := range candidates {
		if c == m.Name {
			return errs.OnField("name", m.Name+"已列为居民委员会正式候选人,候选人不能担任选举委员会成员")
		}
	}
	return nil
}

// Leaving is a member's leaving the committee: the day and the reason.
type Leaving struct {
	On     civil.Date `json:"left_on"`
	Reason string     `json:"left_reason"`
}

// Validate checks m's leaving: m still sitting, a reason, a real day from
// the day m joined to today.
func (l *Leaving) Validate(m CommitteeMember, today civil.Date) error {
	l.Reason = strings.TrimSpace(l.Reason)
	switch {
	case !m.Sitting():
		return errs.Newf(errs.Conflict, "%s已于%s退出选举委员会", m.Name, m.LeftOn)
	case l.Reason == "":
		return errs.OnField("left_reason", "请填写退出原因(如:被提名为候选人)")
	case utf8.RuneCountInString(l.Reason) > 200:
		return errs.OnField("left_reason", "退出原因最多200字")
	}
	if err := dayOK("left_on", "退出日期", l.On); err != nil {
		return err
	}
	if l.On < m.JoinedOn || l.On > today {
		return errs.OnField("left_on", "退出日期应在加入日期("+m.JoinedOn.String()+")到今天之间")
	}
	return nil
}

// CommitteeWarnings say, in Chinese, each sitting member of the election
// committee who is a standing formal candidate of the residents'
// committee, and who must leave it (rules.md §3.1, §3.5).
func CommitteeWarnings(members []CommitteeMember, candidates []string) []string {
	out := []string{}
	for _, m := range members {
		if !m.Sitting() {
			continue
		}
		for _, c := range candidates {
			if c == m.Name {
				out = append(out, "选举委员会"+m.Role.Label()+m.Name+"已列为居民委员会正式候选人,应当退出选举委员会,并登记退出日期和原因")
				break
			}
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// The voter register (选民名单).

// Voter is one person on a community's register. A voter removed by an
// upheld objection keeps the row with the day and the reason. No ID number
// is kept: name and birth date tell two voters apart (docs/security.md).
type Voter struct {
	ID            int64        `json:"id"`
	Name          string       `json:"name"`
	Sex           string       `json:"sex"`
	BirthDate     civil.Date   `json:"birth_date"`
	Group         string       `json:"group"` // 居民小组或户
	Kind          Registration `json:"kind"`
	RemovedOn     civil.Date   `json:"removed_on,omitempty"`
	RemovedReason string       `json:"removed_reason,omitempty"`
}

// Standing reports whether v is on the register.
func (v Voter) Standing() bool { return v.RemovedOn == "" }

// Key tells two registrations of one person apart: the same name and birth
// date is the same person (no double registration, rules.md §3.1).
func (v Voter) Key() string { return v.Name + "|" + string(v.BirthDate) }

// Validate checks a voter for the register of an election held on
// electionDay: a name, a sex, a real birth date making the voter 18 or
// older on that day (村委会组织法 Art. 13: "年满十八周岁"), the group at
// most 50 characters, a registration kind. Fields are named as the form's.
func (v *Voter) Validate(electionDay civil.Date) error {
	v.Name, v.Group = strings.TrimSpace(v.Name), strings.TrimSpace(v.Group)
	v.BirthDate = civil.Date(strings.TrimSpace(string(v.BirthDate)))
	if err := nameOK("name", v.Name); err != nil {
		return err
	}
	if v.Sex != "男" && v.Sex != "女" {
		return errs.OnField("sex", "请选择性别")
	}
	if err := dayOK("birth_date", "出生日期", v.BirthDate); err != nil {
		return err
	}
	if err := CheckAge(v.Name, v.BirthDate, electionDay); err != nil {
		return err
	}
	if utf8.RuneCountInString(v.Group) > 50 {
		return errs.OnField("group", "居民小组或户最多50字")
	}
	if !v.Kind.Valid() {
		return errs.OnField("kind", "请选择登记类型")
	}
	return nil
}

// CheckAge refuses a voter younger than 18 on the election day (18 on the
// day itself is old enough).
func CheckAge(name string, birth, electionDay civil.Date) error {
	if electionDay == "" {
		return errs.OnField("birth_date", "尚未设定居民委员会选举日,无法核对选民年龄")
	}
	if age := slate.AgeOn(birth, electionDay); age < vetting.MinAge {
		return errs.OnField("birth_date", fmt.Sprintf("%s于选举日(%s)未满%d周岁(出生于%s),不能登记为选民", name, electionDay,
			vetting.MinAge, birth))
	}
	return nil
}

// Twice refuses a voter already on the register (by Key): no one is
// registered twice. on maps the keys of the standing voters to their ids.
func Twice(v Voter, on map[string]int64) error {
	if _, ok := on[v.Key()]; ok {
		return errs.OnField("name", v.Name+"(出生于"+v.BirthDate.String()+")已在选民名单上,同一人不能重复登记")
	}
	return nil
}

// LastPublication is the last day the register of an election on
// electionDay may be published: RegisterDays before it.
func LastPublication(electionDay civil.Date, s Settings) civil.Date {
	return electionDay.AddDays(-s.RegisterDays)
}

// CheckPublication refuses a publication day that is not a day, after
// today, or later than LastPublication (rules.md §3.1: "选举日的二十日前公布").
func CheckPublication(day, electionDay, today civil.Date, s Settings) error {
	if err := dayOK("published_on", "公布日期", day); err != nil {
		return err
	}
	if electionDay == "" {
		return errs.OnField("published_on", "尚未设定居民委员会选举日")
	}
	if day > today {
		return errs.OnField("published_on", "公布日期不能晚于今天")
	}
	if last := LastPublication(electionDay, s); day > last {
		return errs.OnField("published_on", "选民名单应在选举日("+electionDay.String()+")前"+strconv.Itoa(s.RegisterDays)+
			"日公布,即不晚于"+last.String())
	}
	return nil
}

// ---------------------------------------------------------------------------
// Objections to the register (对选民名单的异议).

// ObjectionKind is what an objection asks.
type ObjectionKind string

// The two asks.
const (
	ObjectAdd    ObjectionKind = "add"    // 漏登:应登记而未登记
	ObjectRemove ObjectionKind = "remove" // 错登:不应登记而登记
)

// ObjectionKinds lists them.
var ObjectionKinds = []ObjectionKind{ObjectAdd, ObjectRemove}

// Label is the Chinese name.
func (k ObjectionKind) Label() string {
	switch k {
	case ObjectAdd:
		return "漏登(请求登记)"
	case ObjectRemove:
		return "错登(请求除名)"
	}
	return ""
}

// Ruling is the election committee's answer to an objection.
type Ruling string

// The two answers.
const (
	Upheld   Ruling = "upheld"   // 异议成立
	Rejected Ruling = "rejected" // 异议不成立
)

// Rulings lists them.
var Rulings = []Ruling{Upheld, Rejected}

// Label is the Chinese name.
func (d Ruling) Label() string {
	switch d {
	case Upheld:
		return "异议成立"
	case Rejected:
		return "异议不成立"
	}
	return ""
}

// Objection is an objection to the published register: filed on FiledOn
// by Filer, asking to add Person (kind add) or to remove the voter VoterID
// (kind remove), with its reason; answered on AnsweredOn with a decision
// and its explanation. An upheld objection added (or removed) the voter
// ResultVoter.
type Objection struct {
	ID          int64         `json:"id"`
	FiledOn     civil.Date    `json:"filed_on"`
	Filer       string        `json:"filer"`
	Kind        ObjectionKind `json:"kind"`
	VoterID     int64         `json:"voter_id,omitempty"`
	Person      Voter         `json:"person"` // kind add: who to register; kind remove: the voter as registered
	Reason      string        `json:"reason"`
	AnsweredOn  civil.Date    `json:"answered_on,omitempty"`
	Ruling      Ruling        `json:"decision,omitempty"`
	Answer      string        `json:"answer,omitempty"`
	ResultVoter int64         `json:"result_voter,omitempty"`
}

// Answered reports whether the committee has answered o.
func (o Objection) Answered() bool { return o.Ruling != "" }

// ObjectionDeadline is the last day objections are taken: ObjectionDays
// after the publication (rules.md §3.1: "五日内").
func ObjectionDeadline(published civil.Date, s Settings) civil.Date {
	return published.AddDays(s.ObjectionDays)
}

// AnswerDue is the last day the committee answers an objection filed on
// filed: AnswerDays after it (rules.md §3.1: "三日内").
func AnswerDue(filed civil.Date, s Settings) civil.Date { return filed.AddDays(s.AnswerDays) }

// Late reports whether o was answered after its due day, or, unanswered,
// is past it today.
func (o Objection) Late(today civil.Date, s Settings) bool {
	due := AnswerDue(o.FiledOn, s)
	if o.Answered() {
		return o.AnsweredOn > due
	}
	return today > due
}

// Validate checks an objection filed against the register published on
// published (none: refused), on a real day from the publication to
// ObjectionDeadline and not after today, by a named filer, with a reason.
// An objection asking to add a person carries that person, checked as a
// voter for electionDay; one asking to remove names a voter (the store
// checks the voter is on the register).
func (o *Objection) Validate(published, electionDay, today civil.Date, s Settings) error {
	o.Filer, o.Reason = strings.TrimSpace(o.Filer), strings.TrimSpace(o.Reason)
	if published == "" {
		return errs.New(errs.Conflict, "选民名单尚未公布,公布后才受理异议")
	}
	if err := dayOK("filed_on", "提出日期", o.FiledOn); err != nil {
		return err
	}
	last := ObjectionDeadline(published, s)
	switch {
	case o.FiledOn < published || o.FiledOn > last:
		return errs.OnField("filed_on", "对选民名单有异议的,应自名单公布之日起"+strconv.Itoa(s.ObjectionDays)+"日内提出,即"+
			published.String()+"至"+last.String())
	case o.FiledOn > today:
		return errs.OnField("filed_on", "提出日期不能晚于今天")
	}
	if err := nameOK("filer", o.Filer); err != nil {
		return errs.OnField("filer", "请填写提出异议的人(2至30个字)")
	}
	switch {
	case o.Reason == "":
		return errs.OnField("reason", "请填写异议的理由")
	case utf8.RuneCountInString(o.Reason) > 500:
		return errs.OnField("reason", "理由最多500字")
	}
	switch o.Kind {
	case ObjectAdd:
		return o.Person.Validate(electionDay)
	case ObjectRemove:
		if o.VoterID <= 0 {
			return errs.OnField("voter_id", "请选择要求除名的选民")
		}
		return nil
	}
	return errs.OnField("kind", "请选择异议的类型")
}

// ObjectionAnswer is the committee's answer to an objection.
type ObjectionAnswer struct {
	On     civil.Date `json:"answered_on"`
	Ruling Ruling     `json:"decision"`
	Text   string     `json:"answer"`
}

// Validate checks an answer to o: o not answered yet, a decision, its
// explanation (the reason a voter is added or removed), a real day from
// the filing to today. An answer after AnswerDue is taken and shown late.
func (a *ObjectionAnswer) Validate(o Objection, today civil.Date) error {
	a.Text = strings.TrimSpace(a.Text)
	switch {
	case o.Answered():
		return errs.Newf(errs.Conflict, "该异议已于%s答复", o.AnsweredOn)
	case a.Ruling.Label() == "":
		return errs.OnField("decision", "请选择异议成立或不成立")
	case a.Text == "":
		return errs.OnField("answer", "请填写答复意见(成立时即登记或除名的理由)")
	case utf8.RuneCountInString(a.Text) > 500:
		return errs.OnField("answer", "答复意见最多500字")
	}
	if err := dayOK("answered_on", "答复日期", a.On); err != nil {
		return err
	}
	if a.On < o.FiledOn || a.On > today {
		return errs.OnField("answered_on", "答复日期应在提出日期("+o.FiledOn.String()+")到今天之间")
	}
	return nil
}

// ---------------------------------------------------------------------------
// The party organisation's members with voting rights (rules.md §2).

// PartyStatus is a member's standing as it bears on the vote.
type PartyStatus string

// The statuses (中国共产党基层组织选举工作条例 Art. 5, rules.md §2 "Who may
// vote"): only full members vote; probationary members and members under
// 留党察看 do not; detention (留置) or arrest suspends the right.
const (
	StatusFull         PartyStatus = "full"         // 正式党员
	StatusProbationary PartyStatus = "probationary" // 预备党员
	StatusProbation    PartyStatus = "probation"    // 留党察看
	StatusDetained     PartyStatus = "detained"     // 被留置
	StatusArrested     PartyStatus = "arrested"     // 被逮捕
)

// PartyStatuses lists them.
var PartyStatuses = []PartyStatus{StatusFull, StatusProbationary, StatusProbation, StatusDetained, StatusArrested}

// Label is the Chinese name.
func (s PartyStatus) Label() string {
	switch s {
	case StatusFull:
		return "正式党员"
	case StatusProbationary:
		return "预备党员"
	case StatusProbation:
		return "受留党察看处分"
	case StatusDetained:
		return "被留置"
	case StatusArrested:
		return "被逮捕"
	}
	return ""
}

// Votes reports whether a member of this status has the vote.
func (s PartyStatus) Votes() bool { return s == StatusFull }

// NoVote says why a member of this status has no vote; "" for one who votes.
func (s PartyStatus) NoVote() string {
	switch s {
	case StatusProbationary:
		return "预备党员没有表决权、选举权"
	case StatusProbation:
		return "受留党察看处分期间没有表决权、选举权"
	case StatusDetained, StatusArrested:
		return s.Label() + ",停止行使表决权、选举权"
	}
	return ""
}

// ParsePartyStatus reads a status as a workbook or form writes it.
func ParsePartyStatus(s string) (PartyStatus, bool) {
	s = strings.TrimSpace(s)
	for _, p := range PartyStatuses {
		if s == string(p) || s == p.Label() {
			return p, true
		}
	}
	if s == "留党察看" {
		return StatusProbation, true
	}
	return "", false
}

// PartyMember is a member of the community's party organisation as the
// election counts them: with the vote or not (Status), excused from the
// meeting with a reason, and marked present on the day.
type PartyMember struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Sex       string      `json:"sex"`
	BirthDate civil.Date  `json:"birth_date"`
	Status    PartyStatus `json:"status"`
	Excused   string      `json:"excused,omitempty"` // why excused from the meeting (因病、外出…); "" for none
	Present   bool        `json:"present"`
}

// Should reports whether m counts in 应到会: a member with the vote who is
// not excused.
func (m PartyMember) Should() bool { return m.Status.Votes() && m.Excused == "" }

// Validate checks a member for the list: a name, a sex, a real birth date
// before today, a status, an excusal reason of at most 100 characters and
// only for a member with the vote.
func (m *PartyMember) Validate(today civil.Date) error {
	m.Name, m.Excused = strings.TrimSpace(m.Name), strings.TrimSpace(m.Excused)
	if err := nameOK("name", m.Name); err != nil {
		return err
	}
	if m.Sex != "男" && m.Sex != "女" {
		return errs.OnField("sex", "请选择性别")
	}
	if err := dayOK("birth_date", "出生日期", m.BirthDate); err != nil {
		return err
	}
	if slate.AgeOn(m.BirthDate, today) < vetting.MinAge {
		return errs.OnField("birth_date", "党员应年满18周岁,请核对出生日期")
	}
	if m.Status.Label() == "" {
		return errs.OnField("status", "请选择党员的表决权状态")
	}
	if utf8.RuneCountInString(m.Excused) > 100 {
		return errs.OnField("excused", "请假原因最多100字")
	}
	if m.Excused != "" && !m.Status.Votes() {
		return errs.OnField("excused", m.Name+":"+m.Status.NoVote()+",不计入应到会人数,无须请假")
	}
	return nil
}

// CheckPresent refuses marking m present at the party's vote on
// electionDay before that day, or m without the vote (实到会 counts those
// with the vote) or excused (应到会 leaves them out: take the excusal back
// first).
func CheckPresent(m PartyMember, electionDay, today civil.Date) error {
	switch {
	case electionDay == "" || today < electionDay:
		return errs.Newf(errs.Conflict, "党员大会(%s)尚未召开,选举当天才能登记到会", electionDay)
	case !m.Status.Votes():
		return errs.Newf(errs.Conflict, "%s:%s,不计入实到会人数", m.Name, m.Status.NoVote())
	case m.Excused != "":
		return errs.Newf(errs.Conflict, "%s已请假(%s),请先撤销请假再登记到会", m.Name, m.Excused)
	}
	return nil
}

// Attendance is a party organisation's count for its vote: members, those
// with the vote, those excused, 应到会 and 实到会, and whether the meeting
// is quorate with how many must come for it.
type Attendance struct {
	Members  int  `json:"members"`
	Voting   int  `json:"voting"`  // 有表决权(正式党员)
	Excused  int  `json:"excused"` // 有表决权而请假
	Should   int  `json:"should_attend"`
	Present  int  `json:"present"`
	Needed   int  `json:"needed"` // the fewest present for a quorum
	Quorate  bool `json:"quorate"`
	NoVote   int  `json:"no_vote"` // 预备党员、留党察看、留置或逮捕
	Unmarked int  `json:"unmarked"`
}

// CountAttendance counts members under the settings s.
func CountAttendance(members []PartyMember, s Settings) Attendance {
	var a Attendance
	for _, m := range members {
		a.Members++
		switch {
		case !m.Status.Votes():
			a.NoVote++
		case m.Excused != "":
			a.Voting++
			a.Excused++
		default:
			a.Voting++
			a.Should++
			if m.Present {
				a.Present++
			} else {
				a.Unmarked++
			}
		}
	}
	a.Needed = QuorumNeeded(a.Should, s)
	a.Quorate = Quorate(a.Present, a.Should, s)
	return a
}

// QuorumNeeded is the fewest present that make a quorum of should
// (Quorate, outcome.go: more than QuorumNum/QuorumDen of them).
func QuorumNeeded(should int, s Settings) int {
	if should <= 0 || s.QuorumDen <= 0 {
		return 0
	}
	return should*s.QuorumNum/s.QuorumDen + 1
}
