package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The reports of a ballot (issue 15, point 7; reference cn-systems.md
// §3.5): the 选举结果报告单 (who could and did vote, the ballots issued,
// returned, valid and invalid, each candidate's 赞成, 不赞成 and 弃权 by
// post, the names written in, the outcome, the signatures), the 计票汇总
// (each station's confirmed figures and their sum) and the 当选名单 (the
// committee's elected members from the results). One page, each part
// printed on its own A4 sheet, with its JSON twin; the same view is the
// workbook filed into the community's archive when the ballot's count is
// confirmed (fileReport), once per ballot.

func reportURL(id int64) string { return ballotURL(id) + "/report" }

// stationsPerTable is how many stations one table of the 计票汇总 holds
// side by side, so that it fits A4 portrait.
const stationsPerTable = 4

// reportLine is a candidate's (or a written-in name's) line of the report:
// its total and its 赞成 at each station (nil where the station's count is
// not confirmed or does not name it).
type reportLine struct {
	election.Line
	WriteIn  bool   `json:"write_in,omitempty"`
	Stations []*int `json:"stations"`
}

// outcomeLine is the outcome of one post (of the ballot as a whole when
// Post is empty) in words.
type outcomeLine struct {
	Post              vetting.Post `json:"post,omitempty"`
	Label             string       `json:"label"` // what it decided: a post, the committee's members, the ballot
	Valid             bool         `json:"valid"`
	Elected           []string     `json:"elected"`
	FurtherSeats      int          `json:"further_ballot_seats,omitempty"`
	FurtherCandidates []string     `json:"further_ballot_candidates,omitempty"`
	RevoteBetween     []string     `json:"revote_between,omitempty"`
	WomenSeat         bool         `json:"women_seat_unfilled,omitempty"`
	Reasons           []string     `json:"reasons,omitempty"`
	RerunBy           string       `json:"rerun_by,omitempty"`
	// Superseded: the outcome decided on confirming a ballot declared
	// void afterwards, kept for the record, no longer in force.
	Superseded bool `json:"superseded,omitempty"`
}

// Text is the outcome in one sentence.
func (o outcomeLine) Text() string {
	if o.Superseded {
		o.Superseded = false
		return "(宣布无效前的判定,已不再有效)" + o.Text()
	}
	var parts []string
	if !o.Valid {
		s := "选举无效"
		if len(o.Reasons) > 0 {
			s += ":" + strings.Join(o.Reasons, ";")
		}
		if o.RerunBy != "" {
			s += ";应于" + o.RerunBy + "前重新选举"
		}
		return s
	}
	if len(o.Elected) > 0 {
		parts = append(parts, strings.Join(o.Elected, "、")+"当选")
	} else {
		parts = append(parts, "无人当选")
	}
	if o.FurtherSeats > 0 {
		s := fmt.Sprintf("尚缺%d名,另行选举", o.FurtherSeats)
		if len(o.FurtherCandidates) > 0 {
			s += "(候选人:" + strings.Join(o.FurtherCandidates, "、") + ")"
		}
		parts = append(parts, s)
	}
	if len(o.RevoteBetween) > 0 {
		parts = append(parts, strings.Join(o.RevoteBetween, "、")+"得票相等,须就其再次投票")
	}
	if o.WomenSeat {
		parts = append(parts, "没有女性当选,保留一个名额在女性候选人中另行选举")
	}
	return strings.Join(parts, ";")
}

type reportView struct {
	B store.Ballot
	// Figures is the ballot's total once confirmed; before, the sum of its
	// stations when every one is confirmed; nil otherwise.
	Figures   *election.Count
	Confirmed bool // Figures is the confirmed total
	Lines     []reportLine
	WriteIns  []reportLine
	// Groups are the stations in tables of stationsPerTable (indexes into B.Units).
	Groups  [][]int
	Outcome []outcomeLine
	// Elected is the committee's 当选名单 as the results hold it.
	Elected []store.ElectedMember
	File    *archive.File // the report as filed in the archive
	CanFile bool          // may file it (or the void decision) now
	Mark    string        // the audit log's head when the view was read, for the workbook
	// Staff are the names, by duty, of the staff of the polling stations
	// the ballot's units are, printed beside the lines they sign.
	Staff map[election.StaffRole][]string
	// VoidedAfter: the ballot's count was confirmed and the ballot was
	// declared void afterwards (store.Ballot.VoidedAfterConfirm); VoidFile
	// is its void decision as filed beside the report, nil while it is not.
	VoidedAfter bool
	VoidFile    *archive.File
}

// VoidedAt is when the ballot was declared void, China time, "" unknown.
func (v reportView) VoidedAt() string {
	if v.B.ClosedAt == nil {
		return ""
	}
	return v.B.ClosedAt.In(civil.Zone).Format("2006-01-02 15:04")
}

func (v reportView) Title() string {
	return v.B.Name + " · " + ballotTitle(v.B) + " · 选举结果报告单"
}

// Heading is the ballot's name.
func (v reportView) Heading() string { return ballotTitle(v.B) }

// Seats writes the ballot's seats.
func (v reportView) Seats() string { return SeatsText(v.B) }

// Party reports a party committee's ballot.
func (v reportView) Party() bool { return v.B.Committee == org.PartyCommittee }

// EligibleLabel names 应参加选举人数: who should attend (party) or the
// registered voters; EligibleCount is how many.
func (v reportView) EligibleLabel() string {
	if v.Party() {
		return "应到会有选举权的党员"
	}
	return "登记选民"
}

func (v reportView) EligibleCount() int {
	if v.Party() {
		return v.B.ShouldAttend
	}
	return v.B.Registered
}

// TookLabel names 参加人数: who were present (party) or voted; TookCount
// is how many (the ballots returned where 参加投票人数 was left empty), nil
// before the figures.
func (v reportView) TookLabel() string {
	if v.Party() {
		return "实到会"
	}
	return "参加投票"
}

func (v reportView) TookCount() *int {
	switch {
	case v.Party():
		return &v.B.Present
	case v.Figures == nil:
		return nil
	case v.Figures.Voted != nil:
		return v.Figures.Voted
	}
	return v.Figures.Returned
}

// Station is the station at index i of the ballot.
func (v reportView) Station(i int) store.CountUnit { return v.B.Units[i] }

// StationYes is line l's 赞成 at station i.
func (reportView) StationYes(l reportLine, i int) *int {
	if i < len(l.Stations) {
		return l.Stations[i]
	}
	return nil
}

// signers sign the report: the 总监票人, whom the election committee
// names for the whole vote (no station's duty), then the stations' staff.
var signers = []struct {
	label string
	role  election.StaffRole
}{{"总监票人", ""}, {"监票人", election.Scrutineer}, {"计票人", election.Counter}, {"主持人", election.Host}}

// signLine is one signature line: who signs, and the names of the staff
// registered for that duty ("" when none is).
type signLine struct{ Label, Names string }

// SignRows are the signature lines of the report, two to a row.
func (v reportView) SignRows() [][]signLine {
	var out [][]signLine
	for i, s := range signers {
		if i%2 == 0 {
			out = append(out, nil)
		}
		line := signLine{Label: s.label}
		if s.role != "" {
			line.Names = strings.Join(v.Staff[s.role], "、")
		}
		out[len(out)-1] = append(out[len(out)-1], line)
	}
	return out
}

// CommitteeLabel names the committee.
func (v reportView) CommitteeLabel() string { return v.B.Committee.Label() }

func (s *Server) reportView(ctx context.Context, db *store.Scoped, id int64) (reportView, error) {
	b, err := db.Ballot(ctx, id)
	if err != nil {
		return reportView{}, err
	}
	v := reportView{B: b, Mark: s.auditMark("生成"), Staff: map[election.StaffRole][]string{}}
	stations, err := db.Stations(ctx, b.Community, b.Committee)
	if err != nil {
		return v, err
	}
	for _, u := range b.Units {
		for _, st := range stations {
			if st.ID == u.Station && u.Station != 0 {
				for _, x := range st.Staff {
					if !slices.Contains(v.Staff[x.Role], x.Name) {
						v.Staff[x.Role] = append(v.Staff[x.Role], x.Name)
					}
				}
			}
		}
	}
	if b.Total != nil {
		v.Figures, v.Confirmed = b.Total, true
	} else if sum, ok := b.Sum(); ok {
		v.Figures = &sum
	}
	lines := b.Blank().Lines
	var writeIns []election.Line
	if v.Figures != nil {
		lines, writeIns = v.Figures.Lines, v.Figures.WriteIns
	}
	for _, l := range lines {
		same := func(x election.Line) bool { return x.Key == l.Key && x.Post == l.Post }
		v.Lines = append(v.Lines, reportLine{Line: l, Stations: yesAt(b.Units, func(c election.Count) []election.Line { return c.Lines }, same)})
	}
	for _, w := range writeIns {
		same := func(x election.Line) bool { return x.Name == w.Name && x.Post == w.Post }
		v.WriteIns = append(v.WriteIns, reportLine{Line: w, WriteIn: true,
			Stations: yesAt(b.Units, func(c election.Count) []election.Line { return c.WriteIns }, same)})
	}
	for i := 0; i < len(b.Units); i += stationsPerTable {
		var g []int
		for j := i; j < min(i+stationsPerTable, len(b.Units)); j++ {
			g = append(g, j)
		}
		v.Groups = append(v.Groups, g)
	}
	results, err := db.Results(ctx, b.Community)
	if err != nil {
		return v, err
	}
	v.Elected = []store.ElectedMember{}
	for _, c := range results.Committees {
		if c.Committee == b.Committee {
			v.Elected = c.Members
		}
	}
	v.Outcome = outcomeOf(b, v.Elected)
	if v.File, err = db.BallotReportFile(ctx, id); err != nil {
		return v, err
	}
	if v.VoidedAfter = b.VoidedAfterConfirm(); v.VoidedAfter {
		if v.VoidFile, err = db.BallotVoidNote(ctx, id); err != nil {
			return v, err
		}
	}
	v.CanFile = (v.File == nil || v.VoidedAfter && v.VoidFile == nil) && v.Confirmed && db.Can(account.CoordinateCount) && s.files != nil
	return v, nil
}

// yesAt is, for each station, the 赞成 of the line of its confirmed count
// (among those lines gives) that same picks; nil where there is none.
func yesAt(units []store.CountUnit, lines func(election.Count) []election.Line, same func(election.Line) bool) []*int {
	out := make([]*int, len(units))
	for i, u := range units {
		if u.Count == nil {
			continue
		}
		ls := lines(*u.Count)
		if at := slices.IndexFunc(ls, same); at >= 0 {
			out[i] = ls[at].Yes
		}
	}
	return out
}

// outcomeOf is what the ballot decided, in words, post by post: the
// outcome the law made of its confirmed count (store.Ballot.Outcome) —
// who was elected, the seats left to a further ballot and who stands in
// it, a revote between the tied, the women's seat, or void with its
// reasons and the re-run deadline. A ballot declared void by hand has its
// reason; one confirmed before outcomes were decided, the committee's
// elected members of its round.
func outcomeOf(b store.Ballot, elected []store.ElectedMember) []outcomeLine {
	var out []outcomeLine
	for _, p := range vetting.PostsOf(b.Committee) {
		o, ok := b.Outcome[p]
		if !ok {
			continue
		}
		l := outcomeLine{Post: p, Label: p.Label(), Valid: o.Valid, Elected: o.Elected, FurtherSeats: o.FurtherSeats, FurtherCandidates: o.FurtherCandidates,
			RevoteBetween: o.RevoteBetween, WomenSeat: o.WomenSeatUnfilled}
		for _, r := range o.Reasons {
			l.Reasons = append(l.Reasons, r.Message)
		}
		if !o.Valid {
			l.RerunBy = string(b.RerunBy)
		}
		if l.Elected == nil {
			l.Elected = []string{}
		}
		out = append(out, l)
	}
	switch {
	case len(out) > 0:
		if b.Committee == org.PartyCommittee && len(out) == 1 {
			out[0].Post, out[0].Label = "", "委员会成员" // the members' assembly elects the committee on one list
		}
		if b.VoidedAfterConfirm() { // the void first; what the confirmation decided kept below it
			for i := range out {
				out[i].Superseded = true
			}
			out = append([]outcomeLine{{Label: "宣布无效", Valid: false, Reasons: []string{b.VoidReason}, RerunBy: string(b.RerunBy)}}, out...)
		}
		return out
	case b.State == election.BallotVoid:
		return []outcomeLine{{Label: "选举结果", Valid: false, Reasons: []string{b.VoidReason}, RerunBy: string(b.RerunBy)}}
	case b.State != election.BallotConfirmed:
		return nil
	}
	o := outcomeLine{Label: "选举结果", Valid: true, Elected: []string{}}
	for _, m := range elected {
		if m.Round == b.Round {
			o.Elected = append(o.Elected, m.Name)
		}
	}
	return []outcomeLine{o}
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到这次投票")
	if err != nil {
		return err
	}
	v, err := s.reportView(r.Context(), db, id)
	if err != nil {
		return err
	}
	s.render(w, r, "ballot_report", http.StatusOK, v)
	return nil
}

// reportStationJSON is a station of the 计票汇总.
type reportStationJSON struct {
	ID     int64                `json:"id"`
	Name   string               `json:"name"`
	Kind   election.UnitKind    `json:"kind"`
	Status election.EntryStatus `json:"status"`
	Count  *election.Count      `json:"count"`
}

// apiReport answers GET /api/v1/ballots/{id}/report: the report's figures
// (null before they are known), its candidates' and written-in names'
// lines with their 赞成 per station, the stations, the outcome, the
// committee's elected and the archived file.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到这次投票")
	if err != nil {
		return err
	}
	v, err := s.reportView(r.Context(), db, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reportJSON(v))
	return nil
}

func reportJSON(v reportView) map[string]any {
	stations := make([]reportStationJSON, len(v.B.Units))
	for i, u := range v.B.Units {
		stations[i] = reportStationJSON{u.ID, u.Name, u.Kind, u.Status, u.Count}
	}
	elected := make([]map[string]any, len(v.Elected))
	for i, m := range v.Elected {
		elected[i] = map[string]any{"member": m, "share": m.Share(), "high": m.High()}
	}
	var file any
	if v.File != nil {
		file = toArchiveFileJSON(*v.File)
	}
	lines, writeIns := v.Lines, v.WriteIns
	if lines == nil {
		lines = []reportLine{}
	}
	if writeIns == nil {
		writeIns = []reportLine{}
	}
	b := v.B
	var void, voidFile any
	if v.VoidedAfter {
		void = map[string]any{"after_confirmation": true, "reason": b.VoidReason, "rerun_by": b.RerunBy, "by": b.ClosedBy, "at": b.ClosedAt}
	}
	if v.VoidFile != nil {
		voidFile = toArchiveFileJSON(*v.VoidFile)
	}
	return map[string]any{
		"ballot": map[string]any{"id": b.ID, "community": b.Community, "community_name": b.Name, "committee": b.Committee,
			"round": b.Round, "seq": b.Seq, "day": b.Day, "seats": b.Seats, "state": b.State},
		"eligible": v.EligibleCount(), "participants": v.TookCount(), "figures": v.Figures, "confirmed": v.Confirmed,
		"lines": lines, "write_ins": writeIns, "stations": stations, "outcome": v.Outcome, "elected": elected, "file": file,
		"void": void, "void_note": voidFile,
	}
}

// fileReport writes the report of the ballot with id as a workbook and
// files it in its community's archive, unless it is filed already: the
// archive's entry either way. Refused before the ballot's count is
// confirmed and where the server keeps no files.
func (s *Server) fileReport(ctx context.Context, db *store.Scoped, id int64) (archive.File, error) {
	v, err := s.reportView(ctx, db, id)
	if err != nil {
		return archive.File{}, err
	}
	if v.File != nil {
		return *v.File, nil
	}
	if !v.Confirmed {
		return archive.File{}, errs.Newf(errs.Conflict, "这次投票%s,计票结果确认后才能归档报告单", v.B.State.Label())
	}
	if s.files == nil {
		return archive.File{}, errs.New(errs.Unprocessable, "本服务未配置文件存储,不能归档报告单")
	}
	var buf bytes.Buffer
	if err := writeBallotReport(&buf, v); err != nil {
		return archive.File{}, err
	}
	name := reportFileName(v.B)
	blob, err := s.files.Put(bytes.NewReader(buf.Bytes()), name)
	if err != nil {
		return archive.File{}, err
	}
	f, err := writeOne(ctx, db, func(tx *store.Tx) (archive.File, error) {
		return tx.FileBallotReport(ctx, id, archive.File{SHA256: blob.SHA256, Name: name, Type: blob.Type, Size: blob.Size,
			Note: ballotTitle(v.B) + "的选举结果报告单、计票汇总和当选名单,计票结果确认时归档"})
	})
	if errs.Is(err, errs.Conflict) { // filed meanwhile by another request
		if filed, err2 := db.BallotReportFile(ctx, id); err2 == nil && filed != nil {
			return *filed, nil
		}
	}
	return f, err
}

// fileVoidNote writes the void decision of the ballot with id (confirmed,
// then declared void) with its report as it now stands as a workbook and
// files it in the community's archive beside the report, unless it is
// filed already: the archive's entry either way. Conflict for a ballot
// not voided after its confirmation.
func (s *Server) fileVoidNote(ctx context.Context, db *store.Scoped, id int64) (archive.File, error) {
	v, err := s.reportView(ctx, db, id)
	if err != nil {
		return archive.File{}, err
	}
	if v.VoidFile != nil {
		return *v.VoidFile, nil
	}
	if !v.VoidedAfter {
		return archive.File{}, errs.New(errs.Conflict, "这次投票不是在计票结果确认后被宣布无效的,没有无效决定可归档")
	}
	if s.files == nil {
		return archive.File{}, errs.New(errs.Unprocessable, "本服务未配置文件存储,不能归档")
	}
	var buf bytes.Buffer
	if err := writeVoidNote(&buf, v); err != nil {
		return archive.File{}, err
	}
	name := voidNoteFileName(v.B)
	blob, err := s.files.Put(bytes.NewReader(buf.Bytes()), name)
	if err != nil {
		return archive.File{}, err
	}
	f, err := writeOne(ctx, db, func(tx *store.Tx) (archive.File, error) {
		return tx.FileVoidNote(ctx, id, archive.File{SHA256: blob.SHA256, Name: name, Type: blob.Type, Size: blob.Size,
			Note: ballotTitle(v.B) + "计票结果确认后被宣布无效的决定,附宣布无效后的报告单;原报告单仍在档案中"})
	})
	if errs.Is(err, errs.Conflict) { // filed meanwhile by another request
		if filed, err2 := db.BallotVoidNote(ctx, id); err2 == nil && filed != nil {
			return *filed, nil
		}
	}
	return f, err
}

// voidNoteFileName names the void decision's workbook: "社区名_党组织委员会第一次投票_选举无效决定.xlsx".
func voidNoteFileName(b store.Ballot) string {
	return b.Name + "_" + strings.ReplaceAll(ballotTitle(b), " ", "") + "_选举无效决定.xlsx"
}

// fileReports files what the archive lacks of the ballot with id: its
// report (once its count is confirmed) and, declared void after that, its
// void decision. It answers the report's archive entry.
func (s *Server) fileReports(ctx context.Context, db *store.Scoped, id int64) (archive.File, error) {
	f, err := s.fileReport(ctx, db, id)
	if err != nil {
		return f, err
	}
	b, err := db.Ballot(ctx, id)
	if err != nil || !b.VoidedAfterConfirm() {
		return f, err
	}
	_, err = s.fileVoidNote(ctx, db, id)
	return f, err
}

// FileReports files into files, as the confirm handler files one
// (fileReports), the report of every ballot in db's scope whose count was
// confirmed and whose report (or void decision) is not in the archive
// (Scoped.UnfiledReports),
// and returns how many it filed: for ballots confirmed outside a request,
// as the demo's are when it loads. st is the store db reads; db's actor
// files them, side by side where the store writes side by side
// (Store.SideBySide). After one fails no further report is started; those
// filed stay filed, and it answers 0 with the first failure.
func FileReports(ctx context.Context, st *store.Store, db *store.Scoped, files *filestore.Store) (int, error) {
	list, err := db.UnfiledReports(ctx)
	if err != nil {
		return 0, err
	}
	s := &Server{st: st, log: slog.Default(), files: files}
	err = st.SideBySide(len(list), func(i int) error {
		if _, err := s.fileReports(ctx, db, list[i].ID); err != nil {
			return fmt.Errorf("%s %s: %w", list[i].Name, ballotTitle(list[i]), err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(list), nil
}

// reportFileName names the report's workbook: "社区名_党组织委员会第一次投票_选举结果报告单.xlsx".
func reportFileName(b store.Ballot) string {
	return b.Name + "_" + strings.ReplaceAll(ballotTitle(b), " ", "") + "_选举结果报告单.xlsx"
}

// fileBallotReport is the form and API that file a confirmed ballot's
// report when filing it at confirmation failed (and, for a ballot declared
// void after its confirmation, its void decision when filing that failed);
// filed already, it answers the report's archive entry and files nothing.
func (s *Server) fileBallotReport() handlerFunc {
	return act(s, action[idInput]{
		run: func(ctx context.Context, db *store.Scoped, in idInput) (any, error) {
			f, err := s.fileReports(ctx, db, in.ID)
			if err != nil {
				return nil, err
			}
			return toArchiveFileJSON(f), nil
		},
		next:   func(in idInput, _ any) string { return reportURL(in.ID) },
		notice: "选举结果报告单已归档。",
		page: func(ctx context.Context, db *store.Scoped, in idInput) (string, any, error) {
			v, err := s.reportView(ctx, db, in.ID)
			return "ballot_report", v, err
		},
	})
}
