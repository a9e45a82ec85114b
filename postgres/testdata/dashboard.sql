-- A small cluster whose dashboard is counted by hand in dashboard_test.go.
-- The clock of the test is 2026-06-15T10:00:00Z; the time zone Europe/Paris.
INSERT INTO trades (id, code, name_en, name_fr, parent_id) VALUES
    (1, 'MEAS', 'Measurement', 'Mesure', NULL),
    (2, 'MEAS.DIM', 'Dimensional', 'Dimensionnel', 1),
    (3, 'MEAS.TEMP', 'Temperature', 'Température', 1),
    (4, 'SOFT', 'Software', 'Logiciel', NULL);

INSERT INTO members (id, name, kind, headcount, region, joined_on, left_on) VALUES
    (1, 'Alpha',   'COMPANY',       5,    'Île-de-France', '2020-03-10', NULL),
    (2, 'Bravo',   'COMPANY',       20,   'Île-de-France', '2020-07-01', NULL),
    (3, 'Charlie', 'LABORATORY',    60,   'Occitanie',     '2021-01-01', NULL),
    (4, 'Delta',   'COMPANY',       8,    'Occitanie',     '2021-02-15', '2021-11-30'), -- joined and left in 2021
    (5, 'Echo',    'COMPANY',       NULL, 'Bretagne',      '2022-05-05', NULL),         -- headcount unknown
    (6, 'Foxtrot', 'INSTITUTION',   300,  NULL,            '2022-09-09', '2023-06-30'),
    (7, 'Golf',    'COMPANY',       3,    'Île-de-France', '2024-04-01', NULL),
    (8, 'Hotel',   'COMPANY',       12,   'Bretagne',      '2019-05-01', NULL),         -- never active
    (9, 'India',   'MEDIA_PARTNER', 2,    'Île-de-France', '2026-03-01', NULL);         -- newcomer

INSERT INTO member_trades (member_id, trade_id) VALUES
    (1, 2), (2, 2), (2, 4), (3, 3), (4, 4), (5, 1), (6, 3), (7, 4), (8, 4), (9, 2);

INSERT INTO business_links (id, from_id, to_id, kind, status, since, until, origin, declared_by, created_at, confirmed_at) VALUES
    (1, 1, 2, 'SUPPLY',         'CONFIRMED', '2025-12-01', NULL,         'WORKING_GROUP', 1, '2025-12-20T10:00:00Z', '2025-12-21T10:00:00Z'),
    (2, 2, 3, 'PARTNERSHIP',    'CONFIRMED', '2026-01-01', NULL,         'TRADE_SHOW',    2, '2026-01-10T10:00:00Z', '2026-01-12T10:00:00Z'),
    (3, 3, 5, 'SUBCONTRACTING', 'PENDING',   '2026-05-01', NULL,         'OTHER',         3, '2026-05-01T10:00:00Z', NULL),
    (4, 4, 1, 'SUPPLY',         'ENDED',     '2021-03-01', '2021-11-30', 'PRE_EXISTING',  4, '2021-03-01T10:00:00Z', '2021-03-02T10:00:00Z'),
    -- 31 March in UTC, 1 April in Paris:
    (5, 7, 1, 'REFERRAL',       'DECLINED',  '2026-03-31', NULL,         'INTRODUCTION',  7, '2026-03-31T22:30:00Z', NULL),
    (6, 6, 3, 'JOINT_BID',      'CONFIRMED', '2022-10-01', NULL,         'OTHER',         6, '2022-10-01T10:00:00Z', '2022-10-02T10:00:00Z');

INSERT INTO questions (id, text, theme, raised_by, raised_at, status) VALUES
    (1, 'Achats groupés d''étalons ?', 'PURCHASING',    1, '2026-01-03T10:00:00Z', 'GROUP_FORMED'),
    (2, 'Un stand commun au salon ?',  'COMMUNICATION', 3, '2025-08-20T10:00:00Z', 'GROUP_FORMED'),
    (3, 'Répondre ensemble aux AO ?',  'OTHER',         6, '2022-10-01T10:00:00Z', 'GROUP_FORMED');

INSERT INTO question_supports (question_id, member_id, supported_at) VALUES
    (1, 1, '2026-01-03T10:00:00Z'), (1, 2, '2026-01-04T10:00:00Z'), (1, 7, '2026-01-05T08:00:00Z'),
    (2, 3, '2025-08-20T10:00:00Z'), (2, 5, '2025-08-25T10:00:00Z'), (2, 2, '2025-08-30T10:00:00Z'),
    (3, 6, '2022-10-01T10:00:00Z'), (3, 3, '2022-10-15T10:00:00Z');

INSERT INTO working_groups (id, question_id, name, theme, status, formed_at, closed_at) VALUES
    (1, 1, 'Achats', 'PURCHASING',    'ACTIVE', '2026-01-05T09:00:00Z', NULL),
    (2, 2, 'Salon',  'COMMUNICATION', 'CLOSED', '2025-09-01T08:00:00Z', '2026-05-01T08:00:00Z'),
    (3, 3, 'AO',     'OTHER',         'CLOSED', '2022-11-01T10:00:00Z', '2023-03-01T10:00:00Z');

INSERT INTO group_participants (group_id, member_id, role, joined_at, left_at) VALUES
    (1, 1, 'LEAD',   '2026-01-05T09:00:00Z', NULL),
    (1, 2, 'MEMBER', '2026-01-05T09:00:00Z', NULL),
    (1, 7, 'MEMBER', '2026-01-05T09:00:00Z', NULL),
    (2, 3, 'LEAD',   '2025-09-01T08:00:00Z', NULL),
    (2, 5, 'MEMBER', '2025-09-01T08:00:00Z', NULL),
    (2, 2, 'MEMBER', '2025-09-01T08:00:00Z', '2025-10-15T08:00:00Z'), -- left the group
    (3, 6, 'LEAD',   '2022-11-01T10:00:00Z', NULL),
    (3, 3, 'MEMBER', '2022-11-01T10:00:00Z', NULL);

INSERT INTO meetings (id, group_id, title, starts_at, duration_minutes, agenda, expected_outcome, status, outcome) VALUES
    (1, 1, 'Kick-off',  '2026-02-01T09:00:00Z', 60, '[{"title": "Besoins", "minutes": 30}]', 'Liste', 'HELD', 'Liste faite'),
    (2, 1, 'Suivi',     '2026-05-20T09:00:00Z', 60, '[{"title": "Devis", "minutes": 30}]', 'Choix', 'SCHEDULED', NULL), -- past, outcome not recorded
    (3, 1, 'Commande',  '2026-07-01T09:00:00Z', 60, '[{"title": "Bon", "minutes": 30}]', 'Bon signé', 'SCHEDULED', NULL), -- future
    (4, 1, 'Annulée',   '2026-03-01T09:00:00Z', 60, '[{"title": "X", "minutes": 30}]', 'X', 'CANCELLED', NULL),
    (5, 2, 'Stand',     '2025-10-01T09:00:00Z', 60, '[{"title": "Plan", "minutes": 30}]', 'Plan', 'HELD', 'Plan fait'),
    (6, 2, 'Bilan',     '2026-01-15T09:00:00Z', 60, '[{"title": "Bilan", "minutes": 30}]', 'Bilan', 'HELD', 'Bilan fait'),
    (7, 3, 'Réponse',   '2023-01-10T09:00:00Z', 60, '[{"title": "AO", "minutes": 30}]', 'Dossier', 'HELD', 'Dossier envoyé');

INSERT INTO meeting_attendees (meeting_id, member_id) VALUES
    (1, 1), (1, 2), (1, 7), (5, 3), (5, 5), (6, 3), (7, 6);

INSERT INTO action_plans (id, group_id, summary, items, published_at, distributed_to) VALUES
    -- 6 March in UTC, 7 March in Paris: 61 days after formation
    (1, 1, 'Commande groupée', '[{"title": "Commander", "done": false}]', '2026-03-06T23:30:00Z', 7),
    -- 101 days after formation
    (2, 3, 'Réponse commune',  '[{"title": "Répondre", "done": true}]',  '2023-02-10T10:00:00Z', 5);
