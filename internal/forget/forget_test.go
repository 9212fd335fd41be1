package forget

import (
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

// The command's tests (internal/cli/forget_test.go) run erasures end to
// end on this ledger; these check the plan's own guard.
const fixture = "../cli/testdata/forget/ledger"

// testWho stands for the random identity the command line makes.
const testWho = "anonymous:0123456789ab"

// TestVerifyCatchesWhatWouldMove: a plan whose edits would move an
// organisation's figures, or leave the person named, is refused before
// anything is written.
func TestVerifyCatchesWhatWouldMove(t *testing.T) {
	l, _, err := ledger.Load(fixture, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const shard = "credits/2026/09/github.yaml"
	for _, c := range []struct {
		name, from, to, want string
	}{
		{"an org left out", ", org: globex", "", "would change the figures of globex"},
		{"a credit left as hers", "who: " + testWho, "who: github:erin-gh", "credits/2026/09/github.yaml:2:"},
	} {
		p, err := New(fixture, l, "erin", testWho)
		if err != nil {
			t.Fatal(err)
		}
		text := string(p.edited[shard])
		if !strings.Contains(text, c.from) {
			t.Fatalf("%s: the plan's %s lacks %q:\n%s", c.name, shard, c.from, text)
		}
		p.edited[shard] = []byte(strings.Replace(text, c.from, c.to, 1))
		if err := p.verify(l); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("%s: %v, want an error about %q", c.name, err, c.want)
		}
	}
}
