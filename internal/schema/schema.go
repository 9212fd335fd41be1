// Package schema validates ledger documents against the embedded JSON Schemas.
//
// Each schema is compiled once and shared by every goroutine. Errors come back as
// paths into the document, so the caller (who still holds the parsed YAML) can map
// them to a line and column.
package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"

	"github.com/tallyledger/tally/internal/suggest"

	"github.com/tallyledger/tally/schemas"
)

// Error is one schema violation.
type Error struct {
	// Path leads from the document root to the offending value: object keys
	// and array indexes (as decimal strings).
	Path []string
	// Key is set when the error is about a key of the object at Path rather
	// than a value: an unknown key, or a missing required one.
	Key string
	// Unknown is true when Key is a key the schema does not allow.
	Unknown bool
	// Message says what was expected, in words a maintainer understands.
	Message string

	anyOf []string // the keys of an "at least one of these keys" error
}

// Set is the compiled schemas, by name.
type Set struct {
	compiled map[string]*gojsonschema.Schema
	raw      map[string]map[string]any
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the embedded schemas, compiled on first use.
func Default() (*Set, error) {
	defaultOnce.Do(func() { defaultSet, defaultErr = compileEmbedded() })
	return defaultSet, defaultErr
}

func compileEmbedded() (*Set, error) {
	s := &Set{compiled: map[string]*gojsonschema.Schema{}, raw: map[string]map[string]any{}}
	for _, name := range schemas.Names {
		b, err := schemas.FS.ReadFile(name + ".schema.json")
		if err != nil {
			return nil, err
		}
		c, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewBytesLoader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		s.compiled[name], s.raw[name] = c, raw
	}
	return s, nil
}

// Validate checks doc, a tree of map[string]any, []any, string, json.Number,
// bool and nil, against the named schema.
func (s *Set) Validate(name string, doc any) []Error {
	c := s.compiled[name]
	if c == nil {
		return []Error{{Message: fmt.Sprintf("no schema named %q", name)}}
	}
	res, err := c.Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		return []Error{{Message: err.Error()}}
	}
	if res.Valid() {
		return nil
	}
	var out []Error
	oneOfKeys := map[string]bool{} // path + key covered by "at least one of"
	for _, re := range res.Errors() {
		if e, ok := s.explain(name, re); ok {
			out = append(out, e)
			for _, k := range e.anyOf {
				oneOfKeys[strings.Join(e.Path, "\x00")+"\x00"+k] = true
			}
		}
	}
	// A failed "at least one of org, payer" also reports each branch's
	// missing key; the one message says it all.
	kept := out[:0]
	for _, e := range out {
		if e.anyOf == nil && e.Key != "" && !e.Unknown && oneOfKeys[strings.Join(e.Path, "\x00")+"\x00"+e.Key] {
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

// explain turns a gojsonschema error into an Error with a path and a message
// that names what was expected.
func (s *Set) explain(name string, re gojsonschema.ResultError) (Error, bool) {
	path := splitContext(re.Context().String("\x00"))
	sub, def := s.subschema(name, path)
	d := re.Details()
	e := Error{Path: path}
	if def == "money" || def == "rate" {
		// These definitions say "positive decimal" with a pattern, bounds
		// and a not; one message covers them all.
		switch re.Type() {
		case "number_not", "number_gt", "number_lt", "pattern":
			e.Message = fmt.Sprintf("%s is not %s", quoteValue(re.Value()), formats[def])
			return e, true
		}
	}
	switch re.Type() {
	case "additional_property_not_allowed":
		e.Key, e.Unknown = fmt.Sprint(d["property"]), true
		allowed := propertyNames(sub)
		e.Message = fmt.Sprintf("unknown key %q", e.Key)
		if m := suggest.Closest(e.Key, allowed); m != "" {
			e.Message += fmt.Sprintf("; did you mean %q?", m)
		} else if len(allowed) > 0 {
			e.Message += "; expected one of " + strings.Join(allowed, ", ")
		}
	case "invalid_property_name":
		e.Key, e.Unknown = fmt.Sprint(d["property"]), true
		names, _ := sub["propertyNames"].(map[string]any)
		want, _ := names["description"].(string)
		if want == "" {
			want = fmt.Sprintf("matching the pattern %v", names["pattern"])
		}
		e.Message = fmt.Sprintf("key %q is not %s", e.Key, want)
	case "required":
		e.Key = fmt.Sprint(d["property"])
		e.Message = fmt.Sprintf("missing required key %q", e.Key)
		if p := property(sub, e.Key); p != nil {
			if desc, _ := p["description"].(string); desc != "" {
				e.Message += " (" + firstSentence(desc) + ")"
			}
		}
	case "invalid_type":
		e.Message = fmt.Sprintf("expected %s, got %s", typeWords(fmt.Sprint(d["expected"])), typeWords(fmt.Sprint(d["given"])))
	case "enum":
		allowed := enumValues(sub)
		e.Message = fmt.Sprintf("%s is not allowed; expected one of %s", quoteValue(re.Value()), strings.Join(allowed, ", "))
		if v, ok := re.Value().(string); ok {
			if m := suggest.Closest(v, allowed); m != "" {
				e.Message += fmt.Sprintf("; did you mean %q?", m)
			}
		}
	case "pattern", "format":
		if _, isMap := sub["propertyNames"]; isMap {
			return e, false // the repeat of invalid_property_name
		}
		e.Message = fmt.Sprintf("%s is not %s", quoteValue(re.Value()), expectation(sub, def, re.Type()))
	case "number_gte":
		e.Message = fmt.Sprintf("%s is less than %s, the least allowed", quoteValue(re.Value()), number(d["min"]))
	case "number_lte":
		e.Message = fmt.Sprintf("%s is more than %s, the most allowed", quoteValue(re.Value()), number(d["max"]))
	case "number_gt":
		e.Message = fmt.Sprintf("%s is not more than %s", quoteValue(re.Value()), number(d["min"]))
	case "number_lt":
		e.Message = fmt.Sprintf("%s is not less than %s", quoteValue(re.Value()), number(d["max"]))
	case "number_any_of", "number_one_of":
		// anyOf/oneOf report their own message plus the branches' errors;
		// the branches are more precise, except for the "one of these keys"
		// rule, which is phrased from the schema.
		if req := anyOfRequired(sub); req != nil {
			e.Message = "expected at least one of the keys " + strings.Join(req, ", ")
			e.anyOf = req
			break
		}
		return e, false
	default:
		e.Message = re.Description()
	}
	return e, true
}

// splitContext turns gojsonschema's "(root)\x00credits\x003\x00kind" into
// [credits 3 kind].
func splitContext(ctx string) []string {
	parts := strings.Split(ctx, "\x00")
	if len(parts) > 0 && parts[0] == "(root)" {
		parts = parts[1:]
	}
	return parts
}

// subschema walks the raw schema along a document path, following
// properties, additionalProperties, items and local $refs. It also returns
// the name of the last definition it went through ("date" for
// "#/definitions/date"), which names the expected format in messages.
func (s *Set) subschema(name string, path []string) (map[string]any, string) {
	root := s.raw[name]
	cur, def := resolve(root, root)
	for _, seg := range path {
		if cur == nil {
			return nil, ""
		}
		var next any
		if props, ok := cur["properties"].(map[string]any); ok && props[seg] != nil {
			next = props[seg]
		} else if items, ok := cur["items"].(map[string]any); ok {
			next = items
		} else if ap, ok := cur["additionalProperties"].(map[string]any); ok {
			next = ap
		}
		m, _ := next.(map[string]any)
		cur, def = resolve(root, m)
	}
	return cur, def
}

// resolve follows local "#/definitions/x" $refs.
func resolve(root, m map[string]any) (map[string]any, string) {
	def := ""
	for i := 0; m != nil && i < 8; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			break
		}
		def = ref[strings.LastIndex(ref, "/")+1:]
		m = lookupPointer(root, strings.TrimPrefix(ref, "#/"))
	}
	return m, def
}

func lookupPointer(root map[string]any, ptr string) map[string]any {
	cur := root
	for _, seg := range strings.Split(ptr, "/") {
		next, _ := cur[seg].(map[string]any)
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

func property(sub map[string]any, key string) map[string]any {
	props, _ := sub["properties"].(map[string]any)
	p, _ := props[key].(map[string]any)
	return p
}

func propertyNames(sub map[string]any) []string {
	props, _ := sub["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func enumValues(sub map[string]any) []string {
	var out []string
	enum, _ := sub["enum"].([]any)
	for _, v := range enum {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// anyOfRequired recognises the "at least one of these keys" idiom:
// anyOf: [{required: [a]}, {required: [b]}].
func anyOfRequired(sub map[string]any) []string {
	branches, _ := sub["anyOf"].([]any)
	var keys []string
	for _, b := range branches {
		bm, _ := b.(map[string]any)
		req, _ := bm["required"].([]any)
		if len(req) != 1 || len(bm) != 1 {
			return nil
		}
		keys = append(keys, fmt.Sprint(req[0]))
	}
	return keys
}

// formats names in words the values that the schemas' shared definitions
// accept, so that a pattern error says what to write instead.
var formats = map[string]string{
	"date":     "a date in the form YYYY-MM-DD",
	"id":       "an id: lowercase letters, digits and dashes, starting with a letter or digit",
	"who":      `a person id or an identity "platform:handle" (for example "github:alice")`,
	"money":    `a positive decimal amount such as "100.00", with at most 12 digits before the point and 4 after`,
	"rate":     `a positive decimal number such as "0.77"`,
	"currency": "an ISO 4217 currency code such as USD or EUR",
	"country":  "an ISO 3166-1 alpha-2 country code such as GB or US",
	"kind":     "a kind name: lowercase letters, digits and underscores",
	"area":     "an area name: lowercase letters, digits and underscores",
}

// expectation describes in words what a pattern or format demands.
func expectation(sub map[string]any, def, errType string) string {
	if w, ok := formats[def]; ok {
		return w
	}
	if f, ok := sub["format"].(string); ok && errType == "format" {
		if f == "uri" {
			return "a URL (https://...)"
		}
		return "a valid " + f
	}
	if p, ok := sub["pattern"].(string); ok {
		return "matching the pattern " + p
	}
	return "in the expected format"
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}

func typeWords(t string) string {
	if strings.HasPrefix(t, "[") {
		// gojsonschema writes a list of types as [string,array].
		var words []string
		for _, one := range strings.Split(strings.Trim(t, "[]"), ",") {
			words = append(words, typeWords(one))
		}
		return strings.Join(words, " or ")
	}
	switch t {
	case "object":
		return "a mapping (key: value)"
	case "array":
		return "a list"
	case "string":
		return "a string"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "null":
		return "nothing"
	}
	return t
}

// number writes a schema's bound as digits (1000000000000, not 1e+12).
func number(v any) string {
	if f, ok := v.(*big.Float); ok {
		return f.Text('f', -1)
	}
	return fmt.Sprint(v)
}

func quoteValue(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case nil:
		return "an empty value"
	}
	return fmt.Sprint(v)
}
