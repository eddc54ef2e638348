package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
)

// AddAttachment records a stored file as an attachment of an assessment, in
// the transaction's cycle, of a community in its scope; NotFound for any
// other assessment.
func (t *Tx) AddAttachment(ctx context.Context, assessmentID int64, a assess.Attachment) (assess.Attachment, error) {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 200 {
		return a, errs.OnField("file", "文件名不能为空,且不超过200字")
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return a, err
	}
	lo, hi := t.q.scope.Bounds()
	var code string
	err = t.queryRow(ctx, `SELECT o.code FROM assessments a JOIN orgs o ON o.id = a.org_id
		WHERE a.id = $1 AND a.cycle_id = $2 AND o.path >= $3 AND o.path < $4`, assessmentID, cycleID, lo, hi).Scan(&code)
	if err != nil {
		return a, notFound(err, "没有找到该研判记录")
	}
	err = t.queryRow(ctx, `INSERT INTO assessment_attachments (assessment_id, sha256, name, type, size, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, assessmentID, a.SHA256, a.Name, a.Type, a.Size, t.s.clock()).Scan(&a.ID)
	if err != nil {
		return a, err
	}
	return a, t.Audit(ctx, audit.AssessAttach, On("community", code, code), nil, audit.Fields{"assessment": assessmentID, "sha256": a.SHA256,
		"name": a.Name, "type": a.Type, "size": a.Size})
}

// AttachmentsOf returns the attachments of the given assessments, by
// assessment; an assessment of a community outside the scope has none.
func (q *Scoped) AttachmentsOf(ctx context.Context, ids []int64) (map[int64][]assess.Attachment, error) {
	out := map[int64][]assess.Attachment{}
	lo, hi := q.scope.Bounds()
	for _, id := range ids {
		rows, err := q.s.db.QueryContext(ctx, `SELECT f.id, f.sha256, f.name, f.type, f.size FROM assessment_attachments f
			JOIN assessments a ON a.id = f.assessment_id JOIN orgs o ON o.id = a.org_id
			WHERE f.assessment_id = $1 AND o.path >= $2 AND o.path < $3 ORDER BY f.id`, id, lo, hi)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a assess.Attachment
			if err := rows.Scan(&a.ID, &a.SHA256, &a.Name, &a.Type, &a.Size); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AttachmentInScope returns an attachment with this content on an
// assessment of a community in scope; NotFound otherwise.
func (q *Scoped) AttachmentInScope(ctx context.Context, sha string) (assess.Attachment, string, error) {
	lo, hi := q.scope.Bounds()
	var a assess.Attachment
	var code string
	err := q.s.db.QueryRowContext(ctx, `SELECT f.id, f.sha256, f.name, f.type, f.size, o.code FROM assessment_attachments f
		JOIN assessments a ON a.id = f.assessment_id JOIN orgs o ON o.id = a.org_id
		WHERE f.sha256 = $1 AND o.path >= $2 AND o.path < $3 ORDER BY f.id LIMIT 1`, sha, lo, hi).
		Scan(&a.ID, &a.SHA256, &a.Name, &a.Type, &a.Size, &code)
	return a, code, notFound(err, "没有找到该文件")
}
