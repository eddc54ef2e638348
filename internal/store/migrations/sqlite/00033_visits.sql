-- +goose Up
-- The three rounds of visits (issue 16, points 1–4), per cycle.
--
-- Registers a community is visited from: its households (visit_households:
-- address, head, size, the phone sealed under the data key, the residents'
-- group 楼栋/网格; one address once) and the people owed a talk besides the
-- sitting committee members (visit_people: party members and residents'
-- representatives). A new cycle carries both over (store/cycles.go).
--
-- The rounds' dates and targets (visit_campaigns, one row per cycle and
-- round once the office sets it; defaults otherwise), the research
-- activities of the round before the election with their communities and
-- findings, the findings attachable to the community's assessment or plan.
--
-- Visits (visits): one row per visit or talk, keyed also by the client's own
-- id (a UUID made on the phone before sending), unique, so the same visit
-- sent twice, or twice at once, is stored once on both engines. Problems
-- raised (visit_problems) name the ledger item a follow-up became.
-- visit_reached holds each household or person reached in a round once
-- (the first visit that reached it), so coverage counts rows of a table no
-- larger than the registers instead of distinct values over every visit.

CREATE TABLE visit_households (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    address     TEXT NOT NULL,
    head        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    phone_enc   TEXT NOT NULL DEFAULT '',
    group_name  TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX visit_households_once ON visit_households (cycle_id, org_id, address);
CREATE INDEX visit_households_list ON visit_households (cycle_id, org_id, group_name, address);

CREATE TABLE visit_people (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    group_name  TEXT NOT NULL DEFAULT '',
    phone_enc   TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX visit_people_once ON visit_people (cycle_id, org_id, kind, name, group_name);

CREATE TABLE visit_campaigns (
    cycle_id           INTEGER NOT NULL REFERENCES cycles(id),
    round              TEXT NOT NULL,
    starts_on          TEXT NOT NULL DEFAULT '',
    ends_on            TEXT NOT NULL DEFAULT '',
    household_percent  INTEGER NOT NULL,
    talk_all           BOOLEAN NOT NULL,
    set_by             TEXT NOT NULL,
    set_at             TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, round)
);

CREATE TABLE visit_activities (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    name        TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    team        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE TABLE visit_activity_communities (
    activity_id INTEGER NOT NULL REFERENCES visit_activities(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (activity_id, org_id)
);
CREATE INDEX visit_activity_communities_org ON visit_activity_communities (org_id);
CREATE TABLE visit_findings (
    id            INTEGER PRIMARY KEY,
    activity_id   INTEGER NOT NULL REFERENCES visit_activities(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    text          TEXT NOT NULL,
    assessment_id INTEGER NOT NULL DEFAULT 0,
    plan_id       INTEGER NOT NULL DEFAULT 0,
    day           TEXT NOT NULL,
    by_name       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX visit_findings_org ON visit_findings (org_id, activity_id);

CREATE TABLE visits (
    id                 INTEGER PRIMARY KEY,
    client_id          TEXT NOT NULL,
    cycle_id           INTEGER NOT NULL REFERENCES cycles(id),
    org_id             INTEGER NOT NULL REFERENCES orgs(id),
    round              TEXT NOT NULL,
    household_id       INTEGER NOT NULL DEFAULT 0,
    person_id          INTEGER NOT NULL DEFAULT 0,
    member_id          INTEGER NOT NULL DEFAULT 0,
    activity_id        INTEGER NOT NULL DEFAULT 0,
    visitors           TEXT NOT NULL,
    visited_on         TEXT NOT NULL,
    method             TEXT NOT NULL,
    missed             BOOLEAN NOT NULL DEFAULT FALSE,
    committee_opinions TEXT NOT NULL DEFAULT '',
    aspirant_opinions  TEXT NOT NULL DEFAULT '',
    intention          TEXT NOT NULL DEFAULT '',
    topics             TEXT NOT NULL DEFAULT '',
    difficulties       TEXT NOT NULL DEFAULT '',
    help               TEXT NOT NULL DEFAULT '',
    proposals          TEXT NOT NULL DEFAULT '',
    recorded_by        TEXT NOT NULL,
    recorded_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX visits_client ON visits (client_id);
CREATE INDEX visits_community ON visits (org_id, cycle_id, round, visited_on);
CREATE INDEX visits_household ON visits (household_id) WHERE household_id > 0;

CREATE TABLE visit_problems (
    id             INTEGER PRIMARY KEY,
    visit_id       INTEGER NOT NULL REFERENCES visits(id),
    seq            INTEGER NOT NULL,
    category       TEXT NOT NULL,
    urgency        TEXT NOT NULL,
    text           TEXT NOT NULL,
    follow_up      BOOLEAN NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    due            TEXT NOT NULL DEFAULT '',
    ledger_item_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visit_problems_visit ON visit_problems (visit_id, seq);

CREATE TABLE visit_reached (
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    round       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    target_id   INTEGER NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    visit_id    INTEGER NOT NULL REFERENCES visits(id),
    PRIMARY KEY (cycle_id, round, kind, target_id)
);
CREATE INDEX visit_reached_org ON visit_reached (cycle_id, round, org_id, kind);

-- +goose Down
DROP TABLE visit_reached;
DROP TABLE visit_problems;
DROP TABLE visits;
DROP TABLE visit_findings;
DROP TABLE visit_activity_communities;
DROP TABLE visit_activities;
DROP TABLE visit_campaigns;
DROP TABLE visit_people;
DROP TABLE visit_households;
