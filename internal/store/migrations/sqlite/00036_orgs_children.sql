-- +goose Up
-- A unit's children in code order with their paths (issue 17): the home
-- page lists the first 100 of a zone's 1,250 districts and counts those in
-- the reader's scope, and every tree page lists a unit's children. With
-- only orgs(parent_id) both read every child's row and the list sorted
-- them in a temporary B-tree; this index gives them in order, and the
-- count and the scope's bounds are read from it alone.
CREATE INDEX orgs_children ON orgs (parent_id, code, path);
DROP INDEX orgs_parent;

-- +goose Down
CREATE INDEX orgs_parent ON orgs (parent_id);
DROP INDEX orgs_children;
