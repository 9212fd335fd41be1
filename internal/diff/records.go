package diff

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
)

// RecordChange is one record the change adds, removes or edits: a credit
// or a payment by id, any other record by its file.
type RecordChange struct {
	// Path is the file, inside the ledger.
	Path string `json:"path"`
	// Record is what the file or entry holds: credit, payment, person,
	// organization, program, thresholds, application, conduct, roadmap,
	// source, note, or file when it holds nothing readable.
	Record string `json:"record"`
	// ID of a credit or a payment.
	ID string `json:"id,omitempty"`
	// Change is added, removed, edited or moved (a credit or payment that
	// left the file From for Path, perhaps edited on the way).
	Change string `json:"change"`
	From   string `json:"from,omitempty"`
	// Fields lists what an edit changed.
	Fields []FieldChange `json:"fields,omitempty"`
}

// FieldChange is one changed field, with its values when they are short
// and say nothing about a person (a credit's kind or date, a payment's
// amount).
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// shownValues are the fields of credits and payments whose values an edit
// shows. Who did something, titles and links stay out: an anonymous
// person's handle must not appear.
var shownValues = map[string]bool{"kind": true, "date": true, "org": true, "project": true, "amount": true, "currency": true, "source": true}

// records compares the records of the changed files at both revisions.
func records(changes []gitrev.Change, before, after *ledger.Ledger) []RecordChange {
	b, a := byFile(before), byFile(after)
	var out []RecordChange
	var added, removed []RecordChange
	for _, ch := range changes {
		p := ch.Path
		place, err := ledger.Classify(p)
		switch {
		case err == nil && (place.Kind == ledger.CreditsFile || place.Kind == ledger.ClaimFile):
			rs := compareEntries("credit", p, b.credits[p], a.credits[p])
			out, added, removed = byChange(out, added, removed, rs)
		case err == nil && place.Kind == ledger.FundingFile:
			rs := compareEntries("payment", p, b.payments[p], a.payments[p])
			out, added, removed = byChange(out, added, removed, rs)
		case err == nil && place.Kind == ledger.NoteFile:
			out = append(out, RecordChange{Path: p, Record: "note", Change: statusWord(ch.Status)})
		default:
			was, is := b.records[p], a.records[p]
			rc := RecordChange{Path: p, Record: "file", Change: statusWord(ch.Status)}
			switch {
			case was != nil && is != nil:
				rc.Record, rc.Change = recordName(is), "edited"
				rc.Fields = compareFields(reflect.ValueOf(was).Elem(), reflect.ValueOf(is).Elem(), false)
				if p, ok := was.(*ledger.Program); ok {
					rc.Fields = scoringFields(rc.Fields, p, is.(*ledger.Program))
				}
				if len(rc.Fields) == 0 {
					continue // only comments, layout or order changed
				}
			case is != nil:
				rc.Record, rc.Change = recordName(is), "added"
			case was != nil:
				rc.Record, rc.Change = recordName(was), "removed"
			}
			out = append(out, rc)
		}
	}
	// An entry removed from one file and added to another has moved.
	gone := map[string]int{}
	for i, r := range removed {
		gone[r.Record+"\x00"+r.ID] = i
	}
	moved := map[int]bool{}
	for _, r := range added {
		if i, ok := gone[r.Record+"\x00"+r.ID]; ok && !moved[i] {
			moved[i] = true
			r.Change, r.From = "moved", removed[i].Path
			r.Fields = compareEntry(b.entry(removed[i]), a.entry(r))
		}
		out = append(out, r)
	}
	for i, r := range removed {
		if !moved[i] {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y RecordChange) int {
		if x.Path != y.Path {
			return strings.Compare(x.Path, y.Path)
		}
		if x.Change != y.Change {
			return changeOrder[x.Change] - changeOrder[y.Change]
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out
}

var changeOrder = map[string]int{"added": 0, "moved": 1, "edited": 2, "removed": 3}

func byChange(out, added, removed, rs []RecordChange) ([]RecordChange, []RecordChange, []RecordChange) {
	for _, r := range rs {
		switch r.Change {
		case "added":
			added = append(added, r)
		case "removed":
			removed = append(removed, r)
		default:
			out = append(out, r)
		}
	}
	return out, added, removed
}

func statusWord(s gitrev.Status) string {
	switch s {
	case 'A':
		return "added"
	case 'D':
		return "removed"
	}
	return "edited"
}

// files holds a ledger's records by the file they come from.
type files struct {
	credits  map[string][]*ledger.Credit
	payments map[string][]*ledger.Payment
	records  map[string]any
}

func byFile(l *ledger.Ledger) files {
	f := files{credits: map[string][]*ledger.Credit{}, payments: map[string][]*ledger.Payment{}, records: map[string]any{}}
	for i := range l.Credits {
		c := &l.Credits[i]
		p := l.Files[c.File]
		f.credits[p] = append(f.credits[p], c)
	}
	for i := range l.Payments {
		c := &l.Payments[i]
		p := l.Files[c.File]
		f.payments[p] = append(f.payments[p], c)
	}
	add := func(loc ledger.Loc, r any) { f.records[l.Files[loc.File]] = r }
	if l.Program != nil {
		add(l.Program.Loc, l.Program)
	}
	if l.Thresholds != nil {
		add(l.Thresholds.Loc, l.Thresholds)
	}
	for _, r := range l.People {
		add(r.Loc, r)
	}
	for _, r := range l.Organizations {
		add(r.Loc, r)
	}
	for _, r := range l.Applications {
		add(r.Loc, r)
	}
	for _, r := range l.Conduct {
		add(r.Loc, r)
	}
	for _, r := range l.Roadmap {
		add(r.Loc, r)
	}
	for _, r := range l.Sources {
		add(r.Loc, r)
	}
	return f
}

// entry finds the credit or payment a change is about.
func (f files) entry(r RecordChange) any {
	if r.Record == "credit" {
		for _, c := range f.credits[r.Path] {
			if c.ID == r.ID {
				return c
			}
		}
	}
	for _, p := range f.payments[r.Path] {
		if p.ID == r.ID {
			return p
		}
	}
	return nil
}

func recordName(r any) string {
	switch r.(type) {
	case *ledger.Program:
		return "program"
	case *ledger.Thresholds:
		return "thresholds"
	case *ledger.Person:
		return "person"
	case *ledger.Organization:
		return "organization"
	case *ledger.Application:
		return "application"
	case *ledger.Conduct:
		return "conduct"
	case *ledger.RoadmapItem:
		return "roadmap"
	case *ledger.SourceState:
		return "source"
	}
	return "file"
}

// identified is a credit or a payment.
type identified interface {
	*ledger.Credit | *ledger.Payment
}

func idOf[T identified](r T) string {
	switch r := any(r).(type) {
	case *ledger.Credit:
		return r.ID
	case *ledger.Payment:
		return r.ID
	}
	return ""
}

// compareEntries compares the entries of one file at both revisions by id.
func compareEntries[T identified](record, path string, before, after []T) []RecordChange {
	was := make(map[string]T, len(before))
	for _, r := range before {
		if _, dup := was[idOf(r)]; !dup {
			was[idOf(r)] = r
		}
	}
	var out []RecordChange
	seen := make(map[string]bool, len(after))
	for _, r := range after {
		id := idOf(r)
		if seen[id] {
			continue
		}
		seen[id] = true
		old, ok := was[id]
		if !ok {
			out = append(out, RecordChange{Path: path, Record: record, ID: id, Change: "added"})
			continue
		}
		if fields := compareEntry(old, r); len(fields) > 0 {
			out = append(out, RecordChange{Path: path, Record: record, ID: id, Change: "edited", Fields: fields})
		}
	}
	for _, r := range before {
		if id := idOf(r); !seen[id] {
			seen[id] = true
			out = append(out, RecordChange{Path: path, Record: record, ID: id, Change: "removed"})
		}
	}
	return out
}

func compareEntry(before, after any) []FieldChange {
	if before == nil || after == nil {
		return nil
	}
	return compareFields(reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem(), true)
}

var (
	posType = reflect.TypeFor[ledger.Pos]()
	locType = reflect.TypeFor[ledger.Loc]()
)

// compareFields lists the fields of two records of one type that differ,
// by their names in the ledger's files. Where things are written (Loc, Pos)
// is no part of a record's meaning.
func compareFields(a, b reflect.Value, values bool) []FieldChange {
	var out []FieldChange
	t := a.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if skipField(f) || f.Name == "ID" {
			continue
		}
		x, y := a.Field(i), b.Field(i)
		if equal(x, y) {
			continue
		}
		fc := FieldChange{Field: fieldName(f.Name)}
		if values && shownValues[fc.Field] {
			fc.Before, fc.After = scalar(x), scalar(y)
		}
		out = append(out, fc)
	}
	return out
}

func skipField(f reflect.StructField) bool {
	return f.Type == posType || f.Type == locType || strings.HasSuffix(f.Name, "Pos")
}

// equal is reflect.DeepEqual that ignores positions and takes nil and empty
// slices and maps as equal.
func equal(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !skipField(a.Type().Field(i)) && !equal(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equal(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for it := a.MapRange(); it.Next(); {
			v := b.MapIndex(it.Key())
			if !v.IsValid() || !equal(it.Value(), v) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equal(a.Elem(), b.Elem())
	}
	return a.Interface() == b.Interface()
}

func scalar(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map, reflect.Pointer:
		return ""
	}
	return fmt.Sprint(v.Interface())
}

// fieldNames are the fields whose names in the files are not their Go
// names in snake case.
var fieldNames = map[string]string{"Ended": "partner.ended", "EndReason": "partner.reason"}

// fieldName turns a Go field name into its key in the files: LeadURL is
// lead_url.
func fieldName(s string) string {
	if n, ok := fieldNames[s]; ok {
		return n
	}
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 && (unicode.IsLower(r[i-1]) || (i+1 < len(r) && unicode.IsLower(r[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// scoringFields replaces a program's changed "scoring" with what changed
// in it, period by period (named by their from dates), so that a rules
// change says what it changes: "scoring[2025-07-01].kinds.review.weight
// 3 → 1", "scoring[2026-04-01] (added)".
func scoringFields(fields []FieldChange, was, is *ledger.Program) []FieldChange {
	i := slices.IndexFunc(fields, func(f FieldChange) bool { return f.Field == "scoring" })
	if i < 0 {
		return fields
	}
	var out []FieldChange
	byFrom := func(p *ledger.Program) map[ledger.Date]*ledger.ScoringPeriod {
		m := map[ledger.Date]*ledger.ScoringPeriod{}
		for k := range p.Scoring {
			m[p.Scoring[k].From] = &p.Scoring[k] // the last of a day, as scores take it
		}
		return m
	}
	before, after := byFrom(was), byFrom(is)
	for _, from := range slices.Sorted(maps.Keys(mergeKeys(before, after))) {
		a, b := before[from], after[from]
		name := "scoring[" + from.String() + "]"
		switch {
		case a == nil:
			out = append(out, FieldChange{Field: name + " (added)"})
		case b == nil:
			out = append(out, FieldChange{Field: name + " (removed)"})
		default:
			out = append(out, periodFields(name, a, b)...)
		}
	}
	if len(out) == 0 {
		out = []FieldChange{fields[i]} // periods reordered, or repeated on a day
	}
	return slices.Concat(fields[:i], out, fields[i+1:])
}

func periodFields(name string, a, b *ledger.ScoringPeriod) []FieldChange {
	var out []FieldChange
	// value records a changed number; a cap of 0 is none, shown as a dash.
	value := func(field string, x, y int, isCap bool) {
		show := strconv.Itoa
		if isCap {
			show = orNothing
		}
		if x != y {
			out = append(out, FieldChange{Field: name + "." + field, Before: show(x), After: show(y)})
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(mergeKeys(a.Kinds, b.Kinds))) {
		x, had := a.Kinds[kind]
		y, has := b.Kinds[kind]
		field := "kinds." + kind
		switch {
		case !had:
			out = append(out, FieldChange{Field: name + "." + field + " (added)"})
		case !has:
			out = append(out, FieldChange{Field: name + "." + field + " (removed)"})
		default:
			value(field+".weight", x.Weight, y.Weight, false)
			value(field+".cap", x.Cap, y.Cap, true)
			if x.Area != y.Area {
				out = append(out, FieldChange{Field: name + "." + field + ".area", Before: x.Area, After: y.Area})
			}
		}
	}
	if !equal(reflect.ValueOf(a.Rules), reflect.ValueOf(b.Rules)) {
		fc := FieldChange{Field: name + ".rules"}
		if len(a.Rules) != len(b.Rules) {
			fc.Before, fc.After = count(len(a.Rules), "rule", "rules"), count(len(b.Rules), "rule", "rules")
		}
		out = append(out, fc)
	}
	value("points_cap", a.PointsCap, b.PointsCap, true)
	return out
}

func mergeKeys[K comparable, V any](a, b map[K]V) map[K]bool {
	m := make(map[K]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// orNothing writes a number, or "" for 0 (no cap), which Markdown shows
// as a dash.
func orNothing(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
