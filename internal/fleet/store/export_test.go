package store

import "time"

// SetClock replaces the store's clock, so that tests can place ingests
// days apart.
func SetClock(s *Store, now func() time.Time) { s.now = now }
