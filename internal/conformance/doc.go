// Package conformance checks shipshape's Dockerfile rules against other
// tools' test suites and against real-world Dockerfiles. Everything it does
// lives in its tests; this file only gives the package a home.
//
// TestPeerConformance lints every KICS, Trivy, Checkov and BuildKit sample of
// the shared corpus once and judges each (sample, peer check) pair whose
// check a shipshape rule declares as a peer; agreement is counted as
// ../shared/corpus/README.md defines it. Deliberate disagreements are listed
// in deviations/*.yaml; peer checks no rule maps are listed, with a reason,
// in unmapped.yaml. TestHadolintAgreement runs hadolint's own test cases
// (restated in testdata/hadolint) and counts agreement per DL code a rule
// maps (docs/hadolint.md). TestRealWorldCorpus lints the 1,906 real-world
// Dockerfiles to prove that nothing panics, hangs or misplaces a parse error.
package conformance
