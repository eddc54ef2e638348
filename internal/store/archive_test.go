package store_test

import (
	"testing"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
)

func TestArchiveFilesAndScope(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		files, err := filestore.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		zone := st.Zone(store.System)
		own, other := within(st, "/QS/QS-01/QS-01-001/"), within(st, "/QS/QS-02/QS-02-001/")
		request := []byte("%PDF-1.7\n关于开展社区两委换届选举的请示\n%%EOF\n")
		var first archive.File
		err = st.Zone(store.Actor{ID: 1, Name: "admin"}).Write(ctx, func(tx *store.Tx) error {
			var err error
			if first, err = tx.ArchiveBytes(ctx, files, "QS-01-001", "换届请示.pdf", archive.Request, " 报街道党工委 ", request); err != nil {
				return err
			}
			// The same bytes filed in another community: stored once, two entries.
			_, err = tx.ArchiveBytes(ctx, files, "QS-02-001", "请示(抄送).pdf", archive.Other, "", request)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if first.Kind != archive.Text || first.Type != "application/pdf" || first.Note != "报街道党工委" || first.UploadedBy != "admin" || first.ID == 0 {
			t.Fatalf("filed %+v", first)
		}

		list, err := own.ArchiveFiles(ctx, "QS-01-001")
		if err != nil || len(list) != 1 || list[0].SHA256 != first.SHA256 || list[0].Category != archive.Request || list[0].OrgName == "" ||
			list[0].UploadedAt.IsZero() {
			t.Fatalf("own archive: %+v %v", list, err)
		}
		if list, _ := own.ArchiveFiles(ctx, "QS-02-001"); len(list) != 0 {
			t.Fatalf("another community's archive through a community scope: %+v", list)
		}
		// The download is authorised by an entry in scope: each scope finds its own entry.
		if f, err := own.ArchiveFileInScope(ctx, first.SHA256); err != nil || f.OrgCode != "QS-01-001" {
			t.Fatalf("own entry: %+v %v", f, err)
		}
		if f, err := other.ArchiveFileInScope(ctx, first.SHA256); err != nil || f.OrgCode != "QS-02-001" || f.Name != "请示(抄送).pdf" {
			t.Fatalf("other entry: %+v %v", f, err)
		}
		if _, err := within(st, "/QS/QS-03/").ArchiveFileInScope(ctx, first.SHA256); !errs.Is(err, errs.NotFound) {
			t.Fatalf("out of scope: %v", err)
		}
		if _, err := st.For(account.User{}).ArchiveFileInScope(ctx, first.SHA256); !errs.Is(err, errs.NotFound) {
			t.Fatalf("zero scope: %v", err)
		}

		// Refused: out of scope, not a community, bad category; nothing written.
		bad := []struct {
			name  string
			scope *store.Scoped
			code  string
			cat   archive.Category
			want  errs.Code
		}{
			{"out of scope", own, "QS-02-001", archive.Request, errs.NotFound},
			{"a district", zone, "QS-01", archive.Request, errs.NotFound},
			{"bad category", zone, "QS-01-001", "秘密", errs.Unprocessable},
		}
		for _, c := range bad {
			err := c.scope.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.ArchiveBytes(ctx, files, c.code, "a.pdf", c.cat, "", request)
				return err
			})
			if !errs.Is(err, c.want) {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		if list, _ := zone.ArchiveFiles(ctx, "QS-01-001"); len(list) != 1 {
			t.Fatalf("refused entries were recorded: %d", len(list))
		}
		if _, err := own.ArchiveCommunity(ctx, "QS-01"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("a district as an archive: %v", err)
		}
	})
}
