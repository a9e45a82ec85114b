DROP INDEX business_links_confirmed_by_idx;
CREATE INDEX business_links_declared_by_idx ON business_links (declared_by);
DROP INDEX business_links_declared_idx;
ALTER TABLE business_links DROP COLUMN confirmed_by;
