package store

import (
	"bytes"
	"context"
	"database/sql"

	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/org"
)

// ArchiveCommunity returns the community with code in scope, the one an
// archive belongs to; NotFound for a unit out of scope, missing or not a
// community, so scope cannot be probed.
func (q *Scoped) ArchiveCommunity(ctx context.Context, code string) (org.Unit, error) {
	u, err := q.OrgByCode(ctx, code)
	if err != nil {
		return u, errs.Wrap(err, errs.NotFound, "没有找到该社区")
	}
	if u.Kind != org.Community {
		return org.Unit{}, errs.New(errs.NotFound, "没有找到该社区")
	}
	return u, nil
}

// AddArchiveFile files stored content in the archive of community code (in
// scope) for the cycle, and audits it. f must hold the stored blob's
// SHA256, Size and Type; Kind is derived from the type. Errors: NotFound
// for a community out of scope, Unprocessable for a bad name, category or
// note.
func (t *Tx) AddArchiveFile(ctx context.Context, code string, f archive.File) (archive.File, error) {
	if err := f.Validate(); err != nil {
		return f, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return f, err
	}
	lo, hi := t.q.scope.Bounds()
	var orgID int64
	err = t.queryRow(ctx, `SELECT id, name FROM orgs WHERE code = $1 AND kind = $2 AND path >= $3 AND path < $4`,
		code, string(org.Community), lo, hi).Scan(&orgID, &f.OrgName)
	if err != nil {
		return f, notFound(err, "没有找到该社区")
	}
	f.CycleID, f.OrgCode, f.UploadedBy, f.UploadedAt = cycleID, code, t.q.actor.Name, t.s.clock()
	err = t.queryRow(ctx, `INSERT INTO archive_files (cycle_id, org_id, sha256, name, type, size, kind, category, note, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		cycleID, orgID, f.SHA256, f.Name, f.Type, f.Size, string(f.Kind), string(f.Category), f.Note, f.UploadedBy, f.UploadedAt).Scan(&f.ID)
	if err != nil {
		return f, err
	}
	return f, t.Audit(ctx, audit.ArchiveAdd, On("community", code, code), nil, audit.Fields{"id": f.ID, "sha256": f.SHA256,
		"name": f.Name, "type": f.Type, "size": f.Size, "kind": string(f.Kind), "category": string(f.Category), "note": f.Note})
}

// ArchiveBytes stores data in files and files it in the archive of
// community code, for demo data and tests. Errors as filestore.Put and
// AddArchiveFile.
func (t *Tx) ArchiveBytes(ctx context.Context, files *filestore.Store, code, name string, category archive.Category, note string,
	data []byte) (archive.File, error) {
	b, err := files.Put(bytes.NewReader(data), name)
	if err != nil {
		return archive.File{}, err
	}
	return t.AddArchiveFile(ctx, code, archive.File{SHA256: b.SHA256, Name: name, Type: b.Type, Size: b.Size,
		Category: category, Note: note})
}

const archiveColumns = `f.id, f.cycle_id, o.code, o.name, f.sha256, f.name, f.type, f.size, f.kind, f.category, f.note, f.uploaded_by, f.uploaded_at`

func scanArchiveFile(row interface{ Scan(...any) error }) (archive.File, error) {
	var f archive.File
	var kind, category string
	err := row.Scan(&f.ID, &f.CycleID, &f.OrgCode, &f.OrgName, &f.SHA256, &f.Name, &f.Type, &f.Size, &kind, &category, &f.Note,
		&f.UploadedBy, &f.UploadedAt)
	f.Kind, f.Category = archive.Kind(kind), archive.Category(category)
	return f, err
}

// ArchiveFiles lists the archive of community code (in scope) for the
// cycle, oldest first. A community out of scope has an empty archive; ask
// ArchiveCommunity first to tell it apart.
func (q *Scoped) ArchiveFiles(ctx context.Context, code string) ([]archive.File, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	rows, err := q.s.db.QueryContext(ctx, `SELECT `+archiveColumns+` FROM archive_files f JOIN orgs o ON o.id = f.org_id
		WHERE o.code = $1 AND f.cycle_id = $2 AND o.path >= $3 AND o.path < $4 ORDER BY f.uploaded_at, f.id`, code, cycleID, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []archive.File
	for rows.Next() {
		f, err := scanArchiveFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ArchiveFileInScope returns an archive entry with this content in a
// community in scope, of any cycle: what authorises a download. The same
// content filed elsewhere, out of scope, does not count. NotFound if none.
func (q *Scoped) ArchiveFileInScope(ctx context.Context, sha string) (archive.File, error) {
	lo, hi := q.scope.Bounds()
	f, err := scanArchiveFile(q.s.db.QueryRowContext(ctx, `SELECT `+archiveColumns+` FROM archive_files f JOIN orgs o ON o.id = f.org_id
		WHERE f.sha256 = $1 AND o.path >= $2 AND o.path < $3 ORDER BY f.id LIMIT 1`, sha, lo, hi))
	if err == sql.ErrNoRows {
		return f, errs.Wrap(err, errs.NotFound, "没有找到该文件")
	}
	return f, err
}
