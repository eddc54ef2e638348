package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// A community's results (issue 15, point 7): each committee's elected
// members per post with their share of the votes (高票当选 marked: at least
// 90% of the base, election.HighNum/HighDen), the party committee's
// secretary and deputies with the higher level's approval, the handover
// and its due day, the structure targets evaluated on the results beside
// the predicted slate's, and the comparison with the predicted slate with
// its history. Who was elected is written by the counts (store.SetElected);
// this page records the officers, their approval and the handover.

// resultsPost is one post of a committee with its elected members.
type resultsPost struct {
	Post    vetting.Post          `json:"post"`
	Label   string                `json:"label"`
	Members []store.ElectedMember `json:"members"`
}

// targetPair is one structure target on the predicted slate and on the
// results.
type targetPair struct {
	Target    slate.Target        `json:"target"`
	Predicted *slate.TargetResult `json:"predicted,omitempty"`
	Results   slate.TargetResult  `json:"results"`
}

type resultsCommittee struct {
	store.CommitteeResult
	Label string        `json:"label"`
	Posts []resultsPost `json:"-"`
}

type resultsView struct {
	store.CommunityResults
	Committees []resultsCommittee
	Targets    []targetPair
	// Slate: the user reads the third gate (the predicted slate, its
	// targets and the comparison are shown only then).
	Slate        bool
	CanOfficers  bool // record the officers and their approval
	CanHandover  bool
	Today        civil.Date
	HandoverDays int
}

func (v resultsView) Title() string { return v.Name + " · 选举结果" }

// OfficersDay is the day the officers form shows: the day recorded, else today.
func (v resultsView) OfficersDay(c resultsCommittee) civil.Date {
	if c.Officers != nil {
		return c.Officers.ElectedOn
	}
	return v.Today
}

// IsDeputy reports whether m was elected deputy secretary, for the form.
func (resultsView) IsDeputy(m store.ElectedMember) bool { return m.Post == vetting.DeputySecretary }

func resultsURL(code string) string { return "/communities/" + url.PathEscape(code) + "/results" }

func (s *Server) resultsView(ctx context.Context, db *store.Scoped, code string) (resultsView, error) {
	r, err := db.Results(ctx, code)
	if err != nil {
		return resultsView{}, err
	}
	settings, err := db.ElectionSettings(ctx)
	if err != nil {
		return resultsView{}, err
	}
	v := resultsView{CommunityResults: r, Slate: db.Can(account.ViewSlate), CanOfficers: db.Can(account.CoordinateCount),
		CanHandover: db.Can(account.EditElection), Today: s.st.Today(), HandoverDays: settings.HandoverDays}
	for _, c := range r.Committees {
		rc := resultsCommittee{CommitteeResult: c, Label: c.Committee.Label()}
		for _, p := range vetting.PostsOf(c.Committee) {
			rp := resultsPost{Post: p, Label: p.Label(), Members: []store.ElectedMember{}}
			for _, m := range c.Members {
				if m.Post == p {
					rp.Members = append(rp.Members, m)
				}
			}
			if len(rp.Members) > 0 {
				rc.Posts = append(rc.Posts, rp)
			}
		}
		if !v.Slate {
			rc.Matches = nil
		}
		v.Committees = append(v.Committees, rc)
	}
	targets, _, err := db.Targets(ctx)
	if err != nil {
		return v, err
	}
	results := slate.Evaluate(r.Lineup(), targets)
	var predicted []slate.TargetResult
	if v.Slate {
		ps, err := db.PredictedSlate(ctx, code)
		if err != nil {
			return v, err
		}
		predicted = slate.Evaluate(ps.Lineup(), targets)
	}
	for i, t := range targets {
		p := targetPair{Target: t, Results: results[i]}
		if predicted != nil {
			p.Predicted = &predicted[i]
		}
		v.Targets = append(v.Targets, p)
	}
	return v, nil
}

func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.resultsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "results", http.StatusOK, v)
	return nil
}

// apiResults answers GET /api/v1/communities/{code}/results: the page's
// committees (members with share, 高票 and 全票; officers; handover;
// comparisons when the user reads the third gate) and the targets.
func (s *Server) apiResults(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.resultsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	committees := make([]map[string]any, len(v.Committees))
	for i, c := range v.Committees {
		members := make([]map[string]any, len(c.Members))
		for j, m := range c.Members {
			members[j] = map[string]any{"member": m, "share": m.Share(), "high": m.High(), "unanimous": m.Unanimous(), "written_in": m.AspirantID == 0}
		}
		item := map[string]any{"committee": c.Committee, "election_day": c.ElectionDay, "members": members, "officers": c.Officers,
			"handover": c.Handover, "results_pending": c.Pending, "written_in": c.WrittenIn, "void": c.Void}
		if v.Slate {
			item["matches"] = c.Matches
		}
		committees[i] = item
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": v.Code, "name": v.Name, "election_days": v.Days, "committees": committees,
		"targets": v.Targets})
	return nil
}

// officersInput is the party committee's election of its secretary and
// deputies: the day, the secretary and the deputies by elected member id.
type officersInput struct {
	Community string     `json:"-" path:"code"`
	Day       civil.Date `json:"day"`
	Secretary int64      `json:"secretary"`
	Deputies  []int64    `json:"deputies"`
}

func (s *Server) setOfficers() handlerFunc {
	return act(s, action[officersInput]{
		run: func(ctx context.Context, db *store.Scoped, in officersInput) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error {
				return tx.SetOfficers(ctx, in.Community, election.Officers{Day: in.Day, Secretary: in.Secretary, Deputies: in.Deputies})
			})
			if strings.HasPrefix(errs.FieldOf(err), "deputies[") { // the boxes are one field
				return nil, &errs.Error{Code: errs.CodeOf(err), Message: errs.MessageOf(err), Field: "deputies", Err: err}
			}
			if err != nil {
				return nil, err
			}
			return s.committeeAnswer(ctx, db, in.Community, org.PartyCommittee)
		},
		next:   func(in officersInput, _ any) string { return resultsURL(in.Community) },
		notice: "书记、副书记的选举已登记,待上级批准。",
		page:   resultsAgain(s, func(in officersInput) string { return in.Community }),
	})
}

// approvalInput is the higher level's approval of the officers.
type approvalInput struct {
	Community string     `json:"-" path:"code"`
	Day       civil.Date `json:"approved_on"`
	Document  string     `json:"document"`
}

func (s *Server) approveOfficers() handlerFunc {
	return act(s, action[approvalInput]{
		run: func(ctx context.Context, db *store.Scoped, in approvalInput) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error {
				return tx.ApproveOfficers(ctx, in.Community, election.Approval{Day: in.Day, Document: in.Document})
			})
			if err != nil {
				return nil, err
			}
			return s.committeeAnswer(ctx, db, in.Community, org.PartyCommittee)
		},
		next:   func(in approvalInput, _ any) string { return resultsURL(in.Community) },
		notice: "上级批准已登记。",
		page:   resultsAgain(s, func(in approvalInput) string { return in.Community }),
	})
}

// handoverInput is a committee's handover.
type handoverInput struct {
	Community string        `json:"-" path:"code"`
	Committee org.Committee `json:"-" path:"committee"`
	Day       civil.Date    `json:"day"`
	Note      string        `json:"note"`
}

func (s *Server) setHandover() handlerFunc {
	return act(s, action[handoverInput]{
		run: func(ctx context.Context, db *store.Scoped, in handoverInput) (any, error) {
			if in.Committee != org.PartyCommittee && in.Committee != org.ResidentsCommittee {
				return nil, errs.New(errs.NotFound, "没有这个委员会")
			}
			return writeOne(ctx, db, func(tx *store.Tx) (store.HandoverRecord, error) {
				return tx.SetHandover(ctx, in.Community, in.Committee, election.Handover{Day: in.Day, Note: in.Note})
			})
		},
		next:   func(in handoverInput, _ any) string { return resultsURL(in.Community) },
		notice: "工作交接已登记。",
		page:   resultsAgain(s, func(in handoverInput) string { return in.Community }),
	})
}

// committeeAnswer is the API's answer to a write on committee c: its
// result as it now stands.
func (s *Server) committeeAnswer(ctx context.Context, db *store.Scoped, code string, c org.Committee) (any, error) {
	r, err := db.Results(ctx, code)
	if err != nil {
		return nil, err
	}
	for _, x := range r.Committees {
		if x.Committee == c {
			if !db.Can(account.ViewSlate) {
				x.Matches = nil
			}
			return x, nil
		}
	}
	return nil, nil
}

// resultsAgain is the results page a refused form comes back to.
func resultsAgain[In any](s *Server, code func(In) string) func(ctx context.Context, db *store.Scoped, in In) (string, any, error) {
	return func(ctx context.Context, db *store.Scoped, in In) (string, any, error) {
		v, err := s.resultsView(ctx, db, code(in))
		return "results", v, err
	}
}
