package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
)

// Posts and seats (职数): per community and committee, the seats by post
// checked against the law, beside the sitting members and their posts.

type committeeSeats struct {
	Committee    org.Committee   `json:"committee"`
	Label        string          `json:"label"`
	Set          bool            `json:"set"`
	Seats        slate.Seats     `json:"seats"`
	Findings     []slate.Finding `json:"findings"`
	Organisation string          `json:"organisation,omitempty"` // what the party organisation is, by its full members
	Sitting      []org.Member    `json:"sitting"`
}

type seatsView struct {
	Code, Name string
	Committees []committeeSeats
	CanEdit    bool
}

func (v seatsView) Title() string { return v.Name + " · 职数" }

// Bodies are the choices of a residents' committee's body.
func (seatsView) Bodies() []slate.Body { return slate.Bodies }

func (s *Server) seatsView(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	cs, err := db.Seats(ctx, code)
	if err != nil {
		return "", nil, err
	}
	members, err := db.Members(ctx, code)
	if err != nil {
		return "", nil, err
	}
	v := seatsView{Code: cs.Code, Name: cs.Name, CanEdit: db.Can(account.EditSlate)}
	for _, c := range org.Committees {
		seats, set := cs.Seats[c]
		if !set {
			seats = slate.Seats{Committee: c, Chief: 1}
			if c == org.ResidentsCommittee {
				seats.Body = slate.ResidentsBody
			}
		}
		cv := committeeSeats{Committee: c, Label: c.Label(), Set: set, Seats: seats, Findings: []slate.Finding{}, Sitting: []org.Member{}}
		if set {
			cv.Findings = slate.Check(seats)
		}
		if c == org.PartyCommittee && set {
			cv.Organisation = slate.Organisation(seats.FullMembers)
		}
		for _, m := range members {
			if m.Committee == c {
				cv.Sitting = append(cv.Sitting, m)
			}
		}
		v.Committees = append(v.Committees, cv)
	}
	return "seats", v, nil
}

func (s *Server) seatsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.seatsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiSeats(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, v, err := s.seatsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	sv := v.(seatsView)
	writeJSON(w, http.StatusOK, map[string]any{"code": sv.Code, "name": sv.Name, "committees": sv.Committees})
	return nil
}

type seatsInput struct {
	Community   string        `json:"-" path:"code"`
	Committee   org.Committee `json:"-" path:"committee"`
	FullMembers int           `json:"full_members"`
	Body        slate.Body    `json:"body"`
	Chief       int           `json:"chief"`
	Deputies    int           `json:"deputies"`
	Members     int           `json:"members"`
}

func seatsURL(code string) string { return "/communities/" + url.PathEscape(code) + "/seats" }

func (s *Server) setSeats() handlerFunc {
	return act(s, action[seatsInput]{
		run: func(ctx context.Context, db *store.Scoped, in seatsInput) (any, error) {
			seats := slate.Seats{Committee: in.Committee, FullMembers: in.FullMembers, Body: in.Body,
				Chief: in.Chief, Deputies: in.Deputies, Members: in.Members}
			out, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Seats, error) { return tx.SetSeats(ctx, in.Community, seats) })
			return map[string]any{"seats": out, "findings": slate.Check(out)}, err
		},
		next:   func(in seatsInput, _ any) string { return seatsURL(in.Community) },
		notice: "职数已保存。",
		page: func(ctx context.Context, db *store.Scoped, in seatsInput) (string, any, error) {
			return s.seatsView(ctx, db, in.Community)
		},
	})
}
