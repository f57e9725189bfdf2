// Package e2e holds end-to-end tests that use the real Docker Engine the
// way users do: lint a Dockerfile, build it, `docker save` the image, scan
// the archive, and check that the built image holds what the lint rules
// claimed about it. It has no non-test code.
package e2e
