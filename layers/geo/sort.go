package geo

// This file orders search results as Redis does. Redis sorts all its
// results with the C library's qsort, which in glibc is a stable top-down
// merge sort, and only the first COUNT of them, when COUNT cuts the list,
// with its own partial quicksort (pqsort, after Bentley and McIlroy). The
// two leave members at equal distances in different orders, so both are
// reproduced step for step, comparisons included. (Redis's partial
// quicksort, unlike the BSD original, never falls back to insertion sort
// after a partition without swaps.)

// compareAsc orders by ascending distance (Redis's sort_gp_asc).
func compareAsc(a, b *Match) int {
	switch {
	case a.Dist > b.Dist:
		return 1
	case a.Dist == b.Dist:
		return 0
	default:
		return -1
	}
}

// compareDesc orders by descending distance (Redis's sort_gp_desc).
func compareDesc(a, b *Match) int { return -compareAsc(a, b) }

// mergeSort sorts x as glibc's qsort does: split in halves (the first
// half the shorter), sort each, merge taking from the first half while it
// compares lower or equal. tmp must be as long as x.
func mergeSort(x, tmp []Match, cmp func(a, b *Match) int) {
	n := len(x)
	if n <= 1 {
		return
	}
	n1 := n / 2
	mergeSort(x[:n1], tmp, cmp)
	mergeSort(x[n1:], tmp, cmp)
	i, j, k := 0, n1, 0
	for i < n1 && j < n {
		if cmp(&x[i], &x[j]) <= 0 {
			tmp[k] = x[i]
			i++
		} else {
			tmp[k] = x[j]
			j++
		}
		k++
	}
	k += copy(tmp[k:], x[i:n1])
	copy(x[:k], tmp[:k])
}

// partialSort puts into positions lo..hi of x what a full sort would put
// there, moving the other elements exactly as Redis's pqsort does.
func partialSort(x []Match, cmp func(a, b *Match) int, lo, hi int) {
	p := pqsorter{x: x, cmp: cmp, lo: lo, hi: hi}
	p.sort(0, len(x))
}

type pqsorter struct {
	x      []Match
	cmp    func(a, b *Match) int
	lo, hi int
}

func (p *pqsorter) c(i, j int) int { return p.cmp(&p.x[i], &p.x[j]) }

func (p *pqsorter) swap(i, j int) { p.x[i], p.x[j] = p.x[j], p.x[i] }

// vecswap exchanges the n elements from i with the n from j, in order.
func (p *pqsorter) vecswap(i, j, n int) {
	for k := 0; k < n; k++ {
		p.swap(i+k, j+k)
	}
}

func (p *pqsorter) med3(a, b, c int) int {
	if p.c(a, b) < 0 {
		if p.c(b, c) < 0 {
			return b
		}
		if p.c(a, c) < 0 {
			return c
		}
		return a
	}
	if p.c(b, c) > 0 {
		return b
	}
	if p.c(a, c) < 0 {
		return a
	}
	return c
}

// insertion sorts the n elements from a by straight insertion.
func (p *pqsorter) insertion(a, n int) {
	for m := a + 1; m < a+n; m++ {
		for l := m; l > a && p.c(l-1, l) > 0; l-- {
			p.swap(l, l-1)
		}
	}
}

// wanted reports whether the n elements from a overlap positions lo..hi.
func (p *pqsorter) wanted(a, n int) bool { return a <= p.hi && p.lo < a+n }

// sort partially sorts the n elements from a.
func (p *pqsorter) sort(a, n int) {
	for {
		if n < 7 {
			p.insertion(a, n)
			return
		}
		m := a + n/2
		if n > 7 {
			l, r := a, a+n-1
			if n > 40 {
				d := n / 8
				l = p.med3(l, l+d, l+2*d)
				m = p.med3(m-d, m, m+d)
				r = p.med3(r-2*d, r-d, r)
			}
			m = p.med3(l, m, r)
		}
		p.swap(a, m)
		pa, pb := a+1, a+1
		pc, pd := a+n-1, a+n-1
		for {
			for pb <= pc {
				r := p.c(pb, a)
				if r > 0 {
					break
				}
				if r == 0 {
					p.swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				r := p.c(pc, a)
				if r < 0 {
					break
				}
				if r == 0 {
					p.swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			p.swap(pb, pc)
			pb++
			pc--
		}
		pn := a + n
		r := min(pa-a, pb-pa)
		if r > 0 {
			p.vecswap(a, pb-r, r)
		}
		r = min(pd-pc, pn-pd-1)
		if r > 0 {
			p.vecswap(pb, pn-r, r)
		}
		if r = pb - pa; r > 1 && p.wanted(a, r) {
			p.sort(a, r)
		}
		r = pd - pc
		if r <= 1 {
			return
		}
		a, n = pn-r, r
		if !p.wanted(a, n) {
			return
		}
	}
}
