-- +goose Up
-- The five-year programme (5年施政纲领) of each community, per cycle
-- (issue 16, point 6): one programme a community, its goals in order with
-- their measures (one a line), each goal's milestones (one a year of the
-- term, with the state last reported), and what became of each proposal
-- of the round of visits after the election (问计于民): one disposition a
-- visit, adopted or merged into a goal (goal_id) or declined (goal_id 0),
-- with its note. The programme row holds its adoption by the residents'
-- representatives (day, meeting, document, optionally a file of the
-- community's archive).
--
-- All four are protected records (store/protected.go): an adopted
-- programme is the committee's public commitment for five years, and the
-- progress reported on it is what the residents hold the committee to, so
-- an office must be able to vouch that neither was changed behind the
-- platform's back.

CREATE TABLE programmes (
    id              INTEGER PRIMARY KEY,
    cycle_id        INTEGER NOT NULL REFERENCES cycles(id),
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    title           TEXT NOT NULL,
    start_year      INTEGER NOT NULL,
    end_year        INTEGER NOT NULL,
    status          TEXT NOT NULL,
    adopted_on      TEXT NOT NULL DEFAULT '',
    meeting         TEXT NOT NULL DEFAULT '',
    document        TEXT NOT NULL DEFAULT '',
    archive_file_id INTEGER NOT NULL DEFAULT 0,
    adopted_by      TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    audit_digest    TEXT NOT NULL DEFAULT '',
    UNIQUE (cycle_id, org_id)
);

CREATE TABLE programme_goals (
    id           INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    seq          INTEGER NOT NULL,
    title        TEXT NOT NULL,
    area         TEXT NOT NULL,
    measures     TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT ''
);
CREATE INDEX programme_goals_programme ON programme_goals (programme_id, seq);

CREATE TABLE programme_milestones (
    id           INTEGER PRIMARY KEY,
    goal_id      INTEGER NOT NULL REFERENCES programme_goals(id),
    year         INTEGER NOT NULL,
    text         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'not_started',
    note         TEXT NOT NULL DEFAULT '',
    reported_on  TEXT NOT NULL DEFAULT '',
    reported_by  TEXT NOT NULL DEFAULT '',
    set_by       TEXT NOT NULL,
    set_at       TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT '',
    UNIQUE (goal_id, year)
);

CREATE TABLE programme_dispositions (
    visit_id     INTEGER PRIMARY KEY REFERENCES visits(id),
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    outcome      TEXT NOT NULL,
    goal_id      INTEGER NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL,
    decided_at   TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT ''
);
CREATE INDEX programme_dispositions_goal ON programme_dispositions (programme_id, goal_id);

-- +goose StatementBegin
CREATE TRIGGER programmes_audit_insert AFTER INSERT ON programmes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programmes', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programmes_audit_update AFTER UPDATE OF cycle_id, org_id, title, start_year, end_year, status, adopted_on, meeting, document, archive_file_id, adopted_by, created_by, created_at, updated_by, updated_at ON programmes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programmes', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.title, OLD.start_year, OLD.end_year, OLD.status, OLD.adopted_on, OLD.meeting, OLD.document, OLD.archive_file_id, OLD.adopted_by, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programmes_audit_delete AFTER DELETE ON programmes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programmes', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.title, OLD.start_year, OLD.end_year, OLD.status, OLD.adopted_on, OLD.meeting, OLD.document, OLD.archive_file_id, OLD.adopted_by, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_goals_audit_insert AFTER INSERT ON programme_goals BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programme_goals', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_goals_audit_update AFTER UPDATE OF programme_id, seq, title, area, measures, created_by, created_at, updated_by, updated_at ON programme_goals BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_goals', OLD.id, 0,
        json_array(OLD.programme_id, OLD.seq, OLD.title, OLD.area, OLD.measures, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_goals_audit_delete AFTER DELETE ON programme_goals BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_goals', OLD.id, 0,
        json_array(OLD.programme_id, OLD.seq, OLD.title, OLD.area, OLD.measures, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_milestones_audit_insert AFTER INSERT ON programme_milestones BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programme_milestones', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_milestones_audit_update AFTER UPDATE OF goal_id, year, text, state, note, reported_on, reported_by, set_by, set_at ON programme_milestones BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_milestones', OLD.id, 0,
        json_array(OLD.goal_id, OLD.year, OLD.text, OLD.state, OLD.note, OLD.reported_on, OLD.reported_by, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_milestones_audit_delete AFTER DELETE ON programme_milestones BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_milestones', OLD.id, 0,
        json_array(OLD.goal_id, OLD.year, OLD.text, OLD.state, OLD.note, OLD.reported_on, OLD.reported_by, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_dispositions_audit_insert AFTER INSERT ON programme_dispositions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programme_dispositions', NEW.visit_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_dispositions_audit_update AFTER UPDATE OF programme_id, outcome, goal_id, note, decided_by, decided_at ON programme_dispositions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_dispositions', OLD.visit_id, 0,
        json_array(OLD.programme_id, OLD.outcome, OLD.goal_id, OLD.note, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_dispositions_audit_delete AFTER DELETE ON programme_dispositions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_dispositions', OLD.visit_id, 0,
        json_array(OLD.programme_id, OLD.outcome, OLD.goal_id, OLD.note, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE programme_dispositions;
DROP TABLE programme_milestones;
DROP TABLE programme_goals;
DROP TABLE programmes;
