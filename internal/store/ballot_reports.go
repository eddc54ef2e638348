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

// FileBallotReport files f, the stored workbook of the report of the ballot
// with id (in scope, its count confirmed: its total kept), in the ballot's
// community's archive under 选举结果报告, and records it as that ballot's
// report. Conflict when the ballot's count is not confirmed or its report
// is filed already (nothing is written then). Audited twice: the archive's
// entry (archive.add) and the filing (archive.report, on the ballot).
func (t *Tx) FileBallotReport(ctx context.Context, ballotID int64, f archive.File) (archive.File, error) {
	b, err := t.q.ballotIn(ctx, t.tx, ballotID)
	if err != nil {
		return f, err
	}
	if b.Total == nil {
		return f, errs.Newf(errs.Conflict, "这次投票%s,计票结果确认后才能归档报告单", b.State.Label())
	}
	if filed, err := reportFileOf(ctx, t.tx, b.ID); err != nil {
		return f, err
	} else if filed != 0 {
		return f, errs.New(errs.Conflict, "这次投票的选举结果报告单已归档")
	}
	f.Category = archive.Results
	f, err = t.AddArchiveFile(ctx, b.Community, f)
	if err != nil {
		return f, err
	}
	if _, err := t.exec(ctx, `INSERT INTO ballot_reports (ballot_id, file_id) VALUES ($1, $2)`, b.ID, f.ID); err != nil {
		if isUnique(err) {
			return f, errs.New(errs.Conflict, "这次投票的选举结果报告单已归档")
		}
		return f, err
	}
	return f, t.Audit(ctx, audit.ArchiveReport, On("ballot", b.ID, b.Community), nil,
		audit.Fields{"file": f.ID, "name": f.Name, "sha256": f.SHA256})
}

// reportFileOf is the id of the archive entry of the ballot's report, 0
// when none.
func reportFileOf(ctx context.Context, db querier, ballotID int64) (int64, error) {
	var id int64
	err := db.QueryRowContext(ctx, `SELECT file_id FROM ballot_reports WHERE ballot_id = $1`, ballotID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// BallotReportFile is the archive entry holding the report of the ballot
// with id (in scope), nil while it is not filed.
func (q *Scoped) BallotReportFile(ctx context.Context, ballotID int64) (*archive.File, error) {
	if _, err := q.Ballot(ctx, ballotID); err != nil {
		return nil, err
	}
	f, err := scanArchiveFile(q.s.db.QueryRowContext(ctx, `SELECT `+archiveColumns+` FROM ballot_reports r
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
// and whose void decision is not (voided.go), in tree order, each with its
// stations.
func (q *Scoped) UnfiledReports(ctx context.Context) ([]Ballot, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	return q.ballots(ctx, q.s.db, ` AND b.total <> '' AND (NOT EXISTS (SELECT 1 FROM ballot_reports r WHERE r.ballot_id = b.id)
		OR (b.state = 'void' AND EXISTS (SELECT 1 FROM ballot_outcomes x WHERE x.ballot_id = b.id AND x.valid = 1)
			AND NOT EXISTS (SELECT 1 FROM ballot_void_notes n WHERE n.ballot_id = b.id)))`,
		[]any{cycleID, lo, hi})
}
