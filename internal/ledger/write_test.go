package ledger

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestScalar(t *testing.T) {
	for in, want := range map[string]string{
		"acme":                    "acme",
		"opencollective:d3f98b95": "opencollective:d3f98b95",
		"https://x.example/a?b=c": `"https://x.example/a?b=c"`,
		"Cheque, banked":          `"Cheque, banked"`,
		"yearly sponsorship":      "yearly sponsorship",
		"NO":                      `"NO"`,
		"yes":                     `"yes"`,
		"true":                    `"true"`,
		"null":                    `"null"`,
		"~":                       `"~"`,
		"12345":                   `"12345"`,
		"1e3":                     `"1e3"`,
		"0x1F":                    `"0x1F"`,
		"2026-10-03":              `"2026-10-03"`,
		"100.00":                  `"100.00"`,
		"a: b":                    `"a: b"`,
		"key:":                    `"key:"`,
		"-dash":                   `"-dash"`,
		"@handle":                 `"@handle"`,
		" padded":                 `" padded"`,
		"":                        `""`,
		"line\nbreak":             `"line\nbreak"`,
		"# not a comment":         `"# not a comment"`,
		"quote\"d":                `"quote\"d"`,
		"José":                    `"José"`,
		"Fix the widget":          "Fix the widget",
		"yes/no":                  "yes/no",
		"On call":                 "On call",
		"null pointer":            "null pointer",
		"a :b":                    "a :b",
		"R. Example":              "R. Example",
		"git:acme/widget@0a1b":    "git:acme/widget@0a1b",
		"mail@home":               "mail@home",
		"github:dev12":            "github:dev12",
		"pull_request":            "pull_request",
		"a:":                      `"a:"`,
	} {
		got := Scalar(in)
		if got != want {
			t.Errorf("Scalar(%q) = %s, want %s", in, got, want)
		}
		// Whatever it writes reads back as the string, in a block and in a flow.
		for _, doc := range []string{"k: " + got + "\n", "{k: " + got + "}\n"} {
			var v map[string]any
			if err := yaml.Unmarshal([]byte(doc), &v); err != nil || v["k"] != in {
				t.Errorf("%q reads back as %#v (%v)", doc, v["k"], err)
			}
		}
	}
}
