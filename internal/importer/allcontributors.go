package importer

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/people"
)

// AllContributors is what an .all-contributorsrc holds for the ledger: the
// people it lists that the ledger lacks. The file has no dates, so it
// gives no credits.
type AllContributors struct {
	// Platform is where the logins are: github, or gitlab (repoType).
	Platform     string
	Contributors int
	// New lists the people to write, in the file's order.
	New []NewPerson
	// Known counts the contributors a person already has (an identity on
	// Platform with the login, whatever its case).
	Known int
	// Bots, Twice and NoLogin are contributors not written: bot accounts,
	// logins listed again, entries without a login.
	Bots    []string
	Twice   int
	NoLogin int
	Types   []TypeUse
}

// NewPerson is a person to write: people/<ID>.yaml.
type NewPerson struct {
	ID, Name, Login string
}

// TypeUse is one all-contributors contribution type: the kind of the
// program it maps to ("" when the program has none), and how many
// contributors it lists with it.
type TypeUse struct {
	Type, Kind   string
	Contributors int
}

// typeKinds are the kinds each all-contributors type may be, in order of
// preference; a type whose own name (in snake_case) is a kind is that
// kind first.
var typeKinds = map[string][]string{
	"code":            {"commit", "pull_request"},
	"bug":             {"issue"},
	"doc":             {"documentation", "docs"},
	"blog":            {"blog_post"},
	"question":        {"forum_solution", "chat_help", "stackexchange_answer"},
	"eventOrganizing": {"meetup", "event"},
	"audio":           {"podcast"},
	"tutorial":        {"blog_post"},
	"test":            {"commit", "pull_request"},
	"infra":           {"commit", "pull_request"},
	"maintenance":     {"commit", "pull_request"},
}

// LoadPeopleLedger reads what importing people needs from a ledger: the
// program (its kinds) and the people.
func LoadPeopleLedger(dir string) (*ledger.Ledger, error) {
	guarded := func(p string) bool { return p == "program.yaml" || strings.HasPrefix(p, "people/") }
	return loadWithProgram(dir, guarded, guarded, "people")
}

// allContributorsFile is the part of an .all-contributorsrc tally reads;
// the rest (templates, badge settings) is left alone.
type allContributorsFile struct {
	RepoType     string `json:"repoType"`
	Contributors []struct {
		Login         string            `json:"login"`
		Name          string            `json:"name"`
		Contributions []json.RawMessage `json:"contributions"`
	} `json:"contributors"`
}

// ReadAllContributors reads an .all-contributorsrc for the ledger l
// (loaded by LoadPeopleLedger). People get ids from their names (ASCII,
// accents folded, "petr-snobl"), made unique with -2, -3; a name with no
// letter that folds to ASCII takes the login's.
func ReadAllContributors(l *ledger.Ledger, data []byte) (*AllContributors, error) {
	var f allContributorsFile
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&f); err != nil {
		return nil, fmt.Errorf("not an .all-contributorsrc: %v", err)
	}
	ac := &AllContributors{Platform: cmp.Or(strings.ToLower(f.RepoType), "github"), Contributors: len(f.Contributors)}
	ix := ledger.NewIndex(l)
	taken := map[string]bool{}
	for _, p := range l.People {
		taken[p.ID] = true
	}
	seen := map[string]bool{}
	types := map[string]int{}
	for _, c := range f.Contributors {
		login := strings.TrimSpace(c.Login)
		key := ledger.IdentityKey(ac.Platform, login)
		switch {
		case login == "":
			ac.NoLogin++
			continue
		case seen[key]:
			ac.Twice++
			continue
		}
		seen[key] = true
		p := ix.Resolve(key)
		if strings.HasSuffix(strings.ToLower(login), "[bot]") || p != nil && p.Bot {
			ac.Bots = append(ac.Bots, login)
			continue
		}
		for _, t := range contributionTypes(c.Contributions) {
			types[t]++
		}
		if p != nil {
			ac.Known++
		} else {
			name := cmp.Or(strings.Join(strings.Fields(c.Name), " "), login)
			base := cmp.Or(people.Slug(name), people.Slug(login), "contributor")
			id := people.UniqueID(base, func(id string) bool { return taken[id] })
			taken[id] = true
			ac.New = append(ac.New, NewPerson{ID: id, Name: name, Login: login})
		}
	}
	kinds := latestKinds(l.Program)
	for t, n := range types {
		ac.Types = append(ac.Types, TypeUse{Type: t, Kind: kindOfType(t, kinds), Contributors: n})
	}
	slices.SortFunc(ac.Types, func(a, b TypeUse) int {
		return cmp.Or(cmp.Compare(b.Contributors, a.Contributors), cmp.Compare(a.Type, b.Type))
	})
	return ac, nil
}

// contributionTypes reads a contributor's contributions: type names, or
// {"type": ..., "url": ...} as some files write them.
func contributionTypes(raw []json.RawMessage) []string {
	var types []string
	for _, r := range raw {
		var t string
		if json.Unmarshal(r, &t) != nil {
			var obj struct{ Type string }
			if json.Unmarshal(r, &obj) != nil {
				continue
			}
			t = obj.Type
		}
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	return types
}

// latestKinds are the kinds of the program's latest scoring period: the
// file has no dates, so the rules in force last are the ones to map to.
func latestKinds(p *ledger.Program) map[string]ledger.KindRule {
	if sp := p.PeriodOn(ledger.MustDate("9999-12-31")); sp != nil {
		return sp.Kinds
	}
	return nil
}

// kindOfType is the program's kind for an all-contributors type, or "".
func kindOfType(t string, kinds map[string]ledger.KindRule) string {
	for _, k := range append([]string{snakeCase(t)}, typeKinds[t]...) {
		if _, ok := kinds[k]; ok {
			return k
		}
	}
	return ""
}

// snakeCase turns a camelCase type (userTesting) into a kind's spelling
// (user_testing).
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

const personSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/person.schema.json"

// personYAML is a new person's file.
func personYAML(platform string, p NewPerson) []byte {
	return fmt.Appendf(nil, "# yaml-language-server: $schema=%s\nname: %s\nidentities: {%s: %s}\n",
		personSchema, ledger.Scalar(p.Name), platform, ledger.Scalar(p.Login))
}

// WritePeople writes the new people's files into the ledger at dir, each
// only if no file has its name (not even one made a moment ago by another
// run). It returns the files written and those that were there already,
// by slash path inside the ledger.
func WritePeople(dir string, ac *AllContributors) (written, existed []string, err error) {
	for _, p := range ac.New {
		rel := "people/" + p.ID + ".yaml"
		err := atomicfile.WriteNew(filepath.Join(dir, filepath.FromSlash(rel)), personYAML(ac.Platform, p), 0o644)
		switch {
		case errors.Is(err, fs.ErrExist):
			existed = append(existed, rel)
		case err != nil:
			return written, existed, err
		default:
			written = append(written, rel)
		}
	}
	return written, existed, nil
}
