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

// The formal candidate lists (正式候选人, issue 14 point 7): per community,
// both committees post by post, each candidate with what the posted list
// shows and their votes in both recommendations, the margin check, the
// posting day, withdrawals and who replaced whom; a form to set a list
// (until its posting day has passed) and one to record a withdrawal. The
// rules are slate's (formal_list.go); the page prints as the list the
// office posts.

// formalVotes are a person's votes for a post in one recommendation.
type formalVotes struct {
	Votes int `json:"votes"`
	Rank  int `json:"rank"`
}

// Text is how the page writes them: "45票(第1)", or "—".
func (v *formalVotes) Text() string {
	if v == nil {
		return "—"
	}
	return strconv.Itoa(v.Votes) + "票(第" + strconv.Itoa(v.Rank) + ")"
}

// formalRow is a person on a list with their votes for the post and the
// names of whom they replaced or were replaced by.
type formalRow struct {
	store.FormalPerson
	PartyVotes     *formalVotes `json:"party_votes"`  // 党员推荐
	PublicVotes    *formalVotes `json:"public_votes"` // 群众(居民代表)推荐
	ReplacesName   string       `json:"replaces_name,omitempty"`
	ReplacedByName string       `json:"replaced_by_name,omitempty"`
}

// formalPost is one post of a committee: its seats and its rows.
type formalPost struct {
	Post  vetting.Post `json:"post"`
	Label string       `json:"label"`
	Seats int          `json:"seats"`
	Rows  []formalRow  `json:"candidates"`
}

// formalChoice is a person the list may take (passed, standing for the
// committee) with the post they hold on the list now ("" none) and the
// post they sought on this committee.
type formalChoice struct {
	ID     int64        `json:"aspirant_id"`
	Name   string       `json:"name"`
	Sought vetting.Post `json:"sought"`
	OnList vetting.Post `json:"on_list"`
}

// formalBarred is a person standing for the committee who may not be
// listed, with why.
type formalBarred struct {
	ID     int64  `json:"aspirant_id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// formalCommittee is one committee's list on the page and in the API.
type formalCommittee struct {
	Committee   org.Committee   `json:"committee"`
	Label       string          `json:"label"`
	ElectionDay civil.Date      `json:"election_day"`
	LastPosting civil.Date      `json:"last_posting_day"` // the election day less the margins' publish days
	SeatsSet    bool            `json:"seats_set"`
	Seats       slate.Seats     `json:"seats"`
	Set         bool            `json:"set"`
	PostedOn    civil.Date      `json:"posted_on"`
	Posts       []formalPost    `json:"posts"`
	Findings    []slate.Finding `json:"findings"`
	Short       bool            `json:"short"`
	Warnings    []string        `json:"warnings"`
	Withdrawn   []formalRow     `json:"withdrawn"`
	Standing    []formalRow     `json:"-"`
	Eligible    []formalChoice  `json:"eligible"`
	Barred      []formalBarred  `json:"barred"`
	Replaceable bool            `json:"replaceable"` // the list may still be set again
	Withdrawing bool            `json:"withdrawing"` // within the days a candidate may withdraw
}

type formalView struct {
	Code, Name string
	Margins    slate.Margins
	Committees []formalCommittee
	CanEdit    bool
	Today      civil.Date
}

func (v formalView) Title() string { return v.Name + " · 正式候选人" }

// Posts are the choices of a committee's posts.
func (formalView) Posts(c org.Committee) []vetting.Post { return vetting.PostsOf(c) }

func formalURL(code string) string { return "/communities/" + url.PathEscape(code) + "/formal" }

func (s *Server) formalView(ctx context.Context, db *store.Scoped, code string) (formalView, error) {
	cs, err := db.Seats(ctx, code) // the community's name, and NotFound outside the scope
	if err != nil {
		return formalView{}, err
	}
	v := formalView{Code: cs.Code, Name: cs.Name, CanEdit: db.Can(account.EditSlate), Today: civil.Of(s.st.Now())}
	if v.Margins, err = db.Margins(ctx); err != nil {
		return v, err
	}
	days, err := db.CommunityDays(ctx, code)
	if err != nil {
		return v, err
	}
	lists, err := db.FormalLists(ctx, code)
	if err != nil {
		return v, err
	}
	people, err := db.Candidates(ctx, code)
	if err != nil {
		return v, err
	}
	recs, err := db.Recommendations(ctx, code)
	if err != nil {
		return v, err
	}
	names := map[int64]string{}
	for _, p := range people {
		names[p.ID] = p.Name
	}
	votesOf := func(c org.Committee, src slate.Source, p vetting.Post, id int64) *formalVotes {
		for _, r := range recs {
			if r.Committee == c && r.Source == src {
				for _, x := range r.Of(p) {
					if x.AspirantID == id {
						return &formalVotes{x.Votes, x.Rank}
					}
				}
			}
		}
		return nil
	}
	for _, c := range org.Committees {
		fc := formalCommittee{Committee: c, Label: c.Label(), ElectionDay: days.Days.For(progress.Election(c)),
			Findings: []slate.Finding{}, Warnings: []string{}, Withdrawn: []formalRow{}, Eligible: []formalChoice{}, Barred: []formalBarred{}}
		if fc.ElectionDay != "" {
			fc.LastPosting = fc.ElectionDay.AddDays(-v.Margins.PublishDays)
		}
		fc.Seats, fc.SeatsSet = cs.Seats[c]
		var list *store.FormalList
		for i := range lists {
			if lists[i].Committee == c {
				list = &lists[i]
			}
		}
		onList := map[int64]vetting.Post{}
		fc.Replaceable = true
		if list != nil {
			fc.Set, fc.PostedOn, fc.Findings, fc.Short, fc.Warnings = true, list.PostedOn, list.Findings, list.Short, list.Warnings
			fc.Replaceable = v.Today <= list.PostedOn
			fc.Withdrawing = v.Today >= list.PostedOn && v.Today <= list.PostedOn.AddDays(v.Margins.WithdrawDays)
			for _, p := range list.Candidates {
				row := formalRow{FormalPerson: p, PartyVotes: votesOf(c, slate.PartySource, p.Post, p.AspirantID),
					PublicVotes: votesOf(c, slate.PublicSource, p.Post, p.AspirantID), ReplacesName: names[p.Replaces], ReplacedByName: names[p.ReplacedBy]}
				if p.Standing() {
					onList[p.AspirantID] = p.Post
					fc.Standing = append(fc.Standing, row)
				} else {
					fc.Replaceable = false
					fc.Withdrawn = append(fc.Withdrawn, row)
				}
			}
		}
		for _, p := range vetting.PostsOf(c) {
			fp := formalPost{Post: p, Label: p.Label(), Seats: fc.Seats.Of(p), Rows: []formalRow{}}
			for _, r := range fc.Standing {
				if r.Post == p {
					fp.Rows = append(fp.Rows, r)
				}
			}
			fc.Posts = append(fc.Posts, fp)
		}
		for _, p := range people {
			if !slate.Stands(p.Aspirant, c) {
				continue
			}
			if p.Stage != slate.StagePassed {
				why := p.Reason
				if why == "" {
					why = p.Stage.Label()
				}
				fc.Barred = append(fc.Barred, formalBarred{p.ID, p.Name, why})
				continue
			}
			sought := p.Post
			if p.Committee != c {
				sought = p.CrossPost
			}
			fc.Eligible = append(fc.Eligible, formalChoice{ID: p.ID, Name: p.Name, Sought: sought, OnList: onList[p.ID]})
		}
		v.Committees = append(v.Committees, fc)
	}
	return v, nil
}

func (s *Server) formalPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.formalView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "formal", http.StatusOK, v)
	return nil
}

func (s *Server) apiFormal(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	c := org.Committee(r.PathValue("committee"))
	if c != org.PartyCommittee && c != org.ResidentsCommittee {
		return errs.New(errs.NotFound, "没有这个委员会")
	}
	v, err := s.formalView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	for _, fc := range v.Committees {
		if fc.Committee == c {
			writeJSON(w, http.StatusOK, map[string]any{"code": v.Code, "name": v.Name, "margins": v.Margins, "list": fc})
		}
	}
	return nil
}

// formalInput is one committee's list: the API's JSON {posted_on,
// candidates: [{aspirant_id, post}]}; the page's rows candidates[N].aspirant_id
// and .post, a row whose post is left empty not listed.
type formalInput struct {
	Community  string        `json:"-" path:"code"`
	Committee  org.Committee `json:"-" path:"committee"`
	PostedOn   civil.Date    `json:"posted_on"`
	Candidates []slate.Entry `json:"candidates"`
	rows       []int         // the page's row of each entry; nil on the API
}

func (in *formalInput) readForm(v url.Values) error {
	in.rows = []int{}
	for i := 0; v.Has(fmt.Sprintf("candidates[%d].aspirant_id", i)); i++ {
		post := strings.TrimSpace(v.Get(fmt.Sprintf("candidates[%d].post", i)))
		if post == "" {
			continue // not listed
		}
		id, err := strconv.ParseInt(strings.TrimSpace(v.Get(fmt.Sprintf("candidates[%d].aspirant_id", i))), 10, 64)
		if err != nil {
			return errs.OnField(fmt.Sprintf("candidates[%d].post", i), "第"+strconv.Itoa(i+1)+"行:人选有误,请刷新页面后重试")
		}
		in.Candidates = append(in.Candidates, slate.Entry{AspirantID: id, Post: vetting.Post(post)})
		in.rows = append(in.rows, i)
	}
	return nil
}

// onFormRow puts a refusal of the list on the page's control: a row's
// aspirant (a hidden field) on that row's post; the margin of a post on
// the first row listed for it (the first row listed when none is).
func (in formalInput) onFormRow(err error) error {
	if in.rows == nil || err == nil {
		return err
	}
	err = onRows(err, "candidates", in.rows)
	field := errs.FieldOf(err)
	if strings.HasPrefix(field, "candidates[") {
		return &errs.Error{Code: errs.CodeOf(err), Message: errs.MessageOf(err),
			Field: strings.TrimSuffix(strings.TrimSuffix(field, ".aspirant_id"), ".post") + ".post", Err: err}
	}
	if field != "candidates" && !vetting.Post(field).Valid() {
		return err
	}
	row := 0
	if len(in.rows) > 0 {
		row = in.rows[0]
	}
	for k, e := range in.Candidates {
		if string(e.Post) == field {
			row = in.rows[k]
			break
		}
	}
	return &errs.Error{Code: errs.CodeOf(err), Message: errs.MessageOf(err), Field: fmt.Sprintf("candidates[%d].post", row), Err: err}
}

func (s *Server) setFormal() handlerFunc {
	return act(s, action[formalInput]{
		run: func(ctx context.Context, db *store.Scoped, in formalInput) (any, error) {
			out, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Formal, error) {
				return tx.SetFormalList(ctx, in.Community, in.Committee, in.PostedOn, in.Candidates)
			})
			if err != nil {
				return nil, in.onFormRow(err)
			}
			return map[string]any{"formal": out}, nil
		},
		next:   func(in formalInput, _ any) string { return formalURL(in.Community) },
		notice: "正式候选人名单已保存。",
		page: func(ctx context.Context, db *store.Scoped, in formalInput) (string, any, error) {
			v, err := s.formalView(ctx, db, in.Community)
			return "formal", v, err
		},
	})
}

// withdrawInput is a candidate's written withdrawal.
type withdrawInput struct {
	Community           string        `json:"-" path:"code"`
	Committee           org.Committee `json:"-" path:"committee"`
	AspirantID          int64         `json:"aspirant_id"`
	WithdrawnOn         civil.Date    `json:"withdrawn_on"`
	Reason              string        `json:"reason"`
	ReplacementPostedOn civil.Date    `json:"replacement_posted_on"`
}

func (s *Server) withdrawFormal() handlerFunc {
	return act(s, action[withdrawInput]{
		run: func(ctx context.Context, db *store.Scoped, in withdrawInput) (any, error) {
			out, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Formal, error) {
				return tx.WithdrawFormal(ctx, in.Community, in.Committee, slate.Withdrawal{AspirantID: in.AspirantID, On: in.WithdrawnOn,
					Reason: in.Reason, ReplacementPostedOn: in.ReplacementPostedOn})
			})
			if err != nil {
				return nil, err
			}
			return map[string]any{"formal": out, "short": out.Short(), "warnings": out.Warnings()}, nil
		},
		next:   func(in withdrawInput, _ any) string { return formalURL(in.Community) },
		notice: "候选人退出已登记。",
		page: func(ctx context.Context, db *store.Scoped, in withdrawInput) (string, any, error) {
			v, err := s.formalView(ctx, db, in.Community)
			return "formal", v, err
		},
	})
}
