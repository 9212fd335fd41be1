package ledger_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/synth"
)

// The bundled ledger is the product's showcase: it must load clean, and
// hold what its story needs.
func TestBundledLedger(t *testing.T) {
	l, findings, err := ledger.Load("../../ledger", ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings = append(findings, check.Run(l)...)
	for _, f := range findings {
		t.Errorf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Col, f.Message, f.Rule)
	}
	if l.Program == nil || len(l.Program.Scoring) < 2 {
		t.Error("the example needs a change of scoring weights")
	}
	visibility := map[string]int{}
	bots := 0
	for _, p := range l.People {
		visibility[p.Visibility]++
		if p.Bot {
			bots++
		}
	}
	if bots == 0 || visibility["hidden"] == 0 || visibility["anonymous"] == 0 {
		t.Errorf("the example needs a bot, a hidden and an anonymous person: %v, %d bots", visibility, bots)
	}
	claims := 0
	for _, c := range l.Credits {
		if c.Evidence != "" {
			claims++
		}
	}
	if claims == 0 || len(l.Payments) == 0 || len(l.Applications) == 0 || len(l.Conduct) == 0 || len(l.Roadmap) == 0 {
		t.Errorf("the example lacks records: %d claims, %d payments, %d applications, %d conduct, %d roadmap",
			claims, len(l.Payments), len(l.Applications), len(l.Conduct), len(l.Roadmap))
	}
}

// Loading is deterministic whatever the scheduling of the workers.
func TestLoadIsDeterministic(t *testing.T) {
	a, _, err := ledger.Load("../../ledger", ledger.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := ledger.Load("../../ledger", ledger.Options{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("loading with 1 and 8 workers gives different ledgers")
	}
}

// Synthetic ledgers are valid, so benchmarks measure the clean path.
func TestSyntheticLedgerIsValid(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Write(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings = append(findings, check.Run(l)...)
	for _, f := range findings {
		t.Errorf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Col, f.Message, f.Rule)
	}
	if len(l.People) != synth.Small.People || len(l.Credits) != synth.Small.Credits {
		t.Errorf("got %d people and %d credits, want %d and %d", len(l.People), len(l.Credits), synth.Small.People, synth.Small.Credits)
	}
}

// A ledger read from a file system (such as a git revision), trusted or
// not, is the same ledger.
func TestLoadFSAndTrusted(t *testing.T) {
	want, _, err := ledger.Load("../../ledger", ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, load := range map[string]func() (*ledger.Ledger, []ledger.Finding, error){
		"LoadFS": func() (*ledger.Ledger, []ledger.Finding, error) {
			return ledger.LoadFS(os.DirFS("../../ledger"), ledger.Options{})
		},
		"Trusted": func() (*ledger.Ledger, []ledger.Finding, error) {
			return ledger.Load("../../ledger", ledger.Options{Trusted: true})
		},
	} {
		got, findings, err := load()
		if err != nil || len(findings) > 0 {
			t.Fatalf("%s: %v %v", name, err, findings)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s gives a different ledger", name)
		}
	}
}

func TestLoadInclude(t *testing.T) {
	l, _, err := ledger.Load("../../ledger", ledger.Options{Include: func(p string) bool { return strings.HasPrefix(p, "people/") }})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.People) == 0 || len(l.Credits) != 0 || l.Program != nil {
		t.Errorf("loaded %d people, %d credits, program %v; want people only", len(l.People), len(l.Credits), l.Program != nil)
	}
}

// TestLoadToAdd: a command that adds records refuses a ledger in which a
// file it would add to cannot be read, since what that file holds would
// be added again.
func TestLoadToAdd(t *testing.T) {
	dir := t.TempDir()
	write := func(path, text string) {
		t.Helper()
		full := dir + "/" + path
		if err := os.MkdirAll(full[:strings.LastIndex(full, "/")], 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("program.yaml", "name: Test\n")
	write("funding/2026/10/opencollective.yaml", "payments:\n  - {id: x, org: acme\n") // unclosed
	write("people/alice.yaml", "name: [\n")                                            // broken, not guarded
	funding := func(p string) bool { return strings.HasPrefix(p, "funding/") }
	all := func(string) bool { return true }
	_, err := ledger.LoadToAdd(dir, all, funding, "its payments")
	if err == nil || !strings.Contains(err.Error(), "funding/2026/10/opencollective.yaml cannot be read, so its payments could be written twice") {
		t.Fatalf("err = %v", err)
	}
	write("funding/2026/10/opencollective.yaml", "payments: []\n")
	if l, err := ledger.LoadToAdd(dir, all, funding, "its payments"); err != nil || l.Program == nil {
		t.Fatalf("a broken people file stopped the load: %v", err)
	}
	if _, err := ledger.LoadToAdd(dir+"/program.yaml", all, funding, "its payments"); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("a file as the ledger: %v", err)
	}
}
