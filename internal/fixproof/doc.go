// Package fixproof proves with the Docker Engine that `shipshape fix`
// keeps images working: Dockerfiles are built before and after their
// fixes are applied, each image's own command is run in both, and both
// builds are scanned. It has no non-test code; it is a package of its own
// so that its builds have their own time budget beside internal/e2e's.
package fixproof
