package ledger_test

import (
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

// Resolve finds identities whatever their case, by the quick path for a
// key already in lower case and the slow one for the others.
func TestResolve(t *testing.T) {
	alice := &ledger.Person{ID: "alice", Identities: []ledger.Identity{{Platform: "github", Handle: "Alice-B"}}}
	zoe := &ledger.Person{ID: "zoe", Identities: []ledger.Identity{{Platform: "discourse", Handle: "zoé"}}}
	ix := ledger.NewIndex(&ledger.Ledger{People: []*ledger.Person{alice, zoe}})
	for who, want := range map[string]*ledger.Person{
		"github:alice-b":   alice,
		"github:Alice-B":   alice,
		"GitHub:ALICE-B":   alice,
		"alice":            alice,
		"discourse:zoé":    zoe,
		"discourse:ZOÉ":    zoe,
		"github:alice":     nil,
		"Alice":            nil,
		"discourse:zoe":    nil,
		"gitlab:alice-b":   nil,
		"github:alice-b:x": nil,
	} {
		if got := ix.Resolve(who); got != want {
			t.Errorf("Resolve(%q) = %v, want %v", who, got, want)
		}
	}
}
