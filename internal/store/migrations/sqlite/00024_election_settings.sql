-- +goose Up
-- A cycle's election rules (issue 15) when the office changed them
-- (absent: election.DefaultSettings), as JSON read over the defaults, so a
-- setting added later takes its default in cycles saved before it.
CREATE TABLE election_settings (
    cycle_id INTEGER PRIMARY KEY REFERENCES cycles(id),
    settings TEXT NOT NULL
);

-- +goose Down
DROP TABLE election_settings;
