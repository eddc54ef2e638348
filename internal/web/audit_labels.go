package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/programme"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/visit"
)

// The audit page shows each entry in Chinese: what was acted on, and each
// changed field with its old and new value, codes named as the pages name
// them. The stored entry keeps its canonical JSON; only its display is here.

var entityLabels = map[string]string{
	"activity": "宣传教育活动", "api_token": "接口令牌", "aspirant": "参选人", "audit": "审计日志", "case": "案件",
	"community": "社区", "cycle": "换届届次", "daily_meeting": "工作例会", "department": "联审部门", "district": "片区",
	"export": "导出", "ledger": "台账", "ledger_item": "台账事项", "map": "作战图", "measure": "措施", "meeting": "二次审核会议",
	"member": "两委成员", "org": "组织", "plan": "方案", "review_request": "联审任务", "review_round": "联审批次", "tip": "举报",
	"user": "账号", "key": "密钥", "import": "导入", "recommendation": "两推推荐",
	"reserve_person": "储备人选",
	// The electorate and polling (issue 15).
	"election_committee": "选举委员会成员", "voter": "选民", "voter_objection": "选民名单异议", "party_member": "党员",
	"station": "投票站", "proxy": "委托投票",
	"ballot": "投票", "count_unit": "计票点",
	// The three rounds of visits (issue 16).
	"household": "走访户", "visit_person": "谈话对象", "visit_round": "走访轮次", "visit_activity": "调研活动",
	"visit_finding": "调研发现", "visit": "走访记录",
	// The five-year programmes (issue 16, point 6).
	"programme": "五年施政纲领", "programme_goal": "纲领目标", "programme_milestone": "年度里程碑", "proposal": "问计于民建议",
}

// actorLabels name the platform's own actors (store.System, store.Public, the command line).
var actorLabels = map[string]string{"system": "平台", "public": "群众(未登录)", "cli": "命令行"}

// actorName is who recorded something (a decision, an answer) as pages
// name it: the platform's own actors by what they are, a user by username.
func actorName(name string) string {
	if l, ok := actorLabels[name]; ok {
		return l
	}
	return name
}

var fieldLabels = map[string]string{
	"a_min": "A类线", "account": "账号", "agenda_lines": "议程条数", "answers": "答复条数", "aspirant": "参选人",
	"aspirants": "参选人", "assessed_on": "研判日期", "assessment": "研判", "assignment": "包保记录", "attachment": "附件",
	"attendance": "出席人数", "b_min": "B类线", "case": "案件", "category": "类别", "cause": "原因", "changed": "变动数",
	"checklist": "审查清单", "class": "类别", "committee": "委员会", "communities": "社区数", "community": "社区",
	"condition": "情形", "conditions": "情形", "contact_given": "留有联系方式", "content": "内容", "count": "条数",
	"cycle": "届次", "date": "日期", "day": "日期", "deadline": "期限", "demo": "演示数据", "department": "部门",
	"departments": "部门数", "display_name": "姓名", "doc_no": "文号", "done_on": "完成日期", "due": "期限", "duty": "职责",
	"entries": "记录数", "evidence": "佐证", "file": "文件", "files": "文件数", "findings": "研判意见", "first": "首个",
	"first_id": "首条编号", "held_on": "日期", "households": "户数", "id": "编号", "id_number": "身份证号",
	"indicators": "指标数", "items": "条数", "key": "密钥", "kind": "类型", "last": "末个", "last_id": "末条编号",
	"leader": "包联领导", "ledger_item": "台账事项", "marks": "标记数", "max_total": "满分", "meeting": "会议",
	"members": "成员", "minutes_chars": "纪要字数", "name": "名称", "note": "说明", "outcome": "处理结果",
	"override": "人工调整", "owner": "责任人", "parent": "上级组织", "parties": "涉及人员", "password": "密码",
	"phone": "电话", "plan": "方案", "plans_a": "A类方案数", "plans_b": "B类方案数", "plans_c": "C类方案数",
	"population": "人口", "post": "职位", "quantity": "数量", "reason": "理由", "records": "受保护记录数",
	"requests": "任务数", "result": "办理结果", "risk": "风险", "role": "角色", "rows": "行数", "scheme": "校验方式",
	"scope": "管辖范围", "section": "方面", "sha256": "文件校验值", "size": "大小", "source": "来源",
	"source_ref": "来源编号", "stage": "环节", "stages": "环节", "status": "状态", "summary": "案情", "tip": "举报", "tips": "举报",
	"title": "标题", "total": "总分", "type": "类型", "unit": "单位", "user": "账号", "verdict": "结论",
	"why": "查看理由", "withdrawn": "已退出",
	"lockouts": "清除的锁定记录数", "revoked": "撤销的令牌数",
	"expected": "应参加人数", "present": "实参加人数", "vote_rows": "得票记录数",
	// Candidate assessment (issue 14, point 4).
	"team_leader": "考察组组长", "talks": "个别谈话人次", "talked": "谈话对象", "excellent": "优秀票", "competent": "称职票",
	"basic": "基本称职票", "incompetent": "不称职票", "opinion": "考察意见", "conclusion": "考察结论", "approved": "同意",
	"start": "公示开始", "end": "公示结束", "handling": "处理情况", "objection": "异议编号", "objection_result": "核实结果",
	"dual": "一肩挑", "picks": "预判人选", "sex": "性别", "birth_date": "出生日期", "education": "文化程度",
	"party": "政治面貌", "workplace": "工作单位",
	// The formal candidate lists (issue 14, point 7).
	"posted_on": "公布日期", "candidates": "候选人名单", "candidate": "退出的候选人", "withdrawn_on": "退出日期",
	"replacement": "递补人选", "replacement_posted_on": "递补人选公布日期",
	// Counting (issue 15, points 3 and 4).
	"round": "第几次投票", "seq": "序号", "seats": "应选人数", "registered": "登记选民数", "should_attend": "应到会人数",
	"ballot": "投票", "state": "状态", "rerun_by": "重新选举期限", "voted": "参加投票人数", "ballots_issued": "发出选票数",
	"ballots_returned": "收回选票数", "valid_ballots": "有效票数", "invalid_ballots": "无效票数", "lines": "候选人得票",
	"write_ins": "另选他人", "entry": "第几次录入", "filled": "填0的栏目", "comparison": "第几次比对", "differences": "不一致之处",
	"resolution": "处理方式", "clerk": "录入员", "first_entry": "第一次录入", "second_entry": "第二次录入", "code": "提醒编号",
	"message": "提醒内容", "read": "已唱票数", "valid": "有效", "choices": "选票内容",
	// Seats (issue 14, point 2).
	"full_members": "正式党员数", "body": "组织类型", "chief": "正职职数", "deputies": "副职职数",
	// The electorate and polling (issue 15, points 1 and 2).
	"committee_role": "选举委员会职务", "joined_on": "加入日期", "left_on": "退出日期", "left_reason": "退出原因",
	"mode": "选举方式", "group": "居民小组或户", "registration": "登记类型", "removed_reason": "除名原因",
	"published_on": "公布日期", "objections_until": "异议截止日期", "filed_on": "提出日期",
	"filer": "提出人", "objection_kind": "异议类型", "answered_on": "答复日期", "ruling": "答复结论", "answer": "答复意见",
	"late": "逾期答复", "added": "登记的选民", "removed": "除名的选民", "proxies_removed": "撤销的委托",
	"party_status": "党员状态", "excused": "请假原因", "attended": "到会", "station_kind": "投票站类型", "place": "地点",
	"hours": "时间", "route": "流动路线", "serves": "服务选民人数", "station": "投票站", "staff_role": "职责",
	"candidate_name": "候选人", "relation": "关系", "giver": "委托人", "holder": "受托人", "written_on": "书面委托日期",
	// The cycle's election rules (issue 15).
	"threshold_base": "党组织选举当选票数基数", "quorum_num": "到会比例分子", "quorum_den": "到会比例分母",
	"women_seat": "应当有妇女成员", "cross_post_counting": "跨职位累计得票", "further_margin": "另行选举差额",
	"proxy_max": "每人接受委托上限", "min_scrutineers": "每站监票人下限", "register_days": "选民名单提前公布天数",
	"objection_days": "异议期限天数", "answer_days": "答复异议期限天数", "rerun_days": "重新选举期限天数",
	"handover_days": "工作移交期限天数", "invalid_warn_percent": "无效票提醒比例",
	// The results (issue 15, points 7 and 8).
	"match": "预判人选当选预判职务(人/预判人数)", "officers_elected_on": "书记副书记选举日期", "approval_doc": "上级批复文号",
	"secretary": "书记", "deputy_secretaries": "副书记", "document": "文号",
	// After a ballot is confirmed: a person written in and elected, a confirmed ballot declared void.
	"after_confirmation": "确认后宣布无效", "progress": "进度表", "results": "当选人员", "written_in": "另选他人",
	// The three rounds of visits (issue 16).
	"address": "住址", "head": "户主", "household_size": "户人口", "visit_round": "走访轮次", "starts_on": "开始日期",
	"ends_on": "结束日期", "household_percent": "入户走访目标(%)", "talk_all": "全谈", "team": "调研组成员", "text": "内容",
	"visit_activity": "调研活动", "client_id": "记录编号", "target": "走访对象", "visited_on": "走访日期", "method": "走访方式",
	"missed": "未遇到", "visitors": "走访人", "problems": "问题数",
	// The five-year programmes (issue 16, point 6).
	"start_year": "任期起始年份", "end_year": "任期结束年份", "area": "领域", "measures": "措施", "year": "年度",
	"goal": "目标", "disposition": "处理", "proposal": "建议", "adopted_on": "通过日期", "archive_file": "决议文件",
	"goals": "目标数", "milestones": "里程碑数", "proposals": "建议数", "progress_state": "进展", "reported_on": "报告日期",
}

// recordEntity is the entity of the records a field lists.
var recordEntity = map[string]string{"tips": "tip"}

// valueLabel names a coded value in Chinese where the field holds a code.
func valueLabel(entity, field string, v any) string {
	s, ok := v.(string)
	if !ok {
		switch x := v.(type) {
		case bool:
			if x {
				return "是"
			}
			return "否"
		case nil:
			return "(空)"
		case float64:
			return fmt.Sprint(x)
		case []any: // a list of values or of records (a day's tips)
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = valueLabel(entity, field, e)
			}
			return strings.Join(parts, ";")
		case map[string]any: // a record within the entry: its fields, named
			if e, ok := recordEntity[field]; ok {
				entity = e
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = fieldLabel(entity, k) + " " + valueLabel(entity, k, x[k])
			}
			return strings.Join(parts, ",")
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	if s == "" && field == "class" {
		return assess.Unassessed.Label()
	}
	if s == "" {
		return "(空)"
	}
	var label string
	switch field {
	case "status":
		switch entity {
		case "aspirant":
			label = vetting.Status(s).Label()
		case "case":
			label = vetting.CaseStatus(s).Label()
		case "tip":
			label = vetting.TipStatus(s).Label()
		case "ledger_item":
			label = ledger.Status(s).Label()
		case "count_unit":
			label = election.EntryStatus(s).Label()
		case "programme":
			label = programme.Status(s).Label()
		}
	case "class":
		if c := assess.Class(s); c.Valid() {
			label = c.Label()
		}
	case "role":
		label = account.Role(s).Label()
	case "visit_round":
		label = visit.Round(s).Short()
	case "area":
		label = programme.Area(s).Label()
	case "disposition":
		label = programme.Outcome(s).Label()
	case "progress_state":
		label = programme.State(s).Label()
	case "method":
		label = visit.Method(s).Label()
	case "kind":
		if entity == "visit_person" {
			label = visit.PersonKind(s).Label()
		} else if entity == "count_unit" {
			label = election.UnitKind(s).Label()
		} else if entity == "review_round" {
			label = vetting.RoundKind(s).Label()
		} else if entity == "recommendation" {
			label = slate.Kind(s).Label()
		} else if label = org.Kind(s).Label(); label == "" {
			label = assess.PlanKind(s).Label()
		}
	case "department":
		label = vetting.DepartmentName(s)
	case "duty":
		label = org.Duty(s).Label()
	case "outcome":
		if entity == "aspirant" { // a second-review decision
			label = vetting.Status(s).Label()
		} else {
			label = vetting.Outcome(s).Label()
		}
	case "condition", "conditions":
		var names []string
		for _, code := range strings.Split(s, ",") {
			names = append(names, vetting.ConditionOf(strings.TrimSpace(code)).Label())
		}
		label = strings.Join(names, ";")
	case "verdict":
		label = vetting.Verdict(s).Label()
	case "round":
		label = election.Round(s).Label()
	case "state":
		label = election.BallotState(s).Label()
	case "resolution":
		label = election.Resolution(s).Label()
	case "conclusion":
		label = slate.Conclusion(s).Label()
	case "objection_result":
		label = slate.Result(s).Label()
	case "committee":
		label = org.Committee(s).Label()
	case "post":
		label = vetting.Post(s).Label()
	case "source":
		if entity == "case" {
			label = vetting.CaseSource(s).Label()
		} else {
			label = ledger.Source(s).Label()
		}
	case "education":
		label = vetting.Education(s).Label()
	case "party":
		label = vetting.Party(s).Label()
	case "risk":
		label = ledger.Risk(s).Label()
	case "section":
		label = assess.Section(s).Label()
	case "category":
		if entity == "tip" {
			label = vetting.TipCategory(s).Label()
		} else {
			label = archive.Category(s).Label()
		}
	case "type":
		if entity == "activity" {
			label = vetting.ActivityType(s).Label()
		} else {
			label = filestore.TypeLabel(s) // a file's sniffed type
		}
	case "body":
		if s != "" { // a party committee's seats have none
			label = slate.Body(s).Label()
		}
	case "committee_role":
		label = election.CommitteeRole(s).Label()
	case "mode":
		label = election.Mode(s).Label()
	case "registration":
		label = election.Registration(s).Label()
	case "objection_kind":
		label = election.ObjectionKind(s).Label()
	case "ruling":
		label = election.Ruling(s).Label()
	case "party_status":
		label = election.PartyStatus(s).Label()
	case "station_kind":
		label = election.StationKind(s).Label()
	case "staff_role":
		label = election.StaffRole(s).Label()
	case "relation":
		label = election.Relation(s).Label()
	case "threshold_base":
		label = election.Base(s).Label()
	case "scheme":
		label = map[string]string{"sha256": "哈希链(无密钥)", "hmac-sha256": "实例密钥签署"}[s]
	}
	if label != "" {
		return label
	}
	return s
}

// auditChange is one changed field of an entry, as the page shows it.
type auditChange struct {
	Field, Before, After string
}

// auditRow is an entry as the audit page shows it.
type auditRow struct {
	audit.Entry
	Label, Sensitivity, Subject string
	Who                         string // the actor: its username, or what the platform's own actors are
	Unit                        string // the unit the act concerns, by name
	Changes                     []auditChange
	Digests                     int // protected records the entry vouches for
}

func auditRowOf(e audit.Entry) auditRow {
	row := auditRow{Entry: e, Label: audit.LabelOf(e.Action), Who: e.Actor}
	if l, ok := actorLabels[e.Actor]; ok && e.ActorID == 0 {
		row.Who = l
	}
	if a, ok := audit.Lookup(e.Action); ok {
		row.Sensitivity = a.Sensitivity.Label()
	}
	row.Subject = entityLabels[e.Entity]
	if row.Subject == "" {
		row.Subject = "记录"
	}
	if id := subjectID(e.Entity, e.EntityID); id != "" {
		row.Subject += " " + id
	}
	var before, after map[string]any
	json.Unmarshal([]byte(e.Before), &before)
	json.Unmarshal([]byte(e.After), &after)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		c := auditChange{Field: fieldLabel(e.Entity, k)}
		if v, ok := before[k]; ok {
			c.Before = shorten(k, valueLabel(e.Entity, k, v))
		}
		if v, ok := after[k]; ok {
			c.After = shorten(k, valueLabel(e.Entity, k, v))
		}
		row.Changes = append(row.Changes, c)
	}
	return row
}

// subjectID is how the audit page names the record an entry is about
// within its kind: a department by name; no name where the kind says it
// (an export, whose action names what was exported, the keys, the map's
// shapes); else its id or code as it is.
func subjectID(entity, id string) string {
	switch entity {
	case "department":
		return vetting.DepartmentName(id)
	case "export", "key", "map":
		return ""
	case "audit":
		if id == "key" {
			return ""
		}
	case "recommendation": // code/committee/source
		if parts := strings.Split(id, "/"); len(parts) == 3 {
			return parts[0] + " " + org.Committee(parts[1]).Label() + slate.Source(parts[2]).Label()
		}
	}
	return id
}

// fieldLabel names a changed field in Chinese, by its entity where one
// name means two things.
func fieldLabel(entity, field string) string {
	switch {
	case field == "type" && entity != "activity":
		return "文件格式"
	case field == "kind" && (entity == "community" || entity == "archive"):
		return "材料类型"
	}
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return "其他"
}

// shorten keeps a long value readable in a table cell.
// A file's SHA-256 shows its first 16 hex digits, as the pages do.
func shorten(field, s string) string {
	r := []rune(strings.TrimSpace(s))
	limit := 120
	if field == "sha256" || field == "hash" {
		limit = 16
	}
	if len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return string(r)
}
