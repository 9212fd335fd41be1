package people

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

// Kinds of suggestion.
const (
	// SameName: two people with the same name, likely one person.
	SameName = "same-name"
	// SharedHandle: two people with the same handle on two platforms,
	// likely one person.
	SharedHandle = "same-handle"
	// SameHandle: an identity nobody owns with the handle a person has on
	// another platform.
	SameHandle = "handle"
	// NameMatch: an identity nobody owns whose handle, or the name its
	// commits are signed with, is a person's name.
	NameMatch = "name"
)

// AuthorFact is the fact of a credit that holds the name its author gave
// (a commit's author name), for the credits whose who alone cannot say who
// that is (git:<hash of an e-mail address>).
const AuthorFact = "author"

// Suggestion is one likely fix to the people of a ledger, with the lines
// that make it. Nothing is changed: a person decides.
type Suggestion struct {
	Kind string `json:"kind"`
	// Subject is what the suggestion is about: a person id (SameName) or an
	// identity nobody owns, "platform:handle".
	Subject string `json:"subject"`
	// Person is who the subject likely is, and File their file.
	Person string `json:"person"`
	File   string `json:"file"`
	// Credits counts the subject's credits: what the fix moves.
	Credits int `json:"credits"`
	// Reason says what matched, in words to follow the subject's name and
	// precede the person's file: "has the github handle of".
	Reason string `json:"reason"`
	// Add lists the identities to add to File.
	Add []Identity `json:"add,omitempty"`
	// Conflicts lists the duplicate's identities on platforms where File
	// has another handle: a person has one handle per platform, so one of
	// the two must go.
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// Rewrite lists credits whose who must change instead, because File
	// already has an identity on that platform.
	Rewrite []Rewrite `json:"rewrite,omitempty"`
	// Delete is the duplicate person's file, to delete once merged.
	Delete string `json:"delete,omitempty"`
}

// Identity is a platform and a handle.
type Identity struct {
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
}

// Conflict is an identity that cannot join a person, who has Has on its
// platform.
type Conflict struct {
	Identity
	Has string `json:"has"`
}

// Rewrite is the credits of one file whose who changes from Who to To, by
// the line of each one's who.
type Rewrite struct {
	File  string `json:"file"`
	Lines []int  `json:"lines"`
	Who   string `json:"who"`
	To    string `json:"to"`
}

// minCompact is the shortest handle compared with names: shorter ones
// match by chance.
const minCompact = 4

// Suggest lists likely duplicates and missing links, most credits first.
func Suggest(l *ledger.Ledger) []Suggestion {
	s := newSuggester(l)
	s.duplicates()
	s.unowned()
	slices.SortFunc(s.out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Credits, a.Credits), cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Person, b.Person))
	})
	return s.out
}

type suggester struct {
	l  *ledger.Ledger
	ix *ledger.Index
	// people are the ledger's people that are not bots, by id.
	people []*ledger.Person
	// credits holds each person's credits, by id, and each unowned
	// identity's, by identity key.
	credits map[string][]*ledger.Credit
	// names are the name keys each person goes by: their own, and the
	// names their credits were signed with.
	names map[string]map[string]bool
	// spelling is how each unowned identity was first written.
	spelling map[string]string
	orphans  []string // keys of the identities nobody owns, sorted
	out      []Suggestion
}

func newSuggester(l *ledger.Ledger) *suggester {
	s := &suggester{l: l, ix: ledger.NewIndex(l), credits: map[string][]*ledger.Credit{},
		names: map[string]map[string]bool{}, spelling: map[string]string{}}
	for _, p := range l.People {
		if !p.Bot && s.ix.People[p.ID] == p {
			s.people = append(s.people, p)
			s.names[p.ID] = map[string]bool{NameKey(p.Name): true}
		}
	}
	for i := range l.Credits {
		c := &l.Credits[i]
		if p := s.ix.Resolve(c.Who); p != nil {
			s.credits[p.ID] = append(s.credits[p.ID], c)
			if n := NameKey(fact(c, AuthorFact)); n != "" && s.names[p.ID] != nil {
				s.names[p.ID][n] = true
			}
			continue
		}
		platform, handle, ok := strings.Cut(c.Who, ":")
		if !ok || isBotHandle(handle) {
			continue
		}
		key := ledger.IdentityKey(platform, handle)
		if _, seen := s.spelling[key]; !seen {
			s.spelling[key] = c.Who
			s.orphans = append(s.orphans, key)
		}
		s.credits[key] = append(s.credits[key], c)
	}
	slices.Sort(s.orphans)
	return s
}

// duplicates suggests merging people who share a name, or a handle on two
// platforms, into the one with the most credits.
func (s *suggester) duplicates() {
	byName, byHandle := map[string][]*ledger.Person{}, map[string][]*ledger.Person{}
	var names, handles []string
	for _, p := range s.people {
		if k := NameKey(p.Name); k != "" {
			if byName[k] == nil {
				names = append(names, k)
			}
			byName[k] = append(byName[k], p)
		}
		for _, id := range p.Identities {
			h := strings.ToLower(id.Handle)
			if len(h) < minCompact || slices.Contains(byHandle[h], p) {
				continue
			}
			if byHandle[h] == nil {
				handles = append(handles, h)
			}
			byHandle[h] = append(byHandle[h], p)
		}
	}
	done := map[[2]string]bool{}
	for _, k := range names {
		s.merge(byName[k], done, SameName, func(dup, _ *ledger.Person) string { return fmt.Sprintf("is named %q like", dup.Name) })
	}
	for _, h := range handles {
		s.merge(byHandle[h], done, SharedHandle, func(dup, keep *ledger.Person) string {
			return fmt.Sprintf("has %s, the handle on %s of", identityOf(dup, h), platformOf(keep, h))
		})
	}
}

// merge suggests merging each of a group of people into the one with the
// most credits, unless that pair was suggested already.
func (s *suggester) merge(g []*ledger.Person, done map[[2]string]bool, kind string, reason func(dup, keep *ledger.Person) string) {
	if len(g) < 2 {
		return
	}
	slices.SortFunc(g, func(a, b *ledger.Person) int {
		return cmp.Or(cmp.Compare(len(s.credits[b.ID]), len(s.credits[a.ID])),
			cmp.Compare(len(b.Identities), len(a.Identities)), cmp.Compare(a.ID, b.ID))
	})
	keep := g[0]
	for _, dup := range g[1:] {
		if pair := [2]string{keep.ID, dup.ID}; done[pair] {
			continue
		} else {
			done[pair] = true
		}
		sg := Suggestion{Kind: kind, Subject: dup.ID, Person: keep.ID, File: s.file(keep),
			Credits: len(s.credits[dup.ID]), Delete: s.file(dup), Reason: reason(dup, keep)}
		for _, id := range dup.Identities {
			switch have := handleOn(keep, id.Platform); {
			case have == "":
				sg.Add = append(sg.Add, Identity{id.Platform, id.Handle})
			case !strings.EqualFold(have, id.Handle):
				sg.Conflicts = append(sg.Conflicts, Conflict{Identity{id.Platform, id.Handle}, have})
				sg.Rewrite = append(sg.Rewrite, s.rewrites(dup.ID, keep.ID, id.Platform+":"+id.Handle)...)
			}
		}
		sg.Rewrite = append(sg.Rewrite, s.rewrites(dup.ID, keep.ID, dup.ID)...)
		s.out = append(s.out, sg)
	}
}

// identityOf is a person's identity with a handle (lowercased), as
// "platform: handle".
func identityOf(p *ledger.Person, handle string) string {
	for _, id := range p.Identities {
		if strings.EqualFold(id.Handle, handle) {
			return id.Platform + ": " + id.Handle
		}
	}
	return ""
}

// platformOf is the platform on which a person has a handle.
func platformOf(p *ledger.Person, handle string) string {
	platform, _, _ := strings.Cut(identityOf(p, handle), ":")
	return platform
}

// unowned suggests giving identities nobody owns to the people they match.
// A person has one handle a platform: of two identities that match one
// person on one platform, the one with more credits is added, and the
// other's credits are given to the person.
func (s *suggester) unowned() {
	slices.SortStableFunc(s.orphans, func(a, b string) int { return cmp.Compare(len(s.credits[b]), len(s.credits[a])) })
	given := map[[2]string]bool{} // person id, platform
	for _, key := range s.orphans {
		who := s.spelling[key]
		platform, handle, _ := strings.Cut(who, ":")
		signed := map[string]string{} // name key -> the name as first written
		for _, c := range s.credits[key] {
			name := fact(c, AuthorFact)
			if n := NameKey(name); n != "" && signed[n] == "" {
				signed[n] = name
			}
		}
		for _, p := range s.people {
			reason, kind := s.match(p, platform, handle, signed)
			if reason == "" {
				continue
			}
			sg := Suggestion{Kind: kind, Subject: who, Person: p.ID, File: s.file(p), Credits: len(s.credits[key]), Reason: reason}
			if slot := [2]string{p.ID, platform}; handleOn(p, platform) == "" && !given[slot] {
				given[slot] = true
				sg.Add = []Identity{{platform, handle}}
			} else {
				sg.Rewrite = s.rewrites(key, p.ID, who)
			}
			s.out = append(s.out, sg)
		}
	}
}

// match says how an identity nobody owns matches a person, or "".
func (s *suggester) match(p *ledger.Person, platform, handle string, signed map[string]string) (reason, kind string) {
	for _, id := range p.Identities {
		if id.Platform != platform && strings.EqualFold(id.Handle, handle) {
			return fmt.Sprintf("has the %s handle of", id.Platform), SameHandle
		}
	}
	if h := compact(handle); len(h) >= minCompact && (h == compact(p.Name) || h == compact(p.ID)) {
		return "has the name of", NameMatch
	}
	var names []string
	for n, name := range signed {
		if s.names[p.ID][n] {
			names = append(names, name)
		}
	}
	if len(names) > 0 {
		slices.Sort(names)
		return fmt.Sprintf("is signed %q like", strings.Join(names, `", "`)), NameMatch
	}
	return "", ""
}

// rewrites lists, file by file, the credits of holder (a person id or an
// identity key) whose who is one of whos, to give to the person to.
func (s *suggester) rewrites(holder, to string, whos ...string) []Rewrite {
	var out []Rewrite
	at := map[[2]string]int{}
	for _, c := range s.credits[holder] {
		if !slices.ContainsFunc(whos, func(w string) bool { return strings.EqualFold(w, c.Who) }) {
			continue // another of the person's identities
		}
		file := s.l.Files[c.File]
		line := int(cmp.Or(c.WhoPos.Line, c.Line))
		k := [2]string{file, c.Who}
		if i, ok := at[k]; ok {
			out[i].Lines = append(out[i].Lines, line)
			continue
		}
		at[k] = len(out)
		out = append(out, Rewrite{File: file, Lines: []int{line}, Who: c.Who, To: to})
	}
	return out
}

func (s *suggester) file(p *ledger.Person) string { return s.l.Files[p.File] }

// handleOn is a person's handle on a platform, or "".
func handleOn(p *ledger.Person, platform string) string {
	for _, id := range p.Identities {
		if id.Platform == platform {
			return id.Handle
		}
	}
	return ""
}

func fact(c *ledger.Credit, key string) string {
	for _, f := range c.Facts {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// isBotHandle: GitHub Apps have logins ending in [bot].
func isBotHandle(handle string) bool { return strings.HasSuffix(strings.ToLower(handle), "[bot]") }
