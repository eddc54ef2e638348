-- +goose Up
-- The formal candidate lists (正式候选人, issue 14 point 7): per community
-- and committee in a cycle, the day the list was posted, and its
-- candidates by post. A candidate who withdrew keeps its row with the day,
-- the reason and who replaced them (replaced_by 0 and a note when nobody
-- could); a replacement has its own posting day and the person it
-- replaces. A new cycle does not carry these over.
CREATE TABLE formal_lists (
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    committee  TEXT NOT NULL,
    posted_on  TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    set_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee)
);
CREATE TABLE formal_candidates (
    cycle_id        INTEGER NOT NULL,
    org_id          INTEGER NOT NULL,
    committee       TEXT NOT NULL,
    aspirant_id     INTEGER NOT NULL REFERENCES aspirants(id),
    post            TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    posted_on       TEXT NOT NULL,
    replaces        INTEGER NOT NULL DEFAULT 0,
    withdrawn_on    TEXT NOT NULL DEFAULT '',
    withdraw_reason TEXT NOT NULL DEFAULT '',
    replaced_by     INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cycle_id, org_id, committee, aspirant_id),
    FOREIGN KEY (cycle_id, org_id, committee) REFERENCES formal_lists (cycle_id, org_id, committee) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE formal_candidates;
DROP TABLE formal_lists;
