package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The outcome check (issue 15, point 6): one ballot's figures in, its
// outcome under the current cycle's settings out, decided by the same
// election.Decide as real elections. Nothing is stored. The page
// /elections/outcome-check is the form; POST /api/v1/outcome-check the API.

// Bounds on what one check reads, before any work.
const (
	maxCheckCandidates = 100
	maxCheckBallots    = 20000
	maxCheckSeats      = 15
)

type outcomeCandidate struct {
	Name  string `json:"name"`
	Sex   string `json:"sex"`
	Votes *int   `json:"votes"`
}

type outcomeSettings struct {
	ThresholdBase election.Base `json:"threshold_base"`
	WomenSeat     *bool         `json:"women_seat"`
}

// outcomeInput is the API's request as issue 15 names it; the page's form
// has the same names, its candidates as rows candidates[N].name, .sex,
// .votes and the settings as threshold_base and women_seat.
type outcomeInput struct {
	Committee    org.Committee      `json:"committee"`
	Round        election.Round     `json:"round"`
	Seats        *int               `json:"seats"`
	Post         vetting.Post       `json:"post"` // whose margin a first ballot keeps; 委员 when omitted
	Registered   *int               `json:"registered"`
	ShouldAttend *int               `json:"should_attend"`
	Present      *int               `json:"present"`
	Voted        *int               `json:"voted"`
	Issued       *int               `json:"ballots_issued"`
	Returned     *int               `json:"ballots_returned"`
	Invalid      *int               `json:"invalid_ballots"`
	Candidates   []outcomeCandidate `json:"candidates"`
	Ballots      [][]string         `json:"ballots"`
	Settings     outcomeSettings    `json:"settings"`
	rows         []int              // the page's row of each candidate; nil on the API
}

// field names candidate i's field as the page or the API numbered it.
func (in outcomeInput) field(i int, name string) string {
	if in.rows != nil {
		i = in.rows[i]
	}
	return "candidates[" + strconv.Itoa(i) + "]." + name
}

func (in *outcomeInput) readForm(v url.Values) error {
	for i := 0; i < maxCheckCandidates; i++ {
		p := "candidates[" + strconv.Itoa(i) + "]."
		name, votes := v.Get(p+"name"), v.Get(p+"votes")
		if name == "" && votes == "" {
			continue
		}
		c := outcomeCandidate{Name: name, Sex: v.Get(p + "sex")}
		if votes != "" {
			n, err := strconv.Atoi(votes)
			if err != nil {
				return errs.OnField(p+"votes", "票数应为整数")
			}
			c.Votes = &n
		}
		in.Candidates = append(in.Candidates, c)
		in.rows = append(in.rows, i)
	}
	in.Settings.ThresholdBase = election.Base(v.Get("threshold_base"))
	switch v.Get("women_seat") {
	case "1":
		in.Settings.WomenSeat = new(true)
	case "0":
		in.Settings.WomenSeat = new(false)
	}
	return nil
}

// ballot checks the request and makes it the ballot Decide takes, with
// the cycle's settings as the request overrides them. What is missing or
// out of bounds is refused on its field; figures that break a rule are
// not refused: the outcome says so (valid false, with the check's code).
func (in outcomeInput) ballot(s election.Settings, m slate.Margins) (election.Ballot, election.Settings, error) {
	b := election.Ballot{Committee: in.Committee, Round: in.Round}
	if b.Committee != org.PartyCommittee && b.Committee != org.ResidentsCommittee {
		return b, s, errs.OnField("committee", "请选择党组织或居民委员会")
	}
	switch b.Round {
	case "":
		b.Round = election.FirstRound
	case election.FirstRound, election.FurtherRound, election.RevoteRound, election.RepeatRound:
	default:
		return b, s, errs.OnField("round", "请选择投票轮次")
	}
	need := func(p *int, field, name string, lo, hi int) (int, error) {
		if p == nil {
			return 0, errs.OnField(field, "请填写"+name)
		}
		if *p < lo || *p > hi {
			return 0, errs.OnField(field, name+"应在"+strconv.Itoa(lo)+"到"+strconv.Itoa(hi)+"之间")
		}
		return *p, nil
	}
	opt := func(p *int, field, name string) (int, error) {
		if p == nil {
			return 0, nil
		}
		return need(p, field, name, 0, 10_000_000)
	}
	var err error
	if b.Seats, err = need(in.Seats, "seats", "应选名额", 1, maxCheckSeats); err != nil {
		return b, s, err
	}
	if b.Committee == org.PartyCommittee {
		if b.ShouldAttend, err = need(in.ShouldAttend, "should_attend", "应到会有选举权的党员人数", 0, 10_000_000); err != nil {
			return b, s, err
		}
		if b.Present, err = need(in.Present, "present", "实到会人数", 0, 10_000_000); err != nil {
			return b, s, err
		}
	} else if b.Registered, err = need(in.Registered, "registered", "登记选民人数", 0, 10_000_000); err != nil {
		return b, s, err
	}
	if b.Voted, err = opt(in.Voted, "voted", "参加投票人数"); err != nil {
		return b, s, err
	}
	if len(in.Candidates) == 0 {
		return b, s, errs.OnField("candidates", "请至少填写一名候选人")
	}
	if len(in.Candidates) > maxCheckCandidates {
		return b, s, errs.OnField("candidates", "候选人最多"+strconv.Itoa(maxCheckCandidates)+"名")
	}
	if len(in.Ballots) > maxCheckBallots {
		return b, s, errs.OnField("ballots", "逐张选票最多"+strconv.Itoa(maxCheckBallots)+"张")
	}
	seen := map[string]bool{}
	for i, c := range in.Candidates {
		if c.Name == "" || utf8.RuneCountInString(c.Name) > 30 {
			return b, s, errs.OnField(in.field(i, "name"), "请填写候选人姓名(不超过30字)")
		}
		if seen[c.Name] {
			return b, s, errs.OnField(in.field(i, "name"), c.Name+"重复")
		}
		seen[c.Name] = true
		if c.Sex != "" && c.Sex != "男" && c.Sex != "女" {
			return b, s, errs.OnField(in.field(i, "sex"), "性别应为男或女")
		}
		votes := 0
		if in.Ballots == nil {
			if votes, err = need(c.Votes, in.field(i, "votes"), c.Name+"的得票数", 0, 10_000_000); err != nil {
				return b, s, err
			}
		}
		b.Candidates = append(b.Candidates, election.Candidate{Name: c.Name, Sex: c.Sex, Votes: votes})
	}
	b.Formal = len(b.Candidates)
	if in.Ballots != nil {
		for i, names := range in.Ballots {
			if len(names) > maxCheckCandidates {
				return b, s, errs.OnField("ballots", "第"+strconv.Itoa(i+1)+"张选票的姓名过多")
			}
		}
		b.Candidates, b.Invalid = election.CountNames(in.Ballots, b.Seats, b.Candidates)
		b.Returned = len(in.Ballots)
	} else {
		if b.Returned, err = need(in.Returned, "ballots_returned", "收回选票数", 0, 10_000_000); err != nil {
			return b, s, err
		}
		if b.Invalid, err = need(in.Invalid, "invalid_ballots", "无效票数", 0, 10_000_000); err != nil {
			return b, s, err
		}
	}
	b.Issued = b.Returned
	if in.Issued != nil {
		if b.Issued, err = opt(in.Issued, "ballots_issued", "发出选票数"); err != nil {
			return b, s, err
		}
	}
	if b.Round == election.FirstRound || b.Round == election.RepeatRound {
		post := vetting.CommitteeMember
		if in.Post != "" {
			if !in.Post.Fits(b.Committee) {
				return b, s, errs.OnField("post", "职位应为"+b.Committee.Label()+"的职位")
			}
			post = in.Post
		}
		b.MinFormal = election.MinCandidates(b.Committee, post, b.Seats, m)
	}
	if in.Settings.ThresholdBase != "" {
		if in.Settings.ThresholdBase != election.BaseShouldAttend && in.Settings.ThresholdBase != election.BasePresent {
			return b, s, errs.OnField("threshold_base", "当选票数基数应为应到会或实到会")
		}
		s.ThresholdBase = in.Settings.ThresholdBase
	}
	if in.Settings.WomenSeat != nil {
		s.WomenSeat = *in.Settings.WomenSeat
	}
	return b, s, nil
}

func (s *Server) decideOutcome(ctx context.Context, db *store.Scoped, in outcomeInput) (election.Outcome, error) {
	settings, err := db.ElectionSettings(ctx)
	if err != nil {
		return election.Outcome{}, err
	}
	margins, err := db.Margins(ctx)
	if err != nil {
		return election.Outcome{}, err
	}
	b, settings, err := in.ballot(settings, margins)
	if err != nil {
		return election.Outcome{}, err
	}
	return election.Decide(b, settings), nil
}

type outcomeCheckView struct {
	Settings   election.Settings
	Committees []org.Committee
	Bases      []election.Base
	Rounds     []election.Round
	Posts      []vetting.Post // whose margin a first ballot keeps
	Rows       []int
	Outcome    *election.Outcome
	Committee  org.Committee
}

func (s *Server) outcomeCheckView(ctx context.Context, db *store.Scoped, rows int) (outcomeCheckView, error) {
	settings, err := db.ElectionSettings(ctx)
	v := outcomeCheckView{Settings: settings, Committees: org.Committees, Bases: election.Bases, Rounds: election.Rounds,
		Posts: []vetting.Post{vetting.CommitteeMember, vetting.Director, vetting.DeputyDirector, vetting.Secretary, vetting.DeputySecretary}}
	for i := range max(rows+2, 8) {
		v.Rows = append(v.Rows, i)
	}
	return v, err
}

func (s *Server) outcomeCheckPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.outcomeCheckView(r.Context(), db, 0)
	if err != nil {
		return err
	}
	s.render(w, r, "outcome_check", http.StatusOK, v)
	return nil
}

// checkOutcome serves both routes: the API answers the outcome; the page
// shows it under the form as it was typed (nothing is stored, so there is
// nowhere to redirect to).
func (s *Server) checkOutcome(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in outcomeInput
	err := decodeInput(r, &in)
	var o election.Outcome
	if err == nil {
		o, err = s.decideOutcome(r.Context(), db, in)
	}
	if isAPI(r) {
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, o)
		return nil
	}
	page := func(ctx context.Context) (string, any, error) {
		last := 0
		if len(in.rows) > 0 {
			last = in.rows[len(in.rows)-1] + 1
		}
		v, err := s.outcomeCheckView(ctx, db, last)
		v.Committee = in.Committee
		return "outcome_check", v, err
	}
	if err != nil {
		return s.refused(w, r, db, err, page)
	}
	_, view, err := page(r.Context())
	if err != nil {
		return err
	}
	v := view.(outcomeCheckView)
	v.Outcome = &o
	s.renderPage(w, r, "outcome_check", http.StatusOK, v, &formState{Action: r.URL.Path, Values: r.PostForm, Kept: true})
	return nil
}
