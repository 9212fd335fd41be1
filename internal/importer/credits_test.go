package importer

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

func readCreditsFile(t *testing.T, dir, path string) *CreditsImport {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readCreditsData(t, dir, path, data)
}

func readCreditsData(t *testing.T, dir, name string, data []byte) *CreditsImport {
	t.Helper()
	l, err := LoadCreditLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := ReadCredits(dir, l, "crm", name, data)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

func errorLines(imp *CreditsImport) []string {
	var out []string
	for _, e := range imp.Errors {
		out = append(out, fmt.Sprintf("%d: %s", e.Line, e.Message))
	}
	return out
}

// TestImportCredits reads a CRM export with a byte order mark, Windows
// line endings, quoted commas, quotes and line breaks, columns in another
// order and case, a timestamp that is the next day in Berlin, two
// identical rows without an id and a row listed twice with its id.
func TestImportCredits(t *testing.T) {
	dir := historyLedger(t)
	imp := readCreditsFile(t, dir, "testdata/credits/crm.csv")
	if len(imp.Errors) > 0 {
		t.Fatalf("errors: %q", errorLines(imp))
	}
	type row struct{ id, who, kind, date, title string }
	var got []row
	for _, c := range imp.Credits {
		got = append(got, row{c.ID, c.Who, c.Kind, c.Date.String(), c.Title})
	}
	want := []row{
		{"crm:7f4922af1180", "discourse:ruthe", "forum_solution", "2025-03-04", `Answered "how do I install?"`},
		{"crm:254e84c1450a", "github:LeePark", "review", "2025-03-05", "Reviewed: parser, part 2"},
		{"crm:20b22dd064fc", "slack:U024BE7LH", "chat_help", "2025-03-10", "Helped with\nthe Docker setup"},
		{"crm:20b22dd064fc-2", "slack:U024BE7LH", "chat_help", "2025-03-10", "Helped with\nthe Docker setup"},
		{"crm:5080968ab1ca", "ruth-example", "talk", "2025-04-02", "Widgets at FOSDEM"},
		{"crm:4411", "github:leepark", "translation", "2025-04-03", "German docs"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("credits:\n%q\nwant:\n%q", got, want)
	}
	if imp.Rows != 7 || imp.Twice != 1 || imp.Present != 0 {
		t.Errorf("rows %d, twice %d, present %d; want 7, 1, 0", imp.Rows, imp.Twice, imp.Present)
	}
	if _, err := WriteCredits(dir, "crm", imp.Credits); err != nil {
		t.Fatal(err)
	}
	validate(t, dir)
	l, _, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range l.Credits {
		if c.ID == "crm:5080968ab1ca" && c.Org != "acme" {
			t.Errorf("org %q, want acme as the row says", c.Org)
		}
	}

	before := snapshot(t, dir)
	again := readCreditsFile(t, dir, "testdata/credits/crm.csv")
	if len(again.Credits) != 0 || again.Present != 6 || len(again.Errors) != 0 {
		t.Errorf("again: %d new, %d present, errors %q", len(again.Credits), again.Present, errorLines(again))
	}
	if _, err := WriteCredits(dir, "crm", again.Credits); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, snapshot(t, dir)) {
		t.Error("importing again changed the ledger")
	}
}

// TestImportCreditsRejects: each bad row is reported at its line of the
// file with the words tally validate uses, and a good row among them does
// not make it in.
func TestImportCreditsRejects(t *testing.T) {
	dir := historyLedger(t)
	got := errorLines(readCreditsFile(t, dir, "testdata/credits/bad.csv"))
	want := []string{
		`2: kind "pull_reqest" is not defined in the scoring period from 2025-01-01; did you mean "pull_request"?`,
		`3: who: "Lee Park" is not a person id or an identity "platform:handle" (for example "github:alice")`,
		`4: date: "2025-02-30" is not a date YYYY-MM-DD (nor a time such as 2026-10-03T14:00:00Z)`,
		`5: kind "commit" is not defined in the scoring period from 2024-01-01; it is defined only from 2025-01-01`,
		`6: no organisation has the id "acmee" (expected a file organizations/acmee.yaml); did you mean "acme"?`,
		`7: date: "03/05/2025" is not a date YYYY-MM-DD (nor a time such as 2026-10-03T14:00:00Z)`,
		`8: platform "githb" is unknown; did you mean "github"? (a platform tally's sources do not use goes in program.yaml under platforms)`,
		`9: no person has the id "ruth-exampel" (expected a file people/ruth-exampel.yaml); did you mean "ruth-example"?`,
		`10: date: missing; every credit says who earned it (a person id or platform:handle), its kind and its date`,
		`11: who: missing; every credit says who earned it (a person id or platform:handle), its kind and its date`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	got = errorLines(readCreditsFile(t, dir, "testdata/credits/bad.jsonl"))
	want = []string{
		`1: unknown key "titel" (did you mean "title"?); a credit's fields are id, who, kind, date, url, title, project, org`,
		`2: date: expected a string, got a number`,
		`3: not a JSON object: unexpected EOF`,
		`4: not a JSON object; JSON Lines has one object per line, such as {"who": "github:alice", "kind": "talk", "date": "2026-10-03"}`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("JSON Lines errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	for _, c := range []struct {
		name, data string
		want       []string
	}{
		{"header.csv", "who,kind,Datum,titel\n", []string{
			`1: unknown column "datum"; a credit's fields are id, who, kind, date, url, title, project, org`,
			`1: unknown column "titel" (did you mean "title"?); a credit's fields are id, who, kind, date, url, title, project, org`,
			`1: no column "date"; a credit needs who, kind and date`,
		}},
		{"twice.csv", "who,kind,date,who\n", []string{`1: column "who" is named twice`}},
		{"empty.csv", "", []string{"1: the file is empty; the first line names the columns: id,who,kind,date,url,title,project,org"}},
		{"ids.csv", "id,who,kind,date\ncrm:1,github:a,review,2025-03-01\ncrm:1,github:b,review,2025-03-01\n", []string{
			`3: id "crm:1" is also on line 2, with other fields; give each credit its own id`,
		}},
		// The schema's finding about a row spread over lines is put at the
		// line the row starts on.
		{"multiline.csv", "who,kind,date,title,url\n\"github:a\",review,2025-03-01,\"one\ntwo\nthree\",not a url\ngithub:b,reveiw,2025-03-02,,\n", []string{
			`2: url: "not a url" is not a URL (https://...)`,
			`5: kind "reveiw" is not defined in the scoring period from 2025-01-01; did you mean "review"?`,
		}},
		{"fields.csv", "who,kind,date\ngithub:a,review,2025-03-01,extra\n", []string{`2: 4 fields, but the header names 3 columns`}},
		{"quote.csv", "who,kind,date\ngithub:a,\"review,2025-03-01\n", []string{`2: not CSV: extraneous or missing " in quoted-field`}},
		{"sniffed", `{"who": "github:a", "kind": "reveiw", "date": "2025-03-01"}` + "\n", []string{
			`1: kind "reveiw" is not defined in the scoring period from 2025-01-01; did you mean "review"?`,
		}},
	} {
		if got := errorLines(readCreditsData(t, dir, c.name, []byte(c.data))); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n%s\nwant:\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

func TestImportCreditsJSONLines(t *testing.T) {
	dir := historyLedger(t)
	imp := readCreditsFile(t, dir, "testdata/credits/events.jsonl")
	if len(imp.Errors) > 0 || len(imp.Credits) != 2 || imp.Credits[0].ID != "crm:970c89356431" || imp.Credits[1].ID != "events:77" {
		t.Errorf("errors %q, credits %+v", errorLines(imp), imp.Credits)
	}
	l, err := LoadCreditLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCredits(dir, l, "Savannah CRM", "x.csv", nil); err == nil || !strings.Contains(err.Error(), "not a source name") {
		t.Errorf("a bad --source: %v", err)
	}
}
