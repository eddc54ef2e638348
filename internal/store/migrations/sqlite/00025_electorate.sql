-- +goose Up
-- The electorate and polling of a community's two votes (issue 15, points
-- 1 and 2), per cycle: the residents' electoral mode and the day the
-- register was published (electorates); the election committee
-- (选举委员会: a member who leaves keeps the row with the day and reason);
-- the voter register (voters: no ID number, name and birth date tell two
-- registrations apart; a voter removed by an upheld objection keeps the
-- row with the day and reason); objections to it with their answers; the
-- party organisation's members with their voting status, excusal and
-- presence (party_members: 应到会 and 实到会); polling stations and mobile
-- boxes with their staff; the close relatives recorded for formal
-- candidates; proxies (委托投票). A new cycle does not carry these over.
--
-- The records of the vote are protected records (store/protected.go):
-- the electorate's publication, the register, the objections, the party
-- members' attendance, the stations and their staff, and the proxies. Their
-- triggers note each write in audit_touched with the content before, as
-- migration 00023 does.

CREATE TABLE electorates (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    mode           TEXT NOT NULL DEFAULT '',
    published_on   TEXT NOT NULL DEFAULT '',
    updated_by     TEXT NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    audit_digest   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX electorates_once ON electorates (cycle_id, org_id);
CREATE TABLE election_committee (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    joined_on      TEXT NOT NULL,
    left_on        TEXT NOT NULL DEFAULT '',
    left_reason    TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX election_committee_org ON election_committee (org_id, cycle_id);
CREATE TABLE voters (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    name           TEXT NOT NULL,
    sex            TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    group_name     TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,
    source         TEXT NOT NULL,
    removed_on     TEXT NOT NULL DEFAULT '',
    removed_reason TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    audit_digest   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX voters_register ON voters (org_id, cycle_id, group_name, name);
CREATE UNIQUE INDEX voters_once ON voters (cycle_id, org_id, name, birth_date) WHERE removed_on = '';
CREATE TABLE voter_objections (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    filed_on       TEXT NOT NULL,
    filer          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    voter_id       INTEGER NOT NULL DEFAULT 0,
    name           TEXT NOT NULL DEFAULT '',
    sex            TEXT NOT NULL DEFAULT '',
    birth_date     TEXT NOT NULL DEFAULT '',
    group_name     TEXT NOT NULL DEFAULT '',
    reg_kind       TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL,
    decision       TEXT NOT NULL DEFAULT '',
    answer         TEXT NOT NULL DEFAULT '',
    answered_on    TEXT NOT NULL DEFAULT '',
    answered_by    TEXT NOT NULL DEFAULT '',
    result_voter   INTEGER NOT NULL DEFAULT 0,
    recorded_by    TEXT NOT NULL,
    recorded_at    TIMESTAMP NOT NULL,
    audit_digest   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX voter_objections_org ON voter_objections (org_id, cycle_id);
CREATE TABLE party_members (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    name           TEXT NOT NULL,
    sex            TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    status         TEXT NOT NULL,
    excused        TEXT NOT NULL DEFAULT '',
    present        INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    audit_digest   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX party_members_org ON party_members (org_id, cycle_id, name);
CREATE UNIQUE INDEX party_members_once ON party_members (cycle_id, org_id, name, birth_date);
CREATE TABLE polling_stations (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    committee      TEXT NOT NULL,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    place          TEXT NOT NULL,
    opens          TEXT NOT NULL,
    closes         TEXT NOT NULL,
    route          TEXT NOT NULL DEFAULT '',
    serves         INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    audit_digest   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX polling_stations_org ON polling_stations (org_id, cycle_id, committee);
CREATE TABLE station_staff (
    id             INTEGER PRIMARY KEY,
    station_id     INTEGER NOT NULL REFERENCES polling_stations(id),
    role           TEXT NOT NULL,
    name           TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    audit_digest   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX station_staff_station ON station_staff (station_id);
CREATE TABLE candidate_relatives (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    aspirant_id    INTEGER NOT NULL REFERENCES aspirants(id),
    relation       TEXT NOT NULL,
    name           TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX candidate_relatives_org ON candidate_relatives (org_id, cycle_id);
CREATE TABLE proxies (
    id             INTEGER PRIMARY KEY,
    cycle_id       INTEGER NOT NULL REFERENCES cycles(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    giver_id       INTEGER NOT NULL REFERENCES voters(id),
    holder_id      INTEGER NOT NULL REFERENCES voters(id),
    relation       TEXT NOT NULL,
    written_on     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    audit_digest   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX proxies_giver ON proxies (giver_id);
CREATE INDEX proxies_holder ON proxies (holder_id);
CREATE INDEX proxies_org ON proxies (org_id, cycle_id);
-- +goose StatementBegin
CREATE TRIGGER electorates_audit_insert AFTER INSERT ON electorates BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'electorates', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER electorates_audit_update AFTER UPDATE OF cycle_id, org_id, mode, published_on, updated_by, updated_at ON electorates BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'electorates', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.mode, OLD.published_on, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER electorates_audit_delete AFTER DELETE ON electorates BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'electorates', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.mode, OLD.published_on, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voters_audit_insert AFTER INSERT ON voters BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'voters', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voters_audit_update AFTER UPDATE OF cycle_id, org_id, name, sex, birth_date, group_name, kind, source, removed_on, removed_reason, created_by, created_at ON voters BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voters', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.kind, OLD.source, OLD.removed_on, OLD.removed_reason, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voters_audit_delete AFTER DELETE ON voters BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voters', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.kind, OLD.source, OLD.removed_on, OLD.removed_reason, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voter_objections_audit_insert AFTER INSERT ON voter_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'voter_objections', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voter_objections_audit_update AFTER UPDATE OF cycle_id, org_id, filed_on, filer, kind, voter_id, name, sex, birth_date, group_name, reg_kind, reason, decision, answer, answered_on, answered_by, result_voter, recorded_by, recorded_at ON voter_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voter_objections', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.filed_on, OLD.filer, OLD.kind, OLD.voter_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.reg_kind, OLD.reason, OLD.decision, OLD.answer, OLD.answered_on, OLD.answered_by, OLD.result_voter, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voter_objections_audit_delete AFTER DELETE ON voter_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voter_objections', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.filed_on, OLD.filer, OLD.kind, OLD.voter_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.reg_kind, OLD.reason, OLD.decision, OLD.answer, OLD.answered_on, OLD.answered_by, OLD.result_voter, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_members_audit_insert AFTER INSERT ON party_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'party_members', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_members_audit_update AFTER UPDATE OF cycle_id, org_id, name, sex, birth_date, status, excused, present, created_by, created_at ON party_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.status, OLD.excused, OLD.present, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_members_audit_delete AFTER DELETE ON party_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.status, OLD.excused, OLD.present, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER polling_stations_audit_insert AFTER INSERT ON polling_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'polling_stations', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER polling_stations_audit_update AFTER UPDATE OF cycle_id, org_id, committee, name, kind, place, opens, closes, route, serves, created_by, created_at ON polling_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'polling_stations', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.name, OLD.kind, OLD.place, OLD.opens, OLD.closes, OLD.route, OLD.serves, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER polling_stations_audit_delete AFTER DELETE ON polling_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'polling_stations', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.name, OLD.kind, OLD.place, OLD.opens, OLD.closes, OLD.route, OLD.serves, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER station_staff_audit_insert AFTER INSERT ON station_staff BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'station_staff', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER station_staff_audit_update AFTER UPDATE OF station_id, role, name, created_by, created_at ON station_staff BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'station_staff', OLD.id, 0,
        json_array(OLD.station_id, OLD.role, OLD.name, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER station_staff_audit_delete AFTER DELETE ON station_staff BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'station_staff', OLD.id, 0,
        json_array(OLD.station_id, OLD.role, OLD.name, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxies_audit_insert AFTER INSERT ON proxies BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'proxies', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxies_audit_update AFTER UPDATE OF cycle_id, org_id, giver_id, holder_id, relation, written_on, created_by, created_at ON proxies BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'proxies', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.giver_id, OLD.holder_id, OLD.relation, OLD.written_on, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxies_audit_delete AFTER DELETE ON proxies BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'proxies', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.giver_id, OLD.holder_id, OLD.relation, OLD.written_on, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER proxies_audit_delete;
DROP TRIGGER proxies_audit_update;
DROP TRIGGER proxies_audit_insert;
DROP TRIGGER station_staff_audit_delete;
DROP TRIGGER station_staff_audit_update;
DROP TRIGGER station_staff_audit_insert;
DROP TRIGGER polling_stations_audit_delete;
DROP TRIGGER polling_stations_audit_update;
DROP TRIGGER polling_stations_audit_insert;
DROP TRIGGER party_members_audit_delete;
DROP TRIGGER party_members_audit_update;
DROP TRIGGER party_members_audit_insert;
DROP TRIGGER voter_objections_audit_delete;
DROP TRIGGER voter_objections_audit_update;
DROP TRIGGER voter_objections_audit_insert;
DROP TRIGGER voters_audit_delete;
DROP TRIGGER voters_audit_update;
DROP TRIGGER voters_audit_insert;
DROP TRIGGER electorates_audit_delete;
DROP TRIGGER electorates_audit_update;
DROP TRIGGER electorates_audit_insert;
DROP TABLE proxies;
DROP TABLE candidate_relatives;
DROP TABLE station_staff;
DROP TABLE polling_stations;
DROP TABLE party_members;
DROP TABLE voter_objections;
DROP TABLE voters;
DROP TABLE election_committee;
DROP TABLE electorates;
