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
		name := p[strings.LastIndexByte(p, '/')+1:]
		ok, _ := path.Match(g.segs[0], name)
		return ok
	}
	return matchSegs(g.segs, strings.Split(p, "/"))
}

// matchSegs matches folder names against pattern segments, where ** is any
// number of folders, and a trailing ** at least one name (everything in the
// folder, as git has it).
func matchSegs(pat, names []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return len(names) > 0
			}
			for i := range len(names) + 1 {
				if matchSegs(pat[1:], names[i:]) {
					return true
				}
			}
			return false
		}
		if len(names) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], names[0]); !ok {
			return false
		}
		pat, names = pat[1:], names[1:]
	}
	return len(names) == 0
}
