-- +goose Up
-- 包保责任: who answers for a district or community in a cycle.
CREATE TABLE assignments (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    duty       TEXT NOT NULL,
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL,
    phone_enc  TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX assignments_org ON assignments(org_id, cycle_id);
CREATE INDEX assignments_user ON assignments(user_id);

-- +goose Down
DROP TABLE assignments;
