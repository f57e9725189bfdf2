package recommend

import "sort"

// FoundKeys lists the advisory-package pairs an image's counts are made
// of ("ID|package"), for the tests' independent checks.
func FoundKeys(f *Facts) []string {
	var out []string
	for k := range f.found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
