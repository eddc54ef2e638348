-- +goose Up
-- The outcome the law makes of a confirmed ballot (issue 15, point 5): per
-- post, election.Outcome as JSON, decided when the ballot's count is
-- confirmed, with the settings it was decided under. A protected record:
-- changed behind the platform's back, `huanjie audit verify` names it.
CREATE TABLE ballot_outcomes (
    ballot_id    BIGINT PRIMARY KEY REFERENCES ballots(id),
    valid        INTEGER NOT NULL,
    outcome      TEXT NOT NULL,
    settings     TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   TIMESTAMPTZ NOT NULL,
    audit_digest TEXT NOT NULL DEFAULT ''
);
-- +goose StatementBegin
CREATE FUNCTION ballot_outcomes_audit_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (txid_current(), 'ballot_outcomes', NEW.ballot_id, 0);
    ELSE
        INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (txid_current(), 'ballot_outcomes', OLD.ballot_id, 0,
            json_build_array(OLD.valid, OLD.outcome, OLD.settings, OLD.decided_by, OLD.decided_at)::text, OLD.audit_digest);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER ballot_outcomes_audit AFTER INSERT OR UPDATE OF ballot_id, valid, outcome, settings, decided_by, decided_at OR DELETE ON ballot_outcomes
    FOR EACH ROW EXECUTE FUNCTION ballot_outcomes_audit_touch();

-- +goose Down
DROP TABLE ballot_outcomes;
DROP FUNCTION ballot_outcomes_audit_touch();
