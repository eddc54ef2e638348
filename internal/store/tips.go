package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Public tips (举报). Nothing written for a tip traces the reporter: no
// address, no device, no account, no moment. The tip's days are days, the
// files carry no time, and a public submission is audited with its day's
// other tips, in an entry dated at the start of a day (LogTips).

// PublicCommunity is a community as the public tip page lists it: its code
// and name under its district's name, nothing else.
type PublicCommunity struct {
	Code, Name, District string
}

// PublicCommunities lists the communities in tree order, at most limit of
// them (0: all), for the public tip page: whoever asks, the public
// included, sees the whole list.
func (q *Scoped) PublicCommunities(ctx context.Context, limit int) ([]PublicCommunity, error) {
	rows, err := q.s.db.QueryContext(ctx, `SELECT o.code, o.name, COALESCE(p.name, '') FROM orgs o
		LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.kind = 'community' ORDER BY o.path`+Page{Limit: limit}.sql())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublicCommunity
	for rows.Next() {
		var c PublicCommunity
		if err := rows.Scan(&c.Code, &c.Name, &c.District); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PublicCommunitiesNamed are the codes of the communities of that list
// named s: the one whose code is s, else those whose name is s, at most
// limit of them, for the public page's typed community.
func (q *Scoped) PublicCommunitiesNamed(ctx context.Context, s string, limit int) ([]string, error) {
	var out []string
	scan := func(rows *sql.Rows) error {
		var code string
		err := rows.Scan(&code)
		out = append(out, code)
		return err
	}
	err := q.s.each(ctx, `SELECT code FROM orgs WHERE kind = 'community' AND code = $1`, scan, s)
	if err != nil || len(out) > 0 {
		return out, err
	}
	err = q.s.each(ctx, `SELECT code FROM orgs WHERE kind = 'community' AND name = $1 ORDER BY path`+Page{Limit: max(limit, 1)}.sql(), scan, s)
	return out, err
}

// PublicCandidate is an aspirant of the public candidate list: name and
// community only.
type PublicCandidate struct {
	ID               int64
	Name             string
	OrgCode, OrgName string
}

// PublicCandidates lists the cycle's qualified aspirants (资格通过) of the
// whole tree, the public candidate list the tip page offers to anyone.
func (q *Scoped) PublicCandidates(ctx context.Context) ([]PublicCandidate, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT a.id, a.name, o.code, o.name FROM aspirants a JOIN orgs o ON o.id = a.org_id
		WHERE a.cycle_id = $1 AND a.status = $2 ORDER BY o.path, a.id`, cycleID, string(vetting.Qualified))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublicCandidate
	for rows.Next() {
		var c PublicCandidate
		if err := rows.Scan(&c.ID, &c.Name, &c.OrgCode, &c.OrgName); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// TipFile is a photo or video attached to a tip, kept in the file store.
type TipFile struct {
	ID     int64  `json:"id"`
	SHA256 string `json:"sha256"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
}

// MaxTipFiles bounds the files of one tip.
const MaxTipFiles = 6

// SubmitTip records a tip from the public in the cycle, on any community,
// whoever q is. It writes no audit entry: an entry written now would date
// the tip to the minute by its place among the entries around it. The tip
// is recorded with its day's other tips by LogTips. It returns the tip with
// its receipt. Errors: Unprocessable for a refused field, a community that
// does not exist or an aspirant not on the public list.
func (q *Scoped) SubmitTip(ctx context.Context, tip vetting.Tip, files []TipFile) (vetting.Tip, error) {
	cycle, err := q.Cycle(ctx)
	if err != nil {
		return tip, err
	}
	if q.s.auditKey == nil {
		return tip, errNoAuditKey
	}
	public := q.s.Zone(Public)
	public.dayOnly = true
	public.cycle, public.loaded = cycle, true
	tip.CreatedAt = time.Time{}
	// The one record the platform writes outside Write (beside the passing
	// state of shared_state.go): it touches no protected record and its
	// audit entry is deferred (LogTips), not left out.
	sqlTx, release, err := q.s.beginWrite(ctx)
	if err != nil {
		return tip, fmt.Errorf("begin: %w", err)
	}
	defer release()
	tx := &Tx{tx: sqlTx, s: q.s, q: public}
	if tip, err = tx.addTip(ctx, tip, files, false); err != nil {
		sqlTx.Rollback()
		return tip, err
	}
	if err := sqlTx.Commit(); err != nil {
		return tip, fmt.Errorf("commit: %w", err)
	}
	return tip, nil
}

// AddTip records a tip of the cycle on the community tip.OrgCode, received
// on the day of tip.CreatedAt (today when zero), with its files, and audits
// it at once; the contact is sealed. An aspirant named by the reporter must
// be on the public list (qualified) of that community; the tip's community
// follows the aspirant's when it is left empty. A tip is not routed when it
// comes in. The demo loader uses it to add tips of past days; tips from the
// public come in through SubmitTip.
func (t *Tx) AddTip(ctx context.Context, tip vetting.Tip, files []TipFile) (vetting.Tip, error) {
	return t.addTip(ctx, tip, files, true)
}

// addTip is AddTip; unless logNow the tip is left for LogTips.
func (t *Tx) addTip(ctx context.Context, tip vetting.Tip, files []TipFile, logNow bool) (vetting.Tip, error) {
	if t.s.box == nil {
		return tip, errors.New("store opened without a data key cannot hold personal data")
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return tip, err
	}
	if tip.AspirantID != 0 {
		var code string
		err := t.queryRow(ctx, `SELECT o.code FROM aspirants a JOIN orgs o ON o.id = a.org_id
			WHERE a.id = $1 AND a.cycle_id = $2 AND a.status = $3`, tip.AspirantID, cycleID, string(vetting.Qualified)).Scan(&code)
		if err != nil {
			return tip, notFoundAs(err, errs.OnField("aspirant_id", "所选人员不在公示的参选人名单中"))
		}
		if tip.OrgCode == "" {
			tip.OrgCode = code
		} else if tip.OrgCode != code {
			return tip, errs.OnField("aspirant_id", "所选参选人不属于所选社区,请核对")
		}
	}
	if err := tip.Validate(); err != nil {
		return tip, err
	}
	if len(files) > MaxTipFiles {
		return tip, errs.OnField("files", fmt.Sprintf("附件最多%d个", MaxTipFiles))
	}
	orgID, err := communityInScope(ctx, t.tx, org.All, tip.OrgCode)
	if errs.Is(err, errs.NotFound) {
		return tip, errs.OnField("community", "请选择所在社区")
	}
	if err != nil {
		return tip, err
	}
	if tip.CreatedAt.IsZero() {
		tip.CreatedAt = t.s.clock()
	}
	day := civil.Of(tip.CreatedAt)
	tip.CreatedAt, tip.UpdatedAt = civil.DayStart(tip.CreatedAt), civil.DayStart(tip.CreatedAt)
	tip.CycleID, tip.Status, tip.Result, tip.CaseID, tip.RoutedTo = cycleID, vetting.TipReceived, "", 0, vetting.NotRouted
	contact := ""
	if tip.Contact != "" {
		contact = t.s.box.Seal(tip.Contact)
	}
	for try := 0; ; try++ {
		tip.Receipt = vetting.NewReceipt()
		err = t.queryRow(ctx, `INSERT INTO tips (cycle_id, receipt, org_id, person, aspirant_id, category, description,
			contact_sealed, status, submitted_on, updated_on, logged) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			cycleID, tip.Receipt, orgID, tip.Person, nullID(tip.AspirantID), string(tip.Category), tip.Description,
			contact, string(tip.Status), day, day, logNow).Scan(&tip.ID)
		if err == nil || !isUnique(err) || try == 2 {
			break
		}
	}
	if err != nil {
		return tip, fmt.Errorf("add tip: %w", err)
	}
	for _, f := range files {
		if _, err := t.exec(ctx, `INSERT INTO tip_files (tip_id, sha256, name, type, size) VALUES ($1, $2, $3, $4, $5)`,
			tip.ID, f.SHA256, truncateRunes(f.Name, 200), f.Type, f.Size); err != nil {
			return tip, fmt.Errorf("add tip file: %w", err)
		}
	}
	if !logNow {
		return tip, nil
	}
	// The contact is sealed in the row and left out here; so is the receipt,
	// which only its holder needs.
	return tip, t.Audit(ctx, audit.TipAdd, On("tip", itoa(tip.ID), tip.OrgCode), nil, audit.Fields{"community": tip.OrgCode,
		"category": string(tip.Category), "aspirant": tip.AspirantID, "files": len(files), "contact_given": tip.Contact != ""})
}

// errNoTipsToLog ends a LogTips transaction that found nothing to record.
var errNoTipsToLog = errors.New("no tips to log")

// LogTips records in the audit log the public tips not yet in it
// (SubmitTip): one entry per day and community, dated at the start of the
// day it is written, listing the day's tips in the order of their ids. The
// tips of days before today are always recorded; today's only when today
// is true, which Tips and Tip ask for before they show tips to the
// office, and the tip handlers before they act on one, so that a tip is in
// the log before anyone sees or acts on it. The server
// calls it every few minutes (today false), which records a day's
// remaining tips just after the day ends. An entry's place in the chain
// then says no more than that its tips came in before the office read them.
func (s *Store) LogTips(ctx context.Context, today bool) error {
	cut := civil.Of(s.clock())
	if today {
		cut = "9999-12-31"
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM tips WHERE logged = FALSE AND submitted_on < $1`, cut).Scan(&n); err != nil || n == 0 {
		return err
	}
	q := s.Zone(Public)
	q.dayOnly = true
	err := q.Write(ctx, func(tx *Tx) error { return tx.logTips(ctx, cut) })
	if errors.Is(err, errNoTipsToLog) {
		return nil // another request recorded them first
	}
	return err
}

func (t *Tx) logTips(ctx context.Context, cut civil.Date) error {
	if t.s.engine == Postgres {
		if _, err := t.exec(ctx, `SELECT id FROM tips WHERE logged = FALSE AND submitted_on < $1 FOR UPDATE`, cut); err != nil {
			return err
		}
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT t.id, t.submitted_on, o.code, t.category, COALESCE(t.aspirant_id, 0),
		t.contact_sealed <> '', (SELECT COUNT(*) FROM tip_files f WHERE f.tip_id = t.id)
		FROM tips t JOIN orgs o ON o.id = t.org_id WHERE t.logged = FALSE AND t.submitted_on < $1
		ORDER BY t.submitted_on, o.code, t.id`, cut)
	if err != nil {
		return err
	}
	type logged struct {
		id              int64
		day             civil.Date
		code, category  string
		aspirant, files int64
		contact         bool
	}
	var all []logged
	for rows.Next() {
		var l logged
		if err := rows.Scan(&l.id, &l.day, &l.code, &l.category, &l.aspirant, &l.contact, &l.files); err != nil {
			rows.Close()
			return err
		}
		all = append(all, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(all) == 0 {
		return errNoTipsToLog
	}
	for i := 0; i < len(all); {
		j := i
		var tips []audit.Fields
		for ; j < len(all) && all[j].day == all[i].day && all[j].code == all[i].code; j++ {
			l := all[j]
			tips = append(tips, audit.Fields{"tip": l.id, "category": l.category, "aspirant": l.aspirant, "files": l.files,
				"contact_given": l.contact})
			if _, err := t.exec(ctx, `UPDATE tips SET logged = TRUE WHERE id = $1`, l.id); err != nil {
				return err
			}
		}
		if err := t.Audit(ctx, audit.TipAdd, On("community", all[i].code, all[i].code), nil, audit.Fields{
			"day": all[i].day, "community": all[i].code, "count": len(tips), "tips": tips}); err != nil {
			return err
		}
		i = j
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// TipStatus returns what a receipt shows, to whoever holds it: status and
// days, nothing else. An unknown or malformed receipt is NotFound.
func (q *Scoped) TipStatus(ctx context.Context, receipt string) (vetting.PublicTip, error) {
	code, err := vetting.ParseReceipt(receipt)
	if err != nil {
		return vetting.PublicTip{}, err
	}
	var p vetting.PublicTip
	err = q.s.db.QueryRowContext(ctx, `SELECT receipt, status, submitted_on, updated_on FROM tips WHERE receipt = $1`, code).
		Scan(&p.Receipt, &p.Status, &p.SubmittedOn, &p.UpdatedOn)
	if err != nil {
		return p, notFound(err, "回执码不存在,请核对(回执码为20位字母和数字)")
	}
	p.StatusLabel = p.Status.Label()
	return p, nil
}

// TipRow is a tip as the triage pages show it. The contact never appears
// here: RevealTipContact is the only way to it.
type TipRow struct {
	vetting.Tip
	OrgName       string
	AspirantName  string
	HasContact    bool
	SubmittedOn   civil.Date
	UpdatedOn     civil.Date
	CategoryLabel string
	StatusLabel   string
	Files         []TipFile
	CaseStatus    vetting.CaseStatus // of the linked case, "" if none
	RouteLabel    string             // "" when not routed
}

// TipFilter narrows Tips.
type TipFilter struct {
	Status        vetting.TipStatus
	OrgCode       string
	Limit, Offset int // Limit 0: all
}

const tipColumns = `t.id, t.cycle_id, t.receipt, o.code, o.name, t.person, COALESCE(t.aspirant_id, 0), COALESCE(a.name, ''),
	t.category, t.description, t.contact_sealed <> '', t.status, t.result, COALESCE(t.case_id, 0), COALESCE(c.status, ''),
	t.submitted_on, t.updated_on, t.routed_to`

const tipFrom = ` FROM tips t JOIN orgs o ON o.id = t.org_id LEFT JOIN aspirants a ON a.id = t.aspirant_id
	LEFT JOIN cases c ON c.id = t.case_id `

func scanTip(row interface{ Scan(...any) error }) (TipRow, error) {
	var r TipRow
	err := row.Scan(&r.ID, &r.CycleID, &r.Receipt, &r.OrgCode, &r.OrgName, &r.Person, &r.AspirantID, &r.AspirantName,
		&r.Category, &r.Description, &r.HasContact, &r.Status, &r.Result, &r.CaseID, &r.CaseStatus, &r.SubmittedOn, &r.UpdatedOn, &r.RoutedTo)
	if err != nil {
		return r, err
	}
	if r.RoutedTo != vetting.NotRouted {
		r.RouteLabel = r.RoutedTo.Label()
	}
	r.CreatedAt, r.UpdatedAt = r.SubmittedOn.Start(), r.UpdatedOn.Start()
	r.CategoryLabel, r.StatusLabel = r.Category.Label(), r.Status.Label()
	return r, nil
}

// TipDesk is whose tips q sees: the police see only the tips routed to
// them (vetting.RoutePolice), every other account every tip in its scope
// (vetting.NotRouted). Only accounts of the second kind route tips.
func (q *Scoped) TipDesk() vetting.TipRoute {
	if q.user.Role == account.Police {
		return vetting.RoutePolice
	}
	return vetting.NotRouted
}

// tipsAt is the condition that keeps tips (as t) in q's scope and at q's
// desk, its values appended to args.
func (q *Scoped) tipsAt(args *[]any) string {
	lo, hi := q.scope.Bounds()
	*args = append(*args, lo, hi)
	n := len(*args)
	cond := ` AND o.path >= $` + strconv.Itoa(n-1) + ` AND o.path < $` + strconv.Itoa(n)
	if desk := q.TipDesk(); desk != vetting.NotRouted {
		*args = append(*args, string(desk))
		cond += ` AND t.routed_to = $` + strconv.Itoa(len(*args))
	}
	return cond
}

func (q *Scoped) tipWhere(cycleID int64, f TipFilter) (string, []any) {
	args := []any{cycleID}
	where := `WHERE t.cycle_id = $1` + q.tipsAt(&args)
	if f.Status != "" {
		args = append(args, string(f.Status))
		where += ` AND t.status = $` + strconv.Itoa(len(args))
	}
	if f.OrgCode != "" {
		args = append(args, f.OrgCode)
		where += ` AND o.code = $` + strconv.Itoa(len(args))
	}
	return where, args
}

// Tips lists the cycle's tips on communities in scope at q's desk (TipDesk),
// newest first, with the number of all that match. It first records the
// tips not yet in the audit log (LogTips), so that the office never sees a
// tip the log does not hold.
func (q *Scoped) Tips(ctx context.Context, f TipFilter) ([]TipRow, int, error) {
	if err := q.s.LogTips(ctx, true); err != nil {
		return nil, 0, err
	}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	where, args := q.tipWhere(cycleID, f)
	var total int
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM tips t JOIN orgs o ON o.id = t.org_id `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	query := `SELECT ` + tipColumns + tipFrom + where + ` ORDER BY t.id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(f.Offset)
	}
	rows, err := q.s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []TipRow
	for rows.Next() {
		r, err := scanTip(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// Tip returns one tip on a community in scope at q's desk (TipDesk) with its
// files; NotFound otherwise. Like Tips it first records the tips not yet in
// the audit log.
func (q *Scoped) Tip(ctx context.Context, id int64) (TipRow, error) {
	if err := q.s.LogTips(ctx, true); err != nil {
		return TipRow{}, err
	}
	return q.tip(ctx, q.s.db, id)
}

func (q *Scoped) tip(ctx context.Context, db querier, id int64) (TipRow, error) {
	args := []any{id}
	r, err := scanTip(db.QueryRowContext(ctx, `SELECT `+tipColumns+tipFrom+`WHERE t.id = $1`+q.tipsAt(&args), args...))
	if err != nil {
		return r, notFound(err, "没有找到该举报")
	}
	rows, err := db.QueryContext(ctx, `SELECT id, sha256, name, type, size FROM tip_files WHERE tip_id = $1 ORDER BY id`, id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var f TipFile
		if err := rows.Scan(&f.ID, &f.SHA256, &f.Name, &f.Type, &f.Size); err != nil {
			return r, err
		}
		r.Files = append(r.Files, f)
	}
	return r, rows.Err()
}

// TipFileOf returns a file of a tip in the transaction's scope and desk
// (TipDesk) and records its download in the audit log; NotFound otherwise.
func (t *Tx) TipFileOf(ctx context.Context, tipID, fileID int64) (TipFile, error) {
	args := []any{fileID, tipID}
	var f TipFile
	var code string
	err := t.queryRow(ctx, `SELECT f.id, f.sha256, f.name, f.type, f.size, o.code FROM tip_files f JOIN tips t ON t.id = f.tip_id
		JOIN orgs o ON o.id = t.org_id WHERE f.id = $1 AND f.tip_id = $2`+t.q.tipsAt(&args), args...).
		Scan(&f.ID, &f.SHA256, &f.Name, &f.Type, &f.Size, &code)
	if err != nil {
		return f, notFound(err, "没有找到该文件")
	}
	return f, t.Audit(ctx, audit.FileDownload, On("tip", itoa(tipID), code), nil, audit.Fields{"sha256": f.SHA256, "name": f.Name})
}

// RevealTipContact opens the contact a reporter left on a tip in the
// transaction's scope and desk (TipDesk) and records who saw it. NotFound
// otherwise, or when none was left.
func (t *Tx) RevealTipContact(ctx context.Context, id int64) (string, error) {
	args := []any{id}
	var sealed, code string
	err := t.queryRow(ctx, `SELECT t.contact_sealed, o.code FROM tips t JOIN orgs o ON o.id = t.org_id
		WHERE t.id = $1`+t.q.tipsAt(&args), args...).Scan(&sealed, &code)
	if err != nil {
		return "", notFound(err, "没有找到该举报")
	}
	if sealed == "" {
		return "", errs.New(errs.NotFound, "举报人未留联系方式")
	}
	if t.s.box == nil {
		return "", errors.New("store opened without a data key")
	}
	contact, err := t.s.box.Open(sealed)
	if err != nil {
		return "", err
	}
	return contact, t.Audit(ctx, audit.TipContact, On("tip", itoa(id), code), nil, nil)
}

// TipTriage is what triage changes on a tip; nil pointers leave a field as it is.
type TipTriage struct {
	Status     vetting.TipStatus // "" to leave it; one step only
	Result     string            // required when closing, refused otherwise
	AspirantID *int64            // 0 unlinks
	CaseID     *int64            // 0 unlinks
	RoutedTo   *vetting.TipRoute // vetting.NotRouted takes the tip back from the police
}

// errRouteTips refuses routing to the accounts a tip is routed to.
var errRouteTips = errs.New(errs.Forbidden, "只有换届办公室和纪委可以移交举报")

// TriageTip moves a tip in the transaction's scope and desk (TipDesk) one
// step (closing it needs the result), links it to an aspirant of its
// community and to a case of the same cycle the transaction sees, and routes
// it (to the police, or back). Errors: NotFound, Forbidden for routing by
// the police, Conflict for a refused step, Unprocessable for a refused field.
func (t *Tx) TriageTip(ctx context.Context, id int64, in TipTriage) (TipRow, error) {
	if in.RoutedTo != nil && t.q.TipDesk() != vetting.NotRouted {
		return TipRow{}, errRouteTips
	}
	cur, err := t.q.tip(ctx, t.tx, id)
	if err != nil {
		return cur, err
	}
	if t.s.engine == Postgres {
		if _, err := t.exec(ctx, `SELECT id FROM tips WHERE id = $1 FOR UPDATE`, id); err != nil {
			return cur, err
		}
		if cur, err = t.q.tip(ctx, t.tx, id); err != nil {
			return cur, err
		}
	}
	tip := cur.Tip
	before, after := audit.Fields{}, audit.Fields{}
	now := t.s.clock()
	switch {
	case in.Status != "":
		if err := tip.Move(in.Status, in.Result, now); err != nil {
			return cur, err
		}
		before["status"], after["status"] = string(cur.Status), string(tip.Status)
		if tip.Status == vetting.TipClosed {
			after["result"] = tip.Result
		}
	case in.Result != "":
		return cur, errs.OnField("result", "核查结果在办结举报时填写")
	}
	if in.AspirantID != nil && *in.AspirantID != tip.AspirantID {
		if *in.AspirantID != 0 {
			var ok int
			err := t.queryRow(ctx, `SELECT 1 FROM aspirants a JOIN orgs o ON o.id = a.org_id
				WHERE a.id = $1 AND a.cycle_id = $2 AND o.code = $3`, *in.AspirantID, tip.CycleID, tip.OrgCode).Scan(&ok)
			if err != nil {
				return cur, notFoundAs(err, errs.OnField("aspirant_id", "所选参选人不属于该举报所涉社区"))
			}
		}
		before["aspirant"], after["aspirant"] = tip.AspirantID, *in.AspirantID
		tip.AspirantID = *in.AspirantID
	}
	if in.CaseID != nil && *in.CaseID != tip.CaseID {
		if *in.CaseID != 0 {
			if _, err := t.caseHead(ctx, *in.CaseID, tip.CycleID); err != nil {
				return cur, errs.OnField("case_id", "所选案件不存在或不在管辖范围内")
			}
		}
		before["case"], after["case"] = tip.CaseID, *in.CaseID
		tip.CaseID = *in.CaseID
	}
	if in.RoutedTo != nil && *in.RoutedTo != tip.RoutedTo {
		if !in.RoutedTo.Valid() {
			return cur, errs.OnField("routed_to", "移交对象只能是"+vetting.RoutePolice.Label()+",或不移交")
		}
		before["routed_to"], after["routed_to"] = string(tip.RoutedTo), string(*in.RoutedTo)
		tip.RoutedTo = *in.RoutedTo
	}
	if len(after) == 0 {
		return cur, errs.New(errs.Unprocessable, "没有要保存的变更")
	}
	_, err = t.exec(ctx, `UPDATE tips SET status = $1, result = $2, aspirant_id = $3, case_id = $4, routed_to = $5, updated_on = $6
		WHERE id = $7`, string(tip.Status), tip.Result, nullID(tip.AspirantID), nullID(tip.CaseID), string(tip.RoutedTo), civil.Of(now), id)
	if err != nil {
		return cur, err
	}
	if err := t.Audit(ctx, audit.TipTriage, On("tip", itoa(id), tip.OrgCode), before, after); err != nil {
		return cur, err
	}
	return t.q.tip(ctx, t.tx, id)
}
