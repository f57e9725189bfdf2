package container

import "testing"

// TestDropsAll covers `--cap-drop ALL` as Docker reports it (ALL) and as
// Podman's inspect reports it (every default capability by name).
func TestDropsAll(t *testing.T) {
	podman := []string{"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
		"NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}
	for _, c := range []struct {
		drop []string
		want bool
	}{
		{[]string{"ALL"}, true},
		{podman, true},
		{podman[1:], false},
		{[]string{"NET_RAW"}, false},
		{nil, false},
	} {
		if got := (&Spec{CapDrop: c.drop}).DropsAll(); got != c.want {
			t.Errorf("DropsAll(%v) = %v, want %v", c.drop, got, c.want)
		}
	}
}
