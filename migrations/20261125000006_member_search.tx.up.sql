-- The text-search query of a member search: French and English stems,
-- accents dropped, web-search syntax ("quoted phrases", -excluded, or).
CREATE FUNCTION grappe_search_query(text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT websearch_to_tsquery('french', grappe_unaccent($1)) || websearch_to_tsquery('english', grappe_unaccent($1)) $$;
