package transforms

// multi-stage: reading the manifests that name artifacts: Cargo.toml and
// Cargo.lock (a TOML subset), pom.xml, settings.gradle, Makefiles and
// CMakeLists.txt.

import (
	"encoding/xml"
	"path"
	"regexp"
	"strings"
)

// tomlSections reads the simple TOML of Cargo.toml and Cargo.lock: for each
// [section] or [[array]] header, the key = value lines under it (string
// values unquoted). Enough for names; anything fancier is not needed.
func tomlSections(src []byte) []tomlSection {
	var out []tomlSection
	cur := tomlSection{}
	for _, line := range strings.Split(string(src), "\n") {
		l := strings.TrimSpace(line)
		if i := strings.Index(l, " #"); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "["):
			out = append(out, cur)
			cur = tomlSection{name: strings.Trim(l, "[] "), keys: map[string]string{}}
		default:
			k, v, ok := strings.Cut(l, "=")
			if ok && cur.keys != nil {
				cur.keys[strings.Trim(strings.TrimSpace(k), `"`)] = strings.Trim(strings.TrimSpace(v), `"'`)
			} else if ok {
				cur.keys = map[string]string{strings.Trim(strings.TrimSpace(k), `"`): strings.Trim(strings.TrimSpace(v), `"'`)}
			}
		}
	}
	return append(out, cur)
}

type tomlSection struct {
	name string
	keys map[string]string
}

// pomInfo is what a pom.xml says about its jar.
type pomInfo struct {
	ArtifactID string `xml:"artifactId"`
	Version    string `xml:"version"`
	Packaging  string `xml:"packaging"`
	Build      struct {
		FinalName string `xml:"finalName"`
	} `xml:"build"`
}

func parsePom(src []byte) (pomInfo, bool) {
	var p pomInfo
	if err := xml.Unmarshal(src, &p); err != nil || p.ArtifactID == "" {
		return p, false
	}
	return p, true
}

var reGradleRoot = regexp.MustCompile(`rootProject\.name\s*=\s*["']([^"']+)["']`)

// makefile is the explicit rules of a simple Makefile.
type makefile struct {
	rules  map[string][]string // target -> prerequisites
	order  []string            // targets in order
	phony  map[string]bool
	vars   map[string]string
	text   string
	reason string // why it cannot be followed
}

var (
	reMakeVar  = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*(:=|::=|\?=|\+=|=)\s*(.*)$`)
	reMakeRule = regexp.MustCompile(`^([^\t#=:][^=:]*?)\s*::?\s*([^=].*)?$`)
	reMakeRef  = regexp.MustCompile(`\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]`)
	reLinkLib  = regexp.MustCompile(`(?:^|\s)-l\s*([A-Za-z0-9_+.-]+)`)
)

func parseMakefile(src []byte) *makefile {
	m := &makefile{rules: map[string][]string{}, phony: map[string]bool{}, vars: map[string]string{}, text: string(src)}
	if strings.Contains(m.text, "$(shell") || strings.Contains(m.text, "pkg-config") || strings.Contains(m.text, "include ") {
		m.reason = "the Makefile runs shell commands, pkg-config or includes other makefiles"
		return m
	}
	for _, l := range reLinkLib.FindAllStringSubmatch(m.text, -1) {
		if !cAllowedLibs[l[1]] {
			m.reason = "the Makefile links lib" + l[1] + ", whose run-time package dockopt does not know"
			return m
		}
	}
	text := strings.ReplaceAll(m.text, "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if v := reMakeVar.FindStringSubmatch(strings.TrimSpace(line)); v != nil {
			if v[2] == "+=" {
				m.vars[v[1]] += " " + v[3]
			} else if v[2] != "?=" || m.vars[v[1]] == "" {
				m.vars[v[1]] = v[3]
			}
			continue
		}
		r := reMakeRule.FindStringSubmatch(line)
		if r == nil {
			continue
		}
		prereqs := strings.Fields(m.expand(strings.SplitN(r[2], ";", 2)[0]))
		for _, t := range strings.Fields(m.expand(r[1])) {
			if t == ".PHONY" {
				for _, p := range prereqs {
					m.phony[p] = true
				}
				continue
			}
			if _, seen := m.rules[t]; !seen {
				m.order = append(m.order, t)
			}
			m.rules[t] = append(m.rules[t], prereqs...)
		}
	}
	return m
}

func (m *makefile) expand(s string) string {
	for i := 0; i < 8 && strings.Contains(s, "$"); i++ {
		s = reMakeRef.ReplaceAllStringFunc(s, func(ref string) string {
			return m.vars[reMakeRef.FindStringSubmatch(ref)[1]]
		})
	}
	return s
}

// outputs are the program files the goals build: explicit, non-phony rule
// targets reached from the goals that are not objects, libraries or sources.
func (m *makefile) outputs(goals []string) []string {
	if len(goals) == 0 {
		for _, t := range m.order {
			if !strings.HasPrefix(t, ".") && !strings.Contains(t, "%") {
				goals = []string{t}
				break
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	var visit func(t string)
	visit = func(t string) {
		if seen[t] {
			return
		}
		seen[t] = true
		prereqs, ok := m.rules[t]
		if !ok {
			return
		}
		switch path.Ext(t) {
		case ".o", ".a", ".so", ".d", ".lo", ".obj", ".h", ".c", ".cc", ".cpp", ".gch":
		default:
			if !m.phony[t] && !strings.ContainsAny(t, "%$") {
				out = append(out, t)
			}
		}
		for _, p := range prereqs {
			visit(p)
		}
	}
	for _, g := range goals {
		visit(g)
	}
	return out
}

// cAllowedLibs are the libraries every glibc or musl image has.
var cAllowedLibs = wordSet("m pthread dl rt c stdc++ gcc gcc_s crypt util resolv atomic")

var (
	reCMakeExe     = regexp.MustCompile(`(?i)add_executable\s*\(\s*([^\s)]+)`)
	reCMakeProject = regexp.MustCompile(`(?i)project\s*\(\s*([A-Za-z0-9_.+-]+)`)
	reCMakeBad     = regexp.MustCompile(`(?i)add_subdirectory|output_directory|pkg_check_modules|find_library|add_library\s*\([^)]*\bSHARED\b|set_target_properties`)
	reCMakeFind    = regexp.MustCompile(`(?i)find_package\s*\(\s*([A-Za-z0-9_]+)`)
	reCMakeLink    = regexp.MustCompile(`(?is)target_link_libraries\s*\(([^)]*)\)`)
)

// cmakeExecutables names the programs a CMakeLists.txt builds, or says why
// it cannot be followed.
func cmakeExecutables(src []byte) ([]string, string) {
	s := string(src)
	if m := reCMakeBad.FindString(s); m != "" {
		return nil, "CMakeLists.txt uses " + m + ", which multi-stage does not follow"
	}
	for _, f := range reCMakeFind.FindAllStringSubmatch(s, -1) {
		if f[1] != "Threads" {
			return nil, "CMakeLists.txt finds the package " + f[1] + ", a library the runtime image may lack"
		}
	}
	project := ""
	if p := reCMakeProject.FindStringSubmatch(s); p != nil {
		project = p[1]
	}
	var exes []string
	for _, e := range reCMakeExe.FindAllStringSubmatch(s, -1) {
		name := strings.ReplaceAll(e[1], "${PROJECT_NAME}", project)
		if strings.ContainsAny(name, "${}\"") || name == "" {
			return nil, "CMakeLists.txt names an executable with " + e[1]
		}
		exes = append(exes, name)
	}
	for _, l := range reCMakeLink.FindAllStringSubmatch(s, -1) {
		for i, w := range strings.Fields(l[1]) {
			w = strings.TrimPrefix(w, "-l")
			if i == 0 || w == "PRIVATE" || w == "PUBLIC" || w == "INTERFACE" || w == "Threads::Threads" || cAllowedLibs[w] {
				continue
			}
			return nil, "CMakeLists.txt links " + w + ", a library the runtime image may lack"
		}
	}
	return exes, ""
}
