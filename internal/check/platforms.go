package check

import (
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

// checkPlatforms finds identities and who on a platform that neither
// tally's sources nor program.yaml know: a misspelt one (githb) would
// leave a person's credits without their owner.
func checkPlatforms(c *checker) {
	if p := c.l.Program; p != nil {
		for _, d := range p.Platforms {
			if d.ID == ledger.Anonymous {
				c.report(p.File, d.Pos, "platforms", "platform %q is reserved for the credits of erased people and needs no listing; remove it", d.ID)
			}
		}
	}
	for _, p := range c.l.People {
		for _, id := range p.Identities {
			if strings.EqualFold(id.Platform, ledger.Anonymous) {
				c.report(p.File, id.Pos, "identities."+id.Platform,
					"platform %q is reserved for the credits of erased people (who: anonymous:<hash>); nobody has an identity on it", id.Platform)
				continue
			}
			c.platform(p.File, id.Pos, "identities."+id.Platform, id.Platform)
		}
	}
	for i := range c.l.Credits {
		cr := &c.l.Credits[i]
		c.whoPlatform(cr.File, ledger.Ref{ID: cr.Who, Pos: cr.WhoPos}, "who")
	}
	for _, a := range c.l.Applications {
		c.whoPlatform(a.File, a.Contact, "contact")
		for _, r := range a.Team {
			c.whoPlatform(a.File, r, "team")
		}
	}
}

// whoPlatform checks the platform of a who that is an identity.
func (c *checker) whoPlatform(file ledger.FileID, r ledger.Ref, field string) {
	if platform, _, ok := strings.Cut(r.ID, ":"); ok && !strings.EqualFold(platform, ledger.Anonymous) {
		c.platform(file, r.Pos, field, platform)
	}
}

// platform checks that identities may be on a platform. Case is the
// schema's to judge: identities compare regardless of it.
func (c *checker) platform(file ledger.FileID, at ledger.Pos, field, platform string) {
	if _, known := slices.BinarySearch(c.platforms, strings.ToLower(platform)); known {
		return
	}
	if hint := didYouMean(platform, c.platforms); hint != "" {
		c.report(file, at, field, "platform %q is unknown%s (a platform tally's sources do not use goes in program.yaml under platforms)", platform, hint)
		return
	}
	c.report(file, at, field, "platform %q is unknown: tally's sources use %s; list any other in program.yaml under platforms, such as platforms: [%s]",
		platform, strings.Join(ledger.Platforms, ", "), platform)
}
