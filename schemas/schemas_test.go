package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// The schemas' invariants, stated as tests in the kubernetes/org way: a schema edit that breaks one is red
// before anyone reviews it.

const (
	draft07 = "http://json-schema.org/draft-07/schema#"
	idBase  = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/"
)

// wantNames are the record types of the ledger format; adding one is a format change.
var wantNames = []string{
	"application", "claim", "conduct", "credits", "funding", "organization",
	"person", "program", "roadmap", "source", "thresholds",
}

// keywordOrder is every keyword the schemas may use, in the order they are written. A keyword outside it is
// an error: validators silently ignore unknown keywords, so a typo ("additionalproperties") would switch a
// check off without anyone noticing.
var keywordOrder = []string{
	"$schema", "$id", "title", "description", "$ref", "type", "enum", "const", "format", "pattern",
	"minLength", "maxLength", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
	"items", "minItems", "maxItems", "uniqueItems", "required", "properties", "patternProperties",
	"additionalProperties", "propertyNames", "minProperties", "maxProperties", "dependencies",
	"anyOf", "oneOf", "allOf", "not", "default", "examples", "definitions",
}

func fileName(name string) string { return name + ".schema.json" }

func readSchema(t *testing.T, name string) ([]byte, map[string]any) {
	t.Helper()
	b, err := FS.ReadFile(fileName(name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("%s: %v", fileName(name), err)
	}
	return b, root
}

func compile(t *testing.T, name string) *gojsonschema.Schema {
	t.Helper()
	b, _ := readSchema(t, name)
	s, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewBytesLoader(b))
	if err != nil {
		t.Fatalf("%s: %v", fileName(name), err)
	}
	return s
}

// forEach runs f as a subtest for every schema.
func forEach(t *testing.T, f func(t *testing.T, name string, raw []byte, root map[string]any)) {
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			raw, root := readSchema(t, name)
			f(t, name, raw, root)
		})
	}
}

func TestNames(t *testing.T) {
	if !slices.Equal(Names, wantNames) {
		t.Errorf("Names = %q, want %q", Names, wantNames)
	}
	if !slices.IsSorted(Names) {
		t.Errorf("Names are not sorted: %q", Names)
	}
}

func TestFiles(t *testing.T) {
	var want []string
	for _, name := range Names {
		want = append(want, fileName(name))
	}
	embedded, err := fs.Glob(FS, "*")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(embedded, want) {
		t.Errorf("embedded files = %q, want %q", embedded, want)
	}
	// A schema named otherwise (person.json) would not be embedded at all.
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && !slices.Contains(want, e.Name()) {
			t.Errorf("%s: not one of the schemas %q", e.Name(), want)
		}
	}
}

func TestCompile(t *testing.T) {
	forEach(t, func(t *testing.T, name string, raw []byte, _ map[string]any) {
		if _, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewBytesLoader(raw)); err != nil {
			t.Errorf("compile: %v", err)
		}
		// Against the draft-07 meta-schema (bundled in gojsonschema, no network).
		sl := gojsonschema.NewSchemaLoader()
		sl.Validate = true
		if _, err := sl.Compile(gojsonschema.NewBytesLoader(raw)); err != nil {
			t.Errorf("draft-07 meta-schema: %v", err)
		}
	})
}

func TestHeader(t *testing.T) {
	forEach(t, func(t *testing.T, name string, _ []byte, root map[string]any) {
		if got := root["$schema"]; got != draft07 {
			t.Errorf("$schema = %v, want %s", got, draft07)
		}
		// Ledger files name the schema by $id in their yaml-language-server line.
		if got, want := root["$id"], idBase+fileName(name); got != want {
			t.Errorf("$id = %v, want %s", got, want)
		}
		if got := root["type"]; got != "object" {
			t.Errorf("type = %v, want object", got)
		}
	})
}

// TestFormatting keeps hand edits readable and diffs small: 2-space indent, one final newline.
func TestFormatting(t *testing.T) {
	forEach(t, func(t *testing.T, name string, raw []byte, _ map[string]any) {
		var compact, want bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if !bytes.Equal(raw, want.Bytes()) {
			t.Errorf("not formatted with a 2-space indent and a final newline")
		}
	})
}

// TestKeywordOrder checks that every keyword is known and that keywords come in keywordOrder.
func TestKeywordOrder(t *testing.T) {
	rank := map[string]int{}
	for i, k := range keywordOrder {
		rank[k] = i
	}
	forEach(t, func(t *testing.T, name string, raw []byte, _ map[string]any) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		err := walkKeys(dec, roleSchema, "#", func(at string, keys []string) {
			last, prev := -1, ""
			for _, k := range keys {
				r, ok := rank[k]
				switch {
				case !ok:
					t.Errorf("%s: unknown keyword %q", at, k)
				case r < last:
					t.Errorf("%s: %q must come before %q (see keywordOrder)", at, k, prev)
				default:
					last, prev = r, k
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

type role int

const (
	roleSchema role = iota // an object of keywords
	roleNames              // names -> schemas (properties, patternProperties, definitions, dependencies)
	roleData               // a value: enum, const, default, examples, required, type
)

// walkKeys reads one JSON value from dec and calls visit with the keys, in file order, of every schema in it.
func walkKeys(dec *json.Decoder, r role, at string, visit func(at string, keys []string)) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		var keys []string
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			k := tok.(string)
			keys = append(keys, k)
			child := roleData
			switch r {
			case roleSchema:
				child = keywordRole(k)
			case roleNames:
				child = roleSchema
			}
			if err := walkKeys(dec, child, at+"/"+k, visit); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		if r == roleSchema {
			visit(at, keys)
		}
	case json.Delim('['):
		// The elements of anyOf, oneOf and allOf are schemas; those of examples are data: keep the role.
		for i := 0; dec.More(); i++ {
			if err := walkKeys(dec, r, at+"/"+strconv.Itoa(i), visit); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	return nil
}

func keywordRole(k string) role {
	switch k {
	case "properties", "patternProperties", "definitions", "dependencies":
		return roleNames
	case "enum", "const", "default", "examples", "required", "type":
		return roleData
	}
	return roleSchema
}

// node is one schema inside a schema file.
type node struct {
	at     string // JSON pointer, for messages
	schema map[string]any
	named  bool   // a value of properties, patternProperties or definitions: it shows in editors' hover help
	prop   string // its name, when it is a value of properties
}

// nodes lists every schema in the tree under s, s first.
func nodes(at string, s map[string]any) []node {
	out := []node{{at: at, schema: s}}
	return append(out, children(at, s)...)
}

func children(at string, s map[string]any) []node {
	var out []node
	for _, k := range []string{"items", "additionalProperties", "propertyNames", "not"} {
		if sub, ok := s[k].(map[string]any); ok {
			out = append(out, nodes(at+"/"+k, sub)...)
		}
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		list, _ := s[k].([]any)
		for i, v := range list {
			if sub, ok := v.(map[string]any); ok {
				out = append(out, nodes(at+"/"+k+"/"+strconv.Itoa(i), sub)...)
			}
		}
	}
	for _, k := range []string{"properties", "patternProperties", "definitions", "dependencies"} {
		m, _ := s[k].(map[string]any)
		for _, name := range sortedKeys(m) {
			sub, ok := m[name].(map[string]any)
			if !ok {
				continue // dependencies may list property names
			}
			n := node{at: at + "/" + k + "/" + name, schema: sub, named: k != "dependencies"}
			if k == "properties" {
				n.prop = name
			}
			out = append(out, n)
			out = append(out, children(n.at, sub)...)
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestDocumented: the root, every property (at any depth) and every definition has a title and a description,
// which editors show as hover help.
func TestDocumented(t *testing.T) {
	forEach(t, func(t *testing.T, name string, _ []byte, root map[string]any) {
		for _, n := range nodes("#", root) {
			if n.at != "#" && !n.named {
				continue
			}
			for _, k := range []string{"title", "description"} {
				if s, _ := n.schema[k].(string); strings.TrimSpace(s) == "" {
					t.Errorf("%s: no %s", n.at, k)
				}
			}
		}
	})
}

// TestClosed: unknown keys are errors everywhere (typos must not drop data), except in a credit's facts.
func TestClosed(t *testing.T) {
	forEach(t, func(t *testing.T, name string, _ []byte, root map[string]any) {
		for _, n := range nodes("#", root) {
			if !isObjectSchema(n.schema) {
				continue
			}
			if n.prop == "facts" {
				if name != "credits" && name != "claim" {
					t.Errorf("%s: only credits and claims have free-form facts", n.at)
				}
				ap, _ := n.schema["additionalProperties"].(map[string]any)
				items, _ := ap["items"].(map[string]any)
				if got := fmt.Sprint(ap["type"], " of ", items["type"]); got != "[string number boolean array] of string" {
					t.Errorf("%s: facts values must be scalars (string, number, boolean) or lists of strings, got type %s", n.at, got)
				}
				continue
			}
			// A map (identities, kinds, minimums...) names its keys with
			// propertyNames and types its values with additionalProperties;
			// propertyNames, unlike patternProperties, is compiled once by
			// gojsonschema, which matters for a hundred thousand people.
			if _, isMap := n.schema["propertyNames"]; isMap {
				if _, ok := n.schema["additionalProperties"].(map[string]any); !ok {
					t.Errorf("%s: a map with propertyNames must type its values with additionalProperties", n.at)
				}
				continue
			}
			if _, ok := n.schema["patternProperties"]; ok {
				t.Errorf("%s: use propertyNames instead of patternProperties (gojsonschema compiles those on every match)", n.at)
			}
			if n.schema["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties must be false", n.at)
			}
		}
	})
}

func isObjectSchema(s map[string]any) bool {
	switch typ := s["type"].(type) {
	case string:
		return typ == "object"
	case []any:
		return slices.Contains(typ, any("object"))
	}
	_, props := s["properties"]
	_, patterns := s["patternProperties"]
	return props || patterns
}

// TestBounded: every whole number has a maximum, far below 2^31, so that tally reads it exactly whatever its
// notation (1e3) and no sum of such numbers wraps.
func TestBounded(t *testing.T) {
	forEach(t, func(t *testing.T, name string, _ []byte, root map[string]any) {
		for _, n := range nodes("#", root) {
			if n.schema["type"] != "integer" {
				continue
			}
			max, ok := n.schema["maximum"].(json.Number)
			if v, err := max.Int64(); !ok || err != nil || v > 1<<30 {
				t.Errorf("%s: an integer needs a maximum of at most 2^30, has %v", n.at, n.schema["maximum"])
			}
		}
	})
}

// TestRefs: every file stands alone (only local refs), refs resolve, draft-07 ignores keywords beside $ref so
// only annotations may sit there, and no definition is dead.
func TestRefs(t *testing.T) {
	annotations := []string{"title", "description", "default", "examples"}
	forEach(t, func(t *testing.T, name string, _ []byte, root map[string]any) {
		defs, _ := root["definitions"].(map[string]any)
		used := map[string]bool{}
		for _, n := range nodes("#", root) {
			ref, ok := n.schema["$ref"].(string)
			if !ok {
				continue
			}
			def, local := strings.CutPrefix(ref, "#/definitions/")
			if !local {
				t.Errorf("%s: $ref %q is not a local #/definitions/ ref", n.at, ref)
			} else if _, ok := defs[def]; !ok {
				t.Errorf("%s: $ref %q: no such definition", n.at, ref)
			}
			used[def] = true
			for k := range n.schema {
				if k != "$ref" && !slices.Contains(annotations, k) {
					t.Errorf("%s: %q beside $ref is ignored by draft-07 validators", n.at, k)
				}
			}
		}
		for _, def := range sortedKeys(defs) {
			if !used[def] {
				t.Errorf("#/definitions/%s: never used", def)
			}
		}
	})
}

// TestFormats: dates, ids and timestamps use patterns (format: date is not checked the same way everywhere).
func TestFormats(t *testing.T) {
	forEach(t, func(t *testing.T, name string, _ []byte, root map[string]any) {
		for _, n := range nodes("#", root) {
			if f, ok := n.schema["format"]; ok && f != "uri" && f != "email" {
				t.Errorf("%s: format %v: use a pattern", n.at, f)
			}
		}
	})
}

// TestExamples: the defaults and examples editors offer are valid themselves.
func TestExamples(t *testing.T) {
	forEach(t, func(t *testing.T, name string, _ []byte, root map[string]any) {
		for _, n := range nodes("#", root) {
			values, _ := n.schema["examples"].([]any)
			if d, ok := n.schema["default"]; ok {
				values = append(values, d)
			}
			if len(values) == 0 {
				continue
			}
			// The schema alone, with the file's definitions for its refs.
			wrapper := map[string]any{"$schema": draft07, "definitions": root["definitions"],
				"allOf": []any{n.schema}}
			s, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewGoLoader(wrapper))
			if err != nil {
				t.Fatalf("%s: %v", n.at, err)
			}
			for _, v := range values {
				res, err := s.Validate(gojsonschema.NewRawLoader(v))
				if err != nil {
					t.Fatalf("%s: %v", n.at, err)
				}
				if !res.Valid() {
					t.Errorf("%s: example %v is invalid: %q", n.at, v, describe(res.Errors()))
				}
			}
		}
	})
}

// Documents are built as the ledger loader builds them from YAML: objects, arrays, strings, json.Number,
// bools; dates and timestamps stay strings.
type (
	obj = map[string]any
	arr = []any
)

func num(s string) json.Number { return json.Number(s) }

// docCase is a document and the error it must give: "field: type" as gojsonschema names them (the field of
// a missing or unknown key includes the key), or "" for a valid document.
type docCase struct {
	name string
	doc  any
	err  string
}

func checkDocs(t *testing.T, name string, cases []docCase) {
	t.Helper()
	s := compile(t, name)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.Validate(gojsonschema.NewRawLoader(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			got := describe(res.Errors())
			switch {
			case c.err == "" && !res.Valid():
				t.Errorf("want valid, got %q", got)
			case c.err != "" && !slices.Contains(got, c.err):
				t.Errorf("want error %q, got %q", c.err, got)
			}
		})
	}
}

func describe(errs []gojsonschema.ResultError) []string {
	var out []string
	for _, e := range errs {
		field := e.Field()
		if p, ok := e.Details()["property"].(string); ok && (e.Type() == "required" || e.Type() == "additional_property_not_allowed" || e.Type() == "invalid_property_name") {
			if field == "(root)" {
				field = p
			} else {
				field += "." + p
			}
		}
		out = append(out, field+": "+e.Type())
	}
	return out
}

// set returns a copy of doc with the value at path (keys and indexes joined by dots) replaced by v.
func set(doc any, path string, v any) any {
	doc = deepCopy(doc)
	parent, last := walk(doc, path)
	switch p := parent.(type) {
	case obj:
		p[last] = v
	case arr:
		p[index(last)] = v
	}
	return doc
}

// del returns a copy of doc without the key at path.
func del(doc any, path string) any {
	doc = deepCopy(doc)
	parent, last := walk(doc, path)
	delete(parent.(obj), last)
	return doc
}

func walk(doc any, path string) (parent any, last string) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		switch d := doc.(type) {
		case obj:
			doc = d[k]
		case arr:
			doc = d[index(k)]
		}
	}
	return doc, keys[len(keys)-1]
}

func index(s string) int {
	i, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return i
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case obj:
		c := obj{}
		for k, x := range v {
			c[k] = deepCopy(x)
		}
		return c
	case arr:
		c := arr{}
		for _, x := range v {
			c = append(c, deepCopy(x))
		}
		return c
	}
	return v
}

func TestProgramDocuments(t *testing.T) {
	full := obj{
		"name":       "Example Community",
		"timezone":   "Europe/Berlin",
		"leadership": arr{"alice", "bob"},
		"team_leads": obj{"community": arr{"carol"}, "docs": arr{"dave"}},
		"scoring": arr{
			obj{"from": "2020-01-01", "kinds": obj{
				"pull_request":   obj{"weight": num("3"), "cap": num("20")},
				"review":         obj{"weight": num("2"), "cap": num("30")},
				"issue":          obj{"weight": num("1")},
				"chat_help":      obj{"weight": num("1"), "area": "community"},
				"blog_post":      obj{"weight": num("3"), "area": "docs"},
				"comment":        obj{"weight": num("0")},
				"forum_solution": obj{"weight": num("2")},
			}},
			obj{"from": "2026-01-01", "kinds": obj{"pull_request": obj{"weight": num("4")}}, "points_cap": num("60"), "rules": arr{
				obj{"kind": "pull_request", "when": obj{"max_lines": num("5")}, "weight": num("1")},
				obj{"kind": "pull_request", "when": obj{"only_paths": arr{"docs/**", "*.md"}, "min_files": num("1")}, "weight": num("1")},
				obj{"when": obj{"any_label": arr{"security"}}, "weight": num("6")},
				obj{"project": "acme/legacy", "weight_factor": num("0.5")},
			}},
		},
		"partners": obj{
			"practical":               obj{"months": num("3"), "min_score": num("10")},
			"financial":               obj{"months": num("3")},
			"conduct":                 obj{"months": num("12")},
			"featured":                num("3"),
			"roadmap_per_year":        num("3"),
			"standing":                obj{"grace_months": num("2"), "lapse_months": num("3")},
			"decline_alert":           num("0.5"),
			"decline_alert_min_score": num("10"),
			"tiers": arr{
				obj{"name": "Gold", "min_score": num("50"), "min_payment": "500.00"},
				obj{"name": "Silver", "min_score": num("20"), "min_payment": num("200")},
				obj{"name": "Member"},
			},
		},
		"reports": obj{"top": num("10")},
	}
	minimal := obj{
		"name":       "Example Community",
		"leadership": arr{"alice"},
		"scoring":    arr{obj{"from": "2020-01-01", "kinds": obj{"pull_request": obj{"weight": num("3")}}}},
	}
	checkDocs(t, "program", []docCase{
		{"full", full, ""},
		{"minimal", minimal, ""},
		{"weight 3.0 is an integer", set(full, "scoring.0.kinds.issue.weight", num("3.0")), ""},
		{"decline alert 1", set(full, "partners.decline_alert", num("1")), ""},
		{"unknown key", set(full, "nmae", "x"), "nmae: additional_property_not_allowed"},
		{"unknown partners key", set(full, "partners.practical.month", num("3")), "partners.practical.month: additional_property_not_allowed"},
		{"unknown kind key", set(full, "scoring.0.kinds.issue.wieght", num("1")), "scoring.0.kinds.issue.wieght: additional_property_not_allowed"},
		{"unknown reports key", set(full, "reports.bottom", num("1")), "reports.bottom: additional_property_not_allowed"},
		{"no name", del(full, "name"), "name: required"},
		{"no leadership", del(full, "leadership"), "leadership: required"},
		{"no scoring", del(full, "scoring"), "scoring: required"},
		{"no from", del(full, "scoring.0.from"), "scoring.0.from: required"},
		{"no kinds", del(full, "scoring.0.kinds"), "scoring.0.kinds: required"},
		{"no weight", del(full, "scoring.0.kinds.issue.weight"), "scoring.0.kinds.issue.weight: required"},
		{"tier without name", del(full, "partners.tiers.2.name"), "partners.tiers.2.name: required"},
		{"name a number", set(full, "name", num("1")), "name: invalid_type"},
		{"leadership a string", set(full, "leadership", "alice"), "leadership: invalid_type"},
		{"weight a string", set(full, "scoring.0.kinds.issue.weight", "1"), "scoring.0.kinds.issue.weight: invalid_type"},
		{"weight a fraction", set(full, "scoring.0.kinds.issue.weight", num("1.5")), "scoring.0.kinds.issue.weight: invalid_type"},
		{"weight negative", set(full, "scoring.0.kinds.issue.weight", num("-1")), "scoring.0.kinds.issue.weight: number_gte"},
		{"cap zero", set(full, "scoring.0.kinds.review.cap", num("0")), "scoring.0.kinds.review.cap: number_gte"},
		{"no leaders", set(full, "leadership", arr{}), "leadership: array_min_items"},
		{"leader twice", set(full, "leadership", arr{"alice", "alice"}), "leadership: unique"},
		{"leader not an id", set(full, "leadership.0", "Alice"), "leadership.0: pattern"},
		{"date without zeros", set(full, "scoring.0.from", "2020-1-1"), "scoring.0.from: pattern"},
		{"month 13", set(full, "scoring.0.from", "2020-13-01"), "scoring.0.from: pattern"},
		{"timezone with a space", set(full, "timezone", "Europe Berlin"), "timezone: pattern"},
		{"empty scoring", set(full, "scoring", arr{}), "scoring: array_min_items"},
		{"empty kinds", set(full, "scoring.1.kinds", obj{}), "scoring.1.kinds: array_min_properties"},
		{"kind name with capitals", set(full, "scoring.1.kinds.PullRequest", obj{"weight": num("1")}), "scoring.1.kinds.PullRequest: invalid_property_name"},
		{"kind name with hyphen", set(full, "scoring.1.kinds.pull-request", obj{"weight": num("1")}), "scoring.1.kinds.pull-request: invalid_property_name"},
		{"area not a name", set(full, "scoring.0.kinds.chat_help.area", "Community"), "scoring.0.kinds.chat_help.area: pattern"},
		{"area with no leads", set(full, "team_leads.docs", arr{}), "team_leads.docs: array_min_items"},
		{"area name with capitals", set(full, "team_leads.Docs", arr{"dave"}), "team_leads.Docs: invalid_property_name"},
		{"decline alert zero", set(full, "partners.decline_alert", num("0")), "partners.decline_alert: number_gt"},
		{"decline alert above one", set(full, "partners.decline_alert", num("1.5")), "partners.decline_alert: number_lte"},
		{"lapse months zero", set(full, "partners.standing.lapse_months", num("0")), "partners.standing.lapse_months: number_gte"},
		{"tier payment in words", set(full, "partners.tiers.0.min_payment", "ten"), "partners.tiers.0.min_payment: pattern"},
		{"top zero", set(full, "reports.top", num("0")), "reports.top: number_gte"},
		{"unknown condition", set(full, "scoring.1.rules.0.when.max_line", num("5")), "scoring.1.rules.0.when.max_line: additional_property_not_allowed"},
		{"unknown rule key", set(full, "scoring.1.rules.0.wieght", num("5")), "scoring.1.rules.0.wieght: additional_property_not_allowed"},
		{"empty when", set(full, "scoring.1.rules.0.when", obj{}), "scoring.1.rules.0.when: array_min_properties"},
		{"paths a string", set(full, "scoring.1.rules.1.when.only_paths", "docs/**"), "scoring.1.rules.1.when.only_paths: invalid_type"},
		{"no paths", set(full, "scoring.1.rules.1.when.only_paths", arr{}), "scoring.1.rules.1.when.only_paths: array_min_items"},
		{"empty label", set(full, "scoring.1.rules.2.when.any_label", arr{""}), "scoring.1.rules.2.when.any_label.0: string_gte"},
		{"rule weight past its bound", set(full, "scoring.1.rules.0.weight", num("1001")), "scoring.1.rules.0.weight: number_lte"},
		{"rule weight a fraction", set(full, "scoring.1.rules.0.weight", num("1.5")), "scoring.1.rules.0.weight: invalid_type"},
		{"factor negative", set(full, "scoring.1.rules.3.weight_factor", num("-0.5")), "scoring.1.rules.3.weight_factor: number_gte"},
		{"factor past its bound", set(full, "scoring.1.rules.3.weight_factor", num("11")), "scoring.1.rules.3.weight_factor: number_lte"},
		{"rule project not owner/name", set(full, "scoring.1.rules.3.project", "legacy"), "scoring.1.rules.3.project: pattern"},
		{"points cap zero", set(full, "scoring.1.points_cap", num("0")), "scoring.1.points_cap: number_gte"},
		{"max lines negative", set(full, "scoring.1.rules.0.when.max_lines", num("-1")), "scoring.1.rules.0.when.max_lines: number_gte"},
		{"weight at its bound", set(full, "scoring.0.kinds.issue.weight", num("1000")), ""},
		{"weight past its bound", set(full, "scoring.0.kinds.issue.weight", num("1001")), "scoring.0.kinds.issue.weight: number_lte"},
		{"weight of 2^32", set(full, "scoring.0.kinds.issue.weight", num("4294967296")), "scoring.0.kinds.issue.weight: number_lte"},
		{"weight in exponent form", set(full, "scoring.0.kinds.issue.weight", num("1e18")), "scoring.0.kinds.issue.weight: number_lte"},
		{"cap past its bound", set(full, "scoring.0.kinds.review.cap", num("100001")), "scoring.0.kinds.review.cap: number_lte"},
		{"min score past its bound", set(full, "partners.practical.min_score", num("1e30")), "partners.practical.min_score: number_lte"},
		{"tier payment of a trillion", set(full, "partners.tiers.0.min_payment", "1000000000000"), "partners.tiers.0.min_payment: pattern"},
		{"platforms", set(full, "platforms", arr{"reddit", "mastodon"}), ""},
		{"platform with capitals", set(full, "platforms", arr{"Reddit"}), "platforms.0: pattern"},
		{"platform twice", set(full, "platforms", arr{"reddit", "reddit"}), "platforms: unique"},
	})
}

func TestThresholdsDocuments(t *testing.T) {
	full := obj{
		"source": "The Economist Big Mac index, raw index, 2026-01-01",
		"date":   "2026-01-01",
		"notice": "Big Mac index data (c) The Economist, MIT licence.",
		"base":   obj{"country": "US", "amount": "100", "currency": "USD"},
		"minimums": obj{
			"GB": obj{"usd": "115.70", "local": "89.12", "currency": "GBP"},
			"US": obj{"usd": "100"},
		},
		"euro_area":    obj{"usd": "115.26", "local": "100.52", "currency": "EUR"},
		"overrides":    obj{"NG": obj{"usd": "38.00", "evidence": "https://example.org/big-mac-lagos", "note": "Lagos price"}},
		"fallback_usd": "100",
		"rates":        obj{"GBP": "0.77", "EUR": "0.87"},
	}
	minimal := obj{
		"source":   "The Economist Big Mac index, raw index, 2026-01-01",
		"base":     obj{"country": "US", "amount": "100", "currency": "USD"},
		"minimums": obj{},
	}
	checkDocs(t, "thresholds", []docCase{
		{"full", full, ""},
		{"minimal", minimal, ""},
		{"money as a number", set(full, "minimums.GB.usd", num("115.70")), ""},
		{"money below one", set(full, "rates.GBP", "0.05"), ""},
		{"rate with five decimals", set(full, "rates.GBP", "0.74708"), ""},
		{"zero rate", set(full, "rates.GBP", "0.000"), "rates.GBP: number_not"},
		{"unknown key", set(full, "fallback", "100"), "fallback: additional_property_not_allowed"},
		{"unknown minimum key", set(full, "minimums.GB.eur", "100"), "minimums.GB.eur: additional_property_not_allowed"},
		{"no source", del(full, "source"), "source: required"},
		{"no base", del(full, "base"), "base: required"},
		{"no minimums", del(full, "minimums"), "minimums: required"},
		{"base without amount", del(full, "base.amount"), "base.amount: required"},
		{"minimum without usd", del(full, "minimums.GB.usd"), "minimums.GB.usd: required"},
		{"override without evidence", del(full, "overrides.NG.evidence"), "overrides.NG.evidence: required"},
		{"local without currency", del(full, "minimums.GB.currency"), "minimums.GB: missing_dependency"},
		{"money a boolean", set(full, "fallback_usd", true), "fallback_usd: invalid_type"},
		{"minimums a list", set(full, "minimums", arr{}), "minimums: invalid_type"},
		{"country in lowercase", set(full, "minimums.gb", obj{"usd": "1"}), "minimums.gb: invalid_property_name"},
		{"alpha-3 country", set(full, "base.country", "USA"), "base.country: pattern"},
		{"currency in lowercase", set(full, "minimums.GB.currency", "gbp"), "minimums.GB.currency: pattern"},
		{"rate for a bad currency", set(full, "rates.usd", "1"), "rates.usd: invalid_property_name"},
		{"zero as a string", set(full, "minimums.GB.usd", "0.00"), "minimums.GB.usd: number_not"},
		{"zero as a number", set(full, "minimums.GB.usd", num("0")), "minimums.GB.usd: number_gt"},
		{"negative money", set(full, "minimums.GB.usd", "-5"), "minimums.GB.usd: pattern"},
		{"money with a comma", set(full, "minimums.GB.usd", "1,000.00"), "minimums.GB.usd: pattern"},
		{"money with a symbol", set(full, "base.amount", "$100"), "base.amount: pattern"},
		{"evidence not a URL", set(full, "overrides.NG.evidence", "see chat"), "overrides.NG.evidence: format"},
		{"date in another format", set(full, "date", "01/01/2026"), "date: pattern"},
	})
}

func TestPersonDocuments(t *testing.T) {
	full := obj{
		"name":       "Alice Example",
		"identities": obj{"github": "alice-gh", "discourse": "alice", "slack": "U0123"},
		"joined":     "2021-03-04",
		"affiliations": arr{
			obj{"org": "acme", "from": "2021-03-01", "until": "2023-07-01"},
			obj{"org": "globex", "from": "2023-07-01"},
		},
		"visibility": "public",
		"bot":        false,
	}
	minimal := obj{"name": "Alice Example", "identities": obj{"github": "alice-gh"}}
	checkDocs(t, "person", []docCase{
		{"full", full, ""},
		{"minimal", minimal, ""},
		{"anonymous", set(full, "visibility", "anonymous"), ""},
		{"hidden bot", set(set(full, "visibility", "hidden"), "bot", true), ""},
		{"unknown key", set(full, "email", "alice@example.org"), "email: additional_property_not_allowed"},
		{"unknown affiliation key", set(full, "affiliations.0.to", "2023-07-01"), "affiliations.0.to: additional_property_not_allowed"},
		{"no name", del(full, "name"), "name: required"},
		{"no identities", del(full, "identities"), "identities: required"},
		{"affiliation without from", del(full, "affiliations.1.from"), "affiliations.1.from: required"},
		{"affiliation without org", del(full, "affiliations.1.org"), "affiliations.1.org: required"},
		{"empty identities", set(full, "identities", obj{}), "identities: array_min_properties"},
		{"platform with capitals", set(full, "identities.GitHub", "alice-gh"), "identities.GitHub: invalid_property_name"},
		{"handle with a space", set(full, "identities.github", "alice gh"), "identities.github: pattern"},
		{"empty handle", set(full, "identities.github", ""), "identities.github: pattern"},
		{"handle a number", set(full, "identities.discourse", num("12345")), "identities.discourse: invalid_type"},
		{"bot a string", set(full, "bot", "no"), "bot: invalid_type"},
		{"affiliations an object", set(full, "affiliations", obj{"org": "acme"}), "affiliations: invalid_type"},
		{"unknown visibility", set(full, "visibility", "private"), "visibility: enum"},
		{"org not an id", set(full, "affiliations.0.org", "Acme Inc"), "affiliations.0.org: pattern"},
		{"two-digit year", set(full, "joined", "21-03-04"), "joined: pattern"},
		{"day 32", set(full, "affiliations.0.until", "2023-07-32"), "affiliations.0.until: pattern"},
	})
}

func TestOrganizationDocuments(t *testing.T) {
	full := obj{
		"name":            "Acme Digital",
		"country":         "GB",
		"website":         "https://acme.example",
		"summary":         "One paragraph.",
		"services":        arr{"hosting", "implementation", "training"},
		"offerings":       arr{"saas", "self-hosted"},
		"languages":       arr{"en", "de", "pt-BR"},
		"regions":         arr{"europe"},
		"contact":         obj{"name": "Sales team", "url": "https://acme.example/contact", "email": "sales@acme.example"},
		"accounts":        obj{"opencollective": "acme-digital", "github": arr{"acme-org", "acme-labs"}},
		"case_studies":    arr{obj{"title": "Widgets for Globex", "url": "https://acme.example/globex"}},
		"partner_program": "https://acme.example/partners",
		"lead_url":        "https://acme.example/quote",
		"partner":         obj{"ended": "2026-05-01", "reason": "Asked to end it."},
	}
	minimal := obj{"name": "Acme Digital", "country": "GB"}
	checkDocs(t, "organization", []docCase{
		{"full", full, ""},
		{"minimal", minimal, ""},
		{"unknown key", set(full, "twitter", "@acme"), "twitter: additional_property_not_allowed"},
		{"unknown contact key", set(full, "contact.phone", "+44"), "contact.phone: additional_property_not_allowed"},
		{"unknown partner key", set(full, "partner.since", "2025-01-01"), "partner.since: additional_property_not_allowed"},
		{"no name", del(full, "name"), "name: required"},
		{"no country", del(full, "country"), "country: required"},
		{"case study without url", del(full, "case_studies.0.url"), "case_studies.0.url: required"},
		{"partner without ended", del(full, "partner.ended"), "partner.ended: required"},
		{"services a string", set(full, "services", "hosting"), "services: invalid_type"},
		{"handle a number", set(full, "accounts.opencollective", num("5")), "accounts.opencollective: invalid_type"},
		{"country in lowercase", set(full, "country", "gb"), "country: pattern"},
		{"alpha-3 country", set(full, "country", "GBR"), "country: pattern"},
		{"language in words", set(full, "languages.0", "english"), "languages.0: pattern"},
		{"handle with a space", set(full, "accounts.opencollective", "acme digital"), "accounts.opencollective: pattern"},
		{"platform with capitals", set(full, "accounts.OpenCollective", "acme"), "accounts.OpenCollective: invalid_property_name"},
		{"no handles", set(full, "accounts.github", arr{}), "accounts.github: array_min_items"},
		{"unknown offering", set(full, "offerings.0", "on-premise"), "offerings.0: enum"},
		{"service twice", set(full, "services", arr{"hosting", "hosting"}), "services: unique"},
		{"website without scheme", set(full, "website", "acme.example"), "website: format"},
		{"bad email", set(full, "contact.email", "sales at acme"), "contact.email: format"},
		{"bad end date", set(full, "partner.ended", "May 2026"), "partner.ended: pattern"},
	})
}

func TestCreditsDocuments(t *testing.T) {
	full := obj{"credits": arr{
		obj{
			"id":      "github:acme/widget#123",
			"who":     "github:alice-gh",
			"kind":    "pull_request",
			"date":    "2026-10-03",
			"url":     "https://github.com/acme/widget/pull/123",
			"title":   "Fix the widget",
			"project": "acme/widget",
			"org":     "acme",
			"facts":   obj{"additions": num("10"), "deletions": num("2"), "merged": true, "opened": "2026-09-30T10:00:00Z"},
		},
		obj{"id": "manual:2026-10-carol-meetup", "who": "carol", "kind": "meetup", "date": "2026-10-31"},
	}}
	checkDocs(t, "credits", []docCase{
		{"full", full, ""},
		{"empty", obj{"credits": arr{}}, ""},
		{"any facts", set(full, "credits.0.facts", obj{"anything": "goes", "ratio": num("0.5")}), ""},
		{"deep project", set(full, "credits.0.project", "group/subgroup/widget"), ""},
		{"unknown key", set(full, "source", "github"), "source: additional_property_not_allowed"},
		{"unknown credit key", set(full, "credits.0.points", num("3")), "credits.0.points: additional_property_not_allowed"},
		{"no credits", obj{}, "credits: required"},
		{"no id", del(full, "credits.0.id"), "credits.0.id: required"},
		{"no who", del(full, "credits.0.who"), "credits.0.who: required"},
		{"no kind", del(full, "credits.1.kind"), "credits.1.kind: required"},
		{"no date", del(full, "credits.1.date"), "credits.1.date: required"},
		{"credits an object", obj{"credits": obj{}}, "credits: invalid_type"},
		{"fact a list", set(full, "credits.0.facts.labels", arr{"bug"}), ""},
		{"fact an empty list", set(full, "credits.0.facts.labels", arr{}), ""},
		{"fact a list of numbers", set(full, "credits.0.facts.labels", arr{num("3")}), "credits.0.facts.labels.0: invalid_type"},
		{"fact an object", set(full, "credits.0.facts.user", obj{"login": "alice"}), "credits.0.facts.user: invalid_type"},
		{"fact null", set(full, "credits.0.facts.closed", nil), "credits.0.facts.closed: invalid_type"},
		{"who a name", set(full, "credits.0.who", "Alice Example"), "credits.0.who: pattern"},
		{"who without handle", set(full, "credits.0.who", "github:"), "credits.0.who: pattern"},
		{"who platform in capitals", set(full, "credits.0.who", "GitHub:alice-gh"), "credits.0.who: pattern"},
		{"kind with hyphen", set(full, "credits.0.kind", "pull-request"), "credits.0.kind: pattern"},
		{"date without zero", set(full, "credits.0.date", "2026-10-3"), "credits.0.date: pattern"},
		{"date a timestamp", set(full, "credits.0.date", "2026-10-03T10:00:00Z"), "credits.0.date: pattern"},
		{"id with a space", set(full, "credits.0.id", "github: 123"), "credits.0.id: pattern"},
		{"project without owner", set(full, "credits.0.project", "widget"), "credits.0.project: pattern"},
		{"org not an id", set(full, "credits.0.org", "Acme"), "credits.0.org: pattern"},
		{"url without scheme", set(full, "credits.0.url", "github.com/acme/widget/pull/123"), "credits.0.url: format"},
	})
}

func TestClaimDocuments(t *testing.T) {
	full := obj{
		"who":      "github:alice-gh",
		"date":     "2026-10-15",
		"evidence": "https://example.org/meetups/42",
		"url":      "https://example.org/talks/widgets",
		"title":    "Widgets at the October meetup",
		"project":  "acme/widget",
		"org":      "acme",
		"facts":    obj{"attendees": num("40")},
	}
	minimal := obj{"who": "alice", "date": "2026-10-15", "evidence": "http://example.org/chat/1"}
	checkDocs(t, "claim", []docCase{
		{"full", full, ""},
		{"minimal", minimal, ""},
		{"unknown key", set(full, "reviewer", "carol"), "reviewer: additional_property_not_allowed"},
		{"id written", set(full, "id", "claim:talk/2026/widgets"), "id: additional_property_not_allowed"},
		{"kind written", set(full, "kind", "talk"), "kind: additional_property_not_allowed"},
		{"no who", del(full, "who"), "who: required"},
		{"no date", del(full, "date"), "date: required"},
		{"no evidence", del(full, "evidence"), "evidence: required"},
		{"fact a list", set(full, "facts.speakers", arr{"alice"}), ""},
		{"fact a list of lists", set(full, "facts.speakers", arr{arr{"alice"}}), "facts.speakers.0: invalid_type"},
		{"date a number", set(full, "date", num("20261015")), "date: invalid_type"},
		{"evidence not http", set(full, "evidence", "ftp://example.org/slides"), "evidence: pattern"},
		{"evidence in words", set(full, "evidence", "ask carol"), "evidence: format"},
		{"who with a space", set(full, "who", "slack:Alice Example"), "who: pattern"},
	})
}

func TestFundingDocuments(t *testing.T) {
	full := obj{"payments": arr{
		obj{"id": "opencollective:d3f98b95", "org": "acme", "amount": "100.00", "currency": "USD",
			"date": "2026-10-05", "source": "opencollective"},
		obj{"id": "opencollective:77aa01", "payer": "someone-else", "amount": num("25"), "currency": "EUR",
			"date": "2026-10-20", "source": "opencollective",
			"url": "https://opencollective.com/example/transactions/77aa01", "note": "No organisation yet."},
	}}
	checkDocs(t, "funding", []docCase{
		{"full", full, ""},
		{"empty", obj{"payments": arr{}}, ""},
		{"org and payer", set(full, "payments.0.payer", "acme-digital"), ""},
		{"unknown key", set(full, "month", "2026-10"), "month: additional_property_not_allowed"},
		{"unknown payment key", set(full, "payments.0.fee", "5.00"), "payments.0.fee: additional_property_not_allowed"},
		{"no payments", obj{}, "payments: required"},
		{"no id", del(full, "payments.0.id"), "payments.0.id: required"},
		{"no amount", del(full, "payments.0.amount"), "payments.0.amount: required"},
		{"no currency", del(full, "payments.0.currency"), "payments.0.currency: required"},
		{"no date", del(full, "payments.0.date"), "payments.0.date: required"},
		{"no source", del(full, "payments.0.source"), "payments.0.source: required"},
		{"neither org nor payer", del(full, "payments.0.org"), "payments.0: number_any_of"},
		{"amount a boolean", set(full, "payments.0.amount", true), "payments.0.amount: invalid_type"},
		{"amount with currency", set(full, "payments.0.amount", "100 USD"), "payments.0.amount: pattern"},
		{"amount zero", set(full, "payments.0.amount", "0"), "payments.0.amount: number_not"},
		{"amount negative", set(full, "payments.1.amount", num("-25")), "payments.1.amount: number_gt"},
		{"amount just below a trillion", set(full, "payments.0.amount", "999999999999.9999"), ""},
		{"amount of a trillion", set(full, "payments.0.amount", "1000000000000"), "payments.0.amount: pattern"},
		{"amount of 10^14", set(full, "payments.0.amount", "100000000000000.00"), "payments.0.amount: pattern"},
		{"amount of 10^14 as a number", set(full, "payments.1.amount", num("1e14")), "payments.1.amount: number_lt"},
		{"amount with five decimals", set(full, "payments.0.amount", "100.12345"), "payments.0.amount: pattern"},
		{"currency in lowercase", set(full, "payments.0.currency", "usd"), "payments.0.currency: pattern"},
		{"source in words", set(full, "payments.0.source", "Open Collective"), "payments.0.source: pattern"},
		{"org not an id", set(full, "payments.0.org", "Acme"), "payments.0.org: pattern"},
	})
}

func TestApplicationDocuments(t *testing.T) {
	full := obj{
		"submitted": "2026-10-02",
		"contact":   "github:alice-gh",
		"team":      arr{"alice", "github:bob-gh"},
		"statement": "Why we apply.",
		"decision": obj{"outcome": "approved", "date": "2026-10-20", "by": arr{"alice", "bob"},
			"note": "Welcome.", "override": "Two months of payments, the third was delayed by the bank."},
	}
	minimal := obj{"submitted": "2026-10-02", "contact": "alice"}
	checkDocs(t, "application", []docCase{
		{"full", full, ""},
		{"minimal", minimal, ""},
		{"rejected", set(full, "decision.outcome", "rejected"), ""},
		{"unknown key", set(full, "org", "acme"), "org: additional_property_not_allowed"},
		{"unknown decision key", set(full, "decision.reason", "x"), "decision.reason: additional_property_not_allowed"},
		{"no submitted", del(full, "submitted"), "submitted: required"},
		{"no contact", del(full, "contact"), "contact: required"},
		{"decision without outcome", del(full, "decision.outcome"), "decision.outcome: required"},
		{"decision without date", del(full, "decision.date"), "decision.date: required"},
		{"decision without deciders", del(full, "decision.by"), "decision.by: required"},
		{"team a string", set(full, "team", "alice"), "team: invalid_type"},
		{"statement a list", set(full, "statement", arr{"a"}), "statement: invalid_type"},
		{"contact a name", set(full, "contact", "Alice"), "contact: pattern"},
		{"submitted a timestamp", set(full, "submitted", "2026-10-02T10:00:00Z"), "submitted: pattern"},
		{"decider not an id", set(full, "decision.by.0", "github:alice-gh"), "decision.by.0: pattern"},
		{"unknown outcome", set(full, "decision.outcome", "accepted"), "decision.outcome: enum"},
		{"no deciders", set(full, "decision.by", arr{}), "decision.by: array_min_items"},
		{"team member twice", set(full, "team", arr{"alice", "alice"}), "team: unique"},
	})
}

func TestConductDocuments(t *testing.T) {
	full := obj{"date": "2026-03-01", "org": "acme", "person": "mallory", "outcome": "sanction", "note": "Harassment in chat."}
	checkDocs(t, "conduct", []docCase{
		{"full", full, ""},
		{"org only", del(full, "person"), ""},
		{"person only", del(full, "org"), ""},
		{"dismissed", set(full, "outcome", "dismissed"), ""},
		{"unknown key", set(full, "details", "x"), "details: additional_property_not_allowed"},
		{"no date", del(full, "date"), "date: required"},
		{"no outcome", del(full, "outcome"), "outcome: required"},
		{"neither org nor person", del(del(full, "org"), "person"), "(root): number_any_of"},
		{"outcome a boolean", set(full, "outcome", true), "outcome: invalid_type"},
		{"unknown outcome", set(full, "outcome", "ban"), "outcome: enum"},
		{"person a name", set(full, "person", "Mallory Example"), "person: pattern"},
		{"date in another format", set(full, "date", "2026/03/01"), "date: pattern"},
	})
}

func TestRoadmapDocuments(t *testing.T) {
	full := obj{
		"submitted": "2026-04-01",
		"title":     "Import contacts from CSV",
		"url":       "https://github.com/acme/widget/issues/7",
		"funding":   obj{"amount": "2000", "currency": "EUR"},
		"status":    "accepted",
	}
	minimal := obj{"submitted": "2026-04-01", "title": "Import contacts from CSV"}
	checkDocs(t, "roadmap", []docCase{
		{"full", full, ""},
		{"minimal", minimal, ""},
		{"unknown key", set(full, "priority", "high"), "priority: additional_property_not_allowed"},
		{"unknown funding key", set(full, "funding.per", "month"), "funding.per: additional_property_not_allowed"},
		{"no submitted", del(full, "submitted"), "submitted: required"},
		{"no title", del(full, "title"), "title: required"},
		{"funding without currency", del(full, "funding.currency"), "funding.currency: required"},
		{"funding without amount", del(full, "funding.amount"), "funding.amount: required"},
		{"funding a number", set(full, "funding", num("2000")), "funding: invalid_type"},
		{"amount in words", set(full, "funding.amount", "lots"), "funding.amount: pattern"},
		{"unknown status", set(full, "status", "open"), "status: enum"},
		{"url in words", set(full, "url", "the issue"), "url: format"},
		{"date without day", set(full, "submitted", "2026-04"), "submitted: pattern"},
	})
}

func TestSourceDocuments(t *testing.T) {
	full := obj{"repositories": obj{
		"acme/widget": obj{
			"pull_requests": "2026-10-31T23:59:59Z",
			"issues":        "2026-10-31T22:00:00.123+01:00",
			"releases":      "2026-09-01T00:00:00Z",
		},
		"acme/widget.js": obj{"issues": "2026-10-01T00:00:00Z"},
	}}
	checkDocs(t, "source", []docCase{
		{"full", full, ""},
		{"empty", obj{}, ""},
		{"no repositories yet", obj{"repositories": obj{}}, ""},
		{"unknown key", set(full, "repos", obj{}), "repos: additional_property_not_allowed"},
		{"unknown stream", set(full, "repositories.acme/widget.commits", "2026-10-31T23:59:59Z"), "repositories.acme/widget.commits: additional_property_not_allowed"},
		{"repository without owner", set(full, "repositories.widget", obj{}), "repositories.widget: invalid_property_name"},
		{"repositories a list", set(full, "repositories", arr{"acme/widget"}), "repositories: invalid_type"},
		{"timestamp a number", set(full, "repositories.acme/widget.issues", num("1761955199")), "repositories.acme/widget.issues: invalid_type"},
		{"date, not timestamp", set(full, "repositories.acme/widget.issues", "2026-10-31"), "repositories.acme/widget.issues: pattern"},
		{"timestamp without zone", set(full, "repositories.acme/widget.issues", "2026-10-31T23:59:59"), "repositories.acme/widget.issues: pattern"},
	})
}
