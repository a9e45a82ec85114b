DROP FUNCTION grappe_engagement_score(bigint, bigint, bigint, bigint);
