package newsletter

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// Summary counts what Write did to the files.
type Summary struct {
	Written, Unchanged, Removed int
}

// Folder is where the newsletters go, under the reports.
const Folder = "newsletter"

// formats are the files of one issue, by extension.
var formats = []struct {
	ext    string
	render func(*Issue) []byte
}{
	{".md", Markdown},
	{".html", HTML},
	{".txt", func(is *Issue) []byte { return []byte(Post(is)) }},
}

// Write writes the newsletter of every month with credits up to asOf into
// out/newsletter: YYYY-MM.md, .html and .txt. As the reports are, each
// file is replaced atomically and only when it changes, and the
// newsletters of months that no longer have one are removed; nothing else
// in the folder is touched.
func Write(b *score.Book, out string, asOf ledger.Month, siteURL string) (Summary, error) {
	dir := filepath.Join(out, Folder)
	var sum Summary
	var mu sync.Mutex // guards sum and keep
	keep := map[string]bool{}
	err := Each(b, asOf, siteURL, func(is *Issue) error {
		for _, f := range formats {
			name := is.Month.String() + f.ext
			changed, err := atomicfile.Update(filepath.Join(dir, name), f.render(is), 0o644)
			if err != nil {
				return err
			}
			mu.Lock()
			keep[name] = true
			if changed {
				sum.Written++
			} else {
				sum.Unchanged++
			}
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return sum, nil
	}
	if wrote, err := atomicfile.Tidy(out, dir); err != nil {
		return sum, err
	} else if wrote {
		sum.Written++
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return sum, err
	}
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		month, err := ledger.ParseMonth(strings.TrimSuffix(name, ext))
		if keep[name] || !e.Type().IsRegular() || err != nil || month.String()+ext != name || !isFormat(ext) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return sum, err
		}
		sum.Removed++
	}
	return sum, nil
}

func isFormat(ext string) bool {
	for _, f := range formats {
		if f.ext == ext {
			return true
		}
	}
	return false
}
