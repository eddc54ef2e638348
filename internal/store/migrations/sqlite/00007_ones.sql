-- +goose Up
-- The three ones (issue 5): district work teams, the progress of each
-- community through the election's stages, a ledger per community with its
-- daily history, the archive, the daily meeting, map boundaries.
CREATE TABLE work_teams (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    leader     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (cycle_id, org_id)
);

CREATE TABLE work_team_members (
    team_id INTEGER NOT NULL REFERENCES work_teams(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    duty    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, user_id)
);

-- A cycle's stage templates when the office changed them; absent: the
-- defaults of the domain package.
CREATE TABLE progress_stages (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    code        TEXT NOT NULL,
    election    TEXT NOT NULL,
    name        TEXT NOT NULL,
    sort        INTEGER NOT NULL,
    offset_days INTEGER NOT NULL,
    depends_on  TEXT NOT NULL DEFAULT '',
    UNIQUE (cycle_id, code)
);

CREATE TABLE progress_marks (
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    stage_code TEXT NOT NULL,
    done_on    TEXT NOT NULL,
    evidence   TEXT NOT NULL DEFAULT '',
    attachment TEXT NOT NULL DEFAULT '',
    marked_by  TEXT NOT NULL,
    marked_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, cycle_id, stage_code)
);

CREATE TABLE ledger_items (
    id           INTEGER PRIMARY KEY,
    cycle_id     INTEGER NOT NULL REFERENCES cycles(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    source       TEXT NOT NULL,
    source_ref   TEXT NOT NULL DEFAULT '',
    content      TEXT NOT NULL,
    risk         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    leader       TEXT NOT NULL DEFAULT '',
    due_on       TEXT NOT NULL,
    status       TEXT NOT NULL,
    closed_on    TEXT NOT NULL DEFAULT '',
    closing_note TEXT NOT NULL DEFAULT '',
    closing_file TEXT NOT NULL DEFAULT '',
    created_on   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX ledger_items_org ON ledger_items(org_id, cycle_id, status);
CREATE INDEX ledger_items_due ON ledger_items(cycle_id, status, due_on);
CREATE INDEX ledger_items_closed ON ledger_items(cycle_id, closed_on);

CREATE TABLE ledger_notes (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES ledger_items(id),
    day     TEXT NOT NULL,
    note    TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);
CREATE INDEX ledger_notes_item ON ledger_notes(item_id);
CREATE INDEX ledger_notes_day ON ledger_notes(day);

-- Every change of an item's status, by day: the state of any ledger on any
-- past day is the last event of each item up to that day.
CREATE TABLE ledger_events (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES ledger_items(id),
    day         TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    by_name     TEXT NOT NULL
);
CREATE INDEX ledger_events_item ON ledger_events(item_id, day);
CREATE INDEX ledger_events_day ON ledger_events(day);

CREATE TABLE archive_files (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    sha256      TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    category    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX archive_files_org ON archive_files(org_id, cycle_id);
CREATE INDEX archive_files_sha ON archive_files(sha256);

CREATE TABLE daily_meetings (
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

CREATE TABLE meeting_decisions (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES daily_meetings(id),
    content        TEXT NOT NULL,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    owner          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    ledger_item_id INTEGER REFERENCES ledger_items(id)
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id);

-- Boundaries for the battle map, uploaded as GeoJSON by the office.
CREATE TABLE org_shapes (
    org_id  INTEGER PRIMARY KEY REFERENCES orgs(id),
    geojson TEXT NOT NULL
);

-- +goose Down
DROP TABLE org_shapes;
DROP TABLE meeting_decisions;
DROP TABLE daily_meetings;
DROP TABLE archive_files;
DROP TABLE ledger_events;
DROP TABLE ledger_notes;
DROP TABLE ledger_items;
DROP TABLE progress_marks;
DROP TABLE progress_stages;
DROP TABLE work_team_members;
DROP TABLE work_teams;
