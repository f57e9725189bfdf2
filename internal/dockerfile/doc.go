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
//
// The questions many rules ask are answered here once, so that rules agree
// on them and report the same thing at the same place:
//
//   - which stages make an image: Stage.Chain (a stage and the stages it is
//     built FROM), Stage.Last and Instruction.InForce (the USER, SHELL,
//     HEALTHCHECK in force), Stage.Ships (stages whose layers end up in an
//     image someone runs), Stage.ConfigReachesImage, Stage.Runnable,
//     File.StageByRef and Stage.Image (the external base image);
//   - where a command sits: File.Runs, Stage.Runs and File.Commands iterate
//     the RUNs modelled as shell, Cmd.Chain, Seq, Nested and Subshell place a
//     command in its script, Script.Unwrapped strips wrappers in exec form
//     too;
//   - what a command does: Cmd.Package, YarnSubcommand, AptOptions, Setopts,
//     Writes, WrittenText, Instruction.DeletedPaths, Deletes and
//     Script.Mounted, with ARG/ENV values substituted by ExpandKnown;
//   - where things are: the ranges in ranges.go, one per concept.
package dockerfile
