// Package archtest holds the tests that keep shipshape's architecture
// honest: which packages may depend on which. It has no code of its own.
package archtest
