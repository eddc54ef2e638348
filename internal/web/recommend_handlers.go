package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/recxls"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Two recommendations (两推, issue 14 point 3): per community, each
// committee's party members' and residents' (or representatives')
// recommendation, its turnout and per post the persons ranked by votes with
// their share; entered one at a time by a form and its JSON twin, or all
// at once from the community's Excel template.

// recSlot is one of a committee's two recommendations, entered or not.
type recSlot struct {
	Committee org.Committee      `json:"committee"`
	Source    slate.Source       `json:"source"`
	Set       bool               `json:"set"`
	Kind      slate.Kind         `json:"kind,omitempty"`
	Expected  int                `json:"expected"`
	Present   int                `json:"present"`
	Day       civil.Date         `json:"day,omitempty"`
	Turnout   float64            `json:"turnout"` // 实参加 ÷ 应参加, a percentage with one decimal
	Posts     []store.RankedPost `json:"posts"`
}

type recCommittee struct {
	Committee org.Committee `json:"committee"`
	Label     string        `json:"label"`
	Slots     []recSlot     `json:"recommendations"`
}

type recommendationsView struct {
	Code, Name string
	Days       progress.Days
	Today      civil.Date
	Committees []recCommittee
	People     []store.AspirantRow // the community's aspirants who may be proposed, offered in the form
	Rows       int                 // rows of the form
	CanEdit    bool
	importOutcome
	RowErrors []xlsx.RowError
	Rest      string
}

func (v recommendationsView) Title() string { return v.Name + " · 两推" }

// Choices of the form.
func (recommendationsView) Kinds() []slate.Kind            { return slate.Kinds }
func (recommendationsView) CommitteeList() []org.Committee { return org.Committees }
func (recommendationsView) Posts() []vetting.Post          { return vetting.Posts }

// RowNumbers are the form's rows, 0 to Rows-1.
func (v recommendationsView) RowNumbers() []int {
	out := make([]int, v.Rows)
	for i := range out {
		out[i] = i
	}
	return out
}

// eligibleAspirants are the aspirants of community code who may be
// proposed (slate.Eligible).
func eligibleAspirants(ctx context.Context, db *store.Scoped, code string) ([]store.AspirantRow, error) {
	list, err := db.Aspirants(ctx, store.AspirantFilter{OrgCode: code})
	if err != nil {
		return nil, err
	}
	var out []store.AspirantRow
	for _, a := range list {
		if ok, _ := slate.Eligible(a.Status); ok {
			out = append(out, a)
		}
	}
	return out, nil
}

func (s *Server) recommendationsView(ctx context.Context, db *store.Scoped, code string) (recommendationsView, error) {
	cd, err := db.CommunityDays(ctx, code)
	if err != nil {
		return recommendationsView{}, err
	}
	recs, err := db.Recommendations(ctx, cd.Code)
	if err != nil {
		return recommendationsView{}, err
	}
	v := recommendationsView{Code: cd.Code, Name: cd.Name, Days: cd.Days, Today: s.st.Today(), CanEdit: db.Can(account.EditSlate)}
	for _, c := range org.Committees {
		rc := recCommittee{Committee: c, Label: c.Label()}
		for _, src := range slate.Sources {
			slot := recSlot{Committee: c, Source: src, Posts: []store.RankedPost{}}
			for _, r := range recs {
				if r.Committee == c && r.Source == src {
					slot = recSlot{Committee: c, Source: src, Set: true, Kind: r.Kind, Expected: r.Expected, Present: r.Present,
						Day: r.Day, Turnout: r.Turnout(), Posts: r.Posts}
				}
			}
			rc.Slots = append(rc.Slots, slot)
		}
		v.Committees = append(v.Committees, rc)
	}
	if v.CanEdit {
		if v.People, err = eligibleAspirants(ctx, db, cd.Code); err != nil {
			return v, err
		}
		v.Rows = min(max(len(v.People)+2, 5), 60)
	}
	return v, nil
}

func (s *Server) recommendationsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.recommendationsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "recommendations", http.StatusOK, v)
	return nil
}

func (s *Server) apiRecommendations(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.recommendationsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": v.Code, "name": v.Name, "committees": v.Committees})
	return nil
}

// recommendationInput is one recommendation: the API's JSON with its votes
// [{aspirant_id, post, votes}]; the page's rows votes[N].aspirant_id,
// .post and .votes, a row left empty dropped.
type recommendationInput struct {
	Community string        `json:"-" path:"code"`
	Committee org.Committee `json:"committee"`
	Kind      slate.Kind    `json:"kind"`
	Expected  int           `json:"expected"`
	Present   int           `json:"present"`
	Day       civil.Date    `json:"day"`
	Votes     []slate.Vote  `json:"votes"`
	rows      []int         // the page's row of each vote; nil on the API
}

func (in *recommendationInput) readForm(v url.Values) error {
	if strings.TrimSpace(v.Get("present")) == "" {
		return errs.OnField("present", "请填写实参加人数")
	}
	in.rows = []int{}
	for i := 0; v.Has(fmt.Sprintf("votes[%d].aspirant_id", i)); i++ {
		name := func(k string) string { return fmt.Sprintf("votes[%d].%s", i, k) }
		at := func(k string) string { return strings.TrimSpace(v.Get(name(k))) }
		if at("aspirant_id") == "" && at("votes") == "" {
			continue // an empty row
		}
		row := "第" + strconv.Itoa(i+1) + "行:"
		id, err := strconv.ParseInt(at("aspirant_id"), 10, 64)
		if err != nil {
			return errs.OnField(name("aspirant_id"), row+"请选择被推荐人")
		}
		n, err := strconv.Atoi(at("votes"))
		if err != nil {
			return errs.OnField(name("votes"), row+"得票数须为整数")
		}
		in.Votes = append(in.Votes, slate.Vote{AspirantID: id, Post: vetting.Post(at("post")), Votes: n})
		in.rows = append(in.rows, i)
	}
	return nil
}

func recommendationsURL(code string) string {
	return "/communities/" + url.PathEscape(code) + "/recommendations"
}

func (s *Server) setRecommendation() handlerFunc {
	return act(s, action[recommendationInput]{
		run: func(ctx context.Context, db *store.Scoped, in recommendationInput) (any, error) {
			rec := slate.Recommendation{Committee: in.Committee, Kind: in.Kind, Expected: in.Expected, Present: in.Present,
				Day: in.Day, Votes: in.Votes}
			out, err := writeOne(ctx, db, func(tx *store.Tx) (slate.Recommendation, error) {
				return tx.SetRecommendation(ctx, in.Community, rec)
			})
			if err != nil {
				return nil, onRows(err, "votes", in.rows)
			}
			return map[string]any{"recommendation": out, "source": out.Kind.Source()}, nil
		},
		next:   func(in recommendationInput, _ any) string { return recommendationsURL(in.Community) },
		notice: "推荐票已保存。",
		page: func(ctx context.Context, db *store.Scoped, in recommendationInput) (string, any, error) {
			v, err := s.recommendationsView(ctx, db, in.Community)
			return "recommendations", v, err
		},
	})
}

// recommendationsTemplate is the community's Excel template: its aspirants
// who may be proposed, by committee and post. An audited download (names).
func (s *Server) recommendationsTemplate(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	cd, err := db.CommunityDays(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	people, err := eligibleAspirants(ctx, db, cd.Code)
	if err != nil {
		return err
	}
	list := make([]vetting.Aspirant, len(people))
	for i, a := range people {
		list[i] = a.Aspirant
	}
	if err := s.auditExport(ctx, db, audit.ExportRecommend, len(list)); err != nil {
		return err
	}
	return sendXLSX(w, cd.Name+"两推推荐票.xlsx", func(out io.Writer) error { return recxls.Write(out, cd.Name, list) })
}

// importRecommendations reads an uploaded template of the community in the
// path and, when every row is good, enters all its recommendations in one
// transaction; with any bad cell it enters nothing.
func (s *Server) importRecommendations(r *http.Request, db *store.Scoped) (int, xlsx.Errors, []byte, error) {
	ctx := r.Context()
	none := xlsx.Errors{}
	cd, err := db.CommunityDays(ctx, r.PathValue("code"))
	if err != nil {
		return 0, none, nil, err
	}
	file, _, err := r.FormFile("file") // within the upload limit: checkInput (input.go)
	if err != nil {
		return 0, none, nil, errs.Wrap(err, errs.Unprocessable, "请选择 Excel 文件(.xlsx)")
	}
	defer file.Close()
	raw, err := io.ReadAll(file)
	if err != nil {
		return 0, none, nil, errs.Wrap(err, errs.Unprocessable, "文件读取失败")
	}
	list, err := db.Aspirants(ctx, store.AspirantFilter{OrgCode: cd.Code})
	if err != nil {
		return 0, none, nil, err
	}
	people := make(map[int64]vetting.Aspirant, len(list))
	for _, a := range list {
		people[a.ID] = a.Aspirant
	}
	recs, rowErrs, err := recxls.Read(bytes.NewReader(raw), people, s.st.Today(),
		func(c org.Committee) civil.Date { return cd.Days.For(progress.Election(c)) })
	if err != nil || rowErrs.Total > 0 {
		return 0, rowErrs, raw, err
	}
	if len(recs) == 0 {
		return 0, none, nil, errs.New(errs.Unprocessable, "文件中没有填写任何得票")
	}
	err = db.Write(ctx, func(tx *store.Tx) error { return tx.SetRecommendations(ctx, cd.Code, recs) })
	return len(recs), none, nil, err
}

func (s *Server) recommendationsImportForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	n, rowErrs, raw, err := s.importRecommendations(r, db)
	o, st, err := s.outcome(r.Context(), db, n, err, rowErrs, "推荐票", func(w io.Writer) error { return recxls.Annotate(w, raw, rowErrs) })
	if err != nil {
		return err
	}
	v, err := s.recommendationsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	v.importOutcome, v.RowErrors, v.Rest = o, rowErrs.List, rowErrs.Rest()
	s.render(w, r, "recommendations", st, v)
	return nil
}

func (s *Server) apiRecommendationsImport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	n, rowErrs, _, err := s.importRecommendations(r, db)
	if err != nil {
		return err
	}
	if rowErrs.Total > 0 {
		writeRowErrors(w, rowErrs, "推荐票")
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]int{"applied": n})
	return nil
}

// aspirantVotes are an aspirant's votes in the recommendations of its
// community, for its page: each with its rank among those of that post.
type aspirantVotes struct {
	Committee org.Committee
	Kind      slate.Kind
	Post      vetting.Post
	slate.Ranked
	Of int // how many were ranked for the post
}

func aspirantRecommendations(ctx context.Context, db *store.Scoped, a store.AspirantRow) ([]aspirantVotes, error) {
	recs, err := db.Recommendations(ctx, a.OrgCode)
	if err != nil {
		return nil, err
	}
	var out []aspirantVotes
	for _, r := range recs {
		for _, p := range r.Posts {
			for _, x := range p.Ranked {
				if x.AspirantID == a.ID {
					out = append(out, aspirantVotes{Committee: r.Committee, Kind: r.Kind, Post: p.Post, Ranked: x, Of: len(p.Ranked)})
				}
			}
		}
	}
	return out, nil
}

// TurnoutText is the turnout as pages write it: "95.0%".
func (s recSlot) TurnoutText() string { return slate.Percent(s.Turnout) }
