package gitrev

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"strconv"
	"sync"
)

// catFile drives one git cat-file --batch. git answers requests strictly in
// the order they are written, so the reader pairs each answer with the
// oldest request waiting. Writing and reading take different locks: git
// stops reading requests while its answers are not read, so a writer that
// held the reader up would wait forever.
type catFile struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	w       *bufio.Writer
	maxSize int64

	wmu sync.Mutex // orders writes to git

	qmu     sync.Mutex // guards pending and err
	pending []*blob    // written, not answered yet, oldest first
	err     error      // set once git can no longer answer

	done chan struct{} // closed when the reader stops
}

// blob is a requested file's contents, available once done is closed.
type blob struct {
	oid  string
	data []byte
	err  error
	done chan struct{}
}

func newBlob(oid string) *blob { return &blob{oid: oid, done: make(chan struct{})} }

func (b *blob) wait() ([]byte, error) {
	<-b.done
	return b.data, b.err
}

var errClosed = errors.New("the git tree is closed")

func (r *Repo) startCatFile(ctx context.Context, maxSize int64) (*catFile, error) {
	cmd := r.command(ctx, "cat-file", "--batch")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &catFile{cmd: cmd, stdin: stdin, w: bufio.NewWriterSize(stdin, 64<<10), maxSize: maxSize, done: make(chan struct{})}
	go c.read(bufio.NewReaderSize(stdout, 1<<20))
	return c, nil
}

// request asks git for blobs; each is answered through its done channel.
func (c *catFile) request(blobs ...*blob) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.qmu.Lock()
	if err := c.err; err != nil {
		c.qmu.Unlock()
		for _, b := range blobs {
			b.err = err
			close(b.done)
		}
		return
	}
	c.pending = append(c.pending, blobs...)
	c.qmu.Unlock()
	for _, b := range blobs {
		c.w.WriteString(b.oid)
		c.w.WriteByte('\n')
	}
	if err := c.w.Flush(); err != nil {
		// git has gone; the reader fails whatever is pending.
		c.stdin.Close()
	}
}

// read answers requests until git stops.
func (c *catFile) read(r *bufio.Reader) {
	defer close(c.done)
	var err error
	for err == nil {
		err = c.answer(r)
	}
	if errors.Is(err, io.EOF) {
		err = errClosed
	}
	c.qmu.Lock()
	c.err = err
	pending := c.pending
	c.pending = nil
	c.qmu.Unlock()
	for _, b := range pending {
		b.err = err
		close(b.done)
	}
}

// answer reads one answer: "<oid> <type> <size>\n<contents>\n", or
// "<name> missing\n".
func (c *catFile) answer(r *bufio.Reader) error {
	line, err := r.ReadSlice('\n')
	if err != nil {
		if err == bufio.ErrBufferFull {
			err = fmt.Errorf("git cat-file: unexpected answer %q", line)
		}
		return err
	}
	c.qmu.Lock()
	if len(c.pending) == 0 {
		c.qmu.Unlock()
		return fmt.Errorf("git cat-file answered what was not asked: %q", line)
	}
	b := c.pending[0]
	c.pending[0] = nil
	c.pending = c.pending[1:]
	c.qmu.Unlock()
	defer close(b.done)
	// A hundred thousand small files: read the header without allocating.
	line = bytes.TrimSuffix(line, []byte{'\n'})
	head, sizeField, _ := bytesCutLast(line, ' ')
	if string(sizeField) == "missing" {
		b.err = fmt.Errorf("object %s: %w", b.oid, fs.ErrNotExist)
		return nil
	}
	size, err := strconv.ParseInt(string(sizeField), 10, 64)
	if err != nil || bytes.Count(head, []byte{' '}) != 1 {
		b.err = fmt.Errorf("git cat-file: unexpected answer %q", line)
		return b.err
	}
	keep := size
	if c.maxSize > 0 && keep > c.maxSize+1 {
		keep = c.maxSize + 1
	}
	b.data = make([]byte, keep)
	if _, err := io.ReadFull(r, b.data); err != nil {
		b.data, b.err = nil, err
		return err
	}
	if _, err := r.Discard(int(size - keep + 1)); err != nil { // the rest, and the newline
		b.data, b.err = nil, err
		return err
	}
	return nil
}

// bytesCutLast cuts s around the last sep.
func bytesCutLast(s []byte, sep byte) (before, after []byte, found bool) {
	if i := bytes.LastIndexByte(s, sep); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return nil, s, false
}

// close stops git without waiting for the answers still due: killing it
// also frees a writer blocked on a full pipe.
func (c *catFile) close() error {
	c.cmd.Process.Kill()
	<-c.done
	c.stdin.Close()
	c.cmd.Wait()
	return nil
}
