package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/fastyaml"
)

// parsed is one YAML file read once: the node tree keeps every value's line
// and column; the generic tree is what the schema validator walks.
type parsed struct {
	root *yaml.Node // the document's top node; nil for an empty file
	tree any
}

// errAliasBudget stops alias expansion that would blow up: a "billion
// laughs" file is a few hundred bytes that expand to gigabytes.
var errAliasBudget = errors.New("too many alias expansions")

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserErrors are the messages of yaml.v3's parser, as opposed to its
// scanner.
var parserErrors = map[string]bool{
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected key":              true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
}

// parseYAML reads one YAML document with ps (whose nodes last until its
// next document; nil parses without reuse). Problems come back as findings
// with the best position the parser gives.
func parseYAML(ps *fastyaml.Parser, path string, data []byte, withTree bool) (*parsed, []Finding) {
	parse := fastyaml.Parse
	if ps != nil {
		parse = ps.Parse
	}
	if doc, ok := parse(data); ok {
		return buildTree(path, data, doc, withTree)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return &parsed{}, nil
		}
		return nil, []Finding{yamlError(path, data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := int32(extra.Line)
		if err != nil {
			// The second document is broken too; "---" is still the news.
			line = 0
		}
		return nil, []Finding{At(path, Pos{max(line, 1), 1}, "", "multi-document",
			"a ledger file holds one YAML document; remove the \"---\" separator or split the file")}
	}
	return buildTree(path, data, &doc, withTree)
}

// buildTree makes the generic tree of a parsed document, when asked to.
func buildTree(path string, data []byte, doc *yaml.Node, withTree bool) (*parsed, []Finding) {
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if !withTree {
		return &parsed{root: root}, nil
	}
	b := treeBuilder{path: path, budget: 10000 + len(data)}
	tree := b.build(root)
	if b.err != nil {
		return nil, b.findings
	}
	return &parsed{root: root, tree: tree}, b.findings
}

// yamlError turns a yaml.v3 error into a finding at the line it is about,
// at that line's first character.
func yamlError(path string, data []byte, err error) Finding {
	msg := err.Error()
	line := 1
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if parserErrors[strings.SplitN(msg, " while ", 2)[0]] {
		// yaml.v3 numbers the lines of parser errors from zero (scanner
		// errors from one): the problem is on the next line.
		line++
	}
	hint := ""
	if strings.HasPrefix(msg, "did not find expected key") || strings.HasPrefix(msg, "mapping values are not allowed") {
		hint = "; check the indentation of this line and the one above"
	}
	lines := bytes.Split(data, []byte("\n"))
	line = min(line, max(len(lines), 1))
	col := 1
	if line <= len(lines) {
		col += len(lines[line-1]) - len(bytes.TrimLeft(lines[line-1], " \t"))
	}
	return Finding{Path: path, Line: line, Col: col, Rule: "yaml", Message: "invalid YAML: " + msg + hint}
}

// treeBuilder turns yaml nodes into the generic tree, reporting duplicate
// keys and bounding alias expansion.
type treeBuilder struct {
	path     string
	budget   int
	err      error
	findings []Finding
}

func (b *treeBuilder) build(n *yaml.Node) any {
	if b.err != nil {
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		if b.budget -= 1 + countNodes(n.Alias, b.budget); b.budget < 0 {
			b.err = errAliasBudget
			b.findings = append(b.findings, At(b.path, Pos{int32(n.Line), int32(n.Column)}, "", "alias",
				"aliases here expand to too much data; write the values out instead"))
			return nil
		}
		return b.build(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		var seen map[string]*yaml.Node // for large mappings only
		if len(n.Content) > 32 {
			seen = make(map[string]*yaml.Node, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				b.merge(m, v)
				continue
			}
			key := k.Value
			if k.Kind != yaml.ScalarNode {
				b.findings = append(b.findings, At(b.path, Pos{int32(k.Line), int32(k.Column)}, "", "yaml",
					"a key must be a plain name, not a list or a mapping"))
				continue
			}
			if first := earlierKey(n, i, seen); first != nil {
				b.findings = append(b.findings, At(b.path, Pos{int32(k.Line), int32(k.Column)}, key, "duplicate-key",
					fmt.Sprintf("key %q appears twice in this mapping (first on line %d); keep one", key, first.Line)))
				continue
			}
			m[key] = b.build(v)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = b.build(c)
		}
		return s
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return nil
}

// earlierKey returns the key node before index i of a mapping with the same
// name, or nil. Most ledger mappings are small, and a scan beats a map; a
// large one passes seen, the keys so far.
func earlierKey(n *yaml.Node, i int, seen map[string]*yaml.Node) *yaml.Node {
	key := n.Content[i].Value
	if seen != nil {
		first := seen[key]
		if first == nil {
			seen[key] = n.Content[i]
		}
		return first
	}
	for j := 0; j < i; j += 2 {
		if k := n.Content[j]; k.Value == key && k.Kind == yaml.ScalarNode && k.Tag != "!!merge" {
			return k
		}
	}
	return nil
}

// merge applies a "<<: *anchor" merge key: keys already present win.
func (b *treeBuilder) merge(m map[string]any, v *yaml.Node) {
	srcs := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		srcs = v.Content
	}
	for _, s := range srcs {
		src, ok := b.build(s).(map[string]any)
		if !ok {
			continue
		}
		for k, val := range src {
			if _, exists := m[k]; !exists {
				m[k] = val
			}
		}
	}
}

// countNodes counts a subtree's nodes, stopping once past limit.
func countNodes(n *yaml.Node, limit int) int {
	count := 1
	for _, c := range n.Content {
		if count > limit {
			break
		}
		count += countNodes(c, limit-count)
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil && count <= limit {
		count += countNodes(n.Alias, limit-count)
	}
	return count
}

// scalarValue maps a scalar to its JSON-like value. Dates and timestamps
// stay strings whether quoted or not; numbers keep their written digits.
func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var v bool
		if n.Decode(&v) == nil {
			return v
		}
	case "!!int", "!!float":
		if _, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil {
			return json.Number(strings.ReplaceAll(n.Value, "_", ""))
		}
	}
	return n.Value
}

// locator finds the nodes of one document that schema errors are about.
// A file can hold thousands of errors in one mapping (a typo pasted into
// every record, or a file of nonsense keys); scanning the mapping for each
// would take quadratic time, so a large mapping is indexed by key the
// first time a path goes through it.
type locator struct {
	keys map[*yaml.Node]map[string]int // large mapping -> key -> its index in Content
	// visits counts the key nodes read, which tests bound.
	visits int
}

// lookup follows a path of keys and sequence indexes from node n, returning
// the deepest node reached and whether the whole path was found.
func (lc *locator) lookup(n *yaml.Node, path []string) (*yaml.Node, bool) {
	for _, seg := range path {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		next := lc.child(n, seg)
		if next == nil {
			return n, false
		}
		n = next
	}
	return n, true
}

func (lc *locator) child(n *yaml.Node, seg string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		if k := lc.keyNode(n, seg); k >= 0 {
			return n.Content[k+1]
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// keyNode returns the index in n.Content of the first key named key, or -1.
func (lc *locator) keyNode(n *yaml.Node, key string) int {
	if len(n.Content) <= 32 {
		for i := 0; i+1 < len(n.Content); i += 2 {
			lc.visits++
			if n.Content[i].Value == key {
				return i
			}
		}
		return -1
	}
	index, ok := lc.keys[n]
	if !ok {
		index = make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			lc.visits++
			if _, dup := index[n.Content[i].Value]; !dup {
				index[n.Content[i].Value] = i
			}
		}
		if lc.keys == nil {
			lc.keys = map[*yaml.Node]map[string]int{}
		}
		lc.keys[n] = index
	}
	if i, ok := index[key]; ok {
		return i
	}
	return -1
}

// fieldName renders a path as the user sees it: credits[3].kind.
func fieldName(path []string) string {
	var b strings.Builder
	for _, seg := range path {
		if _, err := strconv.Atoi(seg); err == nil {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}
