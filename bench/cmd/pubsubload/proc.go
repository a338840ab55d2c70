package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// clockTick is the kernel's USER_HZ on Linux (getconf CLK_TCK).
const clockTick = 100

// cpuTicks is the user+system CPU time of pid ("self" too) in ticks.
func cpuTicks(pid string) (int64, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// Fields after the command, which may hold spaces, in parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%s/stat: unexpected format", pid)
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%s/stat: unexpected format", pid)
	}
	// utime and stime are fields 14 and 15 of the whole line (12 and 13 after the command).
	u, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%s/stat: unexpected format", pid)
	}
	return u + s, nil
}

// rssKB is the VmRSS of pid in KiB.
func rssKB(pid string) (int64, error) {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range bytes.Split(b, []byte{'\n'}) {
		if v, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := bytes.Fields(v)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(string(f[0]), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%s/status: no VmRSS", pid)
}

// cpuMeter measures the CPU of the load generator and of the -pids
// processes between start and stop.
type cpuMeter struct {
	names  []string
	pids   []string
	before []int64
}

func newCPUMeter(pids []labeledPID) *cpuMeter {
	m := &cpuMeter{names: []string{"load"}, pids: []string{"self"}}
	for _, p := range pids {
		m.names = append(m.names, p.label)
		m.pids = append(m.pids, strconv.Itoa(p.pid))
	}
	return m
}

func (m *cpuMeter) start() {
	m.before = make([]int64, len(m.pids))
	for i, p := range m.pids {
		m.before[i], _ = cpuTicks(p)
	}
}

// stop returns each process's CPU as a percentage of one core over secs.
func (m *cpuMeter) stop(secs float64) []float64 {
	out := make([]float64, len(m.pids))
	for i, p := range m.pids {
		t, err := cpuTicks(p)
		if err != nil || secs <= 0 {
			out[i] = -1
			continue
		}
		out[i] = float64(t-m.before[i]) / clockTick / secs * 100
	}
	return out
}
