-- +goose Up
-- Account care on the users page (issue 13, point 6).
-- must_change_password: set when an office resets the password to a
-- one-time one; the user must choose their own before anything else.
-- last_login_at: the last successful sign-in, shown on the users page.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMP;
-- account_key ties the lockout records of one account (per account and
-- source, and per account) to it, so that an office can unlock it: the
-- attempt keys are keyed hashes that cannot be read back. NULL for the
-- per-source records, which belong to no account.
ALTER TABLE login_attempts ADD COLUMN account_key TEXT;
CREATE INDEX login_attempts_account ON login_attempts(account_key);

-- +goose Down
DROP INDEX login_attempts_account;
ALTER TABLE login_attempts DROP COLUMN account_key;
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE users DROP COLUMN must_change_password;
