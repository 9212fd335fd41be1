package ledger

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/tallyledger/tally/schemas"
)

// TestPlatformsDocumented: program.yaml's schema, which editors show on
// hover, names tally's own platforms as Platforms lists them.
func TestPlatformsDocumented(t *testing.T) {
	b, err := schemas.FS.ReadFile("program.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties struct{ Platforms struct{ Description string } }
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if want := "(" + strings.Join(Platforms, ", ") + ")"; !strings.Contains(s.Properties.Platforms.Description, want) {
		t.Errorf("the schema's platforms description does not list %s", want)
	}
	if !slices.IsSorted(Platforms) || slices.Contains(Platforms, Anonymous) {
		t.Errorf("Platforms must be sorted and leave out %q: %v", Anonymous, Platforms)
	}
}

func TestKnownPlatforms(t *testing.T) {
	p := &Program{Platforms: []Ref{{ID: "reddit"}, {ID: "github"}}}
	got := KnownPlatforms(p)
	want := slices.Sorted(slices.Values(append(slices.Clone(Platforms), "reddit")))
	if !slices.Equal(got, want) {
		t.Errorf("KnownPlatforms = %v, want %v", got, want)
	}
}
