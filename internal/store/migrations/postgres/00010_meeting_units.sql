-- +goose Up
-- Each daily meeting belongs to a unit (issue 11): the subtree of the
-- office account that opened it, by path ('/' for the whole tree). One
-- meeting per unit and day, so a district office holds its own meeting
-- beside the zone's. A reader sees the meetings of units within its scope
-- or above it, and of a meeting above it only its own part. The meeting
-- keeps the audit checkpoint signed when its minutes were recorded
-- (sequence number and keyed hash of the chain's head), printed on them.
ALTER TABLE daily_meetings ADD COLUMN unit_path TEXT COLLATE "C" NOT NULL DEFAULT '/';
ALTER TABLE daily_meetings ADD COLUMN checkpoint_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_meetings ADD COLUMN checkpoint_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE daily_meetings DROP CONSTRAINT daily_meetings_cycle_id_held_on_key;
ALTER TABLE daily_meetings ADD CONSTRAINT daily_meetings_cycle_id_unit_path_held_on_key UNIQUE (cycle_id, unit_path, held_on);

-- +goose Down
DELETE FROM meeting_decisions WHERE meeting_id IN (SELECT id FROM daily_meetings WHERE unit_path <> '/');
DELETE FROM daily_meetings WHERE unit_path <> '/';
ALTER TABLE daily_meetings DROP CONSTRAINT daily_meetings_cycle_id_unit_path_held_on_key;
ALTER TABLE daily_meetings ADD CONSTRAINT daily_meetings_cycle_id_held_on_key UNIQUE (cycle_id, held_on);
ALTER TABLE daily_meetings DROP COLUMN checkpoint_hash;
ALTER TABLE daily_meetings DROP COLUMN checkpoint_seq;
ALTER TABLE daily_meetings DROP COLUMN unit_path;

