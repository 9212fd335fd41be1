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
	issues   []*Issue // by number
	comments []*Comment
	// requested holds who is asked to review a pull request now; asked,
	// every request ever made, in order.
	requested, asked map[int][]string
	// collaborators, when set, are the only logins that may be asked.
	collaborators []string
	releases      []*Release
}

func newRepository(s *Server, fullName string, id int) *Repository {
	return &Repository{
		FullName: fullName, ID: id, s: s,
		blobs: map[string][]byte{}, trees: map[string][]treeEntry{}, commits: map[string]*Commit{},
		refs: map[string]string{}, reviews: map[int][]Review{}, files: map[int][]string{}, statuses: map[string][]Status{},
		requested: map[int][]string{}, asked: map[int][]string{},
	}
}
