-- +goose Up
-- Per unit and cycle, the communities of its subtree (itself included) by
-- class in force, kept like the subtree totals on orgs so that the overview
-- reads one row per unit instead of every community. Unassessed is the
-- unit's tree_communities less these three. Filled from the standings here;
-- kept up to date wherever a class in force moves (store/class_totals.go).
CREATE TABLE class_totals (
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id INTEGER NOT NULL REFERENCES cycles(id),
    a        INTEGER NOT NULL DEFAULT 0,
    b        INTEGER NOT NULL DEFAULT 0,
    c        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, cycle_id)
);

INSERT INTO class_totals (org_id, cycle_id, a, b, c)
SELECT u.id, s.cycle_id,
       SUM(CASE WHEN s.class = 'A' THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.class = 'B' THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.class = 'C' THEN 1 ELSE 0 END)
FROM orgs u
JOIN orgs o ON o.path >= u.path AND o.path < substr(u.path, 1, length(u.path) - 1) || '0'
JOIN standings s ON s.org_id = o.id
GROUP BY u.id, s.cycle_id;

-- +goose Down
DROP TABLE class_totals;
