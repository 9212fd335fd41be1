package fastyaml

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// decodeV3 parses data the way Tally does without this package. A panic
// inside yaml.v3 comes back as an error.
func decodeV3(data []byte) (doc *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("yaml.v3 panicked: %v", r)
		}
	}()
	var n yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&n); err != nil {
		return nil, err
	}
	return &n, nil
}

// diffNodes returns "" when got and want are identical in every field
// Tally uses, else the path to the first difference and what differs.
// got must also have no comments and no nil-vs-empty Content mismatch.
func diffNodes(path string, got, want *yaml.Node) string {
	if got == nil || want == nil {
		if got != want {
			return fmt.Sprintf("%s: node %v, want %v", path, got, want)
		}
		return ""
	}
	type field struct {
		name      string
		got, want any
	}
	for _, f := range []field{
		{"Kind", got.Kind, want.Kind},
		{"Style", got.Style, want.Style},
		{"Tag", got.Tag, want.Tag},
		{"Value", got.Value, want.Value},
		{"Anchor", got.Anchor, want.Anchor},
		{"Alias", got.Alias, want.Alias},
		{"Line", got.Line, want.Line},
		{"Column", got.Column, want.Column},
		{"len(Content)", len(got.Content), len(want.Content)},
		{"Content==nil", got.Content == nil, want.Content == nil},
		{"HeadComment", got.HeadComment, ""},
		{"LineComment", got.LineComment, ""},
		{"FootComment", got.FootComment, ""},
	} {
		if f.got != f.want {
			return fmt.Sprintf("%s: %s is %#v, want %#v", path, f.name, f.got, f.want)
		}
	}
	for i := range got.Content {
		p := fmt.Sprintf("%s/%d", path, i)
		if got.Kind == yaml.MappingNode && i%2 == 1 {
			p = fmt.Sprintf("%s/%q", path, got.Content[i-1].Value)
		}
		if d := diffNodes(p, got.Content[i], want.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// differential parses data with both parsers and fails t unless Parse
// refuses it or gives exactly yaml.v3's tree. It reports whether Parse
// accepted data.
func differential(t testing.TB, data []byte) bool {
	t.Helper()
	got, ok := Parse(data)
	if !ok {
		if got != nil {
			t.Fatalf("refused input returned a node\ninput: %q", data)
		}
		return false
	}
	want, err := decodeV3(data)
	if err != nil {
		t.Fatalf("accepted input that yaml.v3 rejects (%v)\ninput: %q", err, data)
	}
	if d := diffNodes("$", got, want); d != "" {
		t.Fatalf("differs from yaml.v3 at %s\ninput: %q\ngot:\n%s\nwant:\n%s", d, data, dump(got), dump(want))
	}
	return true
}

func dump(n *yaml.Node) string {
	var b strings.Builder
	var walk func(n *yaml.Node, ind string)
	walk = func(n *yaml.Node, ind string) {
		fmt.Fprintf(&b, "%skind=%d style=%d tag=%q value=%q at %d:%d\n", ind, n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column)
		for _, c := range n.Content {
			walk(c, ind+"  ")
		}
	}
	walk(n, "")
	return b.String()
}

// accepted are inputs inside the subset: Parse must accept them and agree
// with yaml.v3.
var accepted = []string{
	// Documents.
	"a: b",
	"a: b\n",
	"a: b\n\n\n",
	"\n\n# comment\n\na: b\n# trailing comment",
	"# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/credits.schema.json\ncredits: []\n",
	"  a: b\n  c: d\n",
	"scalar",
	"\"quoted\"\n",
	"[a, b]\n",
	"{a: b}",
	"- a\n- b\n",
	"\xef\xbb\xbfa: b\n",
	"a: b\r\nc:\r\n  d: e\r\n  f: [g, h]\r\n",
	"a: 1 \n  \nb: 2   \n",

	// Block mappings.
	"a:\n  b:\n    c: d\n  e: f\ng: h\n",
	"key:    value  # comment\n",
	"key: value # comment\nother: x #x\n",
	"a:\nb: 1\n",
	"a:\n",
	"a:   \n",
	"a:   # comment\nb:\n",
	"a:\n  # comment\n  b: c\n",
	"a:\n# comment at column 1\n  b: c\n",
	"key:\n  value\nother: x\n",
	"a : b\n",
	"'quoted key': v\n\"double key\": v\n",
	"\"a\"  : b\n",
	"'it''s': v\n",
	"a: b\na: c\n", // duplicates are kept
	"<<: {a: 1}\n",
	"a:b: c\n",
	"a :b: c\n",
	"a - b: c\n",
	"a: b:c\n",
	"a: b :c\n",
	"a: -1\nb: -x\nc: --\nd: -.inf\n",
	"1: one\n2.5: x\ntrue: y\n~: z\nnull: n\n",

	// Block sequences.
	"- a\n-\n- \n-   # comment\n- b\n",
	"- - nested\n  - two\n- - - deep\n",
	"- a: 1\n  b: 2\n- c: 3\n",
	"-   a: 1\n    b: 2\n",
	"- a:\n    x: 1\n  b:\n- c\n",
	"-\n  a: 1\n-\n  - x\n",
	"key:\n- a\n- b\nother: c\n",
	"key:\n- a\n-\nz: x\n",
	"- k:\n  - a\n  b: c\n",
	"- a:\n  - x\n- b\n",
	"a:\n  - x\n  - y\nb:\n    - z\n",
	"a:\n-   \n",
	"- [a, b]\n- {c: d}\n- \"q\"\n- 'r'\n",
	"- \"a\": b\n  'c': d\n",
	"credits:\n  - id: github:lumen/lumen#4312\n    who: github:oliver-b\n    kind: pull_request\n    date: 2026-10-03\n    url: https://github.com/lumen/lumen/pull/4312\n    title: \"Fix: the widget's colour\"\n    project: lumen/lumen\n    facts: {additions: 10, deletions: 2, opened: 2026-09-30T10:00:00Z}\n",

	// Flow collections.
	"a: {}\nb: []\nc: {x: []}\nd: [{}]\n",
	"a: {a: b, c: d}\n",
	"a: [a, b, [c, [d]], {e: f, g: [h]}]\n",
	"a: [ a ,b ]\n",
	"a: {a: b,c: d}\n",
	"a: [a :b, a:b, -, a:]\n",
	"a: {\"a\":b, 'c' : d, e:f: g}\n",
	"a: {\"a\":\"b\"}\n",
	"a: [\"a\", 'b', \"c d\"]\n",
	"a: [a b, c  d]\n",
	"a: [a#b]\n",
	"a: [-1, -a, -.5]\n",
	"a: [x] # comment\n",
	"a: [x]   \n",
	"a: {k: v}  # comment\n",
	"identities: {github: alice-gh, discourse: alice}\n",
	"a: [https://x.example/a#frag, b]\n",

	// Quoted scalars.
	"key: \"a # b\"\n",
	"key: 'a # b'\n",
	"key: 'it''s'\n",
	"key: ''''\n",
	"key: ''\n",
	"key: \"\"\n",
	"title: \"Fix: colon\"\n",
	"key: \"tab\\there \\\"q\\\" back\\\\slash \\n \\r \\0 \\b \\a \\v \\f \\e \\  \\' \\N \\_ \\L \\P\"\n",
	"key: \"\\x41 \\u00e9 \\u20AC \\U0001F600 \\x80 \\u0000\"\n",
	"key: \"  spaced  \"\n",
	"key: 'x'  # c\n",
	"key: \"caf\u00e9\"\n",

	// Plain scalars.
	"key: a#b\n",
	"url: https://x.example/a?b=c#frag\n",
	"key: a # b\n",
	"key: it's\n",
	"key: Fix [bug], really? {x}\n",
	"key: a  b   c\n",
	"key: a\"b'c\n",
	"key: caf\u00e9 \u65e5\u672c \U0001F600\n",
	"\u00e9t\u00e9: [\u00e9, \u65e5\u672c, x]\n\u65e5\u672c: {\u00e9: \u00e8}\n",
	"key: 50%\n",
	"key: a,b\n",
	"key: x:y\n",

	// Tags of plain scalars.
	"a: [010, 1e3, -0, +1, 0x1F, 1_000, .5, 0o17, 0b101, -0b101, -0o17, 0b2, 0o9, 09, 0.1.2]\n",
	"a: [1., 1.5, -1.5, +1.5, 1.5e10, 1e400, 1_0.5, ._5, .5., 1.2.3, 12345678901234567890, 0xFFFFFFFFFFFFFFFF, -0x10]\n",
	"a: [.inf, .Inf, .INF, +.inf, -.inf, .nan, .NaN, .NAN, .iNf, -.nan]\n",
	"a: [~, null, Null, NULL, nULL, '', \"\", ~x]\n",
	"a: [true, True, TRUE, false, False, FALSE, tRUE, yes, no, on, off, y, n, Yes, NO, Off]\n",
	"a: [2026-10-03, 2026-02-29, 2024-02-29, 2026-13-01, 2026-1-3, 2026-10-03T10:00:00Z, 2026-10-03t10:00:00Z]\n",
	"a: [2026-10-03T10:00:00+02:00, 2026-10-03T10:00:00.123Z, 2026-10-03 10:00:00, 2026-10-03 10:00:00.5, 2026-10-03T25:00:00Z]\n",
	"a: [2001-12-14 21:59:43.10 -5, 20261003, 2026-10-03x, 12:30, 1:20:30, 0001-01-01]\n",
	"a: [<<, <, <<<, ., .., -, +, +-, '-', 1-2]\n",
	"a: 123456789012345678\nb: 1234567890123456789\nc: 99999999999999999999\n",

	// Comments in odd places.
	"a: b\n# c\n  # d\nc: d\n",
	"a: # c\n  b: c\n",
	"- # c\n  a: b\n",
	"- # c\n  - a\n",
	"#\n#\na: b\n#",
}

// refused are inputs outside the subset that yaml.v3 may well accept:
// Parse must refuse them.
var refused = []string{
	"",
	"\n\n",
	"# only a comment\n",
	"---\na: b\n",
	"a: b\n---\nc: d\n",
	"a: b\n...\n",
	"%YAML 1.2\n---\na: b\n",
	"a: &x b\nc: *x\n",
	"a: !!str b\n",
	"a: !custom b\n",
	"a: |\n  text\n",
	"a: >-\n  text\n",
	"a: multi\n  line\n",
	"- multi\n  line\n",
	"a: \"multi\n  line\"\n",
	"a: 'multi\n  line'\n",
	"a: [multi,\n  line]\n",
	"a: {multi: 1,\n  line: 2}\n",
	"? complex\n: key\n",
	"a:\tb\n",
	"\ta: b\n",
	"a: b\rc: d\n",
	"a: \"\\/\"\n",
	"a: \"\\q\"\n",
	"a: \"\\ud800\"\n",
	"a: [a, b,]\n",
	"a: {a: 1,}\n",
	"a: {a: , b: 1}\n",
	"a: {a}\n",
	"a: [a: b]\n",
	"a: [a?b]\n",
	"a: {[a]: b}\n",
	"[a]: b\n",
	"a: \"x\"#c\n",
	"a: b: c\n",
	"a: - b\n",
	"a: 1\n- b\n",
	"- a\nb: c\n",
	"a\nb\n",
	"a: \u2028\n",
	"a: \u0085\n",
	"a: \x01\n",
	"a: \x7f\n",
	"a: \xff\n",
	"a: b\n\xef\xbb\xbfc: d\n",
	"a: ?x\n",
	"a: :x\n",
	"a: @x\n",
	"a: `x`\n",
	"a: %x\n",
	": v\n",
	strings.Repeat("k", 1001) + ": v\n",
	"a: [" + strings.Repeat("x", 10) + "\n",
}

func TestAccepted(t *testing.T) {
	for _, in := range accepted {
		if !differential(t, []byte(in)) {
			var p parser
			p.parse([]byte(in))
			t.Errorf("refused (line %d) an input inside the subset: %q", p.failLine, in)
		}
	}
}

func TestRefused(t *testing.T) {
	for _, in := range refused {
		if differential(t, []byte(in)) {
			t.Errorf("accepted an input outside the subset: %q", in)
		}
	}
}

// TestEmpty checks that the inputs Parse refuses as empty are the ones
// yaml.v3 answers with io.EOF.
func TestEmpty(t *testing.T) {
	for _, in := range []string{"", "\n", "# c\n", "  \n# c\n  # d"} {
		var n yaml.Node
		if err := yaml.NewDecoder(strings.NewReader(in)).Decode(&n); err != io.EOF {
			t.Errorf("yaml.v3 on %q: %v, want io.EOF", in, err)
		}
		if _, ok := Parse([]byte(in)); ok {
			t.Errorf("accepted empty document %q", in)
		}
	}
}

// blockScalar matches a line holding a block scalar header.
var blockScalar = regexp.MustCompile(`(?m)(^|[:-] +)[|>][-+0-9]* *(#.*)?\r?$`)

// TestLedger runs every file of the example ledger through both parsers:
// all must come out identical, and all but those with block scalars must
// be accepted.
func TestLedger(t *testing.T) {
	files := ledgerFiles(t)
	if len(files) < 100 {
		t.Fatalf("found only %d ledger files", len(files))
	}
	var block int
	for _, f := range files {
		if differential(t, f.data) {
			continue
		}
		var p parser
		p.parse(f.data)
		if blockScalar.Match(f.data) {
			block++
			t.Logf("refused %s (line %d): block scalar", f.path, p.failLine)
			continue
		}
		t.Errorf("refused %s at line %d", f.path, p.failLine)
	}
	t.Logf("%d ledger files, %d refused for block scalars", len(files), block)
}

// ledgerFile is one YAML file of the example ledger.
type ledgerFile struct {
	path string
	data []byte
}

func ledgerFiles(tb testing.TB) []ledgerFile {
	var files []ledgerFile
	err := filepath.WalkDir(filepath.Join("..", "..", "ledger"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		files = append(files, ledgerFile{path, data})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func FuzzParse(f *testing.F) {
	for _, in := range accepted {
		f.Add([]byte(in))
	}
	for _, in := range refused {
		f.Add([]byte(in))
	}
	f.Add(credits(3))
	f.Add([]byte(person))
	for _, lf := range ledgerFiles(f) {
		if len(lf.data) < 1500 {
			f.Add(lf.data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		differential(t, data)
	})
}

// credits generates a credits shard of n credits like the ones tally
// writes.
func credits(n int) []byte {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/credits.schema.json\ncredits:\n")
	kinds := []string{"pull_request", "review", "issue"}
	people := []string{"oliver-b", "hannahprice", "renovate[bot]", "rhys-evans", "aiko"}
	for i := 0; i < n; i++ {
		num := 4000 + i
		who := people[i%len(people)]
		kind := kinds[i%len(kinds)]
		day := 1 + i%28
		fmt.Fprintf(&b, "  - id: github:lumen/lumen#%d\n", num)
		if strings.Contains(who, "[") {
			fmt.Fprintf(&b, "    who: \"github:%s\"\n", who)
		} else {
			fmt.Fprintf(&b, "    who: github:%s\n", who)
		}
		fmt.Fprintf(&b, "    kind: %s\n", kind)
		fmt.Fprintf(&b, "    date: 2026-10-%02d\n", day)
		fmt.Fprintf(&b, "    url: https://github.com/lumen/lumen/pull/%d\n", num)
		if i%2 == 0 {
			fmt.Fprintf(&b, "    title: \"Fix: the widget's colour (%d)\"\n", i)
		} else {
			fmt.Fprintf(&b, "    title: Add CSV import to the campaign builder, part %d\n", i)
		}
		b.WriteString("    project: lumen/lumen\n")
		if kind == "pull_request" {
			fmt.Fprintf(&b, "    facts: {additions: %d, deletions: %d, opened: 2026-09-%02dT10:00:00Z}\n", 10+i%300, i%17, day)
		}
	}
	return b.Bytes()
}

const person = `name: Alice Example
identities: {github: alice-gh, discourse: alice}
affiliations:
  - {org: acme, from: 2021-03-01, until: 2023-07-01}
  - org: globex
    from: "2023-07-01"
visibility: public
bot: false
`

func TestBenchmarkInputs(t *testing.T) {
	for _, in := range [][]byte{credits(3000), []byte(person)} {
		if !differential(t, in) {
			t.Fatalf("benchmark input refused")
		}
	}
}

func benchInputs() []struct {
	name string
	data []byte
} {
	return []struct {
		name string
		data []byte
	}{
		{"credits3000", credits(3000)},
		{"person", []byte(person)},
	}
}

// BenchmarkLedger parses the whole example ledger, falling back to yaml.v3
// for the files Parse refuses, as Tally would.
func BenchmarkLedger(b *testing.B) {
	var files [][]byte
	var size int64
	for _, f := range ledgerFiles(b) {
		files = append(files, f.data)
		size += int64(len(f.data))
	}
	b.Run("fastyaml+fallback", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				if _, ok := Parse(f); !ok {
					var n yaml.Node
					if err := yaml.NewDecoder(bytes.NewReader(f)).Decode(&n); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	})
	b.Run("yamlv3", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			for _, f := range files {
				var n yaml.Node
				if err := yaml.NewDecoder(bytes.NewReader(f)).Decode(&n); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for _, in := range benchInputs() {
		b.Run(in.name+"/fastyaml", func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := Parse(in.data); !ok {
					b.Fatal("refused")
				}
			}
		})
		b.Run(in.name+"/yamlv3", func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for b.Loop() {
				var n yaml.Node
				if err := yaml.NewDecoder(bytes.NewReader(in.data)).Decode(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
