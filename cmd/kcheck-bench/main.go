// Command kcheck-bench measures kcheck against the kernel's own checkers on
// the same translation units, in one run: wall time and peak RSS of
//
//   - kcheck --stats PATH (front end, call graph and the enabled checkers),
//   - sparse through kbuild (make C=2 PATH/), and
//   - gcc -fsyntax-only on every unit under PATH from compile_commands.json,
//     run N at a time.
//
// It prints a table; nothing here asserts a number.
//
//	go run ./cmd/kcheck-bench -kcheck ./kcheck -tree LINUX -j 2 drivers/usb
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"kcheck/frontend"
)

type measurement struct {
	name   string
	wall   time.Duration
	maxRSS int64 // KiB, the largest single process
	note   string
}

func main() {
	kcheck := flag.String("kcheck", "./kcheck", "kcheck binary")
	tree := flag.String("tree", "", "kernel tree with compile_commands.json")
	jobs := flag.Int("j", 2, "parallel jobs for every tool")
	checks := flag.String("checks", "all", "kcheck --checks")
	skipSparse := flag.Bool("no-sparse", false, "skip sparse")
	flag.Parse()
	if *tree == "" || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: kcheck-bench -tree DIR [-kcheck BIN] [-j N] SUBDIR")
		os.Exit(2)
	}
	sub := strings.TrimSuffix(flag.Arg(0), "/")
	kbin, err := filepath.Abs(*kcheck)
	if err != nil {
		fatal(err)
	}
	var ms []measurement

	m, err := runOne("kcheck", *tree, kbin, "--stats", "--no-progress", "-j", fmt.Sprint(*jobs), "--checks", *checks, "-o", os.DevNull, sub)
	if err != nil {
		fatal(err)
	}
	ms = append(ms, m)

	if !*skipSparse {
		if _, err := exec.LookPath("sparse"); err != nil {
			ms = append(ms, measurement{name: "sparse", note: "not installed (apt-get install sparse)"})
		} else {
			m, err := runOne("sparse (make C=2)", *tree, "make", "-s", "-j", fmt.Sprint(*jobs), "C=2", sub+"/")
			if err != nil {
				m.note = err.Error()
			}
			ms = append(ms, m)
		}
	}

	m, err = gccSyntaxOnly(*tree, sub, *jobs)
	if err != nil {
		m.note = err.Error()
	}
	ms = append(ms, m)

	fmt.Printf("\n%-22s %10s %12s  %s\n", "tool (-j "+fmt.Sprint(*jobs)+")", "wall", "peak RSS", "note")
	for _, m := range ms {
		fmt.Printf("%-22s %9.1fs %9.0f MB  %s\n", m.name, m.wall.Seconds(), float64(m.maxRSS)/1024, m.note)
	}
	if len(ms) > 1 && ms[1].wall > 0 {
		fmt.Printf("\nkcheck / sparse wall: %.2fx\n", ms[0].wall.Seconds()/ms[1].wall.Seconds())
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "kcheck-bench:", err)
	os.Exit(2)
}

// runOne runs a command in dir and measures it; its stderr is passed on.
func runOne(name, dir, prog string, args ...string) (measurement, error) {
	c := exec.Command(prog, args...)
	c.Dir = dir
	c.Stdout = os.Stderr
	c.Stderr = os.Stderr
	fmt.Fprintf(os.Stderr, "== %s: %s %s\n", name, prog, strings.Join(args, " "))
	t0 := time.Now()
	err := c.Run()
	m := measurement{name: name, wall: time.Since(t0)}
	if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss
	}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 && name == "kcheck" {
			return m, nil // findings
		}
		return m, fmt.Errorf("%s: %v", name, err)
	}
	return m, nil
}

// gccSyntaxOnly runs gcc -fsyntax-only on every unit under sub, jobs at a
// time, with each unit's own flags (without -c/-o/dependency output).
func gccSyntaxOnly(tree, sub string, jobs int) (measurement, error) {
	m := measurement{name: "gcc -fsyntax-only"}
	data, err := os.ReadFile(filepath.Join(tree, "compile_commands.json"))
	if err != nil {
		return m, err
	}
	var db []struct {
		Directory, File, Command string
	}
	if err := json.Unmarshal(data, &db); err != nil {
		return m, err
	}
	prefix := filepath.Join(tree, sub) + "/"
	var cmds [][]string
	for _, e := range db {
		if !strings.HasPrefix(e.File, prefix) {
			continue
		}
		argv, err := frontend.SplitCommand(e.Command)
		if err != nil {
			return m, fmt.Errorf("%s: %v", e.File, err)
		}
		var out []string
		for i := 0; i < len(argv); i++ {
			a := argv[i]
			switch {
			case a == "-c":
				continue
			case a == "-o":
				i++
				continue
			case strings.HasPrefix(a, "-Wp,-M"):
				continue
			}
			out = append(out, a)
		}
		cmds = append(cmds, append(out, "-fsyntax-only"))
	}
	fmt.Fprintf(os.Stderr, "== gcc -fsyntax-only on %d units\n", len(cmds))
	var (
		mu     sync.Mutex
		maxRSS int64
		fails  int
		wg     sync.WaitGroup
		sem    = make(chan struct{}, jobs)
	)
	t0 := time.Now()
	for _, argv := range cmds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c := exec.Command(argv[0], argv[1:]...)
			c.Dir = tree
			err := c.Run()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fails++
			}
			if c.ProcessState != nil {
				if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > maxRSS {
					maxRSS = ru.Maxrss
				}
			}
		}()
	}
	wg.Wait()
	m.wall = time.Since(t0)
	m.maxRSS = maxRSS
	m.note = fmt.Sprintf("%d units, %d failed", len(cmds), fails)
	return m, nil
}
