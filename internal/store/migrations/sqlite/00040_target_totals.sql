-- +goose Up
-- The structure targets' figures summed for every unit above the
-- communities (issue 17): the targets page of a district, a street or a
-- zone of 100,000 communities reads its own row instead of summing every
-- community's kept results. Derived, like target_results: kept by the
-- writes that keep or forget results (store/target_totals.go). The kept
-- results are forgotten here (the next read computes them again) so that
-- each carries its community's path, by which those failing a hard target
-- are found in tree order without reading the others.
DELETE FROM target_results;
ALTER TABLE target_results ADD COLUMN path TEXT NOT NULL DEFAULT '';
CREATE INDEX target_results_failing ON target_results (cycle_id, path) WHERE hard_failed > 0;

CREATE TABLE target_totals (
    cycle_id          INTEGER NOT NULL REFERENCES cycles(id),
    org_id            INTEGER NOT NULL REFERENCES orgs(id),
    communities       INTEGER NOT NULL,
    united            INTEGER NOT NULL,
    posts             INTEGER NOT NULL,
    failing           INTEGER NOT NULL,
    with_lineup       INTEGER NOT NULL,
    one_shoulder      INTEGER NOT NULL,
    secretaries       INTEGER NOT NULL,
    secretary_age_sum INTEGER NOT NULL,
    people            INTEGER NOT NULL,
    women             INTEGER NOT NULL,
    young             INTEGER NOT NULL,
    college           INTEGER NOT NULL,
    high              INTEGER NOT NULL,
    cross_people      INTEGER NOT NULL,
    age_sum           INTEGER NOT NULL,
    PRIMARY KEY (cycle_id, org_id)
);

-- Per unit, the communities meeting each target (its bit in met_bits).
CREATE TABLE target_totals_met (
    cycle_id INTEGER NOT NULL REFERENCES cycles(id),
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    bit      INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (cycle_id, org_id, bit)
);

-- +goose Down
DROP TABLE target_totals_met;
DROP TABLE target_totals;
DROP INDEX target_results_failing;
ALTER TABLE target_results DROP COLUMN path;
