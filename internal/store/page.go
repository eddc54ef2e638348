package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Page is a window on a list: at most Limit rows (0: all of them) after
// the first Offset. The lists that take one answer how many rows there
// are in all besides the page, so that a page of 100,000 communities reads
// and holds a page's rows, not the zone's.
type Page struct{ Limit, Offset int }

// sql is the page's LIMIT and OFFSET clause, "" for all rows.
func (p Page) sql() string {
	if p.Limit <= 0 {
		return ""
	}
	return ` LIMIT ` + strconv.Itoa(p.Limit) + ` OFFSET ` + strconv.Itoa(max(p.Offset, 0))
}

// paged counts the rows of from (FROM … WHERE …, with args) and scans the
// page p of them, cols in order: the count and the page are two statements
// that each stop at what they need, where reading every row to count them
// would grow with the zone. The count is skipped when the page ends the list.
func (s *Store) paged(ctx context.Context, cols, from, order string, p Page, scan func(*sql.Rows) error, args ...any) (int, error) {
	n := 0
	err := s.each(ctx, `SELECT `+cols+from+` ORDER BY `+order+p.sql(), func(rows *sql.Rows) error {
		n++
		return scan(rows)
	}, args...)
	switch {
	case err != nil || p.Limit <= 0:
		return n, err
	case n < p.Limit && (n > 0 || p.Offset <= 0): // the page ends the list
		return max(p.Offset, 0) + n, nil
	}
	var total int
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total)
	return total, err
}

// inList appends vals to args and answers their placeholders, "$4, $5",
// for an IN list; an empty list selects nothing: "NULL".
func inList(args *[]any, vals []string) string {
	if len(vals) == 0 {
		return "NULL"
	}
	marks := make([]string, len(vals))
	for i, v := range vals {
		*args = append(*args, v)
		marks[i] = "$" + strconv.Itoa(len(*args))
	}
	return strings.Join(marks, ", ")
}
