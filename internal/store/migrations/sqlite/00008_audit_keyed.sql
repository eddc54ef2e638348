-- +goose Up
-- The audit log keyed by the instance (issue 11). Entries are sealed with an
-- HMAC under a key kept outside the database (audit_meta records which
-- version of sealing the log uses and a check value of the key, never the
-- key), name the unit they concern (org_path, so a scoped account reads only
-- its subtree's entries) and carry keyed digests of the protected records
-- they wrote (digests). Each protected record keeps its last digest
-- (audit_digest). Triggers note every write to a protected table in
-- audit_touched with the record's content before it (old, as the JSON array
-- of the columns store/protected.go declares, and old_digest); the platform
-- turns its own transaction's notes into digests before it commits, and
-- raises an alarm when the content before no longer matched its digest.
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
    n          INTEGER PRIMARY KEY,
    txid       BIGINT NOT NULL,
    tbl        TEXT NOT NULL,
    k1         BIGINT NOT NULL,
    k2         BIGINT NOT NULL,
    old        TEXT,
    old_digest TEXT
);
ALTER TABLE aspirants ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE review_requests ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE review_decisions ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE case_aspirants ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE standings ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_items ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';

-- +goose StatementBegin
CREATE TRIGGER aspirants_audit_insert AFTER INSERT ON aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'aspirants', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aspirants_audit_update AFTER UPDATE OF cycle_id, org_id, name, id_sealed, id_index, phone_sealed, sex, age, ethnicity, party, committee, post, cross_post, education, current_post, photo, status, reviewed, findings, created_by, created_at, updated_at ON aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'aspirants', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.id_sealed, OLD.id_index, OLD.phone_sealed, OLD.sex, OLD.age, OLD.ethnicity, OLD.party, OLD.committee, OLD.post, OLD.cross_post, OLD.education, OLD.current_post, OLD.photo, OLD.status, OLD.reviewed, OLD.findings, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aspirants_audit_delete AFTER DELETE ON aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'aspirants', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.id_sealed, OLD.id_index, OLD.phone_sealed, OLD.sex, OLD.age, OLD.ethnicity, OLD.party, OLD.committee, OLD.post, OLD.cross_post, OLD.education, OLD.current_post, OLD.photo, OLD.status, OLD.reviewed, OLD.findings, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- A request is created blank by a round (millions at once): only its answer is noted.
-- +goose StatementBegin
CREATE TRIGGER review_requests_audit_update AFTER UPDATE OF round_id, aspirant_id, department_id, deadline, verdict, conditions, note, attachment, answered_by, answered_at ON review_requests BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'review_requests', OLD.id, 0,
        json_array(OLD.round_id, OLD.aspirant_id, OLD.department_id, OLD.deadline, OLD.verdict, OLD.conditions, OLD.note, OLD.attachment, OLD.answered_by, OLD.answered_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_requests_audit_delete AFTER DELETE ON review_requests BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'review_requests', OLD.id, 0,
        json_array(OLD.round_id, OLD.aspirant_id, OLD.department_id, OLD.deadline, OLD.verdict, OLD.conditions, OLD.note, OLD.attachment, OLD.answered_by, OLD.answered_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER review_decisions_audit_insert AFTER INSERT ON review_decisions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'review_decisions', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_decisions_audit_update AFTER UPDATE OF meeting_id, aspirant_id, outcome, condition, case_id, persuaded_by, persuaded_on, withdrawn, persuasion_note, note, decided_by, decided_at ON review_decisions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'review_decisions', OLD.id, 0,
        json_array(OLD.meeting_id, OLD.aspirant_id, OLD.outcome, OLD.condition, OLD.case_id, OLD.persuaded_by, OLD.persuaded_on, OLD.withdrawn, OLD.persuasion_note, OLD.note, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_decisions_audit_delete AFTER DELETE ON review_decisions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'review_decisions', OLD.id, 0,
        json_array(OLD.meeting_id, OLD.aspirant_id, OLD.outcome, OLD.condition, OLD.case_id, OLD.persuaded_by, OLD.persuaded_on, OLD.withdrawn, OLD.persuasion_note, OLD.note, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_audit_insert AFTER INSERT ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'cases', NEW.id, 0);
END;
-- +goose StatementEnd
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

-- +goose StatementBegin
CREATE TRIGGER case_aspirants_audit_insert AFTER INSERT ON case_aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'case_aspirants', NEW.case_id, NEW.aspirant_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_aspirants_audit_update AFTER UPDATE OF case_id, aspirant_id ON case_aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'case_aspirants', OLD.case_id, OLD.aspirant_id,
        json_array(OLD.case_id, OLD.aspirant_id), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_aspirants_audit_delete AFTER DELETE ON case_aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'case_aspirants', OLD.case_id, OLD.aspirant_id,
        json_array(OLD.case_id, OLD.aspirant_id), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER assessments_audit_insert AFTER INSERT ON assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'assessments', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assessments_audit_update AFTER UPDATE OF org_id, cycle_id, assessed_on, assessors, findings, scores, total, max_total, computed_class, explanation, created_by, created_at ON assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'assessments', OLD.id, 0,
        json_array(OLD.org_id, OLD.cycle_id, OLD.assessed_on, OLD.assessors, OLD.findings, OLD.scores, OLD.total, OLD.max_total, OLD.computed_class, OLD.explanation, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assessments_audit_delete AFTER DELETE ON assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'assessments', OLD.id, 0,
        json_array(OLD.org_id, OLD.cycle_id, OLD.assessed_on, OLD.assessors, OLD.findings, OLD.scores, OLD.total, OLD.max_total, OLD.computed_class, OLD.explanation, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER standings_audit_insert AFTER INSERT ON standings BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'standings', NEW.org_id, NEW.cycle_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER standings_audit_update AFTER UPDATE OF assessment_id, computed_class, override_class, override_reason, override_by, override_at, class ON standings BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'standings', OLD.org_id, OLD.cycle_id,
        json_array(OLD.assessment_id, OLD.computed_class, OLD.override_class, OLD.override_reason, OLD.override_by, OLD.override_at, OLD.class), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER standings_audit_delete AFTER DELETE ON standings BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'standings', OLD.org_id, OLD.cycle_id,
        json_array(OLD.assessment_id, OLD.computed_class, OLD.override_class, OLD.override_reason, OLD.override_by, OLD.override_at, OLD.class), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ledger_items_audit_insert AFTER INSERT ON ledger_items BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'ledger_items', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_items_audit_update AFTER UPDATE OF cycle_id, org_id, source, source_ref, content, risk, owner, leader, due_on, status, closed_on, closing_note, closing_file, created_on, created_by, created_at, updated_at ON ledger_items BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ledger_items', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.source_ref, OLD.content, OLD.risk, OLD.owner, OLD.leader, OLD.due_on, OLD.status, OLD.closed_on, OLD.closing_note, OLD.closing_file, OLD.created_on, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_items_audit_delete AFTER DELETE ON ledger_items BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ledger_items', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.source_ref, OLD.content, OLD.risk, OLD.owner, OLD.leader, OLD.due_on, OLD.status, OLD.closed_on, OLD.closing_note, OLD.closing_file, OLD.created_on, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER aspirants_audit_insert;
DROP TRIGGER aspirants_audit_update;
DROP TRIGGER aspirants_audit_delete;
ALTER TABLE aspirants DROP COLUMN audit_digest;
DROP TRIGGER review_requests_audit_update;
DROP TRIGGER review_requests_audit_delete;
ALTER TABLE review_requests DROP COLUMN audit_digest;
DROP TRIGGER review_decisions_audit_insert;
DROP TRIGGER review_decisions_audit_update;
DROP TRIGGER review_decisions_audit_delete;
ALTER TABLE review_decisions DROP COLUMN audit_digest;
DROP TRIGGER cases_audit_insert;
DROP TRIGGER cases_audit_update;
DROP TRIGGER cases_audit_delete;
ALTER TABLE cases DROP COLUMN audit_digest;
DROP TRIGGER case_aspirants_audit_insert;
DROP TRIGGER case_aspirants_audit_update;
DROP TRIGGER case_aspirants_audit_delete;
ALTER TABLE case_aspirants DROP COLUMN audit_digest;
DROP TRIGGER assessments_audit_insert;
DROP TRIGGER assessments_audit_update;
DROP TRIGGER assessments_audit_delete;
ALTER TABLE assessments DROP COLUMN audit_digest;
DROP TRIGGER standings_audit_insert;
DROP TRIGGER standings_audit_update;
DROP TRIGGER standings_audit_delete;
ALTER TABLE standings DROP COLUMN audit_digest;
DROP TRIGGER ledger_items_audit_insert;
DROP TRIGGER ledger_items_audit_update;
DROP TRIGGER ledger_items_audit_delete;
ALTER TABLE ledger_items DROP COLUMN audit_digest;
DROP TABLE main.audit_touched; -- main: every connection has a temporary one since 00046 (store/touched.go)
DROP TABLE audit_meta;
DROP INDEX audit_log_org;
ALTER TABLE audit_log DROP COLUMN digests;
ALTER TABLE audit_log DROP COLUMN org_path;
