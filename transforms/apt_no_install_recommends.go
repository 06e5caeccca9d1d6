package transforms

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// AptNoInstallRecommends adds --no-install-recommends to apt installs.
var AptNoInstallRecommends = &rewrite.Transform{
	ID:      "apt-no-install-recommends",
	Hints:   []string{"apt"}, // fast path: files without these cannot change
	Summary: "Add --no-install-recommends to apt-get/apt install",
	Rationale: "apt installs every recommended package by default, which often doubles an image with " +
		"documentation, compilers and tools nothing in the build uses. With --no-install-recommends only " +
		"what the packages depend on is installed. Dropping recommends can drop ca-certificates, which " +
		"curl, wget and git need for HTTPS: dockopt then adds ca-certificates to the same install. It " +
		"leaves alone installs that already decide about recommends (the flag, -o APT::Install-Recommends, " +
		"an apt.conf written earlier), installs whose package list is computed ($PKGS) or a local .deb, and " +
		"installs whose recommends the build visibly needs (python3-pip before pip install: the compiler; " +
		"gcc without libc6-dev; git before an ssh clone: ssh-client; and a few more well-known cases).",
	Before:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
	After:   "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl ca-certificates\n",
	Default: true,
	Run:     runNoInstallRecommends,

	Hadolint: []string{"DL3015"},
}

// needsCA are packages that only recommend ca-certificates (directly or via
// libcurl4) and are useless without it for HTTPS (https apt sources for
// apt-transport-https).
var needsCA = map[string]bool{
	"curl": true, "wget": true, "git": true, "git-lfs": true, "libcurl4": true, "apt-transport-https": true,
}

// recommendsNeeded are installs whose recommended packages the build
// visibly relies on: dropping them would break a later step (later nil:
// installing the package at all means it will be used that way). unless
// lists packages that provide what is needed when installed in the same
// command or earlier in the stage. The list holds the well-known cases
// (checked against Debian bookworm's Recommends), not every package.
var recommendsNeeded = []struct {
	pkgs   *regexp.Regexp
	later  *regexp.Regexp
	unless []string
	why    string
}{
	{regexp.MustCompile(`^python3?-pip$`), regexp.MustCompile(`\b(pip[0-9.]*|pipenv|poetry)\s+(-\S+\s+)*(install|wheel|sync)\b`), nil,
		"pip install later may need the compiler and headers python3-pip only recommends (build-essential, python3-dev)"},
	{regexp.MustCompile(`^git(-core)?$`), regexp.MustCompile(`\bssh\b|git@|type=ssh`), []string{"ssh-client", "openssh-client"},
		"git is used over ssh later and ssh-client is only recommended by git"},
	{regexp.MustCompile(`^(gnupg2?|gpg)$`), regexp.MustCompile(`--recv-keys?\b|--keyserver\b|--fetch-keys?\b|\bapt-key\s+adv\b`), []string{"dirmngr"},
		"keys are fetched from a keyserver later and dirmngr is only recommended (by gpg, and by gnupg in some releases)"},
	{regexp.MustCompile(`^gcc(-[0-9.]+)?$`), nil, []string{"libc6-dev", "libc-dev", "build-essential", "g++"},
		"gcc only recommends libc6-dev, without which it cannot build a program"},
	{regexp.MustCompile(`^golang(-go|-[0-9.]+-go|-[0-9.]+)?$`), regexp.MustCompile(`\bgo\s+(build|install|test|run|generate|get|vet)\b`), []string{"build-essential", "g++"},
		"go uses gcc and libc6-dev for cgo, which golang-go only recommends"},
	{regexp.MustCompile(`^cmake$`), regexp.MustCompile(`\bcmake\b`), []string{"build-essential"},
		"cmake only recommends the compiler and make it runs"},
	{regexp.MustCompile(`^(ruby-)?bundler$`), regexp.MustCompile(`\bbundle\b`), []string{"build-essential"},
		"bundle install may build native gems with build-essential and ruby-dev, which bundler only recommends"},
	{regexp.MustCompile(`^npm$`), regexp.MustCompile(`\bnpm\s+(-\S+\s+)*(install|i|ci|add|update)\b`), []string{"git"},
		"npm install may fetch git dependencies and npm only recommends git"},
	{regexp.MustCompile(`^rustc$`), regexp.MustCompile(`\bcargo\b`), []string{"cargo"},
		"cargo is used later and rustc only recommends it"},
	{regexp.MustCompile(`^software-properties-common$`), regexp.MustCompile(`\badd-apt-repository\b`), []string{"gpg-agent", "gnupg"},
		"add-apt-repository may need gpg-agent, which some releases only recommend"},
}

// reConfNoRecommends finds an apt configuration that sets Install-Recommends
// (to anything: "false" disables recommends, "true" is the author's explicit
// choice; either way the install is left as written).
var reConfNoRecommends = regexp.MustCompile(`(?i)APT::Install-Recommends`)

// aptStageState is what earlier instructions left in a stage's image.
type aptStageState struct {
	conf bool            // an apt.conf that sets Install-Recommends was written
	pkgs map[string]bool // packages installed explicitly (by name, or added by this transform)
}

func runNoInstallRecommends(p *rewrite.Pass) {
	d := p.Doc
	texts := &afterTexts{d: d}
	done := map[*rewrite.Stage]aptStageState{}
	for _, st := range d.Stages {
		state := aptStageState{pkgs: map[string]bool{}}
		for _, a := range ancestors(d, st) {
			state.conf = state.conf || done[a].conf
			for n := range done[a].pkgs {
				state.pkgs[n] = true
			}
		}
		for _, in := range st.Instructions {
			text := in.Text(d)
			switch in.Cmd {
			case "run":
				noRecommendsRun(p, in, &state, texts)
			case "onbuild":
				if reMentionsApt.MatchString(text) && strings.Contains(text, "install") {
					p.Skip(in, "ONBUILD instructions are left alone")
				}
			}
			state.conf = state.conf || writesAptConf(text)
		}
		done[st] = state
	}
}

// writesAptConf reports whether an instruction writes an apt configuration
// that sets Install-Recommends. It reads the text, not the shell, so it also
// sees heredoc and exec-form RUNs.
func writesAptConf(text string) bool {
	return strings.Contains(text, "/etc/apt/apt.conf") && reConfNoRecommends.MatchString(text)
}

func noRecommendsRun(p *rewrite.Pass, in *rewrite.Instruction, state *aptStageState, texts *afterTexts) {
	d := p.Doc
	sh, err := d.Shell(in)
	if err != nil {
		if text := in.Text(d); reMentionsApt.MatchString(text) && strings.Contains(text, "install") {
			p.Skip(in, "not checked for apt-get install: "+err.Error())
		}
		return
	}
	caAdded := false
	for _, c := range sh.Commands() {
		a := readApt(c)
		if a == nil || a.Name == "apt-cache" || a.Sub != "install" {
			continue
		}
		before := string(d.Src[in.Start:sh.Src(c.Call.Pos())])
		if a.hasOpt("--no-install-recommends", "--install-recommends") || setsRecommendsOpt(a) ||
			state.conf || writesAptConf(before) {
			continue // already decided, by the author
		}
		msg, fix := noRecommendsFix(in, sh, a, state.pkgs, texts)
		if fix == nil {
			p.Skip(in, msg)
			continue
		}
		p.Fix(in, msg, fix...)
		caAdded = caAdded || len(fix) > 1
	}
	// What this RUN installs (by the author or by this fix) is in the image
	// for every later RUN. Installs earlier in the same RUN do not count for
	// one another: they may sit in different if/else branches.
	for _, c := range sh.Commands() {
		if a := readApt(c); a != nil && a.Sub == "install" && a.Name != "apt-cache" {
			for _, n := range a.Names {
				state.pkgs[n] = true
			}
		}
	}
	if caAdded {
		state.pkgs["ca-certificates"] = true
	}
}

// setsRecommendsOpt reports whether -o APT::Install-Recommends=... is given
// (false|0|no disables recommends; any other value is the author's choice).
func setsRecommendsOpt(a *aptCmd) bool {
	for _, o := range a.Opts {
		if (o.Name == "-o" || o.Name == "--option") && strings.HasPrefix(strings.ToLower(o.Value), "apt::install-recommends") {
			return true
		}
	}
	return false
}

// noRecommendsFix is the edits for one install, or (nil, why) when the
// install cannot be shown safe without its recommends.
func noRecommendsFix(in *rewrite.Instruction, sh *rewrite.Shell, a *aptCmd, earlier map[string]bool, texts *afterTexts) (string, []rewrite.Edit) {
	cmd := a.Name + " install"
	switch {
	case a.SubUnsure:
		// `apt-get $OPTS install x`: a computed word may hold options that
		// decide about recommends already, or be the subcommand itself.
		return fmt.Sprintf("%s left alone: a computed word stands before the subcommand", cmd), nil
	case a.Unknown != "":
		// The ca-certificates rule below needs every package name: a
		// computed `$PKGS` or a pattern may well be curl or git.
		return fmt.Sprintf("%s left alone: %s is computed or a pattern, so dockopt cannot check what dropping recommends would remove", cmd, a.Unknown), nil
	case a.Local != "":
		return fmt.Sprintf("%s left alone: %s is a local package whose dependencies dockopt cannot read", cmd, a.Local), nil
	case len(a.Pkgs) == 0:
		// `apt-get install -f` after `dpkg -i x.deb` installs what x.deb
		// needs, which dockopt cannot read.
		return fmt.Sprintf("%s left alone: no package names to check", cmd), nil
	}
	for _, r := range recommendsNeeded {
		pkg := a.matching(r.pkgs)
		if pkg == "" || (r.later != nil && !r.later.MatchString(texts.from(in, sh.SrcEnd(a.Call.End())))) {
			continue
		}
		provided := false
		for _, u := range r.unless {
			provided = provided || a.installs(u) || earlier[u]
		}
		if !provided {
			return fmt.Sprintf("%s left alone: %s", cmd, r.why), nil
		}
	}
	edits := []rewrite.Edit{sh.InsertAfter(a.SubWord, " --no-install-recommends")}
	msg := fmt.Sprintf("added --no-install-recommends to %s", cmd)
	if !earlier["ca-certificates"] && !a.installs("ca-certificates") {
		for _, n := range a.Names {
			if needsCA[n] {
				edits = append(edits, sh.InsertAfter(a.Pkgs[len(a.Pkgs)-1], " ca-certificates"))
				msg += fmt.Sprintf(", and ca-certificates, which %s needs for HTTPS and only recommends", n)
				break
			}
		}
	}
	return msg, edits
}

// afterTexts gives the text that runs on top of an install: the rest of its
// instruction's source and the text of every instruction of after(d, in),
// joined. That is a suffix of one string per stage (its instructions' text,
// then that of the stages built FROM it), built once per pass: joining the
// later instructions again for each install made a file of many installs
// quadratic.
type afterTexts struct {
	d     *rewrite.Document
	stage map[*rewrite.Stage]string
	off   map[*rewrite.Instruction]int // where an instruction's text starts in its stage's string
}

// from is Src[pos:in.End] followed by the text of each instruction of
// after(d, in), for a pos within in.
func (t *afterTexts) from(in *rewrite.Instruction, pos int) string {
	st := in.Stage
	if _, ok := t.stage[st]; !ok {
		if t.stage == nil {
			t.stage, t.off = map[*rewrite.Stage]string{}, map[*rewrite.Instruction]int{}
		}
		var sb strings.Builder
		for _, x := range st.Instructions {
			t.off[x] = sb.Len()
			sb.WriteString(x.Text(t.d))
		}
		for _, s := range descendants(t.d, st) {
			for _, x := range s.Instructions {
				sb.WriteString(x.Text(t.d))
			}
		}
		t.stage[st] = sb.String()
	}
	off, ok := t.off[in]
	if !ok || pos < in.Start || pos > in.End {
		// Not expected (in is an instruction of its stage); join as before.
		later := string(t.d.Src[pos:in.End])
		for _, x := range after(t.d, in) {
			later += x.Text(t.d)
		}
		return later
	}
	return t.stage[st][off+pos-in.Start:]
}

// matching is the first package of an install whose name re matches, or "".
func (a *aptCmd) matching(re *regexp.Regexp) string {
	if a.Sub != "install" {
		return ""
	}
	for _, n := range a.Names {
		if re.MatchString(n) {
			return n
		}
	}
	return ""
}
