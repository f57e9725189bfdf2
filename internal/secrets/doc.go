// Package secrets is shipshape's one judge of credentials: the same name
// or value gets the same verdict wherever it appears, in a Dockerfile
// (DF1400, DF1401), a compose file or docker run line (RT1029), an image
// configuration (IM1002) or the files of an image's layers (IM1100).
//
//   - Name says whether a variable or key name holds a credential
//     (DB_PWD, LDAP_ROOTPASS, SSH_KEY yes; PASSWORD_FILE, GPG_KEY,
//     KEYBOARD_LAYOUT no).
//   - ClassifyValue says what a value is: a literal, or a variable, a
//     reference to a file or secret store, a placeholder, a switch.
//   - Tokens finds credentials recognisable by their shape (private keys,
//     cloud and SaaS tokens), URLPasswords passwords written into URLs.
//   - Pair combines them into the verdict on one NAME=value assignment.
//   - Detect searches a whole file, and Scanner implements
//     image.ContentScanner for the streaming layer pass.
//   - Mask and Describe show a credential in a message, the same way
//     everywhere.
//
// Each detector names a few literal anchors; a text is searched for the
// anchors first, all at once (see prefilter.go), and a detector's regular
// expression only ever sees the line or short window around an anchor
// hit, so that scanning a layer costs little more than reading it.
package secrets
