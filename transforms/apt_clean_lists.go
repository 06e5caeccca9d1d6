package transforms

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/dockopt/dockopt/rewrite"
)

// AptCleanLists removes apt's package lists in the RUN that downloaded them.
var AptCleanLists = &rewrite.Transform{
	ID:      "apt-clean-lists",
	Hints:   []string{"apt"}, // fast path: files without these cannot change
	Summary: "Remove /var/lib/apt/lists in the RUN that runs apt-get update",
	Rationale: "apt-get update downloads package lists (tens of megabytes) into /var/lib/apt/lists. " +
		"Removed in a later RUN they still weigh in the earlier layer, so they must go in the same RUN: " +
		"dockopt appends `&& rm -rf /var/lib/apt/lists/*` in the author's continuation style (apt-get " +
		"clean does not remove them). It leaves the RUN alone when the lists are a --mount target of " +
		"it (a cache mount keeps them on purpose), when a later RUN of the stage or of a stage built FROM " +
		"it, or an ONBUILD trigger, uses apt without its own apt-get update (it would fail without the " +
		"lists), and when the last command runs in the background.",
	Before: "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\n",
	After: "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl \\\n" +
		"    && rm -rf /var/lib/apt/lists/*\n",
	Default: true,
	Run:     runCleanLists,

	Hadolint: []string{"DL3009"},
}

const aptLists = "/var/lib/apt/lists"

// reUpdateText finds `apt-get update` in text the shell layer cannot read.
var reUpdateText = regexp.MustCompile(`\bapt(-get)?["',\s]+(-\S+["',\s]+)*update\b`)

func runCleanLists(p *rewrite.Pass) {
	d := p.Doc
	var users *listsUsers // built on first use: most files have no update to clean
	for _, in := range d.Instructions {
		if in.Stage == nil {
			continue
		}
		switch in.Cmd {
		case "run":
		case "onbuild":
			if reUpdateText.MatchString(in.Text(d)) {
				p.Skip(in, "ONBUILD instructions are left alone")
			}
			continue
		default:
			continue
		}
		sh, err := d.Shell(in)
		if err != nil {
			if reUpdateText.MatchString(in.Text(d)) {
				p.Skip(in, "not checked for apt-get update: "+err.Error())
			}
			continue
		}
		cleanListsRun(p, in, sh, func() *listsUsers {
			if users == nil {
				users = newListsUsers(d)
			}
			return users
		})
	}
}

func cleanListsRun(p *rewrite.Pass, in *rewrite.Instruction, sh *rewrite.Shell, users func() *listsUsers) {
	var update *aptCmd
	sudo, sudoOpts := "", false
	cleaned := false
	for _, c := range sh.Commands() {
		if a := readApt(c); a != nil && a.Name != "apt-cache" && a.Sub == "update" {
			update, cleaned = a, false
			prefix, ok := a.sudo()
			if prefix != "" {
				// A non-root USER runs apt through sudo: rm needs it too.
				sudo = prefix + " "
			}
			sudoOpts = sudoOpts || !ok
			continue
		}
		// Only a removal after the last update counts: lists fetched after
		// an rm are still in the layer.
		if update != nil && c.Name == "rm" && removesLists(c) {
			cleaned = true
		}
	}
	if update == nil || cleaned {
		return
	}
	name := update.Name + " update"
	if sudoOpts {
		p.Skip(in, fmt.Sprintf("left alone: %s runs through sudo with options, which rm would have to repeat", name))
		return
	}
	if m := listsMount(in); m != "" {
		p.Skip(in, fmt.Sprintf("left alone: %s is a --mount target of this RUN, so the lists are not in the layer and removing them would defeat or break the mount", m))
		return
	}
	if x, why := users().listsUsedLater(in); x != nil {
		p.Skip(in, fmt.Sprintf("left alone: line %d %s and needs the package lists %s downloads", x.StartLine, why, name))
		return
	}
	e, err := sh.AppendCommand(sudo + "rm -rf " + aptLists + "/*")
	if err != nil {
		p.Skip(in, "left alone: "+err.Error())
		return
	}
	p.Fix(in, fmt.Sprintf("removed the package lists %s downloads in the same layer", name), e)
}

// removesLists reports whether an rm command's arguments cover the lists:
// /var/lib/apt/lists, a directory above it, or a glob of the files in it
// (lists/*, and lists/*_* which spares only the lock and partial/).
func removesLists(c *rewrite.Command) bool {
	for _, w := range c.Args {
		v, ok := rewrite.WordLit(w)
		if !ok || strings.HasPrefix(v, "-") {
			continue
		}
		v = path.Clean(v)
		if dir, file := path.Split(v); path.Clean(dir) == aptLists && strings.Contains(file, "*") {
			return true
		}
		if coversLists(strings.TrimSuffix(v, "/*")) {
			return true
		}
	}
	return false
}

// coversLists reports whether dir is /var/lib/apt/lists or above it.
func coversLists(dir string) bool {
	dir = path.Clean(dir)
	return dir == aptLists || dir == "/" || strings.HasPrefix(aptLists, dir+"/")
}

// listsMount is the target of a --mount of in that overlaps the lists
// (above, at or inside /var/lib/apt/lists), or "". A cache mount keeps the
// lists out of the layer on purpose; an rm would empty the cache, fail on a
// read-only bind mount, or fail on a mount point inside the lists.
func listsMount(in *rewrite.Instruction) string {
	for _, f := range in.Flags() {
		spec, ok := strings.CutPrefix(f, "--mount=")
		if !ok {
			continue
		}
		for _, kv := range strings.Split(spec, ",") {
			k, v, _ := strings.Cut(kv, "=")
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "target", "dst", "destination":
				t := strings.Trim(strings.TrimSpace(v), `"'`)
				if strings.Contains(t, "$") || coversLists(t) || strings.HasPrefix(path.Clean(t), aptLists+"/") {
					return t
				}
			}
		}
	}
	return ""
}

// aptNoLists are apt subcommands that work without package lists.
var aptNoLists = map[string]bool{
	"update": true, "clean": true, "autoclean": true, "auto-clean": true, "remove": true,
	"autoremove": true, "auto-remove": true, "purge": true, "help": true, "moo": true,
}

// listsUsedLater finds an instruction built on in's result that uses the
// package lists without downloading its own: apt (other than update, clean,
// remove...) before any apt-get update of its RUN, an ONBUILD or a RUN the
// shell layer cannot read that mentions apt and no update, or a COPY --from
// of /var/lib/apt. It is the first such instruction of after(d, in), else
// the first COPY/ADD --from of /var/lib/apt in another stage.
//
// The answers are precomputed once per pass (listsUsers): a scan of every
// later instruction for each RUN made a file of many RUNs quadratic.
func (u *listsUsers) listsUsedLater(in *rewrite.Instruction) (*rewrite.Instruction, string) {
	st := in.Stage
	next := u.stageNext(st)
	// A stage's Instructions directly follow its FROM: in is
	// Instructions[i-1], and next[i] is the first user after it.
	i := in.Index - st.From.Index
	if i < 1 || i > len(st.Instructions) || st.Instructions[i-1] != in {
		// Not expected; the plain scan gives the same answer.
		for _, x := range after(u.d, in) {
			if u.why[x] != "" {
				return x, u.why[x]
			}
		}
	} else if next[i] >= 0 {
		x := st.Instructions[next[i]]
		return x, u.why[x]
	}
	if x := u.descFirst(st); x != nil {
		return x, u.why[x]
	}
	for _, x := range u.copies {
		if x.Stage != in.Stage {
			return x, "copies /var/lib/apt from another stage"
		}
	}
	return nil, ""
}

// listsUsers holds, for one pass, which instructions use the package lists
// (listsUser) and per-stage summaries of them, so that listsUsedLater answers
// in constant time per RUN.
type listsUsers struct {
	d      *rewrite.Document
	why    map[*rewrite.Instruction]string // the users and why they use the lists
	copies []*rewrite.Instruction          // COPY/ADD --from of /var/lib/apt, in document order
	next   map[*rewrite.Stage][]int        // stageNext's answers
	desc   map[*rewrite.Stage]*rewrite.Instruction
	descOK map[*rewrite.Stage]bool
}

func newListsUsers(d *rewrite.Document) *listsUsers {
	u := &listsUsers{d: d, why: map[*rewrite.Instruction]string{},
		next: map[*rewrite.Stage][]int{}, desc: map[*rewrite.Stage]*rewrite.Instruction{}, descOK: map[*rewrite.Stage]bool{}}
	for _, x := range d.Instructions {
		if x.Stage == nil {
			continue
		}
		if why := listsUser(d, x); why != "" {
			u.why[x] = why
		}
	}
	// Another stage may copy the lists out of this one.
	for _, x := range d.Instructions {
		if (x.Cmd == "copy" || x.Cmd == "add") && strings.Contains(x.Text(d), "/var/lib/apt") {
			for _, f := range x.Flags() {
				if strings.HasPrefix(f, "--from=") {
					u.copies = append(u.copies, x)
					break
				}
			}
		}
	}
	return u
}

// stageNext is, for each i in 0..len(st.Instructions), the index of the
// first user among st.Instructions[i:], or -1.
func (u *listsUsers) stageNext(st *rewrite.Stage) []int {
	if n, ok := u.next[st]; ok {
		return n
	}
	n := make([]int, len(st.Instructions)+1)
	n[len(st.Instructions)] = -1
	for i := len(st.Instructions) - 1; i >= 0; i-- {
		n[i] = n[i+1]
		if u.why[st.Instructions[i]] != "" {
			n[i] = i
		}
	}
	u.next[st] = n
	return n
}

// descFirst is the first user among the instructions of the stages built
// FROM st (in after's order), or nil.
func (u *listsUsers) descFirst(st *rewrite.Stage) *rewrite.Instruction {
	if u.descOK[st] {
		return u.desc[st]
	}
	var first *rewrite.Instruction
	for _, s := range descendants(u.d, st) {
		for _, x := range s.Instructions {
			if u.why[x] != "" {
				first = x
				break
			}
		}
		if first != nil {
			break
		}
	}
	u.desc[st], u.descOK[st] = first, true
	return first
}

// listsUser is why x uses the package lists when it runs on top of an image
// that has them, or "".
func listsUser(d *rewrite.Document, x *rewrite.Instruction) string {
	text := x.Text(d)
	switch x.Cmd {
	case "copy", "add":
		if strings.Contains(text, "/var/lib/apt") {
			return "copies from /var/lib/apt"
		}
	case "onbuild":
		if reMentionsApt.MatchString(text) {
			return "is an ONBUILD trigger that uses apt"
		}
	case "run":
		sh, err := d.Shell(x)
		if err != nil {
			if reMentionsApt.MatchString(text) && !reUpdateText.MatchString(text) {
				return "uses apt in a RUN dockopt cannot read"
			}
			return ""
		}
		for _, c := range sh.Commands() {
			a := readApt(c)
			if a == nil {
				continue
			}
			if a.Name != "apt-cache" && a.Sub == "update" && !a.SubUnsure {
				break
			}
			if a.Name == "apt-cache" || a.SubUnsure || !aptNoLists[a.Sub] && a.Sub != "" {
				return fmt.Sprintf("runs %s %s without its own apt-get update", a.Name, a.Sub)
			}
		}
	}
	return ""
}
