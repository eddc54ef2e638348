-- +goose Up
-- What becomes of the results after a ballot is confirmed (issue 15,
-- point 5): a person written in (另选他人) and elected has no aspirant
-- record, so the office enters what a member needs (sex, birth date,
-- education, party status) per ballot and name; a protected record, since
-- it decides who may take the seat. The committee's members are set once
-- every person its valid ballots elected is known.
CREATE TABLE written_in_details (
    id           INTEGER PRIMARY KEY,
    ballot_id    INTEGER NOT NULL REFERENCES ballots(id),
    name         TEXT NOT NULL,
    sex          TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    education    TEXT NOT NULL,
    party        TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT '',
    UNIQUE (ballot_id, name)
);
-- +goose StatementBegin
CREATE TRIGGER written_in_details_audit_insert AFTER INSERT ON written_in_details BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'written_in_details', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER written_in_details_audit_update AFTER UPDATE OF ballot_id, name, sex, birth_date, education, party, recorded_by, recorded_at ON written_in_details BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'written_in_details', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER written_in_details_audit_delete AFTER DELETE ON written_in_details BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'written_in_details', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- Why a committee's members could not be set from its valid ballots (a
-- person written in whose details are missing, a refusal of the members'
-- rules), kept by every recomputation of the members and deleted when they
-- are set. Derived from the ballots, their outcomes and the details (all
-- protected); the recomputation's audit entry says the same; not audited
-- itself, as result_tallies.
CREATE TABLE results_pending (
    cycle_id  INTEGER NOT NULL REFERENCES cycles(id),
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    committee TEXT NOT NULL,
    reason    TEXT NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee)
);

-- A ballot confirmed and later declared void by hand (the higher level
-- found the vote void): its report stays in the archive as it was filed,
-- and a workbook of the void decision with the report as it now stands is
-- filed beside it, once per ballot (the key), as ballot_reports.
CREATE TABLE ballot_void_notes (
    ballot_id INTEGER PRIMARY KEY REFERENCES ballots(id),
    file_id   INTEGER NOT NULL UNIQUE REFERENCES archive_files(id)
);

-- +goose Down
DROP TABLE ballot_void_notes;
DROP TABLE results_pending;
DROP TABLE written_in_details;
