DROP FUNCTION IF EXISTS grappe_search_query(text);
