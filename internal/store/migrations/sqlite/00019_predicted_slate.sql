-- +goose Up
-- The predicted slate (预判人选) and the reserve list (人选储备) of each
-- community in a cycle (issue 14, point 5). A new cycle starts without
-- them. The rules are slate.CheckPrediction and ReservePerson.Validate.

-- A community's slate: whether its party secretary is planned to be the
-- residents' committee director too (一肩挑).
CREATE TABLE slates (
    cycle_id INTEGER NOT NULL REFERENCES cycles(id),
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    dual     BOOLEAN NOT NULL DEFAULT FALSE,
    set_by   TEXT NOT NULL,
    set_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, org_id)
);

-- The predicted persons: seat is the order on the post (1, 2, …). The
-- birth date is the one the aspirant's ID number encodes, kept so that ages
-- are counted at each committee's election day without opening the number.
CREATE TABLE slate_picks (
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    committee   TEXT NOT NULL,
    post        TEXT NOT NULL,
    seat        INTEGER NOT NULL,
    aspirant_id INTEGER NOT NULL REFERENCES aspirants(id),
    birth_date  TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cycle_id, org_id, committee, post, seat),
    UNIQUE (cycle_id, org_id, committee, aspirant_id)
);

-- Every change of a predicted person: who, when, from whom to whom, why.
-- The names are kept as they were.
CREATE TABLE slate_changes (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    committee  TEXT NOT NULL,
    post       TEXT NOT NULL,
    from_id    INTEGER,
    from_name  TEXT NOT NULL DEFAULT '',
    to_id      INTEGER,
    to_name    TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX slate_changes_org ON slate_changes(cycle_id, org_id, id);

-- Promising people of a community: no ID number, no phone.
CREATE TABLE reserve_people (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    sex        TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    education  TEXT NOT NULL,
    party      TEXT NOT NULL,
    workplace  TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX reserve_people_org ON reserve_people(cycle_id, org_id, id);

-- +goose Down
DROP TABLE reserve_people;
DROP TABLE slate_changes;
DROP TABLE slate_picks;
DROP TABLE slates;
