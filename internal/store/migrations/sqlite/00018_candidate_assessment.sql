-- +goose Up
-- Candidate assessment (考察) and the 预备人选 (issue 14, point 4). Each
-- community's assessment team in a cycle: its leader, and its members
-- with their departments. A new cycle does not carry these over.
CREATE TABLE candidate_teams (
    cycle_id     INTEGER NOT NULL REFERENCES cycles(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    leader       TEXT NOT NULL,
    set_by       TEXT NOT NULL,
    set_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, org_id)
);
CREATE TABLE candidate_team_members (
    cycle_id      INTEGER NOT NULL REFERENCES cycles(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    seq           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (cycle_id, org_id, seq)
);
-- One row per assessed person (an aspirant of the community): the team's
-- record, then the party committee's decision (decision '' none yet,
-- 'approved', 'rejected'), the higher level's approval and the notice,
-- each empty until its step is taken (slate.Record).
CREATE TABLE candidate_assessments (
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    aspirant_id    INTEGER NOT NULL REFERENCES aspirants(id),
    talks          INTEGER NOT NULL,
    talked         TEXT NOT NULL DEFAULT '',
    excellent      INTEGER NOT NULL,
    competent      INTEGER NOT NULL,
    basic          INTEGER NOT NULL,
    incompetent    INTEGER NOT NULL,
    opinion        TEXT NOT NULL,
    conclusion     TEXT NOT NULL,
    assessed_by    TEXT NOT NULL,
    assessed_at    TIMESTAMP NOT NULL,
    decision       TEXT NOT NULL DEFAULT '',
    decision_day   TEXT NOT NULL DEFAULT '',
    decision_note  TEXT NOT NULL DEFAULT '',
    higher_day     TEXT NOT NULL DEFAULT '',
    higher_doc     TEXT NOT NULL DEFAULT '',
    notice_start   TEXT NOT NULL DEFAULT '',
    notice_end     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cycle_id, aspirant_id)
);
CREATE INDEX candidate_assessments_org ON candidate_assessments (cycle_id, org_id);
-- Objections received during a person's notice and their handling.
CREATE TABLE candidate_objections (
    id           INTEGER PRIMARY KEY,
    cycle_id     INTEGER NOT NULL REFERENCES cycles(id),
    aspirant_id  INTEGER NOT NULL REFERENCES aspirants(id),
    day          TEXT NOT NULL,
    content      TEXT NOT NULL,
    handling     TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX candidate_objections_aspirant ON candidate_objections (cycle_id, aspirant_id);

-- +goose Down
DROP TABLE candidate_objections;
DROP TABLE candidate_assessments;
DROP TABLE candidate_team_members;
DROP TABLE candidate_teams;
