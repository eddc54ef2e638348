package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/visit"
)

// handlerFunc is a page or API handler. u is the signed-in user (the zero
// User on public routes). A returned error is rendered by fail.
type handlerFunc func(w http.ResponseWriter, r *http.Request, db *store.Scoped) error

// idPage is the page of the record whose id the path names, drawn by view:
// the same view a refused form of the page comes back to (action.page), so
// the page and its forms' errors are one rendering. missing is what a
// path without a number says.
func (s *Server) idPage(missing string, view func(context.Context, *store.Scoped, int64) (string, any, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
		id, err := pathID(r, missing)
		if err != nil {
			return err
		}
		name, v, err := view(r.Context(), db, id)
		if err != nil {
			return err
		}
		s.render(w, r, name, http.StatusOK, v)
		return nil
	}
}

type route struct {
	pattern string
	perm    account.Permission // "" for public routes
	handle  handlerFunc
}

// routeTable is every guarded route and the permission it needs: the one
// place where authorization is decided. Scope is applied by the store inside
// each query, from the request's store.Scoped that guard hands the handler.
func (s *Server) routeTable() []route {
	return []route{
		// Public.
		{"GET /login", "", s.loginPage},
		{"POST /login", "", s.loginForm},
		{"POST /api/v1/login", "", s.apiLogin},

		// Every signed-in user.
		{"POST /logout", account.OwnAccount, s.logout},
		{"POST /api/v1/logout", account.OwnAccount, s.logout},
		{"GET /api/v1/me", account.OwnAccount, s.apiMe},
		{"GET /account", account.OwnAccount, s.accountPage},
		{"POST /account/password", account.OwnAccount, s.changePassword},
		{"POST /api/v1/account/password", account.OwnAccount, s.changePassword},
		{"POST /account/tokens", account.OwnAccount, s.createToken},
		{"POST /account/tokens/{id}/revoke", account.OwnAccount, s.revokeToken()},
		{"GET /api/v1/tokens", account.OwnAccount, s.apiTokens},
		{"POST /api/v1/tokens", account.OwnAccount, s.createToken},
		{"DELETE /api/v1/tokens/{id}", account.OwnAccount, s.revokeToken()},

		// The org tree.
		{"GET /{$}", account.OwnAccount, s.homePage},
		{"GET /api/v1/home", account.ViewOrgs, s.apiHome},
		{"GET /orgs/{code}", account.ViewOrgs, s.orgPage},
		{"GET /api/v1/orgs", account.ViewOrgs, s.apiOrgs},
		{"GET /api/v1/orgs/{code}", account.ViewOrgs, s.apiOrg},
		{"POST /orgs", account.ManageOrgs, s.addOrg()},
		{"POST /api/v1/orgs", account.ManageOrgs, s.addOrg()},
		{"GET /api/v1/orgs/{code}/assignments", account.ViewOrgs, s.apiAssignments},
		{"POST /api/v1/orgs/{code}/assignments", account.ManageOrgs, s.addAssignment()},
		{"DELETE /api/v1/assignments/{id}", account.ManageOrgs, s.removeAssignment()},
		{"POST /orgs/{code}/assignments", account.ManageOrgs, s.addAssignment()},
		{"POST /assignments/{id}/remove", account.ManageOrgs, s.removeAssignment()},

		// Users.
		{"GET /users", account.ManageUsers, s.usersPage},
		{"POST /users", account.ManageUsers, s.addUser()},
		{"GET /api/v1/users", account.ManageUsers, s.apiUsers},
		{"POST /api/v1/users", account.ManageUsers, s.addUser()},
		{"GET /users.xlsx", account.ManageUsers, s.usersExport},
		{"GET /users/{username}", account.ManageUsers, s.userPage},
		{"POST /users/{username}/disable", account.ManageUsers, s.disableUser()},
		{"POST /users/{username}/enable", account.ManageUsers, s.enableUser()},
		{"POST /users/{username}/reset-password", account.ManageUsers, s.resetPassword},
		{"POST /users/{username}/unlock", account.ManageUsers, s.unlockUser()},
		{"POST /users/{username}/update", account.ManageUsers, s.updateUser()},
		{"GET /api/v1/users/{username}", account.ManageUsers, s.apiUser},
		{"PUT /api/v1/users/{username}", account.ManageUsers, s.updateUser()},
		{"POST /api/v1/users/{username}/disable", account.ManageUsers, s.disableUser()},
		{"POST /api/v1/users/{username}/enable", account.ManageUsers, s.enableUser()},
		{"POST /api/v1/users/{username}/reset-password", account.ManageUsers, s.resetPassword},
		{"POST /api/v1/users/{username}/unlock", account.ManageUsers, s.unlockUser()},

		// Three classes (三类): classification, warnings, plans.
		{"GET /classes", account.ViewClasses, s.classesPage},
		{"GET /api/v1/classes", account.ViewClasses, s.apiClasses},
		{"GET /api/v1/classes/districts", account.ViewClasses, s.apiClassDistricts},
		{"GET /api/v1/communities", account.ViewClasses, s.apiCommunities},
		{"GET /communities/{code}/assessment", account.ViewClasses, s.assessmentPage},
		{"GET /api/v1/communities/{code}/assessment", account.ViewClasses, s.apiAssessment},
		{"POST /communities/{code}/assessments", account.Assess, s.addAssessment},
		{"POST /api/v1/communities/{code}/assessments", account.Assess, s.addAssessment},
		{"POST /api/v1/assessments/{id}/attachments", account.Assess, s.apiAttach},
		{"GET /attachments/{sha256}", account.ViewClasses, s.attachmentDownload},
		{"POST /communities/{code}/override", account.OverrideClass, s.setOverride()},
		{"POST /api/v1/communities/{code}/override", account.OverrideClass, s.setOverride()},
		{"GET /warnings", account.ViewClasses, s.warningsPage},
		{"GET /api/v1/warnings", account.ViewClasses, s.apiWarnings},
		{"GET /warnings/{section}", account.ViewClasses, s.warningSectionPage},
		{"GET /api/v1/warnings/{section}", account.ViewClasses, s.apiWarningSection},
		{"GET /api/v1/plans/shortfall", account.ViewClasses, s.apiShortfall},
		{"GET /api/v1/measures/overdue", account.ViewClasses, s.apiOverdue},
		{"GET /communities/{code}/plans", account.ViewClasses, s.plansPage},
		{"GET /api/v1/communities/{code}/plans", account.ViewClasses, s.apiPlans},
		{"POST /communities/{code}/plans", account.EditPlans, s.addPlan()},
		{"POST /api/v1/communities/{code}/plans", account.EditPlans, s.addPlan()},
		{"POST /plans/{id}/measures", account.EditPlans, s.addMeasure()},
		{"POST /api/v1/plans/{id}/measures", account.EditPlans, s.addMeasure()},
		{"POST /measures/{id}/done", account.EditPlans, s.completeMeasure()},
		{"POST /api/v1/measures/{id}/done", account.EditPlans, s.completeMeasure()},
		{"GET /classes/template.xlsx", account.Assess, s.assessTemplate},
		{"GET /classes/export.xlsx", account.ViewClasses, s.classesExport},
		{"GET /classes/import", account.Assess, s.importPage},
		{"POST /classes/import", account.Assess, s.importForm},
		{"GET /classes/import/{token}/annotated.xlsx", account.Assess, s.annotatedDownload("研判表-错误标注.xlsx")},
		{"POST /api/v1/assess/import", account.Assess, s.apiImport},
		{"GET /classes/rules", account.ManageRubric, s.rulesPage},
		{"POST /classes/rules", account.ManageRubric, s.saveRules},
		{"POST /classes/rubric", account.ManageRubric, s.saveRubric},
		{"GET /api/v1/assess/rules", account.ViewClasses, s.apiRules},
		{"PUT /api/v1/assess/rules", account.ManageRubric, s.saveRules},
		{"PUT /api/v1/assess/rubric", account.ManageRubric, s.saveRubric},

		// Gates (三关): aspirants, the second review, statistics. Full ID and phone numbers only by an
		// audited reveal.
		{"GET /aspirants", account.ViewAspirants, s.aspirantsPage},
		{"GET /aspirants.xlsx", account.ViewAspirants, s.aspirantsExport},
		{"POST /aspirants", account.RegisterAspirants, s.addAspirant()},
		{"GET /aspirants/{id}", account.ViewAspirants, s.aspirantPage},
		{"GET /aspirants/{id}/print", account.ViewAspirants, s.aspirantPrintPage},
		{"POST /aspirants/{id}/reveal", account.RevealPersonal, s.revealAspirant},
		{"GET /api/v1/aspirants", account.ViewAspirants, s.apiAspirants},
		{"POST /api/v1/aspirants", account.RegisterAspirants, s.addAspirant()},
		{"GET /api/v1/aspirants/{id}", account.ViewAspirants, s.apiAspirant},
		{"POST /api/v1/aspirants/{id}/reveal", account.RevealPersonal, s.revealAspirant},
		{"GET /second-review", account.DecideAspirants, s.meetingsPage},
		{"POST /second-review/meetings", account.DecideAspirants, s.addMeeting()},
		{"GET /second-review/meetings/{id}", account.DecideAspirants, s.meetingPage},
		{"GET /second-review/decisions.xlsx", account.DecideAspirants, s.decisionsExport},
		{"POST /second-review/meetings/{id}/decisions", account.DecideAspirants, s.decide()},
		{"GET /api/v1/review-meetings", account.DecideAspirants, s.apiMeetings},
		{"POST /api/v1/review-meetings", account.DecideAspirants, s.addMeeting()},
		{"GET /api/v1/review-meetings/{id}", account.DecideAspirants, s.apiMeeting},
		{"POST /api/v1/review-meetings/{id}/decisions", account.DecideAspirants, s.decide()},
		{"GET /vetting/stats", account.ViewVetting, s.vettingStatsPage},
		{"GET /api/v1/vetting/stats", account.ViewVetting, s.apiVettingStats},

		// Joint review (联审): the office runs rounds and departments and reads the overdue and miss
		// reports; a department's reviewer sees and answers only its own queue.
		{"GET /review", account.ManageReview, s.reviewPage},
		{"POST /review/rounds", account.ManageReview, s.startRound()},
		{"GET /api/v1/review-rounds", account.ManageReview, s.apiReviewRounds},
		{"POST /api/v1/review-rounds", account.ManageReview, s.startRound()},
		{"GET /review/departments", account.ManageReview, s.reviewDepartmentsPage},
		{"POST /review/departments/{code}", account.ManageReview, s.setChecklist()},
		{"GET /api/v1/review/departments", account.ManageReview, s.apiReviewDepartments},
		{"PUT /api/v1/review/departments/{code}", account.ManageReview, s.setChecklist()},
		{"GET /review/overdue", account.ManageReview, s.reviewOverduePage},
		{"GET /api/v1/review-requests/overdue", account.ManageReview, s.apiReviewOverdue},
		{"GET /review/misses", account.ManageReview, s.reviewMissesPage},
		{"GET /api/v1/review/misses", account.ManageReview, s.apiReviewMisses},

		{"GET /review/queue", account.AnswerReview, s.reviewQueuePage},
		{"GET /api/v1/review-requests", account.AnswerReview, s.apiReviewQueue},
		{"GET /review/requests/{id}", account.AnswerReview, s.reviewRequestPage},
		{"GET /api/v1/review-requests/{id}", account.AnswerReview, s.apiReviewRequest},
		{"POST /review/requests/{id}/answer", account.AnswerReview, s.answerRequest},
		{"POST /api/v1/review-requests/{id}/answer", account.AnswerReview, s.answerRequest},
		{"GET /review/queue.xlsx", account.AnswerReview, s.reviewQueueExport},
		{"GET /review/queue/import", account.AnswerReview, s.reviewImportPage},
		{"POST /review/queue/import", account.AnswerReview, s.reviewImportForm},
		{"GET /review/queue/import/{token}/annotated.xlsx", account.AnswerReview, s.annotatedDownload("联审任务-错误标注.xlsx")},
		{"POST /api/v1/review-requests/import", account.AnswerReview, s.apiReviewImport},

		// Public tips (举报): no sign-in, rate limited, nothing about the reporter kept; their triage,
		// discipline cases and the publicity and warning-education log.
		{"GET /tip", "", s.tipPage},
		{"POST /tip", "", s.submitTip},
		{"GET /tip/status", "", s.tipStatusPage},
		{"POST /api/v1/tips", "", s.submitTip},
		{"GET /api/v1/tips/{receipt}", "", s.apiTipStatus},

		{"GET /tips", account.TriageTips, s.tipsPage},
		{"GET /tips.xlsx", account.TriageTips, s.tipsExport},
		{"GET /api/v1/tips", account.TriageTips, s.apiTips},
		{"GET /tips/{id}", account.TriageTips, s.tipDetailPage},
		{"GET /api/v1/tips/{id}/detail", account.TriageTips, s.apiTipDetail},
		{"POST /tips/{id}/triage", account.TriageTips, s.triageTip()},
		{"POST /api/v1/tips/{id}/triage", account.TriageTips, s.triageTip()},
		{"POST /tips/{id}/contact", account.TriageTips, s.tipContact},
		{"POST /api/v1/tips/{id}/contact", account.TriageTips, s.tipContact},
		{"GET /tips/{id}/files/{file}", account.TriageTips, s.tipFileDownload},

		{"GET /cases", account.ViewCaseOutcomes, s.casesPage},
		{"GET /cases.xlsx", account.ViewCaseOutcomes, s.casesExport},
		{"POST /cases", account.ManageCases, s.addCase()},
		{"GET /cases/{id}", account.ViewCaseOutcomes, s.casePage},
		{"POST /cases/{id}/status", account.ManageCases, s.moveCase()},
		{"POST /cases/{id}/outcome", account.ManageCases, s.decideCase()},
		{"GET /api/v1/cases", account.ViewCaseOutcomes, s.apiCases},
		{"POST /api/v1/cases", account.ManageCases, s.addCase()},
		{"GET /api/v1/cases/{id}", account.ViewCaseOutcomes, s.apiCase},
		{"POST /api/v1/cases/{id}/status", account.ManageCases, s.moveCase()},
		{"POST /api/v1/cases/{id}/outcome", account.ManageCases, s.decideCase()},

		{"GET /discipline", account.LogActivities, s.activitiesPage},
		{"POST /discipline", account.LogActivities, s.addActivity()},
		{"GET /api/v1/activities", account.LogActivities, s.apiActivities},
		{"POST /api/v1/activities", account.LogActivities, s.addActivity()},

		// Progress (进度表), the battle map (作战图) and the district work teams (工作专班).
		{"GET /teams", account.ViewProgress, s.teamsPage},
		{"POST /teams", account.ManageProcess, s.saveTeam()},
		{"GET /api/v1/teams", account.ViewProgress, s.apiTeams},
		{"POST /api/v1/teams", account.ManageProcess, s.saveTeam()},

		{"GET /progress", account.ViewProgress, s.progressPage},
		{"GET /progress.xlsx", account.ViewProgress, s.progressExport},
		{"GET /api/v1/progress", account.ViewProgress, s.apiProgress},
		{"GET /progress/stages", account.ViewProgress, s.stagesPage},
		{"POST /progress/stages", account.ManageProcess, s.saveStages()},
		{"GET /api/v1/progress/stages", account.ViewProgress, s.apiStages},
		{"PUT /api/v1/progress/stages", account.ManageProcess, s.saveStages()},
		// The election calendar and the cycles (issue 14, point 1).
		{"GET /calendar", account.ViewProgress, s.calendarPage},
		{"GET /api/v1/calendar", account.ViewProgress, s.apiCalendar},
		{"GET /calendar/{code}", account.ViewProgress, s.communityCalendarPage},
		{"GET /api/v1/communities/{code}/election-days", account.ViewProgress, s.apiCommunityCalendar},
		{"POST /calendar/days", account.ManageProcess, s.setElectionDays()},
		{"PUT /api/v1/election-days", account.ManageProcess, s.setElectionDays()},
		{"POST /calendar/cycle-days", account.ManageProcess, s.setCycleDays()},
		{"PUT /api/v1/cycles/current/days", account.ManageProcess, s.setCycleDays()},
		{"GET /cycles", account.ViewProgress, s.cyclesPage},
		{"GET /api/v1/cycles", account.ViewProgress, s.apiCycles},
		{"POST /cycles", account.ManageProcess, s.addCycle()},
		{"POST /api/v1/cycles", account.ManageProcess, s.addCycle()},
		{"POST /cycles/{code}/current", account.ManageProcess, s.makeCurrent()},
		{"POST /api/v1/cycles/{code}/current", account.ManageProcess, s.makeCurrent()},
		{"POST /cycles/read", account.ViewProgress, s.readCycle},
		// The third gate (人选考察关, issue 14): seats.
		{"GET /communities/{code}/seats", account.ViewSlate, s.seatsPage},
		{"GET /api/v1/communities/{code}/seats", account.ViewSlate, s.apiSeats},
		{"POST /communities/{code}/seats/{committee}", account.EditSlate, s.setSeats()},
		{"PUT /api/v1/communities/{code}/seats/{committee}", account.EditSlate, s.setSeats()},
		// Structure targets and the formal lists' margins (points 6, 7): zone-wide settings.
		// The board (point 8): a community's posts × people, in a minute.
		{"GET /communities/{code}/board", account.ViewSlate, s.boardPage},
		{"GET /communities/{code}/board.xlsx", account.ViewSlate, s.boardExport},
		{"GET /api/v1/communities/{code}/board", account.ViewSlate, s.apiBoard},
		{"GET /targets", account.ViewSlate, s.targetsPage},
		{"GET /targets.xlsx", account.ViewSlate, s.targetsExport},
		{"GET /api/v1/targets", account.ViewSlate, s.apiTargets},
		{"GET /targets/settings", account.ViewSlate, s.targetSettingsPage},
		{"GET /api/v1/targets/settings", account.ViewSlate, s.apiTargetSettings},
		{"POST /targets/settings", account.ManageProcess, s.saveTargets()},
		{"PUT /api/v1/targets/settings", account.ManageProcess, s.saveTargets()},
		{"POST /targets/margins", account.ManageProcess, s.saveMargins()},
		{"PUT /api/v1/targets/margins", account.ManageProcess, s.saveMargins()},
		// The third gate: two recommendations (两推, issue 14 point 3).
		{"GET /communities/{code}/recommendations", account.ViewSlate, s.recommendationsPage},
		{"GET /api/v1/communities/{code}/recommendations", account.ViewSlate, s.apiRecommendations},
		{"POST /communities/{code}/recommendations", account.EditSlate, s.setRecommendation()},
		{"PUT /api/v1/communities/{code}/recommendations", account.EditSlate, s.setRecommendation()},
		{"GET /communities/{code}/recommendations/template.xlsx", account.EditSlate, s.recommendationsTemplate},
		{"POST /communities/{code}/recommendations/import", account.EditSlate, s.recommendationsImportForm},
		{"POST /api/v1/communities/{code}/recommendations/import", account.EditSlate, s.apiRecommendationsImport},
		{"GET /recommendations/import/{token}/annotated.xlsx", account.EditSlate, s.annotatedDownload("推荐票-错误标注.xlsx")},
		// The third gate, point 4: candidate assessment and the 预备人选.
		{"GET /communities/{code}/candidates", account.ViewSlate, s.candidatesPage},
		{"GET /api/v1/communities/{code}/candidates", account.ViewSlate, s.apiCandidates},
		{"POST /communities/{code}/candidates/team", account.EditSlate, s.setCandidateTeam()},
		{"PUT /api/v1/communities/{code}/candidates/team", account.EditSlate, s.setCandidateTeam()},
		{"GET /candidates/{id}", account.ViewSlate, s.candidatePage},
		{"GET /api/v1/candidates/{id}", account.ViewSlate, s.apiCandidate},
		{"POST /candidates/{id}/assessment", account.EditSlate, s.assessCandidate()},
		{"PUT /api/v1/candidates/{id}/assessment", account.EditSlate, s.assessCandidate()},
		{"POST /candidates/{id}/decision", account.DecideSlate, s.decideCandidate()},
		{"PUT /api/v1/candidates/{id}/decision", account.DecideSlate, s.decideCandidate()},
		{"POST /candidates/{id}/higher", account.EditSlate, s.approveCandidateHigher()},
		{"PUT /api/v1/candidates/{id}/higher", account.EditSlate, s.approveCandidateHigher()},
		{"POST /candidates/{id}/notice", account.EditSlate, s.noticeCandidate()},
		{"PUT /api/v1/candidates/{id}/notice", account.EditSlate, s.noticeCandidate()},
		{"POST /candidates/{id}/objections", account.EditSlate, s.addObjection()},
		{"POST /api/v1/candidates/{id}/objections", account.EditSlate, s.addObjection()},
		{"POST /candidates/{id}/objections/{objection}", account.EditSlate, s.editObjection()},
		{"PUT /api/v1/candidates/{id}/objections/{objection}", account.EditSlate, s.editObjection()},
		// Issue 14, point 5: the predicted slate (预判人选) and the reserve list (人选储备).
		{"GET /communities/{code}/slate", account.ViewSlate, s.slatePage},
		{"GET /api/v1/slates/{code}", account.ViewSlate, s.apiSlate},
		{"POST /communities/{code}/slate", account.EditSlate, s.saveSlate()},
		{"PUT /api/v1/slates/{code}", account.EditSlate, s.saveSlate()},
		{"GET /communities/{code}/reserve", account.ViewSlate, s.reservePage},
		{"GET /api/v1/communities/{code}/reserve", account.ViewSlate, s.apiReserve},
		{"POST /communities/{code}/reserve", account.EditSlate, s.addReserve()},
		{"POST /api/v1/communities/{code}/reserve", account.EditSlate, s.addReserve()},
		{"POST /communities/{code}/reserve/{id}", account.EditSlate, s.editReserve()},
		{"PUT /api/v1/communities/{code}/reserve/{id}", account.EditSlate, s.editReserve()},
		{"POST /communities/{code}/reserve/{id}/remove", account.EditSlate, s.removeReserve()},
		{"DELETE /api/v1/communities/{code}/reserve/{id}", account.EditSlate, s.removeReserve()},
		// The outcome check (issue 15, point 6): one ballot's figures, decided
		// as real elections are; nothing stored.
		{"GET /elections/outcome-check", account.ViewElection, s.outcomeCheckPage},
		{"POST /elections/outcome-check", account.ViewElection, s.checkOutcome},
		{"POST /api/v1/outcome-check", account.ViewElection, s.checkOutcome},
		// Counting (issue 15, points 3 and 4): ballots, their stations, the
		// double entry of each count sheet, 唱票 and its projector page.
		{"GET /communities/{code}/ballots", account.ViewElection, s.ballotsPage},
		{"GET /api/v1/communities/{code}/ballots", account.ViewElection, s.apiBallots},
		{"POST /communities/{code}/ballots/{committee}", account.EditElection, s.openBallot()},
		{"POST /api/v1/communities/{code}/ballots/{committee}", account.EditElection, s.openBallot()},
		{"GET /ballots/{id}", account.ViewElection, s.idPage("没有找到这次投票", s.ballotView)},
		{"GET /api/v1/ballots/{id}", account.ViewElection, s.apiBallot},
		{"POST /ballots/{id}/units", account.EditElection, s.addCountUnit()},
		{"POST /api/v1/ballots/{id}/units", account.EditElection, s.addCountUnit()},
		{"POST /ballots/{id}/void", account.EditElection, s.voidBallot()},
		{"POST /api/v1/ballots/{id}/void", account.EditElection, s.voidBallot()},
		{"POST /ballots/{id}/acknowledge", account.CoordinateCount, s.ackBallot()},
		{"POST /api/v1/ballots/{id}/acknowledge", account.CoordinateCount, s.ackBallot()},
		{"POST /ballots/{id}/confirm", account.CoordinateCount, s.confirmBallot()},
		{"POST /api/v1/ballots/{id}/confirm", account.CoordinateCount, s.confirmBallot()},
		// The details of a person written in (另选他人) whom a confirmed
		// ballot elected, without which the committee's members wait.
		{"POST /ballots/{id}/written-in", account.CoordinateCount, s.setWrittenIn()},
		{"PUT /api/v1/ballots/{id}/written-in", account.CoordinateCount, s.setWrittenIn()},
		// The 选举结果报告单, 计票汇总 and 当选名单 of a ballot (issue 15, point 7),
		// filed into the archive when the ballot is confirmed; filed again by
		// hand only where that failed.
		{"GET /ballots/{id}/report", account.ViewElection, s.reportPage},
		{"GET /api/v1/ballots/{id}/report", account.ViewElection, s.apiReport},
		{"POST /ballots/{id}/report/archive", account.CoordinateCount, s.fileBallotReport()},
		{"POST /api/v1/ballots/{id}/report/archive", account.CoordinateCount, s.fileBallotReport()},
		{"GET /count-units/{id}/entry", account.EnterCount, s.idPage("没有找到这个计票点", s.entryView)},
		{"GET /api/v1/count-units/{id}/entry", account.EnterCount, s.apiEntry},
		{"POST /count-units/{id}/entry", account.EnterCount, s.saveEntry()},
		{"PUT /api/v1/count-units/{id}/entry", account.EnterCount, s.saveEntry()},
		{"GET /count-units/{id}/differences", account.CoordinateCount, s.idPage("没有找到这个计票点", s.deskView)},
		{"GET /api/v1/count-units/{id}/differences", account.CoordinateCount, s.apiDesk},
		{"POST /count-units/{id}/resolve", account.CoordinateCount, s.resolveCount()},
		{"POST /api/v1/count-units/{id}/resolve", account.CoordinateCount, s.resolveCount()},
		{"POST /count-units/{id}/acknowledge", account.CoordinateCount, s.ackCount()},
		{"POST /api/v1/count-units/{id}/acknowledge", account.CoordinateCount, s.ackCount()},
		{"POST /count-units/{id}/confirm", account.CoordinateCount, s.confirmCount()},
		{"POST /api/v1/count-units/{id}/confirm", account.CoordinateCount, s.confirmCount()},
		{"GET /count-units/{id}/tally", account.EnterCount, s.idPage("没有找到这个计票点", s.tallyView)},
		{"GET /api/v1/count-units/{id}/tally", account.ViewElection, s.apiTally},
		{"POST /count-units/{id}/tally", account.EnterCount, s.readAloud()},
		{"POST /api/v1/count-units/{id}/tally", account.EnterCount, s.readAloud()},
		{"POST /count-units/{id}/tally/undo", account.EnterCount, s.undoTally()},
		{"POST /api/v1/count-units/{id}/tally/undo", account.EnterCount, s.undoTally()},
		{"POST /count-units/{id}/tally/finish", account.EnterCount, s.finishTally()},
		{"POST /api/v1/count-units/{id}/tally/finish", account.EnterCount, s.finishTally()},
		{"GET /count-units/{id}/screen", account.ViewElection, s.screenPage},
		{"GET /counts", account.CoordinateCount, s.countsPage},
		{"GET /api/v1/counts", account.CoordinateCount, s.apiCounts},
		// The formal candidate lists (正式候选人, issue 14 point 7).
		{"GET /communities/{code}/formal", account.ViewSlate, s.formalPage},
		{"GET /api/v1/communities/{code}/formal/{committee}", account.ViewSlate, s.apiFormal},
		{"POST /communities/{code}/formal/{committee}", account.EditSlate, s.setFormal()},
		{"PUT /api/v1/communities/{code}/formal/{committee}", account.EditSlate, s.setFormal()},
		{"POST /communities/{code}/formal/{committee}/withdraw", account.EditSlate, s.withdrawFormal()},
		{"POST /api/v1/communities/{code}/formal/{committee}/withdraw", account.EditSlate, s.withdrawFormal()},
		// The electorate and polling (issue 15, points 1 and 2).
		{"GET /communities/{code}/electorate", account.ViewElection, s.electoratePage},
		{"GET /api/v1/communities/{code}/electorate", account.ViewElection, s.apiElectorate},
		{"GET /api/v1/communities/{code}/voters", account.ViewElection, s.apiVoters},
		{"GET /api/v1/communities/{code}/party-members", account.ViewElection, s.apiPartyMembers},
		{"POST /communities/{code}/election-committee", account.EditElection, s.addCommitteeMember()},
		{"POST /api/v1/communities/{code}/election-committee", account.EditElection, s.addCommitteeMember()},
		{"POST /communities/{code}/election-committee/{id}/leave", account.EditElection, s.leaveCommittee()},
		{"POST /api/v1/communities/{code}/election-committee/{id}/leave", account.EditElection, s.leaveCommittee()},
		{"POST /communities/{code}/electorate/mode", account.EditElection, s.setMode()},
		{"PUT /api/v1/communities/{code}/electorate/mode", account.EditElection, s.setMode()},
		{"POST /communities/{code}/electorate/publish", account.EditElection, s.publishRegister()},
		{"POST /api/v1/communities/{code}/electorate/publish", account.EditElection, s.publishRegister()},
		{"POST /communities/{code}/voters", account.EditElection, s.addVoter()},
		{"POST /api/v1/communities/{code}/voters", account.EditElection, s.addVoter()},
		{"POST /communities/{code}/voters/{id}/remove", account.EditElection, s.removeVoter()},
		{"POST /api/v1/communities/{code}/voters/{id}/remove", account.EditElection, s.removeVoter()},
		{"GET /communities/{code}/voters.xlsx", account.ViewElection, s.votersExport},
		{"GET /communities/{code}/voters/template.xlsx", account.EditElection, s.registerTemplate},
		{"POST /communities/{code}/voters/import", account.EditElection, s.registerImportForm},
		{"POST /api/v1/communities/{code}/voters/import", account.EditElection, apiImport(s.importRegister, func(r *http.Request) string { return registerWhat(registerKind(r)) })},
		{"GET /communities/{code}/party-members/template.xlsx", account.EditElection, s.registerTemplate},
		{"POST /communities/{code}/party-members/import", account.EditElection, s.registerImportForm},
		{"POST /api/v1/communities/{code}/party-members/import", account.EditElection, apiImport(s.importRegister, func(r *http.Request) string { return registerWhat(registerKind(r)) })},
		{"GET /electorate/import/{token}/annotated.xlsx", account.EditElection, s.annotatedDownload("名单-错误标注.xlsx")},
		// The three rounds of visits (issue 16, points 1–4 and 7).
		{"GET /visits", account.ViewVisits, s.visitsPage},
		{"GET /api/v1/visits/campaigns", account.ViewVisits, s.apiCampaigns},
		{"POST /visits/campaigns/{round}", account.ManageVisits, s.setCampaign()},
		{"PUT /api/v1/visits/campaigns/{round}", account.ManageVisits, s.setCampaign()},
		{"POST /visits/activities", account.ManageVisits, s.addResearch()},
		{"POST /api/v1/visits/activities", account.ManageVisits, s.addResearch()},
		{"POST /visits/activities/{id}/findings", account.ManageVisits, s.addFinding()},
		{"POST /api/v1/visits/activities/{id}/findings", account.ManageVisits, s.addFinding()},
		{"GET /visits/coverage", account.ViewVisits, s.coveragePage},
		{"GET /api/v1/coverage", account.ViewVisits, s.apiCoverage},
		{"GET /visits/outbox", account.RecordVisits, s.visitsOutbox},
		{"GET /visits/{id}", account.ViewVisits, s.idPage("没有找到该走访记录", s.visitView)},
		{"GET /api/v1/visits/{id}", account.ViewVisits, s.apiVisit},
		{"POST /api/v1/visits", account.RecordVisits, s.recordVisit()},
		{"GET /communities/{code}/visits", account.ViewVisits, s.communityVisitsPage},
		{"GET /api/v1/communities/{code}/visits", account.ViewVisits, s.apiCommunityVisits},
		{"POST /communities/{code}/visits", account.RecordVisits, s.recordVisit()},
		{"GET /api/v1/communities/{code}/unreached", account.ViewVisits, communityList(roundParam, (*store.Scoped).Unreached)},
		{"GET /api/v1/communities/{code}/talks-owed", account.ViewVisits, communityList(roundParam, (*store.Scoped).TalksOwed)},
		{"GET /api/v1/communities/{code}/households", account.ViewVisits, communityList(nil, func(db *store.Scoped, ctx context.Context, code string, _ visit.Round, limit, offset int) (store.HouseholdPage, error) {
			return db.Households(ctx, code, limit, offset)
		})},
		{"POST /communities/{code}/households", account.EditRegisters, s.addHousehold()},
		{"POST /api/v1/communities/{code}/households", account.EditRegisters, s.addHousehold()},
		{"POST /communities/{code}/households/{id}", account.EditRegisters, s.editHousehold()},
		{"PUT /api/v1/communities/{code}/households/{id}", account.EditRegisters, s.editHousehold()},
		{"POST /communities/{code}/households/{id}/remove", account.EditRegisters, s.removeHousehold()},
		{"DELETE /api/v1/communities/{code}/households/{id}", account.EditRegisters, s.removeHousehold()},
		{"GET /communities/{code}/households.xlsx", account.ViewVisits, s.householdsExport},
		{"GET /communities/{code}/households/template.xlsx", account.EditRegisters, s.visitTemplate},
		{"POST /communities/{code}/households/import", account.EditRegisters, s.visitImportForm},
		{"POST /api/v1/communities/{code}/households/import", account.EditRegisters, apiImport(s.importVisitRegister, func(r *http.Request) string { return visitWhat(visitKind(r)) })},
		{"GET /api/v1/communities/{code}/visit-people", account.ViewVisits, communityList(nil, func(db *store.Scoped, ctx context.Context, code string, _ visit.Round, limit, offset int) (store.PersonPage, error) {
			return db.VisitPeople(ctx, code, limit, offset)
		})},
		{"POST /communities/{code}/visit-people", account.EditRegisters, s.addVisitPerson()},
		{"POST /api/v1/communities/{code}/visit-people", account.EditRegisters, s.addVisitPerson()},
		{"GET /communities/{code}/visit-people/template.xlsx", account.EditRegisters, s.visitTemplate},
		{"POST /communities/{code}/visit-people/import", account.EditRegisters, s.visitImportForm},
		{"POST /api/v1/communities/{code}/visit-people/import", account.EditRegisters, apiImport(s.importVisitRegister, func(r *http.Request) string { return visitWhat(visitKind(r)) })},
		{"GET /visits/import/{token}/annotated.xlsx", account.EditRegisters, s.annotatedDownload("名单-错误标注.xlsx")},
		// The five-year programmes (issue 16, point 6): read by whoever reads the visits.
		{"GET /communities/{code}/programme", account.ViewVisits, s.programmePage},
		{"GET /communities/{code}/programme/print", account.ViewVisits, s.programmePrint},
		{"GET /communities/{code}/programme.xlsx", account.ViewVisits, s.programmeExport},
		{"GET /api/v1/communities/{code}/programme", account.ViewVisits, s.apiProgramme},
		{"POST /communities/{code}/programme", account.EditProgramme, s.saveProgramme()},
		{"PUT /api/v1/communities/{code}/programme", account.EditProgramme, s.saveProgramme()},
		{"POST /communities/{code}/programme/goals", account.EditProgramme, s.addGoal()},
		{"POST /api/v1/communities/{code}/programme/goals", account.EditProgramme, s.addGoal()},
		{"POST /communities/{code}/programme/goals/{id}", account.EditProgramme, s.editGoal()},
		{"PUT /api/v1/communities/{code}/programme/goals/{id}", account.EditProgramme, s.editGoal()},
		{"POST /communities/{code}/programme/goals/{id}/remove", account.EditProgramme, s.removeGoal()},
		{"DELETE /api/v1/communities/{code}/programme/goals/{id}", account.EditProgramme, s.removeGoal()},
		{"POST /communities/{code}/programme/goals/{id}/milestones", account.EditProgramme, s.setMilestone()},
		{"PUT /api/v1/communities/{code}/programme/goals/{id}/milestones", account.EditProgramme, s.setMilestone()},
		{"POST /communities/{code}/programme/proposals/{id}", account.EditProgramme, s.disposeProposal()},
		{"PUT /api/v1/communities/{code}/programme/proposals/{id}", account.EditProgramme, s.disposeProposal()},
		{"POST /communities/{code}/programme/adoption", account.EditProgramme, s.adoptProgramme()},
		{"POST /api/v1/communities/{code}/programme/adoption", account.EditProgramme, s.adoptProgramme()},
		{"POST /communities/{code}/programme/milestones/{id}/progress", account.EditProgramme, s.reportProgress()},
		{"POST /api/v1/communities/{code}/programme/milestones/{id}/progress", account.EditProgramme, s.reportProgress()},

		{"POST /communities/{code}/voter-objections", account.EditElection, s.fileObjection()},
		{"POST /api/v1/communities/{code}/voter-objections", account.EditElection, s.fileObjection()},
		{"POST /communities/{code}/voter-objections/{id}/answer", account.EditElection, s.answerObjection()},
		{"POST /api/v1/communities/{code}/voter-objections/{id}/answer", account.EditElection, s.answerObjection()},
		{"POST /communities/{code}/party-members", account.EditElection, s.addPartyMember()},
		{"POST /api/v1/communities/{code}/party-members", account.EditElection, s.addPartyMember()},
		{"POST /communities/{code}/party-members/{id}", account.EditElection, s.editPartyMember()},
		{"PUT /api/v1/communities/{code}/party-members/{id}", account.EditElection, s.editPartyMember()},
		{"POST /communities/{code}/party-members/{id}/present", account.EditElection, s.markPresent()},
		{"POST /api/v1/communities/{code}/party-members/{id}/present", account.EditElection, s.markPresent()},
		{"POST /communities/{code}/stations", account.EditElection, s.addStation()},
		{"POST /api/v1/communities/{code}/stations", account.EditElection, s.addStation()},
		{"POST /communities/{code}/stations/{id}/staff", account.EditElection, s.addStaff()},
		{"POST /api/v1/communities/{code}/stations/{id}/staff", account.EditElection, s.addStaff()},
		{"POST /communities/{code}/stations/{id}/staff/{staff}/remove", account.EditElection, s.removeStaff()},
		{"POST /api/v1/communities/{code}/stations/{id}/staff/{staff}/remove", account.EditElection, s.removeStaff()},
		{"POST /communities/{code}/candidate-relatives", account.EditElection, s.addRelative()},
		{"POST /api/v1/communities/{code}/candidate-relatives", account.EditElection, s.addRelative()},
		{"GET /communities/{code}/proxies", account.ViewElection, s.proxiesPage},
		{"GET /api/v1/communities/{code}/proxies", account.ViewElection, s.apiProxies},
		{"GET /communities/{code}/proxies.xlsx", account.ViewElection, s.proxiesExport},
		{"POST /communities/{code}/proxies", account.EditElection, s.addProxy()},
		{"POST /api/v1/communities/{code}/proxies", account.EditElection, s.addProxy()},
		// The cycle's election rules: zone-wide settings.
		{"GET /elections/settings", account.ViewElection, s.electionSettingsPage},
		{"GET /api/v1/elections/settings", account.ViewElection, s.apiElectionSettings},
		{"POST /elections/settings", account.ManageProcess, s.saveElectionSettings()},
		{"PUT /api/v1/elections/settings", account.ManageProcess, s.saveElectionSettings()},
		// The results (issue 15, points 7 and 8): who was elected, the
		// officers and their approval, the handover; predicted vs actual; the
		// statistics for higher levels.
		{"GET /communities/{code}/results", account.ViewElection, s.resultsPage},
		{"GET /api/v1/communities/{code}/results", account.ViewElection, s.apiResults},
		{"POST /communities/{code}/results/officers", account.CoordinateCount, s.setOfficers()},
		{"PUT /api/v1/communities/{code}/results/officers", account.CoordinateCount, s.setOfficers()},
		{"POST /communities/{code}/results/approval", account.CoordinateCount, s.approveOfficers()},
		{"PUT /api/v1/communities/{code}/results/approval", account.CoordinateCount, s.approveOfficers()},
		{"POST /communities/{code}/results/handover/{committee}", account.EditElection, s.setHandover()},
		{"PUT /api/v1/communities/{code}/results/handover/{committee}", account.EditElection, s.setHandover()},
		{"GET /results/match", account.ViewSlate, s.matchPage},
		{"GET /api/v1/results/match", account.ViewSlate, s.apiMatch},
		{"GET /results/statistics", account.ViewElection, s.statisticsPage},
		{"GET /api/v1/results/statistics", account.ViewElection, s.apiStatistics},
		{"GET /results/statistics.xlsx", account.ViewElection, s.statisticsExport},
		{"GET /communities/{code}/progress", account.ViewProgress, s.communityProgressPage},
		{"GET /api/v1/communities/{code}/progress", account.ViewProgress, s.apiCommunityProgress},
		{"POST /communities/{code}/progress/{stage}", account.EditProgress, s.markStage},
		{"POST /communities/{code}/progress/{stage}/unmark", account.EditProgress, s.unmarkStage()},
		{"POST /api/v1/communities/{code}/progress/{stage}", account.EditProgress, s.markStage},
		{"DELETE /api/v1/communities/{code}/progress/{stage}", account.EditProgress, s.unmarkStage()},

		{"GET /map", account.ViewProgress, s.mapPage},
		{"GET /api/v1/battle-map.svg", account.ViewProgress, s.apiBattleMap},
		{"POST /map/shapes", account.ManageProcess, s.shapesForm},
		{"PUT /api/v1/map/shapes", account.ManageProcess, s.apiSaveShapes},

		// Ledgers (台账): per community, the daily views, the history of any day.
		// The ledger (台账) of each community: items, daily progress, 销号 and reopening.
		{"GET /communities/{code}/ledger", account.ViewLedger, s.ledgerPage},
		{"GET /communities/{code}/ledger/export", account.ViewLedger, s.ledgerExport},
		{"POST /communities/{code}/ledger", account.EditLedger, s.addLedgerItem()},
		{"POST /ledger-items/{id}/notes", account.EditLedger, s.ledgerNote()},
		{"POST /ledger-items/{id}/start", account.EditLedger, s.ledgerStart()},
		{"POST /ledger-items/{id}/close", account.EditLedger, s.ledgerClose},
		{"POST /ledger-items/{id}/reopen", account.EditLedger, s.ledgerReopen()},
		{"GET /ledger-items/{id}/evidence", account.ViewLedger, s.ledgerEvidence},
		{"GET /api/v1/communities/{code}/ledger", account.ViewLedger, s.apiLedger},
		{"POST /api/v1/ledger-items", account.EditLedger, s.addLedgerItem()},
		{"GET /api/v1/ledger-items/{id}", account.ViewLedger, s.apiLedgerItem},
		{"POST /api/v1/ledger-items/{id}/notes", account.EditLedger, s.ledgerNote()},
		{"POST /api/v1/ledger-items/{id}/start", account.EditLedger, s.ledgerStart()},
		{"POST /api/v1/ledger-items/{id}/close", account.EditLedger, s.ledgerClose},
		{"POST /api/v1/ledger-items/{id}/reopen", account.EditLedger, s.ledgerReopen()},

		// The daily views of the user's scope (日调度、日分析、日销号), the history, the scope's export.
		{"GET /ledger/today", account.ViewLedger, s.ledgerTodayPage},
		{"GET /api/v1/ledger/daily", account.ViewLedger, s.apiLedgerDaily},
		{"GET /ledger/on", account.ViewLedger, s.ledgerOnPage},
		{"GET /api/v1/ledger/on", account.ViewLedger, s.apiLedgerOn},
		{"GET /ledger/export", account.ViewLedger, s.ledgerScopeExport},

		// The archive (归档): streamed uploads by SHA-256, audited downloads, the zip for the archives.
		{"GET /communities/{code}/archive", account.ViewArchive, s.archivePage},
		{"POST /communities/{code}/archive", account.UploadArchive, s.uploadArchiveFiles},
		{"GET /communities/{code}/archive.zip", account.ViewArchive, s.archiveExport},
		{"GET /archive/{sha256}", account.ViewArchive, s.archiveDownload},
		{"GET /api/v1/communities/{code}/archive", account.ViewArchive, s.apiArchive},
		{"POST /api/v1/communities/{code}/archive", account.UploadArchive, s.uploadArchiveFiles},
		{"GET /api/v1/archive/{sha256}", account.ViewArchive, s.archiveDownload},

		// The daily meeting (工作例会): the agenda generated from the data, decisions into the ledgers.
		{"GET /meetings", account.ViewMeetings, s.dailyMeetingsPage},
		{"POST /meetings", account.RunMeetings, s.openMeeting},
		{"GET /meetings/{id}", account.ViewMeetings, s.idPage("没有找到该例会", s.meetingAgain)},
		{"POST /meetings/{id}/record", account.RunMeetings, s.recordMeeting()},
		{"POST /meetings/{id}/decisions", account.RunMeetings, s.meetingDecision()},
		{"GET /api/v1/meetings", account.ViewMeetings, s.apiDailyMeetings},
		{"POST /api/v1/meetings", account.RunMeetings, s.openMeeting},
		{"GET /api/v1/meetings/{id}", account.ViewMeetings, s.apiDailyMeeting},
		{"POST /api/v1/meetings/{id}/record", account.RunMeetings, s.recordMeeting()},
		{"POST /api/v1/meetings/{id}/decisions", account.RunMeetings, s.meetingDecision()},

		// One search box: people, units and documents in scope, by Chinese name, pinyin or initials.
		// Every role that sees the org tree; a department's reviewer lists only its queue.
		{"GET /search", account.ViewOrgs, s.searchPage},
		{"GET /api/v1/search", account.ViewOrgs, s.apiSearch},

		// Audit.
		{"GET /audit", account.ViewAudit, s.auditPage},
		{"GET /api/v1/audit", account.ViewAudit, s.apiAudit},
	}
}

var (
	errNotFound        = errs.New(errs.NotFound, "页面不存在")
	errForbiddenOrigin = errs.New(errs.Forbidden, "跨站请求被拒绝,请从本系统页面提交")
	errSignIn          = errs.New(errs.Unauthorized, "请先登录")
	errNoPermission    = errs.New(errs.Forbidden, "您没有权限进行此操作")
)

// guard authenticates the request and checks the route's permission before
// the handler runs. Routes without a permission are public.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if rt.perm != "" {
			if u.ID == 0 {
				s.fail(w, r, errSignIn)
				return
			}
			if s.mustChangeFirst(w, r, u, rt.pattern) { // user_care_handlers.go
				return
			}
			if !u.Can(rt.perm) {
				s.fail(w, r, errNoPermission)
				return
			}
		}
		if err := s.checkInput(w, r, rt.pattern, rt.perm == ""); err != nil { // input.go
			s.fail(w, r, err)
			return
		}
		db := s.st.For(u)
		if u.ID != 0 {
			if db = inChosenCycle(r, db); db.Earlier() {
				reading, _ := db.Cycle(r.Context())
				r = r.WithContext(context.WithValue(r.Context(), readingKey{}, reading))
			}
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		if err := rt.handle(w, r, db); err != nil {
			s.fail(w, r, err)
		}
	})
}

// authenticate finds the user of a bearer token or a session cookie. No
// credentials give the zero User; bad ones an Unauthorized error, except a
// stale cookie, which counts as none so that the login page still opens.
func (s *Server) authenticate(r *http.Request) (account.User, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return account.User{}, errs.New(errs.Unauthorized, "请求头中的接口令牌格式不对")
		}
		return s.st.TokenUser(ctx, strings.TrimSpace(secret))
	}
	c, err := r.Cookie(account.SessionCookie)
	if err != nil || c.Value == "" {
		return account.User{}, nil
	}
	u, err := s.st.SessionUser(ctx, c.Value)
	if errs.Is(err, errs.Unauthorized) {
		return account.User{}, nil
	}
	return u, err
}

func sessionSecret(r *http.Request) string {
	if c, err := r.Cookie(account.SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

type userKey struct{}

// userOf is the signed-in user of a guarded request, for the page layout.
func userOf(r *http.Request) account.User {
	u, _ := r.Context().Value(userKey{}).(account.User)
	return u
}
