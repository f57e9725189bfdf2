// Package composeedit computes text edits of compose files: keys added to a
// service, items appended to its lists, scalars replaced, top-level entries
// added. It never re-serialises the YAML. Positions come from the yaml.v3
// node tree (the library compose-go reads compose files with), new text
// follows the indentation and the block or flow style the file already
// uses, and comments, anchors, quoting and key order stay as written.
//
// Every plan is verified before it is handed out: the edits are applied to
// the text, the result is decoded again, and it must equal the original
// document with exactly the intended change made. An edit that would land
// somewhere unintended (a block scalar that keeps trailing lines, an odd
// layout) is refused rather than risked.
//
// Edits are refused, with a reason a user can act on, where they would be
// ambiguous: a service or key that comes from an alias or a merge key
// (`<<: *common`), an anchored node that other places reuse (editing it
// would change them too), a service that extends another definition.
package composeedit
