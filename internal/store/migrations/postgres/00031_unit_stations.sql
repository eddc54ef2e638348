-- +goose Up
-- Which registered polling station (polling_stations, migration 00025) a
-- station or box counted apart is (issue 15, point 2): its count is entered
-- only while the station has what a count needs (enough scrutineers, no
-- candidate or candidate's relative among its staff), and the result report
-- names its staff beside the signature lines. One row per unit, written when
-- the unit is set up and never changed; a protected record, so that moving a
-- count to another station behind the platform's back is found by
-- `huanjie audit verify`. count_units.station_id, left for this link and
-- never written, goes.
CREATE TABLE unit_stations (
    unit_id      BIGINT PRIMARY KEY REFERENCES count_units(id),
    station_id   BIGINT NOT NULL REFERENCES polling_stations(id),
    audit_digest TEXT NOT NULL DEFAULT ''
);
ALTER TABLE count_units DROP COLUMN station_id;
-- +goose StatementBegin
CREATE FUNCTION unit_stations_audit_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (txid_current(), 'unit_stations', NEW.unit_id, 0);
    ELSE
        INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (txid_current(), 'unit_stations', OLD.unit_id, 0,
            json_build_array(OLD.station_id)::text, OLD.audit_digest);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER unit_stations_audit AFTER INSERT OR UPDATE OF unit_id, station_id OR DELETE ON unit_stations
    FOR EACH ROW EXECUTE FUNCTION unit_stations_audit_touch();

-- +goose Down
DROP TABLE unit_stations;
DROP FUNCTION unit_stations_audit_touch();
ALTER TABLE count_units ADD COLUMN station_id BIGINT NOT NULL DEFAULT 0;
