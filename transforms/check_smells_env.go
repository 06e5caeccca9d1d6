package transforms

// Report-only checks on what ends up in the image without being asked for:
// no-secrets-in-env (a literal secret in ARG/ENV) and dockerignore-missing
// (COPY . with no .dockerignore).

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/dockopt/dockopt/rewrite"
)

// NoSecretsInEnv reports ARG and ENV that give a secret-named variable a
// literal value.
var NoSecretsInEnv = &rewrite.Transform{
	ID:      "no-secrets-in-env",
	Summary: "Report ARG/ENV that set a password, token or key to a literal value",
	Rationale: "ENV values are stored in the image's config and ARG values in its build history: anyone who can " +
		"pull the image reads them with `docker inspect` or `docker history`, and they sit in the " +
		"repository too. Pass secrets with `RUN --mount=type=secret` at build time, or at run time " +
		"(environment, mounted files). Reported: a variable whose name has a word such as PASSWORD, " +
		"PASSWD, SECRET, TOKEN, CREDENTIAL(S), PASSPHRASE, APIKEY, or API/PRIVATE/ACCESS/SECRET/CLIENT/" +
		"SIGNING/ENCRYPTION _KEY, set to a literal non-empty value (an ENV value or an ARG default). Not " +
		"reported: names that say the value is not the secret itself (..._FILE, _PATH, _DIR, _URL, _NAME, " +
		"_USER, _LENGTH, _TTL, _PUBLIC_...), values built from variables, and true/false/yes/no/0/1. The " +
		"message names the variable, never the value.",
	Before:       "FROM alpine:3.20\nENV API_TOKEN=3f9a1c0e7b\nRUN ./deploy.sh\n",
	After:        "FROM alpine:3.20\nRUN --mount=type=secret,id=api_token,env=API_TOKEN ./deploy.sh\n",
	Default:      true,
	Hadolint:     []string{"DL3064"},
	BuildKitRule: "SecretsUsedInArgOrEnv",
	Run:          runNoSecretsInEnv,
	Hints:        []string{"pass", "pword", "secret", "token", "credential", "key"}, // fast path: files without these have nothing to report
}

var (
	smSecretWords = smellWords("password passwd pword pass secret secrets token credential credentials passphrase apikey " +
		"privatekey secretkey accesskey")
	smKeyQualifiers  = smellWords("api private access secret client signing encryption master")
	smNotSecretWords = smellWords("public file path dir url uri endpoint host port name user username type length len " +
		"min max size ttl timeout expiry expires expiration enabled disabled required header mode policy " +
		"prefix format algorithm location provider env var field")
	smNotSecretValues = smellWords("true false yes no on off none null nil 0 1")
)

func runNoSecretsInEnv(p *rewrite.Pass) {
	for _, in := range p.Doc.Instructions {
		if in.Cmd != "env" && in.Cmd != "arg" {
			continue
		}
		// A linter that reports nothing: with none, BuildKit dereferences nil
		// on a `# check=` comment right before the instruction.
		v, err := instructions.ParseInstructionWithLinter(in.Node, linter.New(&linter.Config{SkipAll: true}))
		if err != nil {
			continue
		}
		var pairs []instructions.KeyValuePairOptional
		switch c := v.(type) {
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				pairs = append(pairs, instructions.KeyValuePairOptional{Key: kv.Key, Value: &kv.Value})
			}
		case *instructions.ArgCommand:
			pairs = c.Args
		}
		for _, kv := range pairs {
			if kv.Value == nil || !smSecretName(kv.Key) || !smLiteralSecret(p.Doc, *kv.Value) {
				continue
			}
			p.Report(in, rewrite.SeverityError, fmt.Sprintf("%s %s sets a secret to a literal value: it is stored in the image (docker inspect/history show it); use RUN --mount=type=secret, or pass it at run time",
				strings.ToUpper(in.Cmd), kv.Key))
		}
	}
}

// smNameWords splits a variable name into lower-case words at _, -, . and
// camelCase boundaries (dbPassword -> db, password).
func smNameWords(name string) []string {
	var words []string
	var cur []rune
	prev := rune(0)
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			words, cur = smAppendWord(words, cur), nil
		} else {
			if unicode.IsUpper(r) && unicode.IsLower(prev) {
				words, cur = smAppendWord(words, cur), nil
			}
			cur = append(cur, unicode.ToLower(r))
		}
		prev = r
	}
	return smAppendWord(words, cur)
}

func smAppendWord(words []string, w []rune) []string {
	if len(w) > 0 {
		words = append(words, string(w))
	}
	return words
}

// smSecretName reports whether a variable name says it holds a secret.
func smSecretName(name string) bool {
	words := smNameWords(name)
	hit := false
	for i, w := range words {
		if smNotSecretWords[w] {
			return false
		}
		if smSecretWords[w] || w == "key" && i > 0 && smKeyQualifiers[words[i-1]] {
			hit = true
		}
	}
	return hit
}

// smLiteralSecret reports whether a raw ARG default or ENV value is a literal
// that may be a secret: not empty, not built from variables, not a flag.
func smLiteralSecret(d *rewrite.Document, raw string) bool {
	if strings.Contains(raw, "$") {
		return false
	}
	v, _, err := shell.NewLex(d.Escape).ProcessWord(raw, shell.EnvsFromSlice(nil))
	if err != nil {
		v = raw
	}
	v = strings.TrimSpace(v)
	return v != "" && !smNotSecretValues[strings.ToLower(v)] && !smPathLike.MatchString(v) && !smPathLike.MatchString(raw)
}

// smPathLike matches values that point at the secret instead of holding it
// (GOOGLE_APPLICATION_CREDENTIALS=/app/key.json): a path without spaces.
var smPathLike = regexp.MustCompile(`^(/|\./|~/|[A-Za-z]:\\)\S*$`)

// DockerignoreMissing reports COPY/ADD of the whole build context when the
// context has no .dockerignore.
var DockerignoreMissing = &rewrite.Transform{
	ID:      "dockerignore-missing",
	Summary: "Report COPY . (or ADD .) when the build context has no .dockerignore",
	Rationale: "`COPY . .` copies everything in the build context: .git, local .env files and credentials, " +
		"node_modules, build outputs. They bloat the image, may leak secrets, and any change to them (each " +
		"commit changes .git) invalidates the layer cache of the COPY and of every instruction after it. A " +
		".dockerignore at the root of the context (or a <Dockerfile name>.dockerignore next to the " +
		"Dockerfile, which BuildKit prefers) keeps them out. Reported on COPY and ADD from the context " +
		"whose source is ., ./ or * when neither file exists; not when the context is unknown (stdin) or " +
		"for COPY --from. Report only.",
	Before:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\n",
	After:   "FROM node:22-slim\nWORKDIR /app\nCOPY . .\n# plus a .dockerignore file: .git, node_modules, .env\n",
	Default: true,
	Run:     runDockerignoreMissing,
}

func runDockerignoreMissing(p *rewrite.Pass) {
	if p.Settings == nil || p.Settings.ContextDir == "" {
		return
	}
	ctx := p.Settings.ContextDir
	if st, err := os.Stat(ctx); err != nil || !st.IsDir() {
		return
	}
	if smHasDockerignore(ctx, p.Doc.Path) {
		return
	}
	for _, in := range p.Doc.Instructions {
		if in.Cmd != "copy" && in.Cmd != "add" || in.HasHeredoc() || anyArgPrefix(in.Flags(), "--from") {
			continue
		}
		args := in.Args()
		if len(args) < 2 {
			continue
		}
		for _, src := range args[:len(args)-1] {
			switch strings.TrimSuffix(filepath.ToSlash(src), "/") {
			case ".", "", "./.", "*", "./*":
				p.Report(in, rewrite.SeverityWarning, fmt.Sprintf("%s %s copies the whole build context, which has no .dockerignore: .git, .env files and build outputs go into the image and every change to them rebuilds from here; add a .dockerignore",
					strings.ToUpper(in.Cmd), src))
			default:
				continue
			}
			break
		}
	}
}

// smHasDockerignore looks for the ignore file of a build: .dockerignore at
// the root of the context, or <Dockerfile name>.dockerignore next to the
// Dockerfile or at the context root. When the context is only the default
// (the Dockerfile's own directory), a .dockerignore in a parent directory up
// to the repository root (the directory holding .git) counts too: such a
// Dockerfile is most likely built from there (`docker build -f sub/Dockerfile .`).
func smHasDockerignore(ctx, dockerfile string) bool {
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	if exists(filepath.Join(ctx, ".dockerignore")) {
		return true
	}
	if dockerfile == "" || dockerfile == "-" {
		return false
	}
	name, dir := filepath.Base(dockerfile), filepath.Dir(dockerfile)
	if exists(filepath.Join(dir, name+".dockerignore")) || exists(filepath.Join(ctx, name+".dockerignore")) {
		return true
	}
	abs, err := filepath.Abs(dir)
	if err != nil || filepath.Clean(ctx) != filepath.Clean(dir) {
		return false
	}
	for i := 0; i < 32 && !exists(filepath.Join(abs, ".git")); i++ {
		parent := filepath.Dir(abs)
		if parent == abs {
			return false
		}
		if abs = parent; exists(filepath.Join(abs, ".dockerignore")) {
			return true
		}
	}
	return false
}
