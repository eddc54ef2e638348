-- +goose Up
-- The results of the two elections (issue 15, points 7 and 8). Records of
-- the vote, so protected records from the start (store/protected.go): the
-- members each committee elected, the party committee's secretary and
-- deputies with the higher level's approval, and every comparison of the
-- predicted slate with the elected (kept, never overwritten). The
-- handover day of each committee is audited, not protected.

-- Who was elected, per community, committee and cycle, in the order given
-- (seq). aspirant_id is NULL for a person written in without an aspirant
-- record; the row carries name, sex, birth date, education and party
-- status either way. post is 委员 for every party committee member until
-- the committee elects its officers. base is what the share of votes is
-- counted on; round the ballot that elected them (election.Round);
-- reelected: a sitting member of that committee in the cycle's members;
-- elected_on the committee's election day when the result was entered, at
-- which age is counted.
CREATE TABLE elected_members (
    id           INTEGER PRIMARY KEY,
    cycle_id     INTEGER NOT NULL REFERENCES cycles(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    committee    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    aspirant_id  INTEGER REFERENCES aspirants(id),
    name         TEXT NOT NULL,
    sex          TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    education    TEXT NOT NULL,
    party        TEXT NOT NULL,
    post         TEXT NOT NULL,
    votes        INTEGER NOT NULL,
    base         INTEGER NOT NULL,
    round        TEXT NOT NULL,
    reelected    BOOLEAN NOT NULL,
    elected_on   TEXT NOT NULL,
    age          INTEGER NOT NULL,
    set_by       TEXT NOT NULL,
    set_at       TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT ''
);
CREATE INDEX elected_members_org ON elected_members(cycle_id, org_id, committee);

-- The party committee's election of its secretary and deputies (their
-- posts are on elected_members) and the higher level's approval.
CREATE TABLE party_officers (
    cycle_id     INTEGER NOT NULL REFERENCES cycles(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    elected_on   TEXT NOT NULL,
    approved_on  TEXT NOT NULL DEFAULT '',
    approval_doc TEXT NOT NULL DEFAULT '',
    set_by       TEXT NOT NULL,
    set_at       TIMESTAMP NOT NULL,
    approved_by  TEXT NOT NULL DEFAULT '',
    approved_at  TIMESTAMP,
    audit_digest TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cycle_id, org_id)
);

-- Predicted vs actual: one row per predicted person each time a
-- committee's elected members or officers are written (generation 1, 2, …
-- per community and committee); the latest generation is the current
-- comparison, the earlier ones its history.
CREATE TABLE slate_matches (
    id            INTEGER PRIMARY KEY,
    cycle_id      INTEGER NOT NULL REFERENCES cycles(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    committee     TEXT NOT NULL,
    generation    INTEGER NOT NULL,
    post          TEXT NOT NULL,
    seat          INTEGER NOT NULL,
    aspirant_id   INTEGER NOT NULL,
    name          TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    elected_post  TEXT NOT NULL DEFAULT '',
    elected_names TEXT NOT NULL DEFAULT '',
    compared_by   TEXT NOT NULL,
    compared_at   TIMESTAMP NOT NULL,
    audit_digest  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX slate_matches_org ON slate_matches(cycle_id, org_id, committee, generation);

-- What each committee's elected members add to the statistics (JSON:
-- store.resultTally), kept by every write of elected_members so that the
-- statistics of a province read one row per committee. Derived, neither
-- audited nor protected.
CREATE TABLE result_tallies (
    cycle_id  INTEGER NOT NULL REFERENCES cycles(id),
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    committee TEXT NOT NULL,
    tally     TEXT NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee)
);

-- The day the outgoing committee handed over to the new one.
CREATE TABLE handovers (
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    committee   TEXT NOT NULL,
    day         TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee)
);

-- +goose StatementBegin
CREATE TRIGGER elected_members_audit_insert AFTER INSERT ON elected_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'elected_members', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER elected_members_audit_update AFTER UPDATE OF cycle_id, org_id, committee, seq, aspirant_id, name, sex, birth_date, education, party, post, votes, base, round, reelected, elected_on, age, set_by, set_at ON elected_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'elected_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.seq, OLD.aspirant_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.post, OLD.votes, OLD.base, OLD.round, OLD.reelected, OLD.elected_on, OLD.age, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER elected_members_audit_delete AFTER DELETE ON elected_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'elected_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.seq, OLD.aspirant_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.post, OLD.votes, OLD.base, OLD.round, OLD.reelected, OLD.elected_on, OLD.age, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_officers_audit_insert AFTER INSERT ON party_officers BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'party_officers', NEW.org_id, NEW.cycle_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_officers_audit_update AFTER UPDATE OF elected_on, approved_on, approval_doc, set_by, set_at, approved_by, approved_at ON party_officers BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_officers', OLD.org_id, OLD.cycle_id,
        json_array(OLD.elected_on, OLD.approved_on, OLD.approval_doc, OLD.set_by, OLD.set_at, OLD.approved_by, OLD.approved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_officers_audit_delete AFTER DELETE ON party_officers BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_officers', OLD.org_id, OLD.cycle_id,
        json_array(OLD.elected_on, OLD.approved_on, OLD.approval_doc, OLD.set_by, OLD.set_at, OLD.approved_by, OLD.approved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER slate_matches_audit_insert AFTER INSERT ON slate_matches BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'slate_matches', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER slate_matches_audit_update AFTER UPDATE OF cycle_id, org_id, committee, generation, post, seat, aspirant_id, name, outcome, elected_post, elected_names, compared_by, compared_at ON slate_matches BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'slate_matches', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.generation, OLD.post, OLD.seat, OLD.aspirant_id, OLD.name, OLD.outcome, OLD.elected_post, OLD.elected_names, OLD.compared_by, OLD.compared_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER slate_matches_audit_delete AFTER DELETE ON slate_matches BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'slate_matches', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.generation, OLD.post, OLD.seat, OLD.aspirant_id, OLD.name, OLD.outcome, OLD.elected_post, OLD.elected_names, OLD.compared_by, OLD.compared_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE handovers;
DROP TABLE result_tallies;
DROP TABLE slate_matches;
DROP TABLE party_officers;
DROP TABLE elected_members;
