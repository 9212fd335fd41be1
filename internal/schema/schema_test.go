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
	payment := func(amount any) map[string]any {
		return map[string]any{"payments": []any{map[string]any{"id": "x:1", "org": "acme", "amount": amount, "currency": "USD", "date": "2026-10-05", "source": "x"}}}
	}
	weight := func(w string) map[string]any {
		kinds := map[string]any{"review": map[string]any{"weight": json.Number(w)}}
		return map[string]any{"name": "P", "leadership": []any{"alice"}, "scoring": []any{map[string]any{"from": "2026-01-01", "kinds": kinds}}}
	}
	amount := []string{"payments", "0", "amount"}
	weightAt := []string{"scoring", "0", "kinds", "review", "weight"}
	cases := []struct {
		name, schema string
		doc          any
		path         []string
		key          string
		words        string
	}{
		{"unknown key", "credits", credit("titel", "x"), []string{"credits", "0"}, "titel", `unknown key "titel"; did you mean "title"?`},
		{"missing key", "credits", credit("who", nil), []string{"credits", "0"}, "who", `missing required key "who"`},
		{"bad date", "credits", credit("date", "2026-1-3"), []string{"credits", "0", "date"}, "", `"2026-1-3" is not a date in the form YYYY-MM-DD`},
		{"wrong type", "credits", credit("date", json.Number("20261003")), []string{"credits", "0", "date"}, "", "expected a string, got a whole number"},
		{"bad who", "credits", credit("who", "Alice Example"), []string{"credits", "0", "who"}, "", `"Alice Example" is not a person id or an identity`},
		{"amount of 10^14", "funding", payment("100000000000000.00"), amount, "",
			`"100000000000000.00" is not a positive decimal amount such as "100.00", with at most 12 digits before the point and 4 after`},
		{"plain amount of 10^14", "funding", payment(json.Number("1e14")), amount, "", "1e14 is not a positive decimal amount"},
		{"weight of 2^32", "program", weight("4294967296"), weightAt, "", "4294967296 is more than 1000, the most allowed"},
		{"negative weight", "program", weight("-1"), weightAt, "", "-1 is less than 0, the least allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := s.Validate(c.schema, c.doc)
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
