package ledger

import "slices"

// Platforms are those tally's sources and imports write identities for:
// people's identities and credits' who name them ("github:alice-gh").
// A program lists any other in program.yaml's platforms, so that a
// misspelt platform is a finding rather than credits nobody owns.
var Platforms = []string{"discourse", "feed", "git", "github", "jira", "meetup", "slack", "stackexchange"}

// Anonymous is the platform of the credits of erased people (who:
// anonymous:<hash>): a credit may name it, an identity may not.
const Anonymous = "anonymous"

// KnownPlatforms lists, sorted, the platforms identities may be on: tally's
// own and those the program declares.
func KnownPlatforms(p *Program) []string {
	known := slices.Clone(Platforms)
	if p != nil {
		for _, d := range p.Platforms {
			known = append(known, d.ID)
		}
	}
	slices.Sort(known)
	return slices.Compact(known)
}
