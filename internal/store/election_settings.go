package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/election"
)

// ElectionSettings returns the cycle's election rules, or the defaults.
func (q *Scoped) ElectionSettings(ctx context.Context) (election.Settings, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return election.Settings{}, err
	}
	return electionSettingsOf(ctx, q.s.db, cycleID)
}

// electionSettings are the cycle's election rules as the transaction sees
// them (its own change included, which a read on another connection would
// not see), read once for it (txMemo): a ballot's steps read them each.
func (t *Tx) electionSettings(ctx context.Context) (election.Settings, error) {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return election.Settings{}, err
	}
	return kept(&t.memo.settings, cycleID, func() (election.Settings, error) { return electionSettingsOf(ctx, t.tx, cycleID) })
}

func electionSettingsOf(ctx context.Context, db querier, cycleID int64) (election.Settings, error) {
	s := election.DefaultSettings()
	var raw string
	err := db.QueryRowContext(ctx, `SELECT settings FROM election_settings WHERE cycle_id = $1`, cycleID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal([]byte(raw), &s)
}

// SaveElectionSettings sets the cycle's election rules. Zone-wide.
func (t *Tx) SaveElectionSettings(ctx context.Context, s election.Settings) error {
	if err := t.needZone(); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	before, err := t.electionSettings(ctx)
	if err != nil {
		return err
	}
	t.memo.settings = nil // read again after this change
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO election_settings (cycle_id, settings) VALUES ($1, $2)
		ON CONFLICT (cycle_id) DO UPDATE SET settings = excluded.settings`, cycleID, string(raw)); err != nil {
		return err
	}
	return t.Audit(ctx, audit.ElectionSettingsSave, On("cycle", itoa(cycleID), ""), settingFields(before), settingFields(s))
}

func settingFields(s election.Settings) audit.Fields {
	var f audit.Fields
	raw, _ := json.Marshal(s)
	_ = json.Unmarshal(raw, &f)
	return f
}
