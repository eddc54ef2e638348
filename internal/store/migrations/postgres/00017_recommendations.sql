-- +goose Up
-- The two recommendations (两推, issue 14 point 3): for each committee of a
-- community in a cycle, the party members' recommendation (source 'party')
-- and the residents' or their representatives' (source 'public', kind
-- 'masses' or 'delegates'), checked by slate.ValidateRecommendation before
-- they are written; entering one again replaces it with its votes.
CREATE TABLE recommendations (
    cycle_id  BIGINT NOT NULL REFERENCES cycles(id),
    org_id    BIGINT NOT NULL REFERENCES orgs(id),
    committee TEXT NOT NULL,
    source    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    expected  INTEGER NOT NULL,
    present   INTEGER NOT NULL,
    day       TEXT NOT NULL,
    set_by    TEXT NOT NULL,
    set_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee, source)
);

-- The votes each aspirant received per post in one recommendation.
CREATE TABLE recommendation_votes (
    cycle_id    BIGINT NOT NULL,
    org_id      BIGINT NOT NULL,
    committee   TEXT NOT NULL,
    source      TEXT NOT NULL,
    aspirant_id BIGINT NOT NULL REFERENCES aspirants(id),
    post        TEXT NOT NULL,
    votes       INTEGER NOT NULL,
    PRIMARY KEY (cycle_id, org_id, committee, source, aspirant_id, post),
    FOREIGN KEY (cycle_id, org_id, committee, source) REFERENCES recommendations (cycle_id, org_id, committee, source) ON DELETE CASCADE
);
CREATE INDEX recommendation_votes_aspirant ON recommendation_votes (aspirant_id);

-- +goose Down
DROP TABLE recommendation_votes;
DROP TABLE recommendations;
