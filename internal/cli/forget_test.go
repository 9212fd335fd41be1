package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
)

// forgotWho is the identity forget's output says the credits now have.
var forgotWho = regexp.MustCompile(`their credits are now (anonymous:[0-9a-f]{12}),`)

// forgetLedger copies testdata/forget/ledger, a small ledger where erin
// has credits under her id and two identities, before and after changing
// organisation, a claim, and an application she is the contact of.
func forgetLedger(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dir, os.DirFS("testdata/forget/ledger")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func reports(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := t.TempDir()
	if _, errOut, code := run(t, "report", "--ledger", dir, "--out", out, "--as-of", "2026-09"); code != 0 {
		t.Fatalf("tally report: exit %d\n%s", code, errOut)
	}
	return snapshot(t, out)
}

// TestAnonymousWhoIsUnlinkable: the identity is random, so forgetting the
// same person in two copies of a ledger gives two that nothing links.
func TestAnonymousWhoIsUnlinkable(t *testing.T) {
	var whos []string
	for range 2 {
		out, errOut, code := run(t, "forget", "erin", "--ledger", forgetLedger(t))
		m := forgotWho.FindStringSubmatch(out)
		if code != 0 || m == nil {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		whos = append(whos, m[1])
	}
	if whos[0] == whos[1] {
		t.Errorf("both erasures gave %s", whos[0])
	}
}

// TestForgetKeepsEveryReportButThePersonsRows compares every report (each
// period's Markdown and JSON, the partners pages, the site) before and
// after forgetting erin: the only lines that differ are hers, which now
// say "Anonymous contributor" and never her id, name or identities.
func TestForgetKeepsEveryReportButThePersonsRows(t *testing.T) {
	dir := forgetLedger(t)
	before := reports(t, dir)
	out, errOut, code := run(t, "forget", "erin", "--ledger", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Fatalf("the ledger is not valid after forget:\n%s", errOut)
	}
	after := reports(t, dir)
	if len(before) != len(after) {
		t.Fatalf("%d report files before, %d after", len(before), len(after))
	}
	for name, was := range before {
		now, ok := after[name]
		switch {
		case !ok:
			t.Errorf("%s is gone", name)
		case erinRe.MatchString(now) || strings.Contains(now, "anonymous:"):
			t.Errorf("%s still names erin or shows the anonymous id:\n%s", name, now)
		case strings.HasSuffix(name, ".json"):
			var w, n any
			if err := json.Unmarshal([]byte(was), &w); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(now), &n); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(anonymise(w, "erin"), n) {
				t.Errorf("%s: more than erin's rows changed\n--- before\n%s\n--- after\n%s", name, was, now)
			}
		default:
			wasLines, nowLines := strings.Split(was, "\n"), strings.Split(now, "\n")
			if len(wasLines) != len(nowLines) {
				t.Errorf("%s: %d lines before, %d after", name, len(wasLines), len(nowLines))
				continue
			}
			for i := range wasLines {
				if wasLines[i] != nowLines[i] && (!strings.Contains(wasLines[i], "Erin Example") ||
					!strings.Contains(nowLines[i], report.AnonymousName) && !strings.Contains(nowLines[i], "other")) {
					t.Errorf("%s:%d: a line that is not erin's changed:\n< %s\n> %s", name, i+1, wasLines[i], nowLines[i])
				}
			}
		}
	}
	for _, name := range []string{"partners.json", "partners.md"} {
		if before[name] != after[name] {
			t.Errorf("%s changed", name)
		}
	}
	if before["monthly/2026-06.md"] == after["monthly/2026-06.md"] {
		t.Error("erin's rows did not change: the test compares nothing")
	}
}

var erinRe = regexp.MustCompile(`(?i)\berin\b`)

// anonymise rewrites erin's rows of a report as an anonymous contributor's.
func anonymise(v any, id string) any {
	switch v := v.(type) {
	case map[string]any:
		if v["id"] == id {
			v["id"] = nil
			if _, ok := v["name"]; ok {
				v["name"] = report.AnonymousName
			}
		}
		for k, x := range v {
			v[k] = anonymise(x, id)
		}
	case []any:
		for i, x := range v {
			v[i] = anonymise(x, id)
		}
	}
	return v
}

// TestForgetEditsInPlace: the edited files keep their comments, order and
// style; erin's file goes; a second run finds nobody and writes nothing.
func TestForgetEditsInPlace(t *testing.T) {
	dir := forgetLedger(t)
	if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes", "2026-07.md"), []byte("A quiet July: Erin Example gave a talk.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "forget", "erin", "--ledger", dir)
	m := forgotWho.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	erinWho := m[1]
	prefix := filepath.ToSlash(dir) + "/"
	for _, want := range []string{
		"forgot erin: their credits are now " + erinWho + ", \"Anonymous contributor\" in reports\n",
		prefix + "applications/acme/2026-06-01.yaml: contact anonymised; taken out of the team\n",
		prefix + "claims/talk/2026/erin-at-conf.yaml: the claim anonymised (for acme)\n",
		prefix + "credits/2026/06/github.yaml: 4 credits anonymised (3 for acme, 1 for globex)\n",
		prefix + "people/erin.yaml: removed, with 2 identities\n",
		"Every organisation's figures are as they were.",
		prefix + "notes/2026-07.md:1: Erin Example\n",
		prefix + "organizations/globex.yaml:3: Erin Example\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	files := snapshot(t, dir)
	if _, ok := files["people/erin.yaml"]; ok {
		t.Error("people/erin.yaml is still there")
	}
	want := map[string]string{
		"credits/2026/06/github.yaml": "# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/credits.schema.json\n" +
			"credits:\n" +
			"  - id: github:forget/app#1\n    who: " + erinWho + "\n    org: acme\n    kind: pull_request\n    date: 2026-06-02\n    title: Start the app\n" +
			"  # the second one, by hand\n" +
			"  - id: github:forget/app#2\n    who: " + erinWho + "\n    org: acme\n    kind: pull_request\n    date: 2026-06-03\n" +
			"  - {id: github:forget/app#3, who: " + erinWho + ", org: acme, kind: pull_request, date: 2026-06-04}  # capped\n" +
			"  - {id: github:forget/app#4, who: " + erinWho + ", org: globex, kind: review, date: 2026-06-05}\n",
		"credits/2026/07/discourse.yaml":     "credits:\n  - id: discourse:forget/41\n    who: " + erinWho + "   # her forum account\n    org: acme\n    kind: issue\n    date: 2026-07-20\n",
		"applications/acme/2026-06-01.yaml":  "submitted: 2026-06-01\ncontact: " + erinWho + "\nteam:\n  - dan\nstatement: We build on the project every day.\n",
		"claims/talk/2026/erin-at-conf.yaml": "# a talk, claimed by hand\nwho: " + erinWho + "\norg: acme\ndate: 2026-07-14\n",
	}
	for name, text := range want {
		if !strings.HasPrefix(files[name], text) {
			t.Errorf("%s:\n%s\nwant it to start with:\n%s", name, files[name], text)
		}
	}

	_, errOut, code = run(t, "forget", "erin", "--ledger", dir)
	if code != exitUsage || !strings.Contains(errOut, `no person "erin" in the ledger (expected a file people/erin.yaml); if they were forgotten already, there is nothing to do`) {
		t.Errorf("second run: exit %d\n%s", code, errOut)
	}
	if !reflect.DeepEqual(snapshot(t, dir), files) {
		t.Error("the second run changed the ledger")
	}
}

// TestForgetRefuses: what forget may not do, or cannot do safely, is an
// error that says what to do first, and nothing is written.
func TestForgetRefuses(t *testing.T) {
	dir := forgetLedger(t)
	bot := "name: Helper Bot\nidentities: {github: helper-bot}\nbot: true\n"
	if err := os.WriteFile(filepath.Join(dir, "people", "helper.yaml"), []byte(bot), 0o644); err != nil {
		t.Fatal(err)
	}
	// dan's file is a link: forget would replace a link with a file.
	people := filepath.Join(dir, "people")
	if err := os.Rename(filepath.Join(people, "dan.yaml"), filepath.Join(people, ".dan.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".dan.yaml", filepath.Join(people, "dan.yaml")); err != nil {
		t.Fatal(err)
	}
	files := snapshot(t, dir)
	for _, c := range []struct {
		id, want string
		code     int
	}{
		{"lead", "lead is in program.yaml's leadership: who decides for the program is a rule", exitUsage},
		{"clara", "clara is in program.yaml's team_leads.community", exitUsage},
		{"erinn", `no person "erinn" in the ledger (expected a file people/erinn.yaml); did you mean "erin"?`, exitUsage},
		{"helper", "helper is a bot", exitUsage},
		{"dan", "people/dan.yaml is not a regular file", exitUsage},
	} {
		out, errOut, code := run(t, "forget", c.id, "--ledger", dir)
		if code != c.code || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("forget %s: exit %d\n%s%s\nwant exit %d and %q", c.id, code, out, errOut, c.code, c.want)
		}
	}
	// A ledger with findings is fixed first: a broken affiliation would
	// send credits to the wrong organisation.
	broken := filepath.Join(dir, "people", "erin.yaml")
	text, _ := os.ReadFile(broken)
	if err := os.WriteFile(broken, bytes.Replace(text, []byte("until: 2026-08-01"), []byte("until: 2024-08-01"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	files["people/erin.yaml"] = string(bytes.Replace(text, []byte("until: 2026-08-01"), []byte("until: 2024-08-01"), 1))
	out, errOut, code := run(t, "forget", "erin", "--ledger", dir)
	if code != exitFindings || !strings.Contains(out, "[affiliation]") || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("a ledger with findings: exit %d\n%s%s", code, out, errOut)
	}
	if !reflect.DeepEqual(snapshot(t, dir), files) {
		t.Error("a refused erasure changed the ledger")
	}
}

// TestForgetRewritesOldConductRecords: a record in the old form that names
// the person is rewritten as the privacy rule asks, one record for each
// organisation it counts against, and eligibility stays as it was; a
// dismissed report that names them goes.
func TestForgetRewritesOldConductRecords(t *testing.T) {
	dir := forgetLedger(t)
	conduct := filepath.Join(dir, "conduct", "2026")
	legacy := map[string]string{
		"chat.yaml":      "date: 2026-07-20\nperson: erin   # the old form\norg: globex\noutcome: sanction\nnote: A week away from chat.\n",
		"meetup.yaml":    "# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/conduct.schema.json\ndate: 2026-09-12\nperson: erin\noutcome: warning\n",
		"dismissed.yaml": "date: 2026-09-20\nperson: erin\noutcome: dismissed\n",
	}
	for name, text := range legacy {
		if err := os.WriteFile(filepath.Join(conduct, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eligibility := func() string {
		l, _, err := ledger.Load(dir, ledger.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b := score.New(l)
		e := partner.NewEvaluator(b)
		var list []*partner.Status
		var evidence []*partner.Evidence
		for _, o := range l.Organizations {
			list = append(list, e.Evaluate(o, ledger.MonthOf(2026, 9)))
			evidence = append(evidence, e.Evidence(o.ID, ledger.MonthOf(2026, 9)))
		}
		return string(report.EligibilityJSON(list, evidence))
	}
	was := eligibility()
	if !strings.Contains(was, `"date": "2026-07-20"`) {
		t.Fatalf("the old record does not count:\n%s", was)
	}
	out, errOut, code := run(t, "forget", "erin", "--ledger", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if now := eligibility(); now != was {
		t.Errorf("eligibility changed:\n--- before\n%s\n--- after\n%s", was, now)
	}
	if _, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Errorf("the ledger is not valid after forget:\n%s", errOut)
	}
	files := snapshot(t, filepath.Join(dir, "conduct"))
	want := map[string]string{
		"2026/chat.yaml": "date: 2026-07-20\norg: globex\nmember: true\noutcome: sanction\nnote: A week away from chat.\n",
		"2026/chat-acme.yaml": "# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/conduct.schema.json\n" +
			"date: 2026-07-20\norg: acme\nmember: true\noutcome: sanction\nnote: A week away from chat.\n",
		"2026/meetup.yaml": "# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/conduct.schema.json\n" +
			"date: 2026-09-12\norg: globex\nmember: true\noutcome: warning\n",
		"2026/forum-thread.yaml": snapshot(t, "testdata/forget/ledger/conduct")["2026/forum-thread.yaml"],
	}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("conduct records:\n%q\nwant:\n%q", files, want)
	}
	if !strings.Contains(out, "conduct/2026/dismissed.yaml: removed: a dismissed report that named them") {
		t.Errorf("output:\n%s", out)
	}
}
