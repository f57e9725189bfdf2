package dockerfile

import (
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// This file holds what several rules' remedies ask of the final image:
// which kind of system it is, so that a remedy names the command that
// exists there (adduser on Alpine, useradd on Debian) rather than the one
// of another distribution.

// Image families a remedy tells apart.
const (
	famDebian     = "debian"
	famAlpine     = "alpine"
	famRPM        = "rpm"
	famWindows    = "windows"
	famNoShell    = "noshell" // scratch, distroless: no shell, no useradd
	famUnknownSys = ""
)

// imageFamily guesses the system of the image s produces from its base
// image's name and the package managers its RUNs use, nearest first.
func imageFamily(s *df.Stage) string {
	if s.Windows {
		return famWindows
	}
	if s.IsScratch() {
		return famNoShell
	}
	for _, st := range s.Chain() {
		for in := range st.Runs() {
			for _, c := range in.Script.Commands {
				if op, ok := c.Package(); ok {
					switch op.Family {
					case df.FamilyApk:
						return famAlpine
					case df.FamilyApt:
						return famDebian
					case df.FamilyRPM:
						return famRPM
					}
				}
			}
		}
	}
	ref := strings.ToLower(s.Root().Base)
	switch {
	case strings.Contains(ref, "distroless") || strings.Contains(ref, "chiseled"):
		return famNoShell
	case strings.Contains(ref, "alpine") || strings.Contains(ref, "busybox"):
		return famAlpine
	case strings.Contains(ref, "ubi") || strings.Contains(ref, "fedora") || strings.Contains(ref, "rocky") ||
		strings.Contains(ref, "alma") || strings.Contains(ref, "centos") || strings.Contains(ref, "amazonlinux") ||
		strings.Contains(ref, "azurelinux") || strings.Contains(ref, "oraclelinux"):
		return famRPM
	case strings.Contains(ref, "debian") || strings.Contains(ref, "ubuntu") || strings.Contains(ref, "bookworm") ||
		strings.Contains(ref, "bullseye") || strings.Contains(ref, "trixie") || strings.Contains(ref, "noble") ||
		strings.Contains(ref, "jammy") || strings.Contains(ref, "slim"):
		return famDebian
	}
	return famUnknownSys
}

// addUserRemedy is the remedy of a missing USER written for the image's
// system: the account-creating command that exists there and the USER
// line that follows it.
func addUserRemedy(s *df.Stage) string {
	switch imageFamily(s) {
	case famWindows:
		return "Add `USER ContainerUser` near the end of the final stage (nanoserver and servercore ship that account)."
	case famNoShell:
		return "Add a numeric `USER 65532:65532` near the end of the final stage; this image has no shell or useradd to create an account with."
	case famAlpine:
		return "Create an account with `RUN addgroup -S app && adduser -S -G app app` and add `USER app` near the end of the final stage."
	case famRPM:
		return "Create an account with `RUN useradd --system --no-log-init app` (install shadow-utils on minimal images) and add `USER app` near the end of the final stage."
	case famDebian:
		return "Create an account with `RUN useradd --system --no-log-init app` and add `USER app` near the end of the final stage."
	}
	return "Create an unprivileged account (useradd, or adduser on Alpine) and add `USER <name or UID>` near the end of the final stage."
}
