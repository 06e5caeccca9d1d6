package transforms

// multi-stage: Java, Node and Python builds, whose artifacts are named by
// what the container runs (a jar, a script in the build's output
// directory, a virtualenv and the application directory).

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"
)

type msJavaOut struct {
	path string
	dir  bool
}

func (b *msBuild) javaTool(c *msCmd) string {
	if !c.allLit() {
		b.fail(c.in, "%s has an argument the shell computes", c.name)
		return "unknown"
	}
	a := c.argv
	switch c.name {
	case "javac":
		for i := 0; i+1 < len(a); i++ {
			if a[i] == "-d" {
				if p, ok := c.abs(a[i+1]); ok {
					b.javaDirs = append(b.javaDirs, msJavaOut{path: p, dir: true})
				}
			}
		}
	case "jar":
		if len(a) == 0 {
			break
		}
		file := ""
		if strings.HasPrefix(a[0], "--") {
			for i, x := range a {
				if v, ok := strings.CutPrefix(x, "--file="); ok {
					file = v
				} else if x == "--file" && i+1 < len(a) {
					file = a[i+1]
				}
			}
		} else if letters := strings.TrimPrefix(a[0], "-"); strings.Contains(letters, "c") {
			next := 1
			for _, l := range letters {
				if l == 'f' || l == 'm' || l == 'e' {
					if next < len(a) && l == 'f' {
						file = a[next]
					}
					next++
				}
			}
		}
		if file != "" {
			if p, ok := c.abs(file); ok {
				b.javaDirs = append(b.javaDirs, msJavaOut{path: p})
			}
		}
	}
	return b.setLang(c, "java")
}

func (b *msBuild) javaBuild(c *msCmd) string {
	if !c.cwdKnown {
		b.fail(c.in, "%s runs in a directory dockopt cannot resolve", c.name)
		return "unknown"
	}
	for _, a := range c.argv {
		switch a {
		case "-f", "--file", "-pl", "--projects", "-p", "--project-dir", "-b", "--build-file":
			b.fail(c.in, "%s %s is not followed", c.name, a)
			return "unknown"
		}
	}
	if strings.HasPrefix(c.name, "mvn") {
		b.mavens = append(b.mavens, c.cwd)
	} else {
		b.gradles = append(b.gradles, c.cwd)
	}
	return b.setLang(c, "java")
}

// javaArtifact is the jar or class directory a `java ...` command line
// runs, checked against what the build made.
func (b *msBuild) javaArtifact(args []string, at string) (string, string) {
	jar, cp := "", ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-jar" && i+1 < len(args):
			jar = args[i+1]
			i = len(args)
		case (a == "-cp" || a == "-classpath" || a == "--class-path") && i+1 < len(args):
			cp = args[i+1]
			i++
		case strings.HasPrefix(a, "-javaagent") || a == "-m" || a == "--module" || a == "-p" || a == "--module-path":
			return "", "java " + a + " loads files dockopt does not follow"
		case a == "--add-opens" || a == "--add-exports" || a == "--add-modules":
			i++
		case !strings.HasPrefix(a, "-"):
			i = len(args)
		}
	}
	p := jar
	if p == "" {
		p = cp
	}
	if p == "" || strings.ContainsAny(p, ":*;$") {
		return "", "java runs classes from a class path dockopt cannot pin to one artifact (use -jar or a single -cp directory)"
	}
	abs := p
	if !strings.HasPrefix(p, "/") {
		if !b.wdKnown {
			return "", "java runs " + p + " relative to a WORKDIR dockopt cannot resolve"
		}
		abs = path.Join(at, p)
	}
	for _, o := range b.javaDirs {
		if o.path == abs && o.dir == (jar == "") {
			return abs, ""
		}
	}
	if jar == "" {
		return "", "java -cp " + p + " is not a directory javac -d wrote"
	}
	base := path.Base(abs)
	if !strings.HasSuffix(base, ".jar") && !strings.HasSuffix(base, ".war") {
		return "", "java -jar " + p + " is not a jar"
	}
	for _, m := range b.mavens {
		if path.Dir(abs) != path.Join(m, "target") {
			continue
		}
		src, ok := b.readAt(path.Join(m, "pom.xml"))
		pom, parsed := parsePom(src)
		if ok && parsed && (strings.HasPrefix(base, pom.ArtifactID) || pom.Build.FinalName != "" && strings.HasPrefix(base, pom.Build.FinalName)) {
			return abs, ""
		}
		return "", "java -jar " + p + " does not match the artifactId of " + m + "/pom.xml (which the build context must hold)"
	}
	for _, g := range b.gradles {
		if path.Dir(abs) != path.Join(g, "build/libs") {
			continue
		}
		name := path.Base(g)
		for _, f := range []string{"settings.gradle", "settings.gradle.kts"} {
			if src, ok := b.readAt(path.Join(g, f)); ok {
				if m := reGradleRoot.FindSubmatch(src); m != nil {
					name = string(m[1])
				}
			}
		}
		if strings.HasPrefix(base, name) {
			return abs, ""
		}
		return "", "java -jar " + p + " is not named after the Gradle project " + name
	}
	return "", "java -jar " + p + " is not an output of the build (mvn package writes target/, gradle build writes build/libs/)"
}

func (b *msBuild) npmCmd(c *msCmd) string {
	if len(c.argv) == 0 || !c.allLit() || !c.cwdKnown {
		b.fail(c.in, "npm with arguments or a directory dockopt cannot resolve")
		return "unknown"
	}
	sub := c.argv[0]
	var rest []string
	for _, a := range c.argv[1:] {
		if a == "-g" || a == "--global" || a == "--prefix" || strings.HasPrefix(a, "--prefix=") {
			b.fail(c.in, "npm %s %s installs outside the project", sub, a)
			return "unknown"
		}
		if !strings.HasPrefix(a, "-") {
			rest = append(rest, a)
		}
	}
	switch sub {
	case "ci", "install", "i":
		if len(rest) > 0 {
			b.fail(c.in, "npm %s %s adds packages the runtime stage's install would not", sub, strings.Join(rest, " "))
			return "unknown"
		}
		b.npmDir, b.npmCI = c.cwd, sub == "ci"
	case "run", "run-script":
		if len(rest) == 0 {
			b.fail(c.in, "npm run without a script")
			return "unknown"
		}
		b.npmBuilds = append(b.npmBuilds, rest[0])
	case "test", "t", "prune", "cache", "config", "audit", "version", "--version", "-v", "ls", "dedupe":
	default:
		b.fail(c.in, "npm %s is not a build step multi-stage knows", sub)
		return "unknown"
	}
	return b.setLang(c, "node")
}

// packageJSON is what multi-stage reads of package.json.
type packageJSON struct {
	Main         string            `json:"main"`
	Scripts      map[string]string `json:"scripts"`
	Dependencies map[string]any    `json:"dependencies"`
}

func (b *msBuild) packageJSON() (packageJSON, bool) {
	var pj packageJSON
	src, ok := b.readAt(path.Join(b.npmDir, "package.json"))
	if !ok || json.Unmarshal(src, &pj) != nil {
		return pj, false
	}
	return pj, true
}

// nodeBuildInputs are what a Node project's context may hold besides the
// sources: none of it is read at run time.
var nodeBuildInputs = regexp.MustCompile(`^(package(-lock)?\.json|npm-shrinkwrap\.json|\.npmrc|\.nvmrc|src|lib|test|tests|__tests__|tsconfig.*\.json|.*\.config\.(js|cjs|mjs|ts)|\.babelrc.*|\.eslintrc.*|\.eslintignore|\.prettierrc.*|\.editorconfig|\.gitignore|\.gitattributes|\.dockerignore|Dockerfile.*|README.*|LICENSE.*|CHANGELOG.*|\.git|\.github)$`)

// nodeArtifact checks what `node ...` runs and returns the build output
// directory to copy.
func (b *msBuild) nodeArtifact(script string, at string) (string, string) {
	if b.npmDir == "" || len(b.npmBuilds) == 0 {
		return "", "the stage does not run npm ci and npm run build"
	}
	if b.ctx == nil {
		return "", "the build context cannot be read, so which files the program needs is unknown"
	}
	pj, ok := b.packageJSON()
	if !ok {
		return "", "package.json is not in the build context at " + b.npmDir
	}
	if script == "." || script == "" {
		script = pj.Main
	}
	abs := script
	if !strings.HasPrefix(abs, "/") {
		abs = path.Join(at, script)
	}
	rel := strings.TrimPrefix(abs, b.npmDir+"/")
	if !pathUnder(abs, b.npmDir) || !strings.Contains(rel, "/") {
		return "", "node runs " + script + " from the source tree, not from a directory the build writes"
	}
	out := strings.Split(rel, "/")[0]
	ctxRel, ok := b.ctxPath(b.npmDir)
	if !ok {
		return "", "the project directory " + b.npmDir + " is not a copy of the build context"
	}
	for _, e := range b.ctx.list(ctxRel) {
		if e == out || out == "node_modules" {
			return "", "node runs " + script + ", but " + out + " comes from the build context, not from the build"
		}
		if !nodeBuildInputs.MatchString(e) {
			return "", "the build context holds " + e + ", which the program may read at run time and the runtime stage would not copy"
		}
	}
	for _, s := range []string{"preinstall", "install", "postinstall", "prepare"} {
		if pj.Scripts[s] != "" && len(pj.Dependencies) > 0 {
			return "", "package.json has a " + s + " script, which the runtime stage's npm install would run without the dev tools"
		}
	}
	return path.Join(b.npmDir, out), ""
}

// npmScript is the `node FILE` a package.json script runs.
func (b *msBuild) npmScript(name string) (string, string) {
	pj, ok := b.packageJSON()
	if !ok {
		return "", "package.json is not in the build context"
	}
	f := strings.Fields(pj.Scripts[name])
	if len(f) < 2 || f[0] != "node" || strings.ContainsAny(pj.Scripts[name], "&|;$`<>") {
		return "", "the " + name + " script (" + pj.Scripts[name] + ") does not run `node FILE`"
	}
	for _, a := range f[1:] {
		if !strings.HasPrefix(a, "-") {
			return a, ""
		}
	}
	return "", "the " + name + " script runs no file"
}
