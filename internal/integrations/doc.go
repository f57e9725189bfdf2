// Package integrations holds the tests of the ways shipshape drops into
// other tools' pipelines: the GitHub Action's script, the pre-commit hooks
// (run by pre-commit itself), the GitLab template. It has no code of its
// own.
package integrations
