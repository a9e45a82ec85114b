-- A trade's members are listed by name, ACTIVE members only. The join row
-- keeps its member's name and whether it is ACTIVE, so that a page of a
-- trade's members is a range of one index (trade, name, member) instead of
-- a walk of every member by name testing each for the trade. Triggers keep
-- both columns equal to the member's: on insert of the row, and when the
-- member's name or end of membership changes.
ALTER TABLE member_trades ADD COLUMN member_name text, ADD COLUMN member_active boolean;

UPDATE member_trades AS mt SET member_name = m.name, member_active = (m.left_on IS NULL)
FROM members AS m WHERE m.id = mt.member_id;

ALTER TABLE member_trades ALTER COLUMN member_name SET NOT NULL, ALTER COLUMN member_active SET NOT NULL;

-- A bulk load gives both columns; any other insert has them looked up.
CREATE FUNCTION grappe_member_trades_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR NEW.member_name IS NULL OR NEW.member_active IS NULL THEN
        SELECT m.name, m.left_on IS NULL INTO NEW.member_name, NEW.member_active
        FROM members AS m WHERE m.id = NEW.member_id;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER member_trades_fill BEFORE INSERT OR UPDATE OF member_id ON member_trades
    FOR EACH ROW EXECUTE FUNCTION grappe_member_trades_fill();

CREATE FUNCTION grappe_member_trades_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE member_trades SET member_name = NEW.name, member_active = (NEW.left_on IS NULL)
    WHERE member_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER members_follow_into_member_trades AFTER UPDATE OF name, left_on ON members
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.left_on IS DISTINCT FROM NEW.left_on)
    EXECUTE FUNCTION grappe_member_trades_follow();

CREATE INDEX member_trades_page_idx ON member_trades (trade_id, member_name, member_id) WHERE member_active;
