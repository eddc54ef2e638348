-- +goose Up
-- Tips routed to the police (issue 11): the office or the discipline
-- commission may route a tip to 公安机关 in triage; police accounts see only
-- the tips routed to them. '' is not routed.
ALTER TABLE tips ADD COLUMN routed_to TEXT NOT NULL DEFAULT '';
-- The day a case's outcome was decided, which the office sees with the
-- outcome (not the investigation). '' for cases decided before this column,
-- whose day is read from updated_at.
ALTER TABLE cases ADD COLUMN decided_on TEXT NOT NULL DEFAULT '';

-- The decision day is part of a case's protected content (store/protected.go):
-- its triggers note it from now on.
DROP TRIGGER cases_audit ON cases;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_audit_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (txid_current(), 'cases', NEW.id, 0);
    ELSE
        INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (txid_current(), 'cases', OLD.id, 0,
            json_build_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at, OLD.decided_on)::text, OLD.audit_digest);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_audit AFTER INSERT OR UPDATE OF cycle_id, org_id, source, tip_id, summary, parties, status, outcome, outcome_note, created_by, created_at, updated_at, decided_on OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_audit_touch();

-- +goose Down
DROP TRIGGER cases_audit ON cases;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_audit_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (txid_current(), 'cases', NEW.id, 0);
    ELSE
        INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (txid_current(), 'cases', OLD.id, 0,
            json_build_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at)::text, OLD.audit_digest);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_audit AFTER INSERT OR UPDATE OF cycle_id, org_id, source, tip_id, summary, parties, status, outcome, outcome_note, created_by, created_at, updated_at OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_audit_touch();
ALTER TABLE cases DROP COLUMN decided_on;
ALTER TABLE tips DROP COLUMN routed_to;
