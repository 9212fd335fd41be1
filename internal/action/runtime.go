// Package action runs tally as a GitHub Action: it reads the step's inputs
// and the event the workflow was started by, checks pull requests that touch
// the ledger, and publishes the monthly reports as one pull request.
//
// runtime.go speaks the runner's protocol: inputs from INPUT_* variables,
// outputs and the step summary appended to the files the runner names, and
// the step's log, where workflow commands (masks, log groups, annotations)
// are written and no other line can be read as one.
package action

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Runtime is the runner as a step sees it, and the only writer of the
// step's log. Getenv and the streams are parameters so that tests drive it
// exactly as the runner does.
type Runtime struct {
	Getenv         func(string) string
	stdout, stderr *logStream
}

// NewRuntime is the runner whose variables getenv reads and whose log
// is stdout and stderr.
func NewRuntime(getenv func(string) string, stdout, stderr io.Writer) *Runtime {
	return &Runtime{Getenv: getenv, stdout: &logStream{w: stdout}, stderr: &logStream{w: stderr}}
}

// Out and Err are the step's standard output and error for text: what
// tally and the commands it runs print, never a workflow command.
func (r *Runtime) Out() io.Writer { return r.stdout }

// Err is the step's standard error for text; see Out.
func (r *Runtime) Err() io.Writer { return r.stderr }

// Flush ends a line that text left unfinished.
func (r *Runtime) Flush() {
	r.stdout.finish()
	r.stderr.finish()
}

// Input returns the input name, trimmed. The runner passes input
// "github-token" as INPUT_GITHUB-TOKEN; a composite action passes it
// through env:, where INPUT_GITHUB_TOKEN is the shell-friendly spelling,
// so both are read.
func (r *Runtime) Input(name string) string {
	key := "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
	if v := r.Getenv(key); v != "" {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(r.Getenv(strings.ReplaceAll(key, "-", "_")))
}

// BoolInput reads a YAML 1.2 core schema boolean, as the runner's own
// getBooleanInput does; an empty input is false.
func (r *Runtime) BoolInput(name string) (bool, error) {
	switch v := r.Input(name); v {
	case "true", "True", "TRUE":
		return true, nil
	case "", "false", "False", "FALSE":
		return false, nil
	default:
		return false, fmt.Errorf("input %s: %q is not true or false", name, v)
	}
}

// ListInput splits a multi-line input into its non-empty lines.
func (r *Runtime) ListInput(name string) []string {
	var out []string
	for _, line := range strings.Split(r.Input(name), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// SetOutput appends an output to the file in GITHUB_OUTPUT. A one-line
// value is written as name=value; a value of several lines between
// heredoc delimiters that are random and checked not to occur in the value,
// so that no value can end its own block early and set other outputs.
// Without GITHUB_OUTPUT (a run outside Actions) the output is printed.
func (r *Runtime) SetOutput(name, value string) error {
	if !outputName.MatchString(name) {
		return fmt.Errorf("output name %q: want letters, digits, - and _", name)
	}
	var entry string
	if !strings.ContainsAny(value, "\r\n") {
		entry = name + "=" + value + "\n"
	} else {
		delim, err := delimiter()
		if err != nil {
			return err
		}
		if strings.Contains(value, delim) {
			return fmt.Errorf("output %s: the value holds its own delimiter", name)
		}
		entry = name + "<<" + delim + "\n" + value + "\n" + delim + "\n"
	}
	path := r.Getenv("GITHUB_OUTPUT")
	if path == "" {
		_, err := io.WriteString(r.Out(), "output "+entry)
		return err
	}
	return appendFile(path, entry)
}

func delimiter() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "ghadelimiter_" + hex.EncodeToString(b[:]), nil
}

// MaxSummary is the most the runner takes from a step summary file.
const MaxSummary = 1 << 20

// Summary appends Markdown to the step summary (GITHUB_STEP_SUMMARY). Past
// the runner's limit the text is cut at a line with a note saying so.
// Without GITHUB_STEP_SUMMARY the summary is dropped.
func (r *Runtime) Summary(markdown string) error {
	path := r.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	used := int64(0)
	if info, err := os.Stat(path); err == nil {
		used = info.Size()
	}
	const note = "\n\n*The rest is cut: a step summary holds at most 1 MiB.*\n"
	if room := MaxSummary - used - int64(len(note)); int64(len(markdown)) > room {
		if room <= 0 {
			return errors.New("the step summary is full")
		}
		cut := markdown[:room]
		if i := strings.LastIndexByte(cut, '\n'); i > 0 {
			cut = cut[:i]
		}
		markdown = cut + note
	}
	return appendFile(path, markdown)
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// AddMask makes the runner replace value with *** in the rest of the log.
func (r *Runtime) AddMask(value string) {
	if value != "" {
		r.command("add-mask", nil, value)
	}
}

// Group starts a collapsible group of log lines; EndGroup ends it.
func (r *Runtime) Group(title string) { r.command("group", nil, title) }

// EndGroup ends the group Group started.
func (r *Runtime) EndGroup() { r.command("endgroup", nil, "") }

// Annotation is where an error or warning points: a file of the
// repository (a path from its top), a line and column, and a title.
type Annotation struct {
	Title, File string
	Line, Col   int
}

// Error writes an error annotation, shown on the file's line in the pull
// request.
func (r *Runtime) Error(message string, a Annotation) { r.annotate("error", message, a) }

// Warning writes a warning annotation.
func (r *Runtime) Warning(message string, a Annotation) { r.annotate("warning", message, a) }

func (r *Runtime) annotate(kind, message string, a Annotation) {
	var props [][2]string
	if a.Title != "" {
		props = append(props, [2]string{"title", a.Title})
	}
	if a.File != "" {
		props = append(props, [2]string{"file", a.File})
		if a.Line > 0 {
			props = append(props, [2]string{"line", strconv.Itoa(a.Line)})
			if a.Col > 0 {
				props = append(props, [2]string{"col", strconv.Itoa(a.Col)})
			}
		}
	}
	r.command(kind, props, message)
}

// command writes one workflow command: ::name key=value,...::message.
func (r *Runtime) command(name string, props [][2]string, message string) {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(name)
	for i, p := range props {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p[0])
		b.WriteByte('=')
		b.WriteString(escapeProperty(p[1]))
	}
	b.WriteString("::")
	b.WriteString(escapeData(message))
	b.WriteByte('\n')
	r.stdout.command(b.String())
}

// The runner reads a command's message up to the end of the line and its
// properties up to the next , or ::, so those characters are escaped as
// the runner's toolkit escapes them (percent first).
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

// logStream is one of the step's output streams. Commands go out as
// Runtime makes them; text goes out a line at a time, and a line of text
// that the runner would read as a command is written inert. The runner
// ends a line at \n or \r, and reads it as a command when, after blanks, it
// starts with "::", or when it holds "##[" anywhere (the older syntax).
// So data that tally prints, such as a YAML key with a line break in a
// finding or a title read from GitHub, can neither stop tally's commands
// nor make its own annotations.
type logStream struct {
	mu   sync.Mutex
	w    io.Writer
	line []byte // the part of a line written so far
}

func (l *logStream) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexAny(p, "\r\n")
		if i < 0 {
			l.line = append(l.line, p...)
			break
		}
		l.line, p = append(l.line, p[:i+1]...), p[i+1:]
		if err := l.flush(); err != nil {
			return n - len(p), err
		}
	}
	return n, nil
}

func (l *logStream) flush() error {
	_, err := l.w.Write(inert(l.line))
	l.line = l.line[:0]
	return err
}

func (l *logStream) finish() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.end()
}

// end finishes a line of text left open, so that what follows starts a
// line of its own.
func (l *logStream) end() {
	if len(l.line) > 0 {
		l.line = append(l.line, '\n')
		l.flush()
	}
}

func (l *logStream) command(cmd string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.end()
	io.WriteString(l.w, cmd)
}

// inert percent-escapes the openings of a command in a line of text: a
// leading "::" and every "##[". Blanks are what the runner trims, and
// anything invisible besides, to be safe.
func inert(line []byte) []byte {
	body := bytes.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsGraphic(r) })
	leading := bytes.HasPrefix(body, []byte("::"))
	if !leading && !bytes.Contains(body, []byte("##[")) {
		return line
	}
	out := append([]byte(nil), line[:len(line)-len(body)]...)
	if leading {
		out, body = append(out, "%3A%3A"...), body[2:]
	}
	return append(out, bytes.ReplaceAll(body, []byte("##["), []byte("%23%23["))...)
}
