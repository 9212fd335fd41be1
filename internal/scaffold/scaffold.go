// Package scaffold holds the files of a new program repository, as tally
// init writes them: the ledger's rules and thresholds, the lead's person
// file, the workflows that run tally's Action, CODEOWNERS and a README.
package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"text/template"

	"github.com/tallyledger/tally/internal/ledger"
)

// The templates use {% %}: workflows are full of GitHub's ${{ }}.
//
//go:embed all:files
var files embed.FS

// Options are what a new program's files say.
type Options struct {
	Name      string // the program's name
	Lead      string // the GitHub login of its first lead
	ActionRef string // the ref of tally's Action the workflows use: a release tag or a commit
}

// File is one file of the repository, at its slash path.
type File struct {
	Path string
	Data []byte
}

var (
	login     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)
	actionRef = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)
)

// CheckLogin says what is wrong with a GitHub login, or nil.
func CheckLogin(s string) error {
	if !login.MatchString(s) {
		return fmt.Errorf("%q is not a GitHub login: letters, digits and single hyphens, at most 39, not starting or ending with a hyphen", s)
	}
	return nil
}

// PersonID is the id of the person file of a GitHub login.
func PersonID(login string) string { return strings.ToLower(login) }

// Files are the repository's files in path order.
func Files(o Options) ([]File, error) {
	if strings.TrimSpace(o.Name) == "" || strings.ContainsAny(o.Name, "\n\r") {
		return nil, fmt.Errorf("the program's name must be one line of text, not %q", o.Name)
	}
	if err := CheckLogin(o.Lead); err != nil {
		return nil, err
	}
	if !actionRef.MatchString(o.ActionRef) || strings.Contains(o.ActionRef, "..") {
		return nil, fmt.Errorf("%q is not a ref of tally's Action (a tag such as v1.2.3 or a commit)", o.ActionRef)
	}
	data := map[string]string{
		"Name":   o.Name,
		"Lead":   o.Lead,
		"LeadID": PersonID(o.Lead),
		"Action": "tallyledger/tally@" + o.ActionRef,
	}
	funcs := template.FuncMap{"yaml": ledger.Scalar}
	var out []File
	err := fs.WalkDir(files, "files", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		text, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		t, err := template.New(p).Delims("{%", "%}").Funcs(funcs).Option("missingkey=error").Parse(string(text))
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "files/")
		if rel == "ledger/people/lead.yaml" {
			rel = path.Join("ledger/people", data["LeadID"]+".yaml")
		}
		out = append(out, File{Path: rel, Data: b.Bytes()})
		return nil
	})
	return out, err
}
