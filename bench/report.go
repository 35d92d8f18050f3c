package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
)

// Report is the whole run, as written by -json.
type Report struct {
	Time      string            `json:"time"`
	GoVersion string            `json:"go_version"`
	Kernel    string            `json:"kernel"`
	CPUs      int               `json:"cpus"`
	Runs      int               `json:"runs"`
	Tools     map[string]string `json:"tools"` // tool -> version or why missing
	Scenarios []*Scenario       `json:"scenarios"`
}

// Scenario is one benchmark's results.
type Scenario struct {
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Baseline string    `json:"baseline"`               // tool ratios are taken to ("native", "bare ptrace")
	Target   Target    `json:"target"`                 // Text "" when the scenario has none
	More     []Target  `json:"more_targets,omitempty"` // further goals (e.g. peak RSS)
	Results  []*Result `json:"results"`
}

// Target is the goal set for godbg in a scenario.
type Target struct {
	Text  string  `json:"text"`            // e.g. "godbg <= 0.10 s"
	Unit  string  `json:"unit"`            // "s" (median), "x_baseline" (median ratio), "x_ref" (median ratio to Ref), "MiB" (median peak RSS), "hits_per_s"
	Limit float64 `json:"limit"`           // godbg's figure must be <= Limit (>= for "hits_per_s")
	Value float64 `json:"value,omitempty"` // godbg's measured figure in Unit
	Met   *bool   `json:"met,omitempty"`   // nil when godbg has no figure

	// Tool is the result the target is about when it is not "godbg"
	// (e.g. "godbg catch"); Ref is the tool the "x_ref" ratio is taken to.
	Tool string `json:"tool,omitempty"`
	Ref  string `json:"ref,omitempty"`
	// Expect, when set, is printed with the verdict: e.g. that the target
	// is known to be missed for now, and why.
	Expect string `json:"expect,omitempty"`
}

// tool returns the name of the result the target judges.
func (t *Target) tool() string {
	if t.Tool != "" {
		return t.Tool
	}
	return "godbg"
}

// Result is one tool's runs in one scenario.
type Result struct {
	Tool       string    `json:"tool"`
	Status     string    `json:"status"` // "ok", "skipped", "failed"
	Error      string    `json:"error,omitempty"`
	SamplesS   []float64 `json:"samples_s,omitempty"`
	MedianS    float64   `json:"median_s,omitempty"`
	MinS       float64   `json:"min_s,omitempty"`
	MaxS       float64   `json:"max_s,omitempty"`
	VsBaseline float64   `json:"ratio_to_baseline,omitempty"`
	VsGodbg    float64   `json:"ratio_to_godbg,omitempty"`

	// Peak RSS of the tool's process per timed run, and their median (load).
	RSSMiB       []float64 `json:"peak_rss_mib,omitempty"`
	MedianRSSMiB float64   `json:"median_peak_rss_mib,omitempty"`
	// Size of a file the tool wrote (dump): apparent and on disk.
	FileMiB       []float64 `json:"file_mib,omitempty"`
	DiskMiB       []float64 `json:"disk_mib,omitempty"`
	MedianFileMiB float64   `json:"median_file_mib,omitempty"`
	MedianDiskMiB float64   `json:"median_disk_mib,omitempty"`
	// The same session without the breakpoint, and the breakpoint hits per
	// second derived from both medians (cond).
	NoBPSamplesS []float64 `json:"no_bp_samples_s,omitempty"`
	NoBPMedianS  float64   `json:"no_bp_median_s,omitempty"`
	Hits         int       `json:"hits,omitempty"`
	HitsPerS     float64   `json:"hits_per_s,omitempty"`
}

func (r *Result) add(d time.Duration) { r.SamplesS = append(r.SamplesS, d.Seconds()) }

func (r *Result) fail(format string, args ...any) {
	r.Status = "failed"
	r.Error = fmt.Sprintf(format, args...)
}

// median returns the median of xs (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sorted := append([]float64(nil), xs...)
	sort.Float64s(sorted)
	n := len(sorted)
	if n%2 == 0 {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return sorted[n/2]
}

// finish computes the statistics of every result and the ratios.
func (s *Scenario) finish() {
	byTool := map[string]*Result{}
	for _, r := range s.Results {
		byTool[r.Tool] = r
		if len(r.SamplesS) == 0 {
			continue
		}
		r.MinS, r.MaxS = slices.Min(r.SamplesS), slices.Max(r.SamplesS)
		r.MedianS = median(r.SamplesS)
		r.MedianRSSMiB = median(r.RSSMiB)
		r.MedianFileMiB, r.MedianDiskMiB = median(r.FileMiB), median(r.DiskMiB)
		r.NoBPMedianS = median(r.NoBPSamplesS)
		if r.Hits > 0 && r.Status == "" {
			// Time the breakpoint added, over the hits; none measurable
			// (noise) leaves it 0.
			if extra := r.MedianS - r.NoBPMedianS; extra > 0 {
				r.HitsPerS = float64(r.Hits) / extra
			}
		}
		if r.Status == "" {
			r.Status = "ok"
		}
	}
	base, god := byTool[s.Baseline], byTool["godbg"]
	for _, r := range s.Results {
		if r.Status != "ok" {
			continue
		}
		if base != nil && base.Status == "ok" {
			r.VsBaseline = r.MedianS / base.MedianS
		}
		if god != nil && god.Status == "ok" {
			r.VsGodbg = r.MedianS / god.MedianS
		}
	}
	for _, t := range append([]*Target{&s.Target}, ptrs(s.More)...) {
		if t.Text == "" {
			continue // no target
		}
		if r := byTool[t.tool()]; r != nil && r.Status == "ok" {
			t.judge(r, byTool[t.Ref])
		}
	}
}

func ptrs(ts []Target) []*Target {
	var out []*Target
	for i := range ts {
		out = append(out, &ts[i])
	}
	return out
}

// judge sets the target's value from the result it is about (godbg's,
// unless the target names another), and whether it is met. ref is the
// result named by t.Ref (nil if none).
func (t *Target) judge(god, ref *Result) {
	var v float64
	switch t.Unit {
	case "x_baseline":
		v = god.VsBaseline
	case "x_ref":
		if ref != nil && ref.Status == "ok" && ref.MedianS > 0 {
			v = god.MedianS / ref.MedianS
		}
	case "MiB":
		v = god.MedianRSSMiB
	case "x_ref_size":
		if ref != nil && ref.Status == "ok" && ref.MedianFileMiB > 0 {
			v = god.MedianFileMiB / ref.MedianFileMiB
		}
	case "hits_per_s":
		v = god.HitsPerS
	default:
		v = god.MedianS
	}
	if v > 0 {
		met := v <= t.Limit
		if t.Unit == "hits_per_s" {
			met = v >= t.Limit
		}
		t.Value, t.Met = v, &met
	}
}

// figure formats the target's value in its unit.
func (t *Target) figure(baseline string) string {
	switch t.Unit {
	case "x_baseline":
		return fmt.Sprintf("%.2fx %s", t.Value, baseline)
	case "x_ref":
		return fmt.Sprintf("%.2fx %s", t.Value, t.Ref)
	case "x_ref_size":
		return fmt.Sprintf("%.3fx %s's file size", t.Value, t.Ref)
	case "MiB":
		return fmt.Sprintf("%.1f MiB", t.Value)
	case "hits_per_s":
		return fmt.Sprintf("%.0f hits/s", t.Value)
	}
	return fmt.Sprintf("%.3f s", t.Value)
}

// printScenario writes the human-readable table of one scenario.
func printScenario(w io.Writer, s *Scenario, runs int) {
	if s.Target.Text != "" {
		fmt.Fprintf(w, "\n%s (median of %d; target %s)\n", s.Title, runs, s.Target.Text)
	} else {
		fmt.Fprintf(w, "\n%s (median of %d; no target)\n", s.Title, runs)
	}
	for _, r := range s.Results {
		switch r.Status {
		case "skipped":
			fmt.Fprintf(w, "  %-14s %s\n", r.Tool, r.Error)
			continue
		case "ok":
		default:
			fmt.Fprintf(w, "  %-14s FAILED: %s\n", r.Tool, r.Error)
			if len(r.SamplesS) == 0 {
				continue
			}
			fmt.Fprintf(w, "  %-14s (%d runs completed before the failure:)\n", "", len(r.SamplesS))
		}
		line := fmt.Sprintf("  %-14s %7.3f s  (min %.3f, max %.3f)", r.Tool, r.MedianS, r.MinS, r.MaxS)
		// Two aligned columns: ratio to the baseline, ratio to godbg.
		col := strings.Repeat(" ", len(s.Baseline)+8)
		if r.VsBaseline != 0 && r.Tool != s.Baseline {
			col = fmt.Sprintf("%6.2fx %s", r.VsBaseline, s.Baseline)
		}
		if r.VsGodbg != 0 {
			col += fmt.Sprintf("  %6.2fx godbg", r.VsGodbg)
		}
		if r.MedianRSSMiB != 0 {
			col += fmt.Sprintf("  peak RSS %5.1f MiB (max %.1f)", r.MedianRSSMiB, slices.Max(r.RSSMiB))
		}
		if r.MedianFileMiB != 0 {
			col += fmt.Sprintf("  file %.1f MiB, %.1f MiB on disk", r.MedianFileMiB, r.MedianDiskMiB)
		}
		if r.Hits != 0 {
			col += fmt.Sprintf("  no bp %.3f s", r.NoBPMedianS)
			if r.HitsPerS != 0 {
				col += fmt.Sprintf("  => %7.0f hits/s", r.HitsPerS)
			} else {
				col += "  => hits/s n/a"
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line+"  "+col, " "))
	}
	for _, t := range append([]Target{s.Target}, s.More...) {
		if t.Text == "" {
			continue
		}
		expect := ""
		if t.Expect != "" {
			expect = "\n       [" + t.Expect + "]"
		}
		if t.Met == nil {
			need := t.tool()
			if t.Ref != "" {
				need += " and " + t.Ref
			}
			fmt.Fprintf(w, "  => target %s: no figure (needs %s)%s\n", t.Text, need, expect)
			continue
		}
		verdict := "MISSED"
		if *t.Met {
			verdict = "MET"
		}
		fmt.Fprintf(w, "  => target %s: %s (%s %s)%s\n", t.Text, verdict, t.tool(), t.figure(s.Baseline), expect)
	}
}

func newReport(runs int, tools map[string]tool) *Report {
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	rep := &Report{
		Time:      time.Now().UTC().Format(time.RFC3339),
		GoVersion: runtime.Version(),
		Kernel:    strings.TrimSpace(string(kernel)),
		CPUs:      runtime.NumCPU(),
		Runs:      runs,
		Tools:     map[string]string{},
	}
	for name, t := range tools {
		if t.missing != "" {
			rep.Tools[name] = t.missing
		} else {
			rep.Tools[name] = t.version
		}
	}
	return rep
}

func writeJSON(path string, rep *Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "<=" readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	if path == "-" {
		_, err := os.Stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
