-- The tables' triggers go with them.
DROP TABLE training_registrations;
DROP TABLE trainings;
