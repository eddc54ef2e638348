package web

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/jba/templatecheck"
)

// page is the data a page template receives, with its body's own type, so
// that the template is checked against the fields and methods it uses.
type page[V any] struct {
	layout
	Body V // the page's own data, as render hands it over
}

// pageData is the body type of every page: each template is type-checked
// against it (a misspelt or removed field fails here, not in front of a user).
var pageData = map[string]any{
	"account": page[accountView]{}, "archive": page[archiveView]{}, "aspirant": page[aspirantView]{},
	"aspirant_print": page[aspirantView]{}, "aspirants": page[aspirantsView]{}, "assessment": page[assessmentView]{},
	"audit": page[auditView]{}, "case": page[caseView]{}, "cases": page[casesView]{}, "classes": page[classesView]{},
	"daily_meeting": page[dailyMeetingView]{}, "daily_meetings": page[meetingsListView]{}, "discipline": page[activitiesView]{},
	"error": page[errorView]{}, "home": page[homeView]{}, "import": page[importView]{}, "ledger": page[ledgerView]{},
	"ledger_on": page[onView]{}, "ledger_today": page[dailyView]{}, "login": page[loginView]{}, "map": page[mapView]{},
	"meeting": page[meetingView]{}, "org": page[orgView]{}, "plans": page[plansView]{}, "progress": page[progressView]{},
	"progress_community": page[communityProgressView]{}, "calendar": page[calendarView]{}, "calendar_community": page[communityCalendarView]{}, "cycles": page[cyclesView]{}, "seats": page[seatsView]{}, "target_settings": page[targetSettingsView]{}, "targets": page[targetsView]{}, "board": page[boardView]{}, "recommendations": page[recommendationsView]{},
	"candidates": page[candidatesView]{}, "candidate": page[candidateView]{},
	"slate": page[slateView]{}, "reserve": page[reserveView]{}, "formal": page[formalView]{}, "outcome_check": page[outcomeCheckView]{},
	"electorate": page[electorateView]{}, "proxies": page[proxiesView]{}, "election_settings": page[electionSettingsView]{},
	"ballots": page[ballotsView]{}, "ballot": page[ballotView]{}, "ballot_report": page[reportView]{}, "count_entry": page[entryView]{}, "count_desk": page[deskView]{},
	"tally": page[tallyView]{}, "tally_screen": page[screenView]{}, "counts": page[countsView]{},
	"visits": page[visitsView]{}, "coverage": page[coverageView]{}, "community_visits": page[communityVisitsView]{}, "visit": page[visitView]{},
	"visits_outbox": page[struct{}]{}, // the queue is the phone's (IndexedDB): the page reads nothing of the server
	"programme":     page[programmeView]{}, "programme_print": page[programmeView]{},
	"results": page[resultsView]{}, "results_match": page[matchView]{}, "results_statistics": page[statisticsView]{},
	"progress_stages": page[stagesView]{}, "review": page[reviewView]{},
	"review_departments": page[reviewDepartmentsView]{}, "review_import": page[reviewImportView]{},
	"review_misses": page[reviewMissesView]{}, "review_overdue": page[reviewOverdueView]{}, "review_queue": page[reviewQueueView]{},
	"review_request": page[reviewRequestView]{}, "rules": page[rulesView]{}, "search": page[searchView]{},
	"second_review": page[meetingsView]{}, "teams": page[teamsView]{}, "tip": page[tipForm]{}, "tip_detail": page[tipView]{},
	"tip_receipt": page[tipReceipt]{}, "tip_status": page[tipStatusView]{}, "tips": page[tipsView]{}, "user": page[userView]{},
	"users": page[usersView]{}, "vetting_stats": page[vetting.Stats]{}, "warnings": page[warningsView]{},
}

func TestTemplatesTypeCheck(t *testing.T) {
	t.Parallel()
	p, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for name, tmpl := range p.byName {
		data, ok := pageData[name]
		if !ok {
			t.Errorf("page %s: no body type in pageData", name)
			continue
		}
		if err := templatecheck.CheckHTML(tmpl, data); err != nil {
			t.Errorf("page %s: %v", name, strings.ReplaceAll(err.Error(), "\n", "; "))
		}
	}
	for name := range pageData {
		if _, ok := p.byName[name]; !ok {
			t.Errorf("pageData names %s, which is no page", name)
		}
	}
}
