-- +goose Up
-- The notes of the records a write touches move, on SQLite, to the writer
-- connection's temporary schema (store/touched.go), whose triggers the
-- binary creates on the connection: a note made and taken in the same
-- transaction then never reaches the database file, and a commit writes
-- one page fewer (issue 17). The file's triggers and table go.
DROP TRIGGER IF EXISTS main.aspirants_audit_delete;
DROP TRIGGER IF EXISTS main.aspirants_audit_insert;
DROP TRIGGER IF EXISTS main.aspirants_audit_update;
DROP TRIGGER IF EXISTS main.assessments_audit_delete;
DROP TRIGGER IF EXISTS main.assessments_audit_insert;
DROP TRIGGER IF EXISTS main.assessments_audit_update;
DROP TRIGGER IF EXISTS main.ballot_outcomes_audit_delete;
DROP TRIGGER IF EXISTS main.ballot_outcomes_audit_insert;
DROP TRIGGER IF EXISTS main.ballot_outcomes_audit_update;
DROP TRIGGER IF EXISTS main.ballots_audit_delete;
DROP TRIGGER IF EXISTS main.ballots_audit_insert;
DROP TRIGGER IF EXISTS main.ballots_audit_update;
DROP TRIGGER IF EXISTS main.candidate_assessments_audit_delete;
DROP TRIGGER IF EXISTS main.candidate_assessments_audit_insert;
DROP TRIGGER IF EXISTS main.candidate_assessments_audit_update;
DROP TRIGGER IF EXISTS main.candidate_objections_audit_delete;
DROP TRIGGER IF EXISTS main.candidate_objections_audit_insert;
DROP TRIGGER IF EXISTS main.candidate_objections_audit_update;
DROP TRIGGER IF EXISTS main.case_aspirants_audit_delete;
DROP TRIGGER IF EXISTS main.case_aspirants_audit_insert;
DROP TRIGGER IF EXISTS main.case_aspirants_audit_update;
DROP TRIGGER IF EXISTS main.cases_audit_delete;
DROP TRIGGER IF EXISTS main.cases_audit_insert;
DROP TRIGGER IF EXISTS main.cases_audit_update;
DROP TRIGGER IF EXISTS main.count_acks_audit_delete;
DROP TRIGGER IF EXISTS main.count_acks_audit_insert;
DROP TRIGGER IF EXISTS main.count_acks_audit_update;
DROP TRIGGER IF EXISTS main.count_differences_audit_delete;
DROP TRIGGER IF EXISTS main.count_differences_audit_insert;
DROP TRIGGER IF EXISTS main.count_differences_audit_update;
DROP TRIGGER IF EXISTS main.count_entries_audit_delete;
DROP TRIGGER IF EXISTS main.count_entries_audit_insert;
DROP TRIGGER IF EXISTS main.count_entries_audit_update;
DROP TRIGGER IF EXISTS main.count_units_audit_delete;
DROP TRIGGER IF EXISTS main.count_units_audit_insert;
DROP TRIGGER IF EXISTS main.count_units_audit_update;
DROP TRIGGER IF EXISTS main.elected_members_audit_delete;
DROP TRIGGER IF EXISTS main.elected_members_audit_insert;
DROP TRIGGER IF EXISTS main.elected_members_audit_update;
DROP TRIGGER IF EXISTS main.electorates_audit_delete;
DROP TRIGGER IF EXISTS main.electorates_audit_insert;
DROP TRIGGER IF EXISTS main.electorates_audit_update;
DROP TRIGGER IF EXISTS main.ledger_items_audit_delete;
DROP TRIGGER IF EXISTS main.ledger_items_audit_insert;
DROP TRIGGER IF EXISTS main.ledger_items_audit_update;
DROP TRIGGER IF EXISTS main.party_members_audit_delete;
DROP TRIGGER IF EXISTS main.party_members_audit_insert;
DROP TRIGGER IF EXISTS main.party_members_audit_update;
DROP TRIGGER IF EXISTS main.party_officers_audit_delete;
DROP TRIGGER IF EXISTS main.party_officers_audit_insert;
DROP TRIGGER IF EXISTS main.party_officers_audit_update;
DROP TRIGGER IF EXISTS main.polling_stations_audit_delete;
DROP TRIGGER IF EXISTS main.polling_stations_audit_insert;
DROP TRIGGER IF EXISTS main.polling_stations_audit_update;
DROP TRIGGER IF EXISTS main.programme_dispositions_audit_delete;
DROP TRIGGER IF EXISTS main.programme_dispositions_audit_insert;
DROP TRIGGER IF EXISTS main.programme_dispositions_audit_update;
DROP TRIGGER IF EXISTS main.programme_goals_audit_delete;
DROP TRIGGER IF EXISTS main.programme_goals_audit_insert;
DROP TRIGGER IF EXISTS main.programme_goals_audit_update;
DROP TRIGGER IF EXISTS main.programme_milestones_audit_delete;
DROP TRIGGER IF EXISTS main.programme_milestones_audit_insert;
DROP TRIGGER IF EXISTS main.programme_milestones_audit_update;
DROP TRIGGER IF EXISTS main.programmes_audit_delete;
DROP TRIGGER IF EXISTS main.programmes_audit_insert;
DROP TRIGGER IF EXISTS main.programmes_audit_update;
DROP TRIGGER IF EXISTS main.proxies_audit_delete;
DROP TRIGGER IF EXISTS main.proxies_audit_insert;
DROP TRIGGER IF EXISTS main.proxies_audit_update;
DROP TRIGGER IF EXISTS main.review_decisions_audit_delete;
DROP TRIGGER IF EXISTS main.review_decisions_audit_insert;
DROP TRIGGER IF EXISTS main.review_decisions_audit_update;
DROP TRIGGER IF EXISTS main.review_requests_audit_delete;
DROP TRIGGER IF EXISTS main.review_requests_audit_update;
DROP TRIGGER IF EXISTS main.slate_matches_audit_delete;
DROP TRIGGER IF EXISTS main.slate_matches_audit_insert;
DROP TRIGGER IF EXISTS main.slate_matches_audit_update;
DROP TRIGGER IF EXISTS main.standings_audit_delete;
DROP TRIGGER IF EXISTS main.standings_audit_insert;
DROP TRIGGER IF EXISTS main.standings_audit_update;
DROP TRIGGER IF EXISTS main.station_staff_audit_delete;
DROP TRIGGER IF EXISTS main.station_staff_audit_insert;
DROP TRIGGER IF EXISTS main.station_staff_audit_update;
DROP TRIGGER IF EXISTS main.tally_ballots_audit_delete;
DROP TRIGGER IF EXISTS main.tally_ballots_audit_insert;
DROP TRIGGER IF EXISTS main.tally_ballots_audit_update;
DROP TRIGGER IF EXISTS main.unit_stations_audit_delete;
DROP TRIGGER IF EXISTS main.unit_stations_audit_insert;
DROP TRIGGER IF EXISTS main.unit_stations_audit_update;
DROP TRIGGER IF EXISTS main.voter_objections_audit_delete;
DROP TRIGGER IF EXISTS main.voter_objections_audit_insert;
DROP TRIGGER IF EXISTS main.voter_objections_audit_update;
DROP TRIGGER IF EXISTS main.voters_audit_delete;
DROP TRIGGER IF EXISTS main.voters_audit_insert;
DROP TRIGGER IF EXISTS main.voters_audit_update;
DROP TRIGGER IF EXISTS main.written_in_details_audit_delete;
DROP TRIGGER IF EXISTS main.written_in_details_audit_insert;
DROP TRIGGER IF EXISTS main.written_in_details_audit_update;
DROP TABLE main.audit_touched;

-- +goose Down
CREATE TABLE audit_touched (
    n          INTEGER PRIMARY KEY,
    txid       BIGINT NOT NULL,
    tbl        TEXT NOT NULL,
    k1         BIGINT NOT NULL,
    k2         BIGINT NOT NULL,
    old        TEXT,
    old_digest TEXT
);
-- +goose StatementBegin
CREATE TRIGGER aspirants_audit_delete AFTER DELETE ON aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'aspirants', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.id_sealed, OLD.id_index, OLD.phone_sealed, OLD.sex, OLD.age, OLD.ethnicity, OLD.party, OLD.committee, OLD.post, OLD.cross_post, OLD.education, OLD.current_post, OLD.photo, OLD.status, OLD.reviewed, OLD.findings, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
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
CREATE TRIGGER assessments_audit_delete AFTER DELETE ON assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'assessments', OLD.id, 0,
        json_array(OLD.org_id, OLD.cycle_id, OLD.assessed_on, OLD.assessors, OLD.findings, OLD.scores, OLD.total, OLD.max_total, OLD.computed_class, OLD.explanation, OLD.created_by, OLD.created_at), OLD.audit_digest);
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
CREATE TRIGGER ballot_outcomes_audit_delete AFTER DELETE ON ballot_outcomes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ballot_outcomes', OLD.ballot_id, 0,
        json_array(OLD.valid, OLD.outcome, OLD.settings, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd
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
CREATE TRIGGER ballots_audit_delete AFTER DELETE ON ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ballots', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.round, OLD.seq, OLD.day, OLD.seats, OLD.candidates, OLD.registered, OLD.should_attend, OLD.present, OLD.state, OLD.void_reason, OLD.rerun_by, OLD.total, OLD.opened_by, OLD.opened_at, OLD.closed_by, OLD.closed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ballots_audit_insert AFTER INSERT ON ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'ballots', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ballots_audit_update AFTER UPDATE OF cycle_id, org_id, committee, round, seq, day, seats, candidates, registered, should_attend, present, state, void_reason, rerun_by, total, opened_by, opened_at, closed_by, closed_at ON ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ballots', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.round, OLD.seq, OLD.day, OLD.seats, OLD.candidates, OLD.registered, OLD.should_attend, OLD.present, OLD.state, OLD.void_reason, OLD.rerun_by, OLD.total, OLD.opened_by, OLD.opened_at, OLD.closed_by, OLD.closed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER candidate_assessments_audit_delete AFTER DELETE ON candidate_assessments BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'candidate_assessments', OLD.aspirant_id, OLD.cycle_id,
        json_array(OLD.org_id, OLD.talks, OLD.talked, OLD.excellent, OLD.competent, OLD.basic, OLD.incompetent, OLD.opinion, OLD.conclusion, OLD.assessed_by, OLD.assessed_at, OLD.decision, OLD.decision_day, OLD.decision_note, OLD.higher_day, OLD.higher_doc, OLD.notice_start, OLD.notice_end), OLD.audit_digest);
END;
-- +goose StatementEnd
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
CREATE TRIGGER candidate_objections_audit_delete AFTER DELETE ON candidate_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'candidate_objections', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.aspirant_id, OLD.day, OLD.content, OLD.handling, OLD.result, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
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
CREATE TRIGGER case_aspirants_audit_delete AFTER DELETE ON case_aspirants BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'case_aspirants', OLD.case_id, OLD.aspirant_id,
        json_array(OLD.case_id, OLD.aspirant_id), OLD.audit_digest);
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
CREATE TRIGGER cases_audit_delete AFTER DELETE ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'cases', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at, OLD.decided_on), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_audit_insert AFTER INSERT ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'cases', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_audit_update AFTER UPDATE OF cycle_id, org_id, source, tip_id, summary, parties, status, outcome, outcome_note, created_by, created_at, updated_at, decided_on ON cases BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'cases', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.tip_id, OLD.summary, OLD.parties, OLD.status, OLD.outcome, OLD.outcome_note, OLD.created_by, OLD.created_at, OLD.updated_at, OLD.decided_on), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_acks_audit_delete AFTER DELETE ON count_acks BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_acks', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.unit_id, OLD.code, OLD.message, OLD.acked_by, OLD.acked_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_acks_audit_insert AFTER INSERT ON count_acks BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_acks', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_acks_audit_update AFTER UPDATE OF ballot_id, unit_id, code, message, acked_by, acked_at ON count_acks BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_acks', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.unit_id, OLD.code, OLD.message, OLD.acked_by, OLD.acked_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_differences_audit_delete AFTER DELETE ON count_differences BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_differences', OLD.id, 0,
        json_array(OLD.unit_id, OLD.comparison, OLD.field, OLD.label, OLD.first_value, OLD.second_value, OLD.resolution, OLD.resolved_by, OLD.resolved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_differences_audit_insert AFTER INSERT ON count_differences BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_differences', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_differences_audit_update AFTER UPDATE OF unit_id, comparison, field, label, first_value, second_value, resolution, resolved_by, resolved_at ON count_differences BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_differences', OLD.id, 0,
        json_array(OLD.unit_id, OLD.comparison, OLD.field, OLD.label, OLD.first_value, OLD.second_value, OLD.resolution, OLD.resolved_by, OLD.resolved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_entries_audit_delete AFTER DELETE ON count_entries BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_entries', OLD.unit_id, OLD.n,
        json_array(OLD.clerk, OLD.count, OLD.final, OLD.returned, OLD.saved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_entries_audit_insert AFTER INSERT ON count_entries BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_entries', NEW.unit_id, NEW.n);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_entries_audit_update AFTER UPDATE OF clerk, count, final, returned, saved_at ON count_entries BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_entries', OLD.unit_id, OLD.n,
        json_array(OLD.clerk, OLD.count, OLD.final, OLD.returned, OLD.saved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_units_audit_delete AFTER DELETE ON count_units BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_units', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.seq, OLD.name, OLD.kind, OLD.status, OLD.resolution, OLD.tally, OLD.tally_read, OLD.tally_done, OLD.confirmed_by, OLD.confirmed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_units_audit_insert AFTER INSERT ON count_units BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'count_units', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER count_units_audit_update AFTER UPDATE OF ballot_id, seq, name, kind, status, resolution, tally, tally_read, tally_done, confirmed_by, confirmed_at ON count_units BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'count_units', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.seq, OLD.name, OLD.kind, OLD.status, OLD.resolution, OLD.tally, OLD.tally_read, OLD.tally_done, OLD.confirmed_by, OLD.confirmed_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER elected_members_audit_delete AFTER DELETE ON elected_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'elected_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.seq, OLD.aspirant_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.post, OLD.votes, OLD.base, OLD.round, OLD.reelected, OLD.elected_on, OLD.age, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER elected_members_audit_insert AFTER INSERT ON elected_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'elected_members', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER elected_members_audit_update AFTER UPDATE OF cycle_id, org_id, committee, seq, aspirant_id, name, sex, birth_date, education, party, post, votes, base, round, reelected, elected_on, age, set_by, set_at ON elected_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'elected_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.seq, OLD.aspirant_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.post, OLD.votes, OLD.base, OLD.round, OLD.reelected, OLD.elected_on, OLD.age, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER electorates_audit_delete AFTER DELETE ON electorates BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'electorates', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.mode, OLD.published_on, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER electorates_audit_insert AFTER INSERT ON electorates BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'electorates', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER electorates_audit_update AFTER UPDATE OF cycle_id, org_id, mode, published_on, updated_by, updated_at ON electorates BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'electorates', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.mode, OLD.published_on, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_items_audit_delete AFTER DELETE ON ledger_items BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'ledger_items', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.source, OLD.source_ref, OLD.content, OLD.risk, OLD.owner, OLD.leader, OLD.due_on, OLD.status, OLD.closed_on, OLD.closing_note, OLD.closing_file, OLD.created_on, OLD.created_by, OLD.created_at, OLD.updated_at), OLD.audit_digest);
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
CREATE TRIGGER party_members_audit_delete AFTER DELETE ON party_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.status, OLD.excused, OLD.present, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_members_audit_insert AFTER INSERT ON party_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'party_members', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_members_audit_update AFTER UPDATE OF cycle_id, org_id, name, sex, birth_date, status, excused, present, created_by, created_at ON party_members BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_members', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.status, OLD.excused, OLD.present, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_officers_audit_delete AFTER DELETE ON party_officers BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_officers', OLD.org_id, OLD.cycle_id,
        json_array(OLD.elected_on, OLD.approved_on, OLD.approval_doc, OLD.set_by, OLD.set_at, OLD.approved_by, OLD.approved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_officers_audit_insert AFTER INSERT ON party_officers BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'party_officers', NEW.org_id, NEW.cycle_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER party_officers_audit_update AFTER UPDATE OF elected_on, approved_on, approval_doc, set_by, set_at, approved_by, approved_at ON party_officers BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'party_officers', OLD.org_id, OLD.cycle_id,
        json_array(OLD.elected_on, OLD.approved_on, OLD.approval_doc, OLD.set_by, OLD.set_at, OLD.approved_by, OLD.approved_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER polling_stations_audit_delete AFTER DELETE ON polling_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'polling_stations', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.name, OLD.kind, OLD.place, OLD.opens, OLD.closes, OLD.route, OLD.serves, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER polling_stations_audit_insert AFTER INSERT ON polling_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'polling_stations', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER polling_stations_audit_update AFTER UPDATE OF cycle_id, org_id, committee, name, kind, place, opens, closes, route, serves, created_by, created_at ON polling_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'polling_stations', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.name, OLD.kind, OLD.place, OLD.opens, OLD.closes, OLD.route, OLD.serves, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_dispositions_audit_delete AFTER DELETE ON programme_dispositions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_dispositions', OLD.visit_id, 0,
        json_array(OLD.programme_id, OLD.outcome, OLD.goal_id, OLD.note, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_dispositions_audit_insert AFTER INSERT ON programme_dispositions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programme_dispositions', NEW.visit_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_dispositions_audit_update AFTER UPDATE OF programme_id, outcome, goal_id, note, decided_by, decided_at ON programme_dispositions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_dispositions', OLD.visit_id, 0,
        json_array(OLD.programme_id, OLD.outcome, OLD.goal_id, OLD.note, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_goals_audit_delete AFTER DELETE ON programme_goals BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_goals', OLD.id, 0,
        json_array(OLD.programme_id, OLD.seq, OLD.title, OLD.area, OLD.measures, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_goals_audit_insert AFTER INSERT ON programme_goals BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programme_goals', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_goals_audit_update AFTER UPDATE OF programme_id, seq, title, area, measures, created_by, created_at, updated_by, updated_at ON programme_goals BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_goals', OLD.id, 0,
        json_array(OLD.programme_id, OLD.seq, OLD.title, OLD.area, OLD.measures, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_milestones_audit_delete AFTER DELETE ON programme_milestones BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_milestones', OLD.id, 0,
        json_array(OLD.goal_id, OLD.year, OLD.text, OLD.state, OLD.note, OLD.reported_on, OLD.reported_by, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_milestones_audit_insert AFTER INSERT ON programme_milestones BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programme_milestones', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programme_milestones_audit_update AFTER UPDATE OF goal_id, year, text, state, note, reported_on, reported_by, set_by, set_at ON programme_milestones BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programme_milestones', OLD.id, 0,
        json_array(OLD.goal_id, OLD.year, OLD.text, OLD.state, OLD.note, OLD.reported_on, OLD.reported_by, OLD.set_by, OLD.set_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programmes_audit_delete AFTER DELETE ON programmes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programmes', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.title, OLD.start_year, OLD.end_year, OLD.status, OLD.adopted_on, OLD.meeting, OLD.document, OLD.archive_file_id, OLD.adopted_by, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programmes_audit_insert AFTER INSERT ON programmes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'programmes', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER programmes_audit_update AFTER UPDATE OF cycle_id, org_id, title, start_year, end_year, status, adopted_on, meeting, document, archive_file_id, adopted_by, created_by, created_at, updated_by, updated_at ON programmes BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'programmes', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.title, OLD.start_year, OLD.end_year, OLD.status, OLD.adopted_on, OLD.meeting, OLD.document, OLD.archive_file_id, OLD.adopted_by, OLD.created_by, OLD.created_at, OLD.updated_by, OLD.updated_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxies_audit_delete AFTER DELETE ON proxies BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'proxies', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.giver_id, OLD.holder_id, OLD.relation, OLD.written_on, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxies_audit_insert AFTER INSERT ON proxies BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'proxies', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxies_audit_update AFTER UPDATE OF cycle_id, org_id, giver_id, holder_id, relation, written_on, created_by, created_at ON proxies BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'proxies', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.giver_id, OLD.holder_id, OLD.relation, OLD.written_on, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_decisions_audit_delete AFTER DELETE ON review_decisions BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'review_decisions', OLD.id, 0,
        json_array(OLD.meeting_id, OLD.aspirant_id, OLD.outcome, OLD.condition, OLD.case_id, OLD.persuaded_by, OLD.persuaded_on, OLD.withdrawn, OLD.persuasion_note, OLD.note, OLD.decided_by, OLD.decided_at), OLD.audit_digest);
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
CREATE TRIGGER review_requests_audit_delete AFTER DELETE ON review_requests BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'review_requests', OLD.id, 0,
        json_array(OLD.round_id, OLD.aspirant_id, OLD.department_id, OLD.deadline, OLD.verdict, OLD.conditions, OLD.note, OLD.attachment, OLD.answered_by, OLD.answered_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER review_requests_audit_update AFTER UPDATE OF round_id, aspirant_id, department_id, deadline, verdict, conditions, note, attachment, answered_by, answered_at ON review_requests BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'review_requests', OLD.id, 0,
        json_array(OLD.round_id, OLD.aspirant_id, OLD.department_id, OLD.deadline, OLD.verdict, OLD.conditions, OLD.note, OLD.attachment, OLD.answered_by, OLD.answered_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER slate_matches_audit_delete AFTER DELETE ON slate_matches BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'slate_matches', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.generation, OLD.post, OLD.seat, OLD.aspirant_id, OLD.name, OLD.outcome, OLD.elected_post, OLD.elected_names, OLD.compared_by, OLD.compared_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER slate_matches_audit_insert AFTER INSERT ON slate_matches BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'slate_matches', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER slate_matches_audit_update AFTER UPDATE OF cycle_id, org_id, committee, generation, post, seat, aspirant_id, name, outcome, elected_post, elected_names, compared_by, compared_at ON slate_matches BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'slate_matches', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.committee, OLD.generation, OLD.post, OLD.seat, OLD.aspirant_id, OLD.name, OLD.outcome, OLD.elected_post, OLD.elected_names, OLD.compared_by, OLD.compared_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER standings_audit_delete AFTER DELETE ON standings BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'standings', OLD.org_id, OLD.cycle_id,
        json_array(OLD.assessment_id, OLD.computed_class, OLD.override_class, OLD.override_reason, OLD.override_by, OLD.override_at, OLD.class), OLD.audit_digest);
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
CREATE TRIGGER station_staff_audit_delete AFTER DELETE ON station_staff BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'station_staff', OLD.id, 0,
        json_array(OLD.station_id, OLD.role, OLD.name, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER station_staff_audit_insert AFTER INSERT ON station_staff BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'station_staff', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER station_staff_audit_update AFTER UPDATE OF station_id, role, name, created_by, created_at ON station_staff BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'station_staff', OLD.id, 0,
        json_array(OLD.station_id, OLD.role, OLD.name, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tally_ballots_audit_delete AFTER DELETE ON tally_ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'tally_ballots', OLD.id, 0,
        json_array(OLD.unit_id, OLD.seq, OLD.marks, OLD.valid, OLD.reason, OLD.read_by, OLD.read_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tally_ballots_audit_insert AFTER INSERT ON tally_ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'tally_ballots', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tally_ballots_audit_update AFTER UPDATE OF unit_id, seq, marks, valid, reason, read_by, read_at ON tally_ballots BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'tally_ballots', OLD.id, 0,
        json_array(OLD.unit_id, OLD.seq, OLD.marks, OLD.valid, OLD.reason, OLD.read_by, OLD.read_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_stations_audit_delete AFTER DELETE ON unit_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'unit_stations', OLD.unit_id, 0,
        json_array(OLD.station_id), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_stations_audit_insert AFTER INSERT ON unit_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'unit_stations', NEW.unit_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_stations_audit_update AFTER UPDATE OF unit_id, station_id ON unit_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'unit_stations', OLD.unit_id, 0,
        json_array(OLD.station_id), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voter_objections_audit_delete AFTER DELETE ON voter_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voter_objections', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.filed_on, OLD.filer, OLD.kind, OLD.voter_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.reg_kind, OLD.reason, OLD.decision, OLD.answer, OLD.answered_on, OLD.answered_by, OLD.result_voter, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voter_objections_audit_insert AFTER INSERT ON voter_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'voter_objections', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voter_objections_audit_update AFTER UPDATE OF cycle_id, org_id, filed_on, filer, kind, voter_id, name, sex, birth_date, group_name, reg_kind, reason, decision, answer, answered_on, answered_by, result_voter, recorded_by, recorded_at ON voter_objections BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voter_objections', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.filed_on, OLD.filer, OLD.kind, OLD.voter_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.reg_kind, OLD.reason, OLD.decision, OLD.answer, OLD.answered_on, OLD.answered_by, OLD.result_voter, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voters_audit_delete AFTER DELETE ON voters BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voters', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.kind, OLD.source, OLD.removed_on, OLD.removed_reason, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voters_audit_insert AFTER INSERT ON voters BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'voters', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER voters_audit_update AFTER UPDATE OF cycle_id, org_id, name, sex, birth_date, group_name, kind, source, removed_on, removed_reason, created_by, created_at ON voters BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'voters', OLD.id, 0,
        json_array(OLD.cycle_id, OLD.org_id, OLD.name, OLD.sex, OLD.birth_date, OLD.group_name, OLD.kind, OLD.source, OLD.removed_on, OLD.removed_reason, OLD.created_by, OLD.created_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER written_in_details_audit_delete AFTER DELETE ON written_in_details BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'written_in_details', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER written_in_details_audit_insert AFTER INSERT ON written_in_details BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'written_in_details', NEW.id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER written_in_details_audit_update AFTER UPDATE OF ballot_id, name, sex, birth_date, education, party, recorded_by, recorded_at ON written_in_details BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'written_in_details', OLD.id, 0,
        json_array(OLD.ballot_id, OLD.name, OLD.sex, OLD.birth_date, OLD.education, OLD.party, OLD.recorded_by, OLD.recorded_at), OLD.audit_digest);
END;
-- +goose StatementEnd
