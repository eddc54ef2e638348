package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
)

// The 选举结果报告单 of a ballot in its community's archive (issue 15, point
// 7; migration 00029): the web layer writes the workbook when the ballot's
// count is confirmed and files it here, once per ballot (ballot_reports is
// keyed by the ballot), so a retry finds it filed instead of filing it again.

// ballotDocument is a document filed once per ballot into its community's
// archive under 选举结果报告: the result report, or the decision that voids
// a ballot after its count was confirmed (voided.go).
type ballotDocument struct {
	table  string        // the link, keyed by the ballot (its file_id unique)
	name   string        // what it is, in Chinese
	action *audit.Action // the filing's entry, on the ballot
	// refused says why ballot b cannot have it filed, nil when it can.
	refused func(b Ballot) error
	// fields are the filing entry's fields beyond the file's.
	fields func(b Ballot) audit.Fields
}

var reportDocument = ballotDocument{table: "ballot_reports", name: "选举结果报告单", action: audit.ArchiveReport,
	refused: func(b Ballot) error {
		if b.Total == nil {
			return errs.Newf(errs.Conflict, "这次投票%s,计票结果确认后才能归档报告单", b.State.Label())
		}
		return nil
	},
	fields: func(Ballot) audit.Fields { return audit.Fields{} }}

// FileBallotReport files f, the stored workbook of the report of the ballot
// with id (in scope, its count confirmed: its total kept), in the ballot's
// community's archive under 选举结果报告, and records it as that ballot's
// report. Conflict when the ballot's count is not confirmed or its report
// is filed already (nothing is written then). Audited twice: the archive's
// entry (archive.add) and the filing (archive.report, on the ballot).
func (t *Tx) FileBallotReport(ctx context.Context, ballotID int64, f archive.File) (archive.File, error) {
	return t.fileBallotDocument(ctx, reportDocument, ballotID, f)
}

// BallotReportFile is the archive entry holding the report of the ballot
// with id (in scope), nil while it is not filed.
func (q *Scoped) BallotReportFile(ctx context.Context, ballotID int64) (*archive.File, error) {
	return q.ballotDocumentFile(ctx, reportDocument, ballotID)
}

func (t *Tx) fileBallotDocument(ctx context.Context, d ballotDocument, ballotID int64, f archive.File) (archive.File, error) {
	b, err := t.q.ballotWith(ctx, t.tx, ballotID, false)
	if err != nil {
		return f, err
	}
	if err := d.refused(b); err != nil {
		return f, err
	}
	filed := errs.New(errs.Conflict, "这次投票的"+d.name+"已归档")
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM `+d.table+` WHERE ballot_id = $1`, b.ID).Scan(&n); err != nil {
		return f, err
	} else if n != 0 {
		return f, filed
	}
	f.Category = archive.Results
	f, err = t.AddArchiveFile(ctx, b.Community, f)
	if err != nil {
		return f, err
	}
	if _, err := t.exec(ctx, `INSERT INTO `+d.table+` (ballot_id, file_id) VALUES ($1, $2)`, b.ID, f.ID); err != nil {
		if isUnique(err) {
			return f, filed
		}
		return f, err
	}
	fields := d.fields(b)
	fields["file"], fields["name"], fields["sha256"] = f.ID, f.Name, f.SHA256
	return f, t.Audit(ctx, d.action, On("ballot", b.ID, b.Community), nil, fields)
}

// ballotDocumentFile is the archive entry holding document d of the ballot
// with id (in scope), nil while it is not filed.
func (q *Scoped) ballotDocumentFile(ctx context.Context, d ballotDocument, ballotID int64) (*archive.File, error) {
	if _, err := q.Ballot(ctx, ballotID); err != nil {
		return nil, err
	}
	f, err := scanArchiveFile(q.s.db.QueryRowContext(ctx, `SELECT `+archiveColumns+` FROM `+d.table+` r
		JOIN archive_files f ON f.id = r.file_id JOIN orgs o ON o.id = f.org_id WHERE r.ballot_id = $1`, ballotID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// UnfiledReports lists, in scope and in the cycle, the ballots whose count
// was confirmed (their total kept, whatever the outcome made of them) and
// whose report is not in the archive, or which were declared void after
// it (a valid outcome kept, the ballot void: Ballot.VoidedAfterConfirm)
// and whose void decision is not (voided.go), in tree order, without their
// stations (the agenda and the filing need none: reading them cost the
// agenda of a large zone megabytes a request, issue 17).
func (q *Scoped) UnfiledReports(ctx context.Context) ([]Ballot, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	return ballotHeads(ctx, q.s.db, ` AND b.total <> '' AND (NOT EXISTS (SELECT 1 FROM ballot_reports r WHERE r.ballot_id = b.id)
		OR (b.state = 'void' AND EXISTS (SELECT 1 FROM ballot_outcomes x WHERE x.ballot_id = b.id AND x.valid = 1)
			AND NOT EXISTS (SELECT 1 FROM ballot_void_notes n WHERE n.ballot_id = b.id)))`,
		[]any{cycleID, lo, hi})
}
