DROP TABLE touchpoints;
