-- +goose Up
-- The structure targets of each community's predicted slate, computed once
-- and kept (issue 14, point 6): a page of a 10,000-community zone reads
-- these rows instead of evaluating every slate. Derived data: a row is
-- deleted by every write that changes what it was computed from (the
-- slate, the recommendations, the election days, the cycle's days or
-- targets) and computed again by the next read.
CREATE TABLE target_results (
    cycle_id     INTEGER NOT NULL REFERENCES cycles(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    people       INTEGER NOT NULL,
    women        INTEGER NOT NULL,
    young        INTEGER NOT NULL,
    college      INTEGER NOT NULL,
    high         INTEGER NOT NULL,
    cross_people INTEGER NOT NULL,
    age_sum      INTEGER NOT NULL,
    one_shoulder BOOLEAN NOT NULL,
    secretary_age INTEGER NOT NULL,
    united       INTEGER NOT NULL,
    posts        INTEGER NOT NULL,
    met_bits     INTEGER NOT NULL,
    hard_failed  INTEGER NOT NULL,
    results      TEXT NOT NULL,
    PRIMARY KEY (cycle_id, org_id)
);

-- A cycle's version of its inputs: every invalidation adds one, and a read
-- keeps what it computed only if the version did not move meanwhile.
CREATE TABLE target_version (
    cycle_id INTEGER PRIMARY KEY REFERENCES cycles(id),
    version  INTEGER NOT NULL
);

-- +goose Down
DROP TABLE target_version;
DROP TABLE target_results;
