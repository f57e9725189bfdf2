package container

// ItemKey names one item of a list-valued key in Spec.Where, such as one
// capability of cap_add (ItemKey(KeyCapAdd, "SYS_ADMIN"), normalised like
// CapAdd), one security_opt value, one device as in Spec.Devices, one tmpfs
// path, one network name, one secret name or one exposed port. Loaders
// record items where they know the line of each.
func ItemKey(key, item string) string { return key + "[" + item + "]" }

// ItemPos returns where one item of a list-valued key was set, falling back
// to the key, then to where the container is defined.
func (s *Spec) ItemPos(key, item string) Pos {
	if p, ok := s.Where[ItemKey(key, item)]; ok && p.Range.Line > 0 {
		return p
	}
	return s.Pos(key)
}
