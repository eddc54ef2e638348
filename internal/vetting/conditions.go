package vetting

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
)

// Tier says how grave a condition is.
type Tier string

// The two tiers: a barred (不得) condition keeps the aspirant off the ballot;
// an unsuitable (不宜) one goes to the party committee, which usually
// persuades the aspirant to withdraw (劝退).
const (
	TierBarred     Tier = "barred"     // 不得
	TierUnsuitable Tier = "unsuitable" // 不宜
)

var tierChoices = choices[Tier]{{TierBarred, "不得"}, {TierUnsuitable, "不宜"}}

// Tiers lists the tiers, the graver first.
var Tiers = tierChoices.codes()

// Label is 不得 or 不宜.
func (t Tier) Label() string { return tierChoices.label(t) }

// Valid reports whether t is known.
func (t Tier) Valid() bool { return tierChoices.valid(t) }

// Status is the aspirant status a decision on a condition of this tier gives.
func (t Tier) Status() Status {
	if t == TierBarred {
		return Barred
	}
	return Unsuitable
}

// Condition is one entry of the catalogue of 不得/不宜 situations.
type Condition struct {
	Code   string
	Tier   Tier
	Text   string // the situation, in Chinese
	Months int    // lookback window in months; 0: no fixed window (while it lasts, or ever)
	Source string // the text it comes from
}

// Label is the tier and the text: "不得:……"; for a code the catalogue
// lacks (the zero Condition), 未列入清单的情形.
func (c Condition) Label() string {
	if c.Code == "" {
		return "未列入清单的情形"
	}
	return c.Tier.Label() + ":" + c.Text
}

// ConditionOf is the default catalogue's condition with code, the zero
// Condition for an unknown code: what pages and the audit log name a
// stored condition code by.
func ConditionOf(code string) Condition {
	c, _ := defaultCatalogue.Find(code)
	return c
}

var defaultCatalogue = DefaultCatalogue()

// OtherCondition is the catch-all "其他不宜情形" every department's form ends
// with; an answer naming it must say what it is in the note.
const OtherCondition = "other"

// Catalogue is the list of conditions of a cycle. Lists differ by province
// and year, so the office edits it; DefaultCatalogue is the starting point.
type Catalogue []Condition

// Find returns the condition with code.
func (c Catalogue) Find(code string) (Condition, bool) {
	for _, cond := range c {
		if cond.Code == code {
			return cond, true
		}
	}
	return Condition{}, false
}

var conditionCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,29}$`)

// Validate checks a catalogue as a whole: codes well-formed and unique,
// every field sensible, the catch-all present.
func (c Catalogue) Validate() error {
	seen := map[string]bool{}
	for i, cond := range c {
		where := fmt.Sprintf("第 %d 项情形", i+1)
		switch n := utf8.RuneCountInString(strings.TrimSpace(cond.Text)); {
		case !conditionCode.MatchString(cond.Code):
			return errs.OnField("code", where+"的编码须为小写字母开头的字母、数字或下划线,不超过30位")
		case seen[cond.Code]:
			return errs.OnField("code", where+"的编码 "+cond.Code+" 重复")
		case !cond.Tier.Valid():
			return errs.OnField("tier", where+"须注明是“不得”还是“不宜”情形")
		case n < 4 || n > 200:
			return errs.OnField("text", where+"的内容须为4至200个字")
		case cond.Months < 0 || cond.Months > 240:
			return errs.OnField("months", where+"的追溯期须在0至240个月之间")
		case utf8.RuneCountInString(cond.Source) > 200:
			return errs.OnField("source", where+"的依据不超过200个字")
		}
		seen[cond.Code] = true
	}
	if !seen[OtherCondition] {
		return errs.OnField("code", "情形清单须保留兜底项“其他不宜情形”(编码 other)")
	}
	return nil
}

// Sources of the default catalogue (reference/rules.md §1). None is the
// seed province's own list, which could not be found: the office must check
// the catalogue against its province's notice for the cycle.
const (
	srcLaw      = "《村民委员会组织法》第十三条、《城市居民委员会组织法》第八条"
	srcTwoTier  = "2018年修法后的“不能/不宜”两级清单(省份未确认)"
	srcTenNot   = "2020—2021年换届“十不选”(省份未确认)"
	srcGuidance = "中办、国办《关于加强和改进乡村治理的指导意见》(2019)"
	srcLocal    = "各地联审惯例(未见正式文件,需按本地通知确认)"
	srcForm     = "各部门联审表兜底项"
)

// DefaultCatalogue is the starting catalogue: the national bar, the two-tier
// list published after the 2018 amendment, the 2020—21 "十不选" and a
// catch-all. The tier of several items varies between provinces.
func DefaultCatalogue() Catalogue {
	return Catalogue{
		{"deprived", TierBarred, "依照法律被剥夺政治权利", 0, srcLaw},
		{"not_voter", TierBarred, "不具有本村(社区)选民资格", 0, srcLaw},
		{"criminal", TierBarred, "受过刑事处罚(含正在服刑、缓刑、社区矫正)", 0, srcGuidance + ";" + srcTenNot},
		{"sanction", TierBarred, "受党纪政务处分、组织处理尚在影响期,或受撤销党内职务及以上处分未满2年", 24, srcTwoTier + ";" + srcTenNot},
		{"village_bully", TierBarred, "存在“村霸”问题", 0, srcTwoTier + ";" + srcGuidance},
		{"gang", TierBarred, "涉黑涉恶受处理未满5年", 60, srcTwoTier + ";" + srcGuidance},
		{"cult", TierBarred, "加入邪教组织", 0, srcTwoTier + ";" + srcGuidance},
		{"religion_clan", TierBarred, "组织、参与非法宗教活动,利用宗族宗派宗教势力干扰侵蚀基层政权", 0, srcTenNot},
		{"incapacity", TierBarred, "丧失行为能力", 0, srcTwoTier},
		{"bribery", TierBarred, "非法串联拉票、贿选或者操纵、破坏选举", 0, srcTenNot},
		{"disloyal", TierBarred, "对党不忠诚、政治上的“两面人”,散布违背党的理论和路线方针政策的言论,制造传播政治谣言", 0, srcTenNot},
		{"no_pledge", TierBarred, "选举前不按规定签订竞选纪律承诺书", 0, srcTwoTier},
		{"under_investigation", TierUnsuitable, "涉嫌严重违纪违法正在接受纪检监察机关或司法机关立案审查、调查", 0, srcTwoTier + ";" + srcTenNot},
		{"detention", TierUnsuitable, "因嫖娼、吸毒、扰乱公共秩序受行政拘留未满5年", 60, srcTwoTier},
		{"superstition", TierUnsuitable, "信奉邪教、搞封建迷信、参与赌博造成恶劣影响被公安机关查处未满5年", 60, srcTwoTier},
		{"petition", TierUnsuitable, "组织煽动聚众闹事、非正常上访或违法信访,扰乱公共秩序、妨碍公务被查处未满5年", 60, srcTwoTier + ";" + srcTenNot},
		{"interference", TierUnsuitable, "换届期间拉帮结派、造谣中伤、张贴大小字报、暴力威胁干预选举被查实", 0, srcTwoTier},
		{"incompetent", TierUnsuitable, "本届考核不称职或被依法罢免,近3年被评为不合格党员,或在重大应急处置中玩忽职守", 36, srcTenNot},
		{"absence", TierUnsuitable, "长期外出不能正常履行职责", 0, srcTwoTier + ";" + srcTenNot},
		{"funds", TierUnsuitable, "截留挪用惠民资金、侵占集体资产资金资源或拖欠集体资金,未整改到位", 0, srcTenNot},
		{"land", TierUnsuitable, "严重违法用地、违章建房、违规建墓未整改到位", 0, srcTenNot},
		{"environment", TierUnsuitable, "近5年严重损害生态环境", 60, srcTenNot},
		{"defaulter", TierUnsuitable, "被纳入失信被执行人名单且未撤销", 0, srcTenNot},
		{"tax", TierUnsuitable, "欠缴税款或有重大税收违法行为", 0, srcLocal},
		{"business", TierUnsuitable, "被列入经营异常名录或严重违法失信名单", 0, srcLocal},
		{"credit", TierUnsuitable, "存在严重不良信用记录", 0, srcLocal},
		{OtherCondition, TierUnsuitable, "其他不宜确定为候选人的情形", 0, srcTenNot + ";" + srcForm},
	}
}
