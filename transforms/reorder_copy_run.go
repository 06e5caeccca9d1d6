package transforms

// reorder-copy: which RUNs a COPY of the build context may move below.

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	"github.com/dockopt/dockopt/rewrite"
)

// rcCopy is a COPY/ADD of build-context files, as far as moving it goes.
type rcCopy struct {
	in      *rewrite.Instruction
	keyword string   // as written ("COPY", "copy", "ADD")
	sources []string // as written
	destRaw string
	dest    string // resolved destination; unknown (rcUnknown) when it holds a variable
	destDir bool   // the destination is certainly a directory
	flags   []string
	owns    bool // --chown or --chmod
	byName  bool // --chown names a user or group (resolved in the image's /etc/passwd at COPY time)
	vars    bool // the instruction expands a variable somewhere
}

// rcReadCopy reads in as a COPY/ADD of build-context files, or returns nil
// (COPY --from, ADD of a URL or git repository, heredoc sources, ...).
// workdir is rcWorkdir, or a cache of it (rcPlan.workdir).
func rcReadCopy(d *rewrite.Document, in *rewrite.Instruction, workdir func(*rewrite.Instruction) string) *rcCopy {
	if (in.Cmd != "copy" && in.Cmd != "add") || in.HasHeredoc() {
		return nil
	}
	cmd, err := rewrite.ParseCommand(in.Node)
	if err != nil {
		return nil
	}
	c := &rcCopy{in: in, keyword: rcKeyword(d, in), flags: in.Flags()}
	var chown, chmod string
	var sd instructions.SourcesAndDest
	switch cmd := cmd.(type) {
	case *instructions.CopyCommand:
		if cmd.From != "" {
			return nil
		}
		chown, chmod, sd = cmd.Chown, cmd.Chmod, cmd.SourcesAndDest
	case *instructions.AddCommand:
		chown, chmod, sd = cmd.Chown, cmd.Chmod, cmd.SourcesAndDest
		for _, s := range sd.SourcePaths {
			if strings.Contains(s, "://") || strings.HasPrefix(s, "git@") {
				return nil
			}
		}
	default:
		return nil
	}
	if len(sd.SourceContents) > 0 || len(sd.SourcePaths) == 0 {
		return nil
	}
	c.sources, c.destRaw = sd.SourcePaths, sd.DestPath
	c.owns = chown != "" || chmod != ""
	c.vars = strings.Contains(in.Node.Original, "$")
	if chown != "" {
		for _, part := range strings.Split(chown, ":") {
			if !rcNumeric.MatchString(part) {
				c.byName = true
			}
		}
	}
	if strings.Contains(c.destRaw, "$") {
		c.dest = fmt.Sprintf("/\x00dest%d", in.Index)
	} else {
		c.dest = rcResolve(workdir(in), c.destRaw)
	}
	c.destDir = strings.HasSuffix(c.destRaw, "/") || c.destRaw == "." || strings.HasSuffix(c.destRaw, "/.") || len(c.sources) > 1
	if len(c.sources) == 1 {
		s := c.sources[0]
		c.destDir = c.destDir || s == "." || s == "./" || strings.HasSuffix(s, "/")
	}
	return c
}

var (
	rcNumeric = regexp.MustCompile(`^[0-9]+$`)
	rcRmFlags = regexp.MustCompile(`^(-[rRfv]+|--recursive|--force|--verbose)$`)
)

// rcKeyword is the instruction's keyword as the author wrote it.
func rcKeyword(d *rewrite.Document, in *rewrite.Instruction) string {
	line := strings.TrimLeft(d.Line(in.StartLine), " \t\ufeff")
	line = strings.TrimPrefix(line, "\ufeff")
	if i := strings.IndexAny(line, " \t\r\n"); i > 0 {
		return line[:i]
	}
	return strings.ToUpper(in.Cmd)
}

// rcSystemDirs are where package managers and user tools write. A COPY into
// one of them, or into a parent of one, stays above such RUNs.
var rcSystemDirs = []string{"/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32",
	"/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/var",
	"/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libx32", "/usr/libexec",
	"/usr/include", "/usr/share", "/usr/local", "/usr/games", "/usr/src/linux"}

// rcNest reports whether clean paths a and b are equal or one contains
// the other. Unknown paths nest with everything.
func rcNest(a, b string) bool {
	if rcUnknown(a) || rcUnknown(b) {
		return true
	}
	return a == b || a == "/" || b == "/" || strings.HasPrefix(b, a+"/") || strings.HasPrefix(a, b+"/")
}

// rcUnder reports whether p is dir or inside it (both clean and known).
func rcUnder(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// systemOverlap is the system directory the destination shares files
// with, or "". The caller handles unknown destinations.
func (c *rcCopy) systemOverlap() string {
	for _, s := range rcSystemDirs {
		if s == "/usr/src/linux" {
			// kernel headers: /usr/src/linux-headers-*
			if strings.HasPrefix(c.dest, s) || rcUnder(s, c.dest) {
				return "/usr/src"
			}
			continue
		}
		if rcNest(c.dest, s) {
			return s
		}
	}
	return ""
}

// passableRun reports whether run may execute before c instead of after:
// it neither reads nor writes what c copies. why explains a refusal worth
// reporting (a RUN of allowed commands that touches c's destination);
// it is "" when the RUN simply is not of the kind dockopt moves over.
func (c *rcCopy) passableRun(d *rewrite.Document, run *rewrite.Instruction) (ok bool, why string) {
	if rcUnknown(c.dest) {
		return false, ""
	}
	if w, ok := rcMountsOK(run, c); !ok {
		if w != "" {
			w = fmt.Sprintf("%s stays above the RUN at line %d: %s", strings.ToUpper(c.keyword), d.OriginalLine(run.StartLine), w)
		}
		return false, w
	}
	sh, err := d.Shell(run)
	if err != nil {
		return false, ""
	}
	cmds, ok := rcPlainCommands(sh)
	if !ok || len(cmds) == 0 {
		return false, ""
	}
	for _, cmd := range cmds {
		if cmd.chdir {
			return false, ""
		}
		known, w := c.passable(cmd.Command)
		if !known {
			return false, ""
		}
		if w != "" {
			return false, fmt.Sprintf("%s stays above the RUN at line %d: %s", strings.ToUpper(c.keyword), d.OriginalLine(run.StartLine), w)
		}
	}
	return true, ""
}

// rcMountsOK accepts cache, tmpfs, secret and ssh mounts that do not cover
// the destination; a bind mount reads from the context or another stage.
func rcMountsOK(run *rewrite.Instruction, c *rcCopy) (why string, ok bool) {
	hasMount := false
	for _, f := range run.Flags() {
		if strings.HasPrefix(f, "--mount") {
			hasMount = true
		}
	}
	if !hasMount {
		return "", true
	}
	cmd, err := rewrite.ParseCommand(run.Node)
	if err != nil {
		return "", false
	}
	rc, isRun := cmd.(*instructions.RunCommand)
	if !isRun {
		return "", false
	}
	if err := rc.Expand(func(w string) (string, error) { return w, nil }); err != nil {
		return "", false
	}
	for _, m := range instructions.GetMounts(rc) {
		switch m.Type {
		case instructions.MountTypeCache, instructions.MountTypeTmpfs, instructions.MountTypeSecret, instructions.MountTypeSSH:
		default:
			return "", false
		}
		if m.Target == "" {
			continue
		}
		if strings.Contains(m.Target, "$") || !strings.HasPrefix(m.Target, "/") {
			return "", false
		}
		if c != nil && rcNest(path.Clean(m.Target), c.dest) {
			return fmt.Sprintf("its --mount target %s overlaps the destination %s", m.Target, c.destRaw), false
		}
	}
	return "", true
}

// rcCmd is a simple command of a plain RUN body.
type rcCmd struct {
	*rewrite.Command
	chdir bool // runs behind a wrapper that changes directory (env -C, sudo -D)
}

// rcPlainCommands lists the commands of a body made only of simple
// commands joined by &&, || and ; (possibly grouped), with literal
// assignments and no redirection other than to /dev/null or between
// descriptors. Pipes, loops, conditionals, functions and background jobs
// make ok false: dockopt does not reason about them.
func rcPlainCommands(sh *rewrite.Shell) (cmds []*rcCmd, ok bool) {
	byCall := map[*syntax.CallExpr]*rewrite.Command{}
	for _, c := range sh.Commands() {
		byCall[c.Call] = c
	}
	var walk func(stmts []*syntax.Stmt) bool
	var cmdOK func(c syntax.Command) bool
	cmdOK = func(c syntax.Command) bool {
		switch c := c.(type) {
		case *syntax.CallExpr:
			for _, a := range c.Assigns {
				if !rcLiteralAssign(a) {
					return false
				}
			}
			if len(c.Args) == 0 {
				return true
			}
			cmd := byCall[c]
			if cmd == nil {
				return false
			}
			for _, w := range c.Args {
				v, lit := rewrite.WordLit(w)
				if !lit || rcUnquotedGlob(w) && !strings.HasPrefix(v, "/") {
					return false
				}
			}
			rc := &rcCmd{Command: cmd}
			for _, w := range c.Args[:len(c.Args)-len(cmd.Args)-1] {
				v, _ := rewrite.WordLit(w)
				if v == "-C" || v == "-D" || strings.HasPrefix(v, "--chdir") {
					rc.chdir = true
				}
			}
			cmds = append(cmds, rc)
			return true
		case *syntax.DeclClause:
			if c.Variant == nil || c.Variant.Value != "export" {
				return false
			}
			for _, a := range c.Args {
				if !rcLiteralAssign(a) {
					return false
				}
			}
			return true
		case *syntax.BinaryCmd:
			if c.Op != syntax.AndStmt && c.Op != syntax.OrStmt {
				return false
			}
			return walk([]*syntax.Stmt{c.X, c.Y})
		case *syntax.Subshell:
			return walk(c.Stmts)
		case *syntax.Block:
			return walk(c.Stmts)
		}
		return false
	}
	walk = func(stmts []*syntax.Stmt) bool {
		for _, st := range stmts {
			if st.Background || st.Coprocess || st.Disown || st.Cmd == nil {
				return false
			}
			for _, r := range st.Redirs {
				if !rcHarmlessRedirect(r) {
					return false
				}
			}
			if !cmdOK(st.Cmd) {
				return false
			}
		}
		return true
	}
	if !walk(sh.File.Stmts) {
		return nil, false
	}
	return cmds, true
}

// rcUnquotedGlob reports whether the shell may expand w as a pattern; a
// relative one lists the working directory, which may be the destination.
func rcUnquotedGlob(w *syntax.Word) bool {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && strings.ContainsAny(l.Value, "*?[") {
			return true
		}
	}
	return false
}

func rcLiteralAssign(a *syntax.Assign) bool {
	if a.Array != nil || a.Index != nil || a.Append {
		return false
	}
	if a.Value == nil {
		return true
	}
	_, ok := rewrite.WordLit(a.Value)
	return ok
}

func rcHarmlessRedirect(r *syntax.Redirect) bool {
	v, ok := rewrite.WordLit(r.Word)
	if r.Word == nil || !ok {
		return false
	}
	switch r.Op {
	case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.ClbOut:
		return v == "/dev/null"
	case syntax.DplOut, syntax.DplIn:
		return v == "-" || rcNumeric.MatchString(v)
	}
	return false
}

// rcArgKind sorts a literal argument (or an option's value).
type rcArgKind int

const (
	rcWord rcArgKind = iota // a name, a number, a mode
	rcAbs                   // an absolute path
	rcRel                   // a relative path
	rcURL
)

func rcKind(v string) rcArgKind {
	switch {
	case strings.Contains(v, "://"):
		return rcURL
	case strings.HasPrefix(v, "/"):
		return rcAbs
	case v == "." || v == ".." || strings.HasPrefix(v, "~") || strings.Contains(v, "/"):
		return rcRel
	}
	return rcWord
}

// rcOptValue is the value glued to an option: `--x=v` or `-d/abs`.
func rcOptValue(arg string) (string, bool) {
	if !strings.HasPrefix(arg, "-") {
		return "", false
	}
	if strings.HasPrefix(arg, "--") {
		_, v, ok := strings.Cut(arg, "=")
		return v, ok
	}
	if i := strings.IndexByte(arg, '/'); i > 0 {
		return arg[i:], true
	}
	return "", false
}

// rcPathRegion is the directory a path (maybe a glob or a brace list) may
// name files in.
func rcPathRegion(p string) string {
	if i := strings.IndexAny(p, "*?[{"); i >= 0 {
		return path.Dir(p[:i] + "x")
	}
	return path.Clean(p)
}

// pathsClear checks every argument of cmd that is a path: absolute ones
// must not overlap the destination, relative ones (which depend on the
// directory the RUN runs in) are refused.
func (c *rcCopy) pathsClear(args []string) (known bool, why string) {
	for _, a := range args {
		v := a
		if ov, ok := rcOptValue(a); ok {
			v = ov
		} else if strings.HasPrefix(a, "-") {
			continue
		}
		switch rcKind(v) {
		case rcRel:
			return false, ""
		case rcAbs:
			if r := rcPathRegion(v); rcNest(r, c.dest) {
				return true, fmt.Sprintf("it uses %s, which overlaps the destination %s", v, c.destRaw)
			}
		}
	}
	return true, ""
}
