package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// WorkTeam is a district's work team (片区工作专班) with its members, the
// district's communities counted and the cadres assigned in the district.
// A district without a team has ID 0.
type WorkTeam struct {
	ID                         int64
	DistrictCode, DistrictName string
	Name, Leader, Note         string
	Communities                int
	Members                    []TeamMember
	Cadres                     []TeamCadre
}

// TeamMember is an account on a team with its duty in the team.
type TeamMember struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Duty        string `json:"duty"`
}

// TeamCadre is a person assigned (包保) to the district or one of its
// communities.
type TeamCadre struct {
	OrgCode, OrgName string
	Duty             org.Duty
	Name, Unit       string
}

// WorkTeamFilter selects the districts of WorkTeams: one district (its
// code), or a page of all of them.
type WorkTeamFilter struct {
	District string
	Page
}

// WorkTeams lists the units in scope that have communities as children (the
// districts) that f selects, in tree order, each with its team of the cycle
// if it has one, and how many there are: the members and cadres are read
// for the page's districts only.
func (q *Scoped) WorkTeams(ctx context.Context, f WorkTeamFilter) ([]WorkTeam, int, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, 0, err
	}
	s := q.s
	lo, hi := q.scope.Bounds()
	from := ` FROM orgs o LEFT JOIN work_teams t ON t.org_id = o.id AND t.cycle_id = $1
		WHERE o.kind <> 'community' AND o.path >= $2 AND o.path < $3
		AND EXISTS (SELECT 1 FROM orgs c WHERE c.parent_id = o.id AND c.kind = 'community')`
	args := []any{cycleID, lo, hi}
	if f.District != "" {
		from, args = from+` AND o.code = $4`, append(args, f.District)
	}
	var out []WorkTeam
	byOrg := map[int64]int{}
	byTeam := map[int64]int{}
	var ids []string // the page's districts, for the members and cadres
	total, err := s.paged(ctx, `o.id, o.code, o.name, o.tree_communities, COALESCE(t.id, 0), COALESCE(t.name, ''),
		COALESCE(t.leader, ''), COALESCE(t.note, '')`, from, `o.path`, f.Page, func(rows *sql.Rows) error {
		var t WorkTeam
		var orgID int64
		if err := rows.Scan(&orgID, &t.DistrictCode, &t.DistrictName, &t.Communities, &t.ID, &t.Name, &t.Leader, &t.Note); err != nil {
			return err
		}
		byOrg[orgID] = len(out)
		if t.ID != 0 {
			byTeam[t.ID] = len(out)
		}
		ids = append(ids, strconv.FormatInt(orgID, 10))
		out = append(out, t)
		return nil
	}, args...)
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	// The ids are the store's own integers, written into the statements.
	in := strings.Join(ids, ", ")
	members, err := s.db.QueryContext(ctx, `SELECT m.team_id, u.username, u.display_name, m.duty FROM work_team_members m
		JOIN work_teams t ON t.id = m.team_id JOIN users u ON u.id = m.user_id
		WHERE t.cycle_id = $1 AND t.org_id IN (`+in+`) ORDER BY m.team_id, u.username`, cycleID)
	if err != nil {
		return nil, 0, err
	}
	for members.Next() {
		var id int64
		var m TeamMember
		if err := members.Scan(&id, &m.Username, &m.DisplayName, &m.Duty); err != nil {
			members.Close()
			return nil, 0, err
		}
		if i, ok := byTeam[id]; ok {
			out[i].Members = append(out[i].Members, m)
		}
	}
	members.Close()
	if err := members.Err(); err != nil {
		return nil, 0, err
	}
	// The cadres on each district and on its communities (one level down).
	cadres, err := s.db.QueryContext(ctx, `SELECT CASE WHEN o.kind = 'community' THEN o.parent_id ELSE o.id END, o.code, o.name,
		a.duty, a.name, a.unit FROM orgs o CROSS JOIN assignments a
		WHERE a.org_id = o.id AND a.cycle_id = $1 AND (o.id IN (`+in+`) OR o.parent_id IN (`+in+`)) ORDER BY o.path, a.duty, a.id`, cycleID)
	if err != nil {
		return nil, 0, err
	}
	defer cadres.Close()
	for cadres.Next() {
		var id int64
		var c TeamCadre
		if err := cadres.Scan(&id, &c.OrgCode, &c.OrgName, &c.Duty, &c.Name, &c.Unit); err != nil {
			return nil, 0, err
		}
		if i, ok := byOrg[id]; ok {
			out[i].Cadres = append(out[i].Cadres, c)
		}
	}
	return out, total, cadres.Err()
}

// WorkTeamInput is what the office enters for a district's team.
type WorkTeamInput struct {
	District string       `json:"district"`
	Name     string       `json:"name"`
	Leader   string       `json:"leader"`
	Note     string       `json:"note"`
	Members  []TeamMember `json:"members"` // by username, with duty
}

// SaveWorkTeam creates or replaces the team of a district in scope for the
// cycle (one per district), its members replaced by in.Members, each an
// account within the transaction's scope.
func (t *Tx) SaveWorkTeam(ctx context.Context, in WorkTeamInput) (int64, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return 0, err
	}
	in.Name, in.Leader, in.Note = strings.TrimSpace(in.Name), strings.TrimSpace(in.Leader), strings.TrimSpace(in.Note)
	if in.Name == "" || len([]rune(in.Name)) > 60 {
		return 0, errs.OnField("name", "请填写专班名称(不超过60字)")
	}
	if len([]rune(in.Leader)) > 60 {
		return 0, errs.OnField("leader", "专班负责人不超过60字")
	}
	if len([]rune(in.Note)) > 1000 {
		return 0, errs.OnField("note", "备注不超过1000字")
	}
	if len(in.Members) > 100 {
		return 0, errs.OnField("members", "专班成员不超过100人")
	}
	lo, hi := t.q.scope.Bounds()
	var orgID int64
	err = t.queryRow(ctx, `SELECT o.id FROM orgs o WHERE o.code = $1 AND o.kind <> 'community' AND o.path >= $2 AND o.path < $3
		AND EXISTS (SELECT 1 FROM orgs c WHERE c.parent_id = o.id AND c.kind = 'community')`, in.District, lo, hi).Scan(&orgID)
	if err != nil {
		return 0, notFoundField(err, "district", "没有找到该片区(须为直接管辖社区的单位)")
	}
	userIDs := make([]int64, len(in.Members))
	seen := map[string]bool{}
	for i, m := range in.Members {
		if seen[m.Username] {
			return 0, errs.OnField("members", "成员“"+m.Username+"”重复")
		}
		seen[m.Username] = true
		if len([]rune(m.Duty)) > 60 {
			return 0, errs.OnField("members", "成员分工不超过60字")
		}
		if userIDs[i], _, err = t.userInScope(ctx, m.Username, "members"); err != nil {
			return 0, err
		}
	}
	var id int64
	var before audit.Fields
	var prevName, prevLeader string
	err = t.queryRow(ctx, `SELECT id, name, leader FROM work_teams WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID).
		Scan(&id, &prevName, &prevLeader)
	switch {
	case err == nil:
		before = audit.Fields{"name": prevName, "leader": prevLeader}
		if _, err := t.exec(ctx, `UPDATE work_teams SET name = $1, leader = $2, note = $3 WHERE id = $4`,
			in.Name, in.Leader, in.Note, id); err != nil {
			return 0, err
		}
		if _, err := t.exec(ctx, `DELETE FROM work_team_members WHERE team_id = $1`, id); err != nil {
			return 0, err
		}
	case errors.Is(err, sql.ErrNoRows):
		err = t.queryRow(ctx, `INSERT INTO work_teams (cycle_id, org_id, name, leader, note, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, cycleID, orgID, in.Name, in.Leader, in.Note, t.s.clock()).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("add work team: %w", err)
		}
	default:
		return 0, err
	}
	names := make([]string, len(in.Members))
	for i, m := range in.Members {
		if _, err := t.exec(ctx, `INSERT INTO work_team_members (team_id, user_id, duty) VALUES ($1, $2, $3)`,
			id, userIDs[i], strings.TrimSpace(m.Duty)); err != nil {
			return 0, fmt.Errorf("add team member: %w", err)
		}
		names[i] = m.Username
	}
	return id, t.Audit(ctx, audit.TeamSave, On("district", in.District, in.District), before,
		audit.Fields{"name": in.Name, "leader": in.Leader, "members": strings.Join(names, ",")})
}

func notFoundField(err error, field, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.OnField(field, message)
	}
	return err
}
