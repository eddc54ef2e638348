-- +goose Up
-- The third gate's decisive records become protected records (see
-- store/protected.go and migration 00008): the assessment of each person
-- with the party committee's decision, the higher level's approval and the
-- notice, and the objections with their results. Their content is vouched
-- for by the audit log, so a change in the database behind the platform's
-- back is found by `huanjie audit verify`.

ALTER TABLE candidate_assessments ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
CREATE TRIGGER candidate_assessments_audit_insert AFTER INSERT ON candidate_assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'candidate_assessments', NEW.aspirant_id, NEW.cycle_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER candidate_assessments_audit_update AFTER UPDATE OF org_id, talks, talked, excellent, competent, basic, incompetent, opinion, conclusion, assessed_by, assessed_at, decision, decision_day, decision_note, higher_day, higher_doc, notice_start, notice_end ON candidate_assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'candidate_assessments', OLD.aspirant_id, OLD.cycle_id,
        json_array(OLD.org_id, OLD.talks, OLD.talked, OLD.excellent, OLD.competent, OLD.basic, OLD.incompetent, OLD.opinion, OLD.conclusion, OLD.assessed_by, OLD.assessed_at, OLD.decision, OLD.decision_day, OLD.decision_note, OLD.higher_day, OLD.higher_doc, OLD.notice_start, OLD.notice_end), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER candidate_assessments_audit_delete AFTER DELETE ON candidate_assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'candidate_assessments', OLD.aspirant_id, OLD.cycle_id,
        json_array(OLD.org_id, OLD.talks, OLD.talked, OLD.excellent, OLD.competent, OLD.basic, OLD.incompetent, OLD.opinion, OLD.conclusion, OLD.assessed_by, OLD.assessed_at, OLD.decision, OLD.decision_day, OLD.decision_note, OLD.higher_day, OLD.higher_doc, OLD.notice_start, OLD.notice_end), OLD.audit_digest);
END;
-- +goose StatementEnd
ALTER TABLE candidate_objections ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
CREATE TRIGGER candidate_objections_audit_insert AFTER INSERT ON candidate_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'candidate_objections', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER candidate_objections_audit_update AFTER UPDATE OF cycle_id, aspirant_id, day, content, handling, result, recorded_by, recorded_at ON candidate_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'candidate_objections', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.aspirant_id, OLD.day, OLD.content, OLD.handling, OLD.result, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER candidate_objections_audit_delete AFTER DELETE ON candidate_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'candidate_objections', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.aspirant_id, OLD.day, OLD.content, OLD.handling, OLD.result, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER candidate_objections_audit_insert;
DROP TRIGGER candidate_objections_audit_update;
DROP TRIGGER candidate_objections_audit_delete;
ALTER TABLE candidate_objections DROP COLUMN audit_digest;
DROP TRIGGER candidate_assessments_audit_insert;
DROP TRIGGER candidate_assessments_audit_update;
DROP TRIGGER candidate_assessments_audit_delete;
ALTER TABLE candidate_assessments DROP COLUMN audit_digest;
