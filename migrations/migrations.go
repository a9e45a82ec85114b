// Package migrations embeds grappe's SQL migrations, run by bun/migrate.
// Files are named YYYYMMDDHHMMSS_name.up.sql and .down.sql; every down file
// reverses its up file.
package migrations

import "embed"

// FS holds the SQL migration files.
//
//go:embed *.sql
var FS embed.FS
