package health

import "github.com/tallyledger/tally/internal/ledger"

// Section is the health figures of a reporting period: each time metric
// over what ended in it (a pull request merged in October counts in
// October, however long ago it was opened, so that a period's figures do
// not change once it is over), its releases, and the same per project.
type Section struct {
	Times    Times
	Releases int
	// Projects lists, by name, the projects with a measurement or a
	// release in the period.
	Projects []ProjectSection
}

// ProjectSection is one project's figures in a period.
type ProjectSection struct {
	Project  string
	Times    Times
	Releases int
}

// Section computes the figures of the months from to to.
func (h *Health) Section(from, to ledger.Month) Section {
	s := Section{Times: h.Times(from, to, nil), Releases: len(h.releasesBetween(from, to))}
	per := h.byProject(from, to)
	for i, name := range h.projects {
		if pt := per[int32(i)]; pt != nil {
			s.Projects = append(s.Projects, ProjectSection{Project: name, Times: pt.times, Releases: pt.releases})
		}
	}
	return s
}
