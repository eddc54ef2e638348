package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/progress"
)

// MapShapes returns the uploaded boundaries of the communities in scope, by
// community code.
func (q *Scoped) MapShapes(ctx context.Context) (map[string]progress.Shape, error) {
	lo, hi := q.scope.Bounds()
	rows, err := q.s.db.QueryContext(ctx, `SELECT o.code, sh.geojson FROM org_shapes sh JOIN orgs o ON o.id = sh.org_id
		WHERE o.kind = 'community' AND o.path >= $1 AND o.path < $2`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]progress.Shape{}
	for rows.Next() {
		var code, raw string
		if err := rows.Scan(&code, &raw); err != nil {
			return nil, err
		}
		var sh progress.Shape
		if err := json.Unmarshal([]byte(raw), &sh); err != nil {
			return nil, fmt.Errorf("shape of %s: %w", code, err)
		}
		out[code] = sh
	}
	return out, rows.Err()
}

// SaveMapShapes stores the boundaries of communities in the transaction's
// scope, replacing any earlier one of the same community. Every code must
// name a community in scope; otherwise nothing is stored (422 naming the
// first few): a scoped office cannot draw another district's communities.
func (t *Tx) SaveMapShapes(ctx context.Context, shapes map[string]progress.Shape) error {
	scope := t.q.scope
	if len(shapes) == 0 {
		return errs.OnField("file", "没有可保存的边界")
	}
	lo, hi := scope.Bounds()
	codes := make([]string, 0, len(shapes))
	for c := range shapes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	ids := make(map[string]int64, len(codes))
	var unknown []string
	for _, c := range codes {
		var id int64
		err := t.queryRow(ctx, `SELECT id FROM orgs WHERE code = $1 AND kind = 'community' AND path >= $2 AND path < $3`,
			c, lo, hi).Scan(&id)
		if err != nil {
			if notFound(err, "") == err {
				return err
			}
			unknown = append(unknown, c)
			continue
		}
		ids[c] = id
	}
	if len(unknown) > 0 {
		shown := unknown[:min(len(unknown), 5)]
		return errs.OnField("file", fmt.Sprintf("GeoJSON 中有%d个编码不是管辖范围内的社区:%s", len(unknown), strings.Join(shown, "、")))
	}
	for _, c := range codes {
		raw, _ := json.Marshal(shapes[c])
		if _, err := t.exec(ctx, `DELETE FROM org_shapes WHERE org_id = $1`, ids[c]); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO org_shapes (org_id, geojson) VALUES ($1, $2)`, ids[c], string(raw)); err != nil {
			return fmt.Errorf("save shape %s: %w", c, err)
		}
	}
	return t.Audit(ctx, audit.MapShapes, On("map", "shapes", ""), nil, audit.Fields{"communities": len(codes), "scope": scope.Path})
}
