package vetting

import (
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// ActivityType is a kind of discipline publicity or warning education.
type ActivityType string

// The kinds of the seed (500+ cartoons, 5 warning meetings, 10+ posts) and
// the other usual ones.
const (
	Cartoon        ActivityType = "cartoon"         // 宣传漫画
	WarningMeeting ActivityType = "warning_meeting" // 警示教育会
	WechatPost     ActivityType = "wechat_post"     // 公众号推送
	Banner         ActivityType = "banner"          // 宣传标语横幅
	Briefing       ActivityType = "briefing"        // 纪律宣讲
	Pledge         ActivityType = "pledge"          // 签订纪律承诺书
	OtherActivity  ActivityType = "other"           // 其他
)

var activityChoices = choices[ActivityType]{
	{Cartoon, "宣传漫画"}, {WarningMeeting, "警示教育会"}, {WechatPost, "公众号推送"}, {Banner, "宣传标语横幅"},
	{Briefing, "纪律宣讲"}, {Pledge, "签订纪律承诺书"}, {OtherActivity, "其他"},
}

var activityUnits = map[ActivityType]string{
	Cartoon: "幅", WarningMeeting: "场", WechatPost: "篇", Banner: "条", Briefing: "场", Pledge: "份", OtherActivity: "次",
}

// ActivityTypes lists them in order.
var ActivityTypes = activityChoices.codes()

// Label is the Chinese name.
func (t ActivityType) Label() string { return activityChoices.label(t) }

// Unit is the measure word quantities of this type are counted in: 幅, 场, 篇 ….
func (t ActivityType) Unit() string { return activityUnits[t] }

// Valid reports whether t is known.
func (t ActivityType) Valid() bool { return activityChoices.valid(t) }

// Activity is one entry of the discipline publicity log.
type Activity struct {
	ID        int64
	CycleID   int64
	OrgCode   string // the community, or the zone for zone-wide activities
	Type      ActivityType
	Quantity  int
	Date      civil.Date // YYYY-MM-DD
	Note      string     // what it was; required for 其他
	CreatedBy string
	CreatedAt time.Time
}

// MaxQuantity bounds one entry's quantity, to catch typing slips.
const MaxQuantity = 100000

// Validate normalises and checks an entry; the date may not be in the future.
func (a *Activity) Validate(today civil.Date) error {
	if err := first(
		text("community", "所在单位", &a.OrgCode, 1, 40),
		pick("type", "活动类型", a.Type.Valid()),
		pastDay("date", "活动日期", a.Date, today),
		text("note", "活动说明", &a.Note, 0, 500),
	); err != nil {
		return err
	}
	switch {
	case a.Quantity <= 0 || a.Quantity > MaxQuantity:
		return errs.OnField("quantity", "数量须为1至100000之间的整数")
	case a.Type == OtherActivity && a.Note == "":
		return errs.OnField("note", "类型为“其他”时须写明活动内容")
	}
	return nil
}

// ActivityTotal sums the entries of one type.
type ActivityTotal struct {
	Type     ActivityType
	Quantity int
	Entries  int
}

// Totals sums the log by type, every type listed in order, zeros included.
func Totals(log []Activity) []ActivityTotal {
	out := make([]ActivityTotal, len(ActivityTypes))
	for i, t := range ActivityTypes {
		out[i].Type = t
	}
	for _, a := range log {
		for i := range out {
			if out[i].Type == a.Type {
				out[i].Quantity += a.Quantity
				out[i].Entries++
			}
		}
	}
	return out
}
