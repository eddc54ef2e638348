package visit

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Problem is a problem raised on a visit. One that needs follow-up becomes
// an item of the community's ledger (三个一), linked to the visit; the visit
// shows the item's state until it is closed.
type Problem struct {
	Category Category   `json:"category"`
	Urgency  Urgency    `json:"urgency"`
	Text     string     `json:"text"`
	FollowUp bool       `json:"follow_up"`
	Owner    string     `json:"owner"` // 责任人 of the ledger item, with follow-up
	Due      civil.Date `json:"due"`   // its due day, with follow-up
	// Filled by the store.
	LedgerItem   int64  `json:"ledger_item"`
	LedgerStatus string `json:"ledger_status"` // the ledger's status code, "" without an item
}

// Visit is one visit or talk: to a household, to a person of the register
// (party member, representative) or to a sitting committee member. ClientID
// is made by the client (a UUID) before it is sent, so that a phone that
// sends it again, offline or not, stores it once.
type Visit struct {
	ID        int64      `json:"id"`
	ClientID  string     `json:"client_id"`
	Community string     `json:"community"`
	Round     Round      `json:"round"`
	Household int64      `json:"household_id"`
	Person    int64      `json:"person_id"`
	Member    int64      `json:"member_id"`
	Activity  int64      `json:"activity_id"` // a research activity of the round before, optional
	Visitors  []string   `json:"visitors"`
	Day       civil.Date `json:"visited_on"`
	Method    Method     `json:"method"`
	// Missed: nobody was reached (no one at home, no answer). Recorded, but
	// not counted as reached.
	Missed bool `json:"missed"`
	// Before the election: opinions of the sitting committee and of
	// aspirants, and the intention to stand of the person talked to.
	CommitteeOpinions string    `json:"committee_opinions"`
	AspirantOpinions  string    `json:"aspirant_opinions"`
	Intention         Intention `json:"intention"`
	// During: party-history and policy topics, difficulties found, help given.
	Topics       string `json:"topics"`
	Difficulties string `json:"difficulties"`
	Help         string `json:"help"`
	// After: proposals for the five-year programme.
	Proposals string    `json:"proposals"`
	Problems  []Problem `json:"problems"`
	// Filled by the store.
	Target     string `json:"target"`      // the household's address or the person's name
	RecordedBy string `json:"recorded_by"` // the account that recorded it
	// RecordedByName is the display name of that account, as pages name a
	// person (RecordedBy itself for the platform's own actors).
	RecordedByName string `json:"recorded_by_name"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidClientID reports whether id is a UUID (8-4-4-4-12 hex digits).
func ValidClientID(id string) bool { return uuidRE.MatchString(id) }

// Talk reports whether v is a talk to a person (not a household visit).
func (v Visit) Talk() bool { return v.Person != 0 || v.Member != 0 }

// Validate trims v and checks it against the round's campaign and today:
// a client id, exactly one household or person, 1 to 10 visitors, a day
// within the round's dates and not after today, a method, the content
// fields of its round only, each bounded, and at most 10 problems, each
// needing follow-up with its owner and a due day not before today.
func (v *Visit) Validate(c Campaign, today civil.Date) error {
	v.ClientID = strings.ToLower(strings.TrimSpace(v.ClientID))
	for _, p := range []*string{&v.CommitteeOpinions, &v.AspirantOpinions, &v.Topics, &v.Difficulties, &v.Help, &v.Proposals} {
		*p = strings.TrimSpace(*p)
	}
	visitors := make([]string, 0, len(v.Visitors))
	for _, n := range v.Visitors {
		if n = strings.TrimSpace(n); n != "" {
			visitors = append(visitors, n)
		}
	}
	v.Visitors = visitors
	targets := 0
	for _, id := range []int64{v.Household, v.Person, v.Member} {
		if id < 0 {
			return errs.OnField("household_id", "走访对象不存在")
		}
		if id > 0 {
			targets++
		}
	}
	switch {
	case !ValidClientID(v.ClientID):
		return errs.OnField("client_id", "记录编号应为设备生成的通用唯一编号(8-4-4-4-12位十六进制)")
	case !v.Round.Valid():
		return errs.OnField("round", "请选择走访轮次")
	case targets != 1:
		return errs.OnField("household_id", "请选择一户居民或一名谈话对象(只能选一个)")
	case len(v.Visitors) == 0 || len(v.Visitors) > MaxVisitors:
		return errs.OnField("visitors", "请填写走访人(1到10人)")
	case !v.Day.Valid():
		return errs.OnField("visited_on", "走访日期应为日期,如 2026-10-08")
	case v.Day > today:
		return errs.OnField("visited_on", "走访日期不能晚于今天")
	case !c.Covers(v.Day):
		return errs.OnField("visited_on", "走访日期应在本轮走访的日期内("+c.StartsOn.String()+"至"+c.EndsOn.String()+")")
	case !v.Method.Valid():
		return errs.OnField("method", "走访方式只能是上门、电话或座谈")
	case v.Activity < 0:
		return errs.OnField("activity_id", "调研活动不存在")
	case v.Activity > 0 && v.Round != Before:
		return errs.OnField("activity_id", "只有选举前的走访属于调研活动")
	case v.Intention != "" && !v.Intention.Valid():
		return errs.OnField("intention", "参选意向只能是有意参选、无意参选或未表态")
	case v.Intention != "" && !v.Talk():
		return errs.OnField("intention", "参选意向只记在对个人的谈话中")
	case len(v.Problems) > MaxProblems:
		return errs.OnField("problems", "一次走访最多记10个问题")
	}
	for _, n := range v.Visitors {
		if tooLong(n, MaxName) {
			return errs.OnField("visitors", "走访人姓名不超过40字")
		}
	}
	fields := []struct {
		name, label string
		value       string
		round       Round
	}{
		{"committee_opinions", "对现任两委的意见", v.CommitteeOpinions, Before},
		{"aspirant_opinions", "对参选人的意见", v.AspirantOpinions, Before},
		{"topics", "宣讲的党史和政策", v.Topics, During},
		{"difficulties", "发现的困难", v.Difficulties, During},
		{"help", "提供的帮助", v.Help, During},
		{"proposals", "对五年施政纲领的建议", v.Proposals, After},
	}
	for _, f := range fields {
		switch {
		case f.value != "" && f.round != v.Round:
			return errs.OnField(f.name, "“"+f.label+"”只在"+f.round.Short()+"的走访中填写")
		case tooLong(f.value, MaxText):
			return errs.OnField(f.name, "“"+f.label+"”不超过1000字")
		}
	}
	if v.Intention != "" && v.Round != Before {
		return errs.OnField("intention", "参选意向只在选举前的走访中填写")
	}
	for i := range v.Problems {
		if err := v.Problems[i].validate(today); err != nil {
			f := "problems[" + strconv.Itoa(i) + "]"
			if ff := errs.FieldOf(err); ff != "" {
				f += "." + ff
			}
			return &errs.Error{Code: errs.Unprocessable, Field: f, Message: "第" + strconv.Itoa(i+1) + "个问题:" + errs.MessageOf(err)}
		}
	}
	return nil
}

func (p *Problem) validate(today civil.Date) error {
	p.Text, p.Owner = strings.TrimSpace(p.Text), strings.TrimSpace(p.Owner)
	p.LedgerItem, p.LedgerStatus = 0, ""
	switch {
	case !p.Category.Valid():
		return errs.OnField("category", "请选择问题类别")
	case !p.Urgency.Valid():
		return errs.OnField("urgency", "紧急程度只能是紧急、较急或一般")
	case p.Text == "" || tooLong(p.Text, 500):
		return errs.OnField("text", "请填写问题内容(不超过500字)")
	case !p.FollowUp && (p.Owner != "" || p.Due != ""):
		return errs.OnField("follow_up", "需要跟进的问题才填写责任人和完成日期")
	case !p.FollowUp:
		return nil
	case p.Owner == "" || tooLong(p.Owner, MaxName):
		return errs.OnField("owner", "需要跟进的问题请填写责任人(不超过40字)")
	case !p.Due.Valid():
		return errs.OnField("due", "需要跟进的问题请填写计划完成日,如 2026-12-01")
	case p.Due < today:
		return errs.OnField("due", "计划完成日不能早于今天")
	}
	return nil
}

// Same reports whether w is the visit v again (as sent by a client that
// did not see the first answer): the same client id with the same content.
// Two different visits under one client id are a client's bug.
func (v Visit) Same(w Visit) bool {
	if v.ClientID != w.ClientID || v.Community != w.Community || v.Round != w.Round || v.Household != w.Household ||
		v.Person != w.Person || v.Member != w.Member || v.Day != w.Day || v.Method != w.Method || v.Missed != w.Missed ||
		len(v.Problems) != len(w.Problems) {
		return false
	}
	return strings.Join(v.Visitors, "\x00") == strings.Join(w.Visitors, "\x00")
}

// CoverageRow is one community's coverage in a round: households on the
// register, households reached (each once, however often visited), the
// target and the talks still owed to the three groups (全谈).
type CoverageRow struct {
	Community  string `json:"community"`
	Name       string `json:"name"`
	District   string `json:"district"`
	Households int    `json:"households"`
	Reached    int    `json:"reached"`
	Needed     int    `json:"needed"` // households the target asks to reach
	Percent    int    `json:"percent"`
	TalksOwed  int    `json:"talks_owed"`
	Below      bool   `json:"below"` // reached fewer than needed
}

// Fill computes the row's percent, needed and below from its counts under c.
func (r *CoverageRow) Fill(c Campaign) {
	r.Needed = c.Needed(r.Households)
	if r.Households > 0 {
		r.Percent = r.Reached * 100 / r.Households
	}
	r.Below = r.Reached < r.Needed
	if !c.TalkAll {
		r.TalksOwed = 0
	}
}
