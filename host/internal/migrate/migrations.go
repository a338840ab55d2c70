package migrate

// Migration is one versioned change of the gateway's tables. SQL runs in
// the system namespace, so table names are plain.
type Migration struct {
	Version int64
	Name    string
	SQL     []string
}

// All is the gateway's schema history. Append only; never edit a released
// migration.
var All = []Migration{
	{
		Version: 1,
		Name:    "nodes",
		SQL: []string{
			`CREATE TABLE nodes (
				id         TEXT PRIMARY KEY,
				version    TEXT NOT NULL,
				started_at INTEGER NOT NULL,
				last_seen  INTEGER NOT NULL
			)`,
		},
	},
}
