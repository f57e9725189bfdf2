package dockerfile

import (
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// fileOf is this package's input: every rule here checks one parsed
// Dockerfile, which the engine sets as the pass's Input.
func fileOf(p *rule.Pass) *dockerfile.File { return p.Input.(*dockerfile.File) }

// eachRun is the Check of a rule that judges one RUN at a time, in the
// order of File.Runs; with shipped set, only the RUNs of stages whose
// layers ship (Stage.Ships).
func eachRun(shipped bool, judge func(*rule.Pass, *dockerfile.Instruction)) func(*rule.Pass) error {
	return func(p *rule.Pass) error {
		for in := range fileOf(p).Runs() {
			if !shipped || in.Stage.Ships {
				judge(p, in)
			}
		}
		return nil
	}
}

// eachCommand is the Check of a rule that judges one command of a RUN at
// a time, in the order of File.Commands.
func eachCommand(judge func(*rule.Pass, *dockerfile.Instruction, *dockerfile.Cmd)) func(*rule.Pass) error {
	return func(p *rule.Pass) error {
		for in, c := range fileOf(p).Commands() {
			judge(p, in, c)
		}
		return nil
	}
}
