package ledger

import (
	"slices"
	"sort"
)

// Merge combines two ledgers loaded from disjoint sets of files of one
// tree into the ledger a single load of all those files gives: files,
// records and notes in path order, every record's FileID pointing into the
// merged Files. It changes neither input; records are copied (shallowly:
// their slices and maps are shared), so that a and b keep their FileIDs.
// This lets a caller load what two revisions share once and merge it with
// what each has of its own.
func Merge(a, b *Ledger) *Ledger {
	files := make([]string, 0, len(a.Files)+len(b.Files))
	files = append(append(files, a.Files...), b.Files...)
	sort.Strings(files)
	newID := func(l *Ledger) []FileID {
		ids := make([]FileID, len(l.Files))
		for i, f := range l.Files {
			j, _ := slices.BinarySearch(files, f)
			ids[i] = FileID(j)
		}
		return ids
	}
	ia, ib := newID(a), newID(b)
	m := &Ledger{
		Files:         files,
		Unloaded:      append(slices.Clone(a.Unloaded), b.Unloaded...),
		Program:       mergeOne(a.Program, b.Program, ia, ib),
		Thresholds:    mergeOne(a.Thresholds, b.Thresholds, ia, ib),
		People:        mergePointers(a.People, b.People, ia, ib),
		Organizations: mergePointers(a.Organizations, b.Organizations, ia, ib),
		Credits:       mergeValues(a.Credits, b.Credits, ia, ib),
		Payments:      mergeValues(a.Payments, b.Payments, ia, ib),
		Applications:  mergePointers(a.Applications, b.Applications, ia, ib),
		Conduct:       mergePointers(a.Conduct, b.Conduct, ia, ib),
		Roadmap:       mergePointers(a.Roadmap, b.Roadmap, ia, ib),
		Sources:       mergePointers(a.Sources, b.Sources, ia, ib),
		Logos:         mergePointers(a.Logos, b.Logos, ia, ib),
		Notes:         make(map[string]string, len(a.Notes)+len(b.Notes)),
	}
	sort.Strings(m.Unloaded)
	for k, v := range a.Notes {
		m.Notes[k] = v
	}
	for k, v := range b.Notes {
		m.Notes[k] = v
	}
	return m
}

// located is a record that knows its file.
type located interface{ file() *FileID }

func (l *Loc) file() *FileID { return &l.File }

// mergeValues merges records held by value. Each input holds its records
// grouped by file, so whole runs of one file move at once.
func mergeValues[T any, P interface {
	*T
	located
}](a, b []T, ia, ib []FileID) []T {
	type run struct {
		records []T
		id      FileID
	}
	var runs []run
	add := func(s []T, ids []FileID) {
		for i := 0; i < len(s); {
			f := *P(&s[i]).file()
			j := i + 1
			for j < len(s) && *P(&s[j]).file() == f {
				j++
			}
			runs = append(runs, run{s[i:j], ids[f]})
			i = j
		}
	}
	add(a, ia)
	add(b, ib)
	slices.SortStableFunc(runs, func(x, y run) int { return int(x.id) - int(y.id) })
	out := make([]T, 0, len(a)+len(b))
	for _, r := range runs {
		start := len(out)
		out = append(out, r.records...)
		for k := start; k < len(out); k++ {
			*P(&out[k]).file() = r.id
		}
	}
	return out
}

// mergePointers merges records held by pointer, copying each record.
func mergePointers[T any, P interface {
	*T
	located
}](a, b []P, ia, ib []FileID) []P {
	out := make([]P, 0, len(a)+len(b))
	for _, side := range []struct {
		s   []P
		ids []FileID
	}{{a, ia}, {b, ib}} {
		for _, r := range side.s {
			c := P(new(T))
			*c = *r
			*c.file() = side.ids[*r.file()]
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(x, y P) int { return int(*x.file()) - int(*y.file()) })
	return out
}

// mergeOne picks the one file's record that either ledger holds.
func mergeOne[T any, P interface {
	*T
	located
}](a, b P, ia, ib []FileID) P {
	r, ids := a, ia
	if r == nil {
		r, ids = b, ib
	}
	if r == nil {
		return nil
	}
	c := P(new(T))
	*c = *r
	*c.file() = ids[*r.file()]
	return c
}
