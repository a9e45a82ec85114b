DROP TABLE IF EXISTS small_world;
