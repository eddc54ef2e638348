package demo

import (
	"context"
	"fmt"

	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// LoadArchive puts two documents into the archive of every community of a
// zone that carries the gates and the three ones: the request to hold the
// election and the voter register's notice. Load cannot, as the files live
// in the file store beside the database.
func LoadArchive(ctx context.Context, st *store.Store, files *filestore.Store, z Zone) error {
	if len(z.Aspirants) == 0 {
		return nil
	}
	return st.Zone(store.System).Write(ctx, func(tx *store.Tx) error {
		for _, u := range z.Units {
			if u.Kind != org.Community || !z.Fills(u.Code, u.ParentCode) {
				continue
			}
			docs := []struct {
				name string
				cat  archive.Category
				text string
			}{
				{"关于" + u.Name + "两委换届选举的请示.txt", archive.Request,
					u.Name + "党组织、居民委员会任期届满,拟于近期进行换届选举,特此请示。(演示文件)\n"},
				{u.Name + "选民名单公告.txt", archive.Voters,
					"本社区选民名单已经选举委员会登记确认,现予公布,如有异议请于五日内提出。(演示文件)\n"},
			}
			for _, d := range docs {
				if _, err := tx.ArchiveBytes(ctx, files, u.Code, d.name, d.cat, "演示数据", []byte(d.text)); err != nil {
					return fmt.Errorf("demo archive of %s: %w", u.Code, err)
				}
			}
		}
		return nil
	})
}
