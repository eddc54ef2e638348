-- +goose Up
-- A write's answer carries an item's latest notes (issue 17): the notes of
-- an item in order of id, read from the end, without sorting them all.
DROP INDEX ledger_notes_item;
CREATE INDEX ledger_notes_item ON ledger_notes(item_id, id);

-- +goose Down
DROP INDEX ledger_notes_item;
CREATE INDEX ledger_notes_item ON ledger_notes(item_id);
