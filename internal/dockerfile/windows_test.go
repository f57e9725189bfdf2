package dockerfile

import "testing"

var windowsImageSamples = []string{
	"", "alpine", "alpine:3.19", "mcr.microsoft.com/windows/servercore:ltsc2022", "mcr.microsoft.com/windows/nanoserver:1809",
	"MCR.Microsoft.com/Windows/ServerCore", "mcr.microsoft.com/dotnet/framework/sdk:4.8", "mcr.microsoft.com/dotnet/sdk:8.0",
	"mcr.microsoft.com/powershell:lts-nanoserver-1809", "microsoft/windowsservercore", "windows", "windows:ltsc2019",
	"myrepo/windowsish", "servercoreX", "x-servercore", "python:3.12-windowsservercore-ltsc2022", "golang:1.22-nanoserver",
	"foo:ltsc2025", "foo-ltsc20", "foo:LTSC2019", "nanoſerver", "nanoserver:1809", "\u212aelvin", "windows\u212a", "wındows",
	"registry.example.com/windows", "windows@sha256:abc", "mcr.microsoft.com/", "mcr.microsoft.com/windows", "a/b:c-ltsc2016-x",
}

// TestIsWindowsImageAgreesWithRegexp: the literal prefilter answers as the
// expression does, on names with and without the words, in any case and
// with the non-ASCII letters (?i) folds to ASCII ones.
func TestIsWindowsImageAgreesWithRegexp(t *testing.T) {
	yes := 0
	for _, s := range windowsImageSamples {
		want := windowsImage.MatchString(s)
		if got := isWindowsImage(s); got != want {
			t.Errorf("isWindowsImage(%q) = %v, the expression says %v", s, got, want)
		}
		if want {
			yes++
		}
	}
	if yes < 10 || yes == len(windowsImageSamples) {
		t.Fatalf("%d of %d samples match: the test would not see a difference", yes, len(windowsImageSamples))
	}
}

func FuzzIsWindowsImage(f *testing.F) {
	for _, s := range windowsImageSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isWindowsImage(s), windowsImage.MatchString(s); got != want {
			t.Errorf("isWindowsImage(%q) = %v, the expression says %v", s, got, want)
		}
	})
}
