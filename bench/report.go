package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
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
	Baseline string    `json:"baseline"` // tool ratios are taken to ("native", "bare ptrace")
	Target   Target    `json:"target"`
	Results  []*Result `json:"results"`
}

// Target is the goal set for godbg in a scenario.
type Target struct {
	Text  string  `json:"text"`            // e.g. "godbg <= 0.10 s"
	Unit  string  `json:"unit"`            // "s" (median) or "x_baseline" (median ratio)
	Limit float64 `json:"limit"`           // godbg's figure must be <= Limit
	Value float64 `json:"value,omitempty"` // godbg's measured figure in Unit
	Met   *bool   `json:"met,omitempty"`   // nil when godbg has no figure
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
}

func (r *Result) add(d time.Duration) { r.SamplesS = append(r.SamplesS, d.Seconds()) }

func (r *Result) fail(format string, args ...any) {
	r.Status = "failed"
	r.Error = fmt.Sprintf(format, args...)
}

// finish computes the statistics of every result and the ratios.
func (s *Scenario) finish() {
	byTool := map[string]*Result{}
	for _, r := range s.Results {
		byTool[r.Tool] = r
		if len(r.SamplesS) == 0 {
			continue
		}
		sorted := append([]float64(nil), r.SamplesS...)
		sort.Float64s(sorted)
		n := len(sorted)
		r.MinS, r.MaxS = sorted[0], sorted[n-1]
		r.MedianS = sorted[n/2]
		if n%2 == 0 {
			r.MedianS = (sorted[n/2-1] + sorted[n/2]) / 2
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
	if god != nil && god.Status == "ok" {
		v := god.MedianS
		if s.Target.Unit == "x_baseline" {
			v = god.VsBaseline
		}
		if v > 0 {
			met := v <= s.Target.Limit
			s.Target.Value, s.Target.Met = v, &met
		}
	}
}

// printScenario writes the human-readable table of one scenario.
func printScenario(w io.Writer, s *Scenario, runs int) {
	fmt.Fprintf(w, "\n%s (median of %d; target %s)\n", s.Title, runs, s.Target.Text)
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
		fmt.Fprintln(w, strings.TrimRight(line+"  "+col, " "))
	}
	if s.Target.Met == nil {
		fmt.Fprintf(w, "  => target %s: no godbg figure\n", s.Target.Text)
		return
	}
	verdict, figure := "MISSED", fmt.Sprintf("%.3f s", s.Target.Value)
	if *s.Target.Met {
		verdict = "MET"
	}
	if s.Target.Unit == "x_baseline" {
		figure = fmt.Sprintf("%.2fx %s", s.Target.Value, s.Baseline)
	}
	fmt.Fprintf(w, "  => target %s: %s (godbg %s)\n", s.Target.Text, verdict, figure)
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
