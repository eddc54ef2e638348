-- +goose Up
-- SQLite's notes of the records a write touches moved to the writer
-- connection's temporary schema (store/touched.go). PostgreSQL keeps its
-- table and triggers: its writers run side by side, and each note carries
-- the id of the transaction that made it.
SELECT 1;

-- +goose Down
SELECT 1;
