package listkv

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/strkv"
	"github.com/aspen-db/aspen/layers/subspace"
)

// This file holds the read commands: LLEN, LRANGE, LINDEX and LPOS, over a
// strkv.Reader (a read transaction, or a mutation's view inside EXEC).

// view is a list as a reader found it.
type view struct {
	src   strkv.Source
	space subspace.Subspace
	header
}

// readList finds key's list in db: ok is false when the key does not
// exist, and a key of another type gives strkv.ErrWrongType.
func readList(r *strkv.Reader, db int, key []byte) (v view, ok bool, err error) {
	meta, ok, err := r.Meta(db, key)
	if err != nil || !ok {
		return view{}, false, err
	}
	if meta.Type != strkv.TypeList {
		return view{}, false, strkv.ErrWrongType
	}
	h, err := decodeHeader(meta.Value)
	if err != nil {
		return view{}, false, fmt.Errorf("list %q: %w", key, err)
	}
	return view{src: r.Source(), space: strkv.MemberSpace(db, key, meta.Version), header: h}, true, nil
}

// Len returns the length of key's list in db (LLEN): 0 for a missing key,
// strkv.ErrWrongType for a key of another type.
func Len(r *strkv.Reader, db int, key []byte) (int64, error) {
	v, _, err := readList(r, db, key)
	return v.n, err
}

// Range returns the elements of key's list from start to stop inclusive,
// Redis indexes (negative ones count from the tail), as LRANGE does.
func Range(r *strkv.Reader, db int, key []byte, start, stop int64) ([][]byte, error) {
	v, ok, err := readList(r, db, key)
	if err != nil || !ok {
		return nil, err
	}
	from, to, ok := clampRange(start, stop, v.n)
	if !ok {
		return nil, nil
	}
	return scanElems(v.src, v.space, v.head, from, to)
}

// Index returns element index of key's list (LINDEX); ok is false when the
// key does not exist or the index is outside the list.
func Index(r *strkv.Reader, db int, key []byte, index int64) (elem []byte, ok bool, err error) {
	v, ok, err := readList(r, db, key)
	if err != nil || !ok {
		return nil, false, err
	}
	i, ok := normIndex(index, v.n)
	if !ok {
		return nil, false, nil
	}
	elem, err = v.src.Get(elemKey(v.space, v.head+i))
	if errors.Is(err, layers.ErrNotFound) {
		return nil, false, fmt.Errorf("list %q: element %d of %d missing: %w", key, i, v.n, errCorrupt)
	}
	if err != nil {
		return nil, false, fmt.Errorf("list %q: read element %d: %w", key, i, err)
	}
	return elem, true, nil
}

// PosOptions are LPOS's options.
type PosOptions struct {
	// Rank is which match to start from: 1 the first from the head, 2 the
	// second, -1 the first from the tail. It must not be 0.
	Rank int64
	// Count is how many matches to return; 0 means all of them.
	Count int64
	// MaxLen is how many elements to compare at most, from the end Rank
	// starts at; 0 means the whole list.
	MaxLen int64
}

// Pos returns the indexes (from the head) of the matches of elem in key's
// list, as LPOS finds them: in the order met, from the end Rank names.
func Pos(r *strkv.Reader, db int, key []byte, elem []byte, opt PosOptions) ([]int64, error) {
	v, ok, err := readList(r, db, key)
	if err != nil || !ok {
		return nil, err
	}
	reverse := opt.Rank < 0
	skip := opt.Rank - 1
	if reverse {
		skip = -opt.Rank - 1
	}
	from, to := int64(0), v.n
	if opt.MaxLen > 0 && opt.MaxLen < v.n {
		if reverse {
			from = v.n - opt.MaxLen
		} else {
			to = opt.MaxLen
		}
	}
	var out []int64
	err = scanRange(v.src, v.space, v.head, from, to, reverse, func(i int64, e []byte) bool {
		if !bytes.Equal(e, elem) {
			return true
		}
		if skip > 0 {
			skip--
			return true
		}
		out = append(out, i)
		return opt.Count == 0 || int64(len(out)) < opt.Count
	})
	if err != nil {
		return nil, fmt.Errorf("lpos %q: %w", key, err)
	}
	return out, nil
}
