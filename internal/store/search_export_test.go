package store

import "context"

// BareNames reads every member's name with plain database/sql: the floor of
// a search that would compute pinyin at query time.
func (s *Store) BareNames(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM members`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// SearchKeysOf exposes searchKeys to the benchmark.
func SearchKeysOf(name string, person bool) (string, string) { return searchKeys(name, person) }
