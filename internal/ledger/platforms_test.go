package ledger

import (
	"slices"
	"strings"
	"testing"
)

// TestPlatformsDocumented: program.yaml's schema, which editors show on
// hover, names tally's own platforms as Platforms lists them.
func TestPlatformsDocumented(t *testing.T) {
	var s struct {
		Properties struct{ Platforms struct{ Description string } }
	}
	readSchema(t, "program", &s)
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
