-- +goose Up
-- One search box (issue 13, point 4) finds people, units and documents by
-- Chinese name, full pinyin ("zhangsan") and pinyin initials ("zs"). The
-- pinyin of a name is computed by the store (store/search.go) and kept here,
-- indexed, so a search reads an index instead of converting 100,000 names.
-- NULL means "not computed yet": rows written before this migration, or
-- whose name changed (the trigger below clears it). The store fills every
-- NULL row at startup and in each write transaction before it commits.
-- Only names are keyed: ID and phone numbers stay sealed and unsearchable.
ALTER TABLE orgs ADD COLUMN name_pinyin TEXT COLLATE "C";
ALTER TABLE orgs ADD COLUMN name_initials TEXT COLLATE "C";
ALTER TABLE members ADD COLUMN name_pinyin TEXT COLLATE "C";
ALTER TABLE members ADD COLUMN name_initials TEXT COLLATE "C";
ALTER TABLE aspirants ADD COLUMN name_pinyin TEXT COLLATE "C";
ALTER TABLE aspirants ADD COLUMN name_initials TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN name_pinyin TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN name_initials TEXT COLLATE "C";
ALTER TABLE archive_files ADD COLUMN name_pinyin TEXT COLLATE "C";
ALTER TABLE archive_files ADD COLUMN name_initials TEXT COLLATE "C";
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

-- Pinyin keys are compared as bytes ("zs" <= key < "zs{"), hence COLLATE "C".
-- +goose StatementBegin
CREATE FUNCTION search_name_unkeyed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.name_pinyin := NULL;
    NEW.name_initials := NULL;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER orgs_name_unkeyed BEFORE UPDATE OF name ON orgs FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
    EXECUTE FUNCTION search_name_unkeyed();
CREATE TRIGGER members_name_unkeyed BEFORE UPDATE OF name ON members FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
    EXECUTE FUNCTION search_name_unkeyed();
CREATE TRIGGER aspirants_name_unkeyed BEFORE UPDATE OF name ON aspirants FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
    EXECUTE FUNCTION search_name_unkeyed();
CREATE TRIGGER users_name_unkeyed BEFORE UPDATE OF display_name ON users FOR EACH ROW WHEN (NEW.display_name IS DISTINCT FROM OLD.display_name)
    EXECUTE FUNCTION search_name_unkeyed();
CREATE TRIGGER archive_files_name_unkeyed BEFORE UPDATE OF name ON archive_files FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
    EXECUTE FUNCTION search_name_unkeyed();

-- +goose Down
DROP TRIGGER archive_files_name_unkeyed ON archive_files;
DROP TRIGGER users_name_unkeyed ON users;
DROP TRIGGER aspirants_name_unkeyed ON aspirants;
DROP TRIGGER members_name_unkeyed ON members;
DROP TRIGGER orgs_name_unkeyed ON orgs;
DROP FUNCTION search_name_unkeyed();
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
