-- +goose Up
-- The data key's fingerprint (issue 12): the check value of the key that
-- sealed the database's ID and phone numbers and keyed their lookup hashes,
-- never the key. A store opened with another key is refused, so that a
-- database restored without its key cannot start sealing under a new one.
ALTER TABLE audit_meta ADD COLUMN data_key_check TEXT NOT NULL DEFAULT '';
-- Set while demo data is loaded into a new database, cleared when all of
-- it is in: a load cut off (kill -9, power) leaves it set, and the next
-- demo or serve starts the database afresh instead of using half a zone.
ALTER TABLE audit_meta ADD COLUMN demo_loading BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE audit_meta DROP COLUMN demo_loading;
ALTER TABLE audit_meta DROP COLUMN data_key_check;
