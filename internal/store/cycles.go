package store

import (
	"context"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// CurrentCycle returns the cycle campaign data is entered for now.
func (s *Store) CurrentCycle(ctx context.Context) (org.Cycle, error) { return currentCycle(ctx, s.db) }

func currentCycle(ctx context.Context, db querier) (org.Cycle, error) {
	c, err := scanCycle(db.QueryRowContext(ctx, `SELECT `+cycleColumns+` FROM cycles
		WHERE current = TRUE ORDER BY id DESC LIMIT 1`))
	return c, notFound(err, "尚未设置当前换届届次")
}

// Departments lists the vetting departments in their order.
func (s *Store) Departments(ctx context.Context) ([]account.Department, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, code, name FROM departments ORDER BY sort, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.Department
	for rows.Next() {
		var d account.Department
		if err := rows.Scan(&d.ID, &d.Code, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// cycleColumns are the columns of a cycle, as scanCycle reads them.
const cycleColumns = `id, code, name, election_day, party_day, current`

func scanCycle(row interface{ Scan(...any) error }) (org.Cycle, error) {
	var c org.Cycle
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.ElectionDay, &c.PartyDay, &c.Current)
	return c, err
}

// Cycles lists every cycle, the newest first.
func (s *Store) Cycles(ctx context.Context) ([]org.Cycle, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+cycleColumns+` FROM cycles ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Cycle
	for rows.Next() {
		c, err := scanCycle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// errEarlierCycle refuses a write while an earlier cycle is being read.
var errEarlierCycle = errs.New(errs.Conflict, "正在查看往届的数据,往届数据只读;请回到本届后再修改")

// InCycle is q reading the cycle with code instead of the current one:
// every read sees that cycle's data, and every write is refused unless it
// is the current cycle, so an earlier cycle stays as it was.
func (q *Scoped) InCycle(ctx context.Context, code string) (*Scoped, error) {
	c, err := scanCycle(q.s.db.QueryRowContext(ctx, `SELECT `+cycleColumns+` FROM cycles WHERE code = $1`, code))
	if err != nil {
		return nil, notFound(err, "没有找到该届次")
	}
	return &Scoped{s: q.s, user: q.user, actor: q.actor, scope: q.scope, zone: q.zone, dayOnly: q.dayOnly,
		cycle: c, loaded: true, readOnly: !c.Current}, nil
}

// Earlier reports whether q reads an earlier cycle (and may not write).
func (q *Scoped) Earlier() bool { return q.readOnly }

// forgetCycle makes q read its cycle again after a write changed it.
func (q *Scoped) forgetCycle() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.readOnly {
		q.loaded = false
	}
}

// AddCycle opens a new cycle (届次), not yet current. It carries over what
// the office set up in the current cycle: the sitting committees (members),
// the seats, the structure targets and margins, the stage templates, the
// assessment rubric and rules, and the visits' registers (households, party
// members and representatives). The org tree
// belongs to no cycle and carries over by itself. Zone-wide.
func (t *Tx) AddCycle(ctx context.Context, c org.Cycle) (org.Cycle, error) {
	if err := t.needZone(); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	from, err := t.q.Cycle(ctx)
	if err != nil {
		return c, err
	}
	var taken int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM cycles WHERE code = $1 OR name = $2`, c.Code, c.Name).Scan(&taken); err != nil {
		return c, err
	}
	if taken > 0 {
		return c, errs.OnField("code", "届次“"+c.Code+"”或名称“"+c.Name+"”已经存在")
	}
	if err := t.queryRow(ctx, `INSERT INTO cycles (code, name, election_day, party_day, current, created_at)
		VALUES ($1, $2, '', '', FALSE, $3) RETURNING id`, c.Code, c.Name, t.s.clock()).Scan(&c.ID); err != nil {
		return c, err
	}
	c.Current, c.ElectionDay, c.PartyDay = false, "", ""
	for _, copy := range []string{
		`INSERT INTO members (org_id, cycle_id, name, sex, birth_date, committee, post, party_member, education,
			id_number_enc, id_number_index, phone_enc, demo)
			SELECT org_id, $1, name, sex, birth_date, committee, post, party_member, education,
			id_number_enc, id_number_index, phone_enc, demo FROM members WHERE cycle_id = $2 ORDER BY id`,
		`INSERT INTO seats (cycle_id, org_id, committee, full_members, body, chief, deputies, members, set_by, set_at)
			SELECT $1, org_id, committee, full_members, body, chief, deputies, members, set_by, set_at FROM seats WHERE cycle_id = $2`,
		`INSERT INTO targets (cycle_id, name, rule, threshold, hard, sort)
			SELECT $1, name, rule, threshold, hard, sort FROM targets WHERE cycle_id = $2 ORDER BY sort, id`,
		`INSERT INTO margins (cycle_id, party_percent, chief_min, chief_max, member_min, member_max, publish_days, withdraw_days,
			replacement_days, notice_days)
			SELECT $1, party_percent, chief_min, chief_max, member_min, member_max, publish_days, withdraw_days, replacement_days, notice_days
			FROM margins WHERE cycle_id = $2`,
		`INSERT INTO election_settings (cycle_id, settings) SELECT $1, settings FROM election_settings WHERE cycle_id = $2`,
		`INSERT INTO progress_stages (cycle_id, code, election, name, sort, offset_days, depends_on)
			SELECT $1, code, election, name, sort, offset_days, depends_on FROM progress_stages WHERE cycle_id = $2 ORDER BY id`,
		`INSERT INTO assess_indicators (cycle_id, code, dimension, name, kind, max_score, veto, sort)
			SELECT $1, code, dimension, name, kind, max_score, veto, sort FROM assess_indicators WHERE cycle_id = $2 ORDER BY id`,
		`INSERT INTO assess_rules (cycle_id, a_min, b_min, plans_a, plans_b, plans_c)
			SELECT $1, a_min, b_min, plans_a, plans_b, plans_c FROM assess_rules WHERE cycle_id = $2`,
		// The registers of the visits (issue 16): households and people stay
		// where they live; visits belong to their cycle and stay there.
		`INSERT INTO visit_households (cycle_id, org_id, address, head, size, phone_enc, group_name, created_by, created_at)
			SELECT $1, org_id, address, head, size, phone_enc, group_name, created_by, created_at FROM visit_households
			WHERE cycle_id = $2 ORDER BY id`,
		`INSERT INTO visit_people (cycle_id, org_id, kind, name, group_name, phone_enc, created_by, created_at)
			SELECT $1, org_id, kind, name, group_name, phone_enc, created_by, created_at FROM visit_people WHERE cycle_id = $2 ORDER BY id`,
		`INSERT INTO visit_counts (cycle_id, org_id, round, kind, n) SELECT $1, org_id, round, kind, n FROM visit_counts
			WHERE cycle_id = $2 AND round = ''`,
	} {
		if _, err := t.exec(ctx, copy, c.ID, from.ID); err != nil {
			return c, err
		}
	}
	var members int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM members WHERE cycle_id = $1`, c.ID).Scan(&members); err != nil {
		return c, err
	}
	return c, t.Audit(ctx, audit.CycleAdd, On("cycle", c.Code, ""), nil,
		audit.Fields{"code": c.Code, "name": c.Name, "from": from.Code, "members": members})
}

// MakeCurrent makes the cycle with code the one campaign data is entered
// for; the others are kept to be read. Zone-wide.
func (t *Tx) MakeCurrent(ctx context.Context, code string) (org.Cycle, error) {
	if err := t.needZone(); err != nil {
		return org.Cycle{}, err
	}
	c, err := scanCycle(t.queryRow(ctx, `SELECT `+cycleColumns+` FROM cycles WHERE code = $1`, code))
	if err != nil {
		return c, notFoundAs(err, errs.OnField("code", "没有找到届次“"+code+"”"))
	}
	from, err := t.q.Cycle(ctx)
	if err != nil {
		return c, err
	}
	if c.ID == from.ID {
		return c, errs.OnField("code", c.Name+"已经是本届")
	}
	if _, err := t.exec(ctx, `UPDATE cycles SET current = (id = $1)`, c.ID); err != nil {
		return c, err
	}
	c.Current = true
	t.q.forgetCycle()
	return c, t.Audit(ctx, audit.CycleCurrent, On("cycle", c.Code, ""), audit.Fields{"current": from.Code}, audit.Fields{"current": c.Code})
}
