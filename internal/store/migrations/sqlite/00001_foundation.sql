-- +goose Up
CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES orgs(id),
    path        TEXT NOT NULL UNIQUE,
    households  INTEGER NOT NULL DEFAULT 0,
    population  INTEGER NOT NULL DEFAULT 0,
    -- totals of the subtree, this unit included (org.Totals)
    tree_zones       INTEGER NOT NULL DEFAULT 0,
    tree_districts   INTEGER NOT NULL DEFAULT 0,
    tree_communities INTEGER NOT NULL DEFAULT 0,
    tree_households  INTEGER NOT NULL DEFAULT 0,
    tree_population  INTEGER NOT NULL DEFAULT 0,
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_kind_path ON orgs(kind, path);

CREATE TABLE cycles (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    election_day TEXT NOT NULL DEFAULT '',
    current      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE departments (
    id    INTEGER PRIMARY KEY,
    code  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL,
    sort  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL,
    scope_org_id        INTEGER REFERENCES orgs(id),
    department_id       INTEGER REFERENCES departments(id),
    password_hash       TEXT NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_attempts (
    attempt_key  TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    first_at     TIMESTAMP NOT NULL,
    locked_until TIMESTAMP NOT NULL
);

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    cycle_id        INTEGER NOT NULL REFERENCES cycles(id),
    name            TEXT NOT NULL,
    sex             TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    committee       TEXT NOT NULL,
    post            TEXT NOT NULL,
    party_member    BOOLEAN NOT NULL,
    education       TEXT NOT NULL DEFAULT '',
    id_number_enc   TEXT NOT NULL DEFAULT '',
    id_number_index TEXT NOT NULL DEFAULT '',
    phone_enc       TEXT NOT NULL DEFAULT '',
    demo            BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX members_org ON members(org_id, cycle_id);
CREATE INDEX members_id_number ON members(id_number_index);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_data TEXT NOT NULL,
    after_data  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_action ON audit_log(action);
CREATE INDEX audit_log_actor ON audit_log(actor);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

INSERT INTO cycles (code, name, election_day, current) VALUES ('2026', '2026年社区两委换届', '', TRUE);

INSERT INTO departments (code, name, sort) VALUES
  ('jwjw', '纪委监委', 1), ('zzb', '组织部', 2), ('tzb', '统战部', 3), ('shgzb', '社会工作部', 4),
  ('zfw', '政法委', 5), ('gaj', '公安局', 6), ('fy', '人民法院', 7), ('jcy', '人民检察院', 8),
  ('sfj', '司法局', 9), ('xfj', '信访局', 10), ('wjj', '卫生健康局', 11), ('mzj', '民政局', 12),
  ('nyncj', '农业农村局', 13), ('zrzyj', '自然资源局', 14), ('zhzfj', '综合行政执法局', 15),
  ('sthjj', '生态环境局', 16), ('swj', '税务局', 17), ('scjgj', '市场监督管理局', 18),
  ('sjj', '审计局', 19), ('rmyh', '人民银行(征信)', 20);

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE members;
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE cycles;
DROP TABLE orgs;
