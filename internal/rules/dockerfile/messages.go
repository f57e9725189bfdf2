package dockerfile

import (
	"strconv"
	"strings"
)

// Messages describe one instance in a line; these helpers keep the way
// they cut and list things the same across rules.

// truncate cuts s to at most n bytes, ending in "..." when it was cut.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n-3] + "..."
	}
	return s
}

// listNames renders names separated by commas, the ones past max counted
// instead ("a, b, c and 2 more").
func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + " and " + strconv.Itoa(len(names)-max) + " more"
}

// plural picks the word for a count.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// quoteAll wraps every string in double quotes, as written.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}
