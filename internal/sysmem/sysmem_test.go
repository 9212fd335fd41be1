package sysmem

import (
	"testing"
	"testing/fstest"
)

const meminfo = "MemTotal:       24683792 kB\nMemFree:        22459112 kB\n"

func TestAvailable(t *testing.T) {
	const gib = 1 << 30
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  int64
		ok    bool
	}{
		{"no information", nil, 0, false},
		{"machine only", map[string]string{"proc/meminfo": meminfo}, 24683792 << 10, true},
		{"cgroup v2 limit at the process's path", map[string]string{
			"proc/meminfo":                    meminfo,
			"proc/self/cgroup":                "0::/job/42\n",
			"sys/fs/cgroup/job/42/memory.max": "2147483648\n",
			"sys/fs/cgroup/memory.max":        "max\n",
		}, 2 * gib, true},
		{"cgroup v2 limit at the mount's root", map[string]string{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         "0::/job/42\n",
			"sys/fs/cgroup/memory.max": "7516192768\n",
		}, 7 * gib, true},
		{"cgroup v2 without a limit", map[string]string{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         "0::/\n",
			"sys/fs/cgroup/memory.max": "max\n",
		}, 24683792 << 10, true},
		{"cgroup v1 limit", map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "5:devices:/\n4:memory:/process_api/abc\n0::/\n",
			"sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes": "4294967296\n",
		}, 4 * gib, true},
		{"cgroup v1 unlimited", map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "4:memory:/\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
		}, 24683792 << 10, true},
		{"cgroup v1 with joined controllers", map[string]string{
			"proc/self/cgroup": "3:cpu,memory:/x\n",
			"sys/fs/cgroup/memory/x/memory.limit_in_bytes": "1073741824\n",
		}, gib, true},
		{"a limit above the machine's memory", map[string]string{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         "0::/\n",
			"sys/fs/cgroup/memory.max": "68719476736\n",
		}, 24683792 << 10, true},
		{"garbage", map[string]string{
			"proc/meminfo":             "MemTotal: lots\n",
			"proc/self/cgroup":         "0::/\n",
			"sys/fs/cgroup/memory.max": "-1\n",
		}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			got, ok := Available(fsys)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Available = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestSoftLimit(t *testing.T) {
	if got := SoftLimit(8 << 30); got != 6<<30 {
		t.Errorf("SoftLimit(8 GiB) = %d, want 6 GiB", got)
	}
}
