-- +goose Up
-- The joint review's progress by day (the home page's chart) of the whole
-- zone counts a cycle's requests and those answered before each day from
-- this index alone (issue 17), not from every request joined to its
-- aspirant and community.
CREATE INDEX review_requests_answered ON review_requests (round_id, answered_at);

-- +goose Down
DROP INDEX review_requests_answered;
