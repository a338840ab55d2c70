package engine

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// Coalescing data segments. A Go wasip1 module carries tens of thousands
// of small active data segments (the Go linker splits its data at every
// run of zeros), and wazero evaluates each segment's offset, allocating,
// on every instantiation: about half of a warm Go invocation. Compile
// therefore rewrites the data section of a module whose segments are all
// active, on memory 0, at constant offsets and not overlapping, merging neighbours less than maxDataGap apart (the gap
// filled with zeros, which a fresh memory holds anyway). The memory after
// instantiation is byte for byte the same; a module that does not fit
// those conditions (passive segments, a data count section for
// memory.init/data.drop, computed offsets…) is compiled unchanged.

const maxDataGap = 4096

// dataSegment is one active segment at a constant offset.
type dataSegment struct {
	offset uint32
	data   []byte
}

// coalesceData returns module with its data segments merged, or module
// itself when it has nothing to merge or does not qualify.
func coalesceData(module []byte) []byte {
	if len(module) < 8 || string(module[:4]) != "\x00asm" {
		return module
	}
	r := &reader{b: module, i: 8}
	var dataStart, dataEnd, bodyStart int
	for r.i < len(r.b) {
		start := r.i
		id := r.byte()
		size := r.u32()
		if r.err != nil || size > uint32(len(r.b)-r.i) {
			return module
		}
		switch id {
		case 12: // data count: memory.init / data.drop refer to segments by index
			return module
		case 11:
			dataStart, bodyStart, dataEnd = start, r.i, r.i+int(size)
		}
		r.i += int(size)
	}
	if dataEnd == 0 {
		return module
	}
	segs, ok := readSegments(module[bodyStart:dataEnd])
	if !ok || len(segs) < 2 {
		return module
	}
	merged := mergeSegments(segs)
	if len(merged) == len(segs) {
		return module
	}
	body := encodeSegments(merged)
	out := make([]byte, 0, len(module)-(dataEnd-dataStart)+len(body)+6)
	out = append(out, module[:dataStart]...)
	out = append(out, 11)
	out = binary.AppendUvarint(out, uint64(len(body)))
	out = append(out, body...)
	return append(out, module[dataEnd:]...)
}

// readSegments reads a data section body and returns its segments sorted
// by offset; ok only if every segment is active on memory 0 at an
// i32.const offset and no two overlap (so the order they are written in
// does not matter).
func readSegments(b []byte) ([]dataSegment, bool) {
	r := &reader{b: b}
	n := r.u32()
	if r.err != nil || uint64(n) > uint64(len(b)) {
		return nil, false
	}
	segs := make([]dataSegment, 0, n)
	for k := uint32(0); k < n; k++ {
		switch flag := r.u32(); flag {
		case 0:
		case 2:
			if r.u32() != 0 {
				return nil, false
			}
		default:
			return nil, false
		}
		if r.byte() != 0x41 { // i32.const
			return nil, false
		}
		off := uint32(r.s32())
		if r.byte() != 0x0b { // end
			return nil, false
		}
		size := r.u32()
		if r.err != nil || size > uint32(len(b)-r.i) {
			return nil, false
		}
		segs = append(segs, dataSegment{off, b[r.i : r.i+int(size)]})
		r.i += int(size)
	}
	if r.err != nil || r.i != len(b) {
		return nil, false
	}
	slices.SortStableFunc(segs, func(a, b dataSegment) int { return cmp.Compare(a.offset, b.offset) })
	for k := 1; k < len(segs); k++ {
		if uint64(segs[k-1].offset)+uint64(len(segs[k-1].data)) > uint64(segs[k].offset) {
			return nil, false // overlapping: the order would matter
		}
	}
	return segs, true
}

// mergeSegments merges neighbours less than maxDataGap apart (each merged
// segment allocated once: linear in the data).
func mergeSegments(segs []dataSegment) []dataSegment {
	var out []dataSegment
	for i := 0; i < len(segs); {
		j, end := i+1, segEnd(segs[i])
		for j < len(segs) && uint64(segs[j].offset)-end < maxDataGap {
			end = segEnd(segs[j])
			j++
		}
		if j == i+1 {
			out = append(out, segs[i])
		} else {
			data := make([]byte, end-uint64(segs[i].offset))
			for _, s := range segs[i:j] {
				copy(data[s.offset-segs[i].offset:], s.data)
			}
			out = append(out, dataSegment{segs[i].offset, data})
		}
		i = j
	}
	return out
}

func segEnd(s dataSegment) uint64 { return uint64(s.offset) + uint64(len(s.data)) }

// encodeSegments encodes a data section body of active segments.
func encodeSegments(segs []dataSegment) []byte {
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(segs)))
	for _, s := range segs {
		b = append(b, 0, 0x41)
		b = appendSleb32(b, int32(s.offset))
		b = append(b, 0x0b)
		b = binary.AppendUvarint(b, uint64(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

func appendSleb32(b []byte, v int32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// s32 reads a signed LEB128 i32.
func (r *reader) s32() int32 {
	var v int32
	var shift uint
	for shift < 35 {
		c := r.byte()
		v |= int32(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 32 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.err = errMalformed
	return 0
}
