package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/visit"
)

// txMemo is what a write transaction has read and reads again (and the
// targets' version it moved, moved once), kept for
// the transaction's life only (a rollback takes it with it): a batch of
// visits, a community's in one transaction, read the community, its path,
// the recorder's name and the round's dates once, not once a visit, which
// on PostgreSQL is a round trip each (issue 17). Nothing kept here is
// changed by the platform's writes except the rounds' dates, which
// SetCampaign forgets, the communities' own election days, which
// SetElectionDays forgets, the margins and election rules, which
// SaveMargins and SaveElectionSettings forget, and the stage templates,
// which SaveProgressStages forgets.
type txMemo struct {
	communities map[string]int64            // community ids in the transaction's scope, by code
	paths       map[int64]string            // unit paths by id
	names       map[string]string           // display names of accounts that exist, by username
	campaigns   []visit.Campaign            // the cycle's rounds; nil until read
	days        map[[2]int64]progress.Days  // communities' own election days, by cycle and community id (daysOf)
	margins     map[int64]slate.Margins     // the cycle's margins, by cycle (Tx.margins)
	settings    map[int64]election.Settings // the cycle's election rules, by cycle (Tx.electionSettings)
	stages      map[int64][]progress.Stage  // the cycle's stage templates, by cycle (Tx.stages)
	bumped      map[int64]bool              // the cycles whose targets' version the transaction moved (bumpTargets)
}

// kept is m's value for k, read with read and kept in m the first time;
// what read fails on is not kept.
func kept[K comparable, V any](m *map[K]V, k K, read func() (V, error)) (V, error) {
	if v, ok := (*m)[k]; ok {
		return v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
	return v, nil
}

// communityID is the id of the community with code in the transaction's
// scope (communityInScope); NotFound outside it.
func (t *Tx) communityID(ctx context.Context, code string) (int64, error) {
	return kept(&t.memo.communities, code, func() (int64, error) { return communityInScope(ctx, t.tx, t.q.scope, code) })
}

// pathOfID is the path of the unit with id.
func (t *Tx) pathOfID(ctx context.Context, id int64) (string, error) {
	return kept(&t.memo.paths, id, func() (p string, err error) {
		err = t.queryRow(ctx, `SELECT path FROM orgs WHERE id = $1`, id).Scan(&p)
		return p, err
	})
}

// displayName is what byDisplayName gives for username: the account's
// display name, the username itself when no account has it.
func (t *Tx) displayName(ctx context.Context, username string) (string, error) {
	name, err := kept(&t.memo.names, username, func() (name string, err error) {
		err = t.queryRow(ctx, `SELECT display_name FROM users WHERE username = $1`, username).Scan(&name)
		return name, err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return username, nil // not kept: the account may be added later in the transaction
	}
	return name, err
}

// campaignOf is the dates and targets of round r (Scoped.campaignOf).
func (t *Tx) campaignOf(ctx context.Context, r visit.Round) (visit.Campaign, error) {
	if t.memo.campaigns == nil {
		all, err := t.q.campaigns(ctx, t.tx)
		if err != nil {
			return visit.Campaign{}, err
		}
		t.memo.campaigns = all
	}
	return campaignIn(t.memo.campaigns, r)
}

// stages are the cycle's stage templates (progressStages), read once in
// the transaction: each result and handover of an election marks stages.
// The caller gets a copy of its own.
func (t *Tx) stages(ctx context.Context, cycleID int64) ([]progress.Stage, error) {
	stages, err := kept(&t.memo.stages, cycleID, func() ([]progress.Stage, error) {
		stages, _, err := progressStages(ctx, t.tx, cycleID)
		return stages, err
	})
	return slices.Clone(stages), err
}
