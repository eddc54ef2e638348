package web

import (
	"maps"

	"github.com/huanjie/huanjie/internal/account"
)

// aspirantRoutes are the routes of this feature while it is being built;
// they move into routeTable (routes.go) when it is done.
func (s *Server) aspirantRoutes() []route {
	return []route{
		{"GET /aspirants", account.ViewAspirants, s.aspirantsPage},
		{"POST /aspirants", account.RegisterAspirants, s.addAspirantForm},
		{"GET /aspirants/{id}", account.ViewAspirants, s.aspirantPage},
		{"GET /aspirants/{id}/print", account.ViewAspirants, s.aspirantPrintPage},
		{"POST /aspirants/{id}/reveal", account.RevealPersonal, s.revealForm},
		{"GET /api/v1/aspirants", account.ViewAspirants, s.apiAspirants},
		{"POST /api/v1/aspirants", account.RegisterAspirants, s.apiAddAspirant},
		{"GET /api/v1/aspirants/{id}", account.ViewAspirants, s.apiAspirant},
		{"POST /api/v1/aspirants/{id}/reveal", account.RevealPersonal, s.apiReveal},

		{"GET /second-review", account.DecideAspirants, s.meetingsPage},
		{"POST /second-review/meetings", account.DecideAspirants, s.addMeetingForm},
		{"GET /second-review/meetings/{id}", account.DecideAspirants, s.meetingPage},
		{"POST /second-review/meetings/{id}/decisions", account.DecideAspirants, s.decideForm},
		{"GET /api/v1/review-meetings", account.DecideAspirants, s.apiMeetings},
		{"POST /api/v1/review-meetings", account.DecideAspirants, s.apiAddMeeting},
		{"GET /api/v1/review-meetings/{id}", account.DecideAspirants, s.apiMeeting},
		{"POST /api/v1/review-meetings/{id}/decisions", account.DecideAspirants, s.apiDecide},

		{"GET /vetting/stats", account.ViewVetting, s.vettingStatsPage},
		{"GET /api/v1/vetting/stats", account.ViewVetting, s.apiVettingStats},
	}
}

func init() {
	maps.Copy(actionLabels, map[string]string{
		"aspirant.add": "登记参选人", "aspirant.import": "批量登记参选人", "aspirant.status": "参选人状态变更",
		"personal.reveal": "查看完整个人信息", "review.meeting": "二次审核会议", "review.decide": "二次审核决定",
	})
	maps.Copy(pageTitles, map[string]string{
		"aspirants": "自荐参选人", "second_review": "二次审核", "vetting_stats": "资格审查统计",
	})
}
