// Package cli is shipshape's command line: one file per subcommand, flags
// and output only. The work is done by internal/scan and the rule packages.
package cli
