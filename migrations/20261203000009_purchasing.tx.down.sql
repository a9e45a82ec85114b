DROP TABLE campaign_commitments;
DROP TABLE purchasing_campaigns;
