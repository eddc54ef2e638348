package web_test

import "github.com/huanjie/huanjie/internal/account"

var (
	triagers       = []account.Role{account.Admin, account.Discipline}
	caseHandlers   = []account.Role{account.Discipline, account.Police}
	activityLogger = []account.Role{account.Admin, account.Discipline}
)

// tipExpected is who may use this feature's routes, merged into expected
// while the feature is being built. The public routes are in public.
var tipExpected = map[string][]account.Role{
	"GET /tip":                        nil,
	"POST /tip":                       nil,
	"GET /tip/status":                 nil,
	"POST /api/v1/tips":               nil,
	"GET /api/v1/tips/{receipt}":      nil,
	"GET /tips":                       triagers,
	"GET /api/v1/tips":                triagers,
	"GET /tips/{id}":                  triagers,
	"GET /api/v1/tips/{id}/detail":    triagers,
	"POST /tips/{id}/triage":          triagers,
	"POST /api/v1/tips/{id}/triage":   triagers,
	"POST /tips/{id}/contact":         triagers,
	"POST /api/v1/tips/{id}/contact":  triagers,
	"GET /tips/{id}/files/{file}":     triagers,
	"GET /cases":                      caseHandlers,
	"POST /cases":                     caseHandlers,
	"GET /cases/{id}":                 caseHandlers,
	"POST /cases/{id}/status":         caseHandlers,
	"POST /cases/{id}/outcome":        caseHandlers,
	"GET /api/v1/cases":               caseHandlers,
	"POST /api/v1/cases":              caseHandlers,
	"GET /api/v1/cases/{id}":          caseHandlers,
	"POST /api/v1/cases/{id}/status":  caseHandlers,
	"POST /api/v1/cases/{id}/outcome": caseHandlers,
	"GET /discipline":                 activityLogger,
	"POST /discipline":                activityLogger,
	"GET /api/v1/activities":          activityLogger,
	"POST /api/v1/activities":         activityLogger,
}
