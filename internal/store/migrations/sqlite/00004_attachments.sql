-- +goose Up
-- Files attached to an assessment; the content is in the file store, named
-- by its SHA-256.
CREATE TABLE assessment_attachments (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    sha256        TEXT NOT NULL,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX assessment_attachments_assessment ON assessment_attachments(assessment_id);
CREATE INDEX assessment_attachments_sha ON assessment_attachments(sha256);

-- +goose Down
DROP TABLE assessment_attachments;
