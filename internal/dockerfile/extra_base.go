package dockerfile

import (
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/pkg/errors"
)

// quietLinter is a BuildKit linter that reports nothing. BuildKit's
// ParseInstruction passes a nil linter, which panics when a `# check=`
// comment directly precedes the instruction; a non-nil linter without a
// Warn function avoids that and stays silent. One serves every
// instruction: without Warn, Linter.Run returns before touching its state,
// and WithMergedConfig (a `# check=` comment) works on a copy.
var quietLinter = linter.New(&linter.Config{})

// parseInstruction is instructions.ParseInstruction without the nil-linter
// panic.
func parseInstruction(node *parser.Node) (any, error) {
	return instructions.ParseInstructionWithLinter(node, quietLinter)
}

// parseCommand is instructions.ParseCommand without the nil-linter panic.
func parseCommand(node *parser.Node) (instructions.Command, error) {
	s, err := parseInstruction(node)
	if err != nil {
		return nil, err
	}
	if c, ok := s.(instructions.Command); ok {
		return c, nil
	}
	return nil, parser.WithLocation(errors.Errorf("%T is not a command type", s), node.Location())
}
