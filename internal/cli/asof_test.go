package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runAt runs tally as Main does, with the clock stopped at now.
func runAt(now time.Time, args ...string) (stdout, stderr string, code int) {
	var out, errb strings.Builder
	in := strings.NewReader("")
	code = execute(newRoot(&streams{in: in, out: &out, err: &errb, now: func() time.Time { return now }}), args, in, &out, &errb)
	return out.String(), errb.String(), code
}

// TestAsOfMustHaveEnded: every command that takes --as-of refuses a month
// that has not ended in the program's time zone (UTC for the example):
// one to come, or the one under way. Reports, ranks and eligibility count
// complete months only.
func TestAsOfMustHaveEnded(t *testing.T) {
	// 1 November in Tokyo, still October in UTC.
	now := time.Date(2026, 11, 1, 5, 0, 0, 0, time.FixedZone("JST", 9*3600))
	out := filepath.Join(t.TempDir(), "reports")
	for _, args := range [][]string{
		{"report", "--out", out, "--as-of", "2030-01"},
		{"report", "--out", out, "--as-of", "2026-10"},
		{"site", "--out", out, "--as-of", "2026-11"},
		{"eligibility", "northwind", "--as-of", "2030-01"},
		{"eligibility", "--json", "--as-of", "2026-10"},
	} {
		month := args[len(args)-1]
		stdout, stderr, code := runAt(now, append(args, "--ledger", "../../ledger")...)
		want := "tally: --as-of " + month + " has not ended yet: the latest month allowed is 2026-09, the last to have ended in UTC, the program's time zone\n"
		if code != exitUsage || stdout != "" || stderr != want {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q\nwant   %q", args, code, stdout, stderr, want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused --as-of wrote %s", out)
	}

	// The latest month allowed: its quarter and year are still under way.
	if _, stderr, code := runAt(now, "report", "--ledger", "../../ledger", "--out", out, "--as-of", "2026-09"); code != 0 {
		t.Fatalf("--as-of 2026-09: exit %d\n%s", code, stderr)
	}
	for name, complete := range map[string]bool{"monthly/2026-09.json": true, "quarterly/2026-Q3.json": true, "annual/2026.json": false} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if want := `"complete": ` + map[bool]string{true: "true", false: "false"}[complete]; err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: want %s (%v)", name, want, err)
		}
	}
	for _, name := range []string{"monthly/2026-10.json", "quarterly/2026-Q4.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); !os.IsNotExist(err) {
			t.Errorf("%s was written", name)
		}
	}
}
