package site

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/atomicfile"
)

// Summary counts what Write did to the files.
type Summary struct {
	Written, Unchanged, Removed int
}

// Write renders the site into the folder out. Each file is replaced
// atomically, and only when its bytes change, so that an unchanged ledger
// leaves the folder untouched. The pages, badges and logos of
// organisations that are no longer partners are removed from out/partners,
// out/badges and out/logos, the shout-outs of months that no longer have
// one from out/shout-outs, and so are the temporary files of a killed run,
// which a .gitignore written into out (when it has none) keeps out of git;
// nothing else is.
func Write(in Input, out, baseURL string) (Summary, error) {
	files, err := Render(in, baseURL)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	dirs := map[string]bool{}
	for _, p := range paths {
		path := filepath.Join(out, filepath.FromSlash(p))
		dirs[filepath.Dir(path)] = true
		changed, err := atomicfile.Update(path, files[p], 0o644)
		switch {
		case err != nil:
			return sum, err
		case changed:
			sum.Written++
		default:
			sum.Unchanged++
		}
	}
	if wrote, err := atomicfile.Tidy(out, slices.Collect(maps.Keys(dirs))...); err != nil {
		return sum, err
	} else if wrote {
		sum.Written++
	}
	for _, folder := range []struct{ dir, ext string }{{"partners", ".html"}, {"badges", ".svg"}, {"organizations", ".html"},
		{"logos", ".svg"}, {"logos", ".png"}, {"shout-outs", ".html"}} {
		entries, err := os.ReadDir(filepath.Join(out, folder.dir))
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return sum, err
		}
		for _, e := range entries {
			name := e.Name()
			id, ok := strings.CutSuffix(name, folder.ext)
			if !ok || !e.Type().IsRegular() || !validID.MatchString(id) || files[folder.dir+"/"+name] != nil {
				continue
			}
			if err := os.Remove(filepath.Join(out, folder.dir, name)); err != nil {
				return sum, err
			}
			sum.Removed++
		}
	}
	return sum, nil
}
