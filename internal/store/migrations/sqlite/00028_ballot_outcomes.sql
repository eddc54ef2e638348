-- +goose Up
-- The outcome the law makes of a confirmed ballot (issue 15, point 5): per
-- post, election.Outcome as JSON, decided when the ballot's count is
-- confirmed, with the settings it was decided under. A protected record:
-- changed behind the platform's back, `huanjie audit verify` names it.
CREATE TABLE ballot_outcomes (
    ballot_id    INTEGER PRIMARY KEY REFERENCES ballots(id),
    valid        INTEGER NOT NULL,
    outcome      TEXT NOT NULL,
    settings     TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   TIMESTAMP NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT ''
);
-- +goose StatementBegin
CREATE TRIGGER ballot_outcomes_audit_insert AFTER INSERT ON ballot_outcomes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'ballot_outcomes', NEW.ballot_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ballot_outcomes_audit_update AFTER UPDATE OF ballot_id, valid, outcome, settings, decided_by, decided_at ON ballot_outcomes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ballot_outcomes', OLD.ballot_id, 0,
        json_array(OLD.valid, OLD.outcome, OLD.settings, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ballot_outcomes_audit_delete AFTER DELETE ON ballot_outcomes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ballot_outcomes', OLD.ballot_id, 0,
        json_array(OLD.valid, OLD.outcome, OLD.settings, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE ballot_outcomes;
