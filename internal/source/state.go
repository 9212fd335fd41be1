package source

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/ledger"
)

const stateSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/source.schema.json"

// StateFile is where a source keeps its state, inside the ledger.
func StateFile(source string) string { return "sources/" + source + ".yaml" }

// Window is where reading a stream begins and whether its mark (an RFC
// 3339 timestamp, "" for none) may move: from since when it is set, else
// from the mark, else from the beginning (zero). A since later than the
// mark leaves the time between them unread, so the mark stays where it is
// for a later run to read from.
func Window(since time.Time, mark string) (start time.Time, movable bool) {
	old, err := time.Parse(time.RFC3339, mark)
	if err != nil {
		old = time.Time{} // no mark yet: from the beginning
	}
	if since.IsZero() {
		return old.UTC(), true
	}
	return since.UTC(), old.IsZero() || !since.After(old)
}

// Advance moves a mark forward to t, never back.
func Advance(mark string, t time.Time) string {
	if old, err := time.Parse(time.RFC3339, mark); err == nil && !t.After(old) {
		return mark
	}
	return t.UTC().Format(time.RFC3339)
}

// streamsOf are the streams a source's state in l holds.
func streamsOf(l *ledger.Ledger, source string) []ledger.StreamState {
	for _, s := range l.Sources {
		if s.Source == source {
			return s.Streams
		}
	}
	return nil
}

// mergeStreams is the ledger's streams updated with a run's: streams keep
// their order, new ones come last unless nothing of them is synced.
func mergeStreams(old, run []ledger.StreamState) []ledger.StreamState {
	out := slices.Clone(old)
	for _, r := range run {
		i := slices.IndexFunc(out, func(o ledger.StreamState) bool { return strings.EqualFold(o.Key, r.Key) })
		switch {
		case i >= 0:
			r.Key = out[i].Key // as first written
			out[i] = r
		case r != ledger.StreamState{Key: r.Key}:
			out = append(out, r)
		}
	}
	return out
}

// renderStreams writes a state file of streams.
func renderStreams(old []byte, streams []ledger.StreamState) ([]byte, error) {
	var b strings.Builder
	b.WriteString("streams:\n")
	for _, s := range streams {
		var marks []string
		if s.Synced != "" {
			marks = append(marks, "synced: "+ledger.TimeScalar(s.Synced))
		}
		if s.Resume != "" {
			marks = append(marks, "resume: "+ledger.TimeScalar(s.Resume))
		}
		if s.ETag != "" {
			marks = append(marks, "etag: "+ledger.Scalar(s.ETag))
		}
		if s.LastModified != "" {
			marks = append(marks, "last_modified: "+ledger.Scalar(s.LastModified))
		}
		if len(marks) == 0 {
			fmt.Fprintf(&b, "  %s: {}\n", ledger.Scalar(s.Key)) // nothing synced yet
			continue
		}
		fmt.Fprintf(&b, "  %s:\n", ledger.Scalar(s.Key))
		for _, m := range marks {
			fmt.Fprintf(&b, "    %s\n", m)
		}
	}
	return RenderState(old, b.String())
}

// RenderState is a state file's text: the comment lines old starts with
// (else the schema line editors read), then body. The file is tally's own,
// so it is written whole; body is checked to read back as YAML.
func RenderState(old []byte, body string) ([]byte, error) {
	var b bytes.Buffer
	for _, line := range bytes.SplitAfter(old, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' {
			break
		}
		if len(t) > 0 {
			b.Write(bytes.TrimRight(line, "\r\n"))
			b.WriteByte('\n')
		}
	}
	if b.Len() == 0 {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", stateSchema)
	}
	b.WriteString(body)
	var check yaml.Node
	if err := yaml.Unmarshal(b.Bytes(), &check); err != nil {
		return nil, fmt.Errorf("internal error: the state does not read back (%v); nothing was written", err)
	}
	return b.Bytes(), nil
}
