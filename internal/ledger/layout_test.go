package ledger

import "testing"

func TestClassify(t *testing.T) {
	good := map[string]Place{
		"program.yaml":                         {Kind: ProgramFile},
		"thresholds.yaml":                      {Kind: ThresholdsFile},
		"people/alice.yaml":                    {Kind: PersonFile, Name: "alice"},
		"people/a/alice.yaml":                  {Kind: PersonFile, Name: "alice"},
		"organizations/acme.yaml":              {Kind: OrganizationFile, Name: "acme"},
		"organizations/acme.svg":               {Kind: LogoFile, Name: "acme"},
		"organizations/a/acme.png":             {Kind: LogoFile, Name: "acme"},
		"credits/2026/10/github.yaml":          {Kind: CreditsFile, Name: "github", Month: MonthOf(2026, 10)},
		"funding/2026/01/github-sponsors.yaml": {Kind: FundingFile, Name: "github-sponsors", Month: MonthOf(2026, 1)},
		"claims/talk/2026/fosdem.yaml":         {Kind: ClaimFile, Name: "fosdem", Dir: "talk", Year: 2026},
		"applications/acme/2026-10-02.yaml":    {Kind: ApplicationFile, Name: "2026-10-02", Dir: "acme"},
		"conduct/2026/spam.yaml":               {Kind: ConductFile, Name: "spam", Year: 2026},
		"roadmap/2026/acme-digital-2.yaml":     {Kind: RoadmapFile, Name: "acme-digital-2", Dir: "acme-digital", Year: 2026, Seq: 2},
		"sources/github.yaml":                  {Kind: SourceFile, Name: "github"},
		"notes/2025-12.md":                     {Kind: NoteFile, Name: "2025-12"},
		"notes/2025-Q4.md":                     {Kind: NoteFile, Name: "2025-Q4"},
		"notes/2025.md":                        {Kind: NoteFile, Name: "2025"},
	}
	for path, want := range good {
		got, err := Classify(path)
		if err != nil || got != want {
			t.Errorf("Classify(%q) = %+v, %v; want %+v", path, got, err, want)
		}
	}
	bad := []string{
		"README.md", "people/Alice.yaml", "people/alice.yml", "people/alice.txt",
		"credits/2026/github.yaml", "credits/2026/13/github.yaml", "credits/26/10/github.yaml",
		"claims/talk/fosdem.yaml", "applications/acme/october.yaml", "applications/2026-10-02.yaml",
		"roadmap/2026/acme.yaml", "roadmap/2026/acme-0.yaml", "notes/2025-13.md", "notes/holidays.md",
		"sources/a/github.yaml", "extras/x.yaml", "notes.yaml",
		"organizations/acme.jpg", "organizations/Acme.svg", "organizations/acme.SVG", "people/alice.svg",
	}
	for _, path := range bad {
		if got, err := Classify(path); err == nil {
			t.Errorf("Classify(%q) = %+v, want an error", path, got)
		}
	}
}

func TestDates(t *testing.T) {
	d, err := ParseDate("2024-02-29")
	if err != nil || d.String() != "2024-02-29" || d.Month().String() != "2024-02" || d.Year() != 2024 {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", d, err)
	}
	for _, s := range []string{"2026-02-29", "2026-02-30", "2026-13-01", "2026-1-01", "20261001", "2026-10-00", ""} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) succeeded", s)
		}
	}
	m := MonthOf(2026, 1)
	if (m-1).String() != "2025-12" || (m+11).String() != "2026-12" || m.First().String() != "2026-01-01" {
		t.Errorf("month arithmetic: %v %v %v", m-1, m+11, m.First())
	}
	if _, err := ParseMonth("2026-10"); err != nil {
		t.Error(err)
	}
}
