-- +goose Up
-- What the platform's servers must share when an office runs more than one
-- on one database (issue 17): rate limits and annotated import workbooks
-- used to live in each process's memory.

-- A rate limit's bucket (account.Bucket): its theoretical arrival time in
-- Unix nanoseconds; the bucket is full at any time after it. Buckets of
-- clients are named by keyed hashes of their sources, never an address.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    tat    BIGINT NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits (tat);

-- A refused import's workbook marked with its errors, for the account that
-- made the import to download for half an hour. The body is sealed with the
-- data key (it holds the rows it was given, ID numbers among them) together
-- with its owner and token, so a row moved to another account does not open.
CREATE TABLE annotated_files (
    token_hash TEXT PRIMARY KEY,
    owner_id   BIGINT NOT NULL,
    body       TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX annotated_files_expiry ON annotated_files (expires_at);

-- +goose Down
DROP TABLE annotated_files;
DROP TABLE rate_limits;
