package fastyaml

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

var (
	randomN    = flag.Int("random.n", 20000, "number of documents TestRandom generates")
	randomSeed = flag.Uint64("random.seed", 1, "seed of TestRandom")
)

// TestRandom is a differential test on generated documents: mostly inside
// the subset, some mutated out of it. Every one must be refused or parsed
// exactly like yaml.v3 does.
func TestRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(*randomSeed, 2))
	var accepted int
	for i := 0; i < *randomN; i++ {
		g := gen{r: r}
		g.block(0, 0)
		doc := g.b.String()
		if r.IntN(3) == 0 {
			doc = g.mutate(doc)
		}
		if differential(t, []byte(doc)) {
			accepted++
		}
	}
	t.Logf("%d of %d generated documents accepted", accepted, *randomN)
	if *randomN >= 1000 && accepted < *randomN/3 {
		t.Errorf("only %d of %d generated documents accepted", accepted, *randomN)
	}
}

type gen struct {
	r *rand.Rand
	b strings.Builder
}

var (
	genPlain = []string{
		"a", "b", "key", "value", "Alice Example", "github:oliver-b", "lumen/lumen",
		"https://x.example/a?b=c#frag", "a#b", "it's", "a:b", "a - b", "-x", "-", "--", "<<", "<",
		"0", "1", "-1", "+1", "010", "09", "0x1F", "0o17", "0b11", "1_000", "-0", ".5", "1.", "1.5", "1e3",
		"1e400", "12345678901234567890", "123456789012345678", ".inf", "-.Inf", ".nan", ".NaN", "+.INF",
		"~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "false", "FALSE", "yes", "no", "on", "off", "y", "n",
		"2026-10-03", "2026-02-29", "2024-02-29", "2026-13-01", "2026-1-3", "2026-10-03T10:00:00Z",
		"2026-10-03t10:00:00Z", "2026-10-03T10:00:00+02:00", "2026-10-03 10:00:00", "2026-10-03T24:00:00Z",
		"0001-01-01", "12:30", "1:20:30", "50%", "a,b", "x]", "x}", "a?", "café", "日本", "😀", "é:", "a\u00a0b",
	}
	genQuoted = []string{
		`""`, `''`, `"a # b"`, `'a # b'`, `'it''s'`, `''''`, `"Fix: colon"`, `"\"q\""`, `"\\"`, `"\n\t\r\0\b"`,
		`"\u00e9\x41\U0001F600"`, `"\/"`, `"\q"`, `"  sp  "`, `'  sp  '`, `"café"`, `"a'b"`, `'a"b'`, `"\ud800"`,
		`"2026-10-03"`, `"1"`, `'true'`,
	}
	genKeys    = []string{"a", "b", "c", "key", "name", "id", "1", "true", "null", "~", "<<", "a b", "a:b", "é", "\"q\"", "'s'", "\"\"", "x y z", "-k"}
	genJunk    = []string{" ", "  ", ":", ": ", "-", "- ", "#", " #", "'", "\"", "\n", "\n  ", "[", "]", "{", "}", ",", "?", "? ", "&a", "*a", "!", "|", ">", "\t", "\r\n", "\r", "é", "\\", "---", "...", "%", "@", "`", "\xef\xbb\xbf", "\x00", "\u2028", "~"}
	genComment = []string{"", "", "", "", " # c", "  # comment: x", " #", " #- a"}
)

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) scalar() string {
	if g.r.IntN(3) == 0 {
		return g.pick(genQuoted)
	}
	s := g.pick(genPlain)
	if g.r.IntN(6) == 0 {
		s += " " + g.pick(genPlain)
	}
	return s
}

func (g *gen) flow(depth int) string {
	var b strings.Builder
	n := g.r.IntN(4)
	if g.r.IntN(2) == 0 {
		b.WriteString("[")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(g.pick([]string{", ", ",", " , "}))
			}
			b.WriteString(g.flowItem(depth))
		}
		b.WriteString("]")
	} else {
		b.WriteString("{")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(g.pick([]string{", ", ",", " , "}))
			}
			b.WriteString(g.pick(genKeys))
			b.WriteString(g.pick([]string{": ", " : ", ":"}))
			b.WriteString(g.flowItem(depth))
		}
		b.WriteString("}")
	}
	return b.String()
}

func (g *gen) flowItem(depth int) string {
	if depth < 3 && g.r.IntN(4) == 0 {
		return g.flow(depth + 1)
	}
	return g.scalar()
}

func (g *gen) inline(depth int) string {
	if g.r.IntN(5) == 0 {
		return g.flow(depth)
	}
	return g.scalar()
}

func (g *gen) line(indent int, s string) {
	g.b.WriteString(strings.Repeat(" ", indent))
	g.b.WriteString(s)
	g.b.WriteString(g.pick(genComment))
	g.b.WriteString(g.pick([]string{"\n", "\n", "\n", "\n", "\r\n", "\n\n", "\n# full line\n", "\n  \n"}))
}

// block writes a block node at indent; the first line may already hold a
// prefix (prefixed), so its indentation is not written again.
func (g *gen) block(indent, depth int) {
	g.blockAt(indent, depth, false)
}

func (g *gen) blockAt(indent, depth int, prefixed bool) {
	ind := func() int {
		if prefixed {
			prefixed = false
			return 0
		}
		return indent
	}
	switch k := g.r.IntN(10); {
	case depth > 3 || k < 2:
		g.line(ind(), g.inline(depth))
	case k < 6:
		for i, n := 0, 1+g.r.IntN(4); i < n; i++ {
			key := g.pick(genKeys) + g.pick([]string{":", ":", ":", " :"})
			switch g.r.IntN(5) {
			case 0:
				g.line(ind(), key)
				if g.r.IntN(2) == 0 {
					if g.r.IntN(3) == 0 {
						g.seq(indent, depth+1, false) // indented like the key
					} else {
						g.block(indent+1+g.r.IntN(3), depth+1)
					}
				}
			default:
				g.line(ind(), key+" "+g.inline(depth))
			}
		}
	default:
		g.seq(indent, depth, prefixed)
	}
}

func (g *gen) seq(indent, depth int, prefixed bool) {
	for i, n := 0, 1+g.r.IntN(4); i < n; i++ {
		in := indent
		if prefixed && i == 0 {
			in = 0
		}
		g.b.WriteString(strings.Repeat(" ", in))
		if g.r.IntN(6) == 0 {
			g.line(0, "-")
			if g.r.IntN(2) == 0 {
				g.block(indent+1+g.r.IntN(3), depth+1)
			}
			continue
		}
		sp := g.pick([]string{" ", " ", "  ", "   "})
		g.b.WriteString("-" + sp)
		g.blockAt(indent+1+len(sp), depth+1, true)
	}
}

func (g *gen) mutate(doc string) string {
	for n := 1 + g.r.IntN(3); n > 0 && len(doc) > 0; n-- {
		i := g.r.IntN(len(doc) + 1)
		switch g.r.IntN(3) {
		case 0: // insert
			doc = doc[:i] + g.pick(genJunk) + doc[i:]
		case 1: // delete
			j := min(len(doc), i+1+g.r.IntN(3))
			doc = doc[:i] + doc[j:]
		default: // replace
			j := min(len(doc), i+1)
			doc = doc[:i] + g.pick(genJunk) + doc[j:]
		}
	}
	return doc
}

// TestParserReuse parses generated documents one after another with one
// Parser, among them some larger than a slab and a mapping with more keys
// than a pointer slab holds: each must come out as Parse gives it, with
// nothing left over from the documents before.
func TestParserReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(*randomSeed, 3))
	var big, wide strings.Builder
	big.WriteString("credits:\n")
	for i := range nodeSlab {
		fmt.Fprintf(&big, "  - {id: c%d, who: p%d, kind: issue}\n", i, i%7)
	}
	for i := range ptrSlab + 10 {
		fmt.Fprintf(&wide, "k%d: v%d\n", i, i)
	}
	var ps Parser
	for i := range 2000 {
		var doc string
		switch i % 500 {
		case 7:
			doc = big.String()
		case 8:
			doc = wide.String()
		default:
			g := gen{r: r}
			g.block(0, 0)
			doc = g.b.String()
			if r.IntN(3) == 0 {
				doc = g.mutate(doc)
			}
		}
		got, ok := ps.Parse([]byte(doc))
		want, wantOK := Parse([]byte(doc))
		if ok != wantOK {
			t.Fatalf("document %d: Parser.Parse ok=%v, Parse ok=%v\ninput: %q", i, ok, wantOK, doc)
		}
		if !ok {
			continue
		}
		if d := diffNodes("$", got, want); d != "" {
			t.Fatalf("document %d differs from Parse at %s\ninput: %q\ngot:\n%s\nwant:\n%s", i, d, doc, dump(got), dump(want))
		}
	}
}
