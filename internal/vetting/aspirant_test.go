package vetting

import (
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
)

// idNumber completes 17 digits with their check digit.
func idNumber(first17 string) string { return first17 + string(idcard.CheckDigit(first17)) }

// electionDay is 2026-03-30 in China.
var electionDay = time.Date(2026, 3, 30, 9, 0, 0, 0, civil.Zone)

func validAspirant() Aspirant {
	return Aspirant{OrgCode: "QS-01-001", CycleID: 1, Name: "张伟", IDNumber: idNumber("37030219900101123"),
		Phone: "13812345678", Party: PartyMember, Committee: org.PartyCommittee, Post: Secretary,
		Education: Bachelor, Status: Registered}
}

func TestAspirantValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(a *Aspirant)
		field  string // "" for valid
		anchor string // part of the message
	}{
		{"valid", func(a *Aspirant) {}, "", ""},
		{"valid residents' committee, masses", func(a *Aspirant) {
			a.Party, a.Committee, a.Post = Masses, org.ResidentsCommittee, DeputyDirector
		}, "", ""},
		{"valid dual role", func(a *Aspirant) { a.CrossPost = Director }, "", ""},
		{"no community", func(a *Aspirant) { a.OrgCode = " " }, "community", "请填写所在社区"},
		{"one-character name", func(a *Aspirant) { a.Name = " 张 " }, "name", "姓名至少2个字"},
		{"long name", func(a *Aspirant) { a.Name = strings.Repeat("张", 31) }, "name", "姓名不超过30个字"},
		{"wrong check digit", func(a *Aspirant) { a.IDNumber = "370302199001011230" }, "id_number", "校验位"},
		{"17 digits", func(a *Aspirant) { a.IDNumber = "37030219900101123" }, "id_number", "18位"},
		{"impossible birth date", func(a *Aspirant) { a.IDNumber = idNumber("37030219901301123") }, "id_number", "出生日期"},
		{"17 on election day", func(a *Aspirant) { a.IDNumber = idNumber("37030220080331123") }, "id_number",
			"选举日(2026-03-30)须年满18周岁,该身份证号码对应年龄为17周岁"},
		{"born after election day", func(a *Aspirant) { a.IDNumber = idNumber("37030220300101123") }, "id_number", "出生日期晚于选举日"},
		{"landline", func(a *Aspirant) { a.Phone = "0533-5123456" }, "phone", "11位"},
		{"12 digits", func(a *Aspirant) { a.Phone = "138123456789" }, "phone", "11位"},
		{"starts 12", func(a *Aspirant) { a.Phone = "12812345678" }, "phone", "11位"},
		{"no party", func(a *Aspirant) { a.Party = "" }, "party", "请选择政治面貌"},
		{"no committee", func(a *Aspirant) { a.Committee = "" }, "committee", "请选择参选的组织"},
		{"director on party committee", func(a *Aspirant) { a.Post = Director }, "post",
			"请选择党组织委员会的职务:书记、副书记、委员"},
		{"secretary on residents' committee", func(a *Aspirant) { a.Committee = org.ResidentsCommittee }, "post",
			"请选择居民委员会的职务:主任、副主任、委员"},
		{"cross post on the same committee", func(a *Aspirant) { a.CrossPost = DeputySecretary }, "cross_post", "居民委员会的职务"},
		{"probationary member for party committee", func(a *Aspirant) { a.Party = Probationary }, "party", "预备党员没有被选举权"},
		{"masses crossing to party committee", func(a *Aspirant) {
			a.Party, a.Committee, a.Post, a.CrossPost = Masses, org.ResidentsCommittee, Director, Secretary
		}, "party", "中共正式党员"},
		{"no education", func(a *Aspirant) { a.Education = "大学" }, "education", "请选择文化程度"},
		{"long current post", func(a *Aspirant) { a.CurrentPost = strings.Repeat("职", 51) }, "current_post", "不超过50个字"},
		{"bad photo", func(a *Aspirant) { a.Photo = "photo.jpg" }, "photo", "附件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAspirant()
			tt.edit(&a)
			err := a.Validate(electionDay)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid: %v", err)
				}
				return
			}
			if !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != tt.field || !strings.Contains(errs.MessageOf(err), tt.anchor) {
				t.Fatalf("got %v (field %q), want field %q with %q", err, errs.FieldOf(err), tt.field, tt.anchor)
			}
		})
	}
}

func TestAspirantNormalises(t *testing.T) {
	a := validAspirant()
	a.Name, a.IDNumber, a.Phone = " 李娜 ", "11010519491231 002x ", "+86 138-1234-5678"
	if err := a.Validate(electionDay); err != nil {
		t.Fatal(err)
	}
	if a.Name != "李娜" || a.IDNumber != "11010519491231002X" || a.Phone != "13812345678" {
		t.Fatalf("normalised %q %q %q", a.Name, a.IDNumber, a.Phone)
	}
	for in, want := range map[string]string{"8613812345678": "13812345678", " 138 1234 5678": "13812345678", "0533-5123456": "05335123456"} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAspirantAgeAtElection(t *testing.T) {
	a := validAspirant()
	a.IDNumber = idNumber("37030220080330124") // 18th birthday on election day
	if err := a.Validate(electionDay); err != nil {
		t.Fatalf("18 on election day: %v", err)
	}
	// 16:00 UTC on the 29th is already the 30th in China.
	if err := a.Validate(time.Date(2026, 3, 29, 16, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("election day given in UTC: %v", err)
	}
	if err := a.Validate(time.Date(2026, 3, 29, 15, 59, 0, 0, time.UTC)); err == nil {
		t.Fatal("the day before the 18th birthday passed")
	}
	if a.Sex() != "女" || a.BirthDate() != "2008-03-30" || a.Age(electionDay) != 18 || a.Age(electionDay.AddDate(0, 0, -1)) != 17 {
		t.Fatalf("derived %s %s %d", a.Sex(), a.BirthDate(), a.Age(electionDay))
	}
	b := validAspirant()
	if b.Sex() != "男" || b.Age(electionDay) != 36 {
		t.Fatalf("derived %s %d", b.Sex(), b.Age(electionDay))
	}
	b.IDNumber = "370302199001011230"
	if b.Sex() != "" || b.BirthDate() != "" || b.Age(electionDay) != 0 {
		t.Fatal("an invalid number derived something")
	}
}

func TestDuplicate(t *testing.T) {
	a := validAspirant()
	a.ID = 42
	err := Duplicate(a)
	want := "身份证号码 370302********1232 已在本届登记为参选人:张伟(社区 QS-01-001,编号 42)"
	if !errs.Is(err, errs.Conflict) || errs.FieldOf(err) != "id_number" || errs.MessageOf(err) != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		mask     func(string) string
		in, want string
	}{
		{MaskID, "37030219900101123X", "370302********123X"},
		{MaskID, "110105194912310021", "110105********0021"},
		{MaskPhone, "13812345678", "138****5678"},
		{MaskID, "1234567890", "**********"}, // too short to keep both ends
		{MaskPhone, "1234567", "*******"},
		{MaskID, "", ""},
	}
	for _, tt := range tests {
		if got := tt.mask(tt.in); got != tt.want {
			t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPostsAndParsing(t *testing.T) {
	for _, tt := range []struct {
		p     Post
		party bool
		res   bool
	}{
		{Secretary, true, false}, {DeputySecretary, true, false}, {Director, false, true},
		{DeputyDirector, false, true}, {CommitteeMember, true, true}, {"chairman", false, false},
	} {
		if tt.p.Fits(org.PartyCommittee) != tt.party || tt.p.Fits(org.ResidentsCommittee) != tt.res || tt.p.Fits("village") {
			t.Errorf("%s fits party %v residents %v", tt.p, tt.p.Fits(org.PartyCommittee), tt.p.Fits(org.ResidentsCommittee))
		}
	}
	if p, ok := ParsePost("副主任"); !ok || p != DeputyDirector {
		t.Errorf("ParsePost(副主任) = %q %v", p, ok)
	}
	if p, ok := ParseParty(" 中共预备党员 "); !ok || p != Probationary {
		t.Errorf("ParseParty = %q %v", p, ok)
	}
	if e, ok := ParseEducation("high_school"); !ok || e != HighSchool || e.Label() != "高中(中专)" {
		t.Errorf("ParseEducation = %q %v", e, ok)
	}
	if _, ok := ParsePost("组长"); ok {
		t.Error("ParsePost accepted 组长")
	}
	a := validAspirant()
	if a.DualRole() {
		t.Error("secretary alone is dual role")
	}
	a.CrossPost = Director
	if !a.DualRole() {
		t.Error("secretary and director is not dual role")
	}
}
