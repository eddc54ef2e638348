-- +goose Up
-- Each daily meeting belongs to a unit (issue 11): the subtree of the
-- office account that opened it, by path ('/' for the whole tree). One
-- meeting per unit and day, so a district office holds its own meeting
-- beside the zone's. A reader sees the meetings of units within its scope
-- or above it, and of a meeting above it only its own part. The meeting
-- keeps the audit checkpoint signed when its minutes were recorded
-- (sequence number and keyed hash of the chain's head), printed on them.
-- SQLite cannot drop the old UNIQUE (cycle_id, held_on): both tables are
-- rebuilt, the decisions first pointing at the new meetings table, so no
-- foreign key is ever left without its rows.
CREATE TABLE daily_meetings_v10 (
    id              INTEGER PRIMARY KEY,
    cycle_id        INTEGER NOT NULL REFERENCES cycles(id),
    unit_path       TEXT NOT NULL DEFAULT '/',
    held_on         TEXT NOT NULL,
    agenda          TEXT NOT NULL,
    attendance      TEXT NOT NULL DEFAULT '',
    minutes         TEXT NOT NULL DEFAULT '',
    checkpoint_seq  INTEGER NOT NULL DEFAULT 0,
    checkpoint_hash TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (cycle_id, unit_path, held_on)
);
INSERT INTO daily_meetings_v10 (id, cycle_id, unit_path, held_on, agenda, attendance, minutes, created_by, created_at)
    SELECT id, cycle_id, '/', held_on, agenda, attendance, minutes, created_by, created_at FROM daily_meetings;

CREATE TABLE meeting_decisions_v10 (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES daily_meetings_v10(id),
    content        TEXT NOT NULL,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    owner          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    ledger_item_id INTEGER REFERENCES ledger_items(id)
);
INSERT INTO meeting_decisions_v10 (id, meeting_id, content, org_id, owner, due_on, ledger_item_id)
    SELECT id, meeting_id, content, org_id, owner, due_on, ledger_item_id FROM meeting_decisions;

DROP TABLE meeting_decisions;
DROP TABLE daily_meetings;
ALTER TABLE daily_meetings_v10 RENAME TO daily_meetings;
ALTER TABLE meeting_decisions_v10 RENAME TO meeting_decisions;
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id);

-- +goose Down
CREATE TABLE daily_meetings_v7 (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    held_on    TEXT NOT NULL,
    agenda     TEXT NOT NULL,
    attendance TEXT NOT NULL DEFAULT '',
    minutes    TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (cycle_id, held_on)
);
INSERT INTO daily_meetings_v7 (id, cycle_id, held_on, agenda, attendance, minutes, created_by, created_at)
    SELECT id, cycle_id, held_on, agenda, attendance, minutes, created_by, created_at FROM daily_meetings WHERE unit_path = '/';

CREATE TABLE meeting_decisions_v7 (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES daily_meetings_v7(id),
    content        TEXT NOT NULL,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    owner          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    ledger_item_id INTEGER REFERENCES ledger_items(id)
);
INSERT INTO meeting_decisions_v7 (id, meeting_id, content, org_id, owner, due_on, ledger_item_id)
    SELECT d.id, d.meeting_id, d.content, d.org_id, d.owner, d.due_on, d.ledger_item_id
    FROM meeting_decisions d JOIN daily_meetings m ON m.id = d.meeting_id WHERE m.unit_path = '/';

DROP TABLE meeting_decisions;
DROP TABLE daily_meetings;
ALTER TABLE daily_meetings_v7 RENAME TO daily_meetings;
ALTER TABLE meeting_decisions_v7 RENAME TO meeting_decisions;
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id);
