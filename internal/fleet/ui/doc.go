// Package ui serves the fleet's web pages: a dashboard, CVE search with
// the affected images and containers, an image page (layers, packages,
// vulnerabilities, findings, where it runs) and package search. Pages are
// rendered on the server with html/template from embedded templates and
// assets, so that the binary needs no build step and no npm; the only
// script is a hand-written table filter.
//
// The pages read the same store the API answers from and need the same
// tokens: a login form takes a token once and keeps it in an HttpOnly,
// SameSite=Strict cookie, checked on every page like a bearer token (read
// scope). Nothing is rendered without a valid token.
package ui
