package store

import (
	"context"
	"database/sql"
	"sort"
)

// StoredFile is a file of the file store and the records that name it,
// for `huanjie archive verify`.
type StoredFile struct {
	SHA256 string
	Where  []string // the records, in Chinese: "档案 QS-01-002 换届请示.pdf"
}

// storedFileRefs are every column that names a file of the file store by
// its SHA-256, with how to name the record in Chinese.
var storedFileRefs = []struct{ label, query string }{
	{"档案", `SELECT f.sha256, o.code, f.name FROM archive_files f JOIN orgs o ON o.id = f.org_id`},
	{"研判附件", `SELECT f.sha256, o.code, f.name FROM assessment_attachments f JOIN assessments a ON a.id = f.assessment_id
		JOIN orgs o ON o.id = a.org_id`},
	{"举报附件", `SELECT f.sha256, o.code, f.name FROM tip_files f JOIN tips t ON t.id = f.tip_id JOIN orgs o ON o.id = t.org_id`},
	{"参选人照片", `SELECT a.photo, o.code, a.name FROM aspirants a JOIN orgs o ON o.id = a.org_id WHERE a.photo <> ''`},
	{"联审答复附件", `SELECT r.attachment, o.code, CAST(r.id AS TEXT) FROM review_requests r JOIN aspirants a ON a.id = r.aspirant_id
		JOIN orgs o ON o.id = a.org_id WHERE r.attachment <> ''`},
	{"进度佐证", `SELECT p.attachment, o.code, p.stage_code FROM progress_marks p JOIN orgs o ON o.id = p.org_id WHERE p.attachment <> ''`},
	{"台账销号依据", `SELECT l.closing_file, o.code, CAST(l.id AS TEXT) FROM ledger_items l JOIN orgs o ON o.id = l.org_id
		WHERE l.closing_file <> ''`},
}

// StoredFiles lists every file of the file store that a record names, of
// every cycle and unit, by SHA-256: what `huanjie archive verify` checks.
// For the command line only: no scope applies.
func (s *Store) StoredFiles(ctx context.Context) ([]StoredFile, error) {
	at := map[string]*StoredFile{}
	for _, ref := range storedFileRefs {
		err := s.each(ctx, ref.query, func(rows *sql.Rows) error {
			var sha, code, name string
			if err := rows.Scan(&sha, &code, &name); err != nil {
				return err
			}
			f := at[sha]
			if f == nil {
				f = &StoredFile{SHA256: sha}
				at[sha] = f
			}
			f.Where = append(f.Where, ref.label+" "+code+" "+name)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]StoredFile, 0, len(at))
	for _, f := range at {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Where[0] < out[j].Where[0] })
	return out, nil
}
