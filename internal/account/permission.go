package account

// Permission names one kind of act. Routes declare the permission they need;
// Can answers from the table below, the only place that decides.
type Permission string

// Permissions of the foundation. Later capabilities add theirs here.
const (
	ViewOrgs    Permission = "orgs.view"    // see the org tree of one's scope
	ManageOrgs  Permission = "orgs.manage"  // add and edit units
	ViewAudit   Permission = "audit.view"   // read the audit log
	ManageUsers Permission = "users.manage" // add users, reset passwords
	OwnAccount  Permission = "account.own"  // change one's password, API tokens

	ViewClasses   Permission = "classes.view"     // classification, warnings, plans
	Assess        Permission = "classes.assess"   // enter assessments, import them
	OverrideClass Permission = "classes.override" // set a class against the rules, with a reason
	ManageRubric  Permission = "classes.rubric"   // edit the rubric and the rules
	EditPlans     Permission = "plans.edit"       // add plans and measures, close measures

	ViewAspirants     Permission = "aspirants.view"     // aspirants in scope, masked
	RegisterAspirants Permission = "aspirants.register" // register aspirants
	RevealPersonal    Permission = "personal.reveal"    // see a full ID or phone number, audited
	ManageReview      Permission = "review.manage"      // start rounds, departments, overdue and miss reports
	AnswerReview      Permission = "review.answer"      // a department's own queue of requests
	TriageTips        Permission = "tips.triage"        // read and verify public tips
	ManageCases       Permission = "cases.manage"       // discipline cases, shared by discipline and police: the investigation
	ViewCaseOutcomes  Permission = "cases.outcomes"     // who was disqualified and why: a case's outcome, not its investigation
	LogActivities     Permission = "discipline.log"     // publicity and warning-education log
	DecideAspirants   Permission = "review.decide"      // the party committee's second review
	ViewVetting       Permission = "vetting.view"       // vetting statistics

	ViewProgress  Permission = "progress.view"  // progress table, battle map, work teams
	EditProgress  Permission = "progress.edit"  // mark a community's stages done
	ManageProcess Permission = "process.manage" // stage templates, work teams, map boundaries
	ViewLedger    Permission = "ledger.view"    // ledgers and their daily views
	EditLedger    Permission = "ledger.edit"    // add, note, close and reopen ledger items
	ViewArchive   Permission = "archive.view"   // download archived files, export an archive
	UploadArchive Permission = "archive.upload" // add files to a community's archive
	RunMeetings   Permission = "meetings.run"   // hold the daily meeting, record its decisions
	ViewMeetings  Permission = "meetings.view"  // read agendas, minutes and decisions

	// The third gate (人选考察关): seats, recommendations, assessment of
	// candidates, the predicted slate, targets and the formal lists.
	ViewSlate   Permission = "slate.view"   // read the third gate's pages and the board
	EditSlate   Permission = "slate.edit"   // enter seats, recommendations, assessments, the predicted slate
	DecideSlate Permission = "slate.decide" // the party committee's decision on the 预备人选

	// The elections (issue 15): electorate, polling, counts, results.
	ViewElection    Permission = "elections.view"   // read registers, stations, counts, results and statistics
	EditElection    Permission = "elections.edit"   // the election committee, registers, stations, proxies, ballots
	EnterCount      Permission = "count.enter"      // enter a count as one of its two clerks, or read ballots aloud
	CoordinateCount Permission = "count.coordinate" // resolve the clerks' differences, confirm counts, record outcomes

	// The three rounds of visits (issue 16).
	ViewVisits    Permission = "visits.view"      // registers (masked), visits, coverage, research activities
	RecordVisits  Permission = "visits.record"    // record a visit or talk
	EditRegisters Permission = "visits.registers" // add and import households, party members and representatives
	ManageVisits  Permission = "visits.manage"    // the rounds' dates and targets, research activities and their findings

	// The five-year programmes (issue 16, point 6); read with ViewVisits.
	EditProgramme Permission = "programme.edit" // goals, milestones, dispositions of proposals, adoption, progress reports
)

// rolePermissions is each role's rights, decided here once and explained
// in docs/roles.md. Beyond the role, every read and write is bounded by the
// account's scope (and a reviewer's by its department) inside the store.
var rolePermissions = map[Role][]Permission{
	// The office runs the campaign; it sees case outcomes, not investigations,
	// and answers no department's review.
	Admin: {ViewOrgs, ManageOrgs, ViewAudit, ManageUsers, OwnAccount,
		ViewClasses, Assess, OverrideClass, ManageRubric, EditPlans,
		ViewAspirants, RegisterAspirants, RevealPersonal, ManageReview, TriageTips, ViewCaseOutcomes, LogActivities,
		DecideAspirants, ViewVetting,
		ViewProgress, EditProgress, ManageProcess, ViewLedger, EditLedger, ViewArchive, UploadArchive, RunMeetings, ViewMeetings,
		ViewSlate, EditSlate, DecideSlate,
		ViewElection, EditElection, EnterCount, CoordinateCount,
		ViewVisits, RecordVisits, EditRegisters, ManageVisits, EditProgramme},
	// Leaders read; they change nothing.
	Leader: {ViewOrgs, OwnAccount, ViewClasses, ViewAspirants, ViewCaseOutcomes, ViewVetting,
		ViewProgress, ViewLedger, ViewArchive, ViewMeetings, ViewSlate, ViewElection, ViewVisits},
	District: {ViewOrgs, OwnAccount, ViewClasses, Assess, EditPlans, ViewAspirants, RegisterAspirants, ViewVetting,
		ViewProgress, EditProgress, ViewLedger, EditLedger, ViewArchive, UploadArchive, ViewMeetings,
		ViewSlate, EditSlate,
		ViewElection, EditElection, EnterCount, CoordinateCount,
		ViewVisits, RecordVisits, EditRegisters, EditProgramme},
	Community: {ViewOrgs, OwnAccount, ViewClasses, EditPlans, ViewAspirants, RegisterAspirants,
		ViewProgress, EditProgress, ViewLedger, EditLedger, ViewArchive, UploadArchive,
		ViewElection, EditElection, EnterCount,
		ViewVisits, RecordVisits, EditRegisters, EditProgramme},
	// A department sees only the requests sent to it: not the org tree, not
	// the communities' members.
	Reviewer:   {OwnAccount, AnswerReview},
	Discipline: {ViewOrgs, OwnAccount, ViewClasses, ViewAspirants, RevealPersonal, TriageTips, ManageCases, ViewCaseOutcomes, LogActivities, ViewVetting},
	// The police triage the tips routed to them (the store shows them no other)
	// and share the cases with the discipline commission.
	Police: {ViewOrgs, OwnAccount, ViewAspirants, RevealPersonal, TriageTips, ManageCases, ViewCaseOutcomes},
	Committee: {ViewOrgs, OwnAccount, ViewClasses, ViewAspirants, DecideAspirants, ViewCaseOutcomes, ViewVetting,
		ViewProgress, ViewLedger, ViewMeetings, ViewSlate, DecideSlate, ViewElection, ViewVisits},
}

// Can reports whether a role holds a permission.
func Can(r Role, p Permission) bool {
	for _, q := range rolePermissions[r] {
		if q == p {
			return true
		}
	}
	return false
}

// PermissionsOf lists the permissions a role holds.
func PermissionsOf(r Role) []Permission { return append([]Permission(nil), rolePermissions[r]...) }
