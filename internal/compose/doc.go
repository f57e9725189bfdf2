// Package compose loads compose files into the runtime model
// (internal/container). compose-go gives the semantics `docker compose`
// applies (override files merged in order, .env interpolation, extends,
// short and long syntaxes); a yaml.v3 tree of every file gives each value
// the line of the file that set it. Loading is lenient, as docs/contract.md
// asks: no consistency checks, no environment resolution, unset variables
// empty (`${VAR:?err}` included), legacy v1 files lifted under services,
// compose-go panics recovered and its logging silenced, and when
// compose-go rejects the files the model is built from the YAML itself so
// that rules still run. Invalid content is reported in Project.Errors with
// its line.
package compose
