package cli

import (
	"fmt"
	"regexp"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// releaseVersion is what a release build stamps in:
// -ldflags "-X github.com/tallyledger/tally/internal/cli.releaseVersion=v1.2.3".
var releaseVersion string

// buildVersion is what a binary knows of the source it was built from.
type buildVersion struct {
	version  string // v1.2.3, or "devel"
	commit   string // the full commit hash, when built in a git checkout
	modified bool   // the checkout had uncommitted changes
}

// currentVersion is this binary's version: the release's stamp, else the
// module version that go install records, else "devel"; the commit when
// the go command recorded one.
func currentVersion() buildVersion {
	info, _ := debug.ReadBuildInfo() // nil when the binary has none
	return readVersion(releaseVersion, info)
}

func readVersion(stamped string, info *debug.BuildInfo) buildVersion {
	v := buildVersion{version: stamped}
	if info == nil {
		if v.version == "" {
			v.version = "devel"
		}
		return v
	}
	if v.version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v.version = info.Main.Version
	}
	if v.version == "" {
		v.version = "devel"
	}
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			v.commit = kv.Value
		case "vcs.modified":
			v.modified = kv.Value == "true"
		}
	}
	return v
}

func (v buildVersion) String() string {
	switch {
	case v.commit == "":
		return v.version
	case v.modified:
		return fmt.Sprintf("%s (commit %s, modified)", v.version, v.commit)
	}
	return fmt.Sprintf("%s (commit %s)", v.version, v.commit)
}

// releaseTag matches a release's tag, not a pseudo-version such as
// v0.0.0-20260101000000-0123456789ab that go install gives a commit.
var (
	releaseTag    = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
	pseudoVersion = regexp.MustCompile(`[-.][0-9]{14}-[0-9a-f]{12}$`)
	fullCommit    = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// actionRef is the ref of tally's Action that matches this binary, for
// the workflows tally init writes: its release tag, else the commit it
// was built from when that had no changes; "" when it knows neither.
func (v buildVersion) actionRef() string {
	if releaseTag.MatchString(v.version) && !pseudoVersion.MatchString(v.version) {
		return v.version
	}
	if fullCommit.MatchString(v.commit) && !v.modified {
		return v.commit
	}
	return ""
}

func newVersion(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print tally's version and the commit it was built from",
		Long: `Version prints the release version (devel for a build from a checkout) and,
when the binary was built in a git checkout, the commit and whether it had
uncommitted changes. tally --version prints the same.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(s.out, "tally", currentVersion())
			return nil
		},
	}
}
