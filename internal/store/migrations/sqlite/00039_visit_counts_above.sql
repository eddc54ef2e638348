-- +goose Up
-- The counts of visit_counts (00035) kept for every unit above the
-- communities too, each the sum of its subtree's (issue 17): a round's
-- coverage of a district, a street or the zone reads its own six rows
-- instead of every community's. Kept by the same writes, in their
-- transaction; `audit verify` counts them again from the registers.
INSERT INTO visit_counts (cycle_id, org_id, round, kind, n)
    SELECT c.cycle_id, u.anc, c.round, c.kind, SUM(c.n)
    FROM visit_counts c JOIN (WITH RECURSIVE up (org_id, anc) AS (
            SELECT id, parent_id FROM orgs WHERE kind = 'community' AND parent_id IS NOT NULL
            UNION ALL SELECT up.org_id, o.parent_id FROM up JOIN orgs o ON o.id = up.anc WHERE o.parent_id IS NOT NULL)
        SELECT org_id, anc FROM up) u ON u.org_id = c.org_id
    GROUP BY c.cycle_id, u.anc, c.round, c.kind;

-- +goose Down
DELETE FROM visit_counts WHERE org_id IN (SELECT id FROM orgs WHERE kind <> 'community');
