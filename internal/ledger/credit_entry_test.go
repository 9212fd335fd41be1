package ledger

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestListFacts: a credit's list facts (paths, labels) are written as flow
// lists, quoted where YAML needs it, and read back as lists; an empty list
// stays a list, apart from a fact that is missing.
func TestListFacts(t *testing.T) {
	facts := []Fact{
		{Key: "additions", Value: "3"},
		{Key: "labels", List: []string{}},
		{Key: "paths", List: []string{"docs/a guide.md", "weird, name [1].md", "yes"}},
	}
	shard, err := SpliceShard(nil, "credits", "S", []ShardEntry{CreditEntry(Credit{ID: "github:a/b#1", Who: "github:dev", Kind: "pull_request", Date: MustDate("2026-10-01"), Facts: facts})})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "credits", "2026", "10", "github.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, shard, 0o644); err != nil {
		t.Fatal(err)
	}
	l, findings, err := Load(dir, Options{})
	if err != nil || len(findings) > 0 {
		t.Fatalf("%v %v\n%s", err, findings, shard)
	}
	if got := l.Credits[0].Facts; !reflect.DeepEqual(got, facts) {
		t.Errorf("read back %#v\nfrom\n%s", got, shard)
	}
	if f, ok := l.Credits[0].Fact("labels"); !ok || f.List == nil {
		t.Errorf("an empty list fact: %#v, %v", f, ok)
	}
	if _, ok := l.Credits[0].Fact("files"); ok {
		t.Error("a missing fact was found")
	}
}
