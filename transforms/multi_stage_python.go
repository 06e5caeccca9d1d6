package transforms

// multi-stage: Python builds: pip into a virtualenv, copied whole with the
// application directory.

import (
	"path"
	"regexp"
	"slices"
	"strings"
)

func (b *msBuild) pythonCmd(c *msCmd) string {
	if !c.allLit() || !c.cwdKnown {
		b.fail(c.in, "%s has arguments or a directory dockopt cannot resolve", c.name)
		return "unknown"
	}
	a := c.argv
	switch {
	case c.name == "virtualenv":
		for _, x := range a {
			if !strings.HasPrefix(x, "-") {
				b.venv, _ = c.abs(x)
			}
		}
	case strings.HasPrefix(c.name, "pip"):
		b.pipCmd(c, a)
	case len(a) >= 1 && (a[0] == "--version" || a[0] == "-V"):
		return "harmless"
	case len(a) >= 2 && a[0] == "-m" && a[1] == "venv":
		for _, x := range a[2:] {
			if !strings.HasPrefix(x, "-") {
				b.venv, _ = c.abs(x)
			}
		}
	case len(a) >= 2 && a[0] == "-m" && a[1] == "pip":
		b.pipCmd(c, a[2:])
	case len(a) >= 2 && a[0] == "-m" && a[1] == "compileall":
	default:
		b.fail(c.in, "%s %s runs code whose effect on the image dockopt cannot tell", c.name, strings.Join(a, " "))
		return "unknown"
	}
	if b.venv != "" && msSystemDir(b.venv) {
		b.fail(c.in, "the virtualenv %s is in a system directory", b.venv)
	}
	return b.setLang(c, "python")
}

func (b *msBuild) pipCmd(c *msCmd, args []string) {
	sub := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			sub = a
			break
		}
	}
	if sub != "install" {
		return
	}
	for i, a := range args {
		switch a {
		case "--user", "--target", "-t", "--prefix", "--root", "--src":
			b.fail(c.in, "pip install %s installs outside the virtualenv", a)
			return
		case "-r", "--requirement":
			if i+1 < len(args) {
				b.pipReqs = append(b.pipReqs, msReq{c: c, file: args[i+1]})
			}
		}
		if a == "--no-binary" || strings.HasPrefix(a, "--no-binary=") {
			b.fail(c.in, "pip install --no-binary builds packages against the builder's system libraries")
			return
		}
		if !strings.HasPrefix(a, "-") && a != "install" && (i == 0 || args[i-1] != "-r" && args[i-1] != "--requirement" && args[i-1] != "-c" && args[i-1] != "-i" && args[i-1] != "--index-url") {
			if strings.HasPrefix(a, ".") || strings.HasPrefix(a, "/") {
				if p, ok := c.abs(a); ok {
					b.pipLocal = append(b.pipLocal, p)
				}
				continue
			}
			b.pipPkgs = append(b.pipPkgs, msReqName(a))
		}
	}
	venv := ""
	switch {
	case strings.Contains(c.prog, "/"):
		if p, ok := c.abs(c.prog); ok && path.Base(path.Dir(p)) == "bin" {
			venv = path.Dir(path.Dir(p))
		}
	case c.venv != "":
		venv = c.venv
	default:
		pathVar, ok := c.env["PATH"]
		if v := b.env["PATH"]; !ok && v.known {
			pathVar, ok = v.v, true
		}
		if ok {
			venv = path.Dir(strings.SplitN(pathVar, ":", 2)[0])
		}
	}
	if b.venv == "" || venv != b.venv {
		b.fail(c.in, "pip installs into the system site-packages, not a virtualenv: multi-stage copies a virtualenv whole (create one with python -m venv and put its bin first on PATH)")
	}
}

type msReq struct {
	c    *msCmd
	file string
}

var reReqName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*`)

// msReqName is the normalised project name of a requirement.
func msReqName(r string) string {
	n := reReqName.FindString(strings.TrimSpace(r))
	return strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(n))
}

// pythonProgram reports whether a program the container runs is the
// interpreter or a console script of a package pip installed.
func (b *msBuild) pythonProgram(name string) bool {
	if regexp.MustCompile(`^python[0-9.]*$`).MatchString(name) {
		return true
	}
	names := slices.Clone(b.pipPkgs)
	for _, r := range b.pipReqs {
		p, ok := r.c.abs(r.file)
		if !ok {
			continue
		}
		src, ok := b.readAt(p)
		if !ok {
			continue
		}
		for _, l := range strings.Split(string(src), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "-") {
				names = append(names, msReqName(l))
			}
		}
	}
	n := strings.ToLower(name)
	for _, r := range names {
		if r != "" && (n == r || strings.HasPrefix(n, r+"-")) {
			return true
		}
	}
	return false
}

// pythonArtifacts are the virtualenv and the directories the build context
// was copied to.
func (b *msBuild) pythonArtifacts() ([]string, string) {
	if b.venv == "" {
		return nil, "no virtualenv was created"
	}
	out := []string{b.venv}
	for _, s := range b.srcDirs {
		d := s.dest
		if pathUnder(d, b.venv) {
			continue
		}
		dup := false
		for i, o := range out {
			if pathUnder(d, o) {
				dup = true
			} else if pathUnder(o, d) {
				out[i], dup = d, true
			}
		}
		if !dup {
			out = append(out, d)
		}
	}
	return slices.Compact(out), ""
}

// msNativePython are packages that are built from source against system
// libraries of the full python image (or load them at run time) that the
// -slim image does not have: the copied virtualenv would fail to import them.
var msNativePython = wordSet("psycopg2 psycopg mysqlclient mariadb pycurl python-ldap uwsgi pyodbc pygobject dbus-python",
	"gssapi pykerberos m2crypto pycairo cairosvg pygraphviz python-magic pyaudio gdal cx-oracle oracledb weasyprint xmlsec pyvips python-poppler")

// checkPythonDeps refuses requirements that need system libraries at run
// time, and requirements dockopt cannot read.
func (b *msBuild) checkPythonDeps() {
	names, local := slices.Clone(b.pipPkgs), b.pipLocal
	for _, r := range b.pipReqs {
		p, ok := r.c.abs(r.file)
		src, read := b.readAt(p)
		if !ok || !read {
			b.fail(r.c.in, "the requirements file %s is not in the build context, so whether a package needs system libraries at run time is unknown", r.file)
			return
		}
		for _, l := range strings.Split(string(src), "\n") {
			l = strings.TrimSpace(l)
			switch {
			case l == "" || strings.HasPrefix(l, "#"):
			case strings.HasPrefix(l, "-r") || strings.HasPrefix(l, "-c") || strings.HasPrefix(l, "--requirement") || strings.HasPrefix(l, "-e") || strings.HasPrefix(l, "--no-binary") || strings.HasPrefix(l, "."):
				b.fail(r.c.in, "%s has `%s`, which multi-stage does not follow", r.file, l)
				return
			case strings.HasPrefix(l, "-"):
			default:
				names = append(names, msReqName(l))
			}
		}
	}
	for _, l := range local {
		text := ""
		for _, f := range []string{"pyproject.toml", "setup.cfg", "setup.py"} {
			if src, ok := b.readAt(path.Join(l, f)); ok {
				text += strings.ToLower(string(src))
			}
		}
		if text == "" {
			b.fail(b.langAt, "pip installs the project in %s, whose dependencies are not in the build context", l)
			return
		}
		for n := range msNativePython {
			if strings.Contains(text, `"`+n) || strings.Contains(text, `'`+n) || strings.Contains(text, "\n"+n) {
				names = append(names, n)
			}
		}
	}
	for _, n := range names {
		if msNativePython[n] {
			b.fail(b.langAt, "the requirement %s needs system libraries of %s at run time that %s lacks", n, b.st.Base, b.runtime)
			return
		}
	}
}
