package audit

import (
	"slices"
	"strings"
)

// Sensitivity says what an audited act exposed or changed beyond the record
// itself, so the audit page can flag it and reviewers can find such acts.
type Sensitivity uint8

// The sensitivities, from none to the most watched.
const (
	Routine      Sensitivity = iota // a record was added or changed
	Download                        // data left the platform: an export or a file download
	PersonalData                    // a full ID number, phone number or a reporter's contact was seen
	Credential                      // a password, a token or a sign-in
)

var sensitivityLabels = map[Sensitivity]string{
	Routine: "", Download: "数据导出", PersonalData: "查看个人信息", Credential: "账号安全",
}

// Label is the sensitivity in Chinese, "" for routine acts.
func (s Sensitivity) Label() string { return sensitivityLabels[s] }

// Action is one kind of audited act. Every action is declared once, below,
// with its Chinese label, its sensitivity and the fields it masks; the store
// takes only declared actions, so an act cannot be logged under a code the
// audit page cannot name.
type Action struct {
	Code        string // stored in the log, e.g. "aspirant.add"
	Label       string // shown on the audit page, e.g. "登记参选人"
	Sensitivity Sensitivity
	Masks       []string // fields hidden in the log beyond the default ones (maskField)
}

var registry = map[string]*Action{}

func declare(code, label string, s Sensitivity, masks ...string) *Action {
	if _, dup := registry[code]; dup {
		panic("audit: action declared twice: " + code)
	}
	a := &Action{Code: code, Label: label, Sensitivity: s, Masks: masks}
	registry[code] = a
	return a
}

// Lookup returns the declared action with code.
func Lookup(code string) (*Action, bool) {
	a, ok := registry[code]
	return a, ok
}

// Actions lists every declared action by code.
func Actions() []*Action {
	out := make([]*Action, 0, len(registry))
	for _, a := range registry {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *Action) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// LabelOf names the action with code in Chinese; a code that was never
// declared (a row written outside the platform) is named as such.
func LabelOf(code string) string {
	if a, ok := registry[code]; ok {
		return a.Label
	}
	return "未登记的操作"
}

// The platform's audited acts.
var (
	// The audit chain itself.
	AuditRekey = declare("audit.rekey", "审计链启用实例密钥", Routine)
	// The data key: every sealed ID and phone number and lookup hash sealed
	// anew under a new key (huanjie key rotate).
	DataKeyRotate = declare("key.rotate", "轮换数据密钥", Credential)

	// Accounts, sessions and the org tree.
	Login         = declare("login", "登录", Credential)
	LoginFail     = declare("login.fail", "登录失败", Credential)
	Logout        = declare("logout", "退出登录", Credential)
	UserAdd       = declare("user.add", "新建账号", Credential, "password")
	UserPassword  = declare("user.password", "修改密码", Credential, "password")
	UserScope     = declare("user.scope", "调整管辖范围", Routine)
	UserDisable   = declare("user.disable", "停用账号", Credential)
	UserEnable    = declare("user.enable", "启用账号", Credential)
	UserReset     = declare("user.reset", "重置密码", Credential, "password")
	UserUnlock    = declare("user.unlock", "解除登录锁定", Credential)
	UserUpdate    = declare("user.update", "调整账号角色、范围或部门", Credential)
	ExportUsers   = declare("export.users", "导出账号名单", Download)
	TokenCreate   = declare("token.create", "生成令牌", Credential, "token")
	TokenRevoke   = declare("token.revoke", "撤销令牌", Credential)
	OrgAdd        = declare("org.add", "新增组织", Routine)
	OrgUpdate     = declare("org.update", "修改组织", Routine)
	OrgImport     = declare("org.import", "批量导入组织", Routine)
	MemberImport  = declare("member.import", "导入两委成员", Routine, "id_number", "phone")
	AssignAdd     = declare("assign.add", "包保指派", Routine, "phone")
	AssignImport  = declare("assign.import", "批量包保指派", Routine)
	AssignRemove  = declare("assign.remove", "取消包保", Routine)
	DemoLoad      = declare("demo.load", "装入演示数据", Routine)
	FileDownload  = declare("file.download", "下载文件", Download)
	ImportRefusal = declare("import.annotated", "下载导入错误标注表", Download)

	// Three classes (三类).
	AssessAdd        = declare("assess.add", "录入研判", Routine)
	AssessImport     = declare("assess.import", "导入研判", Routine)
	AssessOverride   = declare("assess.override", "调整类别", Routine)
	AssessReclassify = declare("assess.reclassify", "重新分类", Routine)
	AssessRubric     = declare("assess.rubric", "修改评分标准", Routine)
	AssessRules      = declare("assess.rules", "修改分类规则", Routine)
	AssessAttach     = declare("assess.attach", "上传研判附件", Routine)
	PlanAdd          = declare("plan.add", "新增方案", Routine)
	PlanImport       = declare("plan.import", "导入方案", Routine)
	MeasureAdd       = declare("measure.add", "新增措施", Routine)
	MeasureDone      = declare("measure.done", "措施完成", Routine)
	ExportClasses    = declare("export.classes", "导出分类表", Download)

	// The gates of discipline and qualification (三关).
	AspirantAdd     = declare("aspirant.add", "登记参选人", Routine, "id_number", "phone")
	AspirantImport  = declare("aspirant.import", "批量登记参选人", Routine)
	AspirantStatus  = declare("aspirant.status", "参选人状态变更", Routine)
	PersonalReveal  = declare("personal.reveal", "查看完整身份证号和电话", PersonalData)
	ExportAspirants = declare("export.aspirants", "导出参选人名单", Download)
	ReviewChecklist = declare("review.checklist", "修改联审部门审查清单", Routine)
	ReviewRound     = declare("review.round", "发起联审", Routine)
	ReviewQueueView = declare("review.queue.view", "查看联审任务(完整身份证号)", PersonalData)
	ReviewQueueXLSX = declare("export.review_queue", "导出联审任务(完整身份证号)", PersonalData)
	ReviewAnswer    = declare("review.answer", "答复联审", Routine)
	ReviewImport    = declare("review.import", "批量导入联审答复", Routine)
	ReviewMeeting   = declare("review.meeting", "二次审核会议", Routine)
	ReviewDecide    = declare("review.decide", "二次审核决定", Routine)
	TipAdd          = declare("tip.add", "收到举报", Routine, "contact")
	TipTriage       = declare("tip.triage", "处理举报", Routine)
	TipContact      = declare("tip.contact", "查看举报人联系方式", PersonalData)
	CaseAdd         = declare("case.add", "立案", Routine)
	CaseStatus      = declare("case.status", "案件进度", Routine)
	CaseOutcome     = declare("case.outcome", "案件处理结果", Routine)
	ActivityAdd     = declare("activity.add", "登记宣传教育活动", Routine)
	ExportDecisions = declare("export.decisions", "导出二次审核决定", Download)
	ExportBoard     = declare("export.board", "导出社区人选一览", Download)
	ExportTargets   = declare("export.targets", "导出结构指标", Download)
	ExportTips      = declare("export.tips", "导出举报清单", Download)
	ExportCases     = declare("export.cases", "导出案件清单", Download)

	// The three ones (三个一).
	TeamSave             = declare("team.save", "保存片区工作专班", Routine, "phone")
	ProgressMark         = declare("progress.mark", "标记环节完成", Routine)
	ProgressUnmark       = declare("progress.unmark", "撤销环节完成", Routine)
	ProgressStages       = declare("progress.stages", "修改换届环节模板", Routine)
	ElectionDays         = declare("calendar.days", "设定社区选举日", Routine)
	CycleDays            = declare("cycle.days", "设定本届默认选举日", Routine)
	CycleAdd             = declare("cycle.add", "新建换届届次", Routine)
	CycleCurrent         = declare("cycle.current", "切换本届", Routine)
	SeatsSet             = declare("slate.seats", "设定职数", Routine)
	TargetsSave          = declare("slate.targets", "修改结构指标", Routine)
	MarginsSave          = declare("slate.margins", "修改候选人差额设置", Routine)
	ElectionSettingsSave = declare("election.settings", "修改选举规则设置", Routine)
	RecommendSet         = declare("slate.recommend", "录入推荐票(两推)", Routine)
	ExportRecommend      = declare("export.recommend_template", "下载推荐票导入模板", Download)
	ProgressImport       = declare("progress.import", "批量导入进度", Routine)
	ExportProgress       = declare("export.progress", "导出进度表", Download)
	MapShapes            = declare("map.shapes", "上传作战图边界", Routine)
	LedgerAdd            = declare("ledger.add", "新增台账事项", Routine)
	LedgerNote           = declare("ledger.note", "台账每日进展", Routine)
	LedgerStart          = declare("ledger.start", "台账事项开始办理", Routine)
	LedgerClose          = declare("ledger.close", "台账销号", Routine)
	LedgerReopen         = declare("ledger.reopen", "台账事项重新打开", Routine)
	LedgerImport         = declare("ledger.import", "批量导入台账", Routine)
	ExportLedger         = declare("export.ledger", "导出台账", Download)
	ArchiveAdd           = declare("archive.add", "档案归档", Routine)
	ArchiveReport        = declare("archive.report", "选举结果报告单归档", Routine)
	ArchiveVoidNote      = declare("archive.void_note", "确认后宣布选举无效的决定归档", Routine)
	ArchiveDownload      = declare("archive.download", "下载档案文件", Download)
	ArchiveExport        = declare("archive.export", "导出社区档案", Download)
	MeetingOpen          = declare("meeting.open", "召开工作例会", Routine)
	MeetingRecord        = declare("meeting.record", "记录例会纪要", Routine)
	MeetingDecide        = declare("meeting.decide", "例会决定事项", Routine)
	MeetingHead          = declare("meeting.checkpoint", "例会纪要载明审计检查点", Routine)
)

// Candidate assessment and the 预备人选 (issue 14, point 4).
var (
	CandidateTeam      = declare("slate.team", "设定考察组", Routine)
	CandidateAssess    = declare("slate.assess", "记录人选考察", Routine)
	CandidateDecide    = declare("slate.decide", "党委研究预备人选", Routine)
	CandidateHigher    = declare("slate.higher", "登记上级审查同意", Routine)
	CandidateNotice    = declare("slate.notice", "设定预备人选公示", Routine)
	CandidateObjection = declare("slate.objection", "登记公示异议", Routine)
)

// The third gate, issue 14 point 5: the predicted slate and the reserve list.
var (
	SlatePredict  = declare("slate.predict", "调整预判人选", Routine)
	ReserveAdd    = declare("slate.reserve.add", "新增储备人选", Routine)
	ReserveEdit   = declare("slate.reserve.edit", "修改储备人选", Routine)
	ReserveRemove = declare("slate.reserve.remove", "删除储备人选", Routine)
)

// The formal candidate lists (正式候选人, issue 14, point 7).
var (
	FormalList     = declare("slate.formal", "确定正式候选人名单", Routine)
	FormalWithdraw = declare("slate.withdraw", "登记候选人退出及递补", Routine)
)

// The electorate and polling (issue 15, points 1 and 2).
var (
	ElectionCommitteeJoin  = declare("electorate.committee.join", "选举委员会增加成员", Routine)
	ElectionCommitteeLeave = declare("electorate.committee.leave", "选举委员会成员退出", Routine)
	ElectoralMode          = declare("electorate.mode", "设定居委会选举方式", Routine)
	VoterAdd               = declare("electorate.voter.add", "登记选民", Routine)
	VoterRemove            = declare("electorate.voter.remove", "删除选民登记", Routine)
	VoterImport            = declare("electorate.voter.import", "批量导入选民名单", Routine)
	RegisterPublish        = declare("electorate.publish", "公布选民名单", Routine)
	VoterObjection         = declare("electorate.objection", "受理选民名单异议", Routine)
	VoterObjectionAnswer   = declare("electorate.objection.answer", "答复选民名单异议", Routine)
	PartyMemberAdd         = declare("electorate.party.add", "登记党员表决权", Routine)
	PartyMemberEdit        = declare("electorate.party.edit", "修改党员表决权或请假", Routine)
	PartyMemberImport      = declare("electorate.party.import", "批量导入党员名单", Routine)
	PartyMemberPresent     = declare("electorate.party.present", "登记党员到会", Routine)
	StationAdd             = declare("polling.station.add", "设立投票站或流动票箱", Routine)
	StationStaffAdd        = declare("polling.staff.add", "确定投票站工作人员", Routine)
	StationStaffRemove     = declare("polling.staff.remove", "撤换投票站工作人员", Routine)
	CandidateRelative      = declare("polling.relative", "登记候选人近亲属", Routine)
	ProxyAdd               = declare("polling.proxy", "登记委托投票", Routine)
	ExportVoters           = declare("export.voters", "导出选民名单", Download)
	ExportProxies          = declare("export.proxies", "导出委托投票名单", Download)
	ExportRegisterTemplate = declare("export.register_template", "下载选民或党员名单导入模板", Download)
)

// The three rounds of visits (issue 16, points 1–4): registers, rounds,
// research activities, visits.
var (
	HouseholdAdd        = declare("visit.household.add", "登记走访户", Routine)
	HouseholdImport     = declare("visit.household.import", "批量导入走访户名单", Routine)
	HouseholdEdit       = declare("visit.household.edit", "修改走访户", Routine)
	HouseholdRemove     = declare("visit.household.remove", "删除误登记的走访户", Routine)
	VisitPersonAdd      = declare("visit.person.add", "登记党员或居民代表", Routine)
	VisitPersonImport   = declare("visit.person.import", "批量导入党员和居民代表名单", Routine)
	VisitCampaign       = declare("visit.campaign", "设定走访轮次的日期和目标", Routine)
	VisitActivityAdd    = declare("visit.activity.add", "确定选举前调研活动", Routine)
	VisitFinding        = declare("visit.finding", "记录调研发现", Routine)
	VisitRecord         = declare("visit.record", "记录走访", Routine)
	ExportHouseholds    = declare("export.households", "导出走访户名单", Download)
	ExportVisitTemplate = declare("export.visit_template", "下载走访户或谈话对象导入模板", Download)
)

// The five-year programmes (issue 16, point 6).
var (
	ProgrammeSave            = declare("programme.save", "建立或修改五年施政纲领", Routine)
	ProgrammeGoalAdd         = declare("programme.goal.add", "增加施政纲领目标", Routine)
	ProgrammeGoalEdit        = declare("programme.goal.edit", "修改施政纲领目标", Routine)
	ProgrammeGoalRemove      = declare("programme.goal.remove", "删除施政纲领目标", Routine)
	ProgrammeMilestone       = declare("programme.milestone", "设定施政纲领年度里程碑", Routine)
	ProgrammeMilestoneRemove = declare("programme.milestone.remove", "删除施政纲领年度里程碑", Routine)
	ProgrammeDispose         = declare("programme.dispose", "处理问计于民的建议", Routine)
	ProgrammeAdopt           = declare("programme.adopt", "登记居民代表会议通过五年施政纲领", Routine)
	ProgrammeProgress        = declare("programme.progress", "报告施政纲领里程碑进展", Routine)
	ExportProgramme          = declare("export.programme", "导出五年施政纲领", Download)
)

// Counting (issue 15, points 3 and 4): ballots, their stations, the double
// entry of each count sheet and the ballots read aloud (唱票).
var (
	BallotOpen    = declare("ballot.open", "开启投票", Routine)
	BallotVoid    = declare("ballot.void", "宣布选举无效", Routine)
	BallotConfirm = declare("ballot.confirm", "确认投票计票结果", Routine)
	BallotOutcome = declare("ballot.outcome", "依法判定选举结果", Routine)
	CountUnitAdd  = declare("count.unit", "设立计票点", Routine)
	CountSave     = declare("count.save", "保存计票录入草稿", Routine)
	CountFinalise = declare("count.finalise", "提交计票录入", Routine)
	CountFillZero = declare("count.fill_zero", "计票录入其余填0", Routine)
	CountDiffer   = declare("count.differ", "两次计票录入不一致", Routine)
	CountResolve  = declare("count.resolve", "协调处理两次录入", Routine)
	CountAck      = declare("count.ack", "确认知悉计票提醒", Routine)
	CountConfirm  = declare("count.confirm", "确认计票点计票结果", Routine)
	TallyRead     = declare("tally.read", "唱票记下一张选票", Routine)
	TallyUndo     = declare("tally.undo", "撤销上一张唱票", Routine)
	TallyFinish   = declare("tally.finish", "唱票结束作为第一次录入", Routine)
)

// The results of the elections (issue 15, points 7 and 8).
var (
	ResultsElect     = declare("results.elect", "登记当选人员", Routine)
	ResultsOfficers  = declare("results.officers", "登记书记、副书记选举", Routine)
	ResultsApprove   = declare("results.approve", "登记上级批准书记、副书记", Routine)
	ResultsHandover  = declare("results.handover", "登记新老班子工作交接", Routine)
	ResultsWrittenIn = declare("results.written_in", "登记另选他人当选人员信息", Routine)
	ResultsPending   = declare("results.pending", "当选人员暂不能登记", Routine)
	ExportStatistics = declare("export.statistics", "导出换届结果统计表", Download)
)
