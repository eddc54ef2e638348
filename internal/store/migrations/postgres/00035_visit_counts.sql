-- +goose Up
-- How many households, people and sitting members each community has in a
-- cycle (round ''), and how many of them each round reached (issue 16,
-- coverage at scale): kept by the writes that change them, in their
-- transaction (store/visit_counts.go), so a round's coverage of 10,000
-- communities reads six rows a community instead of counting millions of
-- register and visit rows. Derived, never entered: `audit verify` counts
-- them again from the registers, members and visit_reached and names any
-- that differ.
CREATE TABLE visit_counts (
    cycle_id BIGINT NOT NULL REFERENCES cycles(id),
    org_id   BIGINT NOT NULL REFERENCES orgs(id),
    round    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (cycle_id, org_id, round, kind)
);

INSERT INTO visit_counts (cycle_id, org_id, round, kind, n)
    SELECT cycle_id, org_id, '', 'h', COUNT(*) FROM visit_households GROUP BY cycle_id, org_id;
INSERT INTO visit_counts (cycle_id, org_id, round, kind, n)
    SELECT cycle_id, org_id, '', 'p', COUNT(*) FROM visit_people GROUP BY cycle_id, org_id;
INSERT INTO visit_counts (cycle_id, org_id, round, kind, n)
    SELECT cycle_id, org_id, round, kind, COUNT(*) FROM visit_reached WHERE kind IN ('h', 'p')
    GROUP BY cycle_id, org_id, round, kind;
-- Sitting members each person once (a member holding both posts has a row
-- in each committee: the same ID number or, without one, the same name and
-- birth date), by their first row; a person reached once a round, whichever
-- of their rows a talk reached.
INSERT INTO visit_counts (cycle_id, org_id, round, kind, n)
    SELECT m.cycle_id, m.org_id, '', 'm', COUNT(*) FROM members m
    WHERE NOT EXISTS (SELECT 1 FROM members s WHERE s.cycle_id = m.cycle_id AND s.org_id = m.org_id AND s.id < m.id
        AND (s.id = m.id OR (s.id_number_index <> '' AND s.id_number_index = m.id_number_index)
            OR ((s.id_number_index = '' OR m.id_number_index = '') AND s.name = m.name AND s.birth_date = m.birth_date)))
    GROUP BY m.cycle_id, m.org_id;
INSERT INTO visit_counts (cycle_id, org_id, round, kind, n)
    SELECT x.cycle_id, x.org_id, x.round, 'm', COUNT(*) FROM visit_reached x JOIN members m ON m.id = x.target_id
    WHERE x.kind = 'm' AND NOT EXISTS (SELECT 1 FROM visit_reached y JOIN members s ON s.id = y.target_id
        WHERE y.cycle_id = x.cycle_id AND y.round = x.round AND y.kind = 'm' AND y.target_id < x.target_id
        AND s.org_id = m.org_id AND (s.id = m.id OR (s.id_number_index <> '' AND s.id_number_index = m.id_number_index)
            OR ((s.id_number_index = '' OR m.id_number_index = '') AND s.name = m.name AND s.birth_date = m.birth_date)))
    GROUP BY x.cycle_id, x.org_id, x.round;

-- +goose Down
DROP TABLE visit_counts;
