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
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Counting (issue 15, points 3 and 4): a community's ballots, opened from
// the formal list; a ballot's stations with where each one's double entry
// stands; a clerk's entry form, which shows only the clerk's own entry; the
// coordinator's page of both entries and their differences; 唱票 on a phone
// and its totals on the projector; the coordinator's overview of stations
// awaiting. The rules are election's (desk.go, counting.go, check.go) and
// the store's (counts.go, counts_tally.go).

func ballotsURL(code string) string { return "/communities/" + url.PathEscape(code) + "/ballots" }
func ballotURL(id int64) string     { return "/ballots/" + strconv.FormatInt(id, 10) }
func unitURL(id int64, page string) string {
	return "/count-units/" + strconv.FormatInt(id, 10) + "/" + page
}

// --- A community's ballots ---

// ballotsCommittee is one committee's part of the ballots page: its
// ballots, its formal list's standing candidates, its seats and election
// day, for the form that opens a ballot.
type ballotsCommittee struct {
	Committee   org.Committee        `json:"committee"`
	Label       string               `json:"label"`
	ElectionDay civil.Date           `json:"election_day"`
	Seats       map[vetting.Post]int `json:"seats"`
	Listed      []election.Nominee   `json:"candidates"`
	Ballots     []ballotItem         `json:"ballots"`
}

// ballotItem is a ballot in the list, with its seats in words.
type ballotItem struct {
	store.Ballot
	SeatsText string `json:"-"`
}

// Posts are the committee's posts, for the seats of the form.
func (c ballotsCommittee) Posts() []vetting.Post { return vetting.PostsOf(c.Committee) }

type ballotsView struct {
	Code, Name string
	Committees []ballotsCommittee
	CanOpen    bool
	// Electorate: the registers' counts, what the opening form holds.
	Electorate store.ElectorateCounts
}

// Held is n as a form's held value, nothing for 0 (not registered yet).
func (ballotsView) Held(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func (v ballotsView) Title() string { return v.Name + " · 投票与计票" }

// Rounds are the choices of the round.
func (ballotsView) Rounds() []election.Round { return election.Rounds }

func (s *Server) ballotsView(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	days, err := db.CommunityDays(ctx, code)
	if err != nil {
		return "", nil, err
	}
	cs, err := db.Seats(ctx, code)
	if err != nil {
		return "", nil, err
	}
	lists, err := db.FormalLists(ctx, code)
	if err != nil {
		return "", nil, err
	}
	ballots, err := db.Ballots(ctx, code)
	if err != nil {
		return "", nil, err
	}
	electorate, err := db.ElectorateCounts(ctx, code)
	if err != nil {
		return "", nil, err
	}
	v := ballotsView{Code: days.Code, Name: days.Name, CanOpen: db.Can(account.EditElection), Electorate: electorate}
	for _, c := range org.Committees {
		bc := ballotsCommittee{Committee: c, Label: c.Label(), ElectionDay: days.Days.For(progress.Election(c)), Seats: map[vetting.Post]int{},
			Listed: []election.Nominee{}, Ballots: []ballotItem{}}
		if seats, ok := cs.Seats[c]; ok {
			for _, p := range vetting.PostsOf(c) {
				bc.Seats[p] = seats.Of(p)
			}
		}
		for _, l := range lists {
			if l.Committee == c {
				for _, p := range l.Candidates {
					if p.Standing() {
						bc.Listed = append(bc.Listed, election.Nominee{Key: strconv.FormatInt(p.AspirantID, 10), Name: p.Name, Sex: p.Sex, Post: p.Post})
					}
				}
			}
		}
		for _, b := range ballots {
			if b.Committee == c {
				bc.Ballots = append(bc.Ballots, ballotItem{b, SeatsText(b)})
			}
		}
		v.Committees = append(v.Committees, bc)
	}
	return "ballots", v, nil
}

func (s *Server) ballotsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.ballotsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiBallots(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, v, err := s.ballotsView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	bv := v.(ballotsView)
	writeJSON(w, http.StatusOK, map[string]any{"code": bv.Code, "name": bv.Name, "committees": bv.Committees})
	return nil
}

// openInput opens a ballot of one committee: the API's JSON {round, day,
// registered, should_attend, present, seats: {post: n}, candidates: [aspirant
// id as text]} (seats and candidates left out: the community's seats and
// every standing formal candidate); the form's seats_<post> (all empty: the
// community's) and its ticked candidates.
type openInput struct {
	Community    string               `json:"-" path:"code"`
	Committee    org.Committee        `json:"-" path:"committee"`
	Round        election.Round       `json:"round"`
	Day          civil.Date           `json:"day"`
	Registered   int                  `json:"registered"`
	ShouldAttend int                  `json:"should_attend"`
	Present      int                  `json:"present"`
	Seats        map[vetting.Post]int `json:"seats"`
	Candidates   []string             `json:"candidates"`
	bad          error                // the form's first number that is not one
}

// readForm reads the seats of every post: the committee is not read yet
// (it is the path's), so both committees' posts are looked for.
func (in *openInput) readForm(v url.Values) error {
	for _, p := range vetting.Posts {
		field := "seats_" + string(p)
		n, err := formInt(v, field, p.Label()+"应选人数")
		if err != nil {
			in.bad = cmpOr(in.bad, err)
			continue
		}
		if n != nil {
			if in.Seats == nil {
				in.Seats = map[vetting.Post]int{}
			}
			in.Seats[p] = *n
		}
	}
	return nil
}

// cmpOr is the first error that is not nil.
func cmpOr(errors ...error) error {
	for _, err := range errors {
		if err != nil {
			return err
		}
	}
	return nil
}

// formInt reads a number field of a form: nil when left empty.
func formInt(v url.Values, field, name string) (*int, error) {
	text := strings.TrimSpace(v.Get(field))
	if text == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return nil, errs.OnField(field, "“"+name+"”须为整数")
	}
	return &n, nil
}

func (s *Server) openBallot() handlerFunc {
	return act(s, action[openInput]{
		run: func(ctx context.Context, db *store.Scoped, in openInput) (any, error) {
			if in.bad != nil {
				return nil, in.bad
			}
			return writeOne(ctx, db, func(tx *store.Tx) (store.Ballot, error) {
				return tx.OpenBallot(ctx, in.Community, election.Opening{Committee: in.Committee, Round: in.Round, Day: in.Day,
					Seats: in.Seats, Candidates: in.Candidates, Registered: in.Registered, ShouldAttend: in.ShouldAttend, Present: in.Present})
			})
		},
		created: true,
		next:    func(_ openInput, out any) string { return ballotURL(out.(store.Ballot).ID) },
		notice:  "已开启投票,主会场已设为第一个计票点。",
		page: func(ctx context.Context, db *store.Scoped, in openInput) (string, any, error) {
			return s.ballotsView(ctx, db, in.Community)
		},
	})
}

// --- One ballot ---

// unitRow is a station on the ballot's page with what the reader may do.
type unitRow struct {
	store.CountUnit
	Enter, Tally, Screen, Desk bool
	// Unmet is what the polling station the unit is still lacks; its
	// count cannot be entered until it is met.
	Unmet []string
}

type ballotView struct {
	B     store.Ballot
	Units []unitRow
	// Total is the stations' sum once every one is confirmed, with its
	// checks' findings and the warnings acknowledged.
	Total         *election.Count
	Findings      []election.Finding
	Acked         map[string]bool
	Voids         bool // a finding makes the vote void
	CanEdit       bool // may add stations
	CanVoid       bool // may declare the vote void now (a confirmed one: who may also confirm counts)
	CanCoordinate bool
	Me            string
	// Free are the committee's registered polling stations not yet a
	// count unit of the ballot.
	Free []election.Station
	// WrittenIn are the persons written in whom this ballot elected, with
	// their details or the form that enters them (CanWrittenIn).
	WrittenIn    []writtenInRow
	CanWrittenIn bool
	// Pending says why the committee's members are not set (the ballot confirmed).
	Pending string
}

// writtenInRow is a person written in and elected, as the ballot page
// shows them.
type writtenInRow struct{ store.WrittenInPerson }

// Held is a detail as entered ("" while missing), for the form.
func (r writtenInRow) Held(field string) string {
	d := r.Details
	if d == nil {
		return ""
	}
	switch field {
	case "sex":
		return d.Sex
	case "birth_date":
		return string(d.BirthDate)
	case "education":
		return string(d.Education)
	case "party":
		return string(d.Party)
	}
	return ""
}

// Educations and Parties are the choices of the written-in form.
func (ballotView) Educations() []vetting.Education { return vetting.Educations }
func (ballotView) Parties() []vetting.Party        { return vetting.Parties }

// Sexes are the choices of a person's sex.
func (ballotView) Sexes() []string { return []string{"男", "女"} }

// Party reports a party committee's ballot.
func (v ballotView) Party() bool { return v.B.Committee == org.PartyCommittee }

func (v ballotView) Title() string { return v.B.Name + " · " + ballotTitle(v.B) }

// ballotTitle names a ballot: "党组织委员会 第一次投票".
func ballotTitle(b store.Ballot) string {
	t := b.Committee.Label() + " " + b.Round.Label()
	if b.Seq > 1 {
		t += "(第" + strconv.Itoa(b.Seq) + "次)"
	}
	return t
}

// Heading is the ballot's name on its pages.
func (v ballotView) Heading() string { return ballotTitle(v.B) }

// Kinds are the choices of a station's kind.
func (ballotView) Kinds() []election.UnitKind { return election.UnitKinds }

// Candidates are the ballot's candidates by post.
func (v ballotView) Candidates() []election.Nominee { return v.B.Candidates }

// SeatsText writes the seats: "书记1名、委员3名".
func SeatsText(b store.Ballot) string {
	var parts []string
	for _, p := range vetting.PostsOf(b.Committee) {
		if n := b.Seats[p]; n > 0 {
			parts = append(parts, p.Label()+strconv.Itoa(n)+"名")
		}
	}
	return strings.Join(parts, "、")
}

// Seats writes the ballot's seats.
func (v ballotView) Seats() string { return SeatsText(v.B) }

func (s *Server) ballotView(ctx context.Context, db *store.Scoped, id int64) (string, any, error) {
	b, err := db.Ballot(ctx, id)
	if err != nil {
		return "", nil, err
	}
	u := db.User()
	v := ballotView{B: b, CanEdit: db.Can(account.EditElection) && !b.Closed(), CanCoordinate: db.Can(account.CoordinateCount),
		Acked: map[string]bool{}, Me: u.Username}
	v.CanVoid = db.Can(account.EditElection) && (!b.Closed() || b.State == election.BallotConfirmed && v.CanCoordinate)
	if b.State == election.BallotConfirmed {
		persons, err := db.WrittenInElected(ctx, b.Community)
		if err != nil {
			return "", nil, err
		}
		for _, p := range persons {
			if p.BallotID == b.ID {
				v.WrittenIn = append(v.WrittenIn, writtenInRow{p})
			}
		}
		pending, err := db.ResultsPending(ctx, b.Community)
		if err != nil {
			return "", nil, err
		}
		v.Pending, v.CanWrittenIn = pending[b.Committee], v.CanCoordinate
	}
	for _, x := range b.Units {
		open := !b.Closed() && x.Status != election.EntryConfirmed
		clerk := x.Clerks[0] == u.Username || x.Clerks[1] == u.Username
		// A clerk of the station goes back to their entry; anyone else may
		// begin the first entry, or the second once the first is final.
		free := x.Clerks[0] == "" || (x.Clerks[1] == "" && x.Status == election.EntrySecond)
		v.Units = append(v.Units, unitRow{CountUnit: x,
			Enter:  open && u.Can(account.EnterCount) && !x.Tallying() && (clerk || free),
			Tally:  open && u.Can(account.EnterCount) && x.Clerks[0] == "" && !x.TallyDone,
			Screen: x.TallyRead > 0,
			Desk:   u.Can(account.CoordinateCount) && !clerk && x.Status != election.EntryNone})
	}
	stations, err := db.Stations(ctx, b.Community, b.Committee)
	if err != nil {
		return "", nil, err
	}
	linked := map[int64]bool{}
	for i := range v.Units {
		linked[v.Units[i].Station] = true
		for _, st := range stations {
			if st.ID == v.Units[i].Station && !st.Ready() {
				v.Units[i].Unmet, v.Units[i].Enter, v.Units[i].Tally = st.Unmet, false, false
			}
		}
	}
	for _, st := range stations {
		if !linked[st.ID] {
			v.Free = append(v.Free, st)
		}
	}
	if total, ok := b.Sum(); ok && b.State != election.BallotVoid {
		v.Total = &total
		if b.State == election.BallotConfirmed {
			v.Total = b.Total
		}
		settings, err := db.ElectionSettings(ctx)
		if err != nil {
			return "", nil, err
		}
		v.Findings = election.Check(*v.Total, b.Contest(), settings)
		acks, err := db.BallotAcks(ctx, id)
		if err != nil {
			return "", nil, err
		}
		for _, a := range acks {
			v.Acked[a.Code] = true
		}
		for _, f := range v.Findings {
			v.Voids = v.Voids || election.Voids(f.Code)
		}
	}
	return "ballot", v, nil
}

func (s *Server) apiBallot(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到这次投票")
	if err != nil {
		return err
	}
	_, v, err := s.ballotView(r.Context(), db, id)
	if err != nil {
		return err
	}
	bv := v.(ballotView)
	written := make([]store.WrittenInPerson, len(bv.WrittenIn))
	for i, p := range bv.WrittenIn {
		written[i] = p.WrittenInPerson
	}
	out := map[string]any{"ballot": bv.B, "sum": bv.Total, "findings": bv.Findings, "acknowledged": bv.Acked,
		"voided_after_confirmation": bv.B.VoidedAfterConfirm(), "written_in": written, "results_pending": bv.Pending}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// unitInput adds a station: a registered polling station {station_id},
// or one named here {name, kind}.
type unitInput struct {
	Ballot  int64             `json:"-" path:"id"`
	Station int64             `json:"station_id"`
	Name    string            `json:"name"`
	Kind    election.UnitKind `json:"kind"`
}

func (s *Server) addCountUnit() handlerFunc {
	return act(s, action[unitInput]{
		run: func(ctx context.Context, db *store.Scoped, in unitInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (store.CountUnit, error) {
				return tx.AddCountUnit(ctx, in.Ballot, in.Name, in.Kind, in.Station)
			})
		},
		created: true,
		next:    func(in unitInput, _ any) string { return ballotURL(in.Ballot) },
		notice:  "计票点已设立。",
		page: func(ctx context.Context, db *store.Scoped, in unitInput) (string, any, error) {
			return s.ballotView(ctx, db, in.Ballot)
		},
	})
}

// voidInput declares a vote void: {reason}.
type voidInput struct {
	Ballot int64  `json:"-" path:"id"`
	Reason string `json:"reason"`
}

// voidBallot declares a ballot void. A ballot confirmed before (the store
// recomputes the committee's members and takes back the vote stage its
// confirmation marked) has its void decision filed into the archive right
// after, in this request, as a confirmed ballot's report is; a failure
// there leaves the void standing, and the report's page offers to file it.
func (s *Server) voidBallot() handlerFunc {
	return act(s, action[voidInput]{
		run: func(ctx context.Context, db *store.Scoped, in voidInput) (any, error) {
			b, err := writeOne(ctx, db, func(tx *store.Tx) (store.Ballot, error) { return tx.VoidBallot(ctx, in.Ballot, in.Reason) })
			if err != nil {
				return nil, err
			}
			if b.VoidedAfterConfirm() && s.files != nil {
				if _, err := s.fileReports(ctx, db, b.ID); err != nil {
					s.log.Error("filing the ballot's void decision", "ballot", b.ID, "err", err)
				}
			}
			return b, nil
		},
		next:   func(in voidInput, _ any) string { return ballotURL(in.Ballot) },
		notice: "已宣布本次选举无效,请在期限内重新选举。",
		noticeOf: func(_ voidInput, out any) string {
			if b, ok := out.(store.Ballot); ok && b.VoidedAfterConfirm() {
				return "已宣布本次选举无效,当选人员已按其余有效投票重新计算,无效决定归入档案;请在期限内重新选举。"
			}
			return "已宣布本次选举无效,请在期限内重新选举。"
		},
		page: func(ctx context.Context, db *store.Scoped, in voidInput) (string, any, error) {
			return s.ballotView(ctx, db, in.Ballot)
		},
	})
}

// ackInput acknowledges a warning by its code: {code}.
type ackInput struct {
	ID   int64  `json:"-" path:"id"`
	Code string `json:"code"`
}

func (s *Server) ackBallot() handlerFunc {
	return act(s, action[ackInput]{
		run: func(ctx context.Context, db *store.Scoped, in ackInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (map[string]string, error) {
				return map[string]string{"acknowledged": in.Code}, tx.AcknowledgeCount(ctx, in.ID, 0, in.Code)
			})
		},
		next:   func(in ackInput, _ any) string { return ballotURL(in.ID) },
		notice: "已确认知悉该提醒。",
		page: func(ctx context.Context, db *store.Scoped, in ackInput) (string, any, error) {
			return s.ballotView(ctx, db, in.ID)
		},
	})
}

// idInput is an action on the record of the path alone.
type idInput struct {
	ID int64 `json:"-" path:"id"`
}

func (s *Server) confirmBallot() handlerFunc {
	return act(s, action[idInput]{
		run: func(ctx context.Context, db *store.Scoped, in idInput) (any, error) {
			b, err := writeOne(ctx, db, func(tx *store.Tx) (store.Ballot, error) { return tx.ConfirmBallot(ctx, in.ID) })
			if err != nil {
				return nil, err
			}
			// The report goes into the archive right after, in this request;
			// where that fails the confirmation stands and the report's page
			// offers to file it (the filing is idempotent).
			if s.files != nil {
				if _, err := s.fileReport(ctx, db, b.ID); err != nil {
					s.log.Error("filing the ballot's report", "ballot", b.ID, "err", err)
				}
			}
			return b, nil
		},
		next:   func(in idInput, _ any) string { return ballotURL(in.ID) },
		notice: "本次投票的计票结果已确认。",
		noticeOf: func(_ idInput, out any) string {
			if b, ok := out.(store.Ballot); ok && b.Results != "" {
				return "本次投票的计票结果已确认;当选人员尚未登记,原因见本页。"
			}
			return "本次投票的计票结果已确认。"
		},
		page: func(ctx context.Context, db *store.Scoped, in idInput) (string, any, error) {
			return s.ballotView(ctx, db, in.ID)
		},
	})
}

// writtenInInput is the details of a person written in whom the ballot
// elected: {name, sex, birth_date, education, party}; the form names the
// person in a hidden field, one form per person.
type writtenInInput struct {
	Ballot    int64             `json:"-" path:"id"`
	Name      string            `json:"name"`
	Sex       string            `json:"sex"`
	BirthDate civil.Date        `json:"birth_date"`
	Education vetting.Education `json:"education"`
	Party     vetting.Party     `json:"party"`
}

// setWrittenIn enters the details of a person written in and elected
// (count.coordinate: like confirming, it completes the result); the
// committee's members follow once every such person is known.
func (s *Server) setWrittenIn() handlerFunc {
	return act(s, action[writtenInInput]{
		run: func(ctx context.Context, db *store.Scoped, in writtenInInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (store.WrittenInAnswer, error) {
				return tx.SetWrittenIn(ctx, in.Ballot, election.WrittenIn{Name: in.Name, Sex: in.Sex, BirthDate: in.BirthDate,
					Education: in.Education, Party: in.Party})
			})
		},
		next: func(in writtenInInput, _ any) string { return ballotURL(in.Ballot) },
		noticeOf: func(_ writtenInInput, out any) string {
			if a, ok := out.(store.WrittenInAnswer); ok && a.Pending != "" {
				return "信息已登记;当选人员尚未登记,原因见本页。"
			}
			return "信息已登记,本委员会的当选人员已随之登记。"
		},
		page: func(ctx context.Context, db *store.Scoped, in writtenInInput) (string, any, error) {
			return s.ballotView(ctx, db, in.Ballot)
		},
	})
}

// --- A clerk's entry ---

// writeInRows are the write-in rows the form offers beyond those entered.
const writeInRows = 3

type entryView struct {
	E store.MyEntry
	// Count is what the form holds: the clerk's own entry, or the blank sheet.
	Count    election.Count
	WriteIns []election.Line // the entered ones and blank rows
	Posts    []vetting.Post  // the posts the ballot elects, for write-ins
	Voids    bool
}

func (v entryView) Title() string { return v.E.Unit.Name + " · 计票录入" }

// Heading is the ballot's name.
func (v entryView) Heading() string { return ballotTitle(v.E.Ballot) }

// Ordinal is 一 or 二.
func (v entryView) Ordinal() string { return ordinalOf(v.E.N) }

func ordinalOf(n int) string {
	if n == 2 {
		return "二"
	}
	return "一"
}

// num writes a number of the sheet as a form holds it: "" when empty.
func num(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// Num is num for the templates.
func (entryView) Num(p *int) string { return num(p) }

// Top are the count sheet's fields above the lines, in the sheet's order.
func (v entryView) Top() []topField {
	c := v.Count
	return []topField{{"voted", c.Voted, false}, {"ballots_issued", c.Issued, true}, {"ballots_returned", c.Returned, true},
		{"valid_ballots", c.Valid, true}, {"invalid_ballots", c.Invalid, true}}
}

// topField is one number above the lines.
type topField struct {
	Name     string
	Value    *int
	Required bool
}

// Label is its Chinese name.
func (f topField) Label() string { return election.FieldName(f.Name) }

// Text is its value as a form holds it.
func (f topField) Text() string { return num(f.Value) }

// postsOf are the posts b elects, in order.
func postsOf(b store.Ballot) []vetting.Post {
	var out []vetting.Post
	for _, p := range vetting.PostsOf(b.Committee) {
		if b.Seats[p] > 0 {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) entryView(ctx context.Context, db *store.Scoped, unitID int64) (string, any, error) {
	e, err := db.MyEntry(ctx, unitID)
	if err != nil {
		return "", nil, err
	}
	v := entryView{E: e, Count: e.Ballot.Blank(), Posts: postsOf(e.Ballot)}
	if e.Sheet != nil {
		v.Count = e.Sheet.Count
	}
	v.WriteIns = append(append([]election.Line{}, v.Count.WriteIns...), make([]election.Line, writeInRows)...)
	for _, f := range e.Findings {
		v.Voids = v.Voids || election.Voids(f.Code)
	}
	return "count_entry", v, nil
}

func (s *Server) apiEntry(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到这个计票点")
	if err != nil {
		return err
	}
	e, err := db.MyEntry(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// entryInput is a clerk's entry of a count sheet: the API's JSON is the
// sheet (election.Count: voted, ballots_issued, …, lines [{key, post, yes,
// no, abstain}], write_ins [{name, post, yes}], an empty field null) with
// final (提交) and fill_zero (其余填0); the form names the same fields,
// lines[N].yes and write_ins[N].name, an empty field left empty.
type entryInput struct {
	Unit int64 `json:"-" path:"id"`
	election.Count
	Final    bool  `json:"final"`
	FillZero bool  `json:"fill_zero"`
	bad      error // the form's first number that is not one
}

// readForm reads the sheet from the form; a number that is not one is
// kept for run to refuse, so that the path is read and the page comes back.
func (in *entryInput) readForm(v url.Values) error {
	var err error
	for _, f := range []struct {
		name string
		to   **int
	}{{"voted", &in.Voted}, {"ballots_issued", &in.Issued}, {"ballots_returned", &in.Returned}, {"valid_ballots", &in.Valid},
		{"invalid_ballots", &in.Invalid}} {
		if *f.to, err = formInt(v, f.name, election.FieldName(f.name)); err != nil {
			in.bad = cmpOr(in.bad, err)
		}
	}
	for i := 0; v.Has(fmt.Sprintf("lines[%d].key", i)); i++ {
		p := fmt.Sprintf("lines[%d].", i)
		l := election.Line{Key: v.Get(p + "key"), Post: vetting.Post(v.Get(p + "post"))}
		for _, f := range []struct {
			name, label string
			to          **int
		}{{"yes", "赞成票", &l.Yes}, {"no", "不赞成票", &l.No}, {"abstain", "弃权票", &l.Abstain}} {
			if *f.to, err = formInt(v, p+f.name, f.label); err != nil {
				in.bad = cmpOr(in.bad, err)
			}
		}
		in.Lines = append(in.Lines, l)
	}
	for i := 0; v.Has(fmt.Sprintf("write_ins[%d].name", i)); i++ {
		p := fmt.Sprintf("write_ins[%d].", i)
		w := election.Line{Name: v.Get(p + "name"), Post: vetting.Post(v.Get(p + "post"))}
		if w.Yes, err = formInt(v, p+"yes", "另选他人票数"); err != nil {
			in.bad = cmpOr(in.bad, err)
		}
		in.WriteIns = append(in.WriteIns, w)
	}
	return nil
}

func (s *Server) saveEntry() handlerFunc {
	return act(s, action[entryInput]{
		run: func(ctx context.Context, db *store.Scoped, in entryInput) (any, error) {
			if in.bad != nil {
				return nil, in.bad
			}
			if _, err := writeOne(ctx, db, func(tx *store.Tx) (int, error) {
				return tx.SaveEntry(ctx, in.Unit, in.Count, in.Final, in.FillZero)
			}); err != nil {
				return nil, err
			}
			return db.MyEntry(ctx, in.Unit)
		},
		next: func(in entryInput, out any) string {
			if in.Final {
				return ballotURL(out.(store.MyEntry).Ballot.ID)
			}
			return unitURL(in.Unit, "entry")
		},
		notice: "计票录入已保存。",
		page: func(ctx context.Context, db *store.Scoped, in entryInput) (string, any, error) {
			return s.entryView(ctx, db, in.Unit)
		},
	})
}

// --- The coordinator's desk ---

type deskView struct {
	D     store.Desk
	Acked map[string]bool
	Voids bool
	Both  bool // both entries final: the resolution's choices
	Rows  []deskRow
}

func (v deskView) Title() string { return v.D.Unit.Name + " · 核对两次录入" }

// Heading is the ballot's name.
func (v deskView) Heading() string { return ballotTitle(v.D.Ballot) }

// Resolutions are the coordinator's choices; keeping one needs differences.
func (v deskView) Resolutions() []election.Resolution {
	if v.D.Unit.Status == election.EntryDifferent {
		return election.Resolutions
	}
	return []election.Resolution{election.ReturnFirst, election.ReturnSecond, election.DiscardBoth}
}

// deskRow is one field of the sheet with both entries' values.
type deskRow struct {
	Label, First, Second string
}

// Differ reports whether the entries differ on it.
func (r deskRow) Differ() bool { return r.First != r.Second }

// sheetRows lists the fields of two entries side by side.
func sheetRows(a, b election.Count) []deskRow {
	var out []deskRow
	text := func(p *int) string {
		if p == nil {
			return "空"
		}
		return strconv.Itoa(*p)
	}
	for _, f := range []struct {
		name string
		x, y *int
	}{{"voted", a.Voted, b.Voted}, {"ballots_issued", a.Issued, b.Issued}, {"ballots_returned", a.Returned, b.Returned},
		{"valid_ballots", a.Valid, b.Valid}, {"invalid_ballots", a.Invalid, b.Invalid}} {
		out = append(out, deskRow{election.FieldName(f.name), text(f.x), text(f.y)})
	}
	for i, l := range a.Lines {
		var m election.Line
		if i < len(b.Lines) {
			m = b.Lines[i]
		}
		who := l.Name + "(" + l.Post.Label() + ")"
		out = append(out, deskRow{who + "赞成", text(l.Yes), text(m.Yes)}, deskRow{who + "不赞成", text(l.No), text(m.No)},
			deskRow{who + "弃权", text(l.Abstain), text(m.Abstain)})
	}
	find := func(ws []election.Line, w election.Line) *int {
		for _, x := range ws {
			if x.Name == w.Name && x.Post == w.Post {
				if x.Yes == nil {
					return nil
				}
				return x.Yes
			}
		}
		return nil
	}
	seen := map[string]bool{}
	for _, w := range append(append([]election.Line{}, a.WriteIns...), b.WriteIns...) {
		k := w.Name + "/" + string(w.Post)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, deskRow{"另选他人" + w.Name + "(" + w.Post.Label() + ")", text(find(a.WriteIns, w)), text(find(b.WriteIns, w))})
	}
	return out
}

func (s *Server) deskView(ctx context.Context, db *store.Scoped, unitID int64) (string, any, error) {
	d, err := db.CountDesk(ctx, unitID)
	if err != nil {
		return "", nil, err
	}
	v := deskView{D: d, Acked: map[string]bool{}}
	for _, a := range d.Acks {
		v.Acked[a.Code] = true
	}
	for _, f := range d.Findings {
		v.Voids = v.Voids || election.Voids(f.Code)
	}
	a, b := d.Sheets[0], d.Sheets[1]
	v.Both = a != nil && b != nil && a.Final && b.Final && d.Unit.Status != election.EntryConfirmed && !d.Ballot.Closed()
	if a != nil && b != nil && a.Count.Lines != nil && b.Count.Lines != nil {
		v.Rows = sheetRows(a.Count, b.Count)
	}
	return "count_desk", v, nil
}

func (s *Server) apiDesk(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到这个计票点")
	if err != nil {
		return err
	}
	d, err := db.CountDesk(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// resolveInput is the coordinator's resolution: {resolution}.
type resolveInput struct {
	Unit       int64               `json:"-" path:"id"`
	Resolution election.Resolution `json:"resolution"`
}

func (s *Server) resolveCount() handlerFunc {
	return act(s, action[resolveInput]{
		run: func(ctx context.Context, db *store.Scoped, in resolveInput) (any, error) {
			if _, err := writeOne(ctx, db, func(tx *store.Tx) (int, error) { return 0, tx.ResolveCount(ctx, in.Unit, in.Resolution) }); err != nil {
				return nil, err
			}
			return db.CountDesk(ctx, in.Unit)
		},
		next:   func(in resolveInput, _ any) string { return unitURL(in.Unit, "differences") },
		notice: "已处理两次录入。",
		page: func(ctx context.Context, db *store.Scoped, in resolveInput) (string, any, error) {
			return s.deskView(ctx, db, in.Unit)
		},
	})
}

func (s *Server) ackCount() handlerFunc {
	return act(s, action[ackInput]{
		run: func(ctx context.Context, db *store.Scoped, in ackInput) (any, error) {
			if _, err := writeOne(ctx, db, func(tx *store.Tx) (int, error) { return 0, tx.AcknowledgeCount(ctx, 0, in.ID, in.Code) }); err != nil {
				return nil, err
			}
			return map[string]string{"acknowledged": in.Code}, nil
		},
		next:   func(in ackInput, _ any) string { return unitURL(in.ID, "differences") },
		notice: "已确认知悉该提醒。",
		page: func(ctx context.Context, db *store.Scoped, in ackInput) (string, any, error) {
			return s.deskView(ctx, db, in.ID)
		},
	})
}

func (s *Server) confirmCount() handlerFunc {
	return act(s, action[idInput]{
		run: func(ctx context.Context, db *store.Scoped, in idInput) (any, error) {
			if _, err := writeOne(ctx, db, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, in.ID) }); err != nil {
				return nil, err
			}
			return db.CountDesk(ctx, in.ID)
		},
		next:   func(in idInput, out any) string { return ballotURL(out.(store.Desk).Ballot.ID) },
		notice: "计票点的计票结果已确认。",
		page: func(ctx context.Context, db *store.Scoped, in idInput) (string, any, error) {
			return s.deskView(ctx, db, in.ID)
		},
	})
}

// --- 唱票 ---

// writeInMarks are the rows for names written in on the 唱票 form.
const writeInMarks = 2

type tallyView struct {
	T       store.Tally
	Posts   []vetting.Post
	CanRead bool
	Blank   []int // the write-in rows
}

func (v tallyView) Title() string { return v.T.Unit.Name + " · 唱票" }

// Heading is the ballot's name.
func (v tallyView) Heading() string { return ballotTitle(v.T.Ballot) }

// Choices are the marks of a candidate.
func (tallyView) Choices() []election.Choice { return election.Choices }

// Num writes a total.
func (tallyView) Num(p *int) string { return num(p) }

// Last writes the last ballot's marks: "张三赞成、李四弃权、另选王五(委员)".
func (v tallyView) Last() string {
	if v.T.Last == nil {
		return ""
	}
	var parts []string
	for _, m := range v.T.Last.Marks {
		if m.Key == "" {
			parts = append(parts, "另选"+m.Name+"("+m.Post.Label()+")")
		} else {
			parts = append(parts, m.Name+m.Choice.Label())
		}
	}
	if len(parts) == 0 {
		return "废票"
	}
	return strings.Join(parts, "、")
}

func (s *Server) tallyView(ctx context.Context, db *store.Scoped, unitID int64) (string, any, error) {
	t, err := db.Tally(ctx, unitID)
	if err != nil {
		return "", nil, err
	}
	v := tallyView{T: t, Posts: postsOf(t.Ballot), Blank: make([]int, writeInMarks),
		CanRead: !t.Ballot.Closed() && !t.Unit.TallyDone && t.Unit.Clerks[0] == ""}
	for i := range v.Blank {
		v.Blank[i] = i
	}
	return "tally", v, nil
}

// apiTally answers the live totals of a station's 唱票, which its
// projector page polls.
func (s *Server) apiTally(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到这个计票点")
	if err != nil {
		return err
	}
	t, err := db.Tally(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// screenView is the projector's page: the totals in large type.
type screenView struct{ tallyView }

func (v screenView) Title() string { return v.T.Unit.Name + " · 唱票大屏" }

// Source is the API the page's script polls.
func (v screenView) Source() string { return "/api/v1" + unitURL(v.T.Unit.ID, "tally") }

func (s *Server) screenPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到这个计票点")
	if err != nil {
		return err
	}
	_, v, err := s.tallyView(r.Context(), db, id)
	if err != nil {
		return err
	}
	s.render(w, r, "tally_screen", http.StatusOK, screenView{v.(tallyView)})
	return nil
}

// readInput is one ballot read aloud: the API's JSON {marks: [{key, post,
// choice} | {name, post}], spoiled}; the form's marks[N].key, .post and
// .choice per candidate, and write_ins[N].name and .post.
type readInput struct {
	Unit    int64           `json:"-" path:"id"`
	Marks   []election.Mark `json:"marks"`
	Spoiled bool            `json:"spoiled"`
	rows    map[int]string  // the form's field of each mark, for a refusal
}

func (in *readInput) readForm(v url.Values) error {
	in.rows = map[int]string{}
	for i := 0; v.Has(fmt.Sprintf("marks[%d].key", i)); i++ {
		p := fmt.Sprintf("marks[%d].", i)
		in.rows[len(in.Marks)] = p
		in.Marks = append(in.Marks, election.Mark{Key: v.Get(p + "key"), Post: vetting.Post(v.Get(p + "post")),
			Choice: election.Choice(v.Get(p + "choice"))})
	}
	for i := 0; v.Has(fmt.Sprintf("write_ins[%d].name", i)); i++ {
		p := fmt.Sprintf("write_ins[%d].", i)
		if strings.TrimSpace(v.Get(p+"name")) == "" {
			continue
		}
		in.rows[len(in.Marks)] = p
		in.Marks = append(in.Marks, election.Mark{Name: v.Get(p + "name"), Post: vetting.Post(v.Get(p + "post")), Choice: election.Yes})
	}
	return nil
}

// onForm puts a refusal of a mark on the form's field.
func (in readInput) onForm(err error) error {
	var k int
	var rest string
	field := errs.FieldOf(err)
	if in.rows == nil || field == "" {
		return err
	}
	if n, _ := fmt.Sscanf(field, "marks[%d].%s", &k, &rest); n < 2 || in.rows[k] == "" {
		return err
	}
	if strings.HasPrefix(in.rows[k], "write_ins") && rest != "name" {
		rest = "post"
	}
	if strings.HasPrefix(in.rows[k], "marks") {
		rest = "choice"
	}
	return &errs.Error{Code: errs.CodeOf(err), Message: errs.MessageOf(err), Field: in.rows[k] + rest, Err: err}
}

func (s *Server) readAloud() handlerFunc {
	return act(s, action[readInput]{
		run: func(ctx context.Context, db *store.Scoped, in readInput) (any, error) {
			tb, err := writeOne(ctx, db, func(tx *store.Tx) (store.TallyBallot, error) { return tx.ReadAloud(ctx, in.Unit, in.Marks, in.Spoiled) })
			return tb, in.onForm(err)
		},
		created: true,
		next:    func(in readInput, _ any) string { return unitURL(in.Unit, "tally") },
		notice:  "已记下这张选票。",
		page: func(ctx context.Context, db *store.Scoped, in readInput) (string, any, error) {
			return s.tallyView(ctx, db, in.Unit)
		},
	})
}

func (s *Server) undoTally() handlerFunc {
	return act(s, action[idInput]{
		run: func(ctx context.Context, db *store.Scoped, in idInput) (any, error) {
			return writeOne(ctx, db, func(tx *store.Tx) (store.TallyBallot, error) { return tx.UndoTally(ctx, in.ID) })
		},
		next:   func(in idInput, _ any) string { return unitURL(in.ID, "tally") },
		notice: "已撤销上一张选票。",
		page: func(ctx context.Context, db *store.Scoped, in idInput) (string, any, error) {
			return s.tallyView(ctx, db, in.ID)
		},
	})
}

// finishInput ends a station's 唱票: {ballots_issued, voted}.
type finishInput struct {
	Unit   int64 `json:"-" path:"id"`
	Issued *int  `json:"ballots_issued"`
	Voted  *int  `json:"voted"`
}

func (s *Server) finishTally() handlerFunc {
	return act(s, action[finishInput]{
		run: func(ctx context.Context, db *store.Scoped, in finishInput) (any, error) {
			if _, err := writeOne(ctx, db, func(tx *store.Tx) (int, error) { return 0, tx.FinishTally(ctx, in.Unit, in.Issued, in.Voted) }); err != nil {
				return nil, err
			}
			return db.MyEntry(ctx, in.Unit)
		},
		next:   func(in finishInput, _ any) string { return unitURL(in.Unit, "entry") },
		notice: "唱票结束,结果已作为第一次录入提交;请另一名录入员依计票单做第二次录入。",
		page: func(ctx context.Context, db *store.Scoped, in finishInput) (string, any, error) {
			return s.tallyView(ctx, db, in.Unit)
		},
	})
}

// --- The coordinator's overview ---

const countsPageSize = 50

type countsView struct {
	Rows     []store.CountRow
	Status   election.EntryStatus
	Pager    pager
	Statuses []election.EntryStatus
}

func (v countsView) Title() string { return "待处理的计票" }

// BallotTitle names a row's ballot.
func (countsView) BallotTitle(r store.CountRow) string {
	return ballotTitle(store.Ballot{Committee: r.Committee, Round: r.Round, Seq: r.Seq})
}

// countsStatus reads ?status=: one of store.Awaiting, or all of them.
func countsStatus(q url.Values) ([]election.EntryStatus, election.EntryStatus, error) {
	st := election.EntryStatus(q.Get("status"))
	if st == "" {
		return nil, "", nil
	}
	for _, a := range store.Awaiting {
		if a == st {
			return []election.EntryStatus{st}, st, nil
		}
	}
	return nil, "", errs.OnField("status", "请选择待第二次录入、不一致或一致")
}

func (s *Server) countsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	statuses, st, err := countsStatus(r.URL.Query())
	if err != nil {
		return err
	}
	page := pageParam(r)
	rows, total, err := db.CountsAwaiting(r.Context(), statuses, countsPageSize, (page-1)*countsPageSize)
	if err != nil {
		return err
	}
	v := countsView{Rows: rows, Status: st, Statuses: store.Awaiting}
	v.Pager = newPager(page, total, countsPageSize).Of(url.Values{"status": {string(st)}}, "个计票点")
	s.render(w, r, "counts", http.StatusOK, v)
	return nil
}

func (s *Server) apiCounts(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	statuses, _, err := countsStatus(q)
	if err != nil {
		return err
	}
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	rows, total, err := db.CountsAwaiting(r.Context(), statuses, limit, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rows, "total": total, "limit": limit, "offset": offset})
	return nil
}

// postOutcome is one post's outcome, for the page, in the order of posts.
type postOutcome struct {
	Post vetting.Post
	election.Outcome
}

// Outcomes is what the law made of the confirmed count, post by post.
func (v ballotView) Outcomes() []postOutcome {
	var out []postOutcome
	for _, p := range vetting.PostsOf(v.B.Committee) {
		if o, ok := v.B.Outcome[p]; ok {
			out = append(out, postOutcome{p, o})
		}
	}
	return out
}
