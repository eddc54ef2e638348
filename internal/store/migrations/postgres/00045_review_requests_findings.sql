-- +goose Up
-- Whether an aspirant has findings (settling the aspirants after a
-- department's answers, issue 17) read from the few requests answered with
-- findings, not from every request of the aspirant: each department's
-- batch asks it for every aspirant, whose forty requests were read to find
-- none (PostgreSQL: 25 ms a thousand aspirants, 5 ms with this index).
CREATE INDEX review_requests_findings ON review_requests(aspirant_id) WHERE verdict = 'findings';

-- +goose Down
DROP INDEX review_requests_findings;
