package ledger

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/fastyaml"
)

// ShardEntry is one record to add to a shard (a credits or funding file):
// its date and id, which decide where it goes, and its fields in the order
// they are written, each value already written as YAML (see Scalar).
type ShardEntry struct {
	Date   Date
	ID     string
	Fields [][2]string
}

// SpliceShard adds entries (sorted by date, then id) to the list under key
// list ("credits", "payments") of a shard's text. What is there stays byte
// for byte: the new entries are spliced in as lines, each before the first
// existing entry that sorts after it (and before the comments above that
// entry), so that a sorted file stays sorted. They are written in the style
// of the entries around them (block or one-line flow mappings, same
// indentation, same line endings). An empty old text gives a new file whose
// first line names schemaURL for editors.
func SpliceShard(old []byte, list, schemaURL string, add []ShardEntry) ([]byte, error) {
	if len(bytes.TrimSpace(old)) == 0 {
		var b bytes.Buffer
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", schemaURL)
		b.WriteString(list + ":\n")
		for _, a := range add {
			b.WriteString(RenderEntry(a.Fields, "  ", false, "\n"))
		}
		return readBackShard(b.Bytes(), list, nil, add)
	}
	nl := "\n"
	if bytes.Contains(old, []byte("\r\n")) {
		nl = "\r\n"
	}
	doc, err := parseShard(old)
	if err != nil {
		return nil, fmt.Errorf("the file is not valid YAML (%v); fix it, then try again", err)
	}
	lines := bytes.SplitAfter(old, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if n := len(lines); !bytes.HasSuffix(lines[n-1], []byte("\n")) {
		lines[n-1] = append(slices.Clip(lines[n-1]), nl...)
	}

	// Where each new entry goes: before line i (0-based), or at the end.
	inserts := map[int][]string{}
	at := func(i int, text string) { inserts[i] = append(inserts[i], text) }
	var oldIDs []string

	root := (*yaml.Node)(nil)
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	switch {
	case root == nil: // only comments
		text := list + ":" + nl
		for _, a := range add {
			text += RenderEntry(a.Fields, "  ", false, nl)
		}
		at(len(lines), text)
	case root.Kind != yaml.MappingNode:
		return nil, fmt.Errorf("the file is not a mapping with a %s list; fix it, then try again", list)
	default:
		key, seq, next := findList(root, list)
		if key == nil {
			return nil, fmt.Errorf("the file has no %s list; fix it, then try again", list)
		}
		// The end of the list: the end of the file, or before the next key
		// and the comments above it.
		end := len(lines)
		if next != nil {
			end = next.Line - 1
			for end > key.Line && (isBlankLine(lines[end-1]) || isCommentLine(lines[end-1])) {
				end--
			}
		}
		switch {
		case seq.Kind == yaml.ScalarNode && seq.Tag == "!!null":
			// "credits:" with nothing, or "credits: ~"
			i := key.Line - 1
			if seq.Value != "" {
				lines[i] = cutToken(lines[i], seq.Column-1, len(seq.Value))
			}
			for _, a := range add {
				at(i+1, RenderEntry(a.Fields, strings.Repeat(" ", key.Column+1), false, nl))
			}
		case seq.Kind == yaml.SequenceNode && len(seq.Content) == 0 && seq.Style&yaml.FlowStyle != 0:
			// "credits: []"
			i := seq.Line - 1
			closing := bytes.IndexByte(lines[i][seq.Column-1:], ']')
			if closing < 0 {
				return nil, fmt.Errorf("%s: [ ] spans lines; write it as `%s: []`, then try again", list, list)
			}
			lines[i] = cutToken(lines[i], seq.Column-1, closing+1)
			for _, a := range add {
				at(i+1, RenderEntry(a.Fields, strings.Repeat(" ", key.Column+1), false, nl))
			}
		case seq.Kind == yaml.SequenceNode && seq.Style&yaml.FlowStyle != 0:
			return nil, fmt.Errorf("%s is a flow list ([...]); write it as a block list, one `- ` line per entry, so that new entries can be added without rewriting it", list)
		case seq.Kind == yaml.SequenceNode:
			first, err := dashLine(lines, seq.Content[0])
			if err != nil {
				return nil, err
			}
			dash := bytes.IndexByte(lines[first], '-')
			ind := string(lines[first][:dash])
			flow := seq.Content[0].Kind == yaml.MappingNode && seq.Content[0].Style&yaml.FlowStyle != 0
			type item struct {
				date, id string
				start    int // the line of its first comment, or of its dash
			}
			items := make([]item, len(seq.Content))
			for k, n := range seq.Content {
				d, err := dashLine(lines, n)
				if err != nil {
					return nil, err
				}
				floor := key.Line - 1 // the list's key line
				if k > 0 {
					floor = items[k-1].start
				}
				for d-1 > floor && isCommentLine(lines[d-1]) {
					d--
				}
				items[k] = item{date: scalarField(n, "date"), id: scalarField(n, "id"), start: d}
				oldIDs = append(oldIDs, items[k].id)
			}
			k := 0
			for _, a := range add {
				date := a.Date.String()
				for k < len(items) && !(date < items[k].date || date == items[k].date && a.ID < items[k].id) {
					k++
				}
				pos := end
				if k < len(items) {
					pos = items[k].start
				}
				at(pos, RenderEntry(a.Fields, ind, flow, nl))
			}
		default:
			return nil, fmt.Errorf("%s is not a list; fix it, then try again", list)
		}
	}

	var b bytes.Buffer
	for i, l := range lines {
		for _, text := range inserts[i] {
			b.WriteString(text)
		}
		b.Write(l)
	}
	for _, text := range inserts[len(lines)] {
		b.WriteString(text)
	}
	return readBackShard(b.Bytes(), list, oldIDs, add)
}

// readBackShard reads a merged shard back and makes sure it holds the old
// entries and the new ones, in order: the splice must never lose or garble
// a record.
func readBackShard(data []byte, list string, oldIDs []string, add []ShardEntry) ([]byte, error) {
	doc, err := parseShard(data)
	if err != nil {
		return nil, fmt.Errorf("internal error: the merged shard does not read back (%v); nothing was written", err)
	}
	var got []string
	if len(doc.Content) > 0 {
		if _, seq, _ := findList(doc.Content[0], list); seq != nil {
			for _, n := range seq.Content {
				got = append(got, scalarField(n, "id"))
			}
		}
	}
	want := map[string]bool{}
	for _, a := range add {
		want[a.ID] = true
	}
	var kept []string
	for _, id := range got {
		if !want[id] {
			kept = append(kept, id)
		}
	}
	if len(got) != len(oldIDs)+len(add) || !slices.Equal(kept, oldIDs) {
		return nil, fmt.Errorf("internal error: the merged shard does not hold the %s it should; nothing was written", list)
	}
	return data, nil
}

// parseShard reads a shard with the fast parser when it can (most shards
// are plain YAML), else with yaml.v3.
func parseShard(data []byte) (*yaml.Node, error) {
	if doc, ok := fastyaml.Parse(data); ok {
		return doc, nil
	}
	var doc yaml.Node
	err := yaml.Unmarshal(data, &doc)
	return &doc, err
}

// findList returns the key named list, its value, and the key after it.
func findList(root *yaml.Node, list string) (key, val, next *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		return nil, nil, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == list {
			if i+2 < len(root.Content) {
				next = root.Content[i+2]
			}
			return root.Content[i], root.Content[i+1], next
		}
	}
	return nil, nil, nil
}

// dashLine finds the 0-based line of the "-" that opens a list item.
func dashLine(lines [][]byte, n *yaml.Node) (int, error) {
	i := n.Line - 1
	if i < len(lines) && n.Column-1 <= len(lines[i]) {
		if before := bytes.TrimSpace(lines[i][:n.Column-1]); bytes.HasSuffix(before, []byte("-")) {
			return i, nil
		}
	}
	for j := i - 1; j >= 0; j-- {
		t := bytes.TrimSpace(lines[j])
		if bytes.Equal(t, []byte("-")) {
			return j, nil
		}
		if len(t) > 0 && t[0] != '#' {
			break
		}
	}
	return 0, fmt.Errorf("line %d: cannot find where this entry starts; write each entry as `- id: ...`", n.Line)
}

// scalarField returns a mapping's scalar value for key, or "".
func scalarField(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// cutToken removes n bytes at col from a line, with the spaces before them.
func cutToken(line []byte, col, n int) []byte {
	head := bytes.TrimRight(line[:col], " \t")
	return append(slices.Clip(head), line[col+n:]...)
}

// RenderEntry writes one record as a list item: a block mapping indented
// by ind, or a one-line flow mapping when flow is set.
func RenderEntry(fields [][2]string, ind string, flow bool, nl string) string {
	var b strings.Builder
	if flow {
		b.WriteString(ind + "- {")
		for i, p := range fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p[0] + ": " + p[1])
		}
		b.WriteString("}" + nl)
		return b.String()
	}
	for i, p := range fields {
		if i == 0 {
			b.WriteString(ind + "- ")
		} else {
			b.WriteString(ind + "  ")
		}
		b.WriteString(p[0] + ": " + p[1] + nl)
	}
	return b.String()
}

func isBlankLine(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

func isCommentLine(line []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) }
