package action

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// release is a fake GitHub serving the files of releases by tag.
type release struct {
	srv      *httptest.Server
	caFile   string
	mu       sync.Mutex
	files    map[string]string // "tallyledger/tally/releases/download/v1.2.3/SHA256SUMS" -> content
	status   int               // when not 0, every answer
	requests []string
}

func newRelease(t *testing.T) *release {
	r := &release{files: map[string]string{}}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.requests = append(r.requests, req.URL.Path)
		if r.status != 0 {
			w.WriteHeader(r.status)
			return
		}
		body, ok := r.files[strings.TrimPrefix(req.URL.Path, "/")]
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(r.srv.Close)
	r.caFile = filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: r.srv.Certificate().Raw})
	if err := os.WriteFile(r.caFile, cert, 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}

// publish adds a release with binaries and their SHA256SUMS; sums may
// replace the real checksums.
func (r *release) publish(tag string, binaries map[string]string, sums map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var lines []string
	for name, body := range binaries {
		sum := sha256.Sum256([]byte(body))
		h := hex.EncodeToString(sum[:])
		if s, ok := sums[name]; ok {
			h = s
		}
		lines = append(lines, h+"  "+name)
		r.files["tallyledger/tally/releases/download/"+tag+"/"+name] = body
	}
	r.files["tallyledger/tally/releases/download/"+tag+"/SHA256SUMS"] = strings.Join(lines, "\n") + "\n"
}

type installResult struct {
	err       error
	output    string // GITHUB_OUTPUT
	log       string
	installed string // the binary, "" when there is none
}

// install runs the action's install step as the runner does.
func (r *release) install(t *testing.T, env ...string) installResult {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	temp := t.TempDir()
	out := filepath.Join(temp, "output")
	cmd := exec.Command("bash", "../../.github/release/install.sh")
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "CURL_CA_BUNDLE=" + r.caFile,
		"GITHUB_SERVER_URL=" + r.srv.URL, "GITHUB_OUTPUT=" + out, "RUNNER_TEMP=" + temp,
		"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "ACTION_REPOSITORY=tallyledger/tally",
	}, env...)
	log, err := cmd.CombinedOutput()
	res := installResult{err: err, log: string(log)}
	if b, err := os.ReadFile(out); err == nil {
		res.output = string(b)
	}
	if b, err := os.ReadFile(filepath.Join(temp, "tally-action", "tally")); err == nil {
		res.installed = string(b)
	}
	if entries, _ := filepath.Glob(filepath.Join(temp, "tally-download.*")); len(entries) != 0 {
		t.Errorf("the download folder is left behind: %v", entries)
	}
	return res
}

func TestInstallReleaseBinary(t *testing.T) {
	t.Parallel()
	r := newRelease(t)
	r.publish("v1.2.3", map[string]string{"tally-linux-amd64": "linux binary", "tally-darwin-arm64": "mac binary", "tally-windows-amd64.exe": "windows binary"}, nil)

	res := r.install(t, "ACTION_REF=v1.2.3")
	if res.err != nil || res.output != "installed=true\n" || res.installed != "linux binary" {
		t.Fatalf("a release tag: %v, output %q, installed %q\n%s", res.err, res.output, res.installed, res.log)
	}
	res = r.install(t, "ACTION_REF=v1.2.3", "RUNNER_OS=macOS", "RUNNER_ARCH=ARM64")
	if res.err != nil || res.installed != "mac binary" {
		t.Errorf("macOS on ARM: %v, installed %q\n%s", res.err, res.installed, res.log)
	}
	res = r.install(t, "ACTION_REF=v1.2.3", "RUNNER_OS=Windows")
	if res.err != nil || res.installed != "windows binary" {
		t.Errorf("Windows: %v, installed %q\n%s", res.err, res.installed, res.log)
	}
	// Where the runner leaves github.action_ref empty, the ref is in the
	// action's path.
	res = r.install(t, "ACTION_REF=", "ACTION_REPOSITORY=", "GITHUB_ACTION_PATH=/home/runner/work/_actions/tallyledger/tally/v1.2.3")
	if res.err != nil || res.installed != "linux binary" {
		t.Errorf("the ref from the action's path: %v, installed %q\n%s", res.err, res.installed, res.log)
	}
}

// Any ref that is not a release tag, and a release without the file,
// build from source; no other failure does.
func TestInstallBuildsFromSource(t *testing.T) {
	t.Parallel()
	r := newRelease(t)
	r.publish("v1.2.3", map[string]string{"tally-linux-amd64": "linux binary"}, nil)
	for _, c := range []struct {
		name string
		env  []string
		log  string
	}{
		{"a commit", []string{"ACTION_REF=0123456789abcdef0123456789abcdef01234567"}, "is not a release tag"},
		{"a branch", []string{"ACTION_REF=main"}, "is not a release tag"},
		{"a local action", []string{"ACTION_REF=", "ACTION_REPOSITORY=", "GITHUB_ACTION_PATH=/home/runner/work/program/program/.tally-base"}, "(none) is not a release tag"},
		{"a tag without a release", []string{"ACTION_REF=v9.9.9"}, "release v9.9.9 has no SHA256SUMS"},
		{"a platform the release lacks", []string{"ACTION_REF=v1.2.3", "RUNNER_ARCH=ARM64"}, "release v1.2.3 has no tally-linux-arm64"},
		{"a processor with no binaries", []string{"ACTION_REF=v1.2.3", "RUNNER_ARCH=X86"}, "no release binary for X86"},
	} {
		r.mu.Lock()
		r.requests = nil
		r.mu.Unlock()
		res := r.install(t, c.env...)
		if res.err != nil || res.output != "installed=false\n" || res.installed != "" || !strings.Contains(res.log, c.log+": building tally from the action's source") {
			t.Errorf("%s: %v, output %q, installed %q\n%s", c.name, res.err, res.output, res.installed, res.log)
		}
		r.mu.Lock()
		if strings.Contains(c.log, "not a release tag") && len(r.requests) != 0 {
			t.Errorf("%s: asked the server for %v", c.name, r.requests)
		}
		r.mu.Unlock()
	}
}

// A binary that is not the one SHA256SUMS lists, or a download that fails
// for another reason than absence, fails the step: building instead would
// hide it.
func TestInstallFails(t *testing.T) {
	t.Parallel()
	r := newRelease(t)
	r.publish("v1.2.3", map[string]string{"tally-linux-amd64": "tampered binary"},
		map[string]string{"tally-linux-amd64": strings.Repeat("ab", 32)})
	r.publish("v1.2.4", map[string]string{"tally-linux-amd64": "linux binary"}, nil)
	r.mu.Lock()
	r.files["tallyledger/tally/releases/download/v1.2.4/SHA256SUMS"] = strings.Repeat("cd", 32) + "  tally-darwin-arm64\n"
	r.mu.Unlock()

	res := r.install(t, "ACTION_REF=v1.2.3")
	if res.err == nil || res.output != "" || res.installed != "" ||
		!strings.Contains(res.log, "tally-linux-amd64 of release v1.2.3 has the SHA-256 ") || !strings.Contains(res.log, "but SHA256SUMS says "+strings.Repeat("ab", 32)+": not using it") {
		t.Errorf("a wrong checksum: %v, output %q, installed %q\n%s", res.err, res.output, res.installed, res.log)
	}
	res = r.install(t, "ACTION_REF=v1.2.4")
	if res.err == nil || res.output != "" || res.installed != "" || !strings.Contains(res.log, "SHA256SUMS of release v1.2.4 does not list tally-linux-amd64") {
		t.Errorf("a binary SHA256SUMS does not list: %v, output %q\n%s", res.err, res.output, res.log)
	}
	r.mu.Lock()
	r.status = http.StatusForbidden
	r.mu.Unlock()
	res = r.install(t, "ACTION_REF=v1.2.4")
	if res.err == nil || res.output != "" || !strings.Contains(res.log, "HTTP status 403") {
		t.Errorf("a server error: %v, output %q\n%s", res.err, res.output, res.log)
	}
}
