package web_test

import "github.com/huanjie/huanjie/internal/account"

var (
	aspirantViewers = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Discipline,
		account.Police, account.Committee}
	registrars = []account.Role{account.Admin, account.District, account.Community}
	revealers  = []account.Role{account.Admin, account.Discipline, account.Police}
	deciders   = []account.Role{account.Admin, account.Committee}
	statsView  = []account.Role{account.Admin, account.Leader, account.District, account.Discipline, account.Committee}
)

// aspirantExpected is who may use the aspirant, second-review and
// statistics routes, merged into expected while the gates are being built.
var aspirantExpected = map[string][]account.Role{
	"GET /aspirants":                              aspirantViewers,
	"POST /aspirants":                             registrars,
	"GET /aspirants/{id}":                         aspirantViewers,
	"GET /aspirants/{id}/print":                   aspirantViewers,
	"POST /aspirants/{id}/reveal":                 revealers,
	"GET /api/v1/aspirants":                       aspirantViewers,
	"POST /api/v1/aspirants":                      registrars,
	"GET /api/v1/aspirants/{id}":                  aspirantViewers,
	"POST /api/v1/aspirants/{id}/reveal":          revealers,
	"GET /second-review":                          deciders,
	"POST /second-review/meetings":                deciders,
	"GET /second-review/meetings/{id}":            deciders,
	"POST /second-review/meetings/{id}/decisions": deciders,
	"GET /api/v1/review-meetings":                 deciders,
	"POST /api/v1/review-meetings":                deciders,
	"GET /api/v1/review-meetings/{id}":            deciders,
	"POST /api/v1/review-meetings/{id}/decisions": deciders,
	"GET /vetting/stats":                          statsView,
	"GET /api/v1/vetting/stats":                   statsView,
}
