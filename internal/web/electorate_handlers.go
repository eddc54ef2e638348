package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/registerxls"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The electorate and polling of a community (issue 15, points 1 and 2):
// one page for both committees (the residents' election committee, mode,
// register with its publication and objections; the party members with
// their attendance and the quorum; the polling stations with their staff,
// the candidates' close relatives and the proxies), its JSON twin, the
// forms and their API twins, the register's Excel import and export, and
// the printable list of proxies. The rules are election's; the store reads
// and writes in scope.

// registerPage is how many voters (and party members) a page lists: a
// register reaches thousands.
const registerPage = 100

// candidateChoice is a standing formal candidate, for the relatives' form.
type candidateChoice struct {
	ID        int64  `json:"aspirant_id"`
	Name      string `json:"name"`
	Committee string `json:"committee"`
}

type electorateView struct {
	store.Electorate
	Today      civil.Date
	CanEdit    bool
	Voters     store.VoterPage
	Pager      pager
	PartyList  store.PartyMemberPage
	PartyPager pager // its links are written by the page (party_page)
	Stations   []election.Station
	Relatives  []election.Relative
	Candidates []candidateChoice
	Proxies    int
	importOutcome
	ImportOf  string // "voters" or "party": which import the outcome is of
	RowErrors []xlsx.RowError
	Rest      string
}

func (v electorateView) Title() string { return v.Name + " · 选民与投票站" }

// The choices of the forms.
func (electorateView) Modes() []election.Mode                   { return election.Modes }
func (electorateView) Registrations() []election.Registration   { return election.Registrations }
func (electorateView) ObjectionKinds() []election.ObjectionKind { return election.ObjectionKinds }
func (electorateView) Rulings() []election.Ruling               { return election.Rulings }
func (electorateView) PartyStatuses() []election.PartyStatus    { return election.PartyStatuses }
func (electorateView) StationKinds() []election.StationKind     { return election.StationKinds }
func (electorateView) StaffRoles() []election.StaffRole         { return election.StaffRoles }
func (electorateView) Relations() []election.Relation           { return election.Relations }
func (electorateView) CommitteeRoles() []election.CommitteeRole {
	return election.CommitteeRoles
}
func (electorateView) Committees() []org.Committee { return org.Committees }

// Published reports whether the register is published.
func (v electorateView) Published() bool { return v.PublishedOn != "" }

// ObjectionsOpen reports whether objections are still taken today.
func (v electorateView) ObjectionsOpen() bool {
	return v.PublishedOn != "" && v.Today <= v.ObjectionsUntil
}

// PartyDay reports whether the party's vote has come: presence is marked
// from that day.
func (v electorateView) PartyDay() bool { return v.Days.Party != "" && v.Today >= v.Days.Party }

// Due is an answer's due day as the page writes it, with 逾期 when late.
func (electorateView) DueText(o store.ObjectionRow) string {
	if o.Late {
		return o.Due.String() + "(逾期)"
	}
	return o.Due.String()
}

// First is the number of the first row of a page of size registerPage.
func (electorateView) First(p pager) int { return p.First() }

// Add is a + b, for row numbers.
func (electorateView) Add(a, b int) int { return a + b }

func electorateURL(code string) string { return "/communities/" + url.PathEscape(code) + "/electorate" }

func (s *Server) electorateView(ctx context.Context, db *store.Scoped, code string, page, partyPage int) (electorateView, error) {
	e, err := db.Electorate(ctx, code)
	if err != nil {
		return electorateView{}, err
	}
	v := electorateView{Electorate: e, Today: s.st.Today(), CanEdit: db.Can(account.EditElection)}
	v.Pager = newPager(page, e.Register.Registered, registerPage)
	if v.Voters, err = db.Voters(ctx, code, registerPage, (v.Pager.Page-1)*registerPage); err != nil {
		return v, err
	}
	v.Pager = v.Pager.Of(url.Values{}, "名选民")
	v.PartyPager = newPager(partyPage, e.Party.Members, registerPage)
	if v.PartyList, err = db.PartyMembers(ctx, code, registerPage, (v.PartyPager.Page-1)*registerPage); err != nil {
		return v, err
	}
	if v.Stations, err = db.Stations(ctx, code, ""); err != nil {
		return v, err
	}
	if v.Relatives, err = db.Relatives(ctx, code); err != nil {
		return v, err
	}
	lists, err := db.FormalLists(ctx, code)
	if err != nil {
		return v, err
	}
	for _, l := range lists {
		for _, c := range l.Candidates {
			if c.Standing() {
				v.Candidates = append(v.Candidates, candidateChoice{c.AspirantID, c.Name, l.Committee.Label()})
			}
		}
	}
	proxies, err := db.Proxies(ctx, code)
	v.Proxies = len(proxies)
	return v, err
}

// partyPageParam reads ?party_page=, 1 by default.
func partyPageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("party_page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func (s *Server) electoratePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.electorateView(r.Context(), db, r.PathValue("code"), pageParam(r), partyPageParam(r))
	if err != nil {
		return err
	}
	s.render(w, r, "electorate", http.StatusOK, v)
	return nil
}

// electorateAgain is the page a refused form of community code comes back to.
func (s *Server) electorateAgain(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	v, err := s.electorateView(ctx, db, code, 1, 1)
	return "electorate", v, err
}

// apiElectorate answers GET /api/v1/communities/{code}/electorate: the
// aggregate (committee, mode, publication and deadlines, the register's
// counts, objections, the party's attendance and quorum), the stations
// with what each lacks, the relatives recorded and the number of proxies.
// The register and the party members are read a page at a time from
// /voters and /party-members.
func (s *Server) apiElectorate(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.electorateView(r.Context(), db, r.PathValue("code"), 1, 1)
	if err != nil {
		return err
	}
	stations := make([]map[string]any, len(v.Stations))
	for i, st := range v.Stations {
		stations[i] = map[string]any{"station": st, "ready": st.Ready()}
	}
	writeJSON(w, http.StatusOK, map[string]any{"electorate": v.Electorate, "stations": stations, "relatives": v.Relatives,
		"proxies": v.Proxies})
	return nil
}

// apiVoters answers GET /api/v1/communities/{code}/voters?limit=&offset=.
func (s *Server) apiVoters(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	limit, offset, err := apiPage(r.URL.Query())
	if err != nil {
		return err
	}
	p, err := db.Voters(r.Context(), r.PathValue("code"), limit, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// apiPartyMembers answers GET /api/v1/communities/{code}/party-members?limit=&offset=.
func (s *Server) apiPartyMembers(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	limit, offset, err := apiPage(r.URL.Query())
	if err != nil {
		return err
	}
	p, err := db.PartyMembers(r.Context(), r.PathValue("code"), limit, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// electorateAction is an action of the electorate page: its form comes
// back to the page, a success to the page with notice.
func electorateAction[In interface{ community() string }](s *Server, notice string, created bool,
	run func(ctx context.Context, db *store.Scoped, in In) (any, error)) handlerFunc {
	return act(s, action[In]{
		run:     run,
		created: created,
		next:    func(in In, _ any) string { return electorateURL(in.community()) },
		notice:  notice,
		page: func(ctx context.Context, db *store.Scoped, in In) (string, any, error) {
			return s.electorateAgain(ctx, db, in.community())
		},
	})
}

type committeeMemberInput struct {
	Community string                 `json:"-" path:"code"`
	Name      string                 `json:"name"`
	Role      election.CommitteeRole `json:"role"`
	JoinedOn  civil.Date             `json:"joined_on"`
}

func (x committeeMemberInput) community() string { return x.Community }

func (s *Server) addCommitteeMember() handlerFunc {
	return electorateAction(s, "选举委员会成员已登记。", true, func(ctx context.Context, db *store.Scoped, x committeeMemberInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.CommitteeMember, error) {
			return tx.AddCommitteeMember(ctx, x.Community, election.CommitteeMember{Name: x.Name, Role: x.Role, JoinedOn: x.JoinedOn})
		})
	})
}

type committeeLeaveInput struct {
	Community  string     `json:"-" path:"code"`
	ID         int64      `json:"-" path:"id"`
	LeftOn     civil.Date `json:"left_on"`
	LeftReason string     `json:"left_reason"`
}

func (x committeeLeaveInput) community() string { return x.Community }

func (s *Server) leaveCommittee() handlerFunc {
	return electorateAction(s, "已登记退出选举委员会。", false, func(ctx context.Context, db *store.Scoped, x committeeLeaveInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.CommitteeMember, error) {
			return tx.LeaveCommittee(ctx, x.Community, x.ID, election.Leaving{On: x.LeftOn, Reason: x.LeftReason})
		})
	})
}

type electoralModeInput struct {
	Community string        `json:"-" path:"code"`
	Mode      election.Mode `json:"mode"`
}

func (x electoralModeInput) community() string { return x.Community }

func (s *Server) setMode() handlerFunc {
	return electorateAction(s, "选举方式已保存。", false, func(ctx context.Context, db *store.Scoped, x electoralModeInput) (any, error) {
		return map[string]any{"mode": x.Mode}, db.Write(ctx, func(tx *store.Tx) error { return tx.SetMode(ctx, x.Community, x.Mode) })
	})
}

type voterInput struct {
	Community string                `json:"-" path:"code"`
	Name      string                `json:"name"`
	Sex       string                `json:"sex"`
	BirthDate civil.Date            `json:"birth_date"`
	Group     string                `json:"group"`
	Kind      election.Registration `json:"kind"`
}

func (x voterInput) community() string { return x.Community }

func (s *Server) addVoter() handlerFunc {
	return electorateAction(s, "选民已登记。", true, func(ctx context.Context, db *store.Scoped, x voterInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.Voter, error) {
			return tx.AddVoter(ctx, x.Community, election.Voter{Name: x.Name, Sex: x.Sex, BirthDate: x.BirthDate, Group: x.Group, Kind: x.Kind})
		})
	})
}

type removeVoterInput struct {
	Community string `json:"-" path:"code"`
	ID        int64  `json:"-" path:"id"`
	Reason    string `json:"reason"`
}

func (x removeVoterInput) community() string { return x.Community }

func (s *Server) removeVoter() handlerFunc {
	return electorateAction(s, "已删除该选民登记。", false, func(ctx context.Context, db *store.Scoped, x removeVoterInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.Voter, error) { return tx.RemoveVoter(ctx, x.Community, x.ID, x.Reason) })
	})
}

type registerPublishInput struct {
	Community   string     `json:"-" path:"code"`
	PublishedOn civil.Date `json:"published_on"`
}

func (x registerPublishInput) community() string { return x.Community }

func (s *Server) publishRegister() handlerFunc {
	return electorateAction(s, "选民名单公布日期已登记。", false, func(ctx context.Context, db *store.Scoped, x registerPublishInput) (any, error) {
		return map[string]any{"published_on": x.PublishedOn},
			db.Write(ctx, func(tx *store.Tx) error { return tx.PublishRegister(ctx, x.Community, x.PublishedOn) })
	})
}

// voterObjectionInput is an objection: to remove a voter named voter_name
// (voter_birth when two share it), or to add the person name, sex,
// birth_date, group, reg_kind.
type voterObjectionInput struct {
	Community  string                 `json:"-" path:"code"`
	FiledOn    civil.Date             `json:"filed_on"`
	Filer      string                 `json:"filer"`
	Kind       election.ObjectionKind `json:"kind"`
	Reason     string                 `json:"reason"`
	VoterName  string                 `json:"voter_name"`
	VoterBirth civil.Date             `json:"voter_birth"`
	Name       string                 `json:"name"`
	Sex        string                 `json:"sex"`
	BirthDate  civil.Date             `json:"birth_date"`
	Group      string                 `json:"group"`
	RegKind    election.Registration  `json:"reg_kind"`
}

func (x voterObjectionInput) community() string { return x.Community }

func (s *Server) fileObjection() handlerFunc {
	return electorateAction(s, "异议已受理。", true, func(ctx context.Context, db *store.Scoped, x voterObjectionInput) (any, error) {
		o, err := writeOne(ctx, db, func(tx *store.Tx) (election.Objection, error) {
			return tx.FileObjection(ctx, x.Community, store.ObjectionInput{Objection: election.Objection{FiledOn: x.FiledOn, Filer: x.Filer,
				Kind: x.Kind, Reason: x.Reason, Person: election.Voter{Name: x.Name, Sex: x.Sex, BirthDate: x.BirthDate, Group: x.Group,
					Kind: x.RegKind}}, VoterName: x.VoterName, VoterBirth: x.VoterBirth})
		})
		if x.Kind == election.ObjectAdd && errs.FieldOf(err) == "kind" { // the person's registration kind
			err = errs.OnField("reg_kind", errs.MessageOf(err))
		}
		return o, err
	})
}

type objectionAnswerInput struct {
	Community  string          `json:"-" path:"code"`
	ID         int64           `json:"-" path:"id"`
	AnsweredOn civil.Date      `json:"answered_on"`
	Ruling     election.Ruling `json:"decision"`
	Answer     string          `json:"answer"`
}

func (x objectionAnswerInput) community() string { return x.Community }

func (s *Server) answerObjection() handlerFunc {
	return electorateAction(s, "异议答复已登记。", false, func(ctx context.Context, db *store.Scoped, x objectionAnswerInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.Objection, error) {
			return tx.AnswerObjection(ctx, x.Community, x.ID, election.ObjectionAnswer{On: x.AnsweredOn, Ruling: x.Ruling, Text: x.Answer})
		})
	})
}

type partyMemberInput struct {
	Community string               `json:"-" path:"code"`
	Name      string               `json:"name"`
	Sex       string               `json:"sex"`
	BirthDate civil.Date           `json:"birth_date"`
	Status    election.PartyStatus `json:"status"`
	Excused   string               `json:"excused"`
}

func (x partyMemberInput) community() string { return x.Community }

func (s *Server) addPartyMember() handlerFunc {
	return electorateAction(s, "党员已登记。", true, func(ctx context.Context, db *store.Scoped, x partyMemberInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.PartyMember, error) {
			return tx.AddPartyMember(ctx, x.Community, election.PartyMember{Name: x.Name, Sex: x.Sex, BirthDate: x.BirthDate,
				Status: x.Status, Excused: x.Excused})
		})
	})
}

type partyEditInput struct {
	Community string               `json:"-" path:"code"`
	ID        int64                `json:"-" path:"id"`
	Status    election.PartyStatus `json:"status"`
	Excused   string               `json:"excused"`
}

func (x partyEditInput) community() string { return x.Community }

func (s *Server) editPartyMember() handlerFunc {
	return electorateAction(s, "党员表决权和请假已保存。", false, func(ctx context.Context, db *store.Scoped, x partyEditInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.PartyMember, error) {
			return tx.UpdatePartyMember(ctx, x.Community, x.ID, x.Status, x.Excused)
		})
	})
}

type partyPresentInput struct {
	Community string `json:"-" path:"code"`
	ID        int64  `json:"-" path:"id"`
	Present   bool   `json:"present"`
}

func (x partyPresentInput) community() string { return x.Community }

func (s *Server) markPresent() handlerFunc {
	return electorateAction(s, "到会情况已登记。", false, func(ctx context.Context, db *store.Scoped, x partyPresentInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.PartyMember, error) {
			return tx.MarkPresent(ctx, x.Community, x.ID, x.Present)
		})
	})
}

// registerKind is the register an import or template route is about: the
// party members' under /party-members/, else the voters'.
func registerKind(r *http.Request) registerxls.Kind {
	if strings.Contains(r.URL.Path, "/party-members/") {
		return registerxls.Party
	}
	return registerxls.Residents
}

// registerWhat is what register k lists, for messages.
func registerWhat(k registerxls.Kind) string {
	if k == registerxls.Party {
		return "党员"
	}
	return "选民"
}

// registerTemplate is the empty template of the voters' or the party
// members' register. An audited download.
func (s *Server) registerTemplate(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	cd, err := db.CommunityDays(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	k := registerKind(r)
	if err := s.auditExport(ctx, db, audit.ExportRegisterTemplate, 0); err != nil {
		return err
	}
	name := cd.Name + "选民名单模板.xlsx"
	if k == registerxls.Party {
		name = cd.Name + "党员名单模板.xlsx"
	}
	return sendXLSX(w, name, func(out io.Writer) error { return registerxls.WriteTemplate(out, k, cd.Name) })
}

// importRegister reads an uploaded register of the community in the path
// and, when every row is good, enters it all in one transaction; with any
// bad cell it enters nothing.
func (s *Server) importRegister(r *http.Request, db *store.Scoped) (int, xlsx.Errors, []byte, error) {
	ctx := r.Context()
	none := xlsx.Errors{}
	code := r.PathValue("code")
	cd, err := db.CommunityDays(ctx, code)
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
	var n int
	if registerKind(r) == registerxls.Party {
		on := map[string]bool{}
		all, err := db.PartyMembers(ctx, code, 0, 0)
		if err != nil {
			return 0, none, nil, err
		}
		for _, m := range all.Members {
			on[m.Name+"|"+string(m.BirthDate)] = true
		}
		list, rowErrs, err := registerxls.ReadPartyMembers(bytes.NewReader(raw), s.st.Today(), on)
		if err != nil || rowErrs.Total > 0 {
			return 0, rowErrs, raw, err
		}
		if len(list) == 0 {
			return 0, none, nil, errs.New(errs.Unprocessable, "文件中没有填写任何党员")
		}
		n, err = writeOne(ctx, db, func(tx *store.Tx) (int, error) { return tx.ImportPartyMembers(ctx, code, list) })
		return n, none, nil, err
	}
	on := map[string]int64{}
	all, err := db.Voters(ctx, code, 0, 0)
	if err != nil {
		return 0, none, nil, err
	}
	for _, v := range all.Voters {
		on[v.Key()] = v.ID
	}
	list, rowErrs, err := registerxls.ReadVoters(bytes.NewReader(raw), cd.Days.Residents, on)
	if err != nil || rowErrs.Total > 0 {
		return 0, rowErrs, raw, err
	}
	if len(list) == 0 {
		return 0, none, nil, errs.New(errs.Unprocessable, "文件中没有填写任何选民")
	}
	n, err = writeOne(ctx, db, func(tx *store.Tx) (int, error) { return tx.ImportVoters(ctx, code, list) })
	return n, none, nil, err
}

func (s *Server) registerImportForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	k := registerKind(r)
	n, rowErrs, raw, err := s.importRegister(r, db)
	o, st, err := s.outcome(r.Context(), db, n, err, rowErrs, registerWhat(k), func(w io.Writer) error { return registerxls.Annotate(w, k, raw, rowErrs) })
	if err != nil {
		return err
	}
	v, err := s.electorateView(r.Context(), db, r.PathValue("code"), 1, 1)
	if err != nil {
		return err
	}
	v.importOutcome, v.RowErrors, v.Rest, v.ImportOf = o, rowErrs.List, rowErrs.Rest(), "voters"
	if k == registerxls.Party {
		v.ImportOf = "party-members"
	}
	s.render(w, r, "electorate", st, v)
	return nil
}

// votersExport is the register as posted (选民榜): name, sex, year of
// birth, group and kind, every standing voter; before the publication, the
// draft, named so. Audited.
func (s *Server) votersExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	code := r.PathValue("code")
	e, err := db.Electorate(ctx, code)
	if err != nil {
		return err
	}
	all, err := db.Voters(ctx, code, 0, 0)
	if err != nil {
		return err
	}
	if err := s.auditExport(ctx, db, audit.ExportVoters, len(all.Voters)); err != nil {
		return err
	}
	name := e.Name + "选民名单(未公布).xlsx"
	if e.PublishedOn != "" {
		name = e.Name + "选民名单(" + e.PublishedOn.String() + "公布).xlsx"
	}
	return sendXLSX(w, name, func(out io.Writer) error { return registerxls.WritePublished(out, all.Voters) })
}
