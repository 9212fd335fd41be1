package ledger

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// FileKind is what a ledger file holds, decided by where it lives.
type FileKind uint8

const (
	Unknown FileKind = iota
	ProgramFile
	ThresholdsFile
	PersonFile
	OrganizationFile
	CreditsFile
	ClaimFile
	FundingFile
	ApplicationFile
	ConductFile
	RoadmapFile
	SourceFile
	NoteFile
	// LogoFile is an organisation's logo, organizations/<id>.svg or .png
	// beside its <id>.yaml.
	LogoFile
)

// Schema is the name of the JSON Schema that validates the file kind.
func (k FileKind) Schema() string {
	return [...]string{"", "program", "thresholds", "person", "organization", "credits", "claim",
		"funding", "application", "conduct", "roadmap", "source", "", ""}[k]
}

var (
	idRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	slugRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	kindRe   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	yearRe   = regexp.MustCompile(`^[0-9]{4}$`)
	monthRe  = regexp.MustCompile(`^(0[1-9]|1[0-2])$`)
	periodRe = regexp.MustCompile(`^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$`)
	// roadmapRe splits "<org>-<n>" at its last dash.
	roadmapRe = regexp.MustCompile(`^([a-z0-9][a-z0-9-]{0,62})-([1-9][0-9]*)$`)
)

// IsID reports whether s is a valid person or organisation id.
func IsID(s string) bool { return idRe.MatchString(s) }

// Place is what a file's path says about its contents.
type Place struct {
	Kind FileKind
	// Name is the file name without extension: a person or organisation id,
	// a shard's source, a claim or conduct slug, an application's date.
	Name string
	// Month of a credit or funding shard.
	Month Month
	// Year of a claim, conduct outcome or roadmap submission.
	Year int
	// Dir is the folder that carries meaning: a claim's kind, an
	// application's organisation, a roadmap submission's organisation.
	Dir string
	// Seq is a roadmap submission's number.
	Seq int
}

// Classify tells from a slash path inside the ledger what the file must
// hold. It returns an error phrased as a fix when the path fits no place of
// the layout.
func Classify(p string) (Place, error) {
	parts := strings.Split(p, "/")
	top, file := parts[0], parts[len(parts)-1]
	ext := path.Ext(file)
	name := strings.TrimSuffix(file, ext)
	if top == "notes" {
		if len(parts) != 2 || ext != ".md" || !periodRe.MatchString(name) {
			return Place{}, fmt.Errorf("notes are notes/<period>.md with a period like 2026-10, 2026-Q4 or 2026")
		}
		return Place{Kind: NoteFile, Name: name}, nil
	}
	if top == "organizations" && len(parts) > 1 && ext != ".yaml" {
		return classifyLogo(p, name, ext)
	}
	if ext != ".yaml" {
		if ext == ".yml" {
			return Place{}, fmt.Errorf("ledger files end in .yaml; rename it to %s.yaml", strings.TrimSuffix(p, ext))
		}
		return Place{}, fmt.Errorf("only .yaml files belong in the ledger (and .md files in notes/)")
	}
	if len(parts) == 1 {
		switch file {
		case "program.yaml":
			return Place{Kind: ProgramFile}, nil
		case "thresholds.yaml":
			return Place{Kind: ThresholdsFile}, nil
		}
		return Place{}, fmt.Errorf("the only files at the top of the ledger are program.yaml and thresholds.yaml")
	}
	dirs := parts[1 : len(parts)-1]
	bad := func(layout string) (Place, error) {
		return Place{}, fmt.Errorf("expected %s", layout)
	}
	switch top {
	case "people", "organizations":
		kind, what := PersonFile, "person"
		if top == "organizations" {
			kind, what = OrganizationFile, "organisation"
		}
		if !idRe.MatchString(name) {
			return Place{}, fmt.Errorf("the file name is the %s's id: lowercase letters, digits and dashes (for example %s/%s.yaml)", what, top, suggestID(name))
		}
		return Place{Kind: kind, Name: name}, nil
	case "credits", "funding":
		kind := CreditsFile
		if top == "funding" {
			kind = FundingFile
		}
		if len(dirs) != 2 || !yearRe.MatchString(dirs[0]) || !monthRe.MatchString(dirs[1]) || !slugRe.MatchString(name) {
			return bad(top + "/<YYYY>/<MM>/<source>.yaml")
		}
		y, _ := digits(dirs[0])
		m, _ := digits(dirs[1])
		return Place{Kind: kind, Name: name, Month: MonthOf(y, m)}, nil
	case "claims":
		if len(dirs) != 2 || !kindRe.MatchString(dirs[0]) || !yearRe.MatchString(dirs[1]) || !slugRe.MatchString(name) {
			return bad("claims/<kind>/<YYYY>/<slug>.yaml")
		}
		y, _ := digits(dirs[1])
		return Place{Kind: ClaimFile, Name: name, Dir: dirs[0], Year: y}, nil
	case "applications":
		if len(dirs) != 1 || !idRe.MatchString(dirs[0]) {
			return bad("applications/<org>/<YYYY-MM-DD>.yaml")
		}
		if _, err := ParseDate(name); err != nil {
			return bad("applications/<org>/<YYYY-MM-DD>.yaml named after the submission date")
		}
		return Place{Kind: ApplicationFile, Name: name, Dir: dirs[0]}, nil
	case "conduct":
		if len(dirs) != 1 || !yearRe.MatchString(dirs[0]) || !slugRe.MatchString(name) {
			return bad("conduct/<YYYY>/<slug>.yaml")
		}
		y, _ := digits(dirs[0])
		return Place{Kind: ConductFile, Name: name, Year: y}, nil
	case "roadmap":
		m := roadmapRe.FindStringSubmatch(name)
		if len(dirs) != 1 || !yearRe.MatchString(dirs[0]) || m == nil {
			return bad("roadmap/<YYYY>/<org>-<n>.yaml")
		}
		y, _ := digits(dirs[0])
		n, _ := digits(m[2])
		return Place{Kind: RoadmapFile, Name: name, Dir: m[1], Year: y, Seq: n}, nil
	case "sources":
		if len(dirs) != 0 || !slugRe.MatchString(name) {
			return bad("sources/<source>.yaml")
		}
		return Place{Kind: SourceFile, Name: name}, nil
	}
	return Place{}, fmt.Errorf("unknown folder %q; the ledger's folders are %s", top, strings.Join(topFolders, ", "))
}

// LogoFormats are the file types a logo may be, by extension.
var LogoFormats = map[string]string{".svg": "svg", ".png": "png"}

// classifyLogo places a file of organizations/ that is not YAML: only a
// logo, named after its organisation, belongs there.
func classifyLogo(p, name, ext string) (Place, error) {
	if _, ok := LogoFormats[ext]; !ok {
		return Place{}, fmt.Errorf("organizations/ holds <id>.yaml and a logo <id>.svg or <id>.png; convert the logo to SVG or PNG and name it %s", strings.TrimSuffix(p, ext)+".svg")
	}
	if !idRe.MatchString(name) {
		return Place{}, fmt.Errorf("a logo is named after its organisation's id: lowercase letters, digits and dashes (for example organizations/%s%s)", suggestID(name), ext)
	}
	return Place{Kind: LogoFile, Name: name}, nil
}

var topFolders = []string{"applications", "claims", "conduct", "credits", "funding", "notes", "organizations", "people", "roadmap", "sources"}

// suggestID lowercases a name and replaces what an id may not hold.
func suggestID(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "alice"
	}
	return s
}
