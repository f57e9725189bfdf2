package image

import (
	"archive/tar"
	"io"
	"io/fs"
	"time"
)

// Image is the result of one streaming pass over an image. It is built once
// and read concurrently by rules; it must not be modified afterwards.
type Image struct {
	// Ref is the reference as the user gave it; Source is how it was read
	// (docker-archive, oci, registry, daemon).
	Ref    string
	Source string
	// Digest is the manifest digest when known; Platform os/arch[/variant].
	Digest   string
	Platform string
	Config   Config
	// History lists the config history, oldest first, with the index of the
	// layer each non-empty entry produced.
	History []History
	Layers  []Layer
	// FS holds the final filesystem view (after whiteouts), read through
	// File and Files by clean absolute path ("/usr/bin/passwd"), and every
	// file entry of every layer, oldest first, including those a later
	// layer overwrote or deleted (for reclaimable bytes and for secrets
	// that a later layer only hid), read through Entries. It is a compact
	// Tree rather than a map and a slice of structs so that an image of
	// hundreds of thousands of files stays within a few tens of MB.
	FS *Tree
	// Findings from content scanners run during the pass (secrets), in any
	// layer, including files later deleted or overwritten.
	Secrets []Secret
	// Records are what record scanners found in files of any layer
	// (packages read from binaries, say), with Deleted marked as for
	// Secrets. They are facts about files, not findings.
	Records []Record
	// Captured holds the content of small files requested through
	// Options.Capture (os-release, passwd, group, shadow, package
	// databases), from the final view.
	Captured map[string][]byte
	// Warnings are non-fatal problems (a capped layer, a dangling link).
	Warnings []string
	// Signature is the verdict of the signature check the engine made
	// before the rules ran (image --require-signature); nil when none was
	// asked for. Rules read it; they never reach a registry themselves.
	Signature *SignatureVerdict
	// Update is the verdict of the update check (image --check-updates):
	// whether the tag the image (or its base) was taken from now points
	// elsewhere. nil when none was asked for.
	Update *UpdateVerdict
}

// UpdateVerdict says whether a tag still points at the digest used.
type UpdateVerdict struct {
	// Tag is the tagged reference checked (registry/repo:tag); Subject
	// says what it is ("the image", "the base image").
	Tag, Subject string
	// Used is the digest in use; Current the one the tag names now.
	Used, Current string
	// DaysBehind is how many days older the used image's creation date is
	// than the current one's; -1 when either date is unknown.
	DaysBehind int
	// Upgraded lists the OS packages whose version differs in the current
	// image ("openssl 3.0.11-1 -> 3.0.13-1"), when both package lists
	// could be read; Note says why they could not.
	Upgraded []string
	Note     string
}

// Behind reports whether the tag has moved on.
func (u *UpdateVerdict) Behind() bool { return u != nil && u.Current != "" && u.Current != u.Used }

// SignatureVerdict is the outcome of verifying an image's signatures.
type SignatureVerdict struct {
	// Verified is true when a signature verified under a trusted key and
	// named the image's digest.
	Verified bool
	// Digest is the manifest digest that was checked.
	Digest string
	// Problem says why the image does not verify.
	Problem string
}

// Config is the part of the image configuration rules read.
type Config struct {
	User         string
	Env          []string
	Labels       map[string]string
	ExposedPorts []string
	Entrypoint   []string
	Cmd          []string
	WorkingDir   string
	// Healthcheck is nil when the image defines none; Test ["NONE"] means
	// disabled.
	Healthcheck  *Healthcheck
	Created      time.Time
	OS           string
	Architecture string
}

// Healthcheck is the image's healthcheck.
type Healthcheck struct {
	Test []string
}

// History is one config history entry.
type History struct {
	CreatedBy  string
	Created    time.Time
	EmptyLayer bool
	Comment    string
	// Layer is the index of the layer this entry produced, -1 when empty.
	Layer int
}

// Layer is one filesystem layer.
type Layer struct {
	Index int
	// Digest is the (compressed) blob digest; DiffID the uncompressed one.
	Digest string
	DiffID string
	// Size is the uncompressed size in bytes; Files the entry count.
	Size  int64
	Files int
	// CreatedBy is the history instruction that produced the layer.
	CreatedBy string
}

// File is one file in the final view.
type File struct {
	Path     string
	Mode     fs.FileMode
	Size     int64
	UID, GID int
	Linkname string
	Typeflag byte
	// Layer is the index of the layer that last added or changed it.
	Layer int
}

// Entry is one file entry of one layer.
type Entry struct {
	Path     string
	Layer    int
	Size     int64
	Mode     fs.FileMode
	Typeflag byte
	// Whiteout is true for a deletion marker (.wh.* or an opaque dir).
	Whiteout bool
	// Shadowed is true when a later layer overwrote or deleted this copy,
	// so its bytes are reclaimable.
	Shadowed bool
	// Opaque is true for an opaque-directory marker (.wh..wh..opq): Path
	// is the directory whose lower-layer content it hides.
	Opaque   bool
	UID, GID int
	// Linkname is the target of a symbolic or hard link.
	Linkname string
}

// Secret is a credential found in a file of some layer.
type Secret struct {
	Path  string
	Layer int
	Kind  string
	Line  int
	// Match is the secret masked for display.
	Match string
	// Deleted is true when the file is not in the final view (a later
	// layer deleted or replaced it) — the secret still ships.
	Deleted bool
}

// Record is a typed fact a RecordScanner read from a file of some layer.
// The pass does not interpret it: Kind says which scanner wrote it and how
// Data is encoded, and only that scanner's package reads it. It is cached
// with the layer, so Data must be self-contained.
type Record struct {
	// Kind names the scanner and the record type ("sbom-packages"); a
	// reader skips kinds it does not know.
	Kind  string
	Path  string
	Layer int
	Data  []byte
	// Deleted is true when the file is not in the final view (a later
	// layer deleted or replaced it).
	Deleted bool
}

// ContentScanner inspects file contents during the streaming pass. Wants is
// called for every regular file header; Scan receives the file's content
// (at most the size the scanner asked to read) and returns the secrets it
// found. The header and the reader are the pass's, reused for the next
// file once the call returns: a scanner keeps neither (a string of the
// header, such as its Name, it may keep).
type ContentScanner interface {
	Wants(h *tar.Header) bool
	Scan(layer int, h *tar.Header, r io.Reader) ([]Secret, error)
}

// RecordScanner is a content scanner that reads facts other than secrets
// (package metadata from executables and archives). It sees files as a
// ContentScanner does, and what it returns lands in Image.Records.
type RecordScanner interface {
	Wants(h *tar.Header) bool
	ScanRecords(layer int, h *tar.Header, r io.Reader) ([]Record, error)
}

// symlinkType is tar's symbolic-link type flag.
const symlinkType = tar.TypeSymlink
