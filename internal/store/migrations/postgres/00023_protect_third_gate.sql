-- +goose Up
-- The third gate's decisive records become protected records (see
-- store/protected.go and migration 00008): the assessment of each person
-- with the party committee's decision, the higher level's approval and the
-- notice, and the objections with their results. Their content is vouched
-- for by the audit log, so a change in the database behind the platform's
-- back is found by `huanjie audit verify`.

ALTER TABLE candidate_assessments ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
CREATE FUNCTION candidate_assessments_audit_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (txid_current(), 'candidate_assessments', NEW.aspirant_id, NEW.cycle_id);
    ELSE
        INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (txid_current(), 'candidate_assessments', OLD.aspirant_id, OLD.cycle_id,
            json_build_array(OLD.org_id, OLD.talks, OLD.talked, OLD.excellent, OLD.competent, OLD.basic, OLD.incompetent, OLD.opinion, OLD.conclusion, OLD.assessed_by, OLD.assessed_at, OLD.decision, OLD.decision_day, OLD.decision_note, OLD.higher_day, OLD.higher_doc, OLD.notice_start, OLD.notice_end)::text, OLD.audit_digest);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER candidate_assessments_audit AFTER INSERT OR UPDATE OF org_id, talks, talked, excellent, competent, basic, incompetent, opinion, conclusion, assessed_by, assessed_at, decision, decision_day, decision_note, higher_day, higher_doc, notice_start, notice_end OR DELETE ON candidate_assessments
    FOR EACH ROW EXECUTE FUNCTION candidate_assessments_audit_touch();
ALTER TABLE candidate_objections ADD COLUMN audit_digest TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
CREATE FUNCTION candidate_objections_audit_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (txid_current(), 'candidate_objections', NEW.id, 0);
    ELSE
        INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (txid_current(), 'candidate_objections', OLD.id, 0,
            json_build_array(OLD.cycle_id, OLD.aspirant_id, OLD.day, OLD.content, OLD.handling, OLD.result, OLD.recorded_by, OLD.recorded_at)::text, OLD.audit_digest);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER candidate_objections_audit AFTER INSERT OR UPDATE OF cycle_id, aspirant_id, day, content, handling, result, recorded_by, recorded_at OR DELETE ON candidate_objections
    FOR EACH ROW EXECUTE FUNCTION candidate_objections_audit_touch();

-- +goose Down
DROP TRIGGER candidate_objections_audit ON candidate_objections;
DROP FUNCTION candidate_objections_audit_touch();
ALTER TABLE candidate_objections DROP COLUMN audit_digest;
DROP TRIGGER candidate_assessments_audit ON candidate_assessments;
DROP FUNCTION candidate_assessments_audit_touch();
ALTER TABLE candidate_assessments DROP COLUMN audit_digest;
