package election

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// Polling (issue 15, point 2): the stations and mobile boxes of a vote
// with their hours and staff, the close relatives of the formal candidates
// (who, like the candidates, may not host, scrutinise, count or call), and
// the residents' proxies (rules.md §3.1, §3.3, §3.4).

// StationKind is what a polling place is.
type StationKind string

// The three kinds (rules.md §3.4).
const (
	MainHall   StationKind = "main"   // 选举大会主会场
	BranchHall StationKind = "branch" // 投票站(分会场)
	MobileBox  StationKind = "mobile" // 流动票箱
)

// StationKinds lists them.
var StationKinds = []StationKind{MainHall, BranchHall, MobileBox}

// Label is the Chinese name.
func (k StationKind) Label() string {
	switch k {
	case MainHall:
		return "主会场"
	case BranchHall:
		return "分会场"
	case MobileBox:
		return "流动票箱"
	}
	return ""
}

// StaffRole is a duty at a station.
type StaffRole string

// The four duties a candidate or a candidate's close relative may not
// hold (rules.md §3.4).
const (
	Host       StaffRole = "host"       // 主持人
	Scrutineer StaffRole = "scrutineer" // 监票人
	Counter    StaffRole = "counter"    // 计票人
	Caller     StaffRole = "caller"     // 唱票人
)

// StaffRoles lists them.
var StaffRoles = []StaffRole{Host, Scrutineer, Counter, Caller}

// Label is the Chinese name.
func (r StaffRole) Label() string {
	switch r {
	case Host:
		return "主持人"
	case Scrutineer:
		return "监票人"
	case Counter:
		return "计票人"
	case Caller:
		return "唱票人"
	}
	return ""
}

// Staff is one person with a duty at a station.
type Staff struct {
	ID   int64     `json:"id"`
	Role StaffRole `json:"role"`
	Name string    `json:"name"`
}

// Station is a polling place of one committee's vote: a hall or a mobile
// box, where, its hours on the election day, a mobile box's route and the
// voters it serves, its staff, and what it still lacks (Unmet, filled by
// CheckStation).
type Station struct {
	ID        int64         `json:"id"`
	Committee org.Committee `json:"committee"`
	Name      string        `json:"name"`
	Kind      StationKind   `json:"kind"`
	Place     string        `json:"place"`
	Opens     string        `json:"opens"`  // HH:MM on the election day
	Closes    string        `json:"closes"` // HH:MM
	Route     string        `json:"route,omitempty"`
	Serves    int           `json:"serves,omitempty"` // voters a mobile box serves
	Staff     []Staff       `json:"staff"`
	Unmet     []string      `json:"unmet"`
}

// Ready reports whether the station has what a count needs: nothing unmet.
// The count entry refuses a station that is not ready (NotReady).
func (s Station) Ready() bool { return len(s.Unmet) == 0 }

// NotReady is why the station's count cannot be entered yet, nil once it
// is Ready.
func (s Station) NotReady() error {
	if s.Ready() {
		return nil
	}
	return errs.Newf(errs.Conflict, "%s“%s”尚不具备计票条件:%s。请先在投票站页面补齐", s.Kind.Label(), s.Name, strings.Join(s.Unmet, ";"))
}

// Scrutineers counts the station's scrutineers.
func (s Station) Scrutineers() int {
	n := 0
	for _, x := range s.Staff {
		if x.Role == Scrutineer {
			n++
		}
	}
	return n
}

// clock reads an hour of the day written HH:MM.
func clock(s string) (time.Time, bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	return t, err == nil
}

// Validate checks a station before it is kept: a committee, a name, a
// kind, a place, its hours (opening before closing), and for a mobile box
// its route and how many voters it serves (rules.md §3.4: for those who
// cannot come, the old, sick or disabled).
func (s *Station) Validate() error {
	s.Name, s.Place, s.Route = strings.TrimSpace(s.Name), strings.TrimSpace(s.Place), strings.TrimSpace(s.Route)
	s.Opens, s.Closes = strings.TrimSpace(s.Opens), strings.TrimSpace(s.Closes)
	if s.Committee != org.PartyCommittee && s.Committee != org.ResidentsCommittee {
		return errs.OnField("committee", "请选择党组织委员会或居民委员会的选举")
	}
	switch n := utf8.RuneCountInString(s.Name); {
	case n < 1 || n > 50:
		return errs.OnField("name", "请填写投票站名称(最多50字)")
	case s.Kind.Label() == "":
		return errs.OnField("kind", "请选择主会场、分会场或流动票箱")
	case s.Place == "" || utf8.RuneCountInString(s.Place) > 100:
		return errs.OnField("place", "请填写地点(最多100字)")
	}
	o, ok := clock(s.Opens)
	if !ok {
		return errs.OnField("opens", "开始时间应写成 08:00 这样的时:分")
	}
	c, ok := clock(s.Closes)
	if !ok {
		return errs.OnField("closes", "结束时间应写成 17:00 这样的时:分")
	}
	if !c.After(o) {
		return errs.OnField("closes", "结束时间应晚于开始时间")
	}
	s.Opens, s.Closes = o.Format("15:04"), c.Format("15:04")
	if s.Kind == MobileBox {
		switch {
		case s.Route == "":
			return errs.OnField("route", "请填写流动票箱的行走路线")
		case utf8.RuneCountInString(s.Route) > 500:
			return errs.OnField("route", "路线最多500字")
		case s.Serves < 1 || s.Serves > 100000:
			return errs.OnField("serves", "请填写流动票箱服务的选民人数")
		}
		return nil
	}
	if s.Route != "" {
		return errs.OnField("route", "只有流动票箱填写行走路线")
	}
	if s.Serves < 0 || s.Serves > 100000 {
		return errs.OnField("serves", "服务选民人数应在0到100000之间")
	}
	return nil
}

// Relation is how a close relative (近亲属) is related to a candidate.
type Relation string

// The close relatives (rules.md §3.1 proxies, §3.4 staff, §6
// relatives_exclusion).
const (
	Spouse  Relation = "spouse"  // 配偶
	Parent  Relation = "parent"  // 父母
	Child   Relation = "child"   // 子女
	Sibling Relation = "sibling" // 兄弟姐妹
	Kin     Relation = "kin"     // 其他近亲属(祖父母、外祖父母、孙子女、外孙子女)
)

// Relations lists them.
var Relations = []Relation{Spouse, Parent, Child, Sibling, Kin}

// Label is the Chinese name.
func (r Relation) Label() string {
	switch r {
	case Spouse:
		return "配偶"
	case Parent:
		return "父母"
	case Child:
		return "子女"
	case Sibling:
		return "兄弟姐妹"
	case Kin:
		return "其他近亲属"
	}
	return ""
}

// Relative is a close relative recorded for a formal candidate.
type Relative struct {
	ID         int64    `json:"id"`
	AspirantID int64    `json:"aspirant_id"`
	Candidate  string   `json:"candidate"` // the candidate's name
	Relation   Relation `json:"relation"`
	Name       string   `json:"name"`
}

// Validate checks a relative: a relation and a name.
func (r *Relative) Validate() error {
	r.Name = strings.TrimSpace(r.Name)
	if r.Relation.Label() == "" {
		return errs.OnField("relation", "请选择与候选人的关系")
	}
	return nameOK("name", r.Name)
}

// Barred says why name may not hold role at a station of a vote whose
// standing formal candidates are candidates (names) with their recorded
// close relatives: "" when nothing bars them (rules.md §3.4: a candidate
// and a candidate's close relatives may not host the meeting or act as
// scrutineer, counter or caller). The check is by name: the register keeps
// no ID numbers.
func Barred(name string, role StaffRole, candidates []string, relatives []Relative) string {
	for _, c := range candidates {
		if c == name {
			return fmt.Sprintf("%s是正式候选人,不能担任%s", name, role.Label())
		}
	}
	for _, r := range relatives {
		if r.Name == name {
			return fmt.Sprintf("%s是候选人%s的%s,不能担任%s", name, r.Candidate, r.Relation.Label(), role.Label())
		}
	}
	return ""
}

// CheckStaff checks a person given duty role at a station: a duty, a
// name, and nothing barring them (Barred), refused on the name.
func CheckStaff(x *Staff, candidates []string, relatives []Relative) error {
	x.Name = strings.TrimSpace(x.Name)
	if x.Role.Label() == "" {
		return errs.OnField("role", "请选择主持人、监票人、计票人或唱票人")
	}
	if err := nameOK("name", x.Name); err != nil {
		return err
	}
	if why := Barred(x.Name, x.Role, candidates, relatives); why != "" {
		return errs.OnField("name", why)
	}
	return nil
}

// CheckStation fills s.Unmet under the settings: fewer scrutineers than
// MinScrutineers (rules.md §3.4: 每个投票站和流动票箱监票人不少于三人), and
// any staff member barred since (a relative recorded after they were given
// the duty, a person listed as a candidate later).
func CheckStation(s *Station, set Settings, candidates []string, relatives []Relative) {
	s.Unmet = []string{}
	if n := s.Scrutineers(); n < set.MinScrutineers {
		s.Unmet = append(s.Unmet, fmt.Sprintf("监票人应不少于%d名,现有%d名", set.MinScrutineers, n))
	}
	for _, x := range s.Staff {
		if why := Barred(x.Name, x.Role, candidates, relatives); why != "" {
			s.Unmet = append(s.Unmet, why+",请更换")
		}
	}
}

// Proxy is a written authorisation (委托投票) by a voter away at the vote
// (Giver) to a close relative on the same register (Holder).
type Proxy struct {
	ID        int64      `json:"id"`
	GiverID   int64      `json:"giver_id"`
	Giver     string     `json:"giver"`
	HolderID  int64      `json:"holder_id"`
	Holder    string     `json:"holder"`
	Relation  Relation   `json:"relation"` // the holder is the giver's …
	WrittenOn civil.Date `json:"written_on"`
}

// CheckProxy checks proxy p against the proxies already given (existing),
// for the residents' vote on electionDay, today (rules.md §3.1, §3.3): the
// giver and the holder two different voters on the register (the store
// fills their names, "" for one who is not on it), the holder a close
// relative, a written authorisation dated before the election day (none on
// the day: 禁止投票现场临时委托) and not after today; a giver gives once
// and does not hold others' proxies; a holder gives none and carries at
// most ProxyMax.
func CheckProxy(p Proxy, existing []Proxy, electionDay, today civil.Date, s Settings) error {
	switch {
	case p.GiverID <= 0 || p.Giver == "":
		return errs.OnField("giver_id", "委托人须是本社区选民名单上的选民")
	case p.HolderID <= 0 || p.Holder == "":
		return errs.OnField("holder_id", "受托人须是本社区选民名单上的选民")
	case p.GiverID == p.HolderID:
		return errs.OnField("holder_id", "委托人和受托人不能是同一人")
	case p.Relation.Label() == "":
		return errs.OnField("relation", "请选择受托人与委托人的关系:只能委托近亲属")
	}
	if err := dayOK("written_on", "书面委托日期", p.WrittenOn); err != nil {
		return err
	}
	switch {
	case electionDay == "":
		return errs.OnField("written_on", "尚未设定居民委员会选举日")
	case p.WrittenOn >= electionDay:
		return errs.OnField("written_on", "委托应在选举日("+electionDay.String()+")之前书面办理,选举日当天及以后不能委托")
	case p.WrittenOn > today:
		return errs.OnField("written_on", "书面委托日期不能晚于今天")
	}
	held := 0
	for _, x := range existing {
		switch {
		case x.GiverID == p.GiverID:
			return errs.OnField("giver_id", fmt.Sprintf("%s已于%s委托%s投票,每名选民只能委托一次", p.Giver, x.WrittenOn, x.Holder))
		case x.HolderID == p.GiverID:
			return errs.OnField("giver_id", p.Giver+"已接受他人委托,不能再委托他人投票")
		case x.GiverID == p.HolderID:
			return errs.OnField("holder_id", p.Holder+"已委托他人投票,不能接受委托")
		case x.HolderID == p.HolderID:
			held++
		}
	}
	if held >= s.ProxyMax {
		return errs.OnField("holder_id", fmt.Sprintf("%s已接受%d人委托,每名选民接受委托不得超过%d人", p.Holder, held, s.ProxyMax))
	}
	return nil
}

// Valid reports a known kind.
func (k StationKind) Valid() bool { return k.Label() != "" }
