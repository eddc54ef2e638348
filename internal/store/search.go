package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// The search box (issue 13, point 4) finds people, units and documents by
// Chinese name, by full pinyin without tones ("zhangsan") and by pinyin
// initials ("zs"). The pinyin of every name is computed here when the name
// is written and kept in indexed columns (migration 00014): a write
// transaction keys the rows it left unkeyed before it commits, and Open
// keys the rows written before the migration. Only names are keyed; sealed
// ID and phone numbers are never searched nor returned.

// SearchKind is what a search hit is.
type SearchKind string

// The kinds the search box finds, each shown only to roles that may
// already list it (searchKinds).
const (
	SearchUnit     SearchKind = "unit"     // a unit of the org tree (orgs.view)
	SearchMember   SearchKind = "member"   // a sitting committee member (orgs.view, on the unit's page)
	SearchAspirant SearchKind = "aspirant" // an aspirant (aspirants.view)
	SearchAccount  SearchKind = "account"  // an account (users.manage)
	SearchArchive  SearchKind = "archive"  // a file of a community's archive (archive.view)
	SearchMeeting  SearchKind = "meeting"  // a daily meeting (meetings.view)
)

var searchKindLabels = map[SearchKind]string{
	SearchUnit: "组织", SearchMember: "两委成员", SearchAspirant: "参选人", SearchAccount: "账号",
	SearchArchive: "档案文件", SearchMeeting: "工作例会",
}

// Label is the kind's Chinese name.
func (k SearchKind) Label() string { return searchKindLabels[k] }

// searchKinds are the kinds in the order results are shown, with the
// permission a role needs to find them: the one that lists them already.
var searchKinds = []struct {
	kind SearchKind
	perm account.Permission
}{
	{SearchUnit, account.ViewOrgs}, {SearchMember, account.ViewOrgs}, {SearchAspirant, account.ViewAspirants},
	{SearchAccount, account.ManageUsers}, {SearchArchive, account.ViewArchive}, {SearchMeeting, account.ViewMeetings},
}

// SearchHit is one thing found: its kind, name and where it belongs.
// Which page shows it is the web layer's to say, from Kind, ID and Code.
type SearchHit struct {
	Kind     SearchKind
	ID       int64  // member, aspirant, account, archive file, meeting
	Code     string // the unit's code: the unit itself, or the one the thing belongs to
	Name     string // the name found (a meeting's title)
	Where    string // the unit's name ("" for a unit and an account of the whole tree)
	UnitKind org.Kind
}

// SearchResult is what Search found, kind by kind in searchKinds' order;
// More names the kinds that had more hits than the limit.
type SearchResult struct {
	Query string
	Hits  []SearchHit
	More  []SearchKind
}

// maxSearchRunes bounds the query: a name, not a paragraph.
const maxSearchRunes = 40

// Search finds, in q's scope and among the kinds q's role may list, the
// things whose name contains text (Chinese), or whose pinyin or pinyin
// initials start with it (Latin letters: "zs", "zhangs"); a date ("2026-05")
// also finds the daily meetings held on it. At most limit hits of each kind.
// An empty query finds nothing; Unprocessable for one over 40 characters.
func (q *Scoped) Search(ctx context.Context, text string, limit int) (SearchResult, error) {
	text = strings.TrimSpace(text)
	res := SearchResult{Query: text}
	if text == "" {
		return res, nil
	}
	if len([]rune(text)) > maxSearchRunes {
		return res, errs.OnField("q", fmt.Sprintf("搜索内容不能超过 %d 个字", maxSearchRunes))
	}
	m := parseSearch(text)
	if m.zero() {
		return res, nil
	}
	limit = max(limit, 1)
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return res, err
	}
	for _, k := range searchKinds {
		if !q.Can(k.perm) {
			continue
		}
		hits, err := q.searchKind(ctx, k.kind, m, cycleID, limit+1)
		if err != nil {
			return res, fmt.Errorf("search %s: %w", k.kind, err)
		}
		if len(hits) > limit {
			hits = hits[:limit]
			res.More = append(res.More, k.kind)
		}
		res.Hits = append(res.Hits, hits...)
	}
	return res, nil
}

// searchMatch is a parsed query: a Chinese fragment, or a pinyin key, and
// a date prefix when it looks like one.
type searchMatch struct {
	text string // the query, for matching in Go
	like string // %fragment% for LIKE … ESCAPE '\', "" when the query is not Chinese
	key  string // lower-case letters for the pinyin columns, "" when none
	date string // a prefix of YYYY-MM-DD, "" when none
}

func (m searchMatch) zero() bool { return m.like == "" && m.key == "" && m.date == "" }

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// parseSearch reads a query: any Han character makes it a Chinese
// fragment, matched anywhere in a name; otherwise its letters (spaces,
// apostrophes and the middle dot dropped, ü as v) are a pinyin key matched
// at the start of the full pinyin or the initials; digits and dashes alone
// are a date prefix.
func parseSearch(text string) searchMatch {
	m := searchMatch{text: text}
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			m.like = "%" + likeEscaper.Replace(text) + "%"
			return m
		}
	}
	var key, date strings.Builder
	letters, dateLike := true, true
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ' || r == '\'' || r == '·' || r == '’':
		case r == 'ü':
			key.WriteByte('v')
			dateLike = false
		case r >= 'a' && r <= 'z':
			key.WriteRune(r)
			dateLike = false
		case r >= '0' && r <= '9' || r == '-':
			date.WriteRune(r)
			letters = false
		default:
			letters, dateLike = false, false
		}
	}
	if letters && key.Len() > 0 {
		m.key = key.String()
	}
	if dateLike && date.Len() >= 4 {
		m.date = date.String()
	}
	return m
}

// searchCond is the condition that a row of alias a matches m, on its name
// column and its pinyin columns; its arguments are appended to args.
func (m searchMatch) cond(a, name string, args *[]any) string {
	if m.like != "" {
		*args = append(*args, m.like)
		return a + `.` + name + ` LIKE $` + strconv.Itoa(len(*args)) + ` ESCAPE '\'`
	}
	if m.key == "" {
		return `1 = 0`
	}
	*args = append(*args, m.key, m.key+"{") // '{' follows 'z': every key starting with m.key sorts below m.key+"{"
	lo, hi := `$`+strconv.Itoa(len(*args)-1), `$`+strconv.Itoa(len(*args))
	return `((` + a + `.name_pinyin >= ` + lo + ` AND ` + a + `.name_pinyin < ` + hi + `) OR (` +
		a + `.name_initials >= ` + lo + ` AND ` + a + `.name_initials < ` + hi + `))`
}

func (q *Scoped) searchKind(ctx context.Context, k SearchKind, m searchMatch, cycleID int64, limit int) ([]SearchHit, error) {
	lo, hi := q.scope.Bounds()
	args := []any{lo, hi}
	// A Chinese fragment is found by reading every name. SQLite's planner
	// would rather walk the scope's units and fetch their rows one by one
	// through the unit index: right for a district, but for the whole tree
	// 100,000 scattered reads (0.9 s for 100,000 members, against 0.04 s for
	// a plain scan; docs/performance.md). A unary + keeps an index from
	// being used: for the whole tree on SQLite, the rows are read in order.
	// PostgreSQL plans both well.
	plus := ""
	if q.s.engine == SQLite && q.scope == org.All {
		plus = "+"
	}
	inScope := plus + `o.path >= $1 AND ` + plus + `o.path < $2`
	of := func(table string) string {
		return ` FROM ` + table + ` x JOIN orgs o ON o.id = ` + plus + `x.org_id WHERE ` + inScope + ` AND ` + plus + `x.cycle_id = $3 AND `
	}
	var query string
	switch k {
	case SearchUnit:
		query = `SELECT 0, o.code, o.name, '', o.kind FROM orgs o WHERE ` + inScope + ` AND ` + m.cond("o", "name", &args) +
			` ORDER BY LENGTH(o.name), o.path`
	case SearchMember:
		args = append(args, cycleID)
		query = `SELECT x.id, o.code, x.name, o.name, o.kind` + of("members") + m.cond("x", "name", &args) +
			` ORDER BY LENGTH(x.name), x.name_pinyin, x.id`
	case SearchAspirant:
		args = append(args, cycleID)
		query = `SELECT x.id, o.code, x.name, o.name, o.kind` + of("aspirants") + m.cond("x", "name", &args) +
			` ORDER BY LENGTH(x.name), x.name_pinyin, x.id`
	case SearchArchive:
		args = append(args, cycleID)
		query = `SELECT x.id, o.code, x.name, o.name, o.kind` + of("archive_files") + m.cond("x", "name", &args) +
			` ORDER BY x.uploaded_at DESC, x.id`
	case SearchAccount:
		return q.searchAccounts(ctx, m, limit)
	case SearchMeeting:
		return q.searchMeetings(ctx, m, cycleID, limit)
	default:
		return nil, fmt.Errorf("unknown search kind %q", k)
	}
	return q.searchRows(ctx, k, query+` LIMIT `+strconv.Itoa(limit), args)
}

func (q *Scoped) searchRows(ctx context.Context, k SearchKind, query string, args []any) ([]SearchHit, error) {
	var out []SearchHit
	err := q.s.each(ctx, query, func(rows *sql.Rows) error {
		h := SearchHit{Kind: k}
		if err := rows.Scan(&h.ID, &h.Code, &h.Name, &h.Where, &h.UnitKind); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	}, args...)
	return out, err
}

// searchAccounts finds accounts whose scope lies within q's (any account
// for the whole tree, as ListUsers), by name or, for a Latin query, also
// by the start of the username.
func (q *Scoped) searchAccounts(ctx context.Context, m searchMatch, limit int) ([]SearchHit, error) {
	var args []any
	where := `WHERE 1 = 1`
	if q.scope != org.All {
		lo, hi := q.scope.Bounds()
		args = append(args, lo, hi)
		where += ` AND o.path >= $1 AND o.path < $2`
	}
	cond := m.cond("u", "display_name", &args)
	if m.key != "" {
		args = append(args, m.key+"%") // letters only: nothing to escape
		cond = `(` + cond + ` OR LOWER(u.username) LIKE $` + strconv.Itoa(len(args)) + `)`
	}
	query := `SELECT u.id, COALESCE(o.code, ''), u.display_name, COALESCE(o.name, ''), COALESCE(o.kind, '')
		FROM users u LEFT JOIN orgs o ON o.id = u.scope_org_id ` + where + ` AND ` + cond +
		` ORDER BY LENGTH(u.display_name), u.name_pinyin, u.id LIMIT ` + strconv.Itoa(limit)
	return q.searchRows(ctx, SearchAccount, query, args)
}

// meetingTitle is how a daily meeting is named in lists: its unit's name
// and day.
func meetingTitle(unitName string, day civil.Date) string {
	return unitName + "工作例会 " + string(day)
}

// searchMeetings finds the cycle's daily meetings q may see (visibleMeetings)
// by title: its unit's name and 工作例会 in Chinese or pinyin, or its day.
// Meetings are few (one per unit and day): they are read newest first and
// matched here, with the unit's stored pinyin.
func (q *Scoped) searchMeetings(ctx context.Context, m searchMatch, cycleID int64, limit int) ([]SearchHit, error) {
	visible, vargs := visibleMeetings(q.scope, 2)
	args := append([]any{cycleID}, vargs...)
	const word, wordPinyin, wordInitials = "工作例会", "gongzuolihui", "gzlh"
	fragment := ""
	if m.like != "" {
		fragment = m.text
	}
	var out []SearchHit
	err := q.s.each(ctx, `SELECT m.id, m.held_on, m.unit_path, COALESCE(u.code, ''), COALESCE(u.name, ''),
		COALESCE(u.name_pinyin, ''), COALESCE(u.name_initials, '') FROM daily_meetings m LEFT JOIN orgs u ON u.path = m.unit_path
		WHERE m.cycle_id = $1 AND `+visible+` ORDER BY m.held_on DESC, m.unit_path`, func(rows *sql.Rows) error {
		if len(out) >= limit {
			return nil
		}
		var h SearchHit
		var day civil.Date
		var path, name, py, ini string
		if err := rows.Scan(&h.ID, &day, &path, &h.Code, &name, &py, &ini); err != nil {
			return err
		}
		name = unitName(path, name)
		if path == "/" {
			py, ini = "quanqu", "qq"
		}
		h.Kind, h.Name, h.Where = SearchMeeting, meetingTitle(name, day), name
		switch {
		case fragment != "" && strings.Contains(name+word+" "+string(day), fragment),
			m.key != "" && (strings.HasPrefix(py+wordPinyin, m.key) || strings.HasPrefix(ini+wordInitials, m.key) ||
				strings.HasPrefix(wordPinyin, m.key) || strings.HasPrefix(wordInitials, m.key)),
			m.date != "" && strings.HasPrefix(string(day), m.date):
			out = append(out, h)
		}
		return nil
	}, args...)
	return out, err
}

// Keys of names.

var pinyinArgs = pinyin.NewArgs() // no tones, the commonest reading of each character

// surnames are the readings of characters whose reading as a family name
// differs from their commonest one (曾 is céng, but 曾 the family is zēng).
var surnames = map[rune]string{
	'曾': "zeng", '单': "shan", '解': "xie", '朴': "piao", '区': "ou", '查': "zha", '仇': "qiu", '缪': "miao",
	'覃': "qin", '翟': "zhai", '乐': "yue", '盖': "ge", '尉': "yu", '员': "yun", '召': "shao", '秘': "bi",
	'种': "chong", '折': "she", '繁': "po", '长': "chang", '重': "chong", '说': "yue", '句': "gou", '能': "nai",
}

// searchKeys are a name's full pinyin without tones ("zhangsan") and its
// initials ("zs"). Latin letters and digits are kept, lower-cased, each
// counting as its own initial; everything else is left out. person reads
// the first character as a family name.
func searchKeys(name string, person bool) (full, initials string) {
	var f, i strings.Builder
	first := true
	for _, r := range name {
		var py string
		switch {
		case unicode.Is(unicode.Han, r):
			if s, ok := surnames[r]; ok && person && first {
				py = s
			} else if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
				py = p[0]
			}
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			py = strings.ToLower(string(r))
		case r == 'ü' || r == 'Ü':
			py = "v"
		}
		if !unicode.IsSpace(r) {
			first = false
		}
		if py == "" {
			continue
		}
		f.WriteString(py)
		i.WriteByte(py[0])
	}
	return f.String(), i.String()
}

// searchTables are the tables whose names are keyed, with the name column
// and whether the names are people's.
var searchTables = []struct {
	table, name string
	person      bool
}{
	{"orgs", "name", false}, {"members", "name", true}, {"aspirants", "name", true},
	{"users", "display_name", true}, {"archive_files", "name", false},
}

// keyNames computes the pinyin keys of every row that has none (new,
// renamed, or written before migration 00014), in db: a transaction before
// it commits, or the store at startup. One statement finds them in every
// table (unkeyedNames): every write runs it, so it costs one round trip,
// not one a table.
func (s *Store) keyNames(ctx context.Context, db *dbTx) error {
	todo := make([][]keyRow, len(searchTables))
	rows, err := db.QueryContext(ctx, unkeyedNames)
	if err != nil {
		return fmt.Errorf("search keys: %w", err)
	}
	for rows.Next() {
		var t int
		var r keyRow
		if err := rows.Scan(&t, &r.id, &r.name); err != nil {
			rows.Close()
			return err
		}
		todo[t] = append(todo[t], r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, t := range searchTables {
		if err := s.writeKeys(ctx, db, t.table, t.person, todo[i]); err != nil {
			return err
		}
	}
	return nil
}

// unkeyedNames selects the rows of every table of searchTables whose name
// has no keys yet: the table's index in searchTables, the row's id and its
// name, by table and id.
var unkeyedNames = func() string {
	parts := make([]string, len(searchTables))
	for i, t := range searchTables {
		parts[i] = `SELECT ` + strconv.Itoa(i) + ` AS t, id, ` + t.name + ` AS name FROM ` + t.table + ` WHERE name_pinyin IS NULL`
	}
	return strings.Join(parts, ` UNION ALL `) + ` ORDER BY 1, 2`
}()

type keyRow struct {
	id   int64
	name string
}

// writeKeys stores the keys of rows of table. SQLite runs one prepared
// statement per row, in process (2.1 s of CPU, pinyin and index upkeep
// included, for the 112,501 units of the demo of 100,000 communities: about
// a tenth of its load);
// PostgreSQL gets up to 500 rows a statement (3 arguments each), so that
// 100,000 names do not cost 100,000 round trips.
func (s *Store) writeKeys(ctx context.Context, db *dbTx, table string, person bool, todo []keyRow) error {
	if len(todo) == 0 {
		return nil
	}
	if s.engine == SQLite {
		stmt, err := db.PrepareContext(ctx, `UPDATE `+table+` SET name_pinyin = $1, name_initials = $2 WHERE id = $3`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range todo {
			full, initials := searchKeys(r.name, person)
			if _, err := stmt.ExecContext(ctx, full, initials, r.id); err != nil {
				return fmt.Errorf("search keys of %s %d: %w", table, r.id, err)
			}
		}
		return nil
	}
	for len(todo) > 0 {
		n := min(len(todo), 500)
		var values strings.Builder
		args := make([]any, 0, 3*n)
		for j, r := range todo[:n] {
			full, initials := searchKeys(r.name, person)
			if j > 0 {
				values.WriteString(", ")
			}
			fmt.Fprintf(&values, "($%d::bigint, $%d::text, $%d::text)", 3*j+1, 3*j+2, 3*j+3)
			args = append(args, r.id, full, initials)
		}
		if _, err := db.ExecContext(ctx, `UPDATE `+table+` SET name_pinyin = v.column2, name_initials = v.column3
			FROM (VALUES `+values.String()+`) AS v WHERE `+table+`.id = v.column1`, args...); err != nil {
			return fmt.Errorf("search keys of %s: %w", table, err)
		}
		todo = todo[n:]
	}
	return nil
}

// backfillSearchKeys keys the names written before migration 00014, or
// outside the platform (Open calls it).
func (s *Store) backfillSearchKeys(ctx context.Context) error {
	return s.unaudited(ctx, func(tx *dbTx) error { return s.keyNames(ctx, tx) })
}
