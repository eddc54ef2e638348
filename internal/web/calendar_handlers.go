package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// The election calendar (选举日安排): each community's two election days,
// set per community or for a whole district at once, and the cycle's days
// for communities without their own. Deadlines and ages count from them.

const calendarPageSize = 100

type calendarView struct {
	Cycle     org.Cycle
	Days      progress.Days // of a community without its own
	Rows      []store.CalendarRow
	Districts []store.DistrictClasses
	District  string
	Pager     pager
	CanEdit   bool // may set communities' days
	CanZone   bool // may set the cycle's days
}

func (v calendarView) Title() string { return "选举日安排" }

func (s *Server) calendarView(ctx context.Context, db *store.Scoped, district string, page int) (calendarView, error) {
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return calendarView{}, err
	}
	v := calendarView{Cycle: cycle, District: district, CanEdit: db.Can(account.ManageProcess),
		CanZone: db.Can(account.ManageProcess) && db.ZoneWide()}
	if v.Days, err = db.ProgressDays(ctx); err != nil {
		return v, err
	}
	if v.Districts, err = db.ClassCountsByDistrict(ctx, 300); err != nil {
		return v, err
	}
	f := store.CommunityFilter{District: district}
	total, err := db.CountCommunities(ctx, f)
	if err != nil {
		return v, err
	}
	v.Pager = newPager(page, total, calendarPageSize)
	f.Limit, f.Offset = calendarPageSize, (v.Pager.Page-1)*calendarPageSize
	if v.Rows, err = db.Calendar(ctx, f); err != nil {
		return v, err
	}
	v.Pager = v.Pager.Of(url.Values{"district": {district}}, "个社区")
	return v, nil
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.calendarView(r.Context(), db, r.URL.Query().Get("district"), pageParam(r))
	if err != nil {
		return err
	}
	s.render(w, r, "calendar", http.StatusOK, v)
	return nil
}

// apiCalendar answers GET /api/v1/calendar?district=&limit=&offset=: the
// cycle's days and a page of communities with their own days (empty where
// none) and the days their deadlines count from.
func (s *Server) apiCalendar(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	q := r.URL.Query()
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	f := store.CommunityFilter{District: q.Get("district")}
	total, err := db.CountCommunities(ctx, f)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = limit, offset
	rows, err := db.Calendar(ctx, f)
	if err != nil {
		return err
	}
	days, err := db.ProgressDays(ctx)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(rows))
	for i, r := range rows {
		items[i] = calendarJSON(r)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cycle_days": days, "items": items, "total": total, "limit": limit, "offset": offset})
	return nil
}

func calendarJSON(r store.CalendarRow) map[string]any {
	return map[string]any{"code": r.Code, "name": r.Name, "district": r.DistrictCode, "own_days": r.Own, "days": r.Days}
}

// communityCalendarView is one community's days and the deadlines they give.
type communityCalendarView struct {
	Row   store.CalendarRow
	Cells []progressCell
	// CanEdit: may change the days.
	CanEdit bool
}

func (v communityCalendarView) Title() string { return v.Row.Name + " · 选举日" }

func (s *Server) communityCalendarView(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return "", nil, err
	}
	days, err := db.CommunityDays(ctx, code)
	if err != nil {
		return "", nil, err
	}
	row, _, err := communityRow(ctx, db, code)
	if err != nil {
		return "", nil, err
	}
	return "calendar_community", communityCalendarView{Row: days, Cells: pc.row(row).Cells, CanEdit: db.Can(account.ManageProcess)}, nil
}

func (s *Server) communityCalendarPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.communityCalendarView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiCommunityCalendar(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, v, err := s.communityCalendarView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	cv := v.(communityCalendarView)
	out := calendarJSON(cv.Row)
	deadlines := make([]map[string]any, len(cv.Cells))
	for i, c := range cv.Cells {
		deadlines[i] = map[string]any{"stage": c.Stage, "name": c.StageName, "deadline": c.Deadline, "state": c.State}
	}
	out["deadlines"] = deadlines
	writeJSON(w, http.StatusOK, out)
	return nil
}

// daysInput sets the election days of a community or of every community of
// a district (unit), or of the cycle when unit is empty on the cycle's route.
type daysInput struct {
	Unit      string     `json:"unit"`
	Party     civil.Date `json:"party_day"`
	Residents civil.Date `json:"residents_day"`
}

func (in daysInput) days() progress.Days {
	return progress.Days{Party: in.Party, Residents: in.Residents}
}

// daysSet is what setting election days answers.
type daysSet struct {
	Unit        string        `json:"unit"`
	Community   bool          `json:"community"` // the unit is one community
	Days        progress.Days `json:"days"`
	Communities int           `json:"communities"` // how many communities now hold these days
}

func (s *Server) setElectionDays() handlerFunc {
	return act(s, action[daysInput]{
		run: func(ctx context.Context, db *store.Scoped, in daysInput) (any, error) {
			unit, n, err := writeTwo(ctx, db, func(tx *store.Tx) (org.Unit, int, error) { return tx.SetElectionDays(ctx, in.Unit, in.days()) })
			return daysSet{unit.Code, unit.Kind == org.Community, in.days(), n}, err
		},
		next: func(in daysInput, out any) string {
			if set, _ := out.(daysSet); set.Community {
				return "/calendar/" + url.PathEscape(set.Unit)
			}
			return "/calendar?district=" + url.QueryEscape(in.Unit)
		},
		notice: "选举日已设定,相关期限和年龄已按新日期计算。",
		page: func(ctx context.Context, db *store.Scoped, in daysInput) (string, any, error) {
			if u, err := db.OrgByCode(ctx, in.Unit); err == nil && u.Kind == org.Community {
				return s.communityCalendarView(ctx, db, in.Unit)
			}
			v, err := s.calendarView(ctx, db, "", 1)
			return "calendar", v, err
		},
	})
}

func (s *Server) setCycleDays() handlerFunc {
	return act(s, action[daysInput]{
		run: func(ctx context.Context, db *store.Scoped, in daysInput) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.SetCycleDays(ctx, in.days()) })
			return map[string]any{"days": in.days()}, err
		},
		next:   func(daysInput, any) string { return "/calendar" },
		notice: "本届默认选举日已设定。",
		page: func(ctx context.Context, db *store.Scoped, in daysInput) (string, any, error) {
			v, err := s.calendarView(ctx, db, "", 1)
			return "calendar", v, err
		},
	})
}
