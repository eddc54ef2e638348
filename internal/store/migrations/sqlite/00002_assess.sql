-- +goose Up
-- 三类: the rubric and rules of a cycle (absent rows mean the defaults in
-- internal/assess), assessments kept as history, each community's standing,
-- class changes, plans and their measures.
CREATE TABLE assess_indicators (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    code       TEXT NOT NULL,
    dimension  TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    max_score  INTEGER NOT NULL,
    veto       TEXT NOT NULL,
    sort       INTEGER NOT NULL,
    UNIQUE (cycle_id, code)
);

CREATE TABLE assess_rules (
    cycle_id INTEGER PRIMARY KEY REFERENCES cycles(id),
    a_min    INTEGER NOT NULL,
    b_min    INTEGER NOT NULL,
    plans_a  INTEGER NOT NULL,
    plans_b  INTEGER NOT NULL,
    plans_c  INTEGER NOT NULL
);

CREATE TABLE assessments (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    assessed_on    TEXT NOT NULL,
    assessors      TEXT NOT NULL,
    findings       TEXT NOT NULL,
    scores         TEXT NOT NULL,
    total          INTEGER NOT NULL,
    max_total      INTEGER NOT NULL,
    computed_class TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX assessments_org ON assessments(org_id, cycle_id, id);

CREATE TABLE standings (
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id        INTEGER NOT NULL REFERENCES cycles(id),
    assessment_id   INTEGER REFERENCES assessments(id),
    computed_class  TEXT NOT NULL,
    override_class  TEXT NOT NULL DEFAULT '',
    override_reason TEXT NOT NULL DEFAULT '',
    override_by     TEXT NOT NULL DEFAULT '',
    override_at     TIMESTAMP,
    explanation     TEXT NOT NULL,
    class           TEXT NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, cycle_id)
);
CREATE INDEX standings_class ON standings(cycle_id, class);

CREATE TABLE class_changes (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    at         TIMESTAMP NOT NULL,
    from_class TEXT NOT NULL,
    to_class   TEXT NOT NULL,
    cause      TEXT NOT NULL
);
CREATE INDEX class_changes_at ON class_changes(cycle_id, at);

CREATE TABLE plans (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    sections   TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, cycle_id, kind)
);

CREATE TABLE plan_measures (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    section  TEXT NOT NULL,
    content  TEXT NOT NULL,
    owner    TEXT NOT NULL,
    due_on   TEXT NOT NULL,
    done_on  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_measures_plan ON plan_measures(plan_id);
CREATE INDEX plan_measures_due ON plan_measures(done_on, due_on);

-- +goose Down
DROP TABLE plan_measures;
DROP TABLE plans;
DROP TABLE class_changes;
DROP TABLE standings;
DROP TABLE assessments;
DROP TABLE assess_rules;
DROP TABLE assess_indicators;
