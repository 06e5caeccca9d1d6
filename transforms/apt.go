package transforms

// Helpers shared by the apt transforms: reading an apt-get / apt / apt-cache
// command (subcommand, options, package names) and walking the stages that
// share a stage's filesystem (its ancestors and descendants through
// FROM <stage>).

import (
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/dockopt/dockopt/rewrite"
	"mvdan.cc/sh/v3/syntax"
)

// aptCmd is one apt-get, apt or apt-cache command, read for what it does.
type aptCmd struct {
	*rewrite.Command
	Sub       string       // the subcommand ("install", "update"); "" when there is none
	SubWord   *syntax.Word // the word holding Sub
	SubUnsure bool         // a computed word stood before Sub: it may have been the subcommand
	Opts      []aptOpt     // options, in order, values attached
	Pkgs      []*syntax.Word
	Names     []string // package names of Pkgs: version (=), release (/) and arch (:) removed
	// Unknown is the source of the first argument whose package name the
	// shell computes or that is a pattern (`$PKGS`, 'libfoo*'), "" when none.
	Unknown string
	Local   string // the first local package file (./x.deb), "" when none
}

type aptOpt struct{ Name, Value string }

// aptValueOpts are the apt-get/apt options that take a value as the next
// word ("-o X=Y", "-t bookworm-backports"); without knowing them the value
// would be read as the subcommand or a package.
var aptValueOpts = map[string]bool{
	"-o": true, "-c": true, "-t": true, "-a": true, "-P": true,
	"--option": true, "--config-file": true, "--target-release": true, "--default-release": true,
	"--host-architecture": true, "--build-profiles": true,
}

// readApt reads c when it runs apt-get, apt or apt-cache, else it is nil.
func readApt(c *rewrite.Command) *aptCmd {
	c = sudoAssigns(c)
	switch c.Name {
	case "apt-get", "apt", "apt-cache":
	default:
		return nil
	}
	a := &aptCmd{Command: c}
	for i := 0; i < len(c.Args); i++ {
		w := c.Args[i]
		v, ok := rewrite.WordLit(w)
		if !ok {
			if a.Sub == "" {
				a.SubUnsure = true
				continue
			}
			if name, ok := pkgName(litPrefix(w), false); ok {
				a.Pkgs, a.Names = append(a.Pkgs, w), append(a.Names, name)
			} else if a.Unknown == "" {
				a.Unknown = wordSource(w)
			}
			continue
		}
		if len(v) > 1 && v[0] == '-' {
			var o aptOpt
			switch {
			case v[1] != '-' && aptValueOpts[v[:2]]: // -o X, -oX
				o.Name, o.Value = v[:2], v[2:]
			case v[1] != '-': // -y, -qq, -q=2
				o.Name = v
			default: // --yes, --option=X, --option X
				o.Name, o.Value, _ = strings.Cut(v, "=")
			}
			if aptValueOpts[o.Name] && o.Value == "" && i+1 < len(c.Args) {
				i++
				val, ok := rewrite.WordLit(c.Args[i])
				if !ok && a.Unknown == "" {
					a.Unknown = wordSource(c.Args[i])
				}
				o.Value = val
			}
			a.Opts = append(a.Opts, o)
			continue
		}
		if a.Sub == "" {
			a.Sub, a.SubWord = v, w
			continue
		}
		if isLocalPackage(v) {
			if a.Local == "" {
				a.Local = v
			}
			continue
		}
		name, ok := pkgName(v, true)
		if !ok {
			if a.Unknown == "" {
				a.Unknown = v
			}
			continue
		}
		a.Pkgs, a.Names = append(a.Pkgs, w), append(a.Names, name)
	}
	return a
}

// isAssign reports whether v starts with an assignment, NAME=.
func isAssign(v string) bool {
	i := strings.IndexByte(v, '=')
	return i > 0 && syntax.ValidName(v[:i])
}

// sudoAssigns reads `sudo VAR=x apt-get ...` as apt-get: sudo sets the
// variables and runs the command. rewrite.Commands stops at the assignment
// (it unwraps them only after env).
func sudoAssigns(c *rewrite.Command) *rewrite.Command {
	if !isAssign(c.Name) {
		return c
	}
	behindSudo := false
	for _, w := range c.Call.Args[:len(c.Call.Args)-len(c.Args)-1] {
		v, _ := rewrite.WordLit(w)
		behindSudo = behindSudo || path.Base(v) == "sudo"
	}
	args := c.Args
	for behindSudo && len(args) > 0 {
		v, ok := rewrite.WordLit(args[0])
		if !ok {
			return c
		}
		if !isAssign(v) {
			return &rewrite.Command{Stmt: c.Stmt, Call: c.Call, Name: path.Base(v), Args: args[1:]}
		}
		args = args[1:]
	}
	return c
}

// hasOpt reports whether a option called name was given.
func (a *aptCmd) hasOpt(names ...string) bool {
	for _, o := range a.Opts {
		for _, n := range names {
			if o.Name == n {
				return true
			}
		}
	}
	return false
}

// installs reports whether the command installs package name.
func (a *aptCmd) installs(name string) bool {
	if a.Sub != "install" {
		return false
	}
	for _, n := range a.Names {
		if n == name {
			return true
		}
	}
	return false
}

// sudoHarmless are sudo options that do not change who runs the command.
var sudoHarmless = map[string]bool{
	"-E": true, "--preserve-env": true, "-H": true, "--set-home": true, "-n": true, "--non-interactive": true,
}

// sudo is how the command was run through sudo: "" when it was not, "sudo"
// when through sudo as root; ok is false when sudo was given other options
// (-u user, ...) that a command added beside it would have to repeat.
func (a *aptCmd) sudo() (prefix string, ok bool) {
	words := a.Call.Args[:len(a.Call.Args)-len(a.Args)-1]
	for i, w := range words {
		if v, _ := rewrite.WordLit(w); path.Base(v) != "sudo" {
			continue
		}
		for _, o := range words[i+1:] {
			v, lit := rewrite.WordLit(o)
			if !lit {
				return "", false
			}
			if !strings.HasPrefix(v, "-") {
				break
			}
			if !sudoHarmless[v] {
				return "", false
			}
		}
		return "sudo", true
	}
	return "", true
}

func isLocalPackage(v string) bool {
	return strings.HasPrefix(v, "/") || strings.HasPrefix(v, ".") || strings.HasSuffix(v, ".deb") ||
		strings.HasSuffix(v, ".dsc")
}

var rePkgName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9+.-]*$`)

// pkgName is the package name of an install argument: "curl=7.88*" ->
// "curl", "git/bookworm-backports" -> "git", "libc6:amd64" -> "libc6".
// whole is false when v is only the literal start of a computed word
// (`curl=${V}` gives "curl="): then the name must end before the computed
// part, at an =, / or :. ok is false for patterns ('libfoo*', ?name(x)),
// which apt matches against many packages.
func pkgName(v string, whole bool) (string, bool) {
	i := strings.IndexAny(v, "=/:")
	if i < 0 {
		if !whole {
			return "", false
		}
		i = len(v)
	}
	name := v[:i]
	return strings.ToLower(name), rePkgName.MatchString(name)
}

// litPrefix is the literal start of a word, up to its first computed part.
func litPrefix(w *syntax.Word) string {
	var sb strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			sb.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return sb.String()
			}
			sb.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok {
					return sb.String()
				}
				sb.WriteString(lit.Value)
			}
		default:
			return sb.String()
		}
	}
	return sb.String()
}

func wordSource(w *syntax.Word) string {
	var sb strings.Builder
	p := printers.Get().(*syntax.Printer)
	p.Print(&sb, w)
	printers.Put(p)
	return sb.String()
}

// printers are reused: a new syntax.Printer allocates a 4 KB buffer.
var printers = sync.Pool{New: func() any { return syntax.NewPrinter() }}

// ancestors are the stages st is built FROM, nearest first.
func ancestors(d *rewrite.Document, st *rewrite.Stage) []*rewrite.Stage {
	var out []*rewrite.Stage
	for {
		parent := d.Parent(st)
		if parent == nil || parent.Index >= st.Index {
			return out
		}
		out = append(out, parent)
		st = parent
	}
}

// descendants are the stages built FROM st, directly or through others.
func descendants(d *rewrite.Document, st *rewrite.Stage) []*rewrite.Stage {
	var out []*rewrite.Stage
	for _, s := range d.Stages {
		for _, a := range ancestors(d, s) {
			if a == st {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// after is the source of the instructions that run on top of in's result:
// the rest of its stage and every stage built FROM that stage.
func after(d *rewrite.Document, in *rewrite.Instruction) []*rewrite.Instruction {
	var out []*rewrite.Instruction
	for _, x := range in.Stage.Instructions {
		if x.Index > in.Index {
			out = append(out, x)
		}
	}
	for _, s := range descendants(d, in.Stage) {
		out = append(out, s.Instructions...)
	}
	return out
}

// reMentionsApt finds apt in text the shell layer could not read (heredoc,
// exec form, ONBUILD); a match makes the transforms say why they left it.
var reMentionsApt = regexp.MustCompile(`\bapt(-get|-cache|itude)?\b`)
