-- +goose Up
-- The 选举结果报告单 of each ballot, filed into its community's archive when
-- the ballot's count is confirmed (issue 15, point 7): which archive entry
-- holds it. One per ballot (the key), so a retried filing never files it
-- twice; a ballot confirmed without one is a report not filed.
CREATE TABLE ballot_reports (
    ballot_id INTEGER PRIMARY KEY REFERENCES ballots(id),
    file_id   INTEGER NOT NULL UNIQUE REFERENCES archive_files(id)
);

-- +goose Down
DROP TABLE ballot_reports;
