-- +goose Up
-- A review round's requests have their round, aspirant and department
-- checked once per statement, not once per row (issue 17). A foreign key
-- checks each new row with a trigger call of its own: three calls a
-- request, two thirds of the time of a round of 2,000,000 requests, though
-- the round's INSERT … SELECT takes every id from the parents it joins. In
-- their place:
--  * after an INSERT into review_requests, the distinct rounds, departments
--    and aspirants its rows name are locked FOR KEY SHARE, as a foreign key
--    locks each (no parent can then be deleted before the insert commits),
--    and the statement is refused if any of them does not exist;
--  * a request's round, aspirant and department never change;
--  * deleting a round, aspirant or department that a request names is
--    refused, and so is changing its id or truncating its table while
--    requests exist, as the foreign keys refused them (NO ACTION).
-- SQLite keeps its foreign keys: there a check is a call in process, and
-- the round takes 12 s of its 20.
ALTER TABLE review_requests
    DROP CONSTRAINT review_requests_round_id_fkey,
    DROP CONSTRAINT review_requests_aspirant_id_fkey,
    DROP CONSTRAINT review_requests_department_id_fkey;

-- +goose StatementBegin
CREATE FUNCTION review_requests_check_parents() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
    locked BIGINT;
BEGIN
    -- Each parent once, however many requests name it: its distinct ids,
    -- then the rows with those ids locked; fewer rows than ids is a
    -- request naming a parent that does not exist.
    SELECT array_agg(DISTINCT round_id) INTO ids FROM added;
    PERFORM 1 FROM review_rounds WHERE id = ANY (ids) FOR KEY SHARE;
    GET DIAGNOSTICS locked = ROW_COUNT;
    IF locked = cardinality(ids) THEN
        SELECT array_agg(DISTINCT department_id) INTO ids FROM added;
        PERFORM 1 FROM departments WHERE id = ANY (ids) FOR KEY SHARE;
        GET DIAGNOSTICS locked = ROW_COUNT;
    END IF;
    IF locked = cardinality(ids) THEN
        SELECT array_agg(DISTINCT aspirant_id) INTO ids FROM added;
        PERFORM 1 FROM aspirants WHERE id = ANY (ids) FOR KEY SHARE;
        GET DIAGNOSTICS locked = ROW_COUNT;
    END IF;
    IF locked <> cardinality(ids) THEN
        RAISE EXCEPTION 'review_requests: a request names a round, aspirant or department that does not exist'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER review_requests_parents AFTER INSERT ON review_requests
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION review_requests_check_parents();

-- +goose StatementBegin
CREATE FUNCTION review_requests_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%: a key that review requests name cannot change', TG_TABLE_NAME
        USING ERRCODE = 'foreign_key_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER review_requests_keys BEFORE UPDATE OF round_id, aspirant_id, department_id ON review_requests
    FOR EACH ROW WHEN (OLD.round_id <> NEW.round_id OR OLD.aspirant_id <> NEW.aspirant_id OR OLD.department_id <> NEW.department_id)
    EXECUTE FUNCTION review_requests_refuse_change();
CREATE TRIGGER review_requests_round_key BEFORE UPDATE OF id ON review_rounds
    FOR EACH ROW WHEN (OLD.id <> NEW.id) EXECUTE FUNCTION review_requests_refuse_change();
CREATE TRIGGER review_requests_aspirant_key BEFORE UPDATE OF id ON aspirants
    FOR EACH ROW WHEN (OLD.id <> NEW.id) EXECUTE FUNCTION review_requests_refuse_change();
CREATE TRIGGER review_requests_department_key BEFORE UPDATE OF id ON departments
    FOR EACH ROW WHEN (OLD.id <> NEW.id) EXECUTE FUNCTION review_requests_refuse_change();

-- +goose StatementBegin
CREATE FUNCTION review_requests_check_gone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    named BOOLEAN;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        named := EXISTS (SELECT 1 FROM review_requests);
    ELSE
        -- TG_ARGV[0]: the column of review_requests that names the table's rows.
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM gone g JOIN review_requests q ON q.%I = g.id)', TG_ARGV[0]) INTO named;
    END IF;
    IF named THEN
        RAISE EXCEPTION '%: review requests name the rows deleted', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER review_requests_round_gone AFTER DELETE ON review_rounds
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION review_requests_check_gone('round_id');
CREATE TRIGGER review_requests_aspirant_gone AFTER DELETE ON aspirants
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION review_requests_check_gone('aspirant_id');
CREATE TRIGGER review_requests_department_gone AFTER DELETE ON departments
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION review_requests_check_gone('department_id');
CREATE TRIGGER review_requests_rounds_truncated BEFORE TRUNCATE ON review_rounds
    FOR EACH STATEMENT EXECUTE FUNCTION review_requests_check_gone();
CREATE TRIGGER review_requests_aspirants_truncated BEFORE TRUNCATE ON aspirants
    FOR EACH STATEMENT EXECUTE FUNCTION review_requests_check_gone();
CREATE TRIGGER review_requests_departments_truncated BEFORE TRUNCATE ON departments
    FOR EACH STATEMENT EXECUTE FUNCTION review_requests_check_gone();

-- +goose Down
DROP TRIGGER review_requests_departments_truncated ON departments;
DROP TRIGGER review_requests_aspirants_truncated ON aspirants;
DROP TRIGGER review_requests_rounds_truncated ON review_rounds;
DROP TRIGGER review_requests_department_gone ON departments;
DROP TRIGGER review_requests_aspirant_gone ON aspirants;
DROP TRIGGER review_requests_round_gone ON review_rounds;
DROP FUNCTION review_requests_check_gone();
DROP TRIGGER review_requests_department_key ON departments;
DROP TRIGGER review_requests_aspirant_key ON aspirants;
DROP TRIGGER review_requests_round_key ON review_rounds;
DROP TRIGGER review_requests_keys ON review_requests;
DROP FUNCTION review_requests_refuse_change();
DROP TRIGGER review_requests_parents ON review_requests;
DROP FUNCTION review_requests_check_parents();
ALTER TABLE review_requests
    ADD CONSTRAINT review_requests_round_id_fkey FOREIGN KEY (round_id) REFERENCES review_rounds(id),
    ADD CONSTRAINT review_requests_aspirant_id_fkey FOREIGN KEY (aspirant_id) REFERENCES aspirants(id),
    ADD CONSTRAINT review_requests_department_id_fkey FOREIGN KEY (department_id) REFERENCES departments(id);
