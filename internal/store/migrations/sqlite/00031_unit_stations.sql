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
    unit_id      INTEGER PRIMARY KEY REFERENCES count_units(id),
    station_id   INTEGER NOT NULL REFERENCES polling_stations(id),
    audit_digest TEXT NOT NULL DEFAULT ''
);
ALTER TABLE count_units DROP COLUMN station_id;
-- +goose StatementBegin
CREATE TRIGGER unit_stations_audit_insert AFTER INSERT ON unit_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2) VALUES (0, 'unit_stations', NEW.unit_id, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_stations_audit_update AFTER UPDATE OF unit_id, station_id ON unit_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'unit_stations', OLD.unit_id, 0,
        json_array(OLD.station_id), OLD.audit_digest);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_stations_audit_delete AFTER DELETE ON unit_stations BEGIN
    INSERT INTO audit_touched (txid, tbl, k1, k2, old, old_digest) VALUES (0, 'unit_stations', OLD.unit_id, 0,
        json_array(OLD.station_id), OLD.audit_digest);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE unit_stations;
ALTER TABLE count_units ADD COLUMN station_id INTEGER NOT NULL DEFAULT 0;
