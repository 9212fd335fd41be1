package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

const commit = "0123456789abcdef0123456789abcdef01234567"

func buildInfo(version string, settings ...string) *debug.BuildInfo {
	info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/tallyledger/tally", Version: version}}
	for i := 0; i+1 < len(settings); i += 2 {
		info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
	}
	return info
}

func TestReadVersion(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, stamped string
		info          *debug.BuildInfo
		want, ref     string
	}{
		{"release build", "v1.2.3", buildInfo("(devel)", "vcs.revision", commit, "vcs.modified", "false"), "v1.2.3 (commit " + commit + ")", "v1.2.3"},
		{"go install of a tag", "", buildInfo("v1.4.0"), "v1.4.0", "v1.4.0"},
		{"go install of a commit", "", buildInfo("v1.4.1-0.20261001120000-0123456789ab"), "v1.4.1-0.20261001120000-0123456789ab", ""},
		{"checkout", "", buildInfo("(devel)", "vcs.revision", commit, "vcs.modified", "false"), "devel (commit " + commit + ")", commit},
		{"checkout with changes", "", buildInfo("(devel)", "vcs.revision", commit, "vcs.modified", "true"), "devel (commit " + commit + ", modified)", ""},
		{"no build information", "", nil, "devel", ""},
		{"stamped, no build information", "v2.0.0-rc.1", nil, "v2.0.0-rc.1", "v2.0.0-rc.1"},
	} {
		v := readVersion(c.stamped, c.info)
		if got := v.String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if got := v.actionRef(); got != c.ref {
			t.Errorf("%s: action ref %q, want %q", c.name, got, c.ref)
		}
	}
}

func TestVersionCommands(t *testing.T) {
	t.Parallel()
	want := "tally " + currentVersion().String() + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if out, errOut, code := run(t, args...); code != 0 || out != want {
			t.Errorf("%v: exit %d, %q, want %q\n%s", args, code, out, want, errOut)
		}
	}
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	for shell, want := range map[string]string{"bash": "__start_tally", "zsh": "#compdef tally", "fish": "complete -c tally", "powershell": "Register-ArgumentCompleter"} {
		out, errOut, code := run(t, "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, output lacks %q\n%.200s%s", shell, code, want, out, errOut)
		}
	}
	if _, _, code := run(t, "completion", "tcsh"); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
}
