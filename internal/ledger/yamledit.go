package ledger

import (
	"bytes"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/fastyaml"
)

// YAMLEditor changes or copies parts of a YAML file that people also edit
// by hand. It finds its places through the parse and touches only the
// lines it must, so that comments, blank lines, quoting and layout stay
// byte for byte: the way commands add to a shard (SpliceShard) and carry
// hand-written overrides into a regenerated thresholds.yaml.
type YAMLEditor struct {
	// lines are the file's lines, each ending with a line break (the last
	// one gets nl if it had none).
	lines [][]byte
	nl    string
	root  *yaml.Node
	// inserts holds the text to write before each line; len(lines) is
	// the end of the file.
	inserts map[int][]string
}

// EditYAML parses a file's text for editing. The error is the parser's,
// for a file that is not valid YAML.
func EditYAML(data []byte) (*YAMLEditor, error) {
	doc, err := parseYAMLNode(data)
	if err != nil {
		return nil, err
	}
	e := &YAMLEditor{nl: "\n", inserts: map[int][]string{}}
	if bytes.Contains(data, []byte("\r\n")) {
		e.nl = "\r\n"
	}
	if len(doc.Content) > 0 {
		e.root = doc.Content[0]
	}
	e.lines = bytes.SplitAfter(data, []byte("\n"))
	if len(e.lines[len(e.lines)-1]) == 0 {
		e.lines = e.lines[:len(e.lines)-1]
	}
	if n := len(e.lines); n > 0 && !bytes.HasSuffix(e.lines[n-1], []byte("\n")) {
		e.lines[n-1] = append(slices.Clip(e.lines[n-1]), e.nl...)
	}
	return e, nil
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

// Line is line i (0-based), with its line break.
func (e *YAMLEditor) Line(i int) []byte { return e.lines[i] }

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

// Entry returns the lines [first, end) (0-based) of a top-level key and
// its value: with the comments right above the key, unless they open the
// file, and without the blank lines and the comments at the key's own
// indentation that come before the next key (they are about that key) or
// end the file. ok is false when there is no such key.
func (e *YAMLEditor) Entry(name string) (first, end int, ok bool) {
	key, _, next := e.Key(name)
	if key == nil {
		return 0, 0, false
	}
	first = key.Line - 1
	if i := slices.Index(e.root.Content, key); i > 0 {
		first = e.CommentsAbove(first, e.root.Content[i-1].Line-1)
	}
	end = len(e.lines)
	if next != nil {
		end = next.Line - 1
	}
	return first, e.TrimEnd(end, key), true
}

// CommentsAbove returns where the comment lines right above line i start:
// i itself when there are none. It goes no higher than the line after
// floor.
func (e *YAMLEditor) CommentsAbove(i, floor int) int {
	for i-1 > floor && isCommentLine(e.lines[i-1]) {
		i--
	}
	return i
}

// TrimEnd moves end (a line index) back over the blank lines, and the
// comments indented no deeper than key, that end what is above it, and
// no higher than key's line.
func (e *YAMLEditor) TrimEnd(end int, key *yaml.Node) int {
	for end > key.Line && (isBlankLine(e.lines[end-1]) || isCommentLine(e.lines[end-1]) && indent(e.lines[end-1]) <= key.Column-1) {
		end--
	}
	return end
}

// Text returns the lines [first, end) as they are written.
func (e *YAMLEditor) Text(first, end int) []byte { return bytes.Join(e.lines[first:end], nil) }

// Insert adds text (whole lines) before line i; i == Lines() is the end
// of the file. Texts inserted at one place keep their order.
func (e *YAMLEditor) Insert(i int, text string) { e.inserts[i] = append(e.inserts[i], text) }

// Cut removes n bytes at col (0-based) from line i, with the spaces before
// them: "credits: []" becomes "credits:".
func (e *YAMLEditor) Cut(i, col, n int) {
	line := e.lines[i]
	head := bytes.TrimRight(line[:col], " \t")
	e.lines[i] = append(slices.Clip(head), line[col+n:]...)
}

// Bytes returns the edited text.
func (e *YAMLEditor) Bytes() []byte {
	var b bytes.Buffer
	for i, l := range e.lines {
		for _, text := range e.inserts[i] {
			b.WriteString(text)
		}
		b.Write(l)
	}
	for _, text := range e.inserts[len(e.lines)] {
		b.WriteString(text)
	}
	return b.Bytes()
}

func isBlankLine(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

func isCommentLine(line []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) }

func indent(line []byte) int { return len(line) - len(bytes.TrimLeft(line, " \t")) }
