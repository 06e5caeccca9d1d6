package transforms

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

type rcCase struct {
	name    string
	in      string
	want    string            // "" : must come back unchanged
	context map[string]string // nil: no readable context; names ending in "/" are directories, values "->x" symlinks to x
	skip    string            // a substring of some "left alone" finding
}

func runRCCases(t *testing.T, cases []rcCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			settings := &rewrite.Settings{}
			if c.context != nil {
				settings.ContextDir = writeContext(t, c.context)
			}
			res := checkFix(t, ReorderCopy, settings, c.in, c.want, "")
			if c.skip != "" {
				var unfixed []rewrite.Finding
				for _, f := range res.Findings {
					if !f.Fixed {
						unfixed = append(unfixed, f)
					}
				}
				wantFinding(t, unfixed, c.skip)
			}
		})
	}
}

func TestReorderCopyMoves(t *testing.T) {
	runRCCases(t, []rcCase{
		{
			name: "below apt install",
			in:   "FROM debian\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y curl\nCMD [\"x\"]\n",
			want: "FROM debian\nWORKDIR /app\nRUN apt-get update && apt-get install -y curl\nCOPY . .\nCMD [\"x\"]\n",
		},
		{
			name: "over several allowed RUNs and a LABEL",
			in: "FROM alpine\nCOPY src/ /srv-app/\nRUN apk add --no-cache bash\nLABEL a=b\n" +
				"RUN addgroup -S app && adduser -S app -G app\nRUN mkdir -p /data\nRUN make\n",
			want: "FROM alpine\nRUN apk add --no-cache bash\nLABEL a=b\n" +
				"RUN addgroup -S app && adduser -S app -G app\nRUN mkdir -p /data\nCOPY src/ /srv-app/\nRUN make\n",
		},
		{
			name: "two copies keep their order",
			in:   "FROM debian\nCOPY a /app/a\nCOPY b /app/b\nRUN apt-get install -y curl\n",
			want: "FROM debian\nRUN apt-get install -y curl\nCOPY a /app/a\nCOPY b /app/b\n",
		},
		{
			name: "comment above moves, blank lines stay",
			in:   "FROM debian\n# the app\nCOPY . /app\n\n# tools\nRUN apt-get install -y curl\n\nCMD x\n",
			want: "FROM debian\n# tools\nRUN apt-get install -y curl\n\n# the app\nCOPY . /app\n\nCMD x\n",
		},
		{
			name: "download and cleanup",
			in: "FROM debian\nCOPY . /app\nRUN curl -fsSLo /usr/local/bin/tini https://x/tini && chmod +x /usr/local/bin/tini\n" +
				"RUN wget -qO /tmp/x.tgz https://x/x.tgz\nRUN rm -rf /var/lib/apt/lists/* /tmp/*\n",
			want: "FROM debian\nRUN curl -fsSLo /usr/local/bin/tini https://x/tini && chmod +x /usr/local/bin/tini\n" +
				"RUN wget -qO /tmp/x.tgz https://x/x.tgz\nRUN rm -rf /var/lib/apt/lists/* /tmp/*\nCOPY . /app\n",
		},
		{
			name: "mkdir of the destination itself",
			in:   "FROM debian\nCOPY . /app\nRUN mkdir -p /app\n",
			want: "FROM debian\nRUN mkdir -p /app\nCOPY . /app\n",
		},
		{
			name: "no final newline",
			in:   "FROM debian\nCOPY . /app\nRUN apt-get install -y curl",
			want: "FROM debian\nRUN apt-get install -y curl\nCOPY . /app",
		},
		{
			name: "assignments, redirections, set and ; lists",
			in:   "FROM debian\nCOPY . /app\nRUN set -eux; DEBIAN_FRONTEND=noninteractive apt-get install -y curl >/dev/null 2>&1; (apt-get clean || true)\n",
			want: "FROM debian\nRUN set -eux; DEBIAN_FRONTEND=noninteractive apt-get install -y curl >/dev/null 2>&1; (apt-get clean || true)\nCOPY . /app\n",
		},
		{
			name: "CRLF without a final newline",
			in:   "FROM debian\r\nCOPY . /app\r\n\r\nRUN apt-get install -y curl",
			want: "FROM debian\r\nRUN apt-get install -y curl\r\n\r\nCOPY . /app",
		},
		{
			name: "the next stage's comments stay with it",
			in:   "FROM debian AS a\nCOPY . /app\nRUN apt-get install -y curl\n\n# runtime\nFROM debian\nCOPY . /app\n",
			want: "FROM debian AS a\nRUN apt-get install -y curl\nCOPY . /app\n\n# runtime\nFROM debian\nCOPY . /app\n",
		},
		{
			name: "env crossed by a copy without variables",
			in:   "FROM debian\nCOPY . /app\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y curl\n",
			want: "FROM debian\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y curl\nCOPY . /app\n",
		},
	})
}

func TestReorderCopyStays(t *testing.T) {
	runRCCases(t, []rcCase{
		{name: "pipe", in: "FROM debian\nCOPY . /app\nRUN yes | apt-get install curl\n"},
		{name: "redirect to a file", in: "FROM debian\nCOPY . /app\nRUN apt-get install -y curl > /app/log\n"},
		{name: "sudo -D changes directory", in: "FROM debian\nCOPY . /app\nRUN sudo -D /tmp apt-get install -y curl\n"},
		{name: "a RUN that executes the copy", in: "FROM debian\nCOPY install.sh /tmp/\nRUN /tmp/install.sh\n"},
		{name: "copy from a stage", in: "FROM debian AS b\nFROM debian\nCOPY --from=b /x /app\nRUN apt-get install -y curl\n"},
		{name: "WORKDIR barrier", in: "FROM debian\nCOPY . /app\nWORKDIR /app\nRUN apt-get install -y curl\n"},
		{name: "USER barrier", in: "FROM debian\nCOPY . /app\nUSER app\nRUN apt-get install -y curl\n"},
		{name: "ENV barrier for a copy with a variable", in: "FROM debian\nCOPY . $APP\nENV A=1\nRUN apt-get install -y curl\n"},
		{name: "destination under a system directory", in: "FROM debian\nCOPY nginx.conf /etc/nginx/nginx.conf\nRUN apt-get install -y nginx\n",
			skip: "may write to /etc"},
		{name: "relative destination with the base image's WORKDIR", in: "FROM node\nCOPY . .\nRUN apt-get install -y curl\n"},
		{name: "chown by name", in: "FROM debian\nCOPY --chown=app . /app\nRUN useradd app\n", skip: "--chown names a user"},
		{name: "chown of the destination", in: "FROM debian\nCOPY . /app\nRUN chown -R app /app\n", skip: "overlaps the destination"},
		{name: "rm of the destination", in: "FROM debian\nCOPY x.sh /tmp/\nRUN rm -rf /tmp/*\n", skip: "overlaps the destination"},
		{name: "mkdir inside the destination", in: "FROM debian\nCOPY . /app\nRUN mkdir -p /app/logs\n", skip: "inside the destination"},
		{name: "mkdir of a file destination", in: "FROM debian\nCOPY app.jar /app\nRUN mkdir -p /app\n"},
		{name: "useradd with the destination as home", in: "FROM debian\nCOPY . /app\nRUN useradd -d /app app\n", skip: "overlaps"},
		{name: "computed package names", in: "FROM debian\nCOPY . /app\nRUN apt-get install -y $PKGS\n"},
		{name: "relative glob lists the working directory", in: "FROM debian\nWORKDIR /app\nCOPY . .\nRUN apt-get install -y python3*\n"},
		{name: "quoted glob is a package pattern", in: "FROM debian\nCOPY . /app\nRUN apt-get install -y 'python3*'\n",
			want: "FROM debian\nRUN apt-get install -y 'python3*'\nCOPY . /app\n"},
		{name: "local package file", in: "FROM debian\nCOPY . /app\nRUN apt-get install -y ./x.deb\n"},
		{name: "curl to the working directory", in: "FROM debian\nCOPY . /app\nRUN curl -O https://x/y\n"},
		{name: "curl piped to sh", in: "FROM debian\nCOPY . /app\nRUN curl -fsSL https://x/y | sh\n"},
		{name: "bind mount", in: "FROM debian\nCOPY . /app\nRUN --mount=type=bind,target=/x apt-get install -y curl\n"},
		{name: "cache mount elsewhere is fine but cd is not", in: "FROM debian\nCOPY . /app\nRUN cd /tmp && apt-get install -y curl\n"},
		{name: "exec form", in: "FROM debian\nCOPY . /app\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"},
		{name: "ONBUILD", in: "FROM debian\nCOPY . /app\nONBUILD RUN apt-get install -y curl\n"},
		{name: "end of stage", in: "FROM debian\nCOPY . /app\nFROM debian\nRUN apt-get install -y curl\n"},
		{name: "dockopt:ignore", in: "FROM debian\n# dockopt:ignore=reorder-copy\nCOPY . /app\nRUN apt-get install -y curl\n"},
	})
}

var pipContext = map[string]string{"requirements.txt": "flask==3.0 # web\n-r requirements/base.txt\n", "requirements/base.txt": "requests\n", "app.py": ""}

func TestReorderCopySplit(t *testing.T) {
	runRCCases(t, []rcCase{
		{
			name:    "pip with nested requirements",
			in:      "FROM python:3.12\nWORKDIR /app\nCOPY --chown=1000:1000 . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
			context: pipContext,
			want: "FROM python:3.12\nWORKDIR /app\nCOPY --chown=1000:1000 requirements.txt ./\nCOPY --chown=1000:1000 requirements/base.txt ./requirements/\n" +
				"RUN pip install --no-cache-dir -r requirements.txt\nCOPY --chown=1000:1000 . .\nCMD [\"python\", \"app.py\"]\n",
		},
		{
			name:    "apt moved first, then split",
			in:      "FROM python:3.12\nWORKDIR /app\ncopy . /app\nrun apt-get update && apt-get install -y gcc\nrun pip install -r requirements.txt\n",
			context: map[string]string{"requirements.txt": "flask\n"},
			want:    "FROM python:3.12\nWORKDIR /app\nrun apt-get update && apt-get install -y gcc\ncopy requirements.txt /app/\nrun pip install -r requirements.txt\ncopy . /app\n",
		},
		{
			name:    "npm with lock file and npmrc, full copy moves on below apt",
			in:      "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nRUN apt-get install -y curl\n",
			context: map[string]string{"package.json": `{"dependencies":{"x":"1"}}`, "package-lock.json": "{}", ".npmrc": "fund=false\n"},
			want:    "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json .npmrc ./\nRUN npm ci --omit=dev\nRUN apt-get install -y curl\nCOPY . .\n",
		},
		{
			name:    "manifests already copied above",
			in:      "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY . .\nRUN go mod download\nRUN go build\n",
			context: map[string]string{"go.mod": "module x\n", "go.sum": ""},
			want:    "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build\n",
		},
		{
			name:    "go with a remote replace",
			in:      "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\n",
			context: map[string]string{"go.mod": "module x\nreplace a => b v1.0.0\n"},
			want:    "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\n",
		},
		{
			name:    "bundler",
			in:      "FROM ruby:3\nWORKDIR /app\nENV BUNDLE_FROZEN=true\nCOPY . .\nRUN gem install bundler -v 2.5 && bundle install --jobs 4\n",
			context: map[string]string{"Gemfile": "source 'https://rubygems.org'\ngem 'rails', require: false\n", "Gemfile.lock": ""},
			want:    "FROM ruby:3\nWORKDIR /app\nENV BUNDLE_FROZEN=true\nCOPY Gemfile Gemfile.lock ./\nRUN gem install bundler -v 2.5 && bundle install --jobs 4\nCOPY . .\n",
		},
		{
			name:    "poetry",
			in:      "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root --only main\n",
			context: map[string]string{"pyproject.toml": "[tool.poetry.dependencies]\npython = \"^3.12\"\n", "poetry.lock": ""},
			want:    "FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root --only main\nCOPY . .\n",
		},
		{
			name:    "across WORKDIR and USER, manifests copied in place",
			in:      "FROM python:3.12\nCOPY --chown=1000 . /app\nWORKDIR /app\nUSER 1000\nRUN pip install --user -r requirements.txt\n",
			context: map[string]string{"requirements.txt": "flask\n"},
			want:    "FROM python:3.12\nCOPY --chown=1000 requirements.txt /app/\nWORKDIR /app\nUSER 1000\nRUN pip install --user -r requirements.txt\nCOPY --chown=1000 . /app\n",
		},
		{
			name:    "absolute requirements path in the destination",
			in:      "FROM python:3.12\nWORKDIR /app\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n",
			context: map[string]string{"requirements.txt": "flask\n"},
			want:    "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\nCOPY . /app\n",
		},
		{
			name:    "base image WORKDIR on both sides",
			in:      "FROM python:3.12\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n",
			context: map[string]string{"requirements.txt": "flask\n"},
			want:    "FROM python:3.12\nCOPY requirements.txt ./\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\nCOPY . .\n",
		},
		{
			name:    "npm install without a lock file, yarn frozen, two installs in one RUN",
			in:      "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install && yarn install --frozen-lockfile\n",
			context: map[string]string{"package.json": `{}`, "yarn.lock": ""},
			want:    "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN npm install && yarn install --frozen-lockfile\nCOPY . .\n",
		},
		{
			name:    "bundler frozen by its config in the RUN",
			in:      "FROM ruby:3\nWORKDIR /app\nCOPY . .\nRUN bundle config set --local frozen true && bundle install\n",
			context: map[string]string{"Gemfile": "gem 'rack'\n", "Gemfile.lock": ""},
			want:    "FROM ruby:3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle config set --local frozen true && bundle install\nCOPY . .\n",
		},
		{
			name:    "composer without scripts",
			in:      "FROM php\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev --no-scripts\n",
			context: map[string]string{"composer.json": `{"autoload":{"psr-4":{"App\\":"src/"}}}`, "composer.lock": "{}"},
			want:    "FROM php\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev --no-scripts\nCOPY . .\n",
		},
	})
}

func TestReorderCopyNoSplit(t *testing.T) {
	py := "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
	node := "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
	runRCCases(t, []rcCase{
		{name: "no context", in: py, skip: "no readable build context"},
		{name: "missing manifest", in: py, context: map[string]string{}, skip: "requirements.txt is not in the build context"},
		{name: "dockerignored manifest", in: py, context: map[string]string{"requirements.txt": "x\n", ".dockerignore": "*.txt\n"}, skip: "excluded by .dockerignore"},
		{name: "editable", in: py, context: map[string]string{"requirements.txt": "-e .\n"}, skip: "editable"},
		{name: "local path requirement", in: py, context: map[string]string{"requirements.txt": "./libs/x\n"}, skip: "local path"},
		{name: "escaping include", in: py, context: map[string]string{"requirements.txt": "-r ../x.txt\n"}, skip: "outside"},
		{name: "pip install .", in: "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt .\n", context: pipContext, skip: "local path"},
		{name: "other command in the RUN", in: "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && python manage.py collectstatic\n", context: pipContext, skip: "also runs `python manage.py`"},
		{name: "workdir mismatch", in: "FROM python\nWORKDIR /src\nCOPY . /app\nRUN pip install -r requirements.txt\n", context: pipContext, skip: "does not run in the COPY destination"},
		{name: "cd elsewhere", in: "FROM python\nWORKDIR /app\nCOPY . .\nRUN cd sub && pip install -r requirements.txt\n", context: pipContext, skip: "changes directory"},
		{name: "postinstall", in: node, context: map[string]string{"package.json": `{"scripts":{"postinstall":"node x.js"}}`}, skip: `"postinstall" script`},
		{name: "workspaces", in: node, context: map[string]string{"package.json": `{"workspaces":["a"]}`}, skip: "workspaces"},
		{name: "file dependency", in: node, context: map[string]string{"package.json": `{"dependencies":{"a":"file:../a"}}`}, skip: "local path"},
		{name: "node_modules in context", in: node, context: map[string]string{"package.json": `{}`, "node_modules/": ""}, skip: "node_modules"},
		{name: "npm install named", in: "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm install express\n", context: map[string]string{"package.json": `{}`}, skip: "named packages"},
		{name: "npm install may rewrite the lock", in: "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm install\n", context: map[string]string{"package.json": `{}`, "package-lock.json": "{}"}, skip: "use npm ci"},
		{name: "yarn not frozen", in: "FROM node\nWORKDIR /app\nCOPY . .\nRUN yarn\n", context: map[string]string{"package.json": `{}`, "yarn.lock": ""}, skip: "may rewrite yarn.lock"},
		{name: "bundler not frozen", in: "FROM ruby\nWORKDIR /app\nCOPY . .\nRUN bundle install\n", context: map[string]string{"Gemfile": "gem 'x'\n", "Gemfile.lock": ""}, skip: "BUNDLE_FROZEN"},
		{name: "go local replace", in: "FROM golang\nWORKDIR /src\nCOPY . .\nRUN go mod download\n", context: map[string]string{"go.mod": "module x\nreplace (\n\ta => ./a\n)\n"}, skip: "local directory ./a"},
		{name: "gemspec", in: "FROM ruby\nWORKDIR /app\nCOPY . .\nRUN bundle install\n", context: map[string]string{"Gemfile": "gemspec\n"}, skip: "gemspec"},
		{name: "poetry without no-root", in: "FROM python\nWORKDIR /app\nCOPY . .\nRUN poetry install\n", context: map[string]string{"pyproject.toml": ""}, skip: "--no-root"},
		{name: "cargo", in: "FROM rust\nWORKDIR /app\nCOPY . .\nRUN cargo fetch\n", context: map[string]string{"Cargo.toml": ""}, skip: "cargo cannot read"},
		{name: "composer scripts", in: "FROM php\nWORKDIR /app\nCOPY . .\nRUN composer install\n", context: map[string]string{"composer.json": `{"scripts":{"post-install-cmd":"x"}}`}, skip: "scripts"},
		{name: "symlinked manifest", in: py, context: map[string]string{"real.txt": "x\n", "requirements.txt": "->real.txt"}, skip: "not a regular file"},
	})
}

// TestReorderCopyCorpus runs the transform over every golden and corpus
// Dockerfile with a build context that holds every kind of manifest, so
// that the split paths meet real files: no internal error (rejected
// output, lost comment, overlapping edits, no fixpoint), and a second run
// changes nothing.
func TestReorderCopyCorpus(t *testing.T) {
	dir := writeContext(t, map[string]string{
		"requirements.txt": "flask\n", "package.json": "{}", "package-lock.json": "{}", "go.mod": "module x\n",
		"go.sum": "", "Gemfile": "gem 'rack'\n", "composer.json": "{}", "pyproject.toml": "", "Cargo.toml": "",
	})
	var files []string
	for _, pat := range []string{"../golden/testdata/*/*.Dockerfile", "../golden/corpus/*.Dockerfile"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d corpus files found", len(files))
	}
	settings := &rewrite.Settings{ContextDir: dir}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res, err := rewrite.Fix(f, src, []*rewrite.Transform{ReorderCopy}, settings)
		if err != nil {
			continue // inputs BuildKit rejects are the engine's business
		}
		for _, e := range res.Internal {
			t.Errorf("%s: %v", f, e)
		}
		again, err := rewrite.Fix(f, res.Output, []*rewrite.Transform{ReorderCopy}, settings)
		if err != nil || again.Changed() {
			t.Errorf("%s: second run changed the output or failed (%v)", f, err)
		}
	}
}
