-- +goose Up
-- Nothing on SQLite. On PostgreSQL this migration checks a review round's
-- requests against their round, aspirant and department once per statement
-- instead of with a foreign key's trigger call per row (issue 17); SQLite
-- keeps its foreign keys, whose checks are calls in process.
SELECT 1;

-- +goose Down
SELECT 1;
