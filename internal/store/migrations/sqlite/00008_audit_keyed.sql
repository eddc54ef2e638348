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
    id        INTEGER PRIMARY KEY CHECK (id = 1),
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

-- +goose StatementBegin
CREATE TRIGGER aspirants_audit_insert AFTER INSERT ON aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'aspirants', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aspirants_audit_update AFTER UPDATE ON aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'aspirants', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aspirants_audit_delete AFTER DELETE ON aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'aspirants', OLD.id, 0);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER review_requests_audit_update AFTER UPDATE OF verdict, conditions, note, attachment, answered_by, answered_at ON review_requests BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'review_requests', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_requests_audit_delete AFTER DELETE ON review_requests BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'review_requests', OLD.id, 0);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER review_decisions_audit_insert AFTER INSERT ON review_decisions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'review_decisions', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_decisions_audit_update AFTER UPDATE ON review_decisions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'review_decisions', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_decisions_audit_delete AFTER DELETE ON review_decisions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'review_decisions', OLD.id, 0);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_audit_insert AFTER INSERT ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'cases', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_audit_update AFTER UPDATE ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'cases', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_audit_delete AFTER DELETE ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'cases', OLD.id, 0);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER case_aspirants_audit_insert AFTER INSERT ON case_aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'case_aspirants', NEW.case_id, NEW.aspirant_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_aspirants_audit_update AFTER UPDATE ON case_aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'case_aspirants', NEW.case_id, NEW.aspirant_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_aspirants_audit_delete AFTER DELETE ON case_aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'case_aspirants', OLD.case_id, OLD.aspirant_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER assessments_audit_insert AFTER INSERT ON assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'assessments', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assessments_audit_update AFTER UPDATE ON assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'assessments', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assessments_audit_delete AFTER DELETE ON assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'assessments', OLD.id, 0);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER standings_audit_insert AFTER INSERT ON standings BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'standings', NEW.org_id, NEW.cycle_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER standings_audit_update AFTER UPDATE OF assessment_id, computed_class, override_class, override_reason, override_by, override_at, class ON standings BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'standings', NEW.org_id, NEW.cycle_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER standings_audit_delete AFTER DELETE ON standings BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'standings', OLD.org_id, OLD.cycle_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ledger_items_audit_insert AFTER INSERT ON ledger_items BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'ledger_items', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_items_audit_update AFTER UPDATE ON ledger_items BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'ledger_items', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_items_audit_delete AFTER DELETE ON ledger_items BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'ledger_items', OLD.id, 0);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER aspirants_audit_insert;
DROP TRIGGER aspirants_audit_update;
DROP TRIGGER aspirants_audit_delete;
DROP TRIGGER review_requests_audit_update;
DROP TRIGGER review_requests_audit_delete;
DROP TRIGGER review_decisions_audit_insert;
DROP TRIGGER review_decisions_audit_update;
DROP TRIGGER review_decisions_audit_delete;
DROP TRIGGER cases_audit_insert;
DROP TRIGGER cases_audit_update;
DROP TRIGGER cases_audit_delete;
DROP TRIGGER case_aspirants_audit_insert;
DROP TRIGGER case_aspirants_audit_update;
DROP TRIGGER case_aspirants_audit_delete;
DROP TRIGGER assessments_audit_insert;
DROP TRIGGER assessments_audit_update;
DROP TRIGGER assessments_audit_delete;
DROP TRIGGER standings_audit_insert;
DROP TRIGGER standings_audit_update;
DROP TRIGGER standings_audit_delete;
DROP TRIGGER ledger_items_audit_insert;
DROP TRIGGER ledger_items_audit_update;
DROP TRIGGER ledger_items_audit_delete;
DROP TABLE audit_touched;
DROP TABLE audit_meta;
DROP INDEX audit_log_org;
ALTER TABLE audit_log DROP COLUMN digests;
ALTER TABLE audit_log DROP COLUMN org_path;
