package ledger

import "testing"

func TestYAMLEditor(t *testing.T) {
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
	if got := string(e.Bytes()); got != want {
		t.Errorf("edited:\n%s\nwant:\n%s", got, want)
	}

	crlf, err := EditYAML([]byte("a: 1\r\nb: 2"))
	if err != nil || crlf.NL() != "\r\n" || string(crlf.Bytes()) != "a: 1\r\nb: 2\r\n" {
		t.Errorf("CRLF: %v %q", err, crlf.Bytes())
	}
	if empty, err := EditYAML([]byte("# only a comment\n")); err != nil || empty.Root() != nil {
		t.Errorf("a file of comments: %v, root %v", err, empty.Root())
	}
	if _, err := EditYAML([]byte("a: [\n")); err == nil {
		t.Error("broken YAML parsed")
	}
}
