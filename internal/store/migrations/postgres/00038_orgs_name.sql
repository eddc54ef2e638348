-- +goose Up
-- Units by name (issue 17): where a scope holds too many communities for a
-- select, forms take the community's name or code typed (UnitsNamed), and
-- a zone of 100,000 communities must not be read to find one by name.
CREATE INDEX orgs_name ON orgs (name, path);

-- +goose Down
DROP INDEX orgs_name;
