package ledger

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CreditEntry is a credit as a shard entry, its fields in the order every
// writer of credit shards uses.
func CreditEntry(c Credit) ShardEntry {
	kv := [][2]string{
		{"id", token(c.ID)},
		{"who", Scalar(c.Who)},
		{"kind", Scalar(c.Kind)},
		{"date", c.Date.String()},
	}
	if c.URL != "" {
		kv = append(kv, [2]string{"url", token(c.URL)})
	}
	if c.Title != "" {
		kv = append(kv, [2]string{"title", Scalar(c.Title)})
	}
	if c.Project != "" {
		kv = append(kv, [2]string{"project", Scalar(c.Project)})
	}
	if c.Org != "" {
		kv = append(kv, [2]string{"org", Scalar(c.Org)})
	}
	if len(c.Facts) > 0 {
		var f strings.Builder
		f.WriteString("{")
		for i, fact := range c.Facts {
			if i > 0 {
				f.WriteString(", ")
			}
			f.WriteString(fact.Key + ": ")
			if fact.List == nil {
				f.WriteString(TimeScalar(fact.Value))
				continue
			}
			f.WriteString("[")
			for j, item := range fact.List {
				if j > 0 {
					f.WriteString(", ")
				}
				f.WriteString(Scalar(item))
			}
			f.WriteString("]")
		}
		f.WriteString("}")
		kv = append(kv, [2]string{"facts", f.String()})
	}
	return ShardEntry{Date: c.Date, ID: c.ID, Fields: kv}
}

var rfc3339Pattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)

// TimeScalar writes an RFC 3339 time unquoted, as the rest of the ledger
// does; anything else as Scalar does.
func TimeScalar(s string) string {
	if rfc3339Pattern.MatchString(s) {
		return s
	}
	return Scalar(s)
}

var tokenChars = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._~%/#?&=+:@-]*$`)

// token writes an id or a URL unquoted when YAML reads it back as the same
// string in a block or a flow mapping (github:acme/widget#12 and
// https://github.com/acme/widget/pull/12#pullrequestreview-3 are), quoted
// otherwise (github:acme/widget#12/review/app[bot]).
func token(s string) string {
	if tokenChars.MatchString(s) && wordLike(s) && !strings.HasSuffix(s, ":") {
		return s // a string, and with no space no mapping either
	}
	if tokenChars.MatchString(s) {
		var doc yaml.Node
		if yaml.Unmarshal([]byte("{k: "+s+"}"), &doc) == nil && len(doc.Content) == 1 {
			m := doc.Content[0]
			if len(m.Content) == 2 && m.Content[1].Tag == "!!str" && m.Content[1].Value == s {
				return s
			}
		}
	}
	return Scalar(s)
}
