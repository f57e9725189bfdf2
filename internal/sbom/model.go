package sbom

import (
	"time"

	"github.com/shipshape-sec/shipshape/internal/distro"
)

// Ecosystem names follow OSV's ecosystem identifiers where one exists, so
// that packages and advisories meet without translation.
const (
	EcoDebian = "Debian"
	EcoUbuntu = "Ubuntu"
	EcoAlpine = "Alpine"
	EcoRPM    = "RPM" // refined to Red Hat, Rocky Linux, ... by Distro
	EcoGo     = "Go"
	EcoNPM    = "npm"
	EcoPyPI   = "PyPI"
	EcoMaven  = "Maven"
)

// Distro identifies the operating system of an image or root filesystem.
// It is the identity the image rules read too (package distro), so that
// the SBOM and IM1500 never name different distributions; a decoded SBOM
// document fills it from its operating-system component, without Source.
type Distro = distro.Release

// Package is one installed package.
type Package struct {
	Name    string
	Version string
	// Ecosystem is one of the Eco* constants.
	Ecosystem string
	// PURL is the package URL (github.com/package-url/packageurl-go).
	PURL     string
	Licenses []string
	// SourceName and SourceVersion are the source package of a distro
	// binary package (Debian Source:, Alpine origin, RPM source rpm), used
	// to match distro advisories, which name source packages.
	SourceName    string
	SourceVersion string
	Arch          string
	// Cataloger names what found the package (dpkg, apk, rpm, go-binary,
	// npm, yarn, pnpm, python, java).
	Cataloger string
	// Location is the file the package was read from (the dpkg status
	// file, a package.json, a binary); Files are the files it owns, when
	// the database lists them.
	Location string
	Files    []string
	// Layer is the index of the image layer that introduced the package
	// (-1 for directories); LayerDigest its digest.
	Layer       int
	LayerDigest string
}

// SBOM is the bill of materials of one image or directory.
type SBOM struct {
	// Subject is what was catalogued: an image reference or a directory.
	Subject string
	// Digest is the image's manifest digest, when known.
	Digest string
	// Source is how the subject was read: an image source kind
	// (docker-archive, oci, registry, ...) or "dir".
	Source string
	// Created is the image's creation time from its configuration, zero
	// for a directory; encoders use it, when set, as the document's
	// creation time so that output is reproducible.
	Created  time.Time
	Distro   *Distro
	Packages []Package
	// Notes says what could not be catalogued (for example "no package
	// database found"), so that an empty result is never mistaken for a
	// clean one.
	Notes []string
}
