package store

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// AddAttachment records a stored file as an attachment of an assessment of
// a community in scope.
func (t *Tx) AddAttachment(ctx context.Context, scope org.Scope, assessmentID int64, a assess.Attachment) (assess.Attachment, error) {
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 200 {
		return a, errs.OnField("file", "文件名不能为空,且不超过200字")
	}
	lo, hi := scope.Bounds()
	var code string
	err := t.queryRow(ctx, `SELECT o.code FROM assessments a JOIN orgs o ON o.id = a.org_id WHERE a.id = $1 AND o.path >= $2 AND o.path < $3`,
		assessmentID, lo, hi).Scan(&code)
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

// AttachmentsOf returns the attachments of the given assessments, by assessment.
func (s *Store) AttachmentsOf(ctx context.Context, ids []int64) (map[int64][]assess.Attachment, error) {
	out := map[int64][]assess.Attachment{}
	for _, id := range ids {
		rows, err := s.db.QueryContext(ctx, `SELECT id, sha256, name, type, size FROM assessment_attachments WHERE assessment_id = $1 ORDER BY id`, id)
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
func (s *Store) AttachmentInScope(ctx context.Context, scope org.Scope, sha string) (assess.Attachment, string, error) {
	lo, hi := scope.Bounds()
	var a assess.Attachment
	var code string
	err := s.db.QueryRowContext(ctx, `SELECT f.id, f.sha256, f.name, f.type, f.size, o.code FROM assessment_attachments f
		JOIN assessments a ON a.id = f.assessment_id JOIN orgs o ON o.id = a.org_id
		WHERE f.sha256 = $1 AND o.path >= $2 AND o.path < $3 ORDER BY f.id LIMIT 1`, sha, lo, hi).
		Scan(&a.ID, &a.SHA256, &a.Name, &a.Type, &a.Size, &code)
	return a, code, notFound(err, "没有找到该文件")
}
