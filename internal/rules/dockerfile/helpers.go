package dockerfile

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// commentRange spans a comment from its '#' to the end of the line.
func commentRange(p *rule.Pass, line int) loc.Range {
	r := loc.Line(line)
	if line >= 1 && line <= len(fileOf(p).Lines) {
		l := fileOf(p).Lines[line-1]
		if i := strings.Index(l, "#"); i >= 0 {
			r = loc.Range{Line: line, Col: i + 1, EndLine: line, EndCol: len(l) + 1}
		}
	}
	return r
}
