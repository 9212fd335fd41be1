package githubtest

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The Git Data API: refs, blobs, trees and commits.
func (s *Server) gitRoutes() {
	s.route("GET git/ref/{ref...}", (*call).getRef)
	s.route("POST git/refs", (*call).createRef)
	s.route("PATCH git/refs/{ref...}", (*call).updateRef)
	s.route("DELETE git/refs/{ref...}", (*call).deleteRef)
	s.route("POST git/blobs", (*call).createBlob)
	s.route("GET git/blobs/{sha}", (*call).getBlob)
	s.route("POST git/trees", (*call).createTree)
	s.route("GET git/trees/{sha}", func(c *call) { c.writeTree(http.StatusOK, c.r.PathValue("sha")) })
	s.route("POST git/commits", (*call).createCommit)
	s.route("GET git/commits/{sha}", (*call).getCommit)
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

type treeEntry struct {
	name, mode, sha string
}

// --- git objects, hashed as git does -------------------------------------

func hashObject(kind string, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (r *Repository) putBlob(data []byte) string {
	sha := hashObject("blob", data)
	r.blobs[sha] = append([]byte(nil), data...)
	return sha
}

// putTree stores a tree of entries, in git's order (a folder sorts as if
// its name ended with a slash).
func (r *Repository) putTree(entries []treeEntry) string {
	sort.Slice(entries, func(i, j int) bool { return sortName(entries[i]) < sortName(entries[j]) })
	sha := hashObject("tree", treeObject(entries))
	r.trees[sha] = entries
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
func (r *Repository) flatten(tree, prefix string, out map[string]treeEntry) {
	for _, e := range r.trees[tree] {
		p := path.Join(prefix, e.name)
		if e.mode == "40000" {
			r.flatten(e.sha, p, out)
		} else {
			out[p] = treeEntry{name: p, mode: e.mode, sha: e.sha}
		}
	}
}

// build makes the nested trees of a flat listing and returns the top one.
func (r *Repository) build(files map[string]treeEntry) string {
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
		return r.putTree(entries)
	}
	return write(root)
}

// putCommit stores a commit made through the API, by the token's owner
// and committed by GitHub, as GitHub writes it.
func (r *Repository) putCommit(tree string, parents []string, message string, signed bool) string {
	bot := r.s.Bot
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	// A fixed time keeps the fake deterministic.
	fmt.Fprintf(&b, "author %s <%s> 1767225600 +0000\n", bot, noreplyAddress(bot))
	b.WriteString("committer GitHub <noreply@github.com> 1767225600 +0000\n\n")
	b.WriteString(message)
	sha := hashObject("commit", []byte(b.String()))
	r.commits[sha] = &Commit{SHA: sha, Tree: tree, Parents: parents, Message: message, Signed: signed,
		Author: bot, Committer: webFlow, raw: b.String()}
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
func (r *Repository) ImportHead(tb testing.TB, dir, branch string) string {
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
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
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
		e.sha = r.putBlob(rest[:size])
		files[e.name] = e
		out = rest[size+1:]
	}
	if got := r.build(files); got != tree {
		tb.Fatalf("the fake hashes HEAD's tree as %s, git as %s", got, tree)
	}
	// Pushed, not made by GitHub: unsigned, whatever names it gives.
	r.commits[head] = &Commit{SHA: head, Tree: tree, Parents: parents, Message: message, Author: account(emails[0]), Committer: account(emails[1])}
	r.refs["heads/"+branch] = head
	return head
}

// Fetch copies a commit the server holds into the git repository at dir,
// with the trees and files it lacks, as git fetch does, so that a clone
// can check out what was made through the API.
func (r *Repository) Fetch(tb testing.TB, dir, sha string) {
	tb.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	type object struct{ kind, sha string }
	var objects []object
	var walk func(tree string)
	walk = func(tree string) {
		objects = append(objects, object{"tree", tree})
		for _, e := range r.trees[tree] {
			if e.mode == "40000" {
				walk(e.sha)
			} else {
				objects = append(objects, object{"blob", e.sha})
			}
		}
	}
	c := r.commits[sha]
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
			data = r.blobs[o.sha]
		case "tree":
			data = treeObject(r.trees[o.sha])
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
func (r *Repository) Ref(ref string) string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.refs[ref]
}

// SetRef points a ref ("heads/main") at a commit, as a push elsewhere
// does; the commit need not be one the server holds.
func (r *Repository) SetRef(ref, sha string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.refs[ref] = sha
}

// Commit returns a commit the server holds, or nil.
func (r *Repository) Commit(sha string) *Commit {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.commits[sha]
}

// Files returns the files of a commit by path.
func (r *Repository) Files(commit string) map[string]string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	c := r.commits[commit]
	if c == nil {
		return nil
	}
	flat := map[string]treeEntry{}
	r.flatten(c.Tree, "", flat)
	out := map[string]string{}
	for p, e := range flat {
		out[p] = string(r.blobs[e.sha])
	}
	return out
}

// --- the endpoints ------------------------------------------------------

func (r *Repository) refJSON(ref string) map[string]any {
	return map[string]any{"ref": "refs/" + ref, "url": r.apiURL("git/refs/" + ref),
		"object": map[string]any{"type": "commit", "sha": r.refs[ref], "url": r.apiURL("git/commits/" + r.refs[ref])}}
}

func (c *call) getRef() {
	ref := c.r.PathValue("ref")
	if _, ok := c.repo.refs[ref]; !ok {
		c.notFound()
		return
	}
	c.json(http.StatusOK, c.repo.refJSON(ref))
}

func (c *call) createRef() {
	r := c.repo
	sha := c.str("sha")
	name, ok := strings.CutPrefix(c.str("ref"), "refs/")
	switch {
	case !ok || strings.Count(name, "/") < 1:
		c.invalid("Reference name must start with 'refs/' and have at least two slashes.")
	case r.commits[sha] == nil:
		c.invalid("Object does not exist")
	case r.refs[name] != "":
		c.invalid("Reference already exists")
	default:
		r.refs[name] = sha
		c.json(http.StatusCreated, r.refJSON(name))
	}
}

func (c *call) updateRef() {
	r, ref := c.repo, c.r.PathValue("ref")
	sha := c.str("sha")
	force, _ := c.body["force"].(bool)
	switch {
	case r.refs[ref] == "":
		c.invalid("Reference does not exist")
	case r.commits[sha] == nil:
		c.invalid("Object does not exist")
	case !force && !r.descends(sha, r.refs[ref]):
		c.invalid("Update is not a fast forward")
	default:
		r.refs[ref] = sha
		if branch, ok := strings.CutPrefix(ref, "heads/"); ok {
			r.touch(branch)
		}
		c.json(http.StatusOK, r.refJSON(ref))
	}
}

func (c *call) deleteRef() {
	delete(c.repo.refs, c.r.PathValue("ref"))
	c.w.WriteHeader(http.StatusNoContent)
}

func (r *Repository) descends(sha, ancestor string) bool {
	for seen := map[string]bool{}; sha != "" && !seen[sha]; {
		if sha == ancestor {
			return true
		}
		seen[sha] = true
		c := r.commits[sha]
		if c == nil || len(c.Parents) == 0 {
			return false
		}
		sha = c.Parents[0]
	}
	return false
}

func (c *call) createBlob() {
	content := c.str("content")
	data := []byte(content)
	if c.str("encoding") == "base64" {
		var err error
		if data, err = base64.StdEncoding.DecodeString(content); err != nil {
			c.invalid("Invalid base64 content")
			return
		}
	}
	sha := c.repo.putBlob(data)
	c.json(http.StatusCreated, map[string]any{"sha": sha, "url": c.repo.apiURL("git/blobs/" + sha)})
}

func (c *call) getBlob() {
	sha := c.r.PathValue("sha")
	data, ok := c.repo.blobs[sha]
	if !ok {
		c.notFound()
		return
	}
	c.json(http.StatusOK, map[string]any{"sha": sha, "size": len(data), "encoding": "base64", "content": base64.StdEncoding.EncodeToString(data)})
}

func (c *call) createTree() {
	r := c.repo
	files := map[string]treeEntry{}
	if base := c.str("base_tree"); base != "" {
		if _, ok := r.trees[base]; !ok {
			c.invalid("Invalid tree info: base_tree " + base + " does not exist")
			return
		}
		r.flatten(base, "", files)
	}
	entries, _ := c.body["tree"].([]any)
	for _, raw := range entries {
		e, _ := raw.(map[string]any)
		p, _ := e["path"].(string)
		mode, _ := e["mode"].(string)
		if p == "" || path.Clean(p) != p || strings.HasPrefix(p, "/") {
			c.invalid("Invalid tree info: bad path " + strconv.Quote(p))
			return
		}
		sha, hasSHA := e["sha"]
		content, hasContent := e["content"].(string)
		switch {
		case hasContent:
			files[p] = treeEntry{name: p, mode: mode, sha: r.putBlob([]byte(content))}
		case hasSHA && sha == nil:
			if _, ok := files[p]; !ok {
				c.invalid("Invalid tree info: cannot delete " + p + ": not in the base tree")
				return
			}
			delete(files, p)
		case hasSHA:
			blob, _ := sha.(string)
			if _, ok := r.blobs[blob]; !ok {
				c.invalid("Invalid tree info: blob " + blob + " does not exist")
				return
			}
			files[p] = treeEntry{name: p, mode: mode, sha: blob}
		default:
			c.invalid("Invalid tree info: an entry needs sha or content")
			return
		}
	}
	c.writeTree(http.StatusCreated, r.build(files))
}

func (c *call) writeTree(status int, sha string) {
	entries, ok := c.repo.trees[sha]
	if !ok {
		c.notFound()
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
	c.json(status, map[string]any{"sha": sha, "url": c.repo.apiURL("git/trees/" + sha), "tree": list, "truncated": false})
}

func (c *call) createCommit() {
	r := c.repo
	tree := c.str("tree")
	if _, ok := r.trees[tree]; !ok {
		c.invalid("Tree SHA does not exist")
		return
	}
	var parents []string
	raw, _ := c.body["parents"].([]any)
	for _, p := range raw {
		sha, _ := p.(string)
		if r.commits[sha] == nil {
			c.invalid("Parent SHA does not exist or is not a commit object")
			return
		}
		parents = append(parents, sha)
	}
	_, hasAuthor := c.body["author"]
	_, hasCommitter := c.body["committer"]
	c.writeCommit(http.StatusCreated, r.putCommit(tree, parents, c.str("message"), !hasAuthor && !hasCommitter))
}

func (c *call) getCommit() {
	sha := c.r.PathValue("sha")
	if c.repo.commits[sha] == nil {
		c.notFound()
		return
	}
	c.writeCommit(http.StatusOK, sha)
}

func (c *call) writeCommit(status int, sha string) {
	r := c.repo
	cm := r.commits[sha]
	parents := []map[string]any{}
	for _, p := range cm.Parents {
		parents = append(parents, map[string]any{"sha": p, "url": r.apiURL("git/commits/" + p)})
	}
	c.json(status, map[string]any{
		"sha": cm.SHA, "url": r.apiURL("git/commits/" + cm.SHA), "message": cm.Message,
		"tree":         map[string]any{"sha": cm.Tree, "url": r.apiURL("git/trees/" + cm.Tree)},
		"parents":      parents,
		"verification": verification(cm),
	})
}

// verification is GitHub's verdict on a commit's signature.
func verification(c *Commit) map[string]any {
	return map[string]any{"verified": c.Signed, "reason": map[bool]string{true: "valid", false: "unsigned"}[c.Signed]}
}
