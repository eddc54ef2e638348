-- +goose Up
-- The seats of each committee of a community in a cycle (issue 14, point
-- 2), checked against the law by slate.Check before they are written.
CREATE TABLE seats (
    cycle_id     BIGINT NOT NULL REFERENCES cycles(id),
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    committee    TEXT NOT NULL,
    full_members INTEGER NOT NULL DEFAULT 0,
    body         TEXT NOT NULL DEFAULT '',
    chief        INTEGER NOT NULL,
    deputies     INTEGER NOT NULL,
    members      INTEGER NOT NULL,
    set_by       TEXT NOT NULL,
    set_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee)
);

-- +goose Down
DROP TABLE seats;
