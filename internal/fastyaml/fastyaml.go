// Package fastyaml parses the simple subset of YAML that Tally's ledger
// files use straight into yaml.v3 nodes, because Tally must load ledgers of
// up to a million records in ~100k files within 15 s on 2 cores and parsing
// them with yaml.v3 alone takes 13-17 s. Anything outside the subset is
// refused, and the caller then falls back to yaml.v3, so every file still
// gets yaml.v3's exact node tree or error message.
//
// The subset: UTF-8 (with an optional leading BOM), LF or CRLF line ends,
// blank lines and comments; block mappings and sequences (including
// compact "- key: value" items and sequences indented like their parent
// key); single-line flow mappings and sequences; and single-line plain,
// single-quoted and double-quoted scalars (with every escape yaml.v3
// knows). Refused are tabs, anchors, aliases, tags, directives, document
// markers, block scalars, multi-line scalars and flow collections, complex
// keys, keys over 1000 bytes, empty flow entries and trailing commas in
// flow collections.
package fastyaml

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Parse parses data as one YAML document. ok is false when the input
// uses anything outside the subset (or is not valid YAML); the caller
// then parses it with yaml.v3, which gives the real error messages.
func Parse(data []byte) (doc *yaml.Node, ok bool) {
	var p parser
	return p.parse(data)
}

// Parser parses documents one after another, reusing for each the memory
// of the previous one's nodes: a loader done with a file's nodes before it
// parses the next allocates nodes once rather than once per file, which
// spares the garbage collector a million records' worth of them. The zero
// value is ready to use. A Parser is not safe for concurrent use.
type Parser struct{ mem slabs }

// Parse parses data as Parse does. The nodes it returns are only valid
// until the next call: whatever outlives it must be copied out (strings
// may be kept, they do not point into the nodes).
func (ps *Parser) Parse(data []byte) (doc *yaml.Node, ok bool) {
	ps.mem.rewind()
	p := parser{mem: &ps.mem, stack: ps.mem.stack[:0], buf: ps.mem.buf[:0]}
	doc, ok = p.parse(data)
	ps.mem.stack, ps.mem.buf = p.stack[:0], p.buf[:0]
	return doc, ok
}

// Slab sizes for a Parser, in nodes and in pointers.
const nodeSlab, ptrSlab = 2048, 4096

// slabs holds a Parser's memory between documents: every slab handed out,
// in order, and how many of them the current document uses.
type slabs struct {
	nodes        [][]yaml.Node
	ptrs         [][]*yaml.Node
	nNodes, nPtr int
	stack        []*yaml.Node
	buf          []byte
}

func (s *slabs) rewind() { s.nNodes, s.nPtr = 0, 0 }

// node returns the next empty node slab. Its nodes are not zeroed:
// newNode zeroes each one it hands out.
func (s *slabs) node() []yaml.Node {
	if s.nNodes == len(s.nodes) {
		s.nodes = append(s.nodes, make([]yaml.Node, 0, nodeSlab))
	}
	s.nNodes++
	return s.nodes[s.nNodes-1][:0]
}

// ptr returns the next empty pointer slab with room for at least k.
func (s *slabs) ptr(k int) []*yaml.Node {
	if s.nPtr == len(s.ptrs) {
		s.ptrs = append(s.ptrs, nil)
	}
	if cap(s.ptrs[s.nPtr]) < k {
		s.ptrs[s.nPtr] = make([]*yaml.Node, 0, max(k, ptrSlab))
	}
	s.nPtr++
	return s.ptrs[s.nPtr-1][:0]
}

const (
	// maxDepth bounds nesting, far below yaml.v3's limits of 10000 flow
	// levels and 10000 indentation levels.
	maxDepth = 1000
	// maxKey bounds the distance in bytes from the start of a key to its
	// ':'. yaml.v3 does not accept a simple key whose ':' is more than
	// 1024 characters away, and characters are never more than bytes.
	maxKey = 1000
)

type parser struct {
	src       string
	pos       int  // current offset in src
	line      int  // 1-based number of the line holding pos
	lineStart int  // offset of the start of that line
	indent    int  // indentation of the current content line
	eof       bool // no content left
	ascii     bool // src is all ASCII, so columns are byte offsets
	depth     int

	failLine int // line of the first refusal, for tests

	nodes []yaml.Node  // slab the nodes are allocated from
	ptrs  []*yaml.Node // slab the Content slices are cut from
	stack []*yaml.Node // children of the collections being parsed
	buf   []byte       // scratch for scalars with escapes
	// mem, when set, supplies the slabs, reused from earlier documents.
	mem *slabs
}

func (p *parser) parse(data []byte) (*yaml.Node, bool) {
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		// yaml.v3 drops a leading UTF-8 byte order mark before
		// counting columns.
		data = data[3:]
	}
	ascii, ok := validate(data)
	if !ok {
		return nil, false
	}
	p.src = string(data)
	p.ascii = ascii
	p.line = 1
	if p.stack == nil {
		p.stack = make([]*yaml.Node, 0, 64)
	}
	if !p.skipBlank() || p.eof {
		// An empty document is yaml.v3's io.EOF, not a node.
		return nil, false
	}
	top := p.blockNode()
	if top == nil || !p.eof {
		p.fail()
		return nil, false
	}
	doc := p.newNode()
	doc.Kind = yaml.DocumentNode
	doc.Line, doc.Column = top.Line, top.Column
	p.stack = append(p.stack, top)
	doc.Content = p.pop(0)
	return doc, true
}

// plainByte marks the bytes validate passes without a closer look.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = true
	}
	t['\n'] = true
	return
}()

// validate reports whether yaml.v3 reads every character of b the way
// this parser expects: valid UTF-8, no control characters, no tabs, no
// line breaks other than LF and CRLF, no byte order marks.
func validate(b []byte) (ascii, ok bool) {
	ascii = true
	for i := 0; i < len(b); {
		c := b[i]
		if plainByte[c] {
			i++
			continue
		}
		if c == '\r' {
			if i+1 < len(b) && b[i+1] == '\n' {
				i += 2
				continue
			}
			return false, false // a lone CR is a line break in YAML
		}
		if c < 0x80 {
			return false, false // control characters, tab, DEL
		}
		ascii = false
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return false, false
		case r < 0xA0: // C1 controls, and NEL which is a line break
			return false, false
		case r == 0x2028 || r == 0x2029: // line and paragraph separators
			return false, false
		case r == 0xFEFF || r == 0xFFFE || r == 0xFFFF:
			return false, false
		}
		i += size
	}
	return ascii, true
}

// fail records where the input was refused; it returns nil for brevity.
func (p *parser) fail() *yaml.Node {
	if p.failLine == 0 {
		p.failLine = p.line
	}
	return nil
}

// col returns the 1-based column of offset pos on the current line, in
// characters as yaml.v3 counts them.
func (p *parser) col(pos int) int {
	if p.ascii {
		return pos - p.lineStart + 1
	}
	return utf8.RuneCountInString(p.src[p.lineStart:pos]) + 1
}

// newNode returns a zeroed node from the slab.
func (p *parser) newNode() *yaml.Node {
	if len(p.nodes) == cap(p.nodes) {
		if p.mem != nil {
			p.nodes = p.mem.node()
		} else {
			p.nodes = make([]yaml.Node, 0, p.chunk(nodeSlab))
		}
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	if p.mem != nil {
		*n = yaml.Node{} // left from an earlier document
	}
	return n
}

// chunk sizes the next slab from the bytes left to parse, about one node
// per 16 bytes.
func (p *parser) chunk(limit int) int {
	n := (len(p.src)-p.pos)/16 + 16
	return min(n, limit)
}

// pop removes the nodes above base from the stack and returns them as a
// Content slice cut from the pointer slab (capped, so appending to it
// cannot overwrite a neighbour).
func (p *parser) pop(base int) []*yaml.Node {
	k := len(p.stack) - base
	if k == 0 {
		return nil
	}
	if cap(p.ptrs)-len(p.ptrs) < k {
		if p.mem != nil {
			p.ptrs = p.mem.ptr(k)
		} else {
			p.ptrs = make([]*yaml.Node, 0, max(k, p.chunk(ptrSlab)))
		}
	}
	n := len(p.ptrs)
	s := p.ptrs[n : n+k : n+k]
	copy(s, p.stack[base:])
	p.ptrs = p.ptrs[:n+k]
	p.stack = p.stack[:base]
	return s
}

func (p *parser) scalar(tag string, style yaml.Style, value string, line, col int) *yaml.Node {
	n := p.newNode()
	n.Kind = yaml.ScalarNode
	n.Tag = tag
	n.Style = style
	n.Value = value
	n.Line = line
	n.Column = col
	return n
}

// isBlankAt reports whether offset i is a space, a line end or the end of
// the input (yaml.v3's is_blankz, given that validate refused tabs and
// other line breaks).
func (p *parser) isBlankAt(i int) bool {
	if i >= len(p.src) {
		return true
	}
	c := p.src[i]
	return c == ' ' || c == '\n' || c == '\r'
}

// skipBlank moves from the start of a line to the first non-space
// character of the next line with content, skipping blank and comment
// lines, and sets indent. At the end of the input it sets eof. It returns
// false on a document marker.
func (p *parser) skipBlank() bool {
	src := p.src
	for {
		i := p.pos
		for i < len(src) && src[i] == ' ' {
			i++
		}
		if i == len(src) {
			p.pos = i
			p.eof = true
			return true
		}
		switch src[i] {
		case '\r', '\n':
			p.pos = i
			p.newline()
			continue
		case '#':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				p.pos = len(src)
				p.eof = true
				return true
			}
			p.pos = i + j
			p.newline()
			continue
		}
		p.indent = i - p.lineStart
		p.pos = i
		if p.indent == 0 && len(src)-i >= 3 && (src[i:i+3] == "---" || src[i:i+3] == "...") {
			p.fail()
			return false
		}
		return true
	}
}

// newline consumes the line break at pos.
func (p *parser) newline() {
	if p.src[p.pos] == '\r' {
		p.pos++
	}
	p.pos++
	p.line++
	p.lineStart = p.pos
}

// endLine checks that only spaces and a comment follow pos on the line,
// then moves to the next line with content.
func (p *parser) endLine() bool {
	src := p.src
	i := p.pos
	for i < len(src) && src[i] == ' ' {
		i++
	}
	if i == len(src) {
		p.pos = i
		p.eof = true
		return true
	}
	c := src[i]
	if c == '#' {
		if src[i-1] != ' ' {
			p.fail()
			return false
		}
		j := strings.IndexByte(src[i:], '\n')
		if j < 0 {
			p.pos = len(src)
			p.eof = true
			return true
		}
		i += j
		c = '\n'
	}
	if c != '\n' && c != '\r' {
		p.fail()
		return false
	}
	p.pos = i
	p.newline()
	return p.skipBlank()
}

// isDash reports whether pos is at a block sequence entry indicator.
func (p *parser) isDash() bool {
	return p.src[p.pos] == '-' && p.isBlankAt(p.pos+1)
}

// blockNode parses the block node starting at pos: a sequence, a mapping,
// or a scalar or flow collection alone on its line. pos is either the
// first non-space character of a line or follows "- " on it, so the
// column is the byte offset within the line. It returns with pos at the
// next line with content.
func (p *parser) blockNode() *yaml.Node {
	if p.depth >= maxDepth {
		return p.fail()
	}
	p.depth++
	n := p.blockNode1()
	p.depth--
	return n
}

func (p *parser) blockNode1() *yaml.Node {
	src := p.src
	i := p.pos
	ind := i - p.lineStart
	switch src[i] {
	case '-':
		if p.isBlankAt(i + 1) {
			return p.blockSeq(ind)
		}
	case '[', '{':
		n := p.flowNode()
		if n == nil || !p.endLine() {
			return p.fail()
		}
		return n
	}
	n, isKey := p.scalarOrKey()
	if n == nil {
		return nil
	}
	if isKey {
		return p.blockMap(ind, n)
	}
	if !p.endLine() {
		return p.fail()
	}
	return n
}

// scalarOrKey parses the scalar at pos in block context. When it is
// followed by ':' and a space or line end, it is a mapping key: isKey is
// true and pos is left at the ':'. Otherwise pos is left after the
// scalar.
func (p *parser) scalarOrKey() (n *yaml.Node, isKey bool) {
	src := p.src
	i := p.pos
	if c := src[i]; c == '"' || c == '\'' {
		n = p.quoted()
		if n == nil {
			return nil, false
		}
		j := p.pos
		for j < len(src) && src[j] == ' ' {
			j++
		}
		if j < len(src) && src[j] == ':' && p.isBlankAt(j+1) {
			if j-i > maxKey {
				return p.fail(), false
			}
			p.pos = j
			return n, true
		}
		return n, false
	}
	if !p.plainStart(i) {
		return p.fail(), false
	}
	end, stop, isKey := p.scanPlainBlock(i)
	if isKey && stop-i > maxKey {
		return p.fail(), false
	}
	p.pos = stop
	return p.plain(i, end), isKey
}

// plain makes the plain scalar src[start:end] on the current line.
func (p *parser) plain(start, end int) *yaml.Node {
	v := p.src[start:end]
	return p.scalar(resolvePlain(v), 0, v, p.line, p.col(start))
}

// plainStart reports whether a plain scalar may start at offset i. It is
// stricter than yaml.v3: of the indicators, only '-' may start one, and
// only when a non-space character follows.
func (p *parser) plainStart(i int) bool {
	switch p.src[i] {
	case '-':
		return !p.isBlankAt(i + 1)
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ', '\n', '\r':
		return false
	}
	return true
}

// scanPlainBlock scans a plain scalar in block context from start. It
// ends at a line end, at a comment (" #") or at ':' followed by a space or
// line end, which makes it a key. end is the end of the value (without
// trailing spaces), stop where scanning stopped.
func (p *parser) scanPlainBlock(start int) (end, stop int, isKey bool) {
	src := p.src
	j := start
	end = start
	for j < len(src) {
		if k := j; !blockStop[src[k]] {
			for k < len(src) && !blockStop[src[k]] {
				k++
			}
			j, end = k, k
		}
		if j == len(src) {
			break
		}
		switch src[j] {
		case ' ':
			k := j + 1
			for k < len(src) && src[k] == ' ' {
				k++
			}
			if k == len(src) || src[k] == '\n' || src[k] == '\r' || src[k] == '#' {
				return end, k, false
			}
			j = k
			continue
		case '\n', '\r':
			return end, j, false
		case ':':
			if p.isBlankAt(j + 1) {
				return end, j, true
			}
		}
		j++
		end = j
	}
	return end, j, false
}

// blockStop and flowStop mark the bytes at which scanPlainBlock and
// scanPlainFlow must look closer.
var blockStop, flowStop = func() (b, f [256]bool) {
	for _, c := range []byte(" \n\r:") {
		b[c] = true
		f[c] = true
	}
	for _, c := range []byte(",[]{}?") {
		f[c] = true
	}
	return
}()

// blockMap parses a block mapping at indentation ind whose first key has
// been parsed, with pos at its ':'.
func (p *parser) blockMap(ind int, key *yaml.Node) *yaml.Node {
	src := p.src
	n := p.newNode()
	n.Kind = yaml.MappingNode
	n.Tag = mapTag
	n.Line, n.Column = key.Line, key.Column
	base := len(p.stack)
	for {
		p.stack = append(p.stack, key)
		// An empty value is a null scalar just after the ':'.
		line, col := p.line, p.col(p.pos+1)
		i := p.pos + 1
		for i < len(src) && src[i] == ' ' {
			i++
		}
		p.pos = i
		var v *yaml.Node
		if i == len(src) || src[i] == '\n' || src[i] == '\r' || src[i] == '#' {
			if !p.endLine() {
				return p.fail()
			}
			switch {
			case !p.eof && p.indent > ind:
				v = p.blockNode()
			case !p.eof && p.indent == ind && p.isDash():
				// A sequence may be indented like its parent key.
				v = p.blockSeq(ind)
			default:
				v = p.scalar(nullTag, 0, "", line, col)
			}
		} else {
			v = p.inlineValue()
		}
		if v == nil {
			return p.fail()
		}
		p.stack = append(p.stack, v)
		if p.eof || p.indent < ind {
			break
		}
		if p.indent > ind {
			return p.fail()
		}
		var isKey bool
		key, isKey = p.scalarOrKey()
		if key == nil || !isKey {
			return p.fail()
		}
	}
	n.Content = p.pop(base)
	return n
}

// inlineValue parses the value at pos after "key: ": a scalar or a flow
// collection, which must end the line.
func (p *parser) inlineValue() *yaml.Node {
	var n *yaml.Node
	switch p.src[p.pos] {
	case '[', '{':
		n = p.flowNode()
	case '"', '\'':
		n = p.quoted()
	default:
		i := p.pos
		if !p.plainStart(i) {
			return p.fail()
		}
		end, stop, isKey := p.scanPlainBlock(i)
		if isKey {
			return p.fail()
		}
		p.pos = stop
		n = p.plain(i, end)
	}
	if n == nil || !p.endLine() {
		return p.fail()
	}
	return n
}

// blockSeq parses a block sequence whose first '-' is at pos, at
// indentation ind.
func (p *parser) blockSeq(ind int) *yaml.Node {
	src := p.src
	n := p.newNode()
	n.Kind = yaml.SequenceNode
	n.Tag = seqTag
	n.Line, n.Column = p.line, p.col(p.pos)
	base := len(p.stack)
	for {
		// An empty entry is a null scalar just after the '-'.
		line, col := p.line, p.col(p.pos+1)
		i := p.pos + 1
		for i < len(src) && src[i] == ' ' {
			i++
		}
		p.pos = i
		var v *yaml.Node
		if i == len(src) || src[i] == '\n' || src[i] == '\r' || src[i] == '#' {
			if !p.endLine() {
				return p.fail()
			}
			if !p.eof && p.indent > ind {
				v = p.blockNode()
			} else {
				v = p.scalar(nullTag, 0, "", line, col)
			}
		} else {
			v = p.blockNode()
		}
		if v == nil {
			return p.fail()
		}
		p.stack = append(p.stack, v)
		if p.eof || p.indent < ind {
			break
		}
		if p.indent > ind {
			return p.fail()
		}
		if !p.isDash() {
			break // the parent mapping's next key, or an error it reports
		}
	}
	n.Content = p.pop(base)
	return n
}

// quoted parses the quoted scalar at pos, which must close on the same
// line, and leaves pos after the closing quote.
func (p *parser) quoted() *yaml.Node {
	src := p.src
	start := p.pos
	q := src[start]
	j := start + 1
	from := j // start of the text not yet copied to buf
	escaped := false
	p.buf = p.buf[:0]
	for {
		if j >= len(src) {
			return p.fail()
		}
		c := src[j]
		switch {
		case c == '\n' || c == '\r':
			return p.fail() // multi-line
		case c == q && q == '\'':
			if j+1 < len(src) && src[j+1] == '\'' {
				p.buf = append(p.buf, src[from:j+1]...)
				escaped = true
				j += 2
				from = j
				continue
			}
		case c == q:
		case c == '\\' && q == '"':
			p.buf = append(p.buf, src[from:j]...)
			escaped = true
			n, ok := p.escape(j)
			if !ok {
				return p.fail()
			}
			j += n
			from = j
			continue
		default:
			j++
			continue
		}
		break // closing quote at j
	}
	var v string
	if escaped {
		p.buf = append(p.buf, src[from:j]...)
		v = string(p.buf)
	} else {
		v = src[start+1 : j]
	}
	p.pos = j + 1
	style := yaml.DoubleQuotedStyle
	if q == '\'' {
		style = yaml.SingleQuotedStyle
	}
	return p.scalar(strTag, style, v, p.line, p.col(start))
}

// escape appends the value of the escape sequence at offset i (a
// backslash) in a double-quoted scalar to buf and returns its length. It
// accepts what yaml.v3 accepts, except an escaped line break.
func (p *parser) escape(i int) (int, bool) {
	src := p.src
	if i+1 >= len(src) {
		return 0, false
	}
	var b byte
	size := 0
	switch src[i+1] {
	case '0':
		b = 0
	case 'a':
		b = '\a'
	case 'b':
		b = '\b'
	case 't':
		b = '\t'
	case 'n':
		b = '\n'
	case 'v':
		b = '\v'
	case 'f':
		b = '\f'
	case 'r':
		b = '\r'
	case 'e':
		b = 0x1B
	case ' ', '"', '\'', '\\':
		b = src[i+1]
	case 'N':
		p.buf = utf8.AppendRune(p.buf, 0x85)
		return 2, true
	case '_':
		p.buf = utf8.AppendRune(p.buf, 0xA0)
		return 2, true
	case 'L':
		p.buf = utf8.AppendRune(p.buf, 0x2028)
		return 2, true
	case 'P':
		p.buf = utf8.AppendRune(p.buf, 0x2029)
		return 2, true
	case 'x':
		size = 2
	case 'u':
		size = 4
	case 'U':
		size = 8
	default:
		return 0, false
	}
	if size == 0 {
		p.buf = append(p.buf, b)
		return 2, true
	}
	if i+2+size > len(src) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(src[i+2 : i+2+size]) {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 + int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 + int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 + int(c-'A'+10)
		default:
			return 0, false
		}
	}
	if v >= 0xD800 && v <= 0xDFFF || v > 0x10FFFF {
		return 0, false
	}
	p.buf = utf8.AppendRune(p.buf, rune(v))
	return 2 + size, true
}

// skipSpaces skips spaces at pos.
func (p *parser) skipSpaces() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

// flowNode parses the flow collection at pos, which must close on the
// same line, and leaves pos after it.
func (p *parser) flowNode() *yaml.Node {
	if p.depth >= maxDepth {
		return p.fail()
	}
	p.depth++
	n := p.flowNode1()
	p.depth--
	return n
}

func (p *parser) flowNode1() *yaml.Node {
	src := p.src
	seq := src[p.pos] == '['
	n := p.newNode()
	n.Style = yaml.FlowStyle
	n.Line, n.Column = p.line, p.col(p.pos)
	closer := byte('}')
	if seq {
		n.Kind = yaml.SequenceNode
		n.Tag = seqTag
		closer = ']'
	} else {
		n.Kind = yaml.MappingNode
		n.Tag = mapTag
	}
	base := len(p.stack)
	p.pos++
	p.skipSpaces()
	if p.pos < len(src) && src[p.pos] == closer {
		p.pos++
		return n
	}
	for {
		if !seq {
			start := p.pos
			k := p.flowItem()
			if k == nil || k.Kind != yaml.ScalarNode {
				return p.fail() // complex keys are refused
			}
			p.skipSpaces()
			if p.pos >= len(src) || src[p.pos] != ':' || p.pos-start > maxKey {
				return p.fail()
			}
			p.pos++
			p.skipSpaces()
			p.stack = append(p.stack, k)
		}
		v := p.flowItem()
		if v == nil {
			return nil
		}
		p.stack = append(p.stack, v)
		p.skipSpaces()
		if p.pos >= len(src) {
			return p.fail()
		}
		c := src[p.pos]
		p.pos++
		if c == closer {
			break
		}
		if c != ',' {
			return p.fail()
		}
		p.skipSpaces()
		if p.pos < len(src) && src[p.pos] == closer {
			return p.fail() // trailing comma
		}
	}
	n.Content = p.pop(base)
	return n
}

// flowItem parses a node inside a flow collection.
func (p *parser) flowItem() *yaml.Node {
	if p.pos >= len(p.src) {
		return p.fail()
	}
	switch p.src[p.pos] {
	case '[', '{':
		return p.flowNode()
	case '"', '\'':
		return p.quoted()
	}
	i := p.pos
	if !p.plainStart(i) {
		return p.fail()
	}
	end, stop, ok := p.scanPlainFlow(i)
	if !ok {
		return p.fail()
	}
	p.pos = stop
	return p.plain(i, end)
}

// scanPlainFlow scans a plain scalar in flow context from start. It ends
// at ',', ']', '}' or ':' followed by a space; ok is false when it would
// end at a line end, a comment or one of '?', '[', '{'.
func (p *parser) scanPlainFlow(start int) (end, stop int, ok bool) {
	src := p.src
	j := start
	end = start
	for j < len(src) {
		if k := j; !flowStop[src[k]] {
			for k < len(src) && !flowStop[src[k]] {
				k++
			}
			j, end = k, k
		}
		if j == len(src) {
			break
		}
		switch src[j] {
		case ' ':
			k := j + 1
			for k < len(src) && src[k] == ' ' {
				k++
			}
			if k == len(src) || src[k] == '\n' || src[k] == '\r' || src[k] == '#' {
				return 0, 0, false
			}
			j = k
			continue
		case '\n', '\r', '?', '[', '{':
			return 0, 0, false
		case ',', ']', '}':
			return end, j, true
		case ':':
			if p.isBlankAt(j + 1) {
				return end, j, true
			}
		}
		j++
		end = j
	}
	return 0, 0, false
}
