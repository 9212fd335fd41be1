package ledger

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/schema"
)

func TestParseYAMLTree(t *testing.T) {
	src := "# comment\nname: Alice\njoined: 2021-03-04\nquoted: \"2021-03-04\"\nweight: 3\nratio: 0.5\nbot: false\nnothing:\nlist: [a, 1]\n"
	p, fs := parseYAML(nil, "people/alice.yaml", []byte(src), true)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	want := map[string]any{
		"name": "Alice", "joined": "2021-03-04", "quoted": "2021-03-04",
		"weight": json.Number("3"), "ratio": json.Number("0.5"), "bot": false,
		"nothing": nil, "list": []any{"a", json.Number("1")},
	}
	if !reflect.DeepEqual(p.tree, want) {
		t.Errorf("tree = %#v\nwant %#v", p.tree, want)
	}
	n, ok := new(locator).lookup(p.root, []string{"list", "1"})
	if !ok || n.Line != 9 || n.Column != 11 {
		t.Errorf("lookup list[1] = line %d col %d ok %v; want 9:11", n.Line, n.Column, ok)
	}
}

func TestParseYAMLFindings(t *testing.T) {
	cases := []struct {
		name, src, rule string
		line            int
	}{
		{"duplicate key", "name: a\nbot: true\nname: b\n", "duplicate-key", 3},
		{"duplicate key in a large mapping", largeMapping(40, 37), "duplicate-key", 37},
		{"two documents", "name: a\n---\nname: b\n", "multi-document", 2},
		{"bad syntax", "name: a\n  bad: indent\n", "yaml", 2},
		{"alias bomb", bomb(), "alias", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, fs := parseYAML(nil, "x.yaml", []byte(c.src), true)
			if len(fs) != 1 || fs[0].Rule != c.rule || (c.line > 0 && fs[0].Line != c.line) {
				t.Errorf("findings = %+v; want one %s at line %d", fs, c.rule, c.line)
			}
		})
	}
}

// largeMapping has n keys k0..k(n-1), the one on line dup (1-based)
// repeating k1.
func largeMapping(n, dup int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i == dup-1 {
			b.WriteString("k1: repeated\n")
			continue
		}
		fmt.Fprintf(&b, "k%d: v\n", i)
	}
	return b.String()
}

// bomb is a "billion laughs": nine levels of nine aliases.
func bomb() string {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(name + ": &" + name + " [")
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	return b.String()
}

func TestMergeKeys(t *testing.T) {
	src := "base: &base {org: acme, from: 2021-01-01}\nnext:\n  <<: *base\n  from: 2022-01-01\n"
	p, fs := parseYAML(nil, "x.yaml", []byte(src), true)
	if len(fs) != 0 {
		t.Fatal(fs)
	}
	next := p.tree.(map[string]any)["next"]
	want := map[string]any{"org": "acme", "from": "2022-01-01"}
	if !reflect.DeepEqual(next, want) {
		t.Errorf("merged = %v, want %v", next, want)
	}
}

func TestInvalidUTF8Position(t *testing.T) {
	p, ok := invalidUTF8([]byte("name: ok\nname: caf\xe9\n"))
	if ok || p != (Pos{2, 10}) {
		t.Errorf("got %v %v, want 2:10", p, ok)
	}
}

// TestPlacingIsLinear: placing a file's schema errors reads each key node
// a bounded number of times, however many errors the file holds, because a
// large mapping is indexed once instead of scanned for each error.
func TestPlacingIsLinear(t *testing.T) {
	set, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1000, 4000} {
		src := "name: Many Keys\nidentities: {github: many-keys}\n" + largeMapping(n, 0)
		p, fs := parseYAML(nil, "people/many-keys.yaml", []byte(src), true)
		if len(fs) != 0 {
			t.Fatal(fs)
		}
		errs := set.Validate("person", p.tree)
		if len(errs) != n {
			t.Fatalf("%d keys: %d schema errors, want %d", n, len(errs), n)
		}
		var lc locator
		for _, e := range errs {
			f := schemaFinding(&lc, "people/many-keys.yaml", p.root, e)
			if want := fmt.Sprintf("k%d", f.Line-3); f.Field != want || f.Col != 1 {
				t.Fatalf("%s placed at %d:%d", f.Field, f.Line, f.Col)
			}
		}
		if keys := n + 2; lc.visits > keys {
			t.Errorf("placing %d errors read %d key nodes; want at most one read of each of the %d keys", n, lc.visits, keys)
		}
	}
}
