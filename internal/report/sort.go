package report

import (
	"cmp"
	"math/bits"
	"slices"
)

// sortKey orders contributors: first, then second, highest first, then
// by id (through the id's order). index is the caller's.
type sortKey struct{ first, second, order, index int32 }

func compareKeys(a, b sortKey) int {
	return cmp.Or(cmp.Compare(b.first, a.first), cmp.Compare(b.second, a.second), cmp.Compare(a.order, b.order))
}

// sortKeys sorts keys as compareKeys does. When the three fields fit in
// 64 bits together, as they do unless scores run into the billions, it
// sorts them as plain integers, several times faster: a foundation's
// reports sort millions of entries.
func (bl *builder) sortKeys(keys []sortKey, sc *scratch) {
	var maxFirst, maxSecond int32
	for _, k := range keys {
		if k.first < 0 || k.second < 0 {
			slices.SortFunc(keys, compareKeys)
			return
		}
		maxFirst, maxSecond = max(maxFirst, k.first), max(maxSecond, k.second)
	}
	sb, ob := uint(bits.Len32(uint32(maxSecond))), uint(bits.Len(uint(len(bl.con))))
	if uint(bits.Len32(uint32(maxFirst)))+sb+ob > 64 {
		slices.SortFunc(keys, compareKeys)
		return
	}
	packed := make([]uint64, len(keys))
	// The scratch, indexed by id order, remembers each key's index.
	sc.reset()
	for i, k := range keys {
		packed[i] = uint64(maxFirst-k.first)<<(sb+ob) | uint64(maxSecond-k.second)<<ob | uint64(k.order)
		sc.add(k.order, k.index, 0)
	}
	slices.Sort(packed)
	omask, smask := uint64(1)<<ob-1, uint64(1)<<sb-1
	for i, p := range packed {
		order := int32(p & omask)
		keys[i] = sortKey{maxFirst - int32(p>>(sb+ob)), maxSecond - int32(p>>ob&smask), order, sc.score[order]}
	}
}
