-- +goose Up
-- The audit log keyed by the instance (issue 11). Entries are sealed with an
-- HMAC under a key kept outside the database (audit_meta records which
-- version of sealing the log uses and a check value of the key, never the
-- key), name the unit they concern (org_path, so a scoped account reads only
-- its subtree's entries) and carry keyed digests of the protected records
-- they wrote (digests). Triggers note every write to a protected table in
-- audit_touched; the platform turns its own transaction's notes into
-- digests before it commits (store/protected.go).
ALTER TABLE audit_log ADD COLUMN org_path TEXT NOT NULL DEFAULT '/';
ALTER TABLE audit_log ADD COLUMN digests TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_org ON audit_log(org_path, seq);

CREATE TABLE audit_meta (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    scheme    INTEGER NOT NULL,
    key_check TEXT NOT NULL
);
INSERT INTO audit_meta (id, scheme, key_check) VALUES (1, 1, '');

CREATE TABLE audit_touched (
    txid BIGINT NOT NULL,
    tbl  TEXT NOT NULL,
    k1   BIGINT NOT NULL,
    k2   BIGINT NOT NULL
);
CREATE INDEX audit_touched_tx ON audit_touched(txid);

-- One function for every protected table: its arguments name the key columns.
-- +goose StatementBegin
CREATE FUNCTION audit_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := to_jsonb(OLD);
    ELSE
        r := to_jsonb(NEW);
    END IF;
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (txid_current(), TG_TABLE_NAME,
        (r ->> TG_ARGV[0])::bigint, CASE WHEN TG_NARGS > 1 THEN (r ->> TG_ARGV[1])::bigint ELSE 0 END);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER aspirants_audit AFTER INSERT OR UPDATE OR DELETE ON aspirants
    FOR EACH ROW EXECUTE FUNCTION audit_touch('id');
CREATE TRIGGER review_requests_audit AFTER UPDATE OF verdict, conditions, note, attachment, answered_by, answered_at OR DELETE ON review_requests
    FOR EACH ROW EXECUTE FUNCTION audit_touch('id');
CREATE TRIGGER review_decisions_audit AFTER INSERT OR UPDATE OR DELETE ON review_decisions
    FOR EACH ROW EXECUTE FUNCTION audit_touch('id');
CREATE TRIGGER cases_audit AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION audit_touch('id');
CREATE TRIGGER case_aspirants_audit AFTER INSERT OR UPDATE OR DELETE ON case_aspirants
    FOR EACH ROW EXECUTE FUNCTION audit_touch('case_id', 'aspirant_id');
CREATE TRIGGER assessments_audit AFTER INSERT OR UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION audit_touch('id');
CREATE TRIGGER standings_audit AFTER INSERT OR UPDATE OF assessment_id, computed_class, override_class, override_reason, override_by, override_at, class OR DELETE ON standings
    FOR EACH ROW EXECUTE FUNCTION audit_touch('org_id', 'cycle_id');
CREATE TRIGGER ledger_items_audit AFTER INSERT OR UPDATE OR DELETE ON ledger_items
    FOR EACH ROW EXECUTE FUNCTION audit_touch('id');

-- +goose Down
DROP TRIGGER aspirants_audit ON aspirants;
DROP TRIGGER review_requests_audit ON review_requests;
DROP TRIGGER review_decisions_audit ON review_decisions;
DROP TRIGGER cases_audit ON cases;
DROP TRIGGER case_aspirants_audit ON case_aspirants;
DROP TRIGGER assessments_audit ON assessments;
DROP TRIGGER standings_audit ON standings;
DROP TRIGGER ledger_items_audit ON ledger_items;
DROP FUNCTION audit_touch();
DROP TABLE audit_touched;
DROP TABLE audit_meta;
DROP INDEX audit_log_org;
ALTER TABLE audit_log DROP COLUMN digests;
ALTER TABLE audit_log DROP COLUMN org_path;
