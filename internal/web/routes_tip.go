package web

import (
	"maps"

	"github.com/huanjie/huanjie/internal/account"
)

// tipRoutes are the routes of this feature while it is being built; they
// move into routeTable (routes.go) when it is done: public tips (举报),
// their triage, discipline cases and the publicity and warning-education log.
func (s *Server) tipRoutes() []route {
	return []route{
		// Public: no sign-in, rate limited, nothing about the reporter kept.
		{"GET /tip", "", s.tipPage},
		{"POST /tip", "", s.tipSubmitForm},
		{"GET /tip/status", "", s.tipStatusPage},
		{"POST /api/v1/tips", "", s.apiSubmitTip},
		{"GET /api/v1/tips/{receipt}", "", s.apiTipStatus},

		// Triage.
		{"GET /tips", account.TriageTips, s.tipsPage},
		{"GET /api/v1/tips", account.TriageTips, s.apiTips},
		{"GET /tips/{id}", account.TriageTips, s.tipDetailPage},
		{"GET /api/v1/tips/{id}/detail", account.TriageTips, s.apiTipDetail},
		{"POST /tips/{id}/triage", account.TriageTips, s.tipTriageForm},
		{"POST /api/v1/tips/{id}/triage", account.TriageTips, s.apiTriageTip},
		{"POST /tips/{id}/contact", account.TriageTips, s.tipContactForm},
		{"POST /api/v1/tips/{id}/contact", account.TriageTips, s.apiTipContact},
		{"GET /tips/{id}/files/{file}", account.TriageTips, s.tipFileDownload},

		// Cases.
		{"GET /cases", account.ManageCases, s.casesPage},
		{"POST /cases", account.ManageCases, s.addCaseForm},
		{"GET /cases/{id}", account.ManageCases, s.casePage},
		{"POST /cases/{id}/status", account.ManageCases, s.caseStatusForm},
		{"POST /cases/{id}/outcome", account.ManageCases, s.caseOutcomeForm},
		{"GET /api/v1/cases", account.ManageCases, s.apiCases},
		{"POST /api/v1/cases", account.ManageCases, s.apiAddCase},
		{"GET /api/v1/cases/{id}", account.ManageCases, s.apiCase},
		{"POST /api/v1/cases/{id}/status", account.ManageCases, s.apiCaseStatus},
		{"POST /api/v1/cases/{id}/outcome", account.ManageCases, s.apiCaseOutcome},

		// Publicity and warning education.
		{"GET /discipline", account.LogActivities, s.activitiesPage},
		{"POST /discipline", account.LogActivities, s.addActivityForm},
		{"GET /api/v1/activities", account.LogActivities, s.apiActivities},
		{"POST /api/v1/activities", account.LogActivities, s.apiAddActivity},
	}
}

func init() {
	maps.Copy(actionLabels, map[string]string{
		"tip.add": "收到举报", "tip.triage": "处理举报", "tip.contact": "查看举报人联系方式",
		"case.add": "立案", "case.status": "案件进度", "case.outcome": "案件处理结果",
		"activity.add": "登记宣传教育活动",
	})
	maps.Copy(pageTitles, map[string]string{
		"tip": "换届纪律举报", "tip_receipt": "举报已提交", "tip_status": "举报办理进度查询",
		"tips": "群众举报", "tip_detail": "举报", "cases": "换届纪律案件", "case": "案件", "discipline": "宣传和警示教育",
	})
}
