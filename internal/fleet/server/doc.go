// Package server is the fleet's HTTP side: the API under /api/v1/ over a
// fleet store, bearer tokens with scopes, request limits, JSON errors, an
// audit log of writes, /healthz, /readyz and Prometheus /metrics, and the
// background matcher that matches newly stored package versions against
// the vulnerability database (and all of them again when the database
// is updated). It is a library: `shipshape server` only parses flags and
// calls Run.
package server
