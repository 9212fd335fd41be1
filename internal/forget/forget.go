// Package forget answers an erasure request: it takes a person out of the
// ledger while every organisation's figures stay as they were. The
// person's file goes, with their identities; their credits, in shards and
// claims, get an anonymous identity (ledger.NewAnonymousWho) and the
// organisation they counted for; applications and old conduct records stop
// naming them. Files are edited in place (ledger.YAMLEditor), so that their
// other text stays as written, and nothing is written before the ledger as
// it will be has been loaded and checked.
package forget

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/suggest"
	"github.com/tallyledger/tally/internal/words"
)

// Plan is an erasure worked out and checked, ready to be written.
type Plan struct {
	Person ledger.Person
	// Who is the anonymous identity the person's credits now have.
	Who string
	// Changes says what happens to each file, in path order.
	Changes []Change
	// Mentions are the places left that may still name the person: free
	// text (notes, titles, URLs) that only a person can judge.
	Mentions []Mention
	// NamedIDs counts the credits whose id holds one of those names (made
	// by ingestion); ids stay as they are, so that ingesting again does
	// not add the credits a second time.
	NamedIDs int

	root     string
	original map[string][]byte // the text each edit was made from
	edited   map[string][]byte
	created  map[string][]byte
	removed  []string
}

// Change is what happens to one file.
type Change struct {
	Path, What string
}

// Mention is a line that still holds one of the person's names.
type Mention struct {
	Path string
	Line int
	Term string
}

// New works out the erasure of person id from the ledger l, loaded from
// root, giving their credits the anonymous identity who, and checks the
// result: it loads the ledger as it will be, and fails unless it is as
// valid as before and every organisation's figures are unchanged.
func New(root string, l *ledger.Ledger, id, who string) (*Plan, error) {
	ix := ledger.NewIndex(l)
	p := ix.People[id]
	if p == nil {
		return nil, unknown(ix, id)
	}
	if err := refuse(l, p); err != nil {
		return nil, err
	}
	pl := &Plan{Person: *p, Who: who, root: root,
		original: map[string][]byte{}, edited: map[string][]byte{}, created: map[string][]byte{}}
	e := eraser{Plan: pl, l: l, ix: ix, p: p}
	if err := e.credits(); err != nil {
		return nil, err
	}
	if err := e.applications(); err != nil {
		return nil, err
	}
	if err := e.conduct(); err != nil {
		return nil, err
	}
	personFile := l.Files[p.File]
	if err := pl.regular(personFile); err != nil {
		return nil, err
	}
	pl.removed = append(pl.removed, personFile)
	pl.change(personFile, fmt.Sprintf("removed, with %s", words.Plural(len(p.Identities), "identity")))
	slices.SortStableFunc(pl.Changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	if err := pl.verify(l); err != nil {
		return nil, err
	}
	return pl, nil
}

// unknown explains an id that is no person's: a typo, or a person
// forgotten already (whose credits nothing links to the id any more).
func unknown(ix *ledger.Index, id string) error {
	hint := didYouMean(id, slices.Collect(maps.Keys(ix.People)))
	if hint == "" {
		hint = "; if they were forgotten already, there is nothing to do"
	}
	return fmt.Errorf("no person %q in the ledger (expected a file people/%s.yaml)%s", id, id, hint)
}

func didYouMean(s string, known []string) string {
	if m := suggest.Closest(s, known); m != "" {
		return fmt.Sprintf("; did you mean %q?", m)
	}
	return ""
}

// refuse stops an erasure that would change what the program's rules
// say, or what organisations score.
func refuse(l *ledger.Ledger, p *ledger.Person) error {
	if p.Bot {
		return fmt.Errorf("%s is a bot (bot: true): its credits count for no one, and an anonymous contributor's would; remove its file and credits by hand, or set bot: false if it is a person", p.ID)
	}
	if pr := l.Program; pr != nil {
		var roles []string
		if slices.ContainsFunc(pr.Leadership, func(r ledger.Ref) bool { return r.ID == p.ID }) {
			roles = append(roles, "leadership")
		}
		for _, a := range pr.TeamLeads {
			if slices.ContainsFunc(a.Leads, func(r ledger.Ref) bool { return r.ID == p.ID }) {
				roles = append(roles, "team_leads."+a.Area)
			}
		}
		if slices.ContainsFunc(pr.Contacts.Partners, func(r ledger.Ref) bool { return r.ID == p.ID }) {
			roles = append(roles, "contacts.partners")
		}
		if len(roles) > 0 {
			return fmt.Errorf("%s is in program.yaml's %s: who decides for the program is a rule; take them out in a pull request the leadership approves (a rules change), then run tally forget again",
				p.ID, strings.Join(roles, " and "))
		}
	}
	return nil
}

// eraser works out the edits of one plan.
type eraser struct {
	*Plan
	l  *ledger.Ledger
	ix *ledger.Index
	p  *ledger.Person
}

func (e *eraser) mine(who string) bool { return who != "" && e.ix.Resolve(who) == e.p }

// credits gives each of the person's credits the anonymous identity and
// the organisation it counted for: its own org, else the person's
// affiliation on its date.
func (e *eraser) credits() error {
	byFile := map[ledger.FileID][]*ledger.Credit{}
	var files []ledger.FileID
	for i := range e.l.Credits {
		c := &e.l.Credits[i]
		if e.mine(c.Who) {
			if byFile[c.File] == nil {
				files = append(files, c.File)
			}
			byFile[c.File] = append(byFile[c.File], c)
		}
	}
	for _, f := range files {
		name := e.l.Files[f]
		ed, err := e.open(name)
		if err != nil {
			return err
		}
		// The credits of a shard are its list's items; a claim is its file.
		items := []*yaml.Node{ed.Root()}
		if _, list := ledger.Pair(ed.Root(), "credits"); list != nil {
			items = list.Content
		}
		byPos := map[ledger.Pos]*yaml.Node{}
		for _, it := range items {
			if _, v := ledger.Pair(it, "who"); v != nil {
				byPos[ledger.Pos{Line: int32(v.Line), Col: int32(v.Column)}] = it
			}
		}
		orgs := map[string]int{}
		for _, c := range byFile[f] {
			it := byPos[c.WhoPos]
			if it == nil {
				return fmt.Errorf("%s:%d:%d: cannot find this credit's who to rewrite; write it as `who: ...` in the credit itself", name, c.WhoPos.Line, c.WhoPos.Col)
			}
			k, v := ledger.Pair(it, "who")
			if err := ed.Set(v, ledger.Scalar(e.Who)); err != nil {
				return fmt.Errorf("%s:%w", name, err)
			}
			org := c.Org
			if org == "" {
				if org = e.p.AffiliationOn(c.Date); org != "" {
					if err := ed.AddAfter(it, k, "org", ledger.Scalar(org)); err != nil {
						return fmt.Errorf("%s:%w", name, err)
					}
				}
			}
			orgs[org]++
		}
		if err := e.save(name, ed); err != nil {
			return err
		}
		e.change(name, creditWords(len(byFile[f]), strings.HasPrefix(name, "claims/"), orgs))
	}
	return nil
}

// applications stop naming the person: out of the team, and an anonymous
// contact.
func (e *eraser) applications() error {
	for _, a := range e.l.Applications {
		contact := e.mine(a.Contact.ID)
		team := slices.ContainsFunc(a.Team, func(r ledger.Ref) bool { return e.mine(r.ID) })
		if !contact && !team {
			continue
		}
		name := e.l.Files[a.File]
		ed, err := e.open(name)
		if err != nil {
			return err
		}
		var did []string
		if contact {
			_, v := ledger.Pair(ed.Root(), "contact")
			if err := ed.Set(v, ledger.Scalar(e.Who)); err != nil {
				return fmt.Errorf("%s:%w", name, err)
			}
			did = append(did, "contact anonymised")
		}
		if team {
			k, v := ledger.Pair(ed.Root(), "team")
			if err := ed.RemoveItems(k, v, func(n *yaml.Node) bool { return e.mine(n.Value) }); err != nil {
				return fmt.Errorf("%s:%w", name, err)
			}
			did = append(did, "taken out of the team")
		}
		if err := e.save(name, ed); err != nil {
			return err
		}
		e.change(name, strings.Join(did, "; "))
	}
	return nil
}

// conduct rewrites old records that name the person into the public form,
// one record per organisation it counts against, as the privacy rule asks;
// a dismissed one, or one that counts against no organisation, goes.
func (e *eraser) conduct() error {
	for _, k := range e.l.Conduct {
		if k.Person.ID != e.p.ID {
			continue
		}
		name := e.l.Files[k.File]
		against := k.Against(e.ix)
		if k.Outcome == "dismissed" || len(against) == 0 {
			if err := e.regular(name); err != nil {
				return err
			}
			e.removed = append(e.removed, name)
			why := "it named them and counts against no organisation"
			if k.Outcome == "dismissed" {
				why = "a dismissed report that named them (dismissed reports are not recorded)"
			}
			e.change(name, "removed: "+why)
			continue
		}
		ed, err := e.open(name)
		if err != nil {
			return err
		}
		root := ed.Root()
		pk, pv := ledger.Pair(root, "person")
		orgKey, _ := ledger.Pair(root, "org")
		mk, mv := ledger.Pair(root, "member")
		if orgKey != nil {
			err = ed.RemovePair(root, pk)
		} else { // person: X becomes org: <where X worked>
			err = errors.Join(ed.Set(pk, "org"), ed.Set(pv, ledger.Scalar(against[0].Org)))
			orgKey = pk
		}
		if err == nil && mk == nil {
			err = ed.AddAfter(root, orgKey, "member", "true")
		} else if err == nil && mv.Value != "true" {
			err = ed.Set(mv, "true")
		}
		if err != nil {
			return fmt.Errorf("%s:%w", name, err)
		}
		if err := e.save(name, ed); err != nil {
			return err
		}
		e.change(name, fmt.Sprintf("names %s (member: true) instead of them", against[0].Org))
		for _, a := range against[1:] {
			if err := e.conductFor(k, name, a.Org); err != nil {
				return err
			}
		}
	}
	return nil
}

// conductFor writes the copy of an old record for a second organisation
// it counts against, beside it.
func (e *eraser) conductFor(k *ledger.Conduct, from, org string) error {
	name := strings.TrimSuffix(from, ".yaml") + "-" + org + ".yaml"
	if _, err := os.Lstat(e.path(name)); err == nil || slices.Contains(e.l.Files, name) {
		return fmt.Errorf("%s already exists: %s also counts against %s, whose record would go there; rename that file, then run tally forget again", name, from, org)
	}
	var b strings.Builder
	b.WriteString("# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/conduct.schema.json\n")
	fmt.Fprintf(&b, "date: %s\norg: %s\nmember: true\noutcome: %s\n", k.Date, ledger.Scalar(org), ledger.Scalar(k.Outcome))
	if k.Note != "" {
		fmt.Fprintf(&b, "note: %s\n", ledger.Scalar(k.Note))
	}
	e.created[name] = []byte(b.String())
	e.change(name, fmt.Sprintf("new: the part of %s that counts against %s (member: true)", path.Base(from), org))
	return nil
}

// open reads a file to edit, once.
func (p *Plan) open(name string) (*ledger.YAMLEditor, error) {
	if err := p.regular(name); err != nil {
		return nil, err
	}
	src, err := os.ReadFile(p.path(name))
	if err != nil {
		return nil, err
	}
	ed, err := ledger.EditYAML(src)
	if err != nil {
		return nil, fmt.Errorf("%s: the file is not valid YAML (%v); fix it, then try again", name, err)
	}
	p.original[name] = src
	return ed, nil
}

func (p *Plan) save(name string, ed *ledger.YAMLEditor) error {
	data, err := ed.Bytes()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	p.edited[name] = data
	return nil
}

// regular makes sure a file to change is a regular file: a link would be
// replaced by a copy, or its target changed behind it.
func (p *Plan) regular(name string) error {
	info, err := os.Lstat(p.path(name))
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a link?); tally forget changes only regular files: put the file itself there, then run tally forget again", name)
	}
	return nil
}

func (p *Plan) path(name string) string { return filepath.Join(p.root, filepath.FromSlash(name)) }

func (p *Plan) change(name, what string) { p.Changes = append(p.Changes, Change{name, what}) }

// Apply writes the plan, each file atomically: the new files first, then
// the edited ones (each after making sure it still holds the text the plan
// was made from), then the removals, the person's file last, so that a run
// that stops half way still finds the person the next time.
func (p *Plan) Apply() error {
	for _, name := range slices.Sorted(maps.Keys(p.created)) {
		if err := atomicfile.WriteNew(p.path(name), p.created[name], 0o644); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(p.edited)) {
		now, err := os.ReadFile(p.path(name))
		if err != nil {
			return err
		}
		if !bytes.Equal(now, p.original[name]) {
			return fmt.Errorf("%s changed while tally forget ran", name)
		}
		if err := atomicfile.Write(p.path(name), p.edited[name], 0o644); err != nil {
			return err
		}
	}
	for _, name := range p.removed {
		if err := os.Remove(p.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func creditWords(n int, claim bool, orgs map[string]int) string {
	what := words.Plural(n, "credit") + " anonymised"
	if claim {
		what = "the claim anonymised"
	}
	var parts []string
	for _, org := range slices.Sorted(maps.Keys(orgs)) {
		switch {
		case org == "" && claim:
			parts = append(parts, "no organisation")
		case org == "":
			parts = append(parts, fmt.Sprintf("%d for no organisation", orgs[org]))
		case claim:
			parts = append(parts, "for "+org)
		default:
			parts = append(parts, fmt.Sprintf("%d for %s", orgs[org], org))
		}
	}
	return what + " (" + strings.Join(parts, ", ") + ")"
}
