package score

import (
	"errors"
	"path"
	"strconv"
	"strings"
)

// glob is a compiled path pattern of a rule: * matches within a folder
// name, ** any number of folders, ? and [...] as path.Match has them. A
// pattern without a slash matches a file's name in any folder (*.md); one
// with a slash matches from the repository's root (docs/**, /README.md).
type glob struct {
	segs     []string
	anywhere bool
}

func compileGlob(p string) (glob, error) {
	bad := func(why string) (glob, error) { return glob{}, errors.New("pattern " + strconv.Quote(p) + " " + why) }
	if p == "" {
		return bad("is empty")
	}
	if strings.HasSuffix(p, "/") {
		return bad("ends with a slash, but patterns match files: write " + strconv.Quote(p+"**") + " for everything in that folder")
	}
	g := glob{anywhere: !strings.Contains(p, "/")}
	for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		switch {
		case seg == "":
			return bad("has an empty folder name (//)")
		case seg != "**" && strings.Contains(seg, "**"):
			return bad("has ** inside a name; ** stands for whole folders (docs/**, **/generated/**)")
		}
		if _, err := path.Match(seg, ""); err != nil {
			return bad("is not a valid pattern (an unclosed [ or a \\ at its end)")
		}
		g.segs = append(g.segs, seg)
	}
	return g, nil
}

// match tells whether a slash-separated path matches.
func (g glob) match(p string) bool {
	p = strings.TrimPrefix(p, "/")
	if g.anywhere {
		ok, _ := path.Match(g.segs[0], p[strings.LastIndexByte(p, '/')+1:])
		return ok
	}
	return matchSegs(g.segs, p)
}

// matchSegs matches a path's names against pattern segments, where ** is
// any number of folders, and a trailing ** at least one name (everything
// in the folder, as git has it). It walks the path without splitting it:
// rules judge every path of every pull request.
func matchSegs(pat []string, p string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return p != ""
			}
			for {
				if matchSegs(pat[1:], p) {
					return true
				}
				if p == "" {
					return false
				}
				_, p, _ = strings.Cut(p, "/")
			}
		}
		if p == "" {
			return false
		}
		name, rest, _ := strings.Cut(p, "/")
		if ok, _ := path.Match(pat[0], name); !ok {
			return false
		}
		pat, p = pat[1:], rest
	}
	return p == ""
}
