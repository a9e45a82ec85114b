DROP INDEX member_trades_page_idx;
DROP TRIGGER members_follow_into_member_trades ON members;
DROP FUNCTION grappe_member_trades_follow();
DROP TRIGGER member_trades_fill ON member_trades;
DROP FUNCTION grappe_member_trades_fill();
ALTER TABLE member_trades DROP COLUMN member_active, DROP COLUMN member_name;
