package fleettest

import (
	"path/filepath"
	"testing"
)

// Runner is *testing.T or *testing.B: what Backends needs to run
// subtests (or sub-benchmarks) of the same kind.
type Runner[T any] interface {
	testing.TB
	Run(name string, f func(T)) bool
}

// Backends runs f once per storage backend, as subtests named "sqlite"
// and "postgres": a SQLite file in a temporary directory and a new
// database on the test PostgreSQL cluster. The store supports both, so
// every fleet test runs against both.
func Backends[T Runner[T]](t T, f func(t T, dsn string)) {
	t.Run("sqlite", func(t T) { f(t, filepath.Join(t.TempDir(), "fleet.db")) })
	t.Run("postgres", func(t T) { f(t, PostgresURL(t)) })
}
