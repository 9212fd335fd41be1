package schema

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestMessages(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	credit := func(k string, v any) map[string]any {
		c := map[string]any{"id": "github:a/b#1", "who": "github:alice", "kind": "review", "date": "2026-10-03"}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return map[string]any{"credits": []any{c}}
	}
	cases := []struct {
		name  string
		doc   any
		path  []string
		key   string
		words string
	}{
		{"unknown key", credit("titel", "x"), []string{"credits", "0"}, "titel", `unknown key "titel"; did you mean "title"?`},
		{"missing key", credit("who", nil), []string{"credits", "0"}, "who", `missing required key "who"`},
		{"bad date", credit("date", "2026-1-3"), []string{"credits", "0", "date"}, "", `"2026-1-3" is not a date in the form YYYY-MM-DD`},
		{"wrong type", credit("date", json.Number("20261003")), []string{"credits", "0", "date"}, "", "expected a string, got a whole number"},
		{"bad who", credit("who", "Alice Example"), []string{"credits", "0", "who"}, "", `"Alice Example" is not a person id or an identity`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := s.Validate("credits", c.doc)
			if len(errs) != 1 {
				t.Fatalf("got %d errors: %+v", len(errs), errs)
			}
			e := errs[0]
			if !slices.Equal(e.Path, c.path) || e.Key != c.key || !strings.Contains(e.Message, c.words) {
				t.Errorf("got %+v\nwant path %v key %q message containing %q", e, c.path, c.key, c.words)
			}
		})
	}
}

func TestValidDocument(t *testing.T) {
	s, _ := Default()
	doc := map[string]any{"name": "Acme", "country": "GB", "offerings": []any{"saas"}}
	if errs := s.Validate("organization", doc); len(errs) != 0 {
		t.Errorf("unexpected errors: %+v", errs)
	}
	if errs := s.Validate("no-such-schema", doc); len(errs) != 1 {
		t.Errorf("an unknown schema name must be an error")
	}
}
