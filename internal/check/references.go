package check

import (
	"path"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

func checkReferences(c *checker) {
	if p := c.l.Program; p != nil {
		for _, r := range p.Leadership {
			c.person(p.File, r, "leadership")
		}
		for _, a := range p.TeamLeads {
			for _, r := range a.Leads {
				c.person(p.File, r, "team_leads."+a.Area)
			}
		}
		for _, r := range p.Contacts.Partners {
			c.person(p.File, r, "contacts.partners")
		}
	}
	for _, p := range c.l.People {
		for _, a := range p.Affiliations {
			c.org(p.File, a.Org, "affiliations.org")
		}
	}
	for i := range c.l.Credits {
		cr := &c.l.Credits[i]
		c.who(cr.File, ledger.Ref{ID: cr.Who, Pos: cr.WhoPos}, "who")
		if cr.Org != "" {
			c.org(cr.File, ledger.Ref{ID: cr.Org, Pos: cr.OrgPos}, "org")
		}
	}
	for i := range c.l.Payments {
		p := &c.l.Payments[i]
		if p.Org != "" {
			c.org(p.File, ledger.Ref{ID: p.Org, Pos: p.OrgPos}, "org")
		}
	}
	for _, a := range c.l.Applications {
		c.org(a.File, ledger.Ref{ID: a.Org, Pos: ledger.Pos{Line: 1, Col: 1}}, "applications/<org>")
		c.who(a.File, a.Contact, "contact")
		for _, r := range a.Team {
			c.who(a.File, r, "team")
		}
		if a.Decision != nil {
			for _, r := range a.Decision.By {
				c.person(a.File, r, "decision.by")
			}
		}
	}
	for _, k := range c.l.Conduct {
		if k.Org.ID != "" {
			c.org(k.File, k.Org, "org")
		}
		if k.Person.ID != "" {
			c.person(k.File, k.Person, "person")
		}
	}
	for _, r := range c.l.Roadmap {
		c.org(r.File, ledger.Ref{ID: r.Org, Pos: ledger.Pos{Line: 1, Col: 1}}, "roadmap/<org>-<n>")
	}
	for _, g := range c.l.Logos {
		c.logo(g)
	}
}

// person checks a reference that must be a person id.
func (c *checker) person(file ledger.FileID, r ledger.Ref, field string) {
	if !ledger.IsID(r.ID) || c.ix.People[r.ID] != nil || c.unloaded["person/"+r.ID] {
		return // the schema reports malformed ids
	}
	c.report(file, r.Pos, field, "no person has the id %q (expected a file people/%s.yaml)%s", r.ID, r.ID, didYouMean(r.ID, c.people))
}

// who checks a reference that is a person id or an identity. An identity
// nobody owns is allowed (a drive-by contributor ranks as themselves; its
// platform is rule platform's), but a bare name must be a person.
func (c *checker) who(file ledger.FileID, r ledger.Ref, field string) {
	if r.ID != "" && !strings.Contains(r.ID, ":") {
		c.person(file, r, field)
	}
}

// logo checks that a logo lies beside its organisation's file, where
// whoever edits one sees the other.
func (c *checker) logo(g *ledger.Logo) {
	o := c.ix.Orgs[g.Org]
	if o == nil {
		c.org(g.File, ledger.Ref{ID: g.Org, Pos: g.Pos}, "")
		return
	}
	file, beside := c.l.Files[g.File], c.l.Files[o.File]
	if path.Dir(file) != path.Dir(beside) {
		c.report(g.File, g.Pos, "", "the logo of %s belongs beside its file %s: move it to %s", g.Org, beside, path.Join(path.Dir(beside), path.Base(file)))
	}
}

func (c *checker) org(file ledger.FileID, r ledger.Ref, field string) {
	if !ledger.IsID(r.ID) || c.ix.Orgs[r.ID] != nil || c.unloaded["organization/"+r.ID] {
		return
	}
	c.report(file, r.Pos, field, "no organisation has the id %q (expected a file organizations/%s.yaml)%s", r.ID, r.ID, didYouMean(r.ID, c.orgs))
}
