// Package sysmem finds how much memory this process may use: the cgroup's
// limit when it runs in a container (v2 or v1), else the machine's memory.
// The command line derives its garbage collector's soft limit from it, so
// a large ledger neither thrashes on a big machine nor is killed on a small
// one.
package sysmem

import (
	"bufio"
	"bytes"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// Available returns the bytes this process may use, read from fsys (the
// root of the file system: os.DirFS("/") outside tests), and false when
// nothing says.
func Available(fsys fs.FS) (int64, bool) {
	total, ok := memTotal(fsys)
	if limit, found := cgroupLimit(fsys); found && (!ok || limit < total) {
		return limit, true
	}
	return total, ok
}

// SoftLimit is the heap size the collector should aim under: three
// quarters of what is available, leaving room for the stacks, the runtime
// and the file cache a load of many files leans on.
func SoftLimit(available int64) int64 {
	return available / 4 * 3
}

// memTotal reads MemTotal from /proc/meminfo.
func memTotal(fsys fs.FS) (int64, bool) {
	data, err := fs.ReadFile(fsys, "proc/meminfo")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		rest, found := strings.CutPrefix(line, "MemTotal:")
		if !found {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || kb <= 0 || kb > 1<<53 {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}

// cgroupLimit reads the memory limit of this process's cgroup: v2's
// memory.max or v1's memory.limit_in_bytes, at the process's own cgroup
// path and then at the mount's root (a container often sees only its own
// cgroup there). "max", and v1's huge "unlimited" figures, are no limit.
func cgroupLimit(fsys fs.FS) (int64, bool) {
	data, err := fs.ReadFile(fsys, "proc/self/cgroup")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		// hierarchy-ID:controllers:path
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		var candidates []string
		switch {
		case parts[0] == "0" && parts[1] == "":
			candidates = []string{
				path.Join("sys/fs/cgroup", parts[2], "memory.max"),
				"sys/fs/cgroup/memory.max",
			}
		case hasController(parts[1], "memory"):
			candidates = []string{
				path.Join("sys/fs/cgroup/memory", parts[2], "memory.limit_in_bytes"),
				"sys/fs/cgroup/memory/memory.limit_in_bytes",
			}
		default:
			continue
		}
		for _, name := range candidates {
			if limit, ok := readLimit(fsys, name); ok {
				return limit, true
			}
		}
	}
	return 0, false
}

func hasController(list, name string) bool {
	for c := range strings.SplitSeq(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// unlimited is where v1 figures stop meaning a limit: the kernel reports
// "no limit" as the largest page-aligned int64.
const unlimited = 1 << 62

func readLimit(fsys fs.FS, name string) (int64, bool) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0, false
	}
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= unlimited {
		return 0, false
	}
	return n, true
}
