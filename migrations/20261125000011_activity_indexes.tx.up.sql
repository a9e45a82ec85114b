-- Engagement reads, per member, the links it declared and those it
-- confirmed (the party other than the declarer). confirmed_by names the
-- latter, so that both are index-only scans ordered by member: a
-- dashboard's engagement of every member reads two narrow indexes instead
-- of the links table twice.
ALTER TABLE business_links ADD COLUMN confirmed_by bigint GENERATED ALWAYS AS (
    CASE WHEN confirmed_at IS NULL THEN NULL
         WHEN declared_by = from_id THEN to_id
         ELSE from_id END) STORED;

CREATE INDEX business_links_declared_idx ON business_links (declared_by, created_at);
DROP INDEX business_links_declared_by_idx;
CREATE INDEX business_links_confirmed_by_idx ON business_links (confirmed_by, confirmed_at)
    WHERE confirmed_by IS NOT NULL;
