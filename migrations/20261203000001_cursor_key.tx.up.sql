-- Named secrets the servers of one database share, such as the key that
-- seals pagination cursors. A server creates a key on first use (INSERT …
-- ON CONFLICT DO NOTHING, then reads it back), so every server agrees on
-- it and it survives restarts.
CREATE TABLE server_keys (
    name       text PRIMARY KEY,
    key        bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
