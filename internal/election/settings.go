// Package election runs the two votes of a community (the party
// organisation's, then the residents' committee's): the electorate and its
// deadlines, polling stations and proxies, the numbered checks of a count,
// ballots read one by one (唱票), and the outcome under the law. The numbers
// are rules.md §2 (party) and §3 (residents); what rules.md marks
// UNCONFIRMED or provincial is a field of Settings with its default. No
// SQL, no HTTP.
package election

import (
	"strconv"

	"github.com/huanjie/huanjie/internal/errs"
)

// Base is what the party committee's election threshold is counted from.
type Base string

// The two bases (rules.md §2, "Election threshold").
const (
	BaseShouldAttend Base = "should_attend" // 应到会有选举权人数 (2020 条例, the default)
	BasePresent      Base = "present"       // 实到会 (the pre-2020 rule for base organisations)
)

// Label is the Chinese name.
func (b Base) Label() string {
	if b == BasePresent {
		return "实到会有选举权人数"
	}
	return "应到会有选举权人数"
}

// Bases lists them.
var Bases = []Base{BaseShouldAttend, BasePresent}

// Settings are a cycle's election rules. Defaults (DefaultSettings) are the
// national rule or rules.md §6's default; provinces differ on the rest.
type Settings struct {
	// ThresholdBase: a party candidate is elected with more than half of
	// this (rules.md §2: 应到会, UNCONFIRMED in the 2020 text; 实到会 before).
	ThresholdBase Base `json:"threshold_base"`
	// QuorumNum/QuorumDen: a party election needs more than this share of
	// 应到会 present (rules.md §2: 4/5; the 2020 wording UNCONFIRMED).
	QuorumNum int `json:"quorum_num"`
	QuorumDen int `json:"quorum_den"`
	// WomenSeat: the residents' committee must have a woman (rules.md §3.1:
	// law for a village committee, provincial for a residents' committee).
	WomenSeat bool `json:"women_seat"`
	// CrossPostCounting: with every post on one ballot, a 委员 candidate's
	// total adds the votes for 主任 and 副主任, a 副主任's the votes for 主任
	// (rules.md §3.2, one province; UNCONFIRMED for Shandong).
	CrossPostCounting bool `json:"cross_post_counting"`
	// FurtherMargin: a further ballot (另行选举) puts this many more of the
	// next highest than its seats (§3.1 says only "得票多的人"; 1 is usual).
	FurtherMargin int `json:"further_margin"`
	// ProxyMax: proxies one holder may carry (rules.md §3.3: 3; 2 or 1 in
	// some provinces).
	ProxyMax int `json:"proxy_max"`
	// MinScrutineers: scrutineers per station or mobile box (§3.4: 3).
	MinScrutineers int `json:"min_scrutineers"`
	// RegisterDays: the voter register is published at least this many days
	// before the vote (§3.1: 20); ObjectionDays after publication objections
	// are taken (5); AnswerDays to answer each (3).
	RegisterDays  int `json:"register_days"`
	ObjectionDays int `json:"objection_days"`
	AnswerDays    int `json:"answer_days"`
	// RerunDays: a void election is held again within this many days
	// (§3.2, Chongqing 2025: 30).
	RerunDays int `json:"rerun_days"`
	// HandoverDays: the old committee hands over within this many days of
	// the new one's election (§3.1: 10).
	HandoverDays int `json:"handover_days"`
	// InvalidWarnPercent: invalid ballots at or above this share of those
	// returned ask the clerk to look again (a warning; Abacus W201: 3).
	InvalidWarnPercent int `json:"invalid_warn_percent"`
}

// DefaultSettings are rules.md §6's defaults.
func DefaultSettings() Settings {
	return Settings{ThresholdBase: BaseShouldAttend, QuorumNum: 4, QuorumDen: 5, WomenSeat: true, CrossPostCounting: false,
		FurtherMargin: 1, ProxyMax: 3, MinScrutineers: 3, RegisterDays: 20, ObjectionDays: 5, AnswerDays: 3,
		RerunDays: 30, HandoverDays: 10, InvalidWarnPercent: 3}
}

// Validate refuses settings no election could run under, on the field.
func (s Settings) Validate() error {
	if s.ThresholdBase != BaseShouldAttend && s.ThresholdBase != BasePresent {
		return errs.OnField("threshold_base", "请选择党组织选举的当选票数基数")
	}
	if s.QuorumDen < 1 || s.QuorumNum < 1 || s.QuorumNum >= s.QuorumDen || s.QuorumDen > 100 {
		return errs.OnField("quorum_num", "到会比例应为小于1的分数,如五分之四")
	}
	for _, f := range []struct {
		field, name string
		v, lo, hi   int
	}{
		{"further_margin", "另行选举的差额人数", s.FurtherMargin, 0, 10},
		{"proxy_max", "每人接受委托的上限", s.ProxyMax, 0, 10},
		{"min_scrutineers", "每个投票点的监票人数", s.MinScrutineers, 1, 20},
		{"register_days", "选民名单提前公布的天数", s.RegisterDays, 1, 120},
		{"objection_days", "提出异议的天数", s.ObjectionDays, 1, 60},
		{"answer_days", "答复异议的天数", s.AnswerDays, 1, 60},
		{"rerun_days", "重新选举的期限天数", s.RerunDays, 1, 365},
		{"handover_days", "工作移交的期限天数", s.HandoverDays, 1, 120},
		{"invalid_warn_percent", "无效票提醒比例", s.InvalidWarnPercent, 1, 100},
	} {
		if f.v < f.lo || f.v > f.hi {
			return errs.OnField(f.field, f.name+"应在"+strconv.Itoa(f.lo)+"到"+strconv.Itoa(f.hi)+"之间")
		}
	}
	return nil
}
