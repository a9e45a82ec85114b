DROP TABLE IF EXISTS member_trades;

--bun:split

DROP TABLE IF EXISTS members;

--bun:split

DROP TABLE IF EXISTS trades;
