package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/account"
)

// expected is written independently of the route table: who may use each
// route. "public" routes need no sign-in; "all" means every role.
var expected = map[string][]account.Role{
	"GET /login":                       nil,
	"POST /login":                      nil,
	"POST /api/v1/login":               nil,
	"POST /logout":                     all,
	"POST /api/v1/logout":              all,
	"GET /api/v1/me":                   all,
	"GET /account":                     all,
	"POST /account/password":           all,
	"POST /api/v1/account/password":    all,
	"POST /account/tokens":             all,
	"POST /account/tokens/{id}/revoke": all,
	"GET /api/v1/tokens":               all,
	"POST /api/v1/tokens":              all,
	"DELETE /api/v1/tokens/{id}":       all,
	"GET /{$}":                         all,
	"GET /api/v1/home":                 orgViewers,
	"GET /orgs/{code}":                 orgViewers,
	"GET /api/v1/orgs":                 orgViewers,
	"GET /api/v1/orgs/{code}":          orgViewers,
	"POST /orgs":                       {account.Admin},
	"POST /api/v1/orgs":                {account.Admin},
	"GET /users":                       {account.Admin},
	"GET /users.xlsx":                  {account.Admin},
	"POST /users":                      {account.Admin},
	"GET /api/v1/users":                {account.Admin},
	"POST /api/v1/users":               {account.Admin},
	"GET /audit":                       {account.Admin},
	"GET /search":                      orgViewers,
	"GET /api/v1/search":               orgViewers,

	// Account care on one account's page.
	"GET /users/{username}":                        {account.Admin},
	"POST /users/{username}/disable":               {account.Admin},
	"POST /users/{username}/enable":                {account.Admin},
	"POST /users/{username}/reset-password":        {account.Admin},
	"POST /users/{username}/unlock":                {account.Admin},
	"POST /users/{username}/update":                {account.Admin},
	"GET /api/v1/users/{username}":                 {account.Admin},
	"PUT /api/v1/users/{username}":                 {account.Admin},
	"POST /api/v1/users/{username}/disable":        {account.Admin},
	"POST /api/v1/users/{username}/enable":         {account.Admin},
	"POST /api/v1/users/{username}/reset-password": {account.Admin},
	"POST /api/v1/users/{username}/unlock":         {account.Admin},

	"GET /api/v1/orgs/{code}/assignments":         orgViewers,
	"POST /api/v1/orgs/{code}/assignments":        {account.Admin},
	"DELETE /api/v1/assignments/{id}":             {account.Admin},
	"POST /orgs/{code}/assignments":               {account.Admin},
	"POST /assignments/{id}/remove":               {account.Admin},
	"GET /classes":                                viewers,
	"GET /api/v1/classes":                         viewers,
	"GET /api/v1/classes/districts":               viewers,
	"GET /api/v1/communities":                     viewers,
	"GET /communities/{code}/assessment":          viewers,
	"GET /api/v1/communities/{code}/assessment":   viewers,
	"POST /communities/{code}/assessments":        {account.Admin, account.District},
	"POST /api/v1/communities/{code}/assessments": {account.Admin, account.District},
	"POST /communities/{code}/override":           {account.Admin},
	"POST /api/v1/communities/{code}/override":    {account.Admin},
	"GET /warnings":                               viewers,
	"GET /api/v1/warnings":                        viewers,
	"GET /warnings/{section}":                     viewers,
	"GET /api/v1/warnings/{section}":              viewers,
	"GET /api/v1/plans/shortfall":                 viewers,
	"GET /api/v1/measures/overdue":                viewers,
	"GET /communities/{code}/plans":               viewers,
	"GET /api/v1/communities/{code}/plans":        viewers,
	"POST /communities/{code}/plans":              planners,
	"POST /api/v1/communities/{code}/plans":       planners,
	"POST /plans/{id}/measures":                   planners,
	"POST /api/v1/plans/{id}/measures":            planners,
	"POST /measures/{id}/done":                    planners,
	"POST /api/v1/measures/{id}/done":             planners,
	"GET /classes/template.xlsx":                  {account.Admin, account.District},
	"GET /classes/export.xlsx":                    viewers,
	"GET /classes/import":                         {account.Admin, account.District},
	"POST /classes/import":                        {account.Admin, account.District},
	"GET /classes/import/{token}/annotated.xlsx":  {account.Admin, account.District},
	"POST /api/v1/assess/import":                  {account.Admin, account.District},
	"POST /api/v1/assessments/{id}/attachments":   {account.Admin, account.District},
	"GET /attachments/{sha256}":                   viewers,
	"GET /classes/rules":                          {account.Admin},
	"POST /classes/rules":                         {account.Admin},
	"POST /classes/rubric":                        {account.Admin},
	"GET /api/v1/assess/rules":                    viewers,
	"PUT /api/v1/assess/rules":                    {account.Admin},
	"PUT /api/v1/assess/rubric":                   {account.Admin},
	"GET /api/v1/audit":                           {account.Admin},

	"GET /meetings":                        meetingViewers,
	"POST /meetings":                       {account.Admin},
	"GET /meetings/{id}":                   meetingViewers,
	"POST /meetings/{id}/record":           {account.Admin},
	"POST /meetings/{id}/decisions":        {account.Admin},
	"GET /api/v1/meetings":                 meetingViewers,
	"POST /api/v1/meetings":                {account.Admin},
	"GET /api/v1/meetings/{id}":            meetingViewers,
	"POST /api/v1/meetings/{id}/record":    {account.Admin},
	"POST /api/v1/meetings/{id}/decisions": {account.Admin},

	"GET /teams":           progressViewers,
	"POST /teams":          processManagers,
	"GET /api/v1/teams":    progressViewers,
	"POST /api/v1/teams":   processManagers,
	"GET /progress":        progressViewers,
	"GET /progress.xlsx":   progressViewers,
	"GET /api/v1/progress": progressViewers,
	"GET /progress/stages": progressViewers,
	"GET /calendar":        progressViewers,
	"GET /api/v1/calendar": progressViewers,
	"GET /calendar/{code}": progressViewers,
	"GET /api/v1/communities/{code}/election-days":           progressViewers,
	"POST /calendar/days":                                    processManagers,
	"PUT /api/v1/election-days":                              processManagers,
	"POST /calendar/cycle-days":                              processManagers,
	"PUT /api/v1/cycles/current/days":                        processManagers,
	"GET /cycles":                                            progressViewers,
	"GET /api/v1/cycles":                                     progressViewers,
	"POST /cycles":                                           processManagers,
	"POST /api/v1/cycles":                                    processManagers,
	"POST /cycles/{code}/current":                            processManagers,
	"POST /api/v1/cycles/{code}/current":                     processManagers,
	"POST /cycles/read":                                      progressViewers,
	"GET /communities/{code}/seats":                          slateViewers,
	"GET /api/v1/communities/{code}/seats":                   slateViewers,
	"POST /communities/{code}/seats/{committee}":             slateEditors,
	"PUT /api/v1/communities/{code}/seats/{committee}":       slateEditors,
	"GET /communities/{code}/board":                          slateViewers,
	"GET /communities/{code}/board.xlsx":                     slateViewers,
	"GET /api/v1/communities/{code}/board":                   slateViewers,
	"GET /targets.xlsx":                                      slateViewers,
	"GET /targets":                                           slateViewers,
	"GET /api/v1/targets":                                    slateViewers,
	"GET /targets/settings":                                  slateViewers,
	"GET /api/v1/targets/settings":                           slateViewers,
	"POST /targets/settings":                                 processManagers,
	"PUT /api/v1/targets/settings":                           processManagers,
	"POST /targets/margins":                                  processManagers,
	"PUT /api/v1/targets/margins":                            processManagers,
	"POST /progress/stages":                                  processManagers,
	"GET /api/v1/progress/stages":                            progressViewers,
	"PUT /api/v1/progress/stages":                            processManagers,
	"GET /communities/{code}/progress":                       progressViewers,
	"GET /api/v1/communities/{code}/progress":                progressViewers,
	"POST /communities/{code}/progress/{stage}":              progressEditors,
	"POST /communities/{code}/progress/{stage}/unmark":       progressEditors,
	"POST /api/v1/communities/{code}/progress/{stage}":       progressEditors,
	"DELETE /api/v1/communities/{code}/progress/{stage}":     progressEditors,
	"GET /communities/{code}/recommendations":                slateViewers,
	"GET /api/v1/communities/{code}/recommendations":         slateViewers,
	"POST /communities/{code}/recommendations":               slateEditors,
	"PUT /api/v1/communities/{code}/recommendations":         slateEditors,
	"GET /communities/{code}/recommendations/template.xlsx":  slateEditors,
	"POST /communities/{code}/recommendations/import":        slateEditors,
	"POST /api/v1/communities/{code}/recommendations/import": slateEditors,
	"GET /recommendations/import/{token}/annotated.xlsx":     slateEditors,
	"GET /communities/{code}/slate":                          slateViewers,
	"GET /api/v1/slates/{code}":                              slateViewers,
	"POST /communities/{code}/slate":                         slateEditors,
	"PUT /api/v1/slates/{code}":                              slateEditors,
	"GET /communities/{code}/reserve":                        slateViewers,
	"GET /api/v1/communities/{code}/reserve":                 slateViewers,
	"POST /communities/{code}/reserve":                       slateEditors,
	"POST /api/v1/communities/{code}/reserve":                slateEditors,
	"POST /communities/{code}/reserve/{id}":                  slateEditors,
	"PUT /api/v1/communities/{code}/reserve/{id}":            slateEditors,
	"POST /communities/{code}/reserve/{id}/remove":           slateEditors,
	"DELETE /api/v1/communities/{code}/reserve/{id}":         slateEditors,

	// The outcome check (issue 15, point 6).
	"GET /elections/outcome-check":  electionViewers,
	"POST /elections/outcome-check": electionViewers,
	"POST /api/v1/outcome-check":    electionViewers,
	// Counting (issue 15, points 3 and 4).
	"GET /communities/{code}/ballots":                     electionViewers,
	"GET /api/v1/communities/{code}/ballots":              electionViewers,
	"POST /communities/{code}/ballots/{committee}":        electionEditors,
	"POST /api/v1/communities/{code}/ballots/{committee}": electionEditors,
	"GET /ballots/{id}":                                   electionViewers,
	"GET /api/v1/ballots/{id}":                            electionViewers,
	"POST /ballots/{id}/units":                            electionEditors,
	"POST /api/v1/ballots/{id}/units":                     electionEditors,
	"POST /ballots/{id}/void":                             electionEditors,
	"POST /api/v1/ballots/{id}/void":                      electionEditors,
	"POST /ballots/{id}/written-in":                       countCoordinators,
	"PUT /api/v1/ballots/{id}/written-in":                 countCoordinators,
	"POST /ballots/{id}/acknowledge":                      countCoordinators,
	"POST /api/v1/ballots/{id}/acknowledge":               countCoordinators,
	"POST /ballots/{id}/confirm":                          countCoordinators,
	"POST /api/v1/ballots/{id}/confirm":                   countCoordinators,
	"GET /ballots/{id}/report":                            electionViewers,
	"GET /api/v1/ballots/{id}/report":                     electionViewers,
	"POST /ballots/{id}/report/archive":                   countCoordinators,
	"POST /api/v1/ballots/{id}/report/archive":            countCoordinators,
	"GET /count-units/{id}/entry":                         countClerks,
	"GET /api/v1/count-units/{id}/entry":                  countClerks,
	"POST /count-units/{id}/entry":                        countClerks,
	"PUT /api/v1/count-units/{id}/entry":                  countClerks,
	"GET /count-units/{id}/differences":                   countCoordinators,
	"GET /api/v1/count-units/{id}/differences":            countCoordinators,
	"POST /count-units/{id}/resolve":                      countCoordinators,
	"POST /api/v1/count-units/{id}/resolve":               countCoordinators,
	"POST /count-units/{id}/acknowledge":                  countCoordinators,
	"POST /api/v1/count-units/{id}/acknowledge":           countCoordinators,
	"POST /count-units/{id}/confirm":                      countCoordinators,
	"POST /api/v1/count-units/{id}/confirm":               countCoordinators,
	"GET /count-units/{id}/tally":                         countClerks,
	"GET /api/v1/count-units/{id}/tally":                  electionViewers,
	"POST /count-units/{id}/tally":                        countClerks,
	"POST /api/v1/count-units/{id}/tally":                 countClerks,
	"POST /count-units/{id}/tally/undo":                   countClerks,
	"POST /api/v1/count-units/{id}/tally/undo":            countClerks,
	"POST /count-units/{id}/tally/finish":                 countClerks,
	"POST /api/v1/count-units/{id}/tally/finish":          countClerks,
	"GET /count-units/{id}/screen":                        electionViewers,
	"GET /counts":                                         countCoordinators,
	"GET /api/v1/counts":                                  countCoordinators,
	// The formal candidate lists (issue 14, point 7).
	"GET /communities/{code}/formal":                              slateViewers,
	"GET /api/v1/communities/{code}/formal/{committee}":           slateViewers,
	"POST /communities/{code}/formal/{committee}":                 slateEditors,
	"PUT /api/v1/communities/{code}/formal/{committee}":           slateEditors,
	"POST /communities/{code}/formal/{committee}/withdraw":        slateEditors,
	"POST /api/v1/communities/{code}/formal/{committee}/withdraw": slateEditors,

	// The three rounds of visits (issue 16).
	"GET /visits":                                         visitViewers,
	"GET /api/v1/visits/campaigns":                        visitViewers,
	"POST /visits/campaigns/{round}":                      {account.Admin},
	"PUT /api/v1/visits/campaigns/{round}":                {account.Admin},
	"POST /visits/activities":                             {account.Admin},
	"POST /api/v1/visits/activities":                      {account.Admin},
	"POST /visits/activities/{id}/findings":               {account.Admin},
	"POST /api/v1/visits/activities/{id}/findings":        {account.Admin},
	"GET /visits/coverage":                                visitViewers,
	"GET /api/v1/coverage":                                visitViewers,
	"GET /visits/outbox":                                  visitRecorders,
	"GET /visits/{id}":                                    visitViewers,
	"GET /api/v1/visits/{id}":                             visitViewers,
	"POST /api/v1/visits":                                 visitRecorders,
	"GET /communities/{code}/visits":                      visitViewers,
	"GET /api/v1/communities/{code}/visits":               visitViewers,
	"POST /communities/{code}/visits":                     visitRecorders,
	"GET /api/v1/communities/{code}/unreached":            visitViewers,
	"GET /api/v1/communities/{code}/talks-owed":           visitViewers,
	"GET /api/v1/communities/{code}/households":           visitViewers,
	"POST /communities/{code}/households":                 visitRecorders,
	"POST /api/v1/communities/{code}/households":          visitRecorders,
	"POST /communities/{code}/households/{id}":            visitRecorders,
	"PUT /api/v1/communities/{code}/households/{id}":      visitRecorders,
	"POST /communities/{code}/households/{id}/remove":     visitRecorders,
	"DELETE /api/v1/communities/{code}/households/{id}":   visitRecorders,
	"GET /communities/{code}/households.xlsx":             visitViewers,
	"GET /communities/{code}/households/template.xlsx":    visitRecorders,
	"POST /communities/{code}/households/import":          visitRecorders,
	"POST /api/v1/communities/{code}/households/import":   visitRecorders,
	"GET /api/v1/communities/{code}/visit-people":         visitViewers,
	"POST /communities/{code}/visit-people":               visitRecorders,
	"POST /api/v1/communities/{code}/visit-people":        visitRecorders,
	"GET /communities/{code}/visit-people/template.xlsx":  visitRecorders,
	"POST /communities/{code}/visit-people/import":        visitRecorders,
	"POST /api/v1/communities/{code}/visit-people/import": visitRecorders,
	"GET /visits/import/{token}/annotated.xlsx":           visitRecorders,

	// The electorate and polling (issue 15, points 1 and 2).
	"GET /communities/{code}/electorate":                                 electionViewers,
	"GET /api/v1/communities/{code}/electorate":                          electionViewers,
	"GET /api/v1/communities/{code}/voters":                              electionViewers,
	"GET /api/v1/communities/{code}/party-members":                       electionViewers,
	"POST /communities/{code}/election-committee":                        electionEditors,
	"POST /api/v1/communities/{code}/election-committee":                 electionEditors,
	"POST /communities/{code}/election-committee/{id}/leave":             electionEditors,
	"POST /api/v1/communities/{code}/election-committee/{id}/leave":      electionEditors,
	"POST /communities/{code}/electorate/mode":                           electionEditors,
	"PUT /api/v1/communities/{code}/electorate/mode":                     electionEditors,
	"POST /communities/{code}/electorate/publish":                        electionEditors,
	"POST /api/v1/communities/{code}/electorate/publish":                 electionEditors,
	"POST /communities/{code}/voters":                                    electionEditors,
	"POST /api/v1/communities/{code}/voters":                             electionEditors,
	"POST /communities/{code}/voters/{id}/remove":                        electionEditors,
	"POST /api/v1/communities/{code}/voters/{id}/remove":                 electionEditors,
	"GET /communities/{code}/voters.xlsx":                                electionViewers,
	"GET /communities/{code}/voters/template.xlsx":                       electionEditors,
	"POST /communities/{code}/voters/import":                             electionEditors,
	"POST /api/v1/communities/{code}/voters/import":                      electionEditors,
	"GET /communities/{code}/party-members/template.xlsx":                electionEditors,
	"POST /communities/{code}/party-members/import":                      electionEditors,
	"POST /api/v1/communities/{code}/party-members/import":               electionEditors,
	"GET /electorate/import/{token}/annotated.xlsx":                      electionEditors,
	"POST /communities/{code}/voter-objections":                          electionEditors,
	"POST /api/v1/communities/{code}/voter-objections":                   electionEditors,
	"POST /communities/{code}/voter-objections/{id}/answer":              electionEditors,
	"POST /api/v1/communities/{code}/voter-objections/{id}/answer":       electionEditors,
	"POST /communities/{code}/party-members":                             electionEditors,
	"POST /api/v1/communities/{code}/party-members":                      electionEditors,
	"POST /communities/{code}/party-members/{id}":                        electionEditors,
	"PUT /api/v1/communities/{code}/party-members/{id}":                  electionEditors,
	"POST /communities/{code}/party-members/{id}/present":                electionEditors,
	"POST /api/v1/communities/{code}/party-members/{id}/present":         electionEditors,
	"POST /communities/{code}/stations":                                  electionEditors,
	"POST /api/v1/communities/{code}/stations":                           electionEditors,
	"POST /communities/{code}/stations/{id}/staff":                       electionEditors,
	"POST /api/v1/communities/{code}/stations/{id}/staff":                electionEditors,
	"POST /communities/{code}/stations/{id}/staff/{staff}/remove":        electionEditors,
	"POST /api/v1/communities/{code}/stations/{id}/staff/{staff}/remove": electionEditors,
	"POST /communities/{code}/candidate-relatives":                       electionEditors,
	"POST /api/v1/communities/{code}/candidate-relatives":                electionEditors,
	"GET /communities/{code}/proxies":                                    electionViewers,
	"GET /api/v1/communities/{code}/proxies":                             electionViewers,
	"GET /communities/{code}/proxies.xlsx":                               electionViewers,
	"POST /communities/{code}/proxies":                                   electionEditors,
	"POST /api/v1/communities/{code}/proxies":                            electionEditors,
	"GET /elections/settings":                                            electionViewers,
	"GET /api/v1/elections/settings":                                     electionViewers,
	"POST /elections/settings":                                           processManagers,
	"PUT /api/v1/elections/settings":                                     processManagers,

	"GET /map":                   progressViewers,
	"GET /api/v1/battle-map.svg": progressViewers,
	"POST /map/shapes":           processManagers,
	"PUT /api/v1/map/shapes":     processManagers,

	"GET /communities/{code}/ledger":        ledgerViewers,
	"GET /communities/{code}/ledger/export": ledgerViewers,
	"POST /communities/{code}/ledger":       ledgerEditors,
	"POST /ledger-items/{id}/notes":         ledgerEditors,
	"POST /ledger-items/{id}/start":         ledgerEditors,
	"POST /ledger-items/{id}/close":         ledgerEditors,
	"POST /ledger-items/{id}/reopen":        ledgerEditors,
	"GET /ledger-items/{id}/evidence":       ledgerViewers,
	"GET /api/v1/communities/{code}/ledger": ledgerViewers,
	"POST /api/v1/ledger-items":             ledgerEditors,
	"GET /api/v1/ledger-items/{id}":         ledgerViewers,
	"POST /api/v1/ledger-items/{id}/notes":  ledgerEditors,
	"POST /api/v1/ledger-items/{id}/start":  ledgerEditors,
	"POST /api/v1/ledger-items/{id}/close":  ledgerEditors,
	"POST /api/v1/ledger-items/{id}/reopen": ledgerEditors,
	"GET /ledger/today":                     ledgerViewers,
	"GET /api/v1/ledger/daily":              ledgerViewers,
	"GET /ledger/on":                        ledgerViewers,
	"GET /api/v1/ledger/on":                 ledgerViewers,
	"GET /ledger/export":                    ledgerViewers,

	"GET /communities/{code}/archive":         {account.Admin, account.Leader, account.District, account.Community},
	"POST /communities/{code}/archive":        {account.Admin, account.District, account.Community},
	"GET /communities/{code}/archive.zip":     {account.Admin, account.Leader, account.District, account.Community},
	"GET /archive/{sha256}":                   {account.Admin, account.Leader, account.District, account.Community},
	"GET /api/v1/communities/{code}/archive":  {account.Admin, account.Leader, account.District, account.Community},
	"POST /api/v1/communities/{code}/archive": {account.Admin, account.District, account.Community},
	"GET /api/v1/archive/{sha256}":            {account.Admin, account.Leader, account.District, account.Community},

	"GET /aspirants":                              aspirantViewers,
	"GET /aspirants.xlsx":                         aspirantViewers,
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
	"GET /second-review/decisions.xlsx":           deciders,
	"POST /second-review/meetings/{id}/decisions": deciders,
	"GET /api/v1/review-meetings":                 deciders,
	"POST /api/v1/review-meetings":                deciders,
	"GET /api/v1/review-meetings/{id}":            deciders,
	"POST /api/v1/review-meetings/{id}/decisions": deciders,
	"GET /vetting/stats":                          statsView,
	"GET /api/v1/vetting/stats":                   statsView,

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

	"GET /tip":                        nil,
	"POST /tip":                       nil,
	"GET /tip/status":                 nil,
	"POST /api/v1/tips":               nil,
	"GET /api/v1/tips/{receipt}":      nil,
	"GET /tips":                       triagers,
	"GET /tips.xlsx":                  triagers,
	"GET /api/v1/tips":                triagers,
	"GET /tips/{id}":                  triagers,
	"GET /api/v1/tips/{id}/detail":    triagers,
	"POST /tips/{id}/triage":          triagers,
	"POST /api/v1/tips/{id}/triage":   triagers,
	"POST /tips/{id}/contact":         triagers,
	"POST /api/v1/tips/{id}/contact":  triagers,
	"GET /tips/{id}/files/{file}":     triagers,
	"GET /cases":                      caseViewers,
	"GET /cases.xlsx":                 caseViewers,
	"POST /cases":                     caseHandlers,
	"GET /cases/{id}":                 caseViewers,
	"POST /cases/{id}/status":         caseHandlers,
	"POST /cases/{id}/outcome":        caseHandlers,
	"GET /api/v1/cases":               caseViewers,
	"POST /api/v1/cases":              caseHandlers,
	"GET /api/v1/cases/{id}":          caseViewers,
	"POST /api/v1/cases/{id}/status":  caseHandlers,
	"POST /api/v1/cases/{id}/outcome": caseHandlers,
	"GET /discipline":                 activityLogger,
	"POST /discipline":                activityLogger,
	"GET /api/v1/activities":          activityLogger,
	"POST /api/v1/activities":         activityLogger,

	// Candidate assessment and the 预备人选 (issue 14, point 4).
	"GET /communities/{code}/candidates":                 slateViewers,
	"GET /api/v1/communities/{code}/candidates":          slateViewers,
	"POST /communities/{code}/candidates/team":           slateEditors,
	"PUT /api/v1/communities/{code}/candidates/team":     slateEditors,
	"GET /candidates/{id}":                               slateViewers,
	"GET /api/v1/candidates/{id}":                        slateViewers,
	"POST /candidates/{id}/assessment":                   slateEditors,
	"PUT /api/v1/candidates/{id}/assessment":             slateEditors,
	"POST /candidates/{id}/decision":                     slateDeciders,
	"PUT /api/v1/candidates/{id}/decision":               slateDeciders,
	"POST /candidates/{id}/higher":                       slateEditors,
	"PUT /api/v1/candidates/{id}/higher":                 slateEditors,
	"POST /candidates/{id}/notice":                       slateEditors,
	"PUT /api/v1/candidates/{id}/notice":                 slateEditors,
	"POST /candidates/{id}/objections":                   slateEditors,
	"POST /api/v1/candidates/{id}/objections":            slateEditors,
	"POST /candidates/{id}/objections/{objection}":       slateEditors,
	"PUT /api/v1/candidates/{id}/objections/{objection}": slateEditors,

	// The five-year programmes (issue 16, point 6).
	"GET /communities/{code}/programme":                                  visitViewers,
	"GET /communities/{code}/programme/print":                            visitViewers,
	"GET /communities/{code}/programme.xlsx":                             visitViewers,
	"GET /api/v1/communities/{code}/programme":                           visitViewers,
	"POST /communities/{code}/programme":                                 visitRecorders,
	"PUT /api/v1/communities/{code}/programme":                           visitRecorders,
	"POST /communities/{code}/programme/goals":                           visitRecorders,
	"POST /api/v1/communities/{code}/programme/goals":                    visitRecorders,
	"POST /communities/{code}/programme/goals/{id}":                      visitRecorders,
	"PUT /api/v1/communities/{code}/programme/goals/{id}":                visitRecorders,
	"POST /communities/{code}/programme/goals/{id}/remove":               visitRecorders,
	"DELETE /api/v1/communities/{code}/programme/goals/{id}":             visitRecorders,
	"POST /communities/{code}/programme/goals/{id}/milestones":           visitRecorders,
	"PUT /api/v1/communities/{code}/programme/goals/{id}/milestones":     visitRecorders,
	"POST /communities/{code}/programme/proposals/{id}":                  visitRecorders,
	"PUT /api/v1/communities/{code}/programme/proposals/{id}":            visitRecorders,
	"POST /communities/{code}/programme/adoption":                        visitRecorders,
	"POST /api/v1/communities/{code}/programme/adoption":                 visitRecorders,
	"POST /communities/{code}/programme/milestones/{id}/progress":        visitRecorders,
	"POST /api/v1/communities/{code}/programme/milestones/{id}/progress": visitRecorders,

	// The results (issue 15, points 7 and 8).
	"GET /communities/{code}/results":                             electionViewers,
	"GET /api/v1/communities/{code}/results":                      electionViewers,
	"POST /communities/{code}/results/officers":                   countCoordinators,
	"PUT /api/v1/communities/{code}/results/officers":             countCoordinators,
	"POST /communities/{code}/results/approval":                   countCoordinators,
	"PUT /api/v1/communities/{code}/results/approval":             countCoordinators,
	"POST /communities/{code}/results/handover/{committee}":       electionEditors,
	"PUT /api/v1/communities/{code}/results/handover/{committee}": electionEditors,
	"GET /results/match":                                          slateViewers,
	"GET /api/v1/results/match":                                   slateViewers,
	"GET /results/statistics":                                     electionViewers,
	"GET /api/v1/results/statistics":                              electionViewers,
	"GET /results/statistics.xlsx":                                electionViewers,
}

var (
	all        = account.Roles
	orgViewers = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Discipline,
		account.Police, account.Committee} // not the departments: they see only what is sent to them
	viewers         = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Discipline, account.Committee}
	planners        = []account.Role{account.Admin, account.District, account.Community}
	progressViewers = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Committee}
	progressEditors = []account.Role{account.Admin, account.District, account.Community}
	processManagers = []account.Role{account.Admin}
	slateViewers    = []account.Role{account.Admin, account.Leader, account.District, account.Committee}
	slateEditors    = []account.Role{account.Admin, account.District}
	slateDeciders   = []account.Role{account.Admin, account.Committee}
	// The elections (issue 15).
	electionViewers   = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Committee}
	electionEditors   = []account.Role{account.Admin, account.District, account.Community}
	visitViewers      = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Committee}
	visitRecorders    = []account.Role{account.Admin, account.District, account.Community}
	countClerks       = []account.Role{account.Admin, account.District, account.Community}
	countCoordinators = []account.Role{account.Admin, account.District}
	ledgerViewers     = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Committee}
	ledgerEditors     = []account.Role{account.Admin, account.District, account.Community}
	meetingViewers    = []account.Role{account.Admin, account.Leader, account.District, account.Committee}
	aspirantViewers   = []account.Role{account.Admin, account.Leader, account.District, account.Community, account.Discipline,
		account.Police, account.Committee}
	registrars     = []account.Role{account.Admin, account.District, account.Community}
	revealers      = []account.Role{account.Admin, account.Discipline, account.Police}
	deciders       = []account.Role{account.Admin, account.Committee}
	statsView      = []account.Role{account.Admin, account.Leader, account.District, account.Discipline, account.Committee}
	triagers       = []account.Role{account.Admin, account.Discipline, account.Police}
	caseHandlers   = []account.Role{account.Discipline, account.Police}
	caseViewers    = []account.Role{account.Admin, account.Leader, account.Discipline, account.Police, account.Committee}
	activityLogger = []account.Role{account.Admin, account.Discipline}
)

var public = map[string]bool{"GET /login": true, "POST /login": true, "POST /api/v1/login": true,
	"GET /tip": true, "POST /tip": true, "GET /tip/status": true, "POST /api/v1/tips": true, "GET /api/v1/tips/{receipt}": true}

// TestEveryRouteForEveryRole walks the whole route table with each role's
// credentials and anonymously, and checks the allow or deny the table above
// expects. A route added without an entry here fails the test.
func TestEveryRouteForEveryRole(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		tokens := map[account.Role]string{}
		for role, username := range demoRoles {
			tokens[role] = s.token(username)
		}
		usernames := func(w string) bool { _, ok := s.accounts[w]; return ok }
		var patterns []string
		for _, r := range s.srv.Routes() {
			patterns = append(patterns, r.Pattern)
			if _, ok := expected[r.Pattern]; !ok {
				t.Errorf("route %q has no expectation in this test", r.Pattern)
			}
		}
		for p := range expected {
			if !slices.Contains(patterns, p) {
				t.Errorf("expected route %q is not served", p)
			}
		}
		for _, pattern := range patterns {
			method, path, _ := strings.Cut(pattern, " ")
			path = strings.NewReplacer("{$}", "", "{code}", "QS-01-001", "{id}", "999999").Replace(path)
			api := strings.HasPrefix(path, "/api/")
			var body any
			if method != "GET" {
				if api {
					body = map[string]any{}
				} else {
					body = ""
				}
			}
			// Anonymous.
			res, raw := s.call(nil, method, path, body, nil)
			switch {
			case public[pattern]:
				// Open to all; an empty login is answered 401, never 403.
				if res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusSeeOther {
					t.Errorf("anonymous %s: %d, want it open", pattern, res.StatusCode)
				}
			case api:
				if res.StatusCode != http.StatusUnauthorized {
					t.Errorf("anonymous %s: %d %s, want 401", pattern, res.StatusCode, raw)
				}
			default:
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
					t.Errorf("anonymous %s: %d to %q, want a redirect to /login", pattern, res.StatusCode, res.Header.Get("Location"))
				}
			}
			if public[pattern] {
				continue
			}
			// The values the path names, which an answer may repeat ("账号“{username}”不存在").
			params := map[string]bool{}
			for i, seg := range strings.Split(strings.TrimPrefix(pattern, method+" "), "/") {
				if strings.HasPrefix(seg, "{") {
					for _, w := range latinWords(strings.Split(path, "/")[i]) {
						params[w] = true
					}
				}
			}
			own := func(w string) bool { return usernames(w) || params[w] }
			for _, role := range account.Roles {
				res, raw := s.call(nil, method, path, body, map[string]string{"Authorization": "Bearer " + tokens[role]})
				allowed := slices.Contains(expected[pattern], role)
				denied := res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized
				if allowed && denied {
					t.Errorf("%s as %s: %d %s, want allowed", pattern, role, res.StatusCode, raw)
				}
				if !allowed && res.StatusCode != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", pattern, role, res.StatusCode)
				}
				// What the answer shows, its errors above all, is in Chinese (visible_text_test.go).
				if w := latinIn(shownText(res.StatusCode, res.Header.Get("Content-Type"), raw), own); w != nil {
					t.Errorf("%s as %s answers %d showing Latin letters %q: %s", pattern, role, res.StatusCode, w, clip(string(raw), 300))
				}
			}
		}
	})
}

// Scope is applied inside the queries: a community account sees its own
// community and nothing else, whichever way it asks.
func TestScopeLimitsWhatAUserSees(t *testing.T) {
	t.Parallel()
	plainDemo.each(t, func(t *testing.T, s *site) {
		var orgs struct {
			Items []struct{ Code, Kind string } `json:"items"`
		}
		s.getJSON(s.login("admin"), "/api/v1/orgs", &orgs)
		kinds := map[string]int{}
		for _, o := range orgs.Items {
			kinds[o.Kind]++
		}
		if kinds["zone"] != 1 || kinds["district"] != 4 || kinds["community"] != 32 {
			t.Fatalf("admin sees %v, want 1 zone, 4 districts, 32 communities", kinds)
		}

		c := s.login("community1")
		s.getJSON(c, "/api/v1/orgs", &orgs)
		if len(orgs.Items) != 1 || orgs.Items[0].Code != "QS-01-001" {
			t.Fatalf("community account sees %+v, want only QS-01-001", orgs.Items)
		}
		res, body := s.call(c, "GET", "/api/v1/orgs/QS-02-001", nil, nil)
		wantError(t, res, body, http.StatusNotFound, "not_found")
		res, _ = s.call(c, "GET", "/orgs/QS-01", nil, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("community account opening its district: %d, want 404", res.StatusCode)
		}

		d := s.login("district1")
		s.getJSON(d, "/api/v1/orgs?kind=community", &orgs)
		if len(orgs.Items) != 8 {
			t.Fatalf("district account sees %d communities, want 8", len(orgs.Items))
		}
		for _, o := range orgs.Items {
			if !strings.HasPrefix(o.Code, "QS-01-") {
				t.Fatalf("district account sees %s outside its district", o.Code)
			}
		}
	})
}
