package web_test

import "github.com/huanjie/huanjie/internal/account"

// reviewExpected is who may use this feature's routes, merged into expected
// while the feature is being built: the office runs the joint review, a
// department's reviewer answers its own queue (an admin cannot answer for a
// department).
var reviewExpected = map[string][]account.Role{
	"GET /review":                                     {account.Admin},
	"POST /review/rounds":                             {account.Admin},
	"GET /api/v1/review-rounds":                       {account.Admin},
	"POST /api/v1/review-rounds":                      {account.Admin},
	"GET /review/departments":                         {account.Admin},
	"POST /review/departments/{code}":                 {account.Admin},
	"GET /api/v1/review/departments":                  {account.Admin},
	"PUT /api/v1/review/departments/{code}":           {account.Admin},
	"GET /review/overdue":                             {account.Admin},
	"GET /api/v1/review-requests/overdue":             {account.Admin},
	"GET /review/misses":                              {account.Admin},
	"GET /api/v1/review/misses":                       {account.Admin},
	"GET /review/queue":                               {account.Reviewer},
	"GET /api/v1/review-requests":                     {account.Reviewer},
	"GET /review/requests/{id}":                       {account.Reviewer},
	"GET /api/v1/review-requests/{id}":                {account.Reviewer},
	"POST /review/requests/{id}/answer":               {account.Reviewer},
	"POST /api/v1/review-requests/{id}/answer":        {account.Reviewer},
	"GET /review/queue.xlsx":                          {account.Reviewer},
	"GET /review/queue/import":                        {account.Reviewer},
	"POST /review/queue/import":                       {account.Reviewer},
	"GET /review/queue/import/{token}/annotated.xlsx": {account.Reviewer},
	"POST /api/v1/review-requests/import":             {account.Reviewer},
}
