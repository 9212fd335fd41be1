package ledger

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/fastyaml"
)

// YAMLEditor changes or copies parts of a YAML file that people also edit
// by hand. It finds its places through the parse and touches only the
// bytes it must: each change replaces one value, or inserts, cuts or
// removes lines, so that comments, blank lines, order, quoting and layout
// stay byte for byte. It is how commands add to a shard (SpliceShard),
// carry hand-written overrides into a regenerated thresholds.yaml, and
// change or remove what tally forget must. A change to what is not
// written on one line is an error, at "line:col: ", that says how to
// write it, never a guess.
//
// Lines are counted from 0; the nodes' Line and Column, from 1.
type YAMLEditor struct {
	src   []byte
	root  *yaml.Node
	lines []int // the byte offset where each line starts
	nl    string
	edits []textEdit
}

// textEdit replaces src[start:end] with text.
type textEdit struct {
	start, end int
	text       string
}

// EditYAML parses a file's text for editing. The error is the parser's,
// for a file that is not valid YAML.
func EditYAML(src []byte) (*YAMLEditor, error) {
	root, err := parseRoot(src)
	if err != nil {
		return nil, err
	}
	e := &YAMLEditor{src: src, root: root, nl: "\n", lines: []int{0}}
	if bytes.Contains(src, []byte("\r\n")) {
		e.nl = "\r\n"
	}
	for i, c := range src {
		if c == '\n' && i+1 < len(src) {
			e.lines = append(e.lines, i+1)
		}
	}
	if len(src) == 0 {
		e.lines = nil
	}
	return e, nil
}

// parseRoot reads a document's top node (nil for comments only).
func parseRoot(data []byte) (*yaml.Node, error) {
	doc, err := parseYAMLNode(data)
	if err != nil || len(doc.Content) == 0 {
		return nil, err
	}
	return doc.Content[0], nil
}

// parseYAMLNode reads a document with the fast parser when it can (most
// files are plain YAML), else with yaml.v3.
func parseYAMLNode(data []byte) (*yaml.Node, error) {
	if doc, ok := fastyaml.Parse(data); ok {
		return doc, nil
	}
	var doc yaml.Node
	err := yaml.Unmarshal(data, &doc)
	return &doc, err
}

// Root is the document's top node, nil when the file holds only comments.
func (e *YAMLEditor) Root() *yaml.Node { return e.root }

// NL is the file's line break: "\r\n" when it has any, else "\n".
func (e *YAMLEditor) NL() string { return e.nl }

// Lines is how many lines the file has.
func (e *YAMLEditor) Lines() int { return len(e.lines) }

// Line is line i as the file has it, with its line break (the last one
// gets NL when it has none).
func (e *YAMLEditor) Line(i int) []byte {
	line := e.src[e.lines[i]:e.lineStart(i+1)]
	if !bytes.HasSuffix(line, []byte("\n")) {
		line = append(slices.Clip(line), e.nl...)
	}
	return line
}

// lineStart is the offset where line i starts; Lines() is the end of the
// text.
func (e *YAMLEditor) lineStart(i int) int {
	if i < len(e.lines) {
		return e.lines[i]
	}
	return len(e.src)
}

// Key finds a key of the top-level mapping: the key, its value, and the
// key after it (nil for the last one). All are nil when there is no such
// key, or the top node is not a mapping.
func (e *YAMLEditor) Key(name string) (key, val, next *yaml.Node) {
	root := e.root
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, nil, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == name {
			if i+2 < len(root.Content) {
				next = root.Content[i+2]
			}
			return root.Content[i], root.Content[i+1], next
		}
	}
	return nil, nil, nil
}

// Entry returns the lines [first, end) of a top-level key and its value:
// with the comments right above the key, unless they open the file, and
// without the blank lines and the comments at the key's own indentation
// that come before the next key (they are about that key) or end the
// file. ok is false when there is no such key.
func (e *YAMLEditor) Entry(name string) (first, end int, ok bool) {
	key, _, next := e.Key(name)
	if key == nil {
		return 0, 0, false
	}
	first = key.Line - 1
	if i := slices.Index(e.root.Content, key); i > 0 {
		first = e.CommentsAbove(first, e.root.Content[i-1].Line-1)
	}
	end = e.Lines()
	if next != nil {
		end = next.Line - 1
	}
	return first, e.TrimEnd(end, key), true
}

// CommentsAbove returns where the comment lines right above line i start:
// i itself when there are none. It goes no higher than the line after
// floor.
func (e *YAMLEditor) CommentsAbove(i, floor int) int {
	for i-1 > floor && isCommentLine(e.Line(i-1)) {
		i--
	}
	return i
}

// TrimEnd moves end (a line index) back over the blank lines, and the
// comments indented no deeper than key, that end what is above it, and
// no higher than key's line.
func (e *YAMLEditor) TrimEnd(end int, key *yaml.Node) int {
	for end > key.Line {
		line := e.Line(end - 1)
		if !isBlankLine(line) && !(isCommentLine(line) && indent(line) <= key.Column-1) {
			break
		}
		end--
	}
	return end
}

// Text returns the lines [first, end) as they are written.
func (e *YAMLEditor) Text(first, end int) []byte {
	var b bytes.Buffer
	for i := first; i < end; i++ {
		b.Write(e.Line(i))
	}
	return b.Bytes()
}

// Insert adds text (whole lines) before line i; i == Lines() is the end
// of the file, where a last line without a line break gets one first.
// Texts inserted at one place keep their order.
func (e *YAMLEditor) Insert(i int, text string) {
	at := e.lineStart(i)
	e.edits = append(e.edits, textEdit{at, at, text})
}

// Cut removes n bytes at col (a byte offset) from line i, with the spaces
// before them: "credits: []" becomes "credits:".
func (e *YAMLEditor) Cut(i, col, n int) {
	line := e.src[e.lines[i]:]
	head := bytes.TrimRight(line[:col], " \t")
	e.edits = append(e.edits, textEdit{e.lines[i] + len(head), e.lines[i] + col + n, ""})
}

// Set replaces a scalar (a key or a value) with text (YAML, see Scalar).
func (e *YAMLEditor) Set(n *yaml.Node, text string) error {
	start, end, err := e.scalar(n)
	if err != nil {
		return err
	}
	e.edits = append(e.edits, textEdit{start, end, text})
	return nil
}

// AddAfter adds "name: text" to mapping m after the pair whose key is
// after: on the line below it in a block mapping, right after its value
// in a flow one.
func (e *YAMLEditor) AddAfter(m, after *yaml.Node, name, text string) error {
	v := pairValue(m, after)
	if v == nil {
		return fmt.Errorf("%d:%d: no value for %s", after.Line, after.Column, after.Value)
	}
	_, end, err := e.scalar(v)
	if err != nil {
		return err
	}
	if m.Style&yaml.FlowStyle != 0 {
		e.edits = append(e.edits, textEdit{end, end, ", " + name + ": " + text})
		return nil
	}
	e.Insert(v.Line, strings.Repeat(" ", after.Column-1)+name+": "+text+e.nl)
	return nil
}

// RemovePair removes the pair whose key is key from block mapping m: its
// line, which must hold that pair alone.
func (e *YAMLEditor) RemovePair(m, key *yaml.Node) error {
	v := pairValue(m, key)
	if m.Style&yaml.FlowStyle != 0 || v == nil {
		return fmt.Errorf("%d:%d: write this mapping as a block, one key a line, so that %s can be removed", key.Line, key.Column, key.Value)
	}
	if err := e.wholeLine(key, v, false); err != nil {
		return err
	}
	e.removeLine(key.Line - 1)
	return nil
}

// RemoveItems removes the items of list (the value of key in its mapping)
// for which drop is true. A flow list is rewritten from its other items as
// written; a block list loses their lines, and becomes [] when none is
// left.
func (e *YAMLEditor) RemoveItems(key, list *yaml.Node, drop func(item *yaml.Node) bool) error {
	var kept []string
	dropped, last := 0, e.offset(list)
	for _, it := range list.Content {
		start, end, err := e.scalar(it)
		if err != nil {
			return err
		}
		last = end
		if !drop(it) {
			kept = append(kept, string(e.src[start:end]))
			continue
		}
		dropped++
		if list.Style&yaml.FlowStyle == 0 {
			if err := e.wholeLine(it, it, true); err != nil {
				return err
			}
			e.removeLine(it.Line - 1)
		}
	}
	switch {
	case dropped == 0:
	case list.Style&yaml.FlowStyle != 0:
		closing := bytes.IndexByte(e.src[last:e.lineStart(list.Line)], ']')
		if closing < 0 || list.Content[len(list.Content)-1].Line != list.Line {
			return fmt.Errorf("%d:%d: write %s: [...] on one line", key.Line, key.Column, key.Value)
		}
		e.edits = append(e.edits, textEdit{e.offset(list), last + closing + 1, "[" + strings.Join(kept, ", ") + "]"})
	case len(kept) == 0:
		_, end, err := e.scalar(key)
		if err != nil {
			return err
		}
		colon := end + bytes.IndexByte(e.src[end:e.lineStart(key.Line)], ':') + 1
		e.edits = append(e.edits, textEdit{colon, colon, " []"})
	}
	return nil
}

func (e *YAMLEditor) removeLine(i int) {
	e.edits = append(e.edits, textEdit{e.lines[i], e.lineStart(i + 1), ""})
}

// Bytes makes the changes and returns the new text, which must still
// read as YAML.
func (e *YAMLEditor) Bytes() ([]byte, error) {
	data, _, err := e.apply()
	return data, err
}

// apply makes the changes and parses the new text: a change must never
// leave a file that does not read. It returns the new top node (nil for
// comments only).
func (e *YAMLEditor) apply() ([]byte, *yaml.Node, error) {
	edits := slices.Clone(e.edits)
	slices.SortStableFunc(edits, func(a, b textEdit) int { return a.start - b.start })
	var b bytes.Buffer
	b.Grow(len(e.src))
	at, broken := 0, len(e.src) > 0 && e.src[len(e.src)-1] != '\n'
	for _, ed := range edits {
		if ed.start < at {
			return nil, nil, fmt.Errorf("internal error: two changes to the same text")
		}
		b.Write(e.src[at:ed.start])
		if ed.start == len(e.src) && broken {
			b.WriteString(e.nl) // what is added at the end goes on lines of its own
			broken = false
		}
		b.WriteString(ed.text)
		at = ed.end
	}
	b.Write(e.src[at:])
	root, err := parseRoot(b.Bytes())
	if err != nil {
		return nil, nil, fmt.Errorf("internal error: the edited file does not read back (%v)", err)
	}
	return b.Bytes(), root, nil
}

// offset is the byte offset of a node (whose column counts characters).
func (e *YAMLEditor) offset(n *yaml.Node) int {
	start := e.lines[n.Line-1]
	col := n.Column - 1
	for i := start; i < len(e.src); {
		if col == 0 {
			return i
		}
		_, size := utf8.DecodeRune(e.src[i:])
		i += size
		col--
	}
	return len(e.src)
}

// scalar finds the bytes a one-line scalar is written with, quotes
// included.
func (e *YAMLEditor) scalar(n *yaml.Node) (start, end int, err error) {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.Tag == "!!merge" {
		return 0, 0, fmt.Errorf("%d:%d: write this value on one line, without an alias or a | or > block", n.Line, n.Column)
	}
	start = e.offset(n)
	line := e.src[start:e.lineStart(n.Line)]
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return start, start + i + 1, nil
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return start, start + i + 1, nil
			}
		}
	case bytes.HasPrefix(line, []byte(n.Value)):
		return start, start + len(n.Value), nil
	}
	return 0, 0, fmt.Errorf("%d:%d: write this value on one line", n.Line, n.Column)
}

// wholeLine makes sure that from first to last (one-line scalars) is all
// a line holds, but for its indentation, a comment, and, for a list item
// (dash), its dash.
func (e *YAMLEditor) wholeLine(first, last *yaml.Node, dash bool) error {
	start, _, err := e.scalar(first)
	if err != nil {
		return err
	}
	_, end, err := e.scalar(last)
	if err != nil {
		return err
	}
	before := strings.TrimSpace(string(e.src[e.lines[first.Line-1]:start]))
	after := strings.TrimSpace(string(e.src[end:e.lineStart(last.Line)]))
	if first.Line != last.Line || (before != "" && !(dash && before == "-")) || (after != "" && !strings.HasPrefix(after, "#")) {
		return fmt.Errorf("%d:%d: put %s on a line of its own", first.Line, first.Column, first.Value)
	}
	return nil
}

// pairValue is the value of the pair whose key node is key in mapping m.
func pairValue(m, key *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i] == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Pair finds the key and value nodes of a mapping's key, or nils.
func Pair(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	if i := new(locator).keyNode(m, key); i >= 0 {
		return m.Content[i], m.Content[i+1]
	}
	return nil, nil
}

func isBlankLine(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

func isCommentLine(line []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) }

func indent(line []byte) int { return len(line) - len(bytes.TrimLeft(line, " \t")) }
