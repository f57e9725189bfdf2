package dockerfile

import (
	"regexp"
	"slices"
	"testing"
)

// varRefRE is the regular expression nextVarRef stands in for.
var varRefRE = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// varRefs lists what nextVarRef finds in word, one match after another,
// as FindAllStringSubmatchIndex would: start, end, name start, name end.
func varRefs(word string) [][]int {
	var out [][]int
	for at := 0; ; {
		start, end, name, ok := nextVarRef(word, at)
		if !ok {
			return out
		}
		out = append(out, []int{start, end, end - len(name), end})
		at = end
	}
}

// FuzzNextVarRef: nextVarRef finds exactly the matches of the regular
// expression it replaced, with the same names.
func FuzzNextVarRef(f *testing.F) {
	for _, s := range []string{"", "$", "${", "${}", "$1", "$$HOME", "${HOME:-x}/$PATH", "a$b_c9-d", "${{x}", "$_", "é$é$A", "\\$X", "$A$B${C}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, word string) {
		if got, want := varRefs(word), varRefRE.FindAllStringSubmatchIndex(word, -1); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("%q: nextVarRef found %v, the regular expression %v", word, got, want)
		}
	})
}

func TestWholeVar(t *testing.T) {
	for word, want := range map[string]bool{
		"$A": true, "${A}": true, "${A:-x}": true, "$A/b": false, "x$A": false, "${A}b": false, "${A}}": false, "$": false, "$1": false,
	} {
		if got := wholeVar(word); got != want {
			t.Errorf("wholeVar(%q) = %v, want %v", word, got, want)
		}
	}
}
