package cli

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/tallyledger/tally/internal/words"
)

// progress shows "reading the ledger: 45,210 of 102,361 files" on a
// terminal, redrawn a few times a second, and nothing when stderr is a
// file or a pipe (CI logs stay clean).
type progress struct {
	w            io.Writer
	what         string
	count, total atomic.Int64
	stop         chan struct{}
	stopped      chan struct{}
}

func newProgress(w io.Writer, what string) *progress {
	p := &progress{w: w, what: what}
	if !isTerminal(w) {
		return p
	}
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go p.draw()
	return p
}

// update records progress; it is safe for concurrent use.
func (p *progress) update(done, total int) {
	p.count.Store(int64(done))
	p.total.Store(int64(total))
}

func (p *progress) draw() {
	defer close(p.stopped)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	drawn := false
	for {
		select {
		case <-p.stop:
			if drawn {
				fmt.Fprint(p.w, "\r\033[K") // clear the line
			}
			return
		case <-tick.C:
			if total := p.total.Load(); total > 0 {
				fmt.Fprintf(p.w, "\r%s: %s of %s files", p.what, words.Thousands(int(p.count.Load())), words.Thousands(int(total)))
				drawn = true
			}
		}
	}
}

// done stops drawing and clears the line.
func (p *progress) done() {
	if p.stop != nil {
		close(p.stop)
		<-p.stopped
	}
}
