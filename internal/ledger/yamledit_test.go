package ledger

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestYAMLEditorLines(t *testing.T) {
	text := "# the file's own comment\n" +
		"source: x\n" +
		"# about the overrides\n" +
		"overrides:\n" +
		"  NG: {usd: \"38.00\"}\n" +
		"  # a note inside the overrides\n" +
		"\n" +
		"# about fallback_usd\n" +
		"fallback_usd: \"100\"\n" +
		"rates: []"
	e, err := EditYAML([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if e.NL() != "\n" || e.Lines() != 10 {
		t.Fatalf("NL %q, %d lines", e.NL(), e.Lines())
	}
	for _, c := range []struct {
		key  string
		want string
	}{
		// The comments above a key are its own, but not the file's.
		{"source", "source: x\n"},
		// Indented comments inside it stay; the blank line and the
		// comment about the next key do not.
		{"overrides", "# about the overrides\noverrides:\n  NG: {usd: \"38.00\"}\n  # a note inside the overrides\n"},
		// The last line gets a line break.
		{"rates", "rates: []\n"},
	} {
		first, end, ok := e.Entry(c.key)
		if got := string(e.Text(first, end)); !ok || got != c.want {
			t.Errorf("Entry(%s) = %q, want %q", c.key, got, c.want)
		}
	}
	if _, _, ok := e.Entry("minimums"); ok {
		t.Error("Entry found a key the file does not have")
	}
	key, val, next := e.Key("rates")
	if key == nil || next != nil {
		t.Fatalf("Key(rates) = %v, %v, %v", key, val, next)
	}
	e.Cut(key.Line-1, val.Column-1, 2)
	e.Insert(key.Line, "  USD: \"1\"\n")
	e.Insert(e.Lines(), "# end\n")
	want := text[:len(text)-len("rates: []")] + "rates:\n  USD: \"1\"\n# end\n"
	if got, err := e.Bytes(); err != nil || string(got) != want {
		t.Errorf("edited:\n%s\nwant:\n%s", got, want)
	}

	crlf, err := EditYAML([]byte("a: 1\r\nb: 2"))
	if err != nil || crlf.NL() != "\r\n" || string(crlf.Line(1)) != "b: 2\r\n" {
		t.Fatalf("CRLF: %v %q", err, crlf.Line(1))
	}
	// What is added at the end goes on lines of its own; else the file
	// keeps its ending.
	crlf.Insert(crlf.Lines(), "c: 3\r\n")
	crlf.Insert(crlf.Lines(), "d: 4\r\n")
	if got, err := crlf.Bytes(); err != nil || string(got) != "a: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n" {
		t.Errorf("CRLF, added at the end: %v %q", err, got)
	}
	crlf, _ = EditYAML([]byte("a: 1\r\nb: 2"))
	crlf.Cut(0, 2, 2)
	if got, err := crlf.Bytes(); err != nil || string(got) != "a:\r\nb: 2" {
		t.Errorf("CRLF, cut: %v %q", err, got)
	}
	if empty, err := EditYAML([]byte("# only a comment\n")); err != nil || empty.Root() != nil {
		t.Errorf("a file of comments: %v, root %v", err, empty.Root())
	}
	if _, err := EditYAML([]byte("a: [\n")); err == nil {
		t.Error("broken YAML parsed")
	}
}

// item returns a shard's i-th credit.
func item(t *testing.T, e *YAMLEditor, i int) *yaml.Node {
	t.Helper()
	_, list := Pair(e.Root(), "credits")
	if list == nil || i >= len(list.Content) {
		t.Fatalf("no credit %d", i)
	}
	return list.Content[i]
}

func TestYAMLEditorSetAndAddKeepTheRest(t *testing.T) {
	src := "# hand-written\r\ncredits:\r\n" +
		"  - {id: a, who: \"github:Dev\", kind: review, date: 2026-10-01}  # flow\r\n" +
		"  # a comment above a block entry\r\n" +
		"  - id: b\r\n    who: 'dév'   # accented\r\n    kind: talk\r\n    date: 2026-10-02\r\n" +
		"  - id: c\r\n    who: dév"
	e, err := EditYAML([]byte(src))
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

func TestYAMLEditorRemove(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"flow list", "team: [alice, 'github:a-gh', bob]  # the team\ncontact: bob\n", "team: [bob]  # the team\ncontact: bob\n"},
		{"flow list emptied", "team: [alice]\n", "team: []\n"},
		{"flow list with a bracket in a name", "team: ['x]y', alice]\n", "team: ['x]y']\n"},
		{"block list", "team:\n  - alice   # lead\n  - bob\n  - \"github:A-GH\"\nnote: x\n", "team:\n  - bob\nnote: x\n"},
		{"block list emptied", "team:\n  - alice\nnote: x\n", "team: []\nnote: x\n"},
	} {
		e, err := EditYAML([]byte(c.src))
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

	e, _ := EditYAML([]byte("date: 2026-05-14\nperson: reto   # the old form\norg: acme\n"))
	k, _ := Pair(e.Root(), "person")
	if err := e.RemovePair(e.Root(), k); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.Bytes(); string(got) != "date: 2026-05-14\norg: acme\n" {
		t.Errorf("remove a pair: %q", got)
	}
}

// TestYAMLEditorRefuses: what cannot be edited line by line is an error that
// says how to write it, and nothing is guessed.
func TestYAMLEditorRefuses(t *testing.T) {
	for _, c := range []struct{ src, key, want string }{
		{"who: |\n  alice\n", "who", "1:6: write this value on one line"},
		{"x: &a alice\nwho: *a\n", "who", "alias"},
		{"who: alice\n  bob\n", "who", "on one line"},
	} {
		e, err := EditYAML([]byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		_, v := Pair(e.Root(), c.key)
		if err := e.Set(v, "x"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error about %q", c.src, err, c.want)
		}
	}
	e, _ := EditYAML([]byte("{date: 2026-05-14, person: reto}\n"))
	k, _ := Pair(e.Root(), "person")
	if err := e.RemovePair(e.Root(), k); err == nil || !strings.Contains(err.Error(), "block") {
		t.Errorf("a flow mapping: %v", err)
	}
	e, _ = EditYAML([]byte("list:\n  - person: reto\n    org: acme\n"))
	_, list := Pair(e.Root(), "list")
	m := list.Content[0]
	k, _ = Pair(m, "person")
	if err := e.RemovePair(m, k); err == nil || !strings.Contains(err.Error(), "line of its own") {
		t.Errorf("a pair on a list item's dash line: %v", err)
	}
}
