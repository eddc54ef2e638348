-- +goose Up
-- The audit log's filters (by unit, actor, action, record) read a table of
-- their own, filled off the request path (store/audit_search.go), and the
-- log keeps no index but its sequence: each index of the log was a page of
-- its own in every write's commit, four of the dozen a review answer wrote
-- on SQLite (issue 17). Entries not yet in it are read from the log's end.
CREATE TABLE audit_search (
    seq       INTEGER PRIMARY KEY,
    org_path  TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL
);
INSERT INTO audit_search (seq, org_path, actor, action, entity, entity_id)
    SELECT seq, org_path, actor, action, entity, entity_id FROM audit_log;
CREATE INDEX audit_search_org ON audit_search(org_path, seq);
CREATE INDEX audit_search_entity ON audit_search(entity, entity_id, seq);
CREATE INDEX audit_search_action ON audit_search(action, seq);
CREATE INDEX audit_search_actor ON audit_search(actor, seq);
DROP INDEX audit_log_org;
DROP INDEX audit_log_entity;
DROP INDEX audit_log_action;
DROP INDEX audit_log_actor;

-- +goose Down
CREATE INDEX audit_log_org ON audit_log(org_path, seq);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_action ON audit_log(action);
CREATE INDEX audit_log_actor ON audit_log(actor);
DROP TABLE audit_search;
