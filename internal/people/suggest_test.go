package people_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/people"
)

func writeLedger(t *testing.T, files map[string]string) *ledger.Ledger {
	t.Helper()
	dir := t.TempDir()
	for p, s := range files {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Fatalf("the test ledger: %s", f)
	}
	return l
}

func credit(id, who string, facts ...string) string {
	s := "  - {id: " + id + ", who: " + ledger.Scalar(who) + ", kind: review, date: 2026-03-02"
	if len(facts) > 0 {
		s += ", facts: {author: " + ledger.Scalar(facts[0]) + "}"
	}
	return s + "}\n"
}

func TestSuggest(t *testing.T) {
	var shard strings.Builder
	shard.WriteString("credits:\n")
	for i, who := range []string{"github:alice-gh", "github:alice-gh", "github:alice-gh", "github:al-2", "alice",
		"discourse:bobb", "discourse:BOBB", "discourse:bobb", "discourse:bobb", "forum:carol.dupre", "github:buildbot[bot]", "github:xy"} {
		shard.WriteString(credit("c:"+string(rune('a'+i)), who))
	}
	shard.WriteString(credit("g:1", "git:aaaaaaaaaaaa", "C. Dupré"))
	shard.WriteString(credit("g:2", "git:aaaaaaaaaaaa", "Carol DUPRE"))
	shard.WriteString(credit("g:3", "git:bbbbbbbbbbbb", "Bob Builder"))
	shard.WriteString(credit("g:4", "git:bbbbbbbbbbbb", "Bob Builder"))
	shard.WriteString(credit("g:5", "git:cccccccccccc", "bob builder"))
	shard.WriteString(credit("g:6", "git:dddddddddddd", "Build Bot"))
	shard.WriteString(credit("d:1", "github:dscully"))
	l := writeLedger(t, map[string]string{
		"people/alice-example.yaml": "name: Alice Example\nidentities: {github: alice-gh}\n",
		"people/alice.yaml":         "name: alice  EXAMPLE (she/her)\nidentities: {discourse: alice, github: al-2}\n",
		"people/bob.yaml":           "name: Bob Builder\nidentities: {github: bobb}\n",
		"people/carol.yaml":         "name: Carol Dupré\nidentities: {slack: U1}\n",
		"people/build-bot.yaml":     "name: Build Bot\nidentities: {github: buildbot}\nbot: true\n",
		"people/dana-scully.yaml":   "name: Dana Scully\nidentities: {github: dscully}\n",
		"people/ds.yaml":            "name: D. S.\nidentities: {forum: DScully}\n",
		"credits/2026/03/x.yaml":    shard.String(),
	})
	got, err := json.MarshalIndent(people.Suggest(l), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "kind": "handle",
    "subject": "discourse:bobb",
    "person": "bob",
    "file": "people/bob.yaml",
    "credits": 4,
    "reason": "has the github handle of",
    "add": [
      {
        "platform": "discourse",
        "handle": "bobb"
      }
    ]
  },
  {
    "kind": "same-name",
    "subject": "alice",
    "person": "alice-example",
    "file": "people/alice-example.yaml",
    "credits": 2,
    "reason": "is named \"alice  EXAMPLE (she/her)\" like",
    "add": [
      {
        "platform": "discourse",
        "handle": "alice"
      }
    ],
    "conflicts": [
      {
        "platform": "github",
        "handle": "al-2",
        "has": "alice-gh"
      }
    ],
    "rewrite": [
      {
        "file": "credits/2026/03/x.yaml",
        "lines": [
          5
        ],
        "who": "github:al-2",
        "to": "alice-example"
      },
      {
        "file": "credits/2026/03/x.yaml",
        "lines": [
          6
        ],
        "who": "alice",
        "to": "alice-example"
      }
    ],
    "delete": "people/alice.yaml"
  },
  {
    "kind": "name",
    "subject": "git:aaaaaaaaaaaa",
    "person": "carol",
    "file": "people/carol.yaml",
    "credits": 2,
    "reason": "is signed \"Carol DUPRE\" like",
    "add": [
      {
        "platform": "git",
        "handle": "aaaaaaaaaaaa"
      }
    ]
  },
  {
    "kind": "name",
    "subject": "git:bbbbbbbbbbbb",
    "person": "bob",
    "file": "people/bob.yaml",
    "credits": 2,
    "reason": "is signed \"Bob Builder\" like",
    "add": [
      {
        "platform": "git",
        "handle": "bbbbbbbbbbbb"
      }
    ]
  },
  {
    "kind": "name",
    "subject": "forum:carol.dupre",
    "person": "carol",
    "file": "people/carol.yaml",
    "credits": 1,
    "reason": "has the name of",
    "add": [
      {
        "platform": "forum",
        "handle": "carol.dupre"
      }
    ]
  },
  {
    "kind": "name",
    "subject": "git:cccccccccccc",
    "person": "bob",
    "file": "people/bob.yaml",
    "credits": 1,
    "reason": "is signed \"bob builder\" like",
    "rewrite": [
      {
        "file": "credits/2026/03/x.yaml",
        "lines": [
          18
        ],
        "who": "git:cccccccccccc",
        "to": "bob"
      }
    ]
  },
  {
    "kind": "same-handle",
    "subject": "ds",
    "person": "dana-scully",
    "file": "people/dana-scully.yaml",
    "credits": 0,
    "reason": "has forum: DScully, the handle on github of",
    "add": [
      {
        "platform": "forum",
        "handle": "DScully"
      }
    ],
    "delete": "people/ds.yaml"
  }
]`
	if string(got) != want {
		t.Errorf("suggestions:\n%s\nwant:\n%s", got, want)
	}
}
