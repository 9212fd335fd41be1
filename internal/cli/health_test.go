package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHealthComparesProjects(t *testing.T) {
	out, errOut, code := run(t, "health", "--project", "lumen/helm-chart", "--project", "lumen/lumen", "--as-of", "2026-09", "--ledger", "../../ledger")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "Lumen Community health as of September 2026: October 2025 to September 2026, against October 2024 to September 2025\n") {
		t.Errorf("heading: %.200s", out)
	}
	if !strings.Contains(out, "lumen/helm-chart") || !strings.Contains(out, "lumen/lumen") || strings.Contains(out, "lumen/docs") {
		t.Errorf("not the two projects asked for:\n%s", out)
	}
	if strings.Contains(out, "Month by month") {
		t.Error("the community's trends are shown for a choice of projects")
	}
}

func TestHealthJSON(t *testing.T) {
	out, errOut, code := run(t, "health", "--json", "--as-of", "2026-10", "--ledger", "../../ledger")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var got struct {
		AsOf     string `json:"as_of"`
		Projects []struct {
			Project string `json:"project"`
			Recent  struct {
				Times map[string]struct {
					Count  int    `json:"count"`
					Median *int64 `json:"median_seconds"`
				} `json:"times"`
			} `json:"recent"`
		} `json:"projects"`
		Months []struct {
			Month                 string `json:"month"`
			Contributors          int    `json:"contributors"`
			Core, Regular, Casual int
		} `json:"months"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.AsOf != "2026-10" || len(got.Months) != 24 || got.Months[23].Month != "2026-10" || len(got.Projects) != 3 {
		t.Fatalf("as of %s, %d months, %d projects", got.AsOf, len(got.Months), len(got.Projects))
	}
	for _, m := range got.Months {
		if m.Core+m.Regular+m.Casual != m.Contributors {
			t.Errorf("%s: the onion's layers do not add up to %d contributors", m.Month, m.Contributors)
		}
	}
	if merge := got.Projects[2].Recent.Times["time_to_merge"]; got.Projects[2].Project != "lumen/lumen" || merge.Count == 0 || merge.Median == nil {
		t.Errorf("lumen/lumen's time to merge: %+v", got.Projects[2])
	}
}

func TestHealthOfAnOrganisation(t *testing.T) {
	out, errOut, code := run(t, "health", "--org", "kieselstein", "--as-of", "2026-10", "--ledger", "../../ledger")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"Kieselstein Software GmbH (kieselstein) as of October 2026:", "By project:", "and 1 person who chose not to be listed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Anja Keller") {
		t.Error("a hidden person is named")
	}
}

func TestHealthRefuses(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--project", "lumen/lumn"}, `no project "lumen/lumn" in the ledger; did you mean "lumen/lumen"?`},
		{[]string{"--org", "northwnd"}, `no organisation "northwnd" in the ledger; did you mean "northwind"?`},
		{[]string{"--org", "northwind", "--project", "lumen/lumen"}, "--org and --project do not go together"},
		{[]string{"--as-of", "2099-01"}, "--as-of 2099-01 has not ended yet"},
	} {
		_, errOut, code := run(t, append([]string{"health", "--ledger", "../../ledger"}, c.args...)...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

func TestExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tables")
	for _, format := range []string{"parquet", "jsonl"} {
		_, errOut, code := run(t, "export", "--format", format, "--out", dir, "--ledger", "../../ledger")
		if code != 0 || !strings.Contains(errOut, "2 files written") {
			t.Fatalf("%s: exit %d\n%s", format, code, errOut)
		}
	}
	for _, name := range []string{"credits.parquet", "payments.parquet", "credits.jsonl", "payments.jsonl"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Again: nothing changes.
	if _, errOut, _ := run(t, "export", "--out", dir, "--ledger", "../../ledger"); !strings.Contains(errOut, "0 files written, 2 unchanged") {
		t.Errorf("a second export: %s", errOut)
	}
	if _, errOut, code := run(t, "export", "--format", "csv", "--out", dir, "--ledger", "../../ledger"); code != exitUsage || !strings.Contains(errOut, "use parquet or jsonl") {
		t.Errorf("--format csv: exit %d, %s", code, errOut)
	}
}
