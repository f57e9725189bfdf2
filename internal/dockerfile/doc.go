// Package dockerfile parses a Dockerfile once, with BuildKit's own parser, into
// an immutable model that every Dockerfile rule reads: stages and the graph
// between them, the instructions of each stage with their source ranges, the
// ARG and ENV values visible at each instruction, and the shell syntax tree of
// every RUN (heredoc bodies included) built with mvdan.cc/sh.
//
// Rules never re-parse text: they look at commands, flags and operators in
// the model. Parse errors do not stop the model from being built; they are
// recorded with their location and the rest of the file is still modelled.
//
// Commands of the system package managers (apt, apk, dnf/yum, zypper,
// pacman) are decoded once by Cmd.Package, with each tool's value-taking
// options, so that every rule agrees on what a command installs, updates,
// upgrades, removes or cleans.
package dockerfile
