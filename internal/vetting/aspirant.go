package vetting

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
)

// Party is an aspirant's political status (政治面貌).
type Party string

// The statuses the forms ask for. Only a full party member (中共党员) may
// stand for the party committee: probationary members have no right to be
// elected (《中国共产党基层组织选举工作条例》第五条).
const (
	PartyMember  Party = "member"       // 中共党员
	Probationary Party = "probationary" // 中共预备党员
	League       Party = "league"       // 共青团员
	Democratic   Party = "democratic"   // 民主党派
	Masses       Party = "masses"       // 群众
)

var partyChoices = choices[Party]{
	{PartyMember, "中共党员"}, {Probationary, "中共预备党员"}, {League, "共青团员"}, {Democratic, "民主党派"}, {Masses, "群众"},
}

// Parties lists them in order.
var Parties = partyChoices.codes()

// Label is the Chinese name.
func (p Party) Label() string { return partyChoices.label(p) }

// Valid reports whether p is known.
func (p Party) Valid() bool { return partyChoices.valid(p) }

// ParseParty accepts a code or a Chinese label.
func ParseParty(s string) (Party, bool) { return partyChoices.parse(s) }

// Post is a post sought on one of the two committees.
type Post string

// The posts: 书记 and 副书记 on the party committee, 主任 and 副主任 on the
// residents' committee, 委员 on either.
const (
	Secretary       Post = "secretary"        // 书记
	DeputySecretary Post = "deputy_secretary" // 副书记
	Director        Post = "director"         // 主任
	DeputyDirector  Post = "deputy_director"  // 副主任
	CommitteeMember Post = "member"           // 委员
)

var postChoices = choices[Post]{
	{Secretary, "书记"}, {DeputySecretary, "副书记"}, {Director, "主任"}, {DeputyDirector, "副主任"}, {CommitteeMember, "委员"},
}

// Posts lists them in order.
var Posts = postChoices.codes()

// Label is the Chinese name.
func (p Post) Label() string { return postChoices.label(p) }

// Valid reports whether p is known.
func (p Post) Valid() bool { return postChoices.valid(p) }

// ParsePost accepts a code or a Chinese label.
func ParsePost(s string) (Post, bool) { return postChoices.parse(s) }

// PostsOf lists the posts of committee c.
func PostsOf(c org.Committee) []Post {
	if c == org.PartyCommittee {
		return []Post{Secretary, DeputySecretary, CommitteeMember}
	}
	return []Post{Director, DeputyDirector, CommitteeMember}
}

// Fits reports whether p is a post of committee c.
func (p Post) Fits(c org.Committee) bool { return validCommittee(c) && slices.Contains(PostsOf(c), p) }

func validCommittee(c org.Committee) bool {
	return c == org.PartyCommittee || c == org.ResidentsCommittee
}

// other is the committee that is not c.
func other(c org.Committee) org.Committee {
	if c == org.PartyCommittee {
		return org.ResidentsCommittee
	}
	return org.PartyCommittee
}

// Education is the highest schooling completed (文化程度).
type Education string

// The levels higher levels count by (高中(中专)及以上, 大专及以上 …).
const (
	Postgraduate Education = "postgraduate" // 研究生
	Bachelor     Education = "bachelor"     // 大学本科
	College      Education = "college"      // 大学专科
	HighSchool   Education = "high_school"  // 高中(中专)
	JuniorOrLess Education = "junior"       // 初中及以下
)

var educationChoices = choices[Education]{
	{Postgraduate, "研究生"}, {Bachelor, "大学本科"}, {College, "大学专科"}, {HighSchool, "高中(中专)"}, {JuniorOrLess, "初中及以下"},
}

// Educations lists them, highest first.
var Educations = educationChoices.codes()

// Label is the Chinese name.
func (e Education) Label() string { return educationChoices.label(e) }

// Valid reports whether e is known.
func (e Education) Valid() bool { return educationChoices.valid(e) }

// ParseEducation accepts a code or a Chinese label.
func ParseEducation(s string) (Education, bool) { return educationChoices.parse(s) }

// MinAge is the age, on election day, from which a resident may stand.
const MinAge = 18

// Aspirant is a self-nominated aspirant (自荐参选人) in a cycle. ID and phone
// numbers are in clear only in memory: the store seals them and finds them
// by keyed hash; views show MaskID and MaskPhone.
type Aspirant struct {
	ID          int64
	OrgCode     string // the community
	CycleID     int64
	Name        string
	IDNumber    string // 18 characters, GB 11643
	Phone       string // 11-digit mainland mobile number
	Ethnicity   string // 民族, optional
	Party       Party
	Committee   org.Committee // the committee the aspirant stands for
	Post        Post          // the post sought on it
	CrossPost   Post          // optional: post sought on the other committee too (一肩挑, 交叉任职)
	Education   Education
	CurrentPost string // 现任职务, optional
	Photo       string // SHA-256 of the photo in the file store, optional
	Status      Status
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PostLabel is the post sought as the pages show it (参选职务): the committee
// and the post, and the post sought on the other committee too, if any:
// "居委会主任、党组织书记".
func (a Aspirant) PostLabel() string {
	s := a.Committee.Label() + a.Post.Label()
	if a.CrossPost != "" {
		s += "、" + a.CrossPost.Label()
	}
	return s
}

var mobile = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// Validate normalises and checks what a user enters. electionDay is the
// cycle's election day (today while it is not set): the aspirant must be
// MinAge or older on it. It returns the first problem as a 422 error on its
// field, in Chinese.
func (a *Aspirant) Validate(electionDay time.Time) error {
	a.IDNumber = idcard.Normalize(strings.Join(strings.Fields(a.IDNumber), ""))
	a.Phone = NormalizePhone(a.Phone)
	return first(
		text("community", "所在社区", &a.OrgCode, 1, 40),
		text("name", "姓名", &a.Name, 2, 30),
		a.checkAge(electionDay),
		phone(a.Phone),
		text("ethnicity", "民族", &a.Ethnicity, 0, 10),
		pick("party", "政治面貌", a.Party.Valid()),
		a.checkPosts(),
		pick("education", "文化程度", a.Education.Valid()),
		text("current_post", "现任职务", &a.CurrentPost, 0, 50),
		attachment("photo", a.Photo),
	)
}

func (a *Aspirant) checkAge(electionDay time.Time) error {
	info, err := idcard.Parse(a.IDNumber)
	if err != nil {
		return err
	}
	switch age := info.AgeOn(electionDay.In(civil.Zone)); {
	case age < 0:
		return errs.OnField("id_number", "身份证号码中的出生日期晚于选举日,请核对")
	case age < MinAge:
		return errs.OnField("id_number", fmt.Sprintf("选举日(%s)须年满%d周岁,该身份证号码对应年龄为%d周岁",
			civil.Of(electionDay), MinAge, age))
	}
	return nil
}

func phone(p string) error {
	if !mobile.MatchString(p) {
		return errs.OnField("phone", "手机号码应为11位中国大陆手机号码,如 13812345678")
	}
	return nil
}

func (a *Aspirant) checkPosts() error {
	if !validCommittee(a.Committee) {
		return errs.OnField("committee", "请选择参选的组织:党组织委员会或居民委员会")
	}
	if err := a.checkSeat("post", a.Committee, a.Post); err != nil || a.CrossPost == "" {
		return err
	}
	return a.checkSeat("cross_post", other(a.Committee), a.CrossPost)
}

// checkSeat checks that post p is one of committee c and that the aspirant
// may stand for it.
func (a *Aspirant) checkSeat(field string, c org.Committee, p Post) error {
	if !p.Fits(c) {
		return errs.OnField(field, fmt.Sprintf("请选择%s的职务:%s", c.Label(), postChoices.labels(PostsOf(c))))
	}
	if c == org.PartyCommittee && a.Party != PartyMember {
		return errs.OnField("party", "参选党组织委员会须为中共正式党员(预备党员没有被选举权)")
	}
	return nil
}

// Duplicate is the error for registering an ID number the cycle already
// has: it names the existing record, with the number masked.
func Duplicate(existing Aspirant) error {
	return &errs.Error{Code: errs.Conflict, Field: "id_number", Message: fmt.Sprintf(
		"身份证号码 %s 已在本届登记为参选人:%s(社区 %s,编号 %d)",
		MaskID(existing.IDNumber), existing.Name, existing.OrgCode, existing.ID)}
}

// DualRole reports whether the aspirant seeks both 书记 and 主任 (一肩挑).
func (a Aspirant) DualRole() bool {
	return (a.Post == Secretary && a.CrossPost == Director) || (a.Post == Director && a.CrossPost == Secretary)
}

// info is what the ID number encodes; ok is false for an invalid number.
func (a Aspirant) info() (idcard.Info, bool) {
	info, err := idcard.Parse(a.IDNumber)
	return info, err == nil
}

// Sex is 男 or 女 as the ID number encodes it, "" if the number is invalid.
func (a Aspirant) Sex() string {
	if info, ok := a.info(); ok {
		return info.Sex()
	}
	return ""
}

// BirthDate is the date of birth the ID number encodes, YYYY-MM-DD, "" if
// the number is invalid.
func (a Aspirant) BirthDate() string {
	if info, ok := a.info(); ok {
		return info.Birth.Format(civil.Layout)
	}
	return ""
}

// Age is the aspirant's age in whole years on the campaign day of at, 0 if
// the ID number is invalid.
func (a Aspirant) Age(at time.Time) int {
	if info, ok := a.info(); ok {
		return info.AgeOn(at.In(civil.Zone))
	}
	return 0
}

// NormalizePhone drops spaces, dashes and a +86 or 86 prefix.
func NormalizePhone(p string) string {
	p = strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(p))
	if len(p) == 13 && strings.HasPrefix(p, "86") {
		return p[2:]
	}
	return strings.TrimPrefix(p, "+86")
}

// MaskID keeps the first 6 and last 4 characters of an ID number:
// 370302********123X. It is the masking the audit log applies.
func MaskID(id string) string { return audit.MaskIDNumber(id) }

// MaskPhone keeps the first 3 and last 4 digits: 138****5678.
func MaskPhone(p string) string { return audit.MaskPhone(p) }
