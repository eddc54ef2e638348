package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/idcard"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/vetting"
)

// The results of the two elections (issue 15, points 7 and 8): the
// members each committee elected (elected_members), the party committee's
// officers with the higher level's approval (party_officers), every
// comparison with the predicted slate (slate_matches) and the handover
// (handovers); migration 00027. The rules are election.CheckElected,
// CheckOfficers, CheckApproval, CheckHandover and Compare.

// ElectedMember is one person elected to a committee (election.ElectedMember).
type ElectedMember = election.ElectedMember

// validCommittee refuses anything but the two committees.
func validCommittee(c org.Committee) error {
	if c != org.PartyCommittee && c != org.ResidentsCommittee {
		return errs.OnField("committee", "请选择党组织委员会或居民委员会")
	}
	return nil
}

// SetElected records the members elected to committee c of the community
// with code in the transaction's scope, replacing what was there (the
// writer a confirmed count's outcome calls). Refused before the
// committee's election day, and on the field members[N].… when a rule of
// election.CheckElected breaks (against the committee's seats when set).
// A member with an aspirant id must be an aspirant of the community in the
// cycle: its name, sex, birth date (from its ID number), education and
// party status are the aspirant's. Whether each was a sitting member of
// that committee (连选连任) is read from the cycle's members, by ID number
// or by name and birth date. Replacing the party committee's members
// clears its officers and their approval. The predicted slate of the
// committee is compared with the new members and the comparison kept.
// Audited with the members before and after.
func (t *Tx) SetElected(ctx context.Context, code string, c org.Committee, members []ElectedMember) error {
	return t.setElected(ctx, code, c, members, "")
}

// setElected is SetElected; why, when given, says in the audit entry why
// the members changed (a ballot declared void). Clearing the members (none
// given) is not refused before the election day.
func (t *Tx) setElected(ctx context.Context, code string, c org.Committee, members []ElectedMember, why string) error {
	if err := validCommittee(c); err != nil {
		return err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return err
	}
	days, err := t.daysOf(ctx, orgID)
	if err != nil {
		return err
	}
	day := dayOf(days, c)
	if today := t.s.Today(); today < day && len(members) > 0 {
		return errs.Newf(errs.Unprocessable, "%s的选举日(%s)还没有到,不能登记选举结果", c.Label(), day)
	}
	members = slices.Clone(members)
	index, err := t.fillAspirants(ctx, cycleID, orgID, members)
	if err != nil {
		return err
	}
	seats, err := t.seatsOf(ctx, cycleID, orgID, c)
	if err != nil {
		return err
	}
	if err := election.CheckElected(c, day, members, seats); err != nil {
		return err
	}
	old, err := electedOf(ctx, t.tx, cycleID, orgID, c)
	if err != nil {
		return err
	}
	before := audit.Fields{}
	if len(old) > 0 {
		before["members"] = electedText(old)
	}
	if c == org.PartyCommittee {
		if o, ok, err := officersOf(ctx, t.tx, cycleID, orgID); err != nil {
			return err
		} else if ok {
			before["officers_elected_on"], before["approval_doc"] = string(o.ElectedOn), o.Document
		}
		if _, err := t.exec(ctx, `DELETE FROM party_officers WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, `DELETE FROM elected_members WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`, cycleID, orgID, string(c)); err != nil {
		return err
	}
	// Who sat on the committee in the cycle: an elected person who did,
	// by ID number or by name and birth date, is reelected (连选连任).
	type sitting struct{ index, name, birth string }
	var sat []sitting
	err = eachRow(ctx, t.tx, `SELECT id_number_index, name, birth_date FROM members WHERE org_id = $1 AND cycle_id = $2 AND committee = $3`,
		func(rows *sql.Rows) error {
			var x sitting
			err := rows.Scan(&x.index, &x.name, &x.birth)
			sat = append(sat, x)
			return err
		}, orgID, cycleID, string(c))
	if err != nil {
		return err
	}
	now, by := t.s.clock(), t.q.actor.Name
	for i := range members {
		m := &members[i]
		idx := index[m.AspirantID]
		m.Reelected = slices.ContainsFunc(sat, func(x sitting) bool {
			return (x.index != "" && x.index == idx) || (x.name == m.Name && x.birth == string(m.BirthDate))
		})
		m.Age = slate.AgeOn(m.BirthDate, day)
	}
	err = t.insertRows(ctx, "elected_members", []string{"cycle_id", "org_id", "committee", "seq", "aspirant_id", "name", "sex", "birth_date",
		"education", "party", "post", "votes", "base", "round", "reelected", "elected_on", "age", "set_by", "set_at"}, len(members),
		func(i int) ([]any, error) {
			m := members[i]
			var aspirant any
			if m.AspirantID != 0 {
				aspirant = m.AspirantID
			}
			return []any{cycleID, orgID, string(c), i + 1, aspirant, m.Name, m.Sex, string(m.BirthDate), string(m.Education), string(m.Party),
				string(m.Post), m.Votes, m.Base, string(m.Round), m.Reelected, string(day), m.Age, by, now}, nil
		})
	if err != nil {
		return err
	}
	if err := t.retally(ctx, cycleID, orgID); err != nil {
		return err
	}
	after := audit.Fields{"committee": c.Label(), "members": electedText(members)}
	if why != "" {
		after["reason"] = why
	}
	if match, err := t.compareSlate(ctx, cycleID, orgID, c); err != nil {
		return err
	} else if match != "" {
		after["match"] = match
	}
	if len(before) == 0 {
		before = nil
	} else {
		before["committee"] = c.Label()
	}
	return t.Audit(ctx, audit.ResultsElect, On("community", code, code), before, after)
}

// fillAspirants puts each elected aspirant's record into its row (name,
// sex, birth date from the sealed ID number, education, party status) and
// returns the aspirants' ID number lookups by id ("" for a written-in
// person); refused on members[N].aspirant_id for an id that is not an
// aspirant of the community in the cycle.
func (t *Tx) fillAspirants(ctx context.Context, cycleID, orgID int64, members []ElectedMember) (map[int64]string, error) {
	index := map[int64]string{0: ""}
	type aspirant struct {
		name, sex     string
		education     vetting.Education
		party         vetting.Party
		sealed, index string
	}
	var ids []int64
	for _, m := range members {
		if m.AspirantID != 0 {
			ids = append(ids, m.AspirantID)
		}
	}
	found := map[int64]aspirant{}
	if len(ids) > 0 { // the committee's members in one statement
		args := []any{cycleID, orgID}
		err := eachRow(ctx, t.tx, `SELECT id, name, sex, education, party, id_sealed, id_index FROM aspirants
			WHERE cycle_id = $1 AND org_id = $2 AND `+t.s.anyID("id", &args, ids), func(rows *sql.Rows) error {
			var id int64
			var a aspirant
			err := rows.Scan(&id, &a.name, &a.sex, &a.education, &a.party, &a.sealed, &a.index)
			found[id] = a
			return err
		}, args...)
		if err != nil {
			return nil, err
		}
	}
	for i := range members {
		m := &members[i]
		if m.AspirantID == 0 {
			continue
		}
		a, ok := found[m.AspirantID]
		if !ok {
			return nil, errs.OnField("members["+strconv.Itoa(i)+"].aspirant_id", fmt.Sprintf("第%d人不是本社区本届的参选人", i+1))
		}
		m.Name, m.Sex, m.Education, m.Party = a.name, a.sex, a.education, a.party
		sealed := a.sealed
		index[m.AspirantID] = a.index
		if t.s.box == nil {
			return nil, errors.New("store opened without a data key cannot read birth dates")
		}
		number, err := t.s.box.Open(sealed)
		if err != nil {
			return nil, err
		}
		m.BirthDate = ""
		if info, err := idcard.Parse(number); err == nil {
			m.BirthDate = civil.Date(info.Birth.Format(civil.Layout))
		}
	}
	return index, nil
}

// seatsOf is committee c's seats of a community, nil when not set.
func (t *Tx) seatsOf(ctx context.Context, cycleID, orgID int64, c org.Committee) (*slate.Seats, error) {
	s := slate.Seats{Committee: c}
	err := t.queryRow(ctx, `SELECT chief, deputies, members FROM seats WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`,
		cycleID, orgID, string(c)).Scan(&s.Chief, &s.Deputies, &s.Members)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &s, err
}

// electedColumns are an elected member's columns, read by scanElected.
const electedColumns = `m.id, COALESCE(m.aspirant_id, 0), m.name, m.sex, m.birth_date, m.education, m.party, m.post, m.votes, m.base,
	m.round, m.reelected, m.age`

func scanElected(scan func(...any) error, m *ElectedMember) error {
	return scan(&m.ID, &m.AspirantID, &m.Name, &m.Sex, &m.BirthDate, &m.Education, &m.Party, &m.Post, &m.Votes, &m.Base,
		&m.Round, &m.Reelected, &m.Age)
}

// electedOf reads the members elected to committee c of a community, in
// the order of the posts and then as entered.
func electedOf(ctx context.Context, q querier, cycleID, orgID int64, c org.Committee) ([]ElectedMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+electedColumns+` FROM elected_members m
		WHERE m.cycle_id = $1 AND m.org_id = $2 AND m.committee = $3 ORDER BY m.seq`, cycleID, orgID, string(c))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ElectedMember{}
	for rows.Next() {
		var m ElectedMember
		if err := scanElected(rows.Scan, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortByPost(c, out)
	return out, nil
}

// sortByPost puts members in the order of c's posts, keeping their order
// within a post.
func sortByPost(c org.Committee, ms []ElectedMember) {
	posts := vetting.PostsOf(c)
	slices.SortStableFunc(ms, func(a, b ElectedMember) int { return slices.Index(posts, a.Post) - slices.Index(posts, b.Post) })
}

// electedText is a committee's members as the audit log keeps them.
func electedText(ms []ElectedMember) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		s := fmt.Sprintf("%s %s(%s,%s,%s,%s)得票%d/%d,%s", m.Post.Label(), m.Name, m.Sex, m.BirthDate, m.Education.Label(), m.Party.Label(),
			m.Votes, m.Base, m.Round.Label())
		if m.AspirantID == 0 {
			s += ",另选他人"
		}
		if m.Reelected {
			s += ",连选连任"
		}
		out[i] = s
	}
	return out
}

// OfficersRecord is the party committee's election of its secretary and
// deputies and the higher level's approval.
type OfficersRecord struct {
	ElectedOn  civil.Date `json:"elected_on"`
	ApprovedOn civil.Date `json:"approved_on"` // "" pending
	Document   string     `json:"approval_doc"`
	SetBy      string     `json:"set_by"`
	ApprovedBy string     `json:"approved_by"`
}

// Approved reports the higher level's approval.
func (o OfficersRecord) Approved() bool { return o.ApprovedOn != "" }

func officersOf(ctx context.Context, q querier, cycleID, orgID int64) (OfficersRecord, bool, error) {
	var o OfficersRecord
	err := q.QueryRowContext(ctx, `SELECT elected_on, approved_on, approval_doc, set_by, approved_by FROM party_officers
		WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID).Scan(&o.ElectedOn, &o.ApprovedOn, &o.Document, &o.SetBy, &o.ApprovedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	return o, err == nil, err
}

// SetOfficers records the secretary and deputies the party committee of
// the community with code elected among its members (pending the higher
// level's approval): refused before its members are entered, after the
// higher level approved the officers (409), and on its field when a rule
// of election.CheckOfficers breaks. The predicted slate is compared again.
// Audited with the officers before and after.
func (t *Tx) SetOfficers(ctx context.Context, code string, o election.Officers) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return err
	}
	members, err := electedOf(ctx, t.tx, cycleID, orgID, org.PartyCommittee)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		return errs.New(errs.Unprocessable, "尚未登记党组织委员会的当选委员,不能登记书记、副书记")
	}
	old, had, err := officersOf(ctx, t.tx, cycleID, orgID)
	if err != nil {
		return err
	}
	if old.Approved() {
		return errs.Newf(errs.Conflict, "书记、副书记已于%s经上级批准(%s),不能更改", old.ApprovedOn, old.Document)
	}
	seats, err := t.seatsOf(ctx, cycleID, orgID, org.PartyCommittee)
	if err != nil {
		return err
	}
	deputies := -1
	if seats != nil {
		deputies = seats.Deputies
	}
	electedOn, err := t.electedOn(ctx, cycleID, orgID, org.PartyCommittee)
	if err != nil {
		return err
	}
	if err := election.CheckOfficers(o, members, deputies, electedOn, t.s.Today()); err != nil {
		return err
	}
	officers := func(ms []ElectedMember) audit.Fields {
		f := audit.Fields{}
		var deps []string
		for _, m := range ms {
			switch m.Post {
			case vetting.Secretary:
				f["secretary"] = m.Name
			case vetting.DeputySecretary:
				deps = append(deps, m.Name)
			}
		}
		f["deputy_secretaries"] = strings.Join(deps, "、")
		return f
	}
	var before audit.Fields
	if had {
		before = officers(members)
		before["day"] = string(old.ElectedOn)
	}
	for i, m := range members {
		want := vetting.CommitteeMember
		switch {
		case m.ID == o.Secretary:
			want = vetting.Secretary
		case slices.Contains(o.Deputies, m.ID):
			want = vetting.DeputySecretary
		}
		if m.Post == want {
			continue
		}
		members[i].Post = want
		if _, err := t.exec(ctx, `UPDATE elected_members SET post = $1 WHERE id = $2`, string(want), m.ID); err != nil {
			return err
		}
	}
	now, by := t.s.clock(), t.q.actor.Name
	if _, err := t.exec(ctx, `INSERT INTO party_officers (cycle_id, org_id, elected_on, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (cycle_id, org_id) DO UPDATE SET elected_on = excluded.elected_on, set_by = excluded.set_by, set_at = excluded.set_at`,
		cycleID, orgID, string(o.Day), by, now); err != nil {
		return err
	}
	if err := t.retally(ctx, cycleID, orgID); err != nil {
		return err
	}
	after := officers(members)
	after["day"] = string(o.Day)
	if match, err := t.compareSlate(ctx, cycleID, orgID, org.PartyCommittee); err != nil {
		return err
	} else if match != "" {
		after["match"] = match
	}
	return t.Audit(ctx, audit.ResultsOfficers, On("community", code, code), before, after)
}

// electedOn is the day committee c of a community was elected, as its
// members were entered; "" when none were.
func (t *Tx) electedOn(ctx context.Context, cycleID, orgID int64, c org.Committee) (civil.Date, error) {
	var day civil.Date
	err := t.queryRow(ctx, `SELECT COALESCE(MIN(elected_on), '') FROM elected_members WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`,
		cycleID, orgID, string(c)).Scan(&day)
	return day, err
}

// ApproveOfficers records the higher level's approval of the secretary
// and deputies of the community with code: its day and document number.
// Refused before the officers are entered and on its field when a rule of
// election.CheckApproval breaks; recording it again corrects it. Audited
// with the approval before.
func (t *Tx) ApproveOfficers(ctx context.Context, code string, a election.Approval) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return err
	}
	o, ok, err := officersOf(ctx, t.tx, cycleID, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return errs.New(errs.Unprocessable, "尚未登记书记、副书记的选举,不能登记上级批准")
	}
	if err := election.CheckApproval(&a, o.ElectedOn, t.s.Today()); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE party_officers SET approved_on = $1, approval_doc = $2, approved_by = $3, approved_at = $4
		WHERE cycle_id = $5 AND org_id = $6`, string(a.Day), a.Document, t.q.actor.Name, t.s.clock(), cycleID, orgID); err != nil {
		return err
	}
	var before audit.Fields
	if o.Approved() {
		before = audit.Fields{"day": string(o.ApprovedOn), "document": o.Document}
	}
	return t.Audit(ctx, audit.ResultsApprove, On("community", code, code), before, audit.Fields{"day": string(a.Day), "document": a.Document})
}

// handoverStage is the progress stage of committee c's handover in the
// default templates (progress.Defaults).
func handoverStage(c org.Committee) string {
	if c == org.PartyCommittee {
		return "party_handover"
	}
	return "res_handover"
}

// HandoverRecord is a committee's handover as recorded.
type HandoverRecord struct {
	Committee org.Committee `json:"committee"`
	ElectedOn civil.Date    `json:"elected_on"`
	Due       civil.Date    `json:"due"`
	Day       civil.Date    `json:"day"` // "" not yet
	Note      string        `json:"note"`
	Late      bool          `json:"late"`
	// Progress says what became of the progress table's stage: marked
	// done, or why not ("" when the templates have no such stage).
	Progress string `json:"progress,omitempty"`
}

// SetHandover records the day committee c of the community with code
// handed over (工作移交): refused before its members are entered and on its
// field when a rule of election.CheckHandover breaks. It is late after
// Settings.HandoverDays from the day the committee was elected. When the
// cycle's stage templates have the committee's handover stage, the stage
// is marked done on that day if its dependencies allow (else the answer
// says why not and the progress table stays as it was). Audited with the
// handover before.
func (t *Tx) SetHandover(ctx context.Context, code string, c org.Committee, h election.Handover) (HandoverRecord, error) {
	if err := validCommittee(c); err != nil {
		return HandoverRecord{}, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return HandoverRecord{}, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return HandoverRecord{}, err
	}
	electedOn, err := t.electedOn(ctx, cycleID, orgID, c)
	if err != nil {
		return HandoverRecord{}, err
	}
	if electedOn == "" {
		return HandoverRecord{}, errs.Newf(errs.Unprocessable, "尚未登记%s的当选人员,不能登记工作交接", c.Label())
	}
	today := t.s.Today()
	if err := election.CheckHandover(&h, electedOn, today); err != nil {
		return HandoverRecord{}, err
	}
	settings, err := t.electionSettings(ctx)
	if err != nil {
		return HandoverRecord{}, err
	}
	var before audit.Fields
	var oldDay civil.Date
	var oldNote string
	if err := t.queryRow(ctx, `SELECT day, note FROM handovers WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`,
		cycleID, orgID, string(c)).Scan(&oldDay, &oldNote); err == nil {
		before = audit.Fields{"committee": c.Label(), "day": string(oldDay), "note": oldNote}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return HandoverRecord{}, err
	}
	if _, err := t.exec(ctx, `INSERT INTO handovers (cycle_id, org_id, committee, day, note, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (cycle_id, org_id, committee)
		DO UPDATE SET day = excluded.day, note = excluded.note, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
		cycleID, orgID, string(c), string(h.Day), h.Note, t.q.actor.Name, t.s.clock()); err != nil {
		return HandoverRecord{}, err
	}
	rec := HandoverRecord{Committee: c, ElectedOn: electedOn, Due: election.HandoverDue(electedOn, settings), Day: h.Day, Note: h.Note,
		Late: election.HandoverLate(electedOn, h.Day, today, settings)}
	stages, err := t.stages(ctx, cycleID)
	if err != nil {
		return rec, err
	}
	if stage, ok := progress.Find(stages, handoverStage(c)); ok {
		evidence := "登记工作交接"
		if h.Note != "" {
			evidence += ":" + h.Note
		}
		_, err := t.MarkStage(ctx, ProgressMark{OrgCode: code, Stage: stage.Code, DoneOn: h.Day, Evidence: evidence})
		switch {
		case err == nil:
			rec.Progress = "进度表“" + stage.Name + "”已标记完成"
		case errs.Is(err, errs.Unprocessable):
			rec.Progress = "进度表“" + stage.Name + "”未标记:" + errs.MessageOf(err)
		default:
			return rec, err
		}
	}
	after := audit.Fields{"committee": c.Label(), "day": string(h.Day), "note": h.Note, "late": rec.Late}
	return rec, t.Audit(ctx, audit.ResultsHandover, On("community", code, code), before, after)
}

// compareSlate compares committee c's predicted persons of a community
// with its elected members (and officers) now, and keeps the comparison
// as the next generation; nothing when nobody was predicted. It returns
// the match as the audit log says it ("3/5"), "" when nothing was
// compared.
func (t *Tx) compareSlate(ctx context.Context, cycleID, orgID int64, c org.Committee) (string, error) {
	var predicted []election.Predicted
	if err := t.scanRows(ctx, func(scan func(...any) error) error {
		var p election.Predicted
		if err := scan(&p.Post, &p.Seat, &p.AspirantID, &p.Name); err != nil {
			return err
		}
		predicted = append(predicted, p)
		return nil
	}, `SELECT k.post, k.seat, k.aspirant_id, a.name FROM slate_picks k JOIN aspirants a ON a.id = k.aspirant_id
		WHERE k.cycle_id = $1 AND k.org_id = $2 AND k.committee = $3`, cycleID, orgID, string(c)); err != nil {
		return "", err
	}
	if len(predicted) == 0 {
		return "", nil
	}
	posts := vetting.PostsOf(c)
	slices.SortFunc(predicted, func(a, b election.Predicted) int {
		if d := slices.Index(posts, a.Post) - slices.Index(posts, b.Post); d != 0 {
			return d
		}
		return a.Seat - b.Seat
	})
	elected, err := electedOf(ctx, t.tx, cycleID, orgID, c)
	if err != nil {
		return "", err
	}
	officers := false
	if c == org.PartyCommittee {
		if _, officers, err = officersOf(ctx, t.tx, cycleID, orgID); err != nil {
			return "", err
		}
	}
	lines := election.Compare(c, predicted, elected, officers)
	var generation int
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(generation), 0) + 1 FROM slate_matches WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`,
		cycleID, orgID, string(c)).Scan(&generation); err != nil {
		return "", err
	}
	now, by := t.s.clock(), t.q.actor.Name
	matched := 0
	for _, l := range lines {
		if l.Outcome == election.MatchPost {
			matched++
		}
	}
	err = t.insertRows(ctx, "slate_matches", []string{"cycle_id", "org_id", "committee", "generation", "post", "seat", "aspirant_id", "name",
		"outcome", "elected_post", "elected_names", "compared_by", "compared_at"}, len(lines), func(i int) ([]any, error) {
		l := lines[i]
		return []any{cycleID, orgID, string(c), generation, string(l.Post), l.Seat, l.AspirantID, l.Name, string(l.Outcome),
			string(l.ElectedPost), strings.Join(l.OnPost, "、"), by, now}, nil
	})
	return strconv.Itoa(matched) + "/" + strconv.Itoa(len(lines)), err
}

// MatchGeneration is one comparison of a committee's predicted persons
// with its elected, as kept.
type MatchGeneration struct {
	Generation int                  `json:"generation"`
	At         time.Time            `json:"compared_at"`
	By         string               `json:"compared_by"`
	Lines      []election.MatchLine `json:"lines"`
	Matched    int                  `json:"matched"`
}

// Rate is the share of the predicted persons elected to their post.
func (g MatchGeneration) Rate() string { return slate.Percent(slate.Share(g.Matched, len(g.Lines))) }

// CommitteeResult is one committee's result of a community.
type CommitteeResult struct {
	Committee   org.Committee   `json:"committee"`
	ElectionDay civil.Date      `json:"election_day"` // in the calendar now
	Members     []ElectedMember `json:"members"`      // in the order of the posts
	// Officers: the party committee's secretary and deputies' election and
	// approval; nil until recorded (and for the residents' committee).
	Officers *OfficersRecord   `json:"officers"`
	Handover *HandoverRecord   `json:"handover"` // nil until members are entered
	Matches  []MatchGeneration `json:"matches"`  // newest first; [0] is the current comparison
	// Pending says why the members could not be set from the committee's
	// valid ballots ("" when nothing is pending: electFrom).
	Pending string `json:"results_pending,omitempty"`
	// WrittenIn are the persons written in whom its confirmed ballots
	// elected, with the details entered for each (nil while missing).
	WrittenIn []WrittenInPerson `json:"written_in"`
	// Void: the committee's latest ballot was declared void; the election
	// awaits its re-run (nil otherwise).
	Void *VoidState `json:"void,omitempty"`
}

// VoidState is a committee's latest ballot declared void: which, why, the
// day it must be held again by, and whether it was void after its count
// was confirmed.
type VoidState struct {
	BallotID          int64      `json:"ballot_id"`
	Reason            string     `json:"reason"`
	RerunBy           civil.Date `json:"rerun_by"`
	AfterConfirmation bool       `json:"after_confirmation"`
}

// CommunityResults are a community's two results.
type CommunityResults struct {
	Code         string            `json:"code"`
	Name         string            `json:"name"`
	DistrictName string            `json:"district_name"`
	Days         progress.Days     `json:"election_days"`
	Committees   []CommitteeResult `json:"committees"`
}

// Lineup is the elected as the structure targets read them.
func (r CommunityResults) Lineup() slate.Lineup {
	var all []ElectedMember
	var committees []org.Committee
	for _, c := range r.Committees {
		for _, m := range c.Members {
			all, committees = append(all, m), append(committees, c.Committee)
		}
	}
	return electedLineup(r.Code, r.Name, r.DistrictName, all, committees)
}

// electedLineup is a community's elected members (ms[i] on committees[i])
// as a slate.Lineup: each person keyed by aspirant id (as the predicted
// slate's) when any of their rows has one, else by name and birth date,
// so a person elected to both committees has one key.
func electedLineup(code, name, district string, ms []ElectedMember, committees []org.Committee) slate.Lineup {
	ids := map[string]int64{}
	for _, m := range ms {
		if m.AspirantID != 0 {
			ids[m.PersonKey()] = m.AspirantID
		}
	}
	l := slate.Lineup{Code: code, Name: name, District: district, Holders: make([]slate.Holder, len(ms))}
	for i, m := range ms {
		key := "w:" + m.PersonKey()
		if id := ids[m.PersonKey()]; id != 0 {
			key = itoa(id)
		}
		l.Holders[i] = slate.Holder{Key: key, Name: m.Name, Committee: committees[i], Post: m.Post, Sex: m.Sex, Age: m.Age,
			Education: m.Education, Party: m.Party}
	}
	return l
}

// markCross marks the members of each committee elected to the other too.
func markCross(r *CommunityResults) {
	on := map[org.Committee]map[string]bool{}
	for _, c := range r.Committees {
		on[c.Committee] = map[string]bool{}
		for _, m := range c.Members {
			on[c.Committee][m.PersonKey()] = true
		}
	}
	for i, c := range r.Committees {
		other := org.PartyCommittee
		if c.Committee == org.PartyCommittee {
			other = org.ResidentsCommittee
		}
		for j, m := range c.Members {
			r.Committees[i].Members[j].Cross = on[other][m.PersonKey()]
		}
	}
}

// Results returns the results of the community with code in scope: per
// committee its members (with 交叉任职 marked), the officers and their
// approval, the handover and its due day, and every comparison with the
// predicted slate, newest first. NotFound outside the scope.
func (q *Scoped) Results(ctx context.Context, code string) (CommunityResults, error) {
	cd, err := q.CommunityDays(ctx, code)
	if err != nil {
		return CommunityResults{}, err
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return CommunityResults{}, err
	}
	orgID, err := communityInScope(ctx, q.s.db, q.scope, code)
	if err != nil {
		return CommunityResults{}, err
	}
	settings, err := q.ElectionSettings(ctx)
	if err != nil {
		return CommunityResults{}, err
	}
	out := CommunityResults{Code: cd.Code, Name: cd.Name, DistrictName: cd.DistrictName, Days: cd.Days}
	today := q.s.Today()
	lo, hi := q.scope.Bounds()
	ballots, err := q.ballots(ctx, q.s.db, ` AND o.id = $4`, []any{cycleID, lo, hi, orgID})
	if err != nil {
		return out, err
	}
	details, err := writtenInDetails(ctx, q.s.db, cycleID, orgID)
	if err != nil {
		return out, err
	}
	pending, err := q.ResultsPending(ctx, code)
	if err != nil {
		return out, err
	}
	for _, c := range org.Committees {
		cr := CommitteeResult{Committee: c, ElectionDay: dayOf(cd.Days, c), Matches: []MatchGeneration{}, Pending: pending[c]}
		var mine []Ballot
		for _, b := range ballots {
			if b.Committee == c {
				mine = append(mine, b)
			}
		}
		cr.WrittenIn = writtenInOf(mine, details)
		if n := len(mine); n > 0 && mine[n-1].State == election.BallotVoid {
			last := mine[n-1]
			cr.Void = &VoidState{BallotID: last.ID, Reason: last.VoidReason, RerunBy: last.RerunBy, AfterConfirmation: last.VoidedAfterConfirm()}
		}
		if cr.Members, err = electedOf(ctx, q.s.db, cycleID, orgID, c); err != nil {
			return out, err
		}
		if c == org.PartyCommittee {
			o, ok, err := officersOf(ctx, q.s.db, cycleID, orgID)
			if err != nil {
				return out, err
			}
			if ok {
				cr.Officers = &o
			}
		}
		if len(cr.Members) > 0 {
			h := HandoverRecord{Committee: c}
			if err := q.s.db.QueryRowContext(ctx, `SELECT COALESCE(MIN(elected_on), '') FROM elected_members
				WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`, cycleID, orgID, string(c)).Scan(&h.ElectedOn); err != nil {
				return out, err
			}
			err := q.s.db.QueryRowContext(ctx, `SELECT day, note FROM handovers WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`,
				cycleID, orgID, string(c)).Scan(&h.Day, &h.Note)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return out, err
			}
			h.Due, h.Late = election.HandoverDue(h.ElectedOn, settings), election.HandoverLate(h.ElectedOn, h.Day, today, settings)
			cr.Handover = &h
		}
		if cr.Matches, err = q.matchHistory(ctx, cycleID, orgID, c); err != nil {
			return out, err
		}
		out.Committees = append(out.Committees, cr)
	}
	markCross(&out)
	return out, nil
}

// matchHistory reads every comparison of committee c of a community,
// newest first.
func (q *Scoped) matchHistory(ctx context.Context, cycleID, orgID int64, c org.Committee) ([]MatchGeneration, error) {
	out := []MatchGeneration{}
	err := q.s.each(ctx, `SELECT generation, compared_at, compared_by, post, seat, aspirant_id, name, outcome, elected_post, elected_names
		FROM slate_matches WHERE cycle_id = $1 AND org_id = $2 AND committee = $3 ORDER BY generation DESC, id`, func(rows *sql.Rows) error {
		var g MatchGeneration
		var l election.MatchLine
		var names string
		if err := rows.Scan(&g.Generation, &g.At, &g.By, &l.Post, &l.Seat, &l.AspirantID, &l.Name, &l.Outcome, &l.ElectedPost, &names); err != nil {
			return err
		}
		l.OnPost = []string{}
		if names != "" {
			l.OnPost = strings.Split(names, "、")
		}
		if n := len(out); n == 0 || out[n-1].Generation != g.Generation {
			g.Lines = []election.MatchLine{}
			out = append(out, g)
		}
		cur := &out[len(out)-1]
		cur.Lines = append(cur.Lines, l)
		if l.Outcome == election.MatchPost {
			cur.Matched++
		}
		return nil
	}, cycleID, orgID, string(c))
	return out, err
}
