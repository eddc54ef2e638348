package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/visit"
)

// The three rounds of visits (issue 16, points 1–4; migration 00033). The
// rules are visit's; here the registers (households, party members and
// representatives), the rounds' dates and targets, the research
// activities, the visits and coverage are read and written in the cycle,
// within scope, and audited. Phone numbers are sealed under the data key
// and shown masked.

// HouseholdPage is a page of a community's households.
type HouseholdPage struct {
	Households []visit.Household `json:"households"`
	Total      int               `json:"total"`
}

func pageClause(limit, offset int) string {
	if limit <= 0 {
		return ``
	}
	return ` LIMIT ` + strconv.Itoa(limit) + ` OFFSET ` + strconv.Itoa(max(offset, 0))
}

// Households returns the households of the community with code in scope,
// by group and address, limit from offset (all with limit 0), phones
// masked, and how many there are.
func (q *Scoped) Households(ctx context.Context, code string, limit, offset int) (HouseholdPage, error) {
	out := HouseholdPage{Households: []visit.Household{}}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM visit_households WHERE cycle_id = $1 AND org_id = $2`,
		cycleID, orgID).Scan(&out.Total); err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT id, address, head, size, phone_enc, group_name FROM visit_households
		WHERE cycle_id = $1 AND org_id = $2 ORDER BY group_name, address, id`+pageClause(limit, offset), func(r *sql.Rows) error {
		h := visit.Household{Community: code}
		var phone string
		if err := r.Scan(&h.ID, &h.Address, &h.Head, &h.Size, &phone, &h.Group); err != nil {
			return err
		}
		var err error
		h.Phone, err = q.s.openMasked(phone, vetting.MaskPhone)
		out.Households = append(out.Households, h)
		return err
	}, cycleID, orgID)
	return out, err
}

// HouseholdAddresses are the addresses on the community's register, for an
// import's check.
func (q *Scoped) HouseholdAddresses(ctx context.Context, code string) (map[string]bool, error) {
	out := map[string]bool{}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT address FROM visit_households WHERE cycle_id = $1 AND org_id = $2`, func(r *sql.Rows) error {
		var a string
		err := r.Scan(&a)
		out[a] = true
		return err
	}, cycleID, orgID)
	return out, err
}

// HouseholdAt is the id of the household at address in the community with
// code in scope: what the visit form's typed address names.
func (q *Scoped) HouseholdAt(ctx context.Context, code, address string) (int64, error) {
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return 0, err
	}
	var id int64
	err = q.s.db.QueryRowContext(ctx, `SELECT id FROM visit_households WHERE cycle_id = $1 AND org_id = $2 AND address = $3`,
		cycleID, orgID, strings.TrimSpace(address)).Scan(&id)
	return id, notFoundAs(err, errs.OnField("address", "本社区名单上没有住址“"+strings.TrimSpace(address)+"”"))
}

// PersonPage is a page of a community's party members and representatives.
type PersonPage struct {
	People []visit.Person `json:"people"`
	Total  int            `json:"total"`
}

// VisitPeople returns the party members and residents' representatives of
// the community with code in scope, by group, kind and name, limit from
// offset (all with limit 0), phones masked.
func (q *Scoped) VisitPeople(ctx context.Context, code string, limit, offset int) (PersonPage, error) {
	out := PersonPage{People: []visit.Person{}}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	if err := q.s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM visit_people WHERE cycle_id = $1 AND org_id = $2`,
		cycleID, orgID).Scan(&out.Total); err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT id, kind, name, group_name, phone_enc FROM visit_people
		WHERE cycle_id = $1 AND org_id = $2 ORDER BY kind, group_name, name, id`+pageClause(limit, offset), func(r *sql.Rows) error {
		p := visit.Person{Community: code}
		var phone string
		if err := r.Scan(&p.ID, &p.Kind, &p.Name, &p.Group, &phone); err != nil {
			return err
		}
		var err error
		p.Phone, err = q.s.openMasked(phone, vetting.MaskPhone)
		out.People = append(out.People, p)
		return err
	}, cycleID, orgID)
	return out, err
}

// PersonKeys are the keys (visit.Person.Key) of the community's people
// register, for an import's check.
func (q *Scoped) PersonKeys(ctx context.Context, code string) (map[string]bool, error) {
	all, err := q.VisitPeople(ctx, code, 0, 0)
	out := map[string]bool{}
	for _, p := range all.People {
		out[p.Key()] = true
	}
	return out, err
}

func (t *Tx) sealPhone(phone string) (string, error) {
	if phone == "" {
		return "", nil
	}
	if t.s.box == nil {
		return "", errors.New("store opened without a data key cannot hold personal data")
	}
	return t.s.box.Seal(phone), nil
}

// householdCols are the columns a household is written with, and
// householdValues its values in them, the phone sealed.
var householdCols = []string{"cycle_id", "org_id", "address", "head", "size", "phone_enc", "group_name", "created_by", "created_at"}

func (t *Tx) householdValues(cycleID, orgID int64, h visit.Household) ([]any, error) {
	phone, err := t.sealPhone(h.Phone)
	return []any{cycleID, orgID, h.Address, h.Head, h.Size, phone, h.Group, t.q.actor.Name, t.s.clock()}, err
}

func (t *Tx) insertHousehold(ctx context.Context, cycleID, orgID int64, h *visit.Household) error {
	values, err := t.householdValues(cycleID, orgID, *h)
	if err != nil {
		return err
	}
	if err := t.queryRow(ctx, `INSERT INTO visit_households (`+strings.Join(householdCols, ", ")+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, values...).Scan(&h.ID); err != nil {
		return err
	}
	return t.countVisits(ctx, cycleID, orgID, "", reachedHousehold, 1)
}

func householdTwice(h visit.Household) error {
	return errs.OnField("address", "住址“"+h.Address+"”已登记")
}

func (t *Tx) householdAddresses(ctx context.Context, cycleID, orgID int64) (map[string]bool, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT address FROM visit_households WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out[a] = true
	}
	return out, rows.Err()
}

// householdIDs gives each household of list written in the community's
// register its id, found by its address (one address once).
func (t *Tx) householdIDs(ctx context.Context, cycleID, orgID int64, list []visit.Household) error {
	at := make(map[string]int, len(list))
	for i, h := range list {
		at[h.Key()] = i
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT id, address FROM visit_households WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var address string
		if err := rows.Scan(&id, &address); err != nil {
			return err
		}
		if i, ok := at[address]; ok {
			list[i].ID = id
		}
	}
	return rows.Err()
}

// AddHousehold puts h on the register of the community with code in scope:
// one address once.
func (t *Tx) AddHousehold(ctx context.Context, code string, h visit.Household) (visit.Household, error) {
	cycleID, orgID, err := t.q.inCommunity(ctx, code)
	if err != nil {
		return h, err
	}
	if err := h.Validate(); err != nil {
		return h, err
	}
	on, err := t.householdAddresses(ctx, cycleID, orgID)
	if err != nil {
		return h, err
	}
	if on[h.Key()] {
		return h, householdTwice(h)
	}
	h.Community = code
	if err := t.insertHousehold(ctx, cycleID, orgID, &h); err != nil {
		return h, err
	}
	if err := t.Audit(ctx, audit.HouseholdAdd, On("household", h.ID, code), nil, householdFields(h)); err != nil {
		return h, err
	}
	if h.Phone != "" {
		h.Phone = vetting.MaskPhone(h.Phone)
	}
	return h, nil
}

// ImportHouseholds puts every household of list on the register of the
// community with code, all or none: the first refused (as AddHousehold
// refuses, or twice in the list) refuses the whole list, its row named
// "households[N]". Audited once with the count.
func (t *Tx) ImportHouseholds(ctx context.Context, code string, list []visit.Household) (int, error) {
	cycleID, orgID, err := t.q.inCommunity(ctx, code)
	if err != nil {
		return 0, err
	}
	if len(list) > visit.MaxImportRows {
		return 0, errs.OnField("file", "一次最多导入20000户")
	}
	on, err := t.householdAddresses(ctx, cycleID, orgID)
	if err != nil {
		return 0, err
	}
	for i := range list {
		h := &list[i]
		if err := h.Validate(); err != nil {
			return 0, rowError(err, "households", i)
		}
		if on[h.Key()] {
			return 0, rowError(householdTwice(*h), "households", i)
		}
		on[h.Key()] = true
		h.Community = code
	}
	if err := t.insertRows(ctx, "visit_households", householdCols, len(list), func(i int) ([]any, error) {
		return t.householdValues(cycleID, orgID, list[i])
	}); err != nil {
		return 0, err
	}
	if err := t.countVisits(ctx, cycleID, orgID, "", reachedHousehold, len(list)); err != nil {
		return 0, err
	}
	if err := t.householdIDs(ctx, cycleID, orgID, list); err != nil {
		return 0, err
	}
	return len(list), t.Audit(ctx, audit.HouseholdImport, On("community", code, code), nil, audit.Fields{"rows": len(list)})
}

// Household returns household id of the community with code in scope, in
// the cycle, phone masked: the one a correction's form is filled from.
func (q *Scoped) Household(ctx context.Context, code string, id int64) (visit.Household, error) {
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return visit.Household{}, err
	}
	h, sealed, err := householdOf(ctx, q.s.db, cycleID, orgID, id)
	if err != nil {
		return h, err
	}
	h.Community = code
	h.Phone, err = q.s.openMasked(sealed, vetting.MaskPhone)
	return h, err
}

// householdOf reads household id of community orgID in the cycle through
// db, its phone as sealed; NotFound when the community has no such one.
func householdOf(ctx context.Context, db querier, cycleID, orgID, id int64) (visit.Household, string, error) {
	h := visit.Household{ID: id}
	var sealed string
	err := db.QueryRowContext(ctx, `SELECT address, head, size, phone_enc, group_name FROM visit_households
		WHERE id = $1 AND cycle_id = $2 AND org_id = $3`, id, cycleID, orgID).Scan(&h.Address, &h.Head, &h.Size, &sealed, &h.Group)
	return h, sealed, notFound(err, "本社区名单上没有这一户")
}

func householdFields(h visit.Household) audit.Fields {
	return audit.Fields{"address": h.Address, "head": h.Head, "household_size": h.Size, "phone": h.Phone, "group": h.Group}
}

// EditHousehold corrects household id of the community with code in
// scope: its address (one address once: not another household's), head,
// size, group and phone (visit.Household.ValidateCorrection: a number
// typed replaces it, none keeps it, clearPhone removes it). Its visits
// stay with it. Audited with the household before and after, phones
// masked.
func (t *Tx) EditHousehold(ctx context.Context, code string, id int64, h visit.Household, clearPhone bool) (visit.Household, error) {
	cycleID, orgID, err := t.community(ctx, code)
	if err != nil {
		return h, err
	}
	old, sealed, err := householdOf(ctx, t.tx, cycleID, orgID, id)
	if err != nil {
		return h, err
	}
	if err := h.ValidateCorrection(clearPhone); err != nil {
		return h, err
	}
	var other int64
	switch err := t.queryRow(ctx, `SELECT id FROM visit_households WHERE cycle_id = $1 AND org_id = $2 AND address = $3 AND id <> $4`,
		cycleID, orgID, h.Address, id).Scan(&other); {
	case err == nil:
		return h, householdTwice(h)
	case !errors.Is(err, sql.ErrNoRows):
		return h, err
	}
	if old.Phone, err = t.s.openMasked(sealed, func(p string) string { return p }); err != nil {
		return h, err
	}
	switch {
	case clearPhone:
		sealed = ""
	case h.Phone != "":
		if sealed, err = t.sealPhone(h.Phone); err != nil {
			return h, err
		}
	default:
		h.Phone = old.Phone
	}
	if _, err := t.exec(ctx, `UPDATE visit_households SET address = $1, head = $2, size = $3, phone_enc = $4, group_name = $5
		WHERE id = $6`, h.Address, h.Head, h.Size, sealed, h.Group, id); err != nil {
		if isUnique(err) {
			return h, householdTwice(h)
		}
		return h, err
	}
	h.ID, h.Community = id, code
	if err := t.Audit(ctx, audit.HouseholdEdit, On("household", id, code), householdFields(old), householdFields(h)); err != nil {
		return h, err
	}
	if h.Phone != "" {
		h.Phone = vetting.MaskPhone(h.Phone)
	}
	return h, nil
}

// RemoveHousehold takes household id, entered by mistake, off the register
// of the community with code in scope; refused (Conflict) once a visit was
// recorded to it (visit.Household.Removable). Audited with the household
// removed, phone masked.
func (t *Tx) RemoveHousehold(ctx context.Context, code string, id int64) error {
	cycleID, orgID, err := t.community(ctx, code)
	if err != nil {
		return err
	}
	old, sealed, err := householdOf(ctx, t.tx, cycleID, orgID, id)
	if err != nil {
		return err
	}
	var visits int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM visits WHERE household_id = $1`, id).Scan(&visits); err != nil {
		return err
	}
	if err := old.Removable(visits); err != nil {
		return err
	}
	if old.Phone, err = t.s.openMasked(sealed, func(p string) string { return p }); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM visit_households WHERE id = $1`, id); err != nil {
		return err
	}
	if err := t.countVisits(ctx, cycleID, orgID, "", reachedHousehold, -1); err != nil {
		return err
	}
	return t.Audit(ctx, audit.HouseholdRemove, On("household", id, code), householdFields(old), nil)
}

func (t *Tx) personKeys(ctx context.Context, cycleID, orgID int64) (map[string]bool, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT kind, name, group_name FROM visit_people WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var p visit.Person
		if err := rows.Scan(&p.Kind, &p.Name, &p.Group); err != nil {
			return nil, err
		}
		out[p.Key()] = true
	}
	return out, rows.Err()
}

func personTwice(p visit.Person) error {
	return errs.OnField("name", p.Kind.Label()+"“"+p.Name+"”已登记")
}

// insertPeople writes people, checked, to the register of community orgID
// a hundred to a statement, and gives each its id.
func (t *Tx) insertPeople(ctx context.Context, cycleID, orgID int64, people []visit.Person) error {
	by, now := t.q.actor.Name, t.s.clock()
	err := t.insertMany(ctx, manyRows{table: "visit_people",
		cols: []string{"cycle_id", "org_id", "kind", "name", "group_name", "phone_enc", "created_by", "created_at"}, n: len(people),
		row: func(i int) ([]any, error) {
			p := people[i]
			phone, err := t.sealPhone(p.Phone)
			return []any{cycleID, orgID, string(p.Kind), p.Name, p.Group, phone, by, now}, err
		},
		suffix: "RETURNING id, kind, name, group_name", all: true,
		scan: func(i int, r *sql.Rows) error {
			var x visit.Person
			if err := r.Scan(&people[i].ID, &x.Kind, &x.Name, &x.Group); err != nil {
				return err
			}
			if x.Key() != people[i].Key() { // rows answered in another order than sent: nothing is kept
				return fmt.Errorf("person %d of the register answered as %s", i, x.Name)
			}
			return nil
		}})
	if err != nil {
		return err
	}
	return t.countVisits(ctx, cycleID, orgID, "", reachedPerson, len(people))
}

// AddVisitPerson puts a party member or residents' representative on the
// register of the community with code in scope: one name once per kind and
// group.
func (t *Tx) AddVisitPerson(ctx context.Context, code string, p visit.Person) (visit.Person, error) {
	cycleID, orgID, err := t.q.inCommunity(ctx, code)
	if err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	on, err := t.personKeys(ctx, cycleID, orgID)
	if err != nil {
		return p, err
	}
	if on[p.Key()] {
		return p, personTwice(p)
	}
	p.Community = code
	one := []visit.Person{p}
	if err := t.insertPeople(ctx, cycleID, orgID, one); err != nil {
		return p, err
	}
	p.ID = one[0].ID
	if err := t.Audit(ctx, audit.VisitPersonAdd, On("visit_person", p.ID, code), nil, audit.Fields{"kind": string(p.Kind),
		"name": p.Name, "group": p.Group, "phone": p.Phone}); err != nil {
		return p, err
	}
	if p.Phone != "" {
		p.Phone = vetting.MaskPhone(p.Phone)
	}
	return p, nil
}

// ImportVisitPeople puts every person of list on the register of the
// community with code, all or none, as ImportHouseholds; rows are named
// "people[N]".
func (t *Tx) ImportVisitPeople(ctx context.Context, code string, list []visit.Person) (int, error) {
	cycleID, orgID, err := t.q.inCommunity(ctx, code)
	if err != nil {
		return 0, err
	}
	if len(list) > visit.MaxImportRows {
		return 0, errs.OnField("file", "一次最多导入20000人")
	}
	on, err := t.personKeys(ctx, cycleID, orgID)
	if err != nil {
		return 0, err
	}
	for i := range list {
		p := &list[i]
		if err := p.Validate(); err != nil {
			return 0, rowError(err, "people", i)
		}
		if on[p.Key()] {
			return 0, rowError(personTwice(*p), "people", i)
		}
		on[p.Key()] = true
		p.Community = code
	}
	if err := t.insertPeople(ctx, cycleID, orgID, list); err != nil {
		return 0, err
	}
	return len(list), t.Audit(ctx, audit.VisitPersonImport, On("community", code, code), nil, audit.Fields{"rows": len(list)})
}

// Campaigns returns the three rounds of the cycle as the office set them,
// the defaults for a round not set.
func (q *Scoped) Campaigns(ctx context.Context) ([]visit.Campaign, error) {
	return q.campaigns(ctx, q.s.db)
}

func (q *Scoped) campaigns(ctx context.Context, db querier) ([]visit.Campaign, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	set := map[visit.Round]visit.Campaign{}
	rows, err := db.QueryContext(ctx, `SELECT round, starts_on, ends_on, household_percent, talk_all FROM visit_campaigns WHERE cycle_id = $1`, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c visit.Campaign
		if err := rows.Scan(&c.Round, &c.StartsOn, &c.EndsOn, &c.HouseholdPercent, &c.TalkAll); err != nil {
			return nil, err
		}
		set[c.Round] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]visit.Campaign, len(visit.Rounds))
	for i, r := range visit.Rounds {
		c, ok := set[r]
		if !ok {
			c = visit.DefaultCampaign(r)
		}
		out[i] = c
	}
	return out, nil
}

// Campaign returns round r of the cycle.
func (q *Scoped) Campaign(ctx context.Context, r visit.Round) (visit.Campaign, error) {
	return q.campaignOf(ctx, q.s.db, r)
}

func (q *Scoped) campaignOf(ctx context.Context, db querier, r visit.Round) (visit.Campaign, error) {
	all, err := q.campaigns(ctx, db)
	if err != nil {
		return visit.Campaign{}, err
	}
	return campaignIn(all, r)
}

// campaignIn is round r's campaign among all, the defaults when none is set.
func campaignIn(all []visit.Campaign, r visit.Round) (visit.Campaign, error) {
	if !r.Valid() {
		return visit.Campaign{}, errs.OnField("round", "请选择走访轮次")
	}
	for _, c := range all {
		if c.Round == r {
			return c, nil
		}
	}
	return visit.DefaultCampaign(r), nil
}

// SetCampaign sets the dates and targets of a round of the cycle.
// Zone-wide: targets are the same for every community.
func (t *Tx) SetCampaign(ctx context.Context, c visit.Campaign) (visit.Campaign, error) {
	if err := t.needZone(); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return c, err
	}
	before, err := t.campaignOf(ctx, c.Round)
	if err != nil {
		return c, err
	}
	if _, err := t.exec(ctx, `INSERT INTO visit_campaigns (cycle_id, round, starts_on, ends_on, household_percent, talk_all, set_by, set_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (cycle_id, round) DO UPDATE SET starts_on = excluded.starts_on,
		ends_on = excluded.ends_on, household_percent = excluded.household_percent, talk_all = excluded.talk_all,
		set_by = excluded.set_by, set_at = excluded.set_at`, cycleID, string(c.Round), string(c.StartsOn), string(c.EndsOn),
		c.HouseholdPercent, c.TalkAll, t.q.actor.Name, t.s.clock()); err != nil {
		return c, err
	}
	t.memo.campaigns = nil
	fields := func(c visit.Campaign) audit.Fields {
		return audit.Fields{"visit_round": string(c.Round), "starts_on": string(c.StartsOn), "ends_on": string(c.EndsOn),
			"household_percent": c.HouseholdPercent, "talk_all": c.TalkAll}
	}
	return c, t.Audit(ctx, audit.VisitCampaign, On("visit_round", string(c.Round), ""), fields(before), fields(c))
}

// ResearchActivities returns the research activities of the cycle that concern a
// community in scope, newest first, each with only its communities and
// findings in scope.
func (q *Scoped) ResearchActivities(ctx context.Context) ([]visit.Activity, error) {
	out := []visit.Activity{}
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return out, err
	}
	lo, hi := q.scope.Bounds()
	byID := map[int64]int{}
	err = q.s.each(ctx, `SELECT a.id, a.name, a.starts_on, a.ends_on, a.team, o.code FROM visit_activities a
		JOIN visit_activity_communities c ON c.activity_id = a.id JOIN orgs o ON o.id = c.org_id
		WHERE a.cycle_id = $1 AND o.path >= $2 AND o.path < $3 ORDER BY a.starts_on DESC, a.id DESC, o.path`, func(r *sql.Rows) error {
		var a visit.Activity
		var team, code string
		if err := r.Scan(&a.ID, &a.Name, &a.StartsOn, &a.EndsOn, &team, &code); err != nil {
			return err
		}
		i, ok := byID[a.ID]
		if !ok {
			if err := json.Unmarshal([]byte(team), &a.Team); err != nil {
				return err
			}
			a.Communities, a.Findings = []string{}, []visit.Finding{}
			i = len(out)
			byID[a.ID] = i
			out = append(out, a)
		}
		out[i].Communities = append(out[i].Communities, code)
		return nil
	}, cycleID, lo, hi)
	if err != nil || len(out) == 0 {
		return out, err
	}
	err = q.s.each(ctx, `SELECT f.id, f.activity_id, o.code, f.text, f.assessment_id, f.plan_id, f.day, f.by_name, `+byDisplayName("f.by_name")+`
		FROM visit_findings f JOIN visit_activities a ON a.id = f.activity_id JOIN orgs o ON o.id = f.org_id
		WHERE a.cycle_id = $1 AND o.path >= $2 AND o.path < $3 ORDER BY f.day, f.id`, func(r *sql.Rows) error {
		var f visit.Finding
		var act int64
		if err := r.Scan(&f.ID, &act, &f.Community, &f.Text, &f.AssessmentID, &f.PlanID, &f.Day, &f.By, &f.ByName); err != nil {
			return err
		}
		if i, ok := byID[act]; ok {
			out[i].Findings = append(out[i].Findings, f)
		}
		return nil
	}, cycleID, lo, hi)
	return out, err
}

// AddResearchActivity defines a research activity of the round before the
// election over communities in scope (every one must be).
func (t *Tx) AddResearchActivity(ctx context.Context, a visit.Activity) (visit.Activity, error) {
	if err := a.Validate(); err != nil {
		return a, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return a, err
	}
	ids := make([]int64, 0, len(a.Communities))
	seen := map[string]bool{}
	codes := a.Communities[:0]
	for _, code := range a.Communities {
		code = strings.TrimSpace(code)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		id, err := t.communityID(ctx, code)
		if err != nil {
			return a, errs.OnField("communities", "没有找到社区“"+code+"”")
		}
		ids = append(ids, id)
		codes = append(codes, code)
	}
	a.Communities = codes
	team, _ := json.Marshal(a.Team)
	if err := t.queryRow(ctx, `INSERT INTO visit_activities (cycle_id, name, starts_on, ends_on, team, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, cycleID, a.Name, string(a.StartsOn), string(a.EndsOn), string(team),
		t.q.actor.Name, t.s.clock()).Scan(&a.ID); err != nil {
		return a, err
	}
	for _, id := range ids {
		if _, err := t.exec(ctx, `INSERT INTO visit_activity_communities (activity_id, org_id) VALUES ($1, $2)`, a.ID, id); err != nil {
			return a, err
		}
	}
	a.Findings = []visit.Finding{}
	return a, t.Audit(ctx, audit.VisitActivityAdd, On("visit_activity", a.ID, ""), nil, audit.Fields{"name": a.Name,
		"starts_on": string(a.StartsOn), "ends_on": string(a.EndsOn), "team": a.Team, "communities": a.Communities})
}

// AddFinding records what research activity id found in one of its
// communities (in scope), attached to the community's assessment or plan
// when f names one of them.
func (t *Tx) AddFinding(ctx context.Context, activityID int64, f visit.Finding) (visit.Finding, error) {
	if strings.TrimSpace(f.Community) == "" {
		return f, errs.OnField("community", "请选择社区")
	}
	cycleID, orgID, err := t.q.inCommunity(ctx, f.Community)
	if err != nil {
		return f, err
	}
	var a visit.Activity
	if err := t.queryRow(ctx, `SELECT a.starts_on, a.ends_on FROM visit_activities a JOIN visit_activity_communities c ON c.activity_id = a.id
		WHERE a.id = $1 AND a.cycle_id = $2 AND c.org_id = $3`, activityID, cycleID, orgID).Scan(&a.StartsOn, &a.EndsOn); err != nil {
		return f, notFound(err, "没有找到该调研活动,或该社区不在此次调研范围内")
	}
	if err := f.Validate(a, civil.Of(t.s.clock())); err != nil {
		return f, err
	}
	var one int
	if f.AssessmentID > 0 {
		if err := t.queryRow(ctx, `SELECT 1 FROM assessments WHERE id = $1 AND org_id = $2 AND cycle_id = $3`,
			f.AssessmentID, orgID, cycleID).Scan(&one); err != nil {
			return f, notFoundAs(err, errs.OnField("assessment_id", "该社区没有这次研判"))
		}
	}
	if f.PlanID > 0 {
		if err := t.queryRow(ctx, `SELECT 1 FROM plans WHERE id = $1 AND org_id = $2 AND cycle_id = $3`,
			f.PlanID, orgID, cycleID).Scan(&one); err != nil {
			return f, notFoundAs(err, errs.OnField("plan_id", "该社区没有这个方案"))
		}
	}
	f.By = t.q.actor.Name
	if err := t.queryRow(ctx, `INSERT INTO visit_findings (activity_id, org_id, text, assessment_id, plan_id, day, by_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, activityID, orgID, f.Text, f.AssessmentID, f.PlanID, string(f.Day),
		f.By, t.s.clock()).Scan(&f.ID); err != nil {
		return f, err
	}
	if f.ByName, err = t.displayName(ctx, f.By); err != nil {
		return f, err
	}
	return f, t.Audit(ctx, audit.VisitFinding, On("visit_finding", f.ID, f.Community), nil, audit.Fields{"visit_activity": activityID,
		"text": f.Text, "day": string(f.Day), "assessment": f.AssessmentID, "plan": f.PlanID})
}

// FindingsOf returns the research findings about the community with code
// (in scope) in the cycle, oldest first: the assessment and plan pages
// show them beside what they are attached to.
func (q *Scoped) FindingsOf(ctx context.Context, code string) ([]visit.Finding, error) {
	out := []visit.Finding{}
	cycleID, orgID, err := q.inCommunity(ctx, code)
	if err != nil {
		return out, err
	}
	err = q.s.each(ctx, `SELECT f.id, f.text, f.assessment_id, f.plan_id, f.day, f.by_name, `+byDisplayName("f.by_name")+` FROM visit_findings f
		JOIN visit_activities a ON a.id = f.activity_id WHERE f.org_id = $1 AND a.cycle_id = $2 ORDER BY f.day, f.id`, func(r *sql.Rows) error {
		f := visit.Finding{Community: code}
		err := r.Scan(&f.ID, &f.Text, &f.AssessmentID, &f.PlanID, &f.Day, &f.By, &f.ByName)
		out = append(out, f)
		return err
	}, orgID, cycleID)
	return out, err
}
