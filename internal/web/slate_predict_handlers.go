package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The predicted slate (预判人选) and the reserve list (人选储备), issue 14
// point 5: per community, committee and post the predicted persons with
// their age at the committee's election day, the 一肩挑 plan and the history
// of changes; the reserve list of promising people.

// slateRow is one seat of a post on the page: its form row picks[N].
type slateRow struct {
	N         int
	Seat      int // 1, 2, … on the post
	Committee org.Committee
	Post      vetting.Post
	Person    *store.PredictedPerson // nil: nobody predicted
}

// PersonID is the predicted person's aspirant id, 0 for none.
func (r slateRow) PersonID() int64 {
	if r.Person == nil {
		return 0
	}
	return r.Person.AspirantID
}

// SourceIs reports whether the predicted person came by source.
func (r slateRow) SourceIs(source slate.Origin) bool {
	return r.Person != nil && r.Person.Source == source
}

// Notes are the predicted person's notes.
func (r slateRow) Notes() string {
	if r.Person == nil {
		return ""
	}
	return r.Person.Notes
}

// Field is the name of the row's field f in the form.
func (r slateRow) Field(f string) string { return fmt.Sprintf("picks[%d].%s", r.N, f) }

type slatePost struct {
	Post    vetting.Post            `json:"post"`
	Label   string                  `json:"label"`
	Seats   int                     `json:"seats"` // 0 when the committee's seats are not set
	Persons []store.PredictedPerson `json:"persons"`
	Rows    []slateRow              `json:"-"`
}

// slateChoice is an aspirant the office may pick on a committee.
type slateChoice struct {
	ID       int64
	Label    string
	Eligible bool
}

type slateCommittee struct {
	Committee   org.Committee `json:"committee"`
	Label       string        `json:"label"`
	ElectionDay civil.Date    `json:"election_day"`
	SeatsSet    bool          `json:"seats_set"`
	Posts       []slatePost   `json:"posts"`
	Choices     []slateChoice `json:"-"`
}

type slateView struct {
	Code, Name string
	Dual       bool
	Committees []slateCommittee
	Warnings   []string
	History    []store.SlateChange
	CanEdit    bool
}

func (v slateView) Title() string { return v.Name + " · 预判人选" }

// Sources are the choices of a young cadre's source.
func (slateView) Sources() []slate.Origin { return slate.Origins }

// YoungAge is the limit of 35岁以下, for the page's hint.
func (slateView) YoungAge() int { return slate.YoungAge }

func (s *Server) slateView(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	sl, err := db.PredictedSlate(ctx, code)
	if err != nil {
		return "", nil, err
	}
	cs, err := db.Seats(ctx, code)
	if err != nil {
		return "", nil, err
	}
	history, err := db.SlateHistory(ctx, code)
	if err != nil {
		return "", nil, err
	}
	aspirants, err := db.Aspirants(ctx, store.AspirantFilter{OrgCode: code})
	if err != nil {
		return "", nil, err
	}
	v := slateView{Code: sl.Code, Name: sl.Name, Dual: sl.Dual, History: history, CanEdit: db.Can(account.EditSlate),
		Warnings: slate.PredictionWarnings(sl.Prediction(), cs.Seats)}
	for _, x := range sl.Persons {
		if !x.Eligible {
			_, reason := slate.Eligible(x.Status)
			v.Warnings = append(v.Warnings, x.Committee.Label()+x.Post.Label()+x.Name+":"+reason+",请更换")
		}
	}
	n := 0
	for _, c := range org.Committees {
		seats, set := cs.Seats[c]
		cv := slateCommittee{Committee: c, Label: c.Label(), ElectionDay: dayOfCommittee(sl.Days, c), SeatsSet: set}
		for _, a := range aspirants {
			if a.Committee != c && a.CrossPost == "" {
				continue // not standing for this committee
			}
			ok, reason := slate.Eligible(a.Status)
			label := a.Name + "(" + a.Sex + "," + a.Education.Label() + ",报名" + a.PostLabel() + ")"
			if !ok {
				label += " 不能提名:" + reason
			}
			cv.Choices = append(cv.Choices, slateChoice{ID: a.ID, Label: label, Eligible: ok})
		}
		for _, p := range vetting.PostsOf(c) {
			pv := slatePost{Post: p, Label: p.Label(), Persons: []store.PredictedPerson{}}
			for i := range sl.Persons {
				if x := sl.Persons[i]; x.Committee == c && x.Post == p {
					pv.Persons = append(pv.Persons, x)
				}
			}
			rows := len(pv.Persons)
			switch {
			case set:
				pv.Seats = seats.Of(p)
				rows = max(rows, pv.Seats)
			case p == vetting.Secretary || p == vetting.Director:
				rows = 1
			default:
				rows += 2 // seats not set: room for more
			}
			for i := range rows {
				r := slateRow{N: n, Seat: i + 1, Committee: c, Post: p}
				if i < len(pv.Persons) {
					r.Person = &pv.Persons[i]
				}
				pv.Rows = append(pv.Rows, r)
				n++
			}
			cv.Posts = append(cv.Posts, pv)
		}
		v.Committees = append(v.Committees, cv)
	}
	return "slate", v, nil
}

func dayOfCommittee(days progress.Days, c org.Committee) civil.Date {
	return days.For(progress.Election(c))
}

func (s *Server) slatePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.slateView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

// slateJSON is the API's slate: per committee and post the predicted
// persons with their attributes, the 一肩挑 flag, warnings and history.
func slateJSON(v slateView) map[string]any {
	return map[string]any{"code": v.Code, "name": v.Name, "dual": v.Dual, "committees": v.Committees,
		"warnings": append([]string{}, v.Warnings...), "history": v.History}
}

func (s *Server) apiSlate(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, v, err := s.slateView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, slateJSON(v.(slateView)))
	return nil
}

// slateInput replaces a community's slate: the API's {"dual", "picks":
// [{committee, post, aspirant_id, source, notes}], "reason"}; the page's
// rows picks[N].committee, .post, .aspirant_id, .source and .notes, a row
// without a person dropped.
type slateInput struct {
	Community string       `json:"-" path:"code"`
	Dual      bool         `json:"dual"`
	Picks     []slate.Pick `json:"picks"`
	Reason    string       `json:"reason"`
	rows      []int        // the page's row of each pick; nil on the API
}

func (in *slateInput) readForm(v url.Values) error {
	in.rows, in.Picks = []int{}, nil
	for i := 0; v.Has(fmt.Sprintf("picks[%d].committee", i)); i++ {
		at := func(k string) string { return strings.TrimSpace(v.Get(fmt.Sprintf("picks[%d].%s", i, k))) }
		if at("aspirant_id") == "" {
			continue
		}
		id, err := strconv.ParseInt(at("aspirant_id"), 10, 64)
		if err != nil || id <= 0 {
			return errs.OnField(fmt.Sprintf("picks[%d].aspirant_id", i), "请从列表中选择预判人选")
		}
		in.Picks = append(in.Picks, slate.Pick{Committee: org.Committee(at("committee")), Post: vetting.Post(at("post")),
			AspirantID: id, Source: slate.Origin(at("source")), Notes: at("notes")})
		in.rows = append(in.rows, i)
	}
	return nil
}

func slateURL(code string) string   { return "/communities/" + url.PathEscape(code) + "/slate" }
func reserveURL(code string) string { return "/communities/" + url.PathEscape(code) + "/reserve" }

func (s *Server) saveSlate() handlerFunc {
	return act(s, action[slateInput]{
		run: func(ctx context.Context, db *store.Scoped, in slateInput) (any, error) {
			_, err := writeOne(ctx, db, func(tx *store.Tx) ([]slate.Change, error) {
				return tx.SetSlate(ctx, in.Community, slate.Prediction{Dual: in.Dual, Picks: in.Picks}, in.Reason)
			})
			if err != nil {
				return nil, onRows(err, "picks", in.rows)
			}
			_, v, err := s.slateView(ctx, db, in.Community)
			if err != nil {
				return nil, err
			}
			return slateJSON(v.(slateView)), nil
		},
		next:   func(in slateInput, _ any) string { return slateURL(in.Community) },
		notice: "预判人选已保存。",
		page: func(ctx context.Context, db *store.Scoped, in slateInput) (string, any, error) {
			return s.slateView(ctx, db, in.Community)
		},
	})
}

// The reserve list.

type reserveView struct {
	store.ReserveList
	CanEdit bool
}

func (v reserveView) Title() string { return v.Name + " · 人选储备" }

// Sexes, Educations and Parties are the form's choices.
func (reserveView) Sexes() []string                 { return slate.Sexes }
func (reserveView) Educations() []vetting.Education { return vetting.Educations }
func (reserveView) Parties() []vetting.Party        { return vetting.Parties }

// EditAction is the form action that edits reserve person id.
func (v reserveView) EditAction(id int64) string {
	return fmt.Sprintf("/communities/%s/reserve/%d", v.Code, id)
}

// reserveForm is one form of the page: a person's edit form, or (ID 0)
// the form that adds one.
type reserveForm struct {
	ID            int64
	Action, Title string
	held          map[string]string
}

// Held is the value field holds: the person's, "" in the add form.
func (f reserveForm) Held(field string) string { return f.held[field] }

// Forms are the page's forms: the one that adds, then one per person.
func (v reserveView) Forms() []reserveForm {
	out := []reserveForm{{Action: reserveURL(v.Code), Title: "添加储备人选"}}
	for _, p := range v.People {
		out = append(out, reserveForm{ID: p.ID, Action: v.EditAction(p.ID), Title: "修改 " + p.Name, held: map[string]string{
			"name": p.Name, "sex": p.Sex, "birth_date": string(p.BirthDate), "education": string(p.Education),
			"party": string(p.Party), "workplace": p.Workplace, "note": p.Note}})
	}
	return out
}

func (s *Server) reserveView(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	l, err := db.Reserve(ctx, code)
	if err != nil {
		return "", nil, err
	}
	return "reserve", reserveView{ReserveList: l, CanEdit: db.Can(account.EditSlate)}, nil
}

func (s *Server) reservePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.reserveView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiReserve(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	l, err := db.Reserve(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": l.Code, "name": l.Name, "election_day": l.ElectionDay, "people": l.People})
	return nil
}

// reserveInput is a reserve person from the form or the API, added.
type reserveInput struct {
	Community string            `json:"-" path:"code"`
	Name      string            `json:"name"`
	Sex       string            `json:"sex"`
	BirthDate civil.Date        `json:"birth_date"`
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
	Workplace string            `json:"workplace"`
	Note      string            `json:"note"`
}

func (in reserveInput) person() slate.ReservePerson {
	return slate.ReservePerson{Name: in.Name, Sex: in.Sex, BirthDate: in.BirthDate, Education: in.Education, Party: in.Party,
		Workplace: in.Workplace, Note: in.Note}
}

// reserveEditInput is reserve person ID as changed.
type reserveEditInput struct {
	Community string            `json:"-" path:"code"`
	ID        int64             `json:"-" path:"id"`
	Name      string            `json:"name"`
	Sex       string            `json:"sex"`
	BirthDate civil.Date        `json:"birth_date"`
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
	Workplace string            `json:"workplace"`
	Note      string            `json:"note"`
}

func (s *Server) reservePageFor(ctx context.Context, db *store.Scoped, in reserveInput) (string, any, error) {
	return s.reserveView(ctx, db, in.Community)
}

func (s *Server) addReserve() handlerFunc {
	return act(s, action[reserveInput]{
		run: func(ctx context.Context, db *store.Scoped, in reserveInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (store.ReserveRow, error) { return tx.AddReserve(ctx, in.Community, in.person()) })
		},
		created: true,
		next:    func(in reserveInput, _ any) string { return reserveURL(in.Community) },
		notice:  "储备人选已添加。",
		page:    s.reservePageFor,
	})
}

func (s *Server) editReserve() handlerFunc {
	return act(s, action[reserveEditInput]{
		run: func(ctx context.Context, db *store.Scoped, in reserveEditInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (store.ReserveRow, error) {
				return tx.UpdateReserve(ctx, in.Community, in.ID, reserveInput{Name: in.Name, Sex: in.Sex, BirthDate: in.BirthDate,
					Education: in.Education, Party: in.Party, Workplace: in.Workplace, Note: in.Note}.person())
			})
		},
		next:   func(in reserveEditInput, _ any) string { return reserveURL(in.Community) },
		notice: "储备人选已修改。",
		page: func(ctx context.Context, db *store.Scoped, in reserveEditInput) (string, any, error) {
			return s.reserveView(ctx, db, in.Community)
		},
	})
}

type reserveRemoveInput struct {
	Community string `json:"-" path:"code"`
	ID        int64  `json:"-" path:"id"`
}

func (s *Server) removeReserve() handlerFunc {
	return act(s, action[reserveRemoveInput]{
		run: func(ctx context.Context, db *store.Scoped, in reserveRemoveInput) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.RemoveReserve(ctx, in.Community, in.ID) })
			return map[string]any{"removed": in.ID}, err
		},
		next:   func(in reserveRemoveInput, _ any) string { return reserveURL(in.Community) },
		notice: "储备人选已删除。",
		page: func(ctx context.Context, db *store.Scoped, in reserveRemoveInput) (string, any, error) {
			return s.reserveView(ctx, db, in.Community)
		},
	})
}
