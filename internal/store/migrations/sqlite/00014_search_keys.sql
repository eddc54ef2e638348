-- +goose Up
-- One search box (issue 13, point 4) finds people, units and documents by
-- Chinese name, full pinyin ("zhangsan") and pinyin initials ("zs"). The
-- pinyin of a name is computed by the store (store/search.go) and kept here,
-- indexed, so a search reads an index instead of converting 100,000 names.
-- NULL means "not computed yet": rows written before this migration, or
-- whose name changed (the triggers below clear it). The store fills every
-- NULL row at startup and in each write transaction before it commits.
-- Only names are keyed: ID and phone numbers stay sealed and unsearchable.
ALTER TABLE orgs ADD COLUMN name_pinyin TEXT;
ALTER TABLE orgs ADD COLUMN name_initials TEXT;
ALTER TABLE members ADD COLUMN name_pinyin TEXT;
ALTER TABLE members ADD COLUMN name_initials TEXT;
ALTER TABLE aspirants ADD COLUMN name_pinyin TEXT;
ALTER TABLE aspirants ADD COLUMN name_initials TEXT;
ALTER TABLE users ADD COLUMN name_pinyin TEXT;
ALTER TABLE users ADD COLUMN name_initials TEXT;
ALTER TABLE archive_files ADD COLUMN name_pinyin TEXT;
ALTER TABLE archive_files ADD COLUMN name_initials TEXT;
CREATE INDEX orgs_name_pinyin ON orgs(name_pinyin);
CREATE INDEX orgs_name_initials ON orgs(name_initials);
CREATE INDEX members_name_pinyin ON members(name_pinyin);
CREATE INDEX members_name_initials ON members(name_initials);
CREATE INDEX aspirants_name_pinyin ON aspirants(name_pinyin);
CREATE INDEX aspirants_name_initials ON aspirants(name_initials);
CREATE INDEX users_name_pinyin ON users(name_pinyin);
CREATE INDEX users_name_initials ON users(name_initials);
CREATE INDEX archive_files_name_pinyin ON archive_files(name_pinyin);
CREATE INDEX archive_files_name_initials ON archive_files(name_initials);

-- +goose StatementBegin
CREATE TRIGGER orgs_name_unkeyed AFTER UPDATE OF name ON orgs WHEN NEW.name IS NOT OLD.name BEGIN
    UPDATE orgs SET name_pinyin = NULL, name_initials = NULL WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER members_name_unkeyed AFTER UPDATE OF name ON members WHEN NEW.name IS NOT OLD.name BEGIN
    UPDATE members SET name_pinyin = NULL, name_initials = NULL WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER aspirants_name_unkeyed AFTER UPDATE OF name ON aspirants WHEN NEW.name IS NOT OLD.name BEGIN
    UPDATE aspirants SET name_pinyin = NULL, name_initials = NULL WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_name_unkeyed AFTER UPDATE OF display_name ON users WHEN NEW.display_name IS NOT OLD.display_name BEGIN
    UPDATE users SET name_pinyin = NULL, name_initials = NULL WHERE id = NEW.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER archive_files_name_unkeyed AFTER UPDATE OF name ON archive_files WHEN NEW.name IS NOT OLD.name BEGIN
    UPDATE archive_files SET name_pinyin = NULL, name_initials = NULL WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER archive_files_name_unkeyed;
DROP TRIGGER users_name_unkeyed;
DROP TRIGGER aspirants_name_unkeyed;
DROP TRIGGER members_name_unkeyed;
DROP TRIGGER orgs_name_unkeyed;
DROP INDEX archive_files_name_initials;
DROP INDEX archive_files_name_pinyin;
DROP INDEX users_name_initials;
DROP INDEX users_name_pinyin;
DROP INDEX aspirants_name_initials;
DROP INDEX aspirants_name_pinyin;
DROP INDEX members_name_initials;
DROP INDEX members_name_pinyin;
DROP INDEX orgs_name_initials;
DROP INDEX orgs_name_pinyin;
ALTER TABLE archive_files DROP COLUMN name_initials;
ALTER TABLE archive_files DROP COLUMN name_pinyin;
ALTER TABLE users DROP COLUMN name_initials;
ALTER TABLE users DROP COLUMN name_pinyin;
ALTER TABLE aspirants DROP COLUMN name_initials;
ALTER TABLE aspirants DROP COLUMN name_pinyin;
ALTER TABLE members DROP COLUMN name_initials;
ALTER TABLE members DROP COLUMN name_pinyin;
ALTER TABLE orgs DROP COLUMN name_initials;
ALTER TABLE orgs DROP COLUMN name_pinyin;
