package ledger

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Edit changes a YAML file's text in place, node by node: each change
// replaces the bytes of one value, or inserts or removes one line, so that
// the comments, the order, the quoting and the spacing of everything else
// stay as written. Values are YAML text (see Scalar). Edit only what a
// record writes on one line: a change to anything else is an error, at
// "line:col: ", that says how to write it, never a guess.
type Edit struct {
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

// NewEdit parses a file's text for editing.
func NewEdit(src []byte) (*Edit, error) {
	doc, err := parseYAMLNode(src)
	if err != nil {
		return nil, fmt.Errorf("the file is not valid YAML (%v); fix it, then try again", err)
	}
	e := &Edit{src: src, nl: "\n", lines: []int{0}}
	if len(doc.Content) > 0 {
		e.root = doc.Content[0]
	}
	if bytes.Contains(src, []byte("\r\n")) {
		e.nl = "\r\n"
	}
	for i, c := range src {
		if c == '\n' {
			e.lines = append(e.lines, i+1)
		}
	}
	return e, nil
}

// Root is the file's top node, nil for a file of comments only.
func (e *Edit) Root() *yaml.Node { return e.root }

// Set replaces a scalar (a key or a value) with text.
func (e *Edit) Set(n *yaml.Node, text string) error {
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
func (e *Edit) AddAfter(m, after *yaml.Node, name, text string) error {
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
	next := e.lineEnd(v.Line)
	text = strings.Repeat(" ", after.Column-1) + name + ": " + text + e.nl
	if next == len(e.src) && !bytes.HasSuffix(e.src, []byte("\n")) {
		text = e.nl + text
	}
	e.edits = append(e.edits, textEdit{next, next, text})
	return nil
}

// RemovePair removes the pair whose key is key from block mapping m: its
// line, which must hold that pair alone.
func (e *Edit) RemovePair(m, key *yaml.Node) error {
	v := pairValue(m, key)
	if m.Style&yaml.FlowStyle != 0 || v == nil {
		return fmt.Errorf("%d:%d: write this mapping as a block, one key a line, so that %s can be removed", key.Line, key.Column, key.Value)
	}
	if err := e.wholeLine(key, v, false); err != nil {
		return err
	}
	e.edits = append(e.edits, textEdit{e.lines[key.Line-1], e.lineEnd(key.Line), ""})
	return nil
}

// RemoveItems removes the items of list (the value of key in its mapping)
// for which drop is true. A flow list is rewritten from its other items as
// written; a block list loses their lines, and becomes [] when none is
// left.
func (e *Edit) RemoveItems(key, list *yaml.Node, drop func(item *yaml.Node) bool) error {
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
			e.edits = append(e.edits, textEdit{e.lines[it.Line-1], e.lineEnd(it.Line), ""})
		}
	}
	switch {
	case dropped == 0:
	case list.Style&yaml.FlowStyle != 0:
		closing := bytes.IndexByte(e.src[last:e.lineEnd(list.Line)], ']')
		if closing < 0 || list.Content[len(list.Content)-1].Line != list.Line {
			return fmt.Errorf("%d:%d: write %s: [...] on one line", key.Line, key.Column, key.Value)
		}
		e.edits = append(e.edits, textEdit{e.offset(list), last + closing + 1, "[" + strings.Join(kept, ", ") + "]"})
	case len(kept) == 0:
		_, end, err := e.scalar(key)
		if err != nil {
			return err
		}
		colon := end + bytes.IndexByte(e.src[end:e.lineEnd(key.Line)], ':') + 1
		e.edits = append(e.edits, textEdit{colon, colon, " []"})
	}
	return nil
}

// Bytes applies the changes and returns the new text, which must still
// read as YAML.
func (e *Edit) Bytes() ([]byte, error) {
	edits := slices.Clone(e.edits)
	slices.SortStableFunc(edits, func(a, b textEdit) int { return a.start - b.start })
	var b bytes.Buffer
	at := 0
	for _, ed := range edits {
		if ed.start < at {
			return nil, fmt.Errorf("internal error: two changes to the same text")
		}
		b.Write(e.src[at:ed.start])
		b.WriteString(ed.text)
		at = ed.end
	}
	b.Write(e.src[at:])
	if _, err := parseYAMLNode(b.Bytes()); err != nil {
		return nil, fmt.Errorf("internal error: the edited file does not read back (%v)", err)
	}
	return b.Bytes(), nil
}

// offset is the byte offset of a node (whose column counts characters).
func (e *Edit) offset(n *yaml.Node) int {
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

// lineEnd is the offset where the line after 1-based line starts (or the
// end of the text).
func (e *Edit) lineEnd(line int) int {
	if line < len(e.lines) {
		return e.lines[line]
	}
	return len(e.src)
}

// scalar finds the bytes a one-line scalar is written with, quotes
// included.
func (e *Edit) scalar(n *yaml.Node) (start, end int, err error) {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.Tag == "!!merge" {
		return 0, 0, fmt.Errorf("%d:%d: write this value on one line, without an alias or a | or > block", n.Line, n.Column)
	}
	start = e.offset(n)
	line := e.src[start:e.lineEnd(n.Line)]
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
func (e *Edit) wholeLine(first, last *yaml.Node, dash bool) error {
	start, _, err := e.scalar(first)
	if err != nil {
		return err
	}
	_, end, err := e.scalar(last)
	if err != nil {
		return err
	}
	before := strings.TrimSpace(string(e.src[e.lines[first.Line-1]:start]))
	after := strings.TrimSpace(string(e.src[end:e.lineEnd(last.Line)]))
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
