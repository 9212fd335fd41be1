package ledger

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
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
		root, err := parseRoot(b.Bytes())
		if err != nil {
			return nil, fmt.Errorf("internal error: the new shard does not read (%v); nothing was written", err)
		}
		return readBackShard(b.Bytes(), root, list, nil, add)
	}
	e, err := EditYAML(old)
	if err != nil {
		return nil, fmt.Errorf("the file is not valid YAML (%v); fix it, then try again", err)
	}
	nl := e.NL()
	var oldIDs []string
	switch root := e.Root(); {
	case root == nil: // only comments
		text := list + ":" + nl
		for _, a := range add {
			text += RenderEntry(a.Fields, "  ", false, nl)
		}
		e.Insert(e.Lines(), text)
	case root.Kind != yaml.MappingNode:
		return nil, fmt.Errorf("the file is not a mapping with a %s list; fix it, then try again", list)
	default:
		key, seq, next := e.Key(list)
		if key == nil {
			return nil, fmt.Errorf("the file has no %s list; fix it, then try again", list)
		}
		// The end of the list: the end of the file, or what comes before
		// the next key.
		end := e.Lines()
		if next != nil {
			end = e.TrimEnd(next.Line-1, key)
		}
		switch {
		case seq.Kind == yaml.ScalarNode && seq.Tag == "!!null":
			// "credits:" with nothing, or "credits: ~"
			i := key.Line - 1
			if seq.Value != "" {
				e.Cut(i, seq.Column-1, len(seq.Value))
			}
			for _, a := range add {
				e.Insert(i+1, RenderEntry(a.Fields, strings.Repeat(" ", key.Column+1), false, nl))
			}
		case seq.Kind == yaml.SequenceNode && len(seq.Content) == 0 && seq.Style&yaml.FlowStyle != 0:
			// "credits: []"
			i := seq.Line - 1
			closing := bytes.IndexByte(e.Line(i)[seq.Column-1:], ']')
			if closing < 0 {
				return nil, fmt.Errorf("%s: [ ] spans lines; write it as `%s: []`, then try again", list, list)
			}
			e.Cut(i, seq.Column-1, closing+1)
			for _, a := range add {
				e.Insert(i+1, RenderEntry(a.Fields, strings.Repeat(" ", key.Column+1), false, nl))
			}
		case seq.Kind == yaml.SequenceNode && seq.Style&yaml.FlowStyle != 0:
			return nil, fmt.Errorf("%s is a flow list ([...]); write it as a block list, one `- ` line per entry, so that new entries can be added without rewriting it", list)
		case seq.Kind == yaml.SequenceNode:
			first, err := dashLine(e, seq.Content[0])
			if err != nil {
				return nil, err
			}
			dash := bytes.IndexByte(e.Line(first), '-')
			ind := string(e.Line(first)[:dash])
			flow := seq.Content[0].Kind == yaml.MappingNode && seq.Content[0].Style&yaml.FlowStyle != 0
			type item struct {
				date, id string
				start    int // the line of its first comment, or of its dash
			}
			items := make([]item, len(seq.Content))
			for k, n := range seq.Content {
				d, err := dashLine(e, n)
				if err != nil {
					return nil, err
				}
				floor := key.Line - 1 // the list's key line
				if k > 0 {
					floor = items[k-1].start
				}
				items[k] = item{date: scalarField(n, "date"), id: scalarField(n, "id"), start: e.CommentsAbove(d, floor)}
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
				e.Insert(pos, RenderEntry(a.Fields, ind, flow, nl))
			}
		default:
			return nil, fmt.Errorf("%s is not a list; fix it, then try again", list)
		}
	}
	// A shard ends with a line break, whatever the old text did.
	e.Insert(e.Lines(), "")
	data, root, err := e.apply()
	if err != nil {
		return nil, fmt.Errorf("%v; nothing was written", err)
	}
	return readBackShard(data, root, list, oldIDs, add)
}

// readBackShard makes sure that a merged shard, read back, holds the old
// entries and the new ones, in order: the splice must never lose or garble
// a record.
func readBackShard(data []byte, root *yaml.Node, list string, oldIDs []string, add []ShardEntry) ([]byte, error) {
	var got []string
	if _, seq := Pair(root, list); seq != nil {
		for _, n := range seq.Content {
			got = append(got, scalarField(n, "id"))
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

// dashLine finds the 0-based line of the "-" that opens a list item.
func dashLine(e *YAMLEditor, n *yaml.Node) (int, error) {
	i := n.Line - 1
	if i < e.Lines() && n.Column-1 <= len(e.Line(i)) {
		if before := bytes.TrimSpace(e.Line(i)[:n.Column-1]); bytes.HasSuffix(before, []byte("-")) {
			return i, nil
		}
	}
	for j := i - 1; j >= 0; j-- {
		t := bytes.TrimSpace(e.Line(j))
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
