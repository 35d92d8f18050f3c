package symbols

import (
	"path"
	"sort"
	"strings"
)

// maxSuggestions bounds did-you-mean lists.
const maxSuggestions = 5

type scored struct {
	name string
	dist int
}

// suggestFuncs returns function names close to q: names one of whose
// boundary suffixes ("main.foo", "foo") is within a small edit distance of
// q, or else names containing q.
func (t *Table) suggestFuncs(q string) []string {
	limit := editLimit(q)
	var found []scored
	for _, fn := range t.funcs {
		if d := bestTailDistance(fn.Name, q, limit); d <= limit {
			found = append(found, scored{fn.Name, d})
		}
	}
	if len(found) == 0 {
		for _, fn := range t.funcs {
			if strings.Contains(fn.Name, q) {
				found = append(found, scored{fn.Name, len(fn.Name)})
			}
		}
	}
	return topNames(found)
}

// suggestFiles returns source files whose base name is close to q's.
func suggestFiles(sources []string, q string) []string {
	base := path.Base(q)
	limit := editLimit(base)
	var found []scored
	for _, s := range sources {
		if d := distance(path.Base(s), base, limit); d <= limit {
			found = append(found, scored{s, d})
		}
	}
	return topNames(found)
}

func editLimit(q string) int {
	return min(1+len(q)/6, 3)
}

// bestTailDistance is the smallest edit distance between q and full or a
// suffix of full that starts after a '.' or '/'.
func bestTailDistance(full, q string, limit int) int {
	best := limit + 1
	for i := 0; i < len(full); i++ {
		if i > 0 && full[i-1] != '.' && full[i-1] != '/' {
			continue
		}
		tail := full[i:]
		if abs(len(tail)-len(q)) > limit {
			continue
		}
		best = min(best, distance(tail, q, limit))
	}
	return best
}

// distance is the Levenshtein distance of a and b, or limit+1 when it is
// certainly larger than limit.
func distance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func topNames(found []scored) []string {
	sort.Slice(found, func(i, j int) bool {
		if found[i].dist != found[j].dist {
			return found[i].dist < found[j].dist
		}
		return found[i].name < found[j].name
	})
	var out []string
	for _, s := range found {
		if len(out) == maxSuggestions {
			break
		}
		if len(out) == 0 || out[len(out)-1] != s.name {
			out = append(out, s.name)
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
