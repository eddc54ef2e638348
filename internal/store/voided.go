package store

import (
	"context"

	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
)

// A confirmed ballot declared void by hand afterwards (VoidBallot: the
// higher level finds the vote void). What its confirmation set must not
// stay: the committee's members are recomputed from its remaining valid
// ballots (none: the committee has no members, and the results page says
// the election awaits its re-run), which clears the party committee's
// officers and approval as every change of the members does, and keeps
// result_tallies and the comparison with the predicted slate; the
// progress table's vote stage is taken back when this ballot's
// confirmation marked it; ballot_figures stays as decided, read with the
// ballot's state, so the statistics count it void. Its report stays in the
// archive as filed, and a workbook of the void decision is filed beside it
// (FileVoidNote, by the web layer right after, as for the report).

// afterVoid follows the void of the confirmed ballot b (its state already
// void), in VoidBallot's transaction.
func (t *Tx) afterVoid(ctx context.Context, b *Ballot, s election.Settings) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	lo, hi := t.q.scope.Bounds()
	ballots, err := t.q.ballots(ctx, t.tx, ` AND o.code = $4 AND b.committee = $5`, []any{cycleID, lo, hi, b.Community, string(b.Committee)})
	if err != nil {
		return err
	}
	if b.Results, err = t.electFrom(ctx, b.Community, b.Committee, ballots, s, true); err != nil {
		return err
	}
	b.Progress, err = t.unmarkVote(ctx, *b)
	return err
}

// unmarkVote takes back the mark of the vote stage of b's committee when
// b's confirmation made it (markVote: the same evidence; a mark made or
// changed by a person since stays), through UnmarkStage (audited); it says
// what became of the stage, "" when there was nothing to take back.
func (t *Tx) unmarkVote(ctx context.Context, b Ballot) (string, error) {
	stage, ok, err := t.voteStageOf(ctx, b.Committee)
	if err != nil || !ok {
		return "", err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return "", err
	}
	orgID, err := t.communityID(ctx, b.Community)
	if err != nil {
		return "", err
	}
	marks, err := marksOf(ctx, t.tx, orgID, cycleID, b.Community)
	if err != nil {
		return "", err
	}
	if m, ok := marks[stage.Code]; !ok || m.Evidence != voteEvidence(b) {
		return "", nil
	}
	err = t.UnmarkStage(ctx, b.Community, stage.Code)
	switch {
	case err == nil:
		return "进度表“" + stage.Name + "”由本次投票确认时标记的完成已撤销", nil
	case errs.Is(err, errs.Unprocessable):
		return "进度表“" + stage.Name + "”的完成标记未撤销:" + errs.MessageOf(err), nil
	}
	return "", err
}

var voidNoteDocument = ballotDocument{table: "ballot_void_notes", name: "选举无效决定", action: audit.ArchiveVoidNote,
	refused: func(b Ballot) error {
		if !b.VoidedAfterConfirm() {
			return errs.New(errs.Conflict, "这次投票不是在计票结果确认后被宣布无效的,没有无效决定可归档")
		}
		return nil
	},
	fields: func(b Ballot) audit.Fields { return audit.Fields{"reason": b.VoidReason} }}

// FileVoidNote files f, the stored workbook of the void decision of the
// ballot with id (in scope, confirmed and declared void afterwards:
// Ballot.VoidedAfterConfirm), in the community's archive under 选举结果报告,
// beside the report filed when it was confirmed, and records it as that
// ballot's void note. Conflict when the ballot was not voided after its
// confirmation or its note is filed already (nothing is written then).
// Audited twice: the archive's entry (archive.add) and the filing
// (archive.void_note, on the ballot).
func (t *Tx) FileVoidNote(ctx context.Context, ballotID int64, f archive.File) (archive.File, error) {
	return t.fileBallotDocument(ctx, voidNoteDocument, ballotID, f)
}

// BallotVoidNote is the archive entry holding the void decision of the
// ballot with id (in scope), nil while it is not filed (or there is none).
func (q *Scoped) BallotVoidNote(ctx context.Context, ballotID int64) (*archive.File, error) {
	return q.ballotDocumentFile(ctx, voidNoteDocument, ballotID)
}
