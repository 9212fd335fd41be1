// Package githubtest is a fake GitHub REST API for tests: an httptest
// server that keeps real state for one repository's git objects (blobs,
// trees and commits hashed as git hashes them, so that trees made through
// the API match a local clone's), refs, pull requests, their reviews,
// files and commits, commit statuses, and the conversation: issues,
// comments and review requests (issues.go); it paginates lists with Link
// headers as GitHub does. As on GitHub, a commit made through the API is
// signed by GitHub for the token's owner, Bot, and committed by web-flow,
// while a pushed commit is unsigned and its author is whoever its e-mail
// address names.
package githubtest

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Server is the fake API for the repository Owner/Repo.
type Server struct {
	*httptest.Server
	Owner, Repo string
	// Token, when set, must be sent as a bearer token.
	Token string
	// PerPage is the default page size of lists (GitHub's is 30).
	PerPage int
	// Bot is the account the token belongs to, as GitHub shows it: the
	// author of what is made through the API (default github-actions[bot],
	// the workflow token's).
	Bot string

	mu      sync.Mutex
	blobs   map[string][]byte
	trees   map[string][]treeEntry
	commits map[string]*Commit
	refs    map[string]string // "heads/main" -> commit
	pulls   []*Pull
	reviews map[int][]Review
	files   map[int][]string
	// statuses of commits, oldest first
	statuses map[string][]Status
	// Writes counts the requests that changed state, by "METHOD route".
	writes map[string]int
	talk   talk // issues, comments and review requests (issues.go)
}

// Commit is a commit the server holds.
type Commit struct {
	SHA, Tree, Message string
	Parents            []string
	// Author and Committer are the GitHub accounts the commit's author and
	// committer stand for ("" for none).
	Author, Committer string
	// Signed is set for commits made through the API without author or
	// committer, which GitHub signs and shows as verified.
	Signed bool
	raw    string // the commit object, for commits made through the API
}

// Status is a commit status, with the account that set it.
type Status struct {
	Context, State, Description, Creator string
}

// Pull is a pull request.
type Pull struct {
	Number int    `json:"number"`
	State  string `json:"state"`
	Title  string `json:"title"`
	Body   string `json:"body"`
	Head   string `json:"-"`
	Base   string `json:"-"`
	// HeadSHA is the head commit of a pull request whose branch the
	// server does not hold (set by Push); else the branch's ref is.
	HeadSHA          string `json:"-"`
	Author           string `json:"-"`
	MaintainerCanMod bool   `json:"maintainer_can_modify"`
}

// Review is a pull request review. CommitID is the pull request's head
// when it was given, as GitHub records it.
type Review struct {
	Login, State, CommitID string
}

type treeEntry struct {
	name, mode, sha string
}

// New starts a fake API for owner/repo; it stops when the test ends.
func New(tb testing.TB, owner, repo string) *Server {
	s := &Server{
		Owner: owner, Repo: repo, PerPage: 30, Bot: "github-actions[bot]",
		blobs: map[string][]byte{}, trees: map[string][]treeEntry{}, commits: map[string]*Commit{},
		refs: map[string]string{}, reviews: map[int][]Review{}, files: map[int][]string{}, statuses: map[string][]Status{},
		writes: map[string]int{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// --- git objects, hashed as git does -------------------------------------

func hashObject(kind string, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Server) putBlob(data []byte) string {
	sha := hashObject("blob", data)
	s.blobs[sha] = append([]byte(nil), data...)
	return sha
}

// putTree stores a tree of entries, in git's order (a folder sorts as if
// its name ended with a slash).
func (s *Server) putTree(entries []treeEntry) string {
	sort.Slice(entries, func(i, j int) bool { return sortName(entries[i]) < sortName(entries[j]) })
	sha := hashObject("tree", treeObject(entries))
	s.trees[sha] = entries
	return sha
}

func treeObject(entries []treeEntry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		raw, _ := hex.DecodeString(e.sha)
		fmt.Fprintf(&b, "%s %s\x00", e.mode, e.name)
		b.Write(raw)
	}
	return b.Bytes()
}

func sortName(e treeEntry) string {
	if e.mode == "40000" {
		return e.name + "/"
	}
	return e.name
}

// flatten lists a tree's files by path: path -> mode and blob.
func (s *Server) flatten(tree, prefix string, out map[string]treeEntry) {
	for _, e := range s.trees[tree] {
		p := path.Join(prefix, e.name)
		if e.mode == "40000" {
			s.flatten(e.sha, p, out)
		} else {
			out[p] = treeEntry{name: p, mode: e.mode, sha: e.sha}
		}
	}
}

// build makes the nested trees of a flat listing and returns the top one.
func (s *Server) build(files map[string]treeEntry) string {
	type dir struct {
		files []treeEntry
		subs  map[string]*dir
	}
	root := &dir{subs: map[string]*dir{}}
	for p, e := range files {
		parts := strings.Split(p, "/")
		d := root
		for _, part := range parts[:len(parts)-1] {
			if d.subs[part] == nil {
				d.subs[part] = &dir{subs: map[string]*dir{}}
			}
			d = d.subs[part]
		}
		d.files = append(d.files, treeEntry{name: parts[len(parts)-1], mode: e.mode, sha: e.sha})
	}
	var write func(d *dir) string
	write = func(d *dir) string {
		entries := append([]treeEntry(nil), d.files...)
		for name, sub := range d.subs {
			entries = append(entries, treeEntry{name: name, mode: "40000", sha: write(sub)})
		}
		return s.putTree(entries)
	}
	return write(root)
}

// putCommit stores a commit made through the API, by the token's owner
// and committed by GitHub, as GitHub writes it.
func (s *Server) putCommit(tree string, parents []string, message string, signed bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	// A fixed time keeps the fake deterministic.
	fmt.Fprintf(&b, "author %s <%s> 1767225600 +0000\n", s.Bot, noreplyAddress(s.Bot))
	b.WriteString("committer GitHub <noreply@github.com> 1767225600 +0000\n\n")
	b.WriteString(message)
	sha := hashObject("commit", []byte(b.String()))
	s.commits[sha] = &Commit{SHA: sha, Tree: tree, Parents: parents, Message: message, Signed: signed,
		Author: s.Bot, Committer: webFlow, raw: b.String()}
	return sha
}

// webFlow is the account GitHub commits as for the web and the API.
const webFlow = "web-flow"

// noreplyAddress is the private e-mail address GitHub gives an account.
func noreplyAddress(login string) string { return "1+" + login + "@users.noreply.github.com" }

// account is the GitHub account an e-mail address stands for, as GitHub
// links commits to accounts: its private address, or GitHub's own for
// web-flow. The fake knows no other addresses.
func account(email string) string {
	if email == "noreply@github.com" {
		return webFlow
	}
	local, ok := strings.CutSuffix(email, "@users.noreply.github.com")
	if !ok {
		return ""
	}
	if _, login, ok := strings.Cut(local, "+"); ok {
		return login
	}
	return local
}

// --- setting up and inspecting state ------------------------------------

// ImportHead copies the commit checked out in the git work tree dir (its
// files; its parents by name only) and points branch at it, as if the
// clone had been pushed. It fails the test when the fake's tree hash does
// not match git's.
func (s *Server) ImportHead(tb testing.TB, dir, branch string) string {
	tb.Helper()
	gitOut := func(args ...string) []byte {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			tb.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	head := strings.TrimSpace(string(gitOut("rev-parse", "HEAD")))
	tree := strings.TrimSpace(string(gitOut("rev-parse", "HEAD^{tree}")))
	parents := strings.Fields(string(gitOut("log", "-1", "--format=%P", "HEAD")))
	message := string(gitOut("log", "-1", "--format=%B", "HEAD"))
	emails := strings.Fields(string(gitOut("log", "-1", "--format=%ae %ce", "HEAD")))
	s.mu.Lock()
	defer s.mu.Unlock()
	// Every blob through one git cat-file --batch: a process per file
	// would cost more than the rest of a test.
	var entries []treeEntry
	var batch bytes.Buffer
	for _, rec := range strings.Split(strings.TrimSuffix(string(gitOut("ls-tree", "-r", "-z", "HEAD")), "\x00"), "\x00") {
		if rec == "" {
			continue
		}
		meta, p, _ := strings.Cut(rec, "\t")
		f := strings.Fields(meta) // mode type sha
		entries = append(entries, treeEntry{name: p, mode: f[0], sha: f[2]})
		batch.WriteString(f[2] + "\n")
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = dir
	cmd.Stdin = &batch
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git cat-file --batch: %v", err)
	}
	files := map[string]treeEntry{}
	for _, e := range entries {
		// Each object: "<sha> <type> <size>\n<content>\n".
		header, rest, _ := bytes.Cut(out, []byte("\n"))
		f := strings.Fields(string(header))
		size, err := strconv.Atoi(f[len(f)-1])
		if err != nil || len(f) != 3 || f[0] != e.sha || len(rest) < size+1 {
			tb.Fatalf("git cat-file --batch: unexpected %q", header)
		}
		e.sha = s.putBlob(rest[:size])
		files[e.name] = e
		out = rest[size+1:]
	}
	if got := s.build(files); got != tree {
		tb.Fatalf("the fake hashes HEAD's tree as %s, git as %s", got, tree)
	}
	// Pushed, not made by GitHub: unsigned, whatever names it gives.
	s.commits[head] = &Commit{SHA: head, Tree: tree, Parents: parents, Message: message, Author: account(emails[0]), Committer: account(emails[1])}
	s.refs["heads/"+branch] = head
	return head
}

// Fetch copies a commit the server holds into the git repository at dir,
// with the trees and files it lacks, as git fetch does, so that a clone
// can check out what was made through the API.
func (s *Server) Fetch(tb testing.TB, dir, sha string) {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	type object struct{ kind, sha string }
	var objects []object
	var walk func(tree string)
	walk = func(tree string) {
		objects = append(objects, object{"tree", tree})
		for _, e := range s.trees[tree] {
			if e.mode == "40000" {
				walk(e.sha)
			} else {
				objects = append(objects, object{"blob", e.sha})
			}
		}
	}
	c := s.commits[sha]
	if c == nil {
		tb.Fatalf("the fake holds no commit %s", sha)
	}
	walk(c.Tree)
	objects = append(objects, object{"commit", sha})
	var query strings.Builder
	for _, o := range objects {
		query.WriteString(o.sha + "\n")
	}
	check := exec.Command("git", "cat-file", "--batch-check=%(objectname)")
	check.Dir, check.Stdin = dir, strings.NewReader(query.String())
	out, err := check.Output()
	if err != nil {
		tb.Fatalf("git cat-file: %v", err)
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if !strings.HasSuffix(line, " missing") {
			continue
		}
		o := objects[i]
		var data []byte
		switch o.kind {
		case "blob":
			data = s.blobs[o.sha]
		case "tree":
			data = treeObject(s.trees[o.sha])
		default:
			if c.raw == "" {
				tb.Fatalf("commit %s was pushed to the fake, not made by it: the clone should have it", sha)
			}
			data = []byte(c.raw)
		}
		write := exec.Command("git", "hash-object", "-w", "-t", o.kind, "--stdin")
		write.Dir, write.Stdin = dir, bytes.NewReader(data)
		got, err := write.Output()
		if err != nil || strings.TrimSpace(string(got)) != o.sha {
			tb.Fatalf("writing %s %s into the clone: %q, %v", o.kind, o.sha, got, err)
		}
	}
}

// Ref returns the commit a ref ("heads/main") points at, or "".
func (s *Server) Ref(ref string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refs[ref]
}

// Commit returns a commit the server holds, or nil.
func (s *Server) Commit(sha string) *Commit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commits[sha]
}

// Files returns the files of a commit by path.
func (s *Server) Files(commit string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.commits[commit]
	if c == nil {
		return nil
	}
	flat := map[string]treeEntry{}
	s.flatten(c.Tree, "", flat)
	out := map[string]string{}
	for p, e := range flat {
		out[p] = string(s.blobs[e.sha])
	}
	return out
}

// AddPull opens a pull request from head into base and returns its number.
func (s *Server) AddPull(author, head, base string, files ...string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := &Pull{Number: s.nextNumber(), State: "open", Title: "Pull request", Head: head, Base: base, Author: author}
	s.pulls = append(s.pulls, pr)
	s.files[pr.Number] = files
	return pr.Number
}

// AddReview adds a review (APPROVED, CHANGES_REQUESTED, COMMENTED,
// DISMISSED) to a pull request, after the ones before, on its head commit.
func (s *Server) AddReview(number int, login, state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	commit := ""
	if p := s.findPull(strconv.Itoa(number)); p != nil {
		commit = s.headSHA(p)
	}
	s.reviews[number] = append(s.reviews[number], Review{Login: login, State: state, CommitID: commit})
	s.talk.answered(number, login)
}

// Push moves a pull request's head to a commit, as pushing to its branch
// does, for branches the server does not hold.
func (s *Server) Push(number int, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findPull(strconv.Itoa(number)).HeadSHA = sha
}

// AddStatus sets a status on a commit as someone else does, Creator
// being the account that sets it.
func (s *Server) AddStatus(sha string, st Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses[sha] = append(s.statuses[sha], st)
}

// Statuses returns the statuses of a commit, oldest first.
func (s *Server) Statuses(sha string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Status(nil), s.statuses[sha]...)
}

// SetRef points a ref ("heads/main") at a commit, as a push elsewhere
// does; the commit need not be one the server holds.
func (s *Server) SetRef(ref, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refs[ref] = sha
}

func (s *Server) headSHA(p *Pull) string {
	if p.HeadSHA != "" {
		return p.HeadSHA
	}
	return s.refs["heads/"+p.Head]
}

// Pulls returns a copy of every pull request, by number.
func (s *Server) Pulls() []Pull {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Pull, len(s.pulls))
	for i, p := range s.pulls {
		out[i] = *p
	}
	return out
}

// Writes returns how many requests changed state, by "METHOD route" such
// as "POST git/commits", and resets the count.
func (s *Server) Writes() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.writes
	s.writes = map[string]int{}
	return w
}

// --- the API -------------------------------------------------------------

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	prefix := "/repos/" + s.Owner + "/" + s.Repo + "/"
	route, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok {
		notFound(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refused(w, r) {
		return
	}
	if r.Method != http.MethodGet {
		s.writes[r.Method+" "+routeName(route)]++
	}
	var body map[string]any
	if r.Body != nil && r.Method != http.MethodGet {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil && err.Error() != "EOF" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
			return
		}
	}
	parts := strings.Split(route, "/")
	switch {
	case r.Method == "GET" && strings.HasPrefix(route, "git/ref/"):
		s.getRef(w, strings.TrimPrefix(route, "git/ref/"))
	case r.Method == "POST" && route == "git/refs":
		s.createRef(w, body)
	case r.Method == "PATCH" && strings.HasPrefix(route, "git/refs/"):
		s.updateRef(w, strings.TrimPrefix(route, "git/refs/"), body)
	case r.Method == "DELETE" && strings.HasPrefix(route, "git/refs/"):
		delete(s.refs, strings.TrimPrefix(route, "git/refs/"))
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "POST" && route == "git/blobs":
		s.createBlob(w, body)
	case r.Method == "GET" && len(parts) == 3 && parts[1] == "blobs":
		s.getBlob(w, parts[2])
	case r.Method == "POST" && route == "git/trees":
		s.createTree(w, body)
	case r.Method == "GET" && len(parts) == 3 && parts[1] == "trees":
		s.getTree(w, parts[2])
	case r.Method == "POST" && route == "git/commits":
		s.createCommit(w, body)
	case r.Method == "GET" && len(parts) == 3 && parts[1] == "commits":
		s.getCommit(w, parts[2])
	case r.Method == "GET" && len(parts) == 2 && parts[0] == "commits":
		s.getRepoCommit(w, parts[1])
	case r.Method == "GET" && len(parts) == 3 && parts[0] == "commits" && parts[2] == "statuses":
		s.listStatuses(w, r, parts[1])
	case r.Method == "POST" && len(parts) == 2 && parts[0] == "statuses":
		s.createStatus(w, parts[1], body)
	case r.Method == "GET" && route == "pulls":
		s.listPulls(w, r)
	case r.Method == "POST" && route == "pulls":
		s.createPull(w, body)
	case len(parts) == 2 && parts[0] == "pulls":
		s.pull(w, r, parts[1], body)
	case r.Method == "GET" && len(parts) == 3 && parts[0] == "pulls" && parts[2] == "reviews":
		s.listReviews(w, r, parts[1])
	case r.Method == "GET" && len(parts) == 3 && parts[0] == "pulls" && parts[2] == "files":
		s.listFiles(w, r, parts[1])
	case r.Method == "GET" && len(parts) == 3 && parts[0] == "pulls" && parts[2] == "commits":
		s.listPullCommits(w, r, parts[1])
	default:
		if !s.conversation(w, r, route, body) {
			notFound(w)
		}
	}
}

// routeName names a route without its variable parts.
func routeName(route string) string {
	switch {
	case strings.HasPrefix(route, "git/refs/"):
		return "git/refs"
	case strings.HasPrefix(route, "pulls/"):
		return "pulls/N"
	case strings.HasPrefix(route, "statuses/"):
		return "statuses"
	}
	return route
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
}

func invalid(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": msg})
}

func (s *Server) url(p string) string {
	return s.Server.URL + "/repos/" + s.Owner + "/" + s.Repo + "/" + p
}

func (s *Server) htmlURL(p string) string {
	return "https://github.example/" + s.Owner + "/" + s.Repo + "/" + p
}

func (s *Server) refJSON(ref string) map[string]any {
	return map[string]any{"ref": "refs/" + ref, "url": s.url("git/refs/" + ref),
		"object": map[string]any{"type": "commit", "sha": s.refs[ref], "url": s.url("git/commits/" + s.refs[ref])}}
}

func (s *Server) getRef(w http.ResponseWriter, ref string) {
	if _, ok := s.refs[ref]; !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.refJSON(ref))
}

func (s *Server) createRef(w http.ResponseWriter, body map[string]any) {
	ref, _ := body["ref"].(string)
	sha, _ := body["sha"].(string)
	name, ok := strings.CutPrefix(ref, "refs/")
	switch {
	case !ok || strings.Count(name, "/") < 1:
		invalid(w, "Reference name must start with 'refs/' and have at least two slashes.")
	case s.commits[sha] == nil:
		invalid(w, "Object does not exist")
	case s.refs[name] != "":
		invalid(w, "Reference already exists")
	default:
		s.refs[name] = sha
		writeJSON(w, http.StatusCreated, s.refJSON(name))
	}
}

func (s *Server) updateRef(w http.ResponseWriter, ref string, body map[string]any) {
	sha, _ := body["sha"].(string)
	force, _ := body["force"].(bool)
	switch {
	case s.refs[ref] == "":
		invalid(w, "Reference does not exist")
	case s.commits[sha] == nil:
		invalid(w, "Object does not exist")
	case !force && !s.descends(sha, s.refs[ref]):
		invalid(w, "Update is not a fast forward")
	default:
		s.refs[ref] = sha
		writeJSON(w, http.StatusOK, s.refJSON(ref))
	}
}

func (s *Server) descends(sha, ancestor string) bool {
	for seen := map[string]bool{}; sha != "" && !seen[sha]; {
		if sha == ancestor {
			return true
		}
		seen[sha] = true
		c := s.commits[sha]
		if c == nil || len(c.Parents) == 0 {
			return false
		}
		sha = c.Parents[0]
	}
	return false
}

func (s *Server) createBlob(w http.ResponseWriter, body map[string]any) {
	content, _ := body["content"].(string)
	data := []byte(content)
	if enc, _ := body["encoding"].(string); enc == "base64" {
		var err error
		if data, err = base64.StdEncoding.DecodeString(content); err != nil {
			invalid(w, "Invalid base64 content")
			return
		}
	}
	sha := s.putBlob(data)
	writeJSON(w, http.StatusCreated, map[string]any{"sha": sha, "url": s.url("git/blobs/" + sha)})
}

func (s *Server) getBlob(w http.ResponseWriter, sha string) {
	data, ok := s.blobs[sha]
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sha": sha, "size": len(data), "encoding": "base64", "content": base64.StdEncoding.EncodeToString(data)})
}

func (s *Server) createTree(w http.ResponseWriter, body map[string]any) {
	files := map[string]treeEntry{}
	if base, _ := body["base_tree"].(string); base != "" {
		if _, ok := s.trees[base]; !ok {
			invalid(w, "Invalid tree info: base_tree "+base+" does not exist")
			return
		}
		s.flatten(base, "", files)
	}
	entries, _ := body["tree"].([]any)
	for _, raw := range entries {
		e, _ := raw.(map[string]any)
		p, _ := e["path"].(string)
		mode, _ := e["mode"].(string)
		if p == "" || path.Clean(p) != p || strings.HasPrefix(p, "/") {
			invalid(w, "Invalid tree info: bad path "+strconv.Quote(p))
			return
		}
		sha, hasSHA := e["sha"]
		content, hasContent := e["content"].(string)
		switch {
		case hasContent:
			files[p] = treeEntry{name: p, mode: mode, sha: s.putBlob([]byte(content))}
		case hasSHA && sha == nil:
			if _, ok := files[p]; !ok {
				invalid(w, "Invalid tree info: cannot delete "+p+": not in the base tree")
				return
			}
			delete(files, p)
		case hasSHA:
			blob, _ := sha.(string)
			if _, ok := s.blobs[blob]; !ok {
				invalid(w, "Invalid tree info: blob "+blob+" does not exist")
				return
			}
			files[p] = treeEntry{name: p, mode: mode, sha: blob}
		default:
			invalid(w, "Invalid tree info: an entry needs sha or content")
			return
		}
	}
	sha := s.build(files)
	s.getTree(w, sha, http.StatusCreated)
}

func (s *Server) getTree(w http.ResponseWriter, sha string, status ...int) {
	entries, ok := s.trees[sha]
	if !ok {
		notFound(w)
		return
	}
	list := []map[string]any{}
	for _, e := range entries {
		kind := "blob"
		if e.mode == "40000" {
			kind = "tree"
		}
		list = append(list, map[string]any{"path": e.name, "mode": e.mode, "type": kind, "sha": e.sha})
	}
	code := http.StatusOK
	if len(status) > 0 {
		code = status[0]
	}
	writeJSON(w, code, map[string]any{"sha": sha, "url": s.url("git/trees/" + sha), "tree": list, "truncated": false})
}

func (s *Server) createCommit(w http.ResponseWriter, body map[string]any) {
	tree, _ := body["tree"].(string)
	message, _ := body["message"].(string)
	if _, ok := s.trees[tree]; !ok {
		invalid(w, "Tree SHA does not exist")
		return
	}
	var parents []string
	raw, _ := body["parents"].([]any)
	for _, p := range raw {
		sha, _ := p.(string)
		if s.commits[sha] == nil {
			invalid(w, "Parent SHA does not exist or is not a commit object")
			return
		}
		parents = append(parents, sha)
	}
	_, hasAuthor := body["author"]
	_, hasCommitter := body["committer"]
	sha := s.putCommit(tree, parents, message, !hasAuthor && !hasCommitter)
	s.writeCommit(w, http.StatusCreated, sha)
}

func (s *Server) getCommit(w http.ResponseWriter, sha string) {
	if s.commits[sha] == nil {
		notFound(w)
		return
	}
	s.writeCommit(w, http.StatusOK, sha)
}

func (s *Server) writeCommit(w http.ResponseWriter, status int, sha string) {
	c := s.commits[sha]
	parents := []map[string]any{}
	for _, p := range c.Parents {
		parents = append(parents, map[string]any{"sha": p, "url": s.url("git/commits/" + p)})
	}
	writeJSON(w, status, map[string]any{
		"sha": c.SHA, "url": s.url("git/commits/" + c.SHA), "message": c.Message,
		"tree":         map[string]any{"sha": c.Tree, "url": s.url("git/trees/" + c.Tree)},
		"parents":      parents,
		"verification": map[string]any{"verified": c.Signed, "reason": map[bool]string{true: "valid", false: "unsigned"}[c.Signed]},
	})
}

// repoCommitJSON is a commit as the repository's commits API shows it:
// with the accounts of its author and committer, and GitHub's verdict on
// its signature.
func (s *Server) repoCommitJSON(c *Commit) map[string]any {
	user := func(login string) any {
		if login == "" {
			return nil
		}
		kind := "User"
		if strings.HasSuffix(login, "[bot]") {
			kind = "Bot"
		}
		return map[string]any{"login": login, "type": kind}
	}
	parents := []map[string]any{}
	for _, p := range c.Parents {
		parents = append(parents, map[string]any{"sha": p, "url": s.url("commits/" + p)})
	}
	return map[string]any{
		"sha": c.SHA, "url": s.url("commits/" + c.SHA), "html_url": s.htmlURL("commit/" + c.SHA),
		"commit": map[string]any{
			"message":      c.Message,
			"tree":         map[string]any{"sha": c.Tree, "url": s.url("git/trees/" + c.Tree)},
			"verification": map[string]any{"verified": c.Signed, "reason": map[bool]string{true: "valid", false: "unsigned"}[c.Signed]},
		},
		"author": user(c.Author), "committer": user(c.Committer), "parents": parents,
	}
}

// resolve is the commit a ref names: a branch's head, or the commit itself.
func (s *Server) resolve(ref string) string {
	if head := s.refs["heads/"+ref]; head != "" {
		return head
	}
	return ref
}

func (s *Server) getRepoCommit(w http.ResponseWriter, ref string) {
	c := s.commits[s.resolve(ref)]
	if c == nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "No commit found for SHA: " + ref})
		return
	}
	writeJSON(w, http.StatusOK, s.repoCommitJSON(c))
}

// listPullCommits lists the commits of a pull request as GitHub does: those
// its head has that its base branch does not, oldest first.
func (s *Server) listPullCommits(w http.ResponseWriter, r *http.Request, number string) {
	p := s.findPull(number)
	if p == nil {
		notFound(w)
		return
	}
	inBase := map[string]bool{}
	var mark func(sha string)
	mark = func(sha string) {
		if c := s.commits[sha]; c != nil && !inBase[sha] {
			inBase[sha] = true
			for _, parent := range c.Parents {
				mark(parent)
			}
		}
	}
	mark(s.refs["heads/"+p.Base])
	var items []any
	seen := map[string]bool{}
	var walk func(sha string)
	walk = func(sha string) {
		c := s.commits[sha]
		if c == nil || inBase[sha] || seen[sha] {
			return
		}
		seen[sha] = true
		for _, parent := range c.Parents {
			walk(parent)
		}
		items = append(items, s.repoCommitJSON(c))
	}
	walk(s.headSHA(p))
	s.page(w, r, items)
}

func (s *Server) createStatus(w http.ResponseWriter, sha string, body map[string]any) {
	st := Status{Creator: s.Bot}
	st.State, _ = body["state"].(string)
	st.Context, _ = body["context"].(string)
	st.Description, _ = body["description"].(string)
	if st.Context == "" {
		st.Context = "default"
	}
	switch {
	case s.commits[sha] == nil:
		invalid(w, "No commit found for SHA: "+sha)
	case st.State != "error" && st.State != "failure" && st.State != "pending" && st.State != "success":
		invalid(w, "Validation Failed: state")
	default:
		s.statuses[sha] = append(s.statuses[sha], st)
		writeJSON(w, http.StatusCreated, statusJSON(st))
	}
}

func statusJSON(st Status) map[string]any {
	return map[string]any{"state": st.State, "context": st.Context, "description": st.Description,
		"creator": map[string]any{"login": st.Creator}}
}

// listStatuses lists the statuses of a commit (or a branch's head), newest
// first, as GitHub does.
func (s *Server) listStatuses(w http.ResponseWriter, r *http.Request, ref string) {
	all := s.statuses[s.resolve(ref)]
	items := []any{}
	for i := len(all) - 1; i >= 0; i-- {
		items = append(items, statusJSON(all[i]))
	}
	s.page(w, r, items)
}

func (s *Server) pullJSON(p *Pull) map[string]any {
	user := func(login string) map[string]any { return map[string]any{"login": login, "type": "User"} }
	return map[string]any{
		"number": p.Number, "state": p.State, "title": p.Title, "body": p.Body,
		"url": s.url(fmt.Sprintf("pulls/%d", p.Number)), "html_url": s.htmlURL(fmt.Sprintf("pull/%d", p.Number)),
		"user":                  user(p.Author),
		"head":                  map[string]any{"ref": p.Head, "label": s.Owner + ":" + p.Head, "sha": s.headSHA(p), "repo": map[string]any{"full_name": s.Owner + "/" + s.Repo}},
		"base":                  map[string]any{"ref": p.Base, "label": s.Owner + ":" + p.Base, "sha": s.refs["heads/"+p.Base], "repo": map[string]any{"full_name": s.Owner + "/" + s.Repo}},
		"maintainer_can_modify": p.MaintainerCanMod,
	}
}

func (s *Server) listPulls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var items []any
	for _, p := range s.pulls {
		if (state != "all" && p.State != state) ||
			(q.Get("head") != "" && q.Get("head") != s.Owner+":"+p.Head) ||
			(q.Get("base") != "" && q.Get("base") != p.Base) {
			continue
		}
		items = append(items, s.pullJSON(p))
	}
	s.page(w, r, items)
}

func (s *Server) createPull(w http.ResponseWriter, body map[string]any) {
	head, _ := body["head"].(string)
	base, _ := body["base"].(string)
	title, _ := body["title"].(string)
	text, _ := body["body"].(string)
	head = strings.TrimPrefix(head, s.Owner+":")
	switch {
	case title == "":
		invalid(w, "Validation Failed: title is missing")
		return
	case s.refs["heads/"+head] == "" || s.refs["heads/"+base] == "":
		invalid(w, "Validation Failed: head or base is not a branch")
		return
	case len([]rune(text)) > 65536:
		invalid(w, "Validation Failed: body is too long (maximum is 65536 characters)")
		return
	}
	for _, p := range s.pulls {
		if p.State == "open" && p.Head == head && p.Base == base {
			invalid(w, "Validation Failed: A pull request already exists for "+s.Owner+":"+head+".")
			return
		}
	}
	mcm, _ := body["maintainer_can_modify"].(bool)
	p := &Pull{Number: s.nextNumber(), State: "open", Title: title, Body: text, Head: head, Base: base, Author: s.Bot, MaintainerCanMod: mcm}
	s.pulls = append(s.pulls, p)
	writeJSON(w, http.StatusCreated, s.pullJSON(p))
}

func (s *Server) findPull(number string) *Pull {
	n, err := strconv.Atoi(number)
	if err != nil {
		return nil
	}
	for _, p := range s.pulls {
		if p.Number == n {
			return p
		}
	}
	return nil
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, number string, body map[string]any) {
	p := s.findPull(number)
	if p == nil {
		notFound(w)
		return
	}
	switch r.Method {
	case "GET":
	case "PATCH":
		if v, ok := body["title"].(string); ok {
			p.Title = v
		}
		if v, ok := body["body"].(string); ok {
			if len([]rune(v)) > 65536 {
				invalid(w, "Validation Failed: body is too long (maximum is 65536 characters)")
				return
			}
			p.Body = v
		}
		if v, ok := body["state"].(string); ok {
			if v != "open" && v != "closed" {
				invalid(w, "Validation Failed: state")
				return
			}
			p.State = v
		}
	default:
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.pullJSON(p))
}

func (s *Server) listReviews(w http.ResponseWriter, r *http.Request, number string) {
	p := s.findPull(number)
	if p == nil {
		notFound(w)
		return
	}
	var items []any
	for i, rv := range s.reviews[p.Number] {
		items = append(items, map[string]any{"id": i + 1, "user": map[string]any{"login": rv.Login}, "state": rv.State, "commit_id": rv.CommitID,
			"html_url": s.htmlURL(fmt.Sprintf("pull/%d#pullrequestreview-%d", p.Number, i+1))})
	}
	s.page(w, r, items)
}

func (s *Server) listFiles(w http.ResponseWriter, r *http.Request, number string) {
	p := s.findPull(number)
	if p == nil {
		notFound(w)
		return
	}
	var items []any
	for _, f := range s.files[p.Number] {
		items = append(items, map[string]any{"filename": f, "status": "modified"})
	}
	s.page(w, r, items)
}

// page writes one page of a list, with a Link header as GitHub's.
func (s *Server) page(w http.ResponseWriter, r *http.Request, items []any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = s.PerPage
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	last := max((len(items)+per-1)/per, 1)
	link := func(n int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		v.Set("per_page", strconv.Itoa(per))
		u.RawQuery = v.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	from, to := min((page-1)*per, len(items)), min(page*per, len(items))
	out := items[from:to]
	if out == nil {
		out = []any{}
	}
	writeJSON(w, http.StatusOK, out)
}
