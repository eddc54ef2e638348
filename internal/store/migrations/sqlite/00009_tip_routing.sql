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
DROP TRIGGER cases_audit_update;
DROP TRIGGER cases_audit_delete;
-- +goose StatementBegin
CREATE TRIGGER cases_audit_update AFTER UPDATE OF cycle_id, org_id, source, tip_id, summary, parties, status, outcome, outcome_note, created_by, created_at, updated_at, decided_on ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'cases', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at, OLD.decided_on), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_audit_delete AFTER DELETE ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'cases', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at, OLD.decided_on), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cases_audit_update;
DROP TRIGGER cases_audit_delete;
-- +goose StatementBegin
CREATE TRIGGER cases_audit_update AFTER UPDATE OF cycle_id, org_id, source, tip_id, summary, parties, status, outcome, outcome_note, created_by, created_at, updated_at ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'cases', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_audit_delete AFTER DELETE ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'cases', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
ALTER TABLE cases DROP COLUMN decided_on;
ALTER TABLE tips DROP COLUMN routed_to;
