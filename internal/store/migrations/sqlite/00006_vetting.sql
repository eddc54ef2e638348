-- +goose Up
-- The gates of discipline and qualification (issue 4): aspirants, joint
-- review rounds and requests, public tips, discipline cases, activities,
-- the party committee's second review. ID and phone numbers are sealed with
-- the key kept outside the database (internal/secret) and found by keyed
-- hash; pages show them masked.
CREATE TABLE aspirants (
    id            INTEGER PRIMARY KEY,
    cycle_id      INTEGER NOT NULL REFERENCES cycles(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    name          TEXT NOT NULL,
    id_sealed     TEXT NOT NULL,
    id_index      TEXT NOT NULL,
    phone_sealed  TEXT NOT NULL,
    sex           TEXT NOT NULL,
    age           INTEGER NOT NULL,
    ethnicity     TEXT NOT NULL DEFAULT '',
    party         TEXT NOT NULL,
    committee     TEXT NOT NULL,
    post          TEXT NOT NULL,
    cross_post    TEXT NOT NULL DEFAULT '',
    education     TEXT NOT NULL,
    current_post  TEXT NOT NULL DEFAULT '',
    photo         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    reviewed      BOOLEAN NOT NULL DEFAULT FALSE,
    findings      BOOLEAN NOT NULL DEFAULT FALSE,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (cycle_id, id_index)
);
CREATE INDEX aspirants_org ON aspirants(org_id, cycle_id);
CREATE INDEX aspirants_status ON aspirants(cycle_id, status);

-- A department's checklist when the office changed it; absent: the default
-- of internal/vetting.
CREATE TABLE department_checklists (
    department_id INTEGER PRIMARY KEY REFERENCES departments(id),
    conditions    TEXT NOT NULL
);

CREATE TABLE review_rounds (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    kind       TEXT NOT NULL,
    doc_no     TEXT NOT NULL,
    started_on TEXT NOT NULL,
    deadline   TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE review_requests (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES review_rounds(id),
    aspirant_id   INTEGER NOT NULL REFERENCES aspirants(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    deadline      TEXT NOT NULL,
    verdict       TEXT NOT NULL DEFAULT '',
    conditions    TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    attachment    TEXT NOT NULL DEFAULT '',
    answered_by   TEXT NOT NULL DEFAULT '',
    answered_at   TIMESTAMP,
    UNIQUE (round_id, aspirant_id, department_id)
);
CREATE INDEX review_requests_queue ON review_requests(department_id, verdict, id);
CREATE INDEX review_requests_aspirant ON review_requests(aspirant_id);

-- Public tips. No column holds the reporter's address or any other trace
-- of the request; submitted_on is a day, not a moment.
CREATE TABLE tips (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    receipt        TEXT NOT NULL UNIQUE,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    person         TEXT NOT NULL DEFAULT '',
    aspirant_id    INTEGER REFERENCES aspirants(id),
    category       TEXT NOT NULL,
    description    TEXT NOT NULL,
    contact_sealed TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    result         TEXT NOT NULL DEFAULT '',
    case_id        INTEGER,
    submitted_on   TEXT NOT NULL,
    updated_on     TEXT NOT NULL
);
CREATE INDEX tips_status ON tips(cycle_id, status);

CREATE TABLE tip_files (
    id     INTEGER PRIMARY KEY,
    tip_id INTEGER NOT NULL REFERENCES tips(id),
    sha256 TEXT NOT NULL,
    name   TEXT NOT NULL,
    type   TEXT NOT NULL,
    size   INTEGER NOT NULL
);
CREATE INDEX tip_files_tip ON tip_files(tip_id);

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    cycle_id     INTEGER NOT NULL REFERENCES cycles(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    source       TEXT NOT NULL,
    tip_id       INTEGER REFERENCES tips(id),
    summary      TEXT NOT NULL,
    parties      TEXT NOT NULL,
    status       TEXT NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '',
    outcome_note TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE case_aspirants (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    aspirant_id INTEGER NOT NULL REFERENCES aspirants(id),
    PRIMARY KEY (case_id, aspirant_id)
);

CREATE TABLE activities (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    type       TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    held_on    TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activities_cycle ON activities(cycle_id, held_on);

CREATE TABLE review_meetings (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    held_on    TEXT NOT NULL,
    title      TEXT NOT NULL,
    doc_no     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE review_decisions (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES review_meetings(id),
    aspirant_id     INTEGER NOT NULL REFERENCES aspirants(id),
    outcome         TEXT NOT NULL,
    condition       TEXT NOT NULL DEFAULT '',
    case_id         INTEGER REFERENCES cases(id),
    persuaded_by    TEXT NOT NULL DEFAULT '',
    persuaded_on    TEXT NOT NULL DEFAULT '',
    withdrawn       BOOLEAN NOT NULL DEFAULT FALSE,
    persuasion_note TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    decided_by      TEXT NOT NULL,
    decided_at      TIMESTAMP NOT NULL
);
CREATE INDEX review_decisions_aspirant ON review_decisions(aspirant_id);

-- +goose Down
DROP TABLE review_decisions;
DROP TABLE review_meetings;
DROP TABLE activities;
DROP TABLE case_aspirants;
DROP TABLE cases;
DROP TABLE tip_files;
DROP TABLE tips;
DROP TABLE review_requests;
DROP TABLE review_rounds;
DROP TABLE department_checklists;
DROP TABLE aspirants;
