package web

import (
	"cmp"
	"context"
	"html/template"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// electionCountdown is one election in the reader's communities: its first
// and last day and the days left to the first.
type electionCountdown struct {
	store.ElectionSpan
	Label    string `json:"label"`
	DaysLeft int    `json:"days_left"`
	Default  bool   `json:"default"` // the cycle has no days of its own: communities without theirs use the defaults
}

// daysBetween counts the days from a to b (negative when b is before a).
func daysBetween(a, b civil.Date) int { return int(b.Start().Sub(a.Start()).Hours() / 24) }

// todayView answers "what do I do today" on the home page: the numbers of
// the reader's scope that ask for work, each with the list behind it. A
// figure the reader's role may not see is left out, not shown as zero.
type todayView struct {
	Today     civil.Date
	Figures   []todayFigure
	Elections []electionCountdown // the two elections in the reader's communities
	Meetings  bool                // the reader holds daily meetings
	Meeting   int64               // today's meeting of the reader's unit, 0 before it is opened

	ClassChart  template.HTML // the communities by class, each bar a link to its list
	ReviewChart template.HTML // the joint review's share answered, day by day
	Review      reviewProgressJSON
}

// reviewProgressJSON is the joint review's progress by day, the chart's figures.
type reviewProgressJSON struct {
	Total int             `json:"total"`
	Days  []reviewDayJSON `json:"days"`
}

type reviewDayJSON struct {
	Day      civil.Date `json:"day"`
	Answered int        `json:"answered"`
}

// reviewDays is how many days the home page's review chart shows.
const reviewDays = 10

// todayFigure is one number of the panel and the page that lists it.
type todayFigure struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value int    `json:"value"`
	Href  string `json:"href"`
	Alert bool   `json:"alert"` // the number asks for action (overdue, red)
}

func (s *Server) today(ctx context.Context, db *store.Scoped, cycle org.Cycle) (todayView, error) {
	v := todayView{Today: s.st.Today()}
	add := func(key, label string, n int, href string, alert bool) {
		v.Figures = append(v.Figures, todayFigure{key, label, n, href, alert && n > 0})
	}
	if db.Can(account.ViewClasses) {
		counts, err := db.ClassCounts(ctx)
		if err != nil {
			return v, err
		}
		add("class_a", "A类社区", counts[assess.A], "/classes?class=A", false)
		add("class_b", "B类社区(黄色预警)", counts[assess.B], "/classes?class=B", true)
		add("class_c", "C类社区(红色预警)", counts[assess.C], "/classes?class=C", true)
		var rows []barRow
		for i, c := range []assess.Class{assess.A, assess.B, assess.C, assess.Unassessed} {
			values := make([]int, len(classSeries))
			values[i] = counts[c]
			rows = append(rows, barRow{Label: classSeries[i].Label, Href: "/classes?class=" + cmp.Or(string(c), "-"), Values: values})
		}
		v.ClassChart = stackedBars("各类社区数量", classSeries, rows)
		// Counted, a page of one row read.
		_, changes, err := db.ClassChanges(ctx, civil.DayStart(s.st.Now()).AddDate(0, 0, -1), store.Page{Limit: 1})
		if err != nil {
			return v, err
		}
		add("changes", "昨日以来类别变化", changes, "/warnings/changes", true)
		_, measures, err := db.OpenMeasures(ctx, store.MeasureFilter{OverdueOn: v.Today, Page: store.Page{Limit: 1}})
		if err != nil {
			return v, err
		}
		add("measures_overdue", "逾期未完成的方案措施", measures, "/warnings/overdue", true) // all due before today
	}
	if db.Can(account.ViewLedger) {
		items, err := db.DueAndOverdue(ctx, v.Today)
		if err != nil {
			return v, err
		}
		due, late := 0, 0
		for _, it := range items {
			switch {
			case it.ID == 0: // a plan measure, counted above
			case it.Due < v.Today:
				late++
			default:
				due++
			}
		}
		add("ledger_due", "今日到期的台账事项", due, "/ledger/today", false)
		add("ledger_overdue", "逾期的台账事项", late, "/ledger/today", true)
	}
	if db.Can(account.ManageReview) {
		departments, err := db.ReviewOpen(ctx)
		if err != nil {
			return v, err
		}
		late := 0
		for _, d := range departments {
			late += d.Overdue
		}
		add("review_overdue", "逾期未答复的联审任务", late, "/review/overdue", true)
		total, days, err := db.ReviewProgress(ctx, reviewDays)
		if err != nil {
			return v, err
		}
		if total > 0 {
			v.Review.Total = total
			labels, done := make([]string, len(days)), make([]int, len(days))
			for i, d := range days {
				v.Review.Days = append(v.Review.Days, reviewDayJSON{d.Day, d.Answered})
				labels[i], done[i] = string(d.Day)[5:], d.Answered
			}
			v.ReviewChart = dayShares("联审任务答复进度(截至每日)", total, labels, done)
		}
	}
	if db.Can(account.DecideAspirants) {
		n, err := db.CountAspirants(ctx, store.AspirantFilter{Status: vetting.Reviewed})
		if err != nil {
			return v, err
		}
		add("to_decide", "联审完成、待二次审核的参选人", n, "/second-review", true)
	}
	if db.Can(account.TriageTips) {
		_, n, err := db.Tips(ctx, store.TipFilter{Status: vetting.TipReceived, Limit: 1})
		if err != nil {
			return v, err
		}
		add("tips_new", "待核查的举报", n, "/tips?status="+string(vetting.TipReceived), true)
	}
	if db.Can(account.ManageCases) {
		open := 0
		for _, st := range []vetting.CaseStatus{vetting.CaseAccepted, vetting.CaseInvestigating, vetting.CaseHandling} {
			_, n, err := db.Cases(ctx, store.CaseFilter{Status: st, Limit: 1})
			if err != nil {
				return v, err
			}
			open += n
		}
		add("cases_open", "未办结的案件", open, "/cases", false)
	}
	if db.Can(account.RunMeetings) {
		var err error
		if v.Meeting, err = db.MeetingOn(ctx, v.Today); err != nil {
			return v, err
		}
		v.Meetings = true
	}
	if db.Can(account.ViewProgress) {
		spans, err := db.ElectionSpans(ctx)
		if err != nil {
			return v, err
		}
		unset := !cycle.ElectionDay.Valid()
		for _, sp := range spans {
			v.Elections = append(v.Elections, electionCountdown{ElectionSpan: sp, Label: sp.Election.Label(),
				DaysLeft: daysBetween(v.Today, sp.First), Default: unset && sp.Unset > 0})
		}
	}
	return v, nil
}
