-- +goose Up
-- Counting (issue 15, points 3 and 4). A ballot is one vote of one
-- committee of a community in the cycle (a round and its sequence): its
-- day, seats per post, the candidates printed on it (the formal list's
-- standing candidates, as JSON) and the electorate entered when it was
-- opened; open, counting, confirmed (its total kept) or void with a reason
-- and the day it must be held again by. Its count units are the stations
-- and boxes counted apart (主会场, 分会场, 流动票箱; station_id is left for
-- the electorate's polling stations to be joined to). Each unit's count
-- sheet is entered twice (count_entries, n 1 and 2, each clerk's own,
-- JSON with empty fields null); differences of each comparison are kept
-- with the coordinator's resolution; warnings acknowledged by code
-- (count_acks, unit_id 0 for the ballot's total); ballots read aloud one
-- by one (唱票) are rows of tally_ballots, their running totals on the
-- unit. All of them are protected records (store/protected.go): a change
-- behind the platform's back is found by `huanjie audit verify`.
CREATE TABLE ballots (
    id            INTEGER PRIMARY KEY,
    cycle_id      INTEGER NOT NULL REFERENCES cycles(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    committee     TEXT NOT NULL,
    round         TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    day           TEXT NOT NULL,
    seats         TEXT NOT NULL,
    candidates    TEXT NOT NULL,
    registered    INTEGER NOT NULL,
    should_attend INTEGER NOT NULL,
    present       INTEGER NOT NULL,
    state         TEXT NOT NULL,
    void_reason   TEXT NOT NULL DEFAULT '',
    rerun_by      TEXT NOT NULL DEFAULT '',
    total         TEXT NOT NULL DEFAULT '',
    opened_by     TEXT NOT NULL,
    opened_at     TIMESTAMP NOT NULL,
    closed_by     TEXT NOT NULL DEFAULT '',
    closed_at     TIMESTAMP,
    audit_digest  TEXT NOT NULL DEFAULT '',
    UNIQUE (cycle_id, org_id, committee, round, seq)
);
CREATE TABLE count_units (
    id           INTEGER PRIMARY KEY,
    ballot_id    INTEGER NOT NULL REFERENCES ballots(id),
    seq          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    station_id   INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL,
    resolution   TEXT NOT NULL DEFAULT '',
    tally        TEXT NOT NULL DEFAULT '',
    tally_read   INTEGER NOT NULL DEFAULT 0,
    tally_done   INTEGER NOT NULL DEFAULT 0,
    confirmed_by TEXT NOT NULL DEFAULT '',
    confirmed_at TIMESTAMP,
    audit_digest TEXT NOT NULL DEFAULT '',
    UNIQUE (ballot_id, name)
);
CREATE TABLE count_entries (
    unit_id      INTEGER NOT NULL REFERENCES count_units(id),
    n            INTEGER NOT NULL,
    clerk        TEXT NOT NULL,
    count        TEXT NOT NULL,
    final        INTEGER NOT NULL,
    returned     INTEGER NOT NULL,
    saved_at     TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, n)
);
CREATE TABLE count_differences (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES count_units(id),
    comparison   INTEGER NOT NULL,
    field        TEXT NOT NULL,
    label        TEXT NOT NULL,
    first_value  TEXT NOT NULL,
    second_value TEXT NOT NULL,
    resolution   TEXT NOT NULL DEFAULT '',
    resolved_by  TEXT NOT NULL DEFAULT '',
    resolved_at  TIMESTAMP,
    audit_digest TEXT NOT NULL DEFAULT ''
);
CREATE TABLE count_acks (
    id           INTEGER PRIMARY KEY,
    ballot_id    INTEGER NOT NULL REFERENCES ballots(id),
    unit_id      INTEGER NOT NULL,
    code         TEXT NOT NULL,
    message      TEXT NOT NULL,
    acked_by     TEXT NOT NULL,
    acked_at     TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT ''
);
CREATE TABLE tally_ballots (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES count_units(id),
    seq          INTEGER NOT NULL,
    marks        TEXT NOT NULL,
    valid        INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    read_by      TEXT NOT NULL,
    read_at      TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_id, seq)
);
CREATE INDEX ballots_org ON ballots (org_id, cycle_id, committee);
CREATE INDEX count_units_status ON count_units (status, ballot_id);
CREATE INDEX count_differences_unit ON count_differences (unit_id, comparison);
CREATE INDEX count_acks_ballot ON count_acks (ballot_id, unit_id);
-- +goose StatementBegin
CREATE TRIGGER ballots_audit_insert AFTER INSERT ON ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'ballots', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ballots_audit_update AFTER UPDATE OF cycle_id, org_id, committee, round, seq, day, seats, candidates, registered, should_attend, present, state, void_reason, rerun_by, total, opened_by, opened_at, closed_by, closed_at ON ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ballots', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.round, OLD.seq, OLD.day, OLD.seats, OLD.candidates, OLD.registered, OLD.should_attend, OLD.present, OLD.state, OLD.void_reason, OLD.rerun_by, OLD.total, OLD.opened_by, OLD.opened_at, OLD.closed_by, OLD.closed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ballots_audit_delete AFTER DELETE ON ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ballots', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.round, OLD.seq, OLD.day, OLD.seats, OLD.candidates, OLD.registered, OLD.should_attend, OLD.present, OLD.state, OLD.void_reason, OLD.rerun_by, OLD.total, OLD.opened_by, OLD.opened_at, OLD.closed_by, OLD.closed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_units_audit_insert AFTER INSERT ON count_units BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_units', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_units_audit_update AFTER UPDATE OF ballot_id, seq, name, kind, status, resolution, tally, tally_read, tally_done, confirmed_by, confirmed_at ON count_units BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_units', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.seq, OLD.name, OLD.kind, OLD.status, OLD.resolution, OLD.tally, OLD.tally_read, OLD.tally_done, OLD.confirmed_by, OLD.confirmed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_units_audit_delete AFTER DELETE ON count_units BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_units', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.seq, OLD.name, OLD.kind, OLD.status, OLD.resolution, OLD.tally, OLD.tally_read, OLD.tally_done, OLD.confirmed_by, OLD.confirmed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_entries_audit_insert AFTER INSERT ON count_entries BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_entries', NEW.unit_id, NEW.n);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_entries_audit_update AFTER UPDATE OF clerk, count, final, returned, saved_at ON count_entries BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_entries', OLD.unit_id, OLD.n,
        json_array(OLD.clerk, OLD.count, OLD.final, OLD.returned, OLD.saved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_entries_audit_delete AFTER DELETE ON count_entries BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_entries', OLD.unit_id, OLD.n,
        json_array(OLD.clerk, OLD.count, OLD.final, OLD.returned, OLD.saved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_differences_audit_insert AFTER INSERT ON count_differences BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_differences', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_differences_audit_update AFTER UPDATE OF unit_id, comparison, field, label, first_value, second_value, resolution, resolved_by, resolved_at ON count_differences BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_differences', OLD.id, 0,
        json_array(OLD.unit_id, OLD.comparison, OLD.field, OLD.label, OLD.first_value, OLD.second_value, OLD.resolution, OLD.resolved_by, OLD.resolved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_differences_audit_delete AFTER DELETE ON count_differences BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_differences', OLD.id, 0,
        json_array(OLD.unit_id, OLD.comparison, OLD.field, OLD.label, OLD.first_value, OLD.second_value, OLD.resolution, OLD.resolved_by, OLD.resolved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_acks_audit_insert AFTER INSERT ON count_acks BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_acks', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_acks_audit_update AFTER UPDATE OF ballot_id, unit_id, code, message, acked_by, acked_at ON count_acks BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_acks', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.unit_id, OLD.code, OLD.message, OLD.acked_by, OLD.acked_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_acks_audit_delete AFTER DELETE ON count_acks BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_acks', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.unit_id, OLD.code, OLD.message, OLD.acked_by, OLD.acked_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tally_ballots_audit_insert AFTER INSERT ON tally_ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'tally_ballots', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tally_ballots_audit_update AFTER UPDATE OF unit_id, seq, marks, valid, reason, read_by, read_at ON tally_ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'tally_ballots', OLD.id, 0,
        json_array(OLD.unit_id, OLD.seq, OLD.marks, OLD.valid, OLD.reason, OLD.read_by, OLD.read_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tally_ballots_audit_delete AFTER DELETE ON tally_ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'tally_ballots', OLD.id, 0,
        json_array(OLD.unit_id, OLD.seq, OLD.marks, OLD.valid, OLD.reason, OLD.read_by, OLD.read_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE tally_ballots;
DROP TABLE count_acks;
DROP TABLE count_differences;
DROP TABLE count_entries;
DROP TABLE count_units;
DROP TABLE ballots;
