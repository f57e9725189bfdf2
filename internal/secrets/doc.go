// Package secrets finds credentials in file contents and in name/value
// pairs (image Env and labels). Each detector names a few literal anchors;
// a file is searched for the anchors first (bytes.Index, which runs at
// memory speed) and a detector's regular expression only ever sees the
// line or short window around an anchor hit, so that scanning a layer costs
// little more than reading it.
//
// Scanner implements image.ContentScanner for the streaming layer pass.
package secrets
