package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/visit"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The board (人选一览, issue 14, point 8): one page per community that a
// zone leader reads in a minute. Posts × (sitting member, predicted
// person, the two recommendations' votes, the assessment's stage, the
// formal candidates), the qualified aspirants, and the targets not met.

// boardRank is a person's place in one recommendation on a post.
type boardRank struct {
	Rank, Votes int
	Share       string
}

func (r *boardRank) Text() string {
	if r == nil {
		return "—"
	}
	return "第" + strconv.Itoa(r.Rank) + "名 " + strconv.Itoa(r.Votes) + "票(" + r.Share + ")"
}

// boardRow is one seat of a post.
type boardRow struct {
	Post      vetting.Post
	Sitting   string // the sitting member holding this post, by order
	Predicted *store.PredictedPerson
	Party     *boardRank // the predicted person's place in the party members' recommendation
	Public    *boardRank // and in the residents'
	Stage     string     // the predicted person's assessment stage
}

// boardAspirant is a person standing for the committee.
type boardAspirant struct {
	ID            int64
	Name, Post    string
	Stage, Reason string
	Party, Public *boardRank
}

type boardCommittee struct {
	Committee org.Committee
	Label     string
	SeatsSet  bool
	Seats     slate.Seats
	Rows      []boardRow
	Aspirants []boardAspirant
	Formal    []boardFormal // the formal list by post, empty before it is set
	FormalOn  civil.Date    // its posting day
}

// boardFormal is one post of the formal list: its standing candidates.
type boardFormal struct {
	Post  vetting.Post `json:"post"`
	Names []string     `json:"names"`
}

type boardView struct {
	Code, Name, District string
	Days                 progress.Days
	Dual                 bool
	Committees           []boardCommittee
	Unmet                []slate.TargetResult
	United, Posts        int
	// What the talks before the election heard about standing, for
	// readers of the visits (TalksShown).
	Talks      visit.IntentionTally
	TalksShown bool
}

func (v boardView) Title() string { return v.Name + " · 人选一览" }

func (s *Server) boardView(ctx context.Context, db *store.Scoped, code string) (boardView, error) {
	sl, err := db.PredictedSlate(ctx, code)
	if err != nil {
		return boardView{}, err
	}
	v := boardView{Code: sl.Code, Name: sl.Name, District: sl.DistrictName, Days: sl.Days, Dual: sl.Dual}
	seats, err := db.Seats(ctx, code)
	if err != nil {
		return v, err
	}
	members, err := db.Members(ctx, code)
	if err != nil {
		return v, err
	}
	recs, err := db.Recommendations(ctx, code)
	if err != nil {
		return v, err
	}
	cands, err := db.Candidates(ctx, code)
	if err != nil {
		return v, err
	}
	formal, err := db.FormalLists(ctx, code)
	if err != nil {
		return v, err
	}
	// rank finds a person's place on a post in one recommendation.
	rank := func(c org.Committee, src slate.Source, p vetting.Post, id int64) *boardRank {
		for _, r := range recs {
			if r.Committee == c && r.Source == src {
				for _, x := range r.Of(p) {
					if x.AspirantID == id {
						return &boardRank{x.Rank, x.Votes, x.ShareText()}
					}
				}
			}
		}
		return nil
	}
	stage := map[int64]store.Candidate{}
	for _, c := range cands {
		stage[c.ID] = c
	}
	for _, c := range org.Committees {
		bc := boardCommittee{Committee: c, Label: c.Label()}
		bc.Seats, bc.SeatsSet = seats.Seats[c]
		for _, p := range vetting.PostsOf(c) {
			var sitting []string
			for _, m := range members {
				if m.Committee == c && m.Post == p.Label() {
					sitting = append(sitting, m.Name)
				}
			}
			var picked []store.PredictedPerson
			for _, x := range sl.Persons {
				if x.Committee == c && x.Post == p {
					picked = append(picked, x)
				}
			}
			n := max(bc.Seats.Of(p), len(sitting), len(picked))
			for i := range n {
				row := boardRow{Post: p}
				if i < len(sitting) {
					row.Sitting = sitting[i]
				}
				if i < len(picked) {
					x := picked[i]
					row.Predicted = &x
					row.Party, row.Public = rank(c, slate.PartySource, p, x.AspirantID), rank(c, slate.PublicSource, p, x.AspirantID)
					if cd, ok := stage[x.AspirantID]; ok {
						row.Stage = cd.Stage.Label()
					}
				}
				bc.Rows = append(bc.Rows, row)
			}
		}
		for _, cd := range cands {
			if !slate.Stands(cd.Aspirant, c) {
				continue
			}
			post := cd.Post
			if cd.Committee != c {
				post = cd.CrossPost
			}
			bc.Aspirants = append(bc.Aspirants, boardAspirant{ID: cd.ID, Name: cd.Name, Post: post.Label(), Stage: cd.Stage.Label(),
				Reason: cd.Reason, Party: rank(c, slate.PartySource, post, cd.ID), Public: rank(c, slate.PublicSource, post, cd.ID)})
		}
		for _, fl := range formal {
			if fl.Committee != c {
				continue
			}
			bc.FormalOn = fl.PostedOn
			for _, p := range vetting.PostsOf(c) {
				f := boardFormal{Post: p}
				for _, x := range fl.Candidates {
					if x.Post == p && x.Standing() {
						f.Names = append(f.Names, x.Name)
					}
				}
				if len(f.Names) > 0 {
					bc.Formal = append(bc.Formal, f)
				}
			}
		}
		v.Committees = append(v.Committees, bc)
	}
	targets, _, err := db.Targets(ctx)
	if err != nil {
		return v, err
	}
	lineup := sl.Lineup()
	for _, r := range slate.Evaluate(lineup, targets) {
		if !r.Met {
			v.Unmet = append(v.Unmet, r)
		}
	}
	firsts := store.FirstsOf(recs)[sl.Code]
	v.United, v.Posts = slate.Unity(lineup, firsts[0], firsts[1])
	if v.TalksShown = db.Can(account.ViewVisits); v.TalksShown {
		v.Talks, err = db.TalkIntentions(ctx, code)
	}
	return v, err
}

func (s *Server) boardPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.boardView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "board", http.StatusOK, v)
	return nil
}

func (s *Server) apiBoard(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.boardView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	committees := make([]map[string]any, len(v.Committees))
	for i, c := range v.Committees {
		rows := make([]map[string]any, len(c.Rows))
		for j, row := range c.Rows {
			x := map[string]any{"post": row.Post, "sitting": row.Sitting, "stage": row.Stage}
			if p := row.Predicted; p != nil {
				x["predicted"] = map[string]any{"aspirant_id": p.AspirantID, "name": p.Name, "age": p.Age, "sex": p.Sex,
					"education": p.Education, "young": p.Young, "source": p.Source}
				x["party_votes"], x["public_votes"] = row.Party, row.Public
			}
			rows[j] = x
		}
		committees[i] = map[string]any{"committee": c.Committee, "seats": c.Seats, "seats_set": c.SeatsSet, "posts": rows,
			"aspirants": c.Aspirants, "formal": c.Formal, "formal_posted_on": c.FormalOn}
	}
	unmet := make([]map[string]any, len(v.Unmet))
	for i, r := range v.Unmet {
		unmet[i] = map[string]any{"name": r.Target.Name, "hard": r.Target.Hard, "reason": r.Reason}
	}
	out := map[string]any{"code": v.Code, "name": v.Name, "district": v.District, "election_days": v.Days,
		"dual": v.Dual, "committees": committees, "unmet": unmet, "united_posts": v.United, "posts": v.Posts}
	if v.TalksShown {
		out["talks"] = v.Talks
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// boardColumns are the board's columns in Excel, one row per seat.
var boardColumns = []xlsx.Column{{Head: "委员会", Width: 14}, {Head: "职务", Width: 8}, {Head: "现任", Width: 10},
	{Head: "预判人选", Width: 10}, {Head: "年龄", Width: 6}, {Head: "性别", Width: 6}, {Head: "文化程度", Width: 12},
	{Head: "党员推荐", Width: 18}, {Head: "群众推荐", Width: 18}, {Head: "考察", Width: 14}}

func (s *Server) boardExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	v, err := s.boardView(ctx, db, r.PathValue("code"))
	if err != nil {
		return err
	}
	type line struct {
		c   boardCommittee
		row boardRow
	}
	var lines []line
	for _, c := range v.Committees {
		for _, row := range c.Rows {
			lines = append(lines, line{c, row})
		}
	}
	return s.exportList(ctx, w, db, audit.ExportBoard, v.Name+"人选一览", boardColumns, len(lines), func(i int) []any {
		l := lines[i]
		out := []any{l.c.Label, l.row.Post.Label(), l.row.Sitting, "", "", "", "", l.row.Party.Text(), l.row.Public.Text(), l.row.Stage}
		if p := l.row.Predicted; p != nil {
			out[3], out[4], out[5], out[6] = p.Name, p.Age, p.Sex, p.Education.Label()
		}
		return out
	})
}

// Paper prints the board across A4: its columns need the width.
func (boardView) Paper() string { return "landscape" }
