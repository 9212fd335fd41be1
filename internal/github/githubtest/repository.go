package githubtest

// Repository is one repository's state. Its methods may be called while
// the server runs.
type Repository struct {
	// FullName is owner/name; ID is the number of its /repositories/{id}
	// links.
	FullName string
	ID       int

	s       *Server
	blobs   map[string][]byte
	trees   map[string][]treeEntry
	commits map[string]*Commit
	refs    map[string]string // "heads/main" -> commit
	pulls   []*Pull           // by number
	reviews map[int][]Review
	files   map[int][]string
	// statuses of commits, oldest first
	statuses map[string][]Status
	issues   []*Issue
	releases []*Release
}

func newRepository(s *Server, fullName string, id int) *Repository {
	return &Repository{
		FullName: fullName, ID: id, s: s,
		blobs: map[string][]byte{}, trees: map[string][]treeEntry{}, commits: map[string]*Commit{},
		refs: map[string]string{}, reviews: map[int][]Review{}, files: map[int][]string{}, statuses: map[string][]Status{},
	}
}
