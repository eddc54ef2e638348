package web

import (
	"maps"

	"github.com/huanjie/huanjie/internal/account"
)

// reviewRoutes are the routes of this feature while it is being built; they
// move into routeTable (routes.go) when it is done. The office (ManageReview)
// runs rounds and departments and reads the overdue and miss reports; a
// department's reviewer (AnswerReview) sees and answers only its own queue.
func (s *Server) reviewRoutes() []route {
	return []route{
		// The office.
		{"GET /review", account.ManageReview, s.reviewPage},
		{"POST /review/rounds", account.ManageReview, s.startRoundForm},
		{"GET /api/v1/review-rounds", account.ManageReview, s.apiReviewRounds},
		{"POST /api/v1/review-rounds", account.ManageReview, s.apiStartRound},
		{"GET /review/departments", account.ManageReview, s.reviewDepartmentsPage},
		{"POST /review/departments/{code}", account.ManageReview, s.checklistForm},
		{"GET /api/v1/review/departments", account.ManageReview, s.apiReviewDepartments},
		{"PUT /api/v1/review/departments/{code}", account.ManageReview, s.apiSetChecklist},
		{"GET /review/overdue", account.ManageReview, s.reviewOverduePage},
		{"GET /api/v1/review-requests/overdue", account.ManageReview, s.apiReviewOverdue},
		{"GET /review/misses", account.ManageReview, s.reviewMissesPage},
		{"GET /api/v1/review/misses", account.ManageReview, s.apiReviewMisses},

		// A department's reviewer.
		{"GET /review/queue", account.AnswerReview, s.reviewQueuePage},
		{"GET /api/v1/review-requests", account.AnswerReview, s.apiReviewQueue},
		{"GET /review/requests/{id}", account.AnswerReview, s.reviewRequestPage},
		{"GET /api/v1/review-requests/{id}", account.AnswerReview, s.apiReviewRequest},
		{"POST /review/requests/{id}/answer", account.AnswerReview, s.answerForm},
		{"POST /api/v1/review-requests/{id}/answer", account.AnswerReview, s.apiAnswer},
		{"GET /review/queue.xlsx", account.AnswerReview, s.reviewQueueExport},
		{"GET /review/queue/import", account.AnswerReview, s.reviewImportPage},
		{"POST /review/queue/import", account.AnswerReview, s.reviewImportForm},
		{"GET /review/queue/import/{token}/annotated.xlsx", account.AnswerReview, s.reviewAnnotatedDownload},
		{"POST /api/v1/review-requests/import", account.AnswerReview, s.apiReviewImport},
	}
}

func init() {
	maps.Copy(actionLabels, map[string]string{
		"review.checklist": "修改联审部门审查清单", "review.round": "发起联审",
		"review.queue.view": "查看联审任务(完整身份证号)", "review.answer": "答复联审",
		"review.import": "批量导入联审答复", "export.review_queue": "导出联审任务",
	})
	maps.Copy(pageTitles, map[string]string{
		"review": "联审", "review_departments": "联审部门与审查清单", "review_queue": "联审任务",
		"review_request": "联审任务", "review_import": "Excel 批量答复联审", "review_overdue": "联审逾期未答复",
		"review_misses": "联审漏查比对",
	})
}
