package forget

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/score"
)

// verify loads the ledger as the plan leaves it and holds the plan to its
// promise: no finding but the privacy rule's (old conduct records of other
// people), nothing that still resolves to the person, and every
// organisation's figures as before. It then looks for free text that may
// still name them.
func (p *Plan) verify(before *ledger.Ledger) error {
	files := slices.DeleteFunc(slices.Clone(before.Files), func(f string) bool { return slices.Contains(p.removed, f) })
	files = append(files, slices.Collect(maps.Keys(p.created))...)
	after, findings, err := ledger.LoadFiles(files, p.read, ledger.Options{})
	if err != nil {
		return err
	}
	var bad []string
	for _, f := range append(findings, check.Run(after)...) {
		if f.Rule != "privacy" || strings.Contains(f.Message, "`person: "+p.Person.ID+"`") {
			bad = append(bad, "  "+f.String())
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("internal error: forgetting %s would leave these findings, so nothing was written:\n%s", p.Person.ID, strings.Join(bad, "\n"))
	}
	if where := p.stillNamed(after); where != "" {
		return fmt.Errorf("internal error: %s still names %s, so nothing was written", where, p.Person.ID)
	}
	// Organisations are not touched, so both hold the same ones.
	was, now := figures(before), figures(after)
	for _, org := range slices.Sorted(maps.Keys(was)) {
		if was[org] != now[org] {
			return fmt.Errorf("internal error: forgetting %s would change the figures of %s, so nothing was written:\n  before: %s\n  after:  %s", p.Person.ID, org, was[org], now[org])
		}
	}
	p.Mentions, err = p.mentions(after)
	return err
}

// stillNamed finds a record that names the person by id or identity.
func (p *Plan) stillNamed(l *ledger.Ledger) string {
	names := map[string]bool{p.Person.ID: true}
	for _, id := range p.Person.Identities {
		names[ledger.IdentityKey(id.Platform, id.Handle)] = true
	}
	named := func(who string) bool {
		if platform, handle, ok := strings.Cut(who, ":"); ok {
			return names[ledger.IdentityKey(platform, handle)]
		}
		return names[who]
	}
	for i := range l.Credits {
		if c := &l.Credits[i]; named(c.Who) {
			return fmt.Sprintf("%s:%d:%d", l.Files[c.File], c.WhoPos.Line, c.WhoPos.Col)
		}
	}
	for _, a := range l.Applications {
		if named(a.Contact.ID) || slices.ContainsFunc(a.Team, func(r ledger.Ref) bool { return named(r.ID) }) {
			return l.Files[a.File]
		}
	}
	for _, k := range l.Conduct {
		if named(k.Person.ID) {
			return l.Files[k.File]
		}
	}
	return ""
}

// read is a file's text as the plan leaves it.
func (p *Plan) read(name string) ([]byte, error) {
	if data, ok := p.edited[name]; ok {
		return data, nil
	}
	if data, ok := p.created[name]; ok {
		return data, nil
	}
	return os.ReadFile(p.path(name))
}

// figures describes every organisation as reports see it: its score,
// credits and people month by month, and the sanctions that count against
// it.
func figures(l *ledger.Ledger) map[string]string {
	b := score.New(l)
	type month struct {
		score, credits int
		people         map[int32]bool
	}
	byOrg := map[string]map[ledger.Month]*month{}
	for i := range b.Credits {
		s := &b.Credits[i]
		if s.Org == "" {
			continue
		}
		if byOrg[s.Org] == nil {
			byOrg[s.Org] = map[ledger.Month]*month{}
		}
		m := l.Credits[i].Date.Month()
		if byOrg[s.Org][m] == nil {
			byOrg[s.Org][m] = &month{people: map[int32]bool{}}
		}
		f := byOrg[s.Org][m]
		f.score += int(s.Score)
		f.credits++
		f.people[s.Contributor] = true
	}
	e := partner.NewEvaluator(b)
	out := map[string]string{}
	for _, o := range l.Organizations {
		var w strings.Builder
		months := byOrg[o.ID]
		for _, m := range slices.Sorted(maps.Keys(months)) {
			f := months[m]
			fmt.Fprintf(&w, "%s: score %d, %d credits, %d people; ", m, f.score, f.credits, len(f.people))
		}
		for _, s := range e.Sanctions(o.ID) {
			fmt.Fprintf(&w, "sanction %s against %s; ", s.Date, s.Against())
		}
		out[o.ID] = w.String()
	}
	return out
}

// mentions finds the lines of the ledger that still hold the person's id,
// name or one of their handles, as a word, outside credit ids.
func (p *Plan) mentions(after *ledger.Ledger) ([]Mention, error) {
	terms := []string{p.Person.ID, p.Person.Name}
	for _, id := range p.Person.Identities {
		terms = append(terms, id.Handle)
	}
	terms = slices.DeleteFunc(terms, func(t string) bool { return len(t) < 3 }) // "al" is in too many words
	if len(terms) == 0 {
		return nil, nil
	}
	slices.SortFunc(terms, func(a, b string) int { return len(b) - len(a) }) // the longest first
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = regexp.QuoteMeta(t)
	}
	word := regexp.MustCompile(`(?i)(?:^|[^\pL\pN_-])(` + strings.Join(quoted, "|") + `)(?:$|[^\pL\pN_-])`)
	// Ingestion may have put a handle in a credit's id; the id stays, as
	// ingesting again matches credits by it.
	ids := map[string][]string{}
	for i := range after.Credits {
		if c := &after.Credits[i]; word.MatchString(c.ID) {
			ids[after.Files[c.File]] = append(ids[after.Files[c.File]], c.ID)
			p.NamedIDs++
		}
	}
	var out []Mention
	for _, name := range after.Files {
		data, err := p.read(name)
		if err != nil {
			return nil, err
		}
		if !word.Match(data) {
			continue
		}
		for _, id := range ids[name] {
			data = bytes.ReplaceAll(data, []byte(id), bytes.Repeat([]byte(" "), len(id)))
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			if m := word.FindSubmatch(line); m != nil {
				out = append(out, Mention{Path: name, Line: i + 1, Term: string(m[1])})
			}
		}
	}
	return out, nil
}
