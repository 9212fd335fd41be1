package ledger

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// item returns a shard's i-th credit.
func item(t *testing.T, e *Edit, i int) *yaml.Node {
	t.Helper()
	_, list := Pair(e.Root(), "credits")
	if list == nil || i >= len(list.Content) {
		t.Fatalf("no credit %d", i)
	}
	return list.Content[i]
}

func TestEditSetAndAddKeepTheRest(t *testing.T) {
	src := "# hand-written\r\ncredits:\r\n" +
		"  - {id: a, who: \"github:Dev\", kind: review, date: 2026-10-01}  # flow\r\n" +
		"  # a comment above a block entry\r\n" +
		"  - id: b\r\n    who: 'dév'   # accented\r\n    kind: talk\r\n    date: 2026-10-02\r\n" +
		"  - id: c\r\n    who: dév"
	e, err := NewEdit([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		m := item(t, e, i)
		k, v := Pair(m, "who")
		if err := e.Set(v, Scalar("anonymous:0123456789ab")); err != nil {
			t.Fatal(err)
		}
		if err := e.AddAfter(m, k, "org", Scalar("acme")); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := "# hand-written\r\ncredits:\r\n" +
		"  - {id: a, who: anonymous:0123456789ab, org: acme, kind: review, date: 2026-10-01}  # flow\r\n" +
		"  # a comment above a block entry\r\n" +
		"  - id: b\r\n    who: anonymous:0123456789ab   # accented\r\n    org: acme\r\n    kind: talk\r\n    date: 2026-10-02\r\n" +
		"  - id: c\r\n    who: anonymous:0123456789ab\r\n    org: acme\r\n"
	if string(got) != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}

func TestEditRemove(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"flow list", "team: [alice, 'github:a-gh', bob]  # the team\ncontact: bob\n", "team: [bob]  # the team\ncontact: bob\n"},
		{"flow list emptied", "team: [alice]\n", "team: []\n"},
		{"flow list with a bracket in a name", "team: ['x]y', alice]\n", "team: ['x]y']\n"},
		{"block list", "team:\n  - alice   # lead\n  - bob\n  - \"github:A-GH\"\nnote: x\n", "team:\n  - bob\nnote: x\n"},
		{"block list emptied", "team:\n  - alice\nnote: x\n", "team: []\nnote: x\n"},
	} {
		e, err := NewEdit([]byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		k, v := Pair(e.Root(), "team")
		drop := func(n *yaml.Node) bool { return n.Value == "alice" || strings.EqualFold(n.Value, "github:a-gh") }
		if err := e.RemoveItems(k, v, drop); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := e.Bytes()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(got) != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}

	e, _ := NewEdit([]byte("date: 2026-05-14\nperson: reto   # the old form\norg: acme\n"))
	k, _ := Pair(e.Root(), "person")
	if err := e.RemovePair(e.Root(), k); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.Bytes(); string(got) != "date: 2026-05-14\norg: acme\n" {
		t.Errorf("remove a pair: %q", got)
	}
}

// TestEditRefuses: what cannot be edited line by line is an error that
// says how to write it, and nothing is guessed.
func TestEditRefuses(t *testing.T) {
	for _, c := range []struct{ src, key, want string }{
		{"who: |\n  alice\n", "who", "1:6: write this value on one line"},
		{"x: &a alice\nwho: *a\n", "who", "alias"},
		{"who: alice\n  bob\n", "who", "on one line"},
	} {
		e, err := NewEdit([]byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		_, v := Pair(e.Root(), c.key)
		if err := e.Set(v, "x"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error about %q", c.src, err, c.want)
		}
	}
	e, _ := NewEdit([]byte("{date: 2026-05-14, person: reto}\n"))
	k, _ := Pair(e.Root(), "person")
	if err := e.RemovePair(e.Root(), k); err == nil || !strings.Contains(err.Error(), "block") {
		t.Errorf("a flow mapping: %v", err)
	}
	e, _ = NewEdit([]byte("list:\n  - person: reto\n    org: acme\n"))
	_, list := Pair(e.Root(), "list")
	m := list.Content[0]
	k, _ = Pair(m, "person")
	if err := e.RemovePair(m, k); err == nil || !strings.Contains(err.Error(), "line of its own") {
		t.Errorf("a pair on a list item's dash line: %v", err)
	}
}
