package transforms

import (
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

// pkgCase is one "must change" (want set) or "must not change" (want "")
// snippet. Snippets are whole Dockerfiles; "FROM x\n" is prepended unless
// the snippet starts with FROM or a directive.
type pkgCase struct {
	name, in, want string
	contextDir     string
}

func runPkgCases(t *testing.T, tr *rewrite.Transform, cases []pkgCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkFix(t, tr, &rewrite.Settings{ContextDir: c.contextDir}, withFrom(c.in), withFrom(c.want), "")
		})
	}
}

func withFrom(s string) string {
	if s == "" || strings.HasPrefix(s, "FROM") || strings.HasPrefix(s, "from") || strings.HasPrefix(s, "#") {
		return s
	}
	return "FROM x\n" + s
}

func TestApkNoCache(t *testing.T) {
	runPkgCases(t, ApkNoCache, []pkgCase{
		{name: "simple", in: "RUN apk add curl\n", want: "RUN apk add --no-cache curl\n"},
		{name: "update kept", in: "RUN apk update && apk add curl && rm -rf /var/cache/apk/*\n",
			want: "RUN apk update && apk add --no-cache curl && rm -rf /var/cache/apk/*\n"},
		{name: "global options before add", in: "RUN apk -U --repository http://r add curl\n",
			want: "RUN apk -U --repository http://r add --no-cache curl\n"},
		{name: "virtual and del", in: "RUN apk add --virtual .b gcc && make && apk del .b\n",
			want: "RUN apk add --no-cache --virtual .b gcc && make && apk del .b\n"},
		{name: "two adds", in: "RUN apk add a && apk add b\n", want: "RUN apk add --no-cache a && apk add --no-cache b\n"},
		{name: "behind sudo in if", in: "RUN if true; then sudo apk add a; fi\n", want: "RUN if true; then sudo apk add --no-cache a; fi\n"},
		{name: "continuation", in: "RUN apk add \\\n    curl\n", want: "RUN apk add --no-cache \\\n    curl\n"},
		{name: "lowercase", in: "from alpine\nrun apk add curl\n", want: "from alpine\nrun apk add --no-cache curl\n"},
		{name: "present", in: "RUN apk add --no-cache curl\n"},
		{name: "present before add", in: "RUN apk --no-cache add curl\n"},
		{name: "other subcommands", in: "RUN apk update && apk upgrade && apk del x\n"},
		{name: "cache mount", in: "RUN --mount=type=cache,target=/var/cache/apk apk add curl\n"},
		{name: "cache mount etc", in: "RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl\n"},
		{name: "cache mount variable", in: "RUN --mount=type=cache,target=$CACHE apk add curl\n"},
		{name: "unrelated cache mount", in: "RUN --mount=type=cache,target=/root/.cache apk add curl\n",
			want: "RUN --mount=type=cache,target=/root/.cache apk add --no-cache curl\n"},
		{name: "bind mount", in: "RUN --mount=type=bind,target=/var/cache/apk apk add curl\n",
			want: "RUN --mount=type=bind,target=/var/cache/apk apk add --no-cache curl\n"},
		{name: "network none", in: "RUN --network=none apk add /tmp/x.apk\n"},
		{name: "no network flag", in: "RUN apk add --no-network /tmp/x.apk\n"},
		{name: "cache dir", in: "RUN apk add --cache-dir /c curl\n"},
		{name: "exec form", in: "RUN [\"apk\", \"add\", \"curl\"]\n"},
		{name: "onbuild", in: "ONBUILD RUN apk add curl\n"},
		{name: "echo mentions apk", in: "RUN echo apk add curl\n"},
		{name: "computed subcommand", in: "RUN apk $CMD curl\n"},
	})
}

func TestPipNoCacheDir(t *testing.T) {
	runPkgCases(t, PipNoCacheDir, []pkgCase{
		{name: "pip", in: "RUN pip install flask\n", want: "RUN pip install --no-cache-dir flask\n"},
		{name: "pip3 versioned path", in: "RUN /opt/venv/bin/pip3.12 install -r r.txt\n", want: "RUN /opt/venv/bin/pip3.12 install --no-cache-dir -r r.txt\n"},
		{name: "python -m pip", in: "RUN python3 -m pip install -U pip\n", want: "RUN python3 -m pip install --no-cache-dir -U pip\n"},
		{name: "python options before -m", in: "RUN python -u -W ignore -m pip install x\n", want: "RUN python -u -W ignore -m pip install --no-cache-dir x\n"},
		{name: "general options", in: "RUN pip --timeout 60 -q install x\n", want: "RUN pip --timeout 60 -q install --no-cache-dir x\n"},
		{name: "other env var inline", in: "RUN PIP_INDEX_URL=http://i pip install x\n", want: "RUN PIP_INDEX_URL=http://i pip install --no-cache-dir x\n"},
		{name: "install last word", in: "RUN pip install\n", want: "RUN pip install --no-cache-dir\n"},
		{name: "present", in: "RUN pip install --no-cache-dir x\n"},
		{name: "present abbreviated", in: "RUN pip install --no-cache x\n"},
		{name: "present as general option", in: "RUN pip --no-cache-dir install x\n"},
		{name: "cache dir", in: "RUN pip install --cache-dir=/c x\n"},
		{name: "env", in: "ENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n"},
		{name: "env legacy form", in: "ENV PIP_NO_CACHE_DIR off\nRUN pip install x\n"},
		{name: "arg", in: "ARG PIP_NO_CACHE_DIR\nRUN pip install x\n"},
		{name: "env in ancestor stage", in: "FROM python AS base\nENV A=1 PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install x\n"},
		{name: "env in unrelated stage", in: "FROM python AS base\nENV PIP_NO_CACHE_DIR=1\nFROM python\nRUN pip install x\n",
			want: "FROM python AS base\nENV PIP_NO_CACHE_DIR=1\nFROM python\nRUN pip install --no-cache-dir x\n"},
		{name: "env after the run", in: "RUN pip install x\nENV PIP_NO_CACHE_DIR=1\n", want: "RUN pip install --no-cache-dir x\nENV PIP_NO_CACHE_DIR=1\n"},
		{name: "meta arg only", in: "ARG PIP_NO_CACHE_DIR=1\nFROM python\nRUN pip install x\n",
			want: "ARG PIP_NO_CACHE_DIR=1\nFROM python\nRUN pip install --no-cache-dir x\n"},
		{name: "inline", in: "RUN PIP_NO_CACHE_DIR=1 pip install x\n"},
		{name: "env wrapper", in: "RUN env PIP_NO_CACHE_DIR=1 pip install x\n"},
		{name: "export", in: "RUN export PIP_NO_CACHE_DIR=1 && pip install x\n"},
		{name: "cache mount", in: "RUN --mount=type=cache,target=/root/.cache/pip pip install x\n"},
		{name: "cache mount parent", in: "RUN --mount=type=cache,target=/root/.cache pip install x\n"},
		{name: "cache mount other home", in: "RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install x\n"},
		{name: "cache mount with PIP_CACHE_DIR", in: "ENV PIP_CACHE_DIR=/pipc\nRUN --mount=type=cache,target=/pipc pip install x\n"},
		{name: "unrelated cache mount", in: "RUN --mount=type=cache,target=/var/cache/apt pip install x\n",
			want: "RUN --mount=type=cache,target=/var/cache/apt pip install --no-cache-dir x\n"},
		{name: "other subcommands", in: "RUN pip download x && pip wheel x && pip freeze\n"},
		{name: "not pip", in: "RUN pipx install x && uv pip install x && pip-compile x && python script.py install\n"},
		{name: "python -c", in: "RUN python -c 'import pip' install\n"},
		{name: "heredoc", in: "# syntax=docker/dockerfile:1\nFROM x\nRUN <<EOF\npip install x\nEOF\n"},
	})
}

func TestRpmClean(t *testing.T) {
	runPkgCases(t, RpmClean, []pkgCase{
		{name: "yum", in: "RUN yum install httpd\n", want: "RUN yum install -y httpd && yum clean all\n"},
		{name: "dnf -y present", in: "RUN dnf -y install httpd\n", want: "RUN dnf -y install httpd && dnf clean all\n"},
		{name: "assumeyes", in: "RUN dnf install --assumeyes x\n", want: "RUN dnf install --assumeyes x && dnf clean all\n"},
		{name: "yes", in: "RUN dnf install --yes x\n", want: "RUN dnf install --yes x && dnf clean all\n"},
		{name: "clustered -qy", in: "RUN yum -qy install x\n", want: "RUN yum -qy install x && yum clean all\n"},
		{name: "assumeno", in: "RUN yum install --assumeno x\n", want: "RUN yum install --assumeno x && yum clean all\n"},
		{name: "microdnf", in: "RUN microdnf install x\n", want: "RUN microdnf install -y x && microdnf clean all\n"},
		{name: "update alone", in: "RUN yum update\n", want: "RUN yum update -y && yum clean all\n"},
		{name: "groupinstall", in: "RUN yum groupinstall -y 'Development Tools'\n", want: "RUN yum groupinstall -y 'Development Tools' && yum clean all\n"},
		{name: "group install", in: "RUN dnf group install 'Development Tools'\n", want: "RUN dnf group install -y 'Development Tools' && dnf clean all\n"},
		{name: "global value options", in: "RUN dnf --enablerepo crb --setopt=tsflags=nodocs install x\n",
			want: "RUN dnf --enablerepo crb --setopt=tsflags=nodocs install -y x && dnf clean all\n"},
		{name: "zypper", in: "RUN zypper in curl\n", want: "RUN zypper -n in curl && zypper clean -a\n"},
		{name: "zypper non-interactive", in: "RUN zypper --non-interactive install curl\n", want: "RUN zypper --non-interactive install curl && zypper clean -a\n"},
		{name: "zypper -n", in: "RUN zypper -n in curl\n", want: "RUN zypper -n in curl && zypper clean -a\n"},
		{name: "zypper install -y", in: "RUN zypper install -y curl\n", want: "RUN zypper install -y curl && zypper clean -a\n"},
		{name: "zypper cleaned", in: "RUN zypper -n in curl && zypper cc -a\n"},
		{name: "sudo", in: "RUN sudo yum install -y x\n", want: "RUN sudo yum install -y x && sudo yum clean all\n"},
		{name: "sudo with user", in: "RUN sudo -u root yum install -y x\n"},
		{name: "full path", in: "RUN /usr/bin/dnf install -y x\n", want: "RUN /usr/bin/dnf install -y x && /usr/bin/dnf clean all\n"},
		{name: "multi-line leading", in: "RUN yum install -y \\\n      a \\\n      b \\\n    && echo ok\n",
			want: "RUN yum install -y \\\n      a \\\n      b \\\n    && echo ok \\\n    && yum clean all\n"},
		{name: "then other commands", in: "RUN dnf install -y x && make\n", want: "RUN dnf install -y x && make && dnf clean all\n"},
		{name: "pipe last", in: "RUN yes | yum install x\n", want: "RUN yes | yum install -y x && yum clean all\n"},
		{name: "set -e list", in: "RUN set -e; yum install -y x; make\n", want: "RUN set -e; yum install -y x; make && yum clean all\n"},
		{name: "errexit shell", in: "SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN yum install -y x; make\n",
			want: "SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN yum install -y x; make && yum clean all\n"},
		{name: "semicolon without errexit", in: "RUN yum install -y x; make\n"},
		{name: "errexit and-list head", in: "RUN set -e; yum install -y x && a; b\n"},
		{name: "errexit and-list tail", in: "RUN set -e; a && yum install -y x; b\n", want: "RUN set -e; a && yum install -y x; b && yum clean all\n"},
		{name: "errexit turned off", in: "RUN set -e; set +e; yum install -y x; b\n"},
		{name: "set -o errexit", in: "RUN set -o errexit; yum install -y x; b\n", want: "RUN set -o errexit; yum install -y x; b && yum clean all\n"},
		{name: "negated", in: "RUN ! yum install -y x\n"},
		{name: "command substitution", in: "RUN echo $(yum install -y x)\n"},
		{name: "pipe head", in: "RUN yum install -y x | tee log\n"},
		{name: "time", in: "RUN time yum install -y x\n", want: "RUN time yum install -y x && yum clean all\n"},
		{name: "conditional", in: "RUN if [ -f /etc/redhat-release ]; then yum install x; fi\n",
			want: "RUN if [ -f /etc/redhat-release ]; then yum install -y x; fi\n"},
		{name: "or", in: "RUN yum install -y x || true\n"},
		{name: "subshell", in: "RUN (cd /tmp && dnf install -y x)\n", want: "RUN (cd /tmp && dnf install -y x) && dnf clean all\n"},
		{name: "cleaned", in: "RUN yum install -y x && yum clean all\n"},
		{name: "cleaned by other family member", in: "RUN yum install -y x && dnf clean all\n"},
		{name: "cleaned partially", in: "RUN yum install -y x && yum clean packages\n"},
		{name: "rm cache", in: "RUN dnf install -y x && rm -rf /var/cache/dnf/*\n"},
		{name: "rm parent", in: "RUN dnf install -y x && rm -rf /var/cache/*\n"},
		{name: "rm unrelated", in: "RUN dnf install -y x && rm -rf /tmp/*\n", want: "RUN dnf install -y x && rm -rf /tmp/* && dnf clean all\n"},
		{name: "cache mount", in: "RUN --mount=type=cache,target=/var/cache/dnf dnf install x\n",
			want: "RUN --mount=type=cache,target=/var/cache/dnf dnf install -y x\n"},
		{name: "zypper cache mount", in: "RUN --mount=type=cache,target=/var/cache/zypp zypper -n in x\n"},
		{name: "installroot", in: "RUN dnf --installroot /mnt/root install -y x\n"},
		{name: "setopt cachedir", in: "RUN dnf --setopt cachedir=/c install -y x\n"},
		{name: "zypper root", in: "RUN zypper --root /r -n in x\n"},
		{name: "ends in background", in: "RUN yum install -y x &\n"},
		{name: "other subcommands", in: "RUN yum makecache && dnf remove x && yum list\n"},
		{name: "exec form", in: "RUN [\"yum\", \"install\", \"x\"]\n"},
	})
}

func TestGemNoDocument(t *testing.T) {
	runPkgCases(t, GemNoDocument, []pkgCase{
		{name: "simple", in: "RUN gem install bundler\n", want: "RUN gem install --no-document bundler\n"},
		{name: "version", in: "RUN gem install bundler -v 2.5.0 && bundle install\n", want: "RUN gem install --no-document bundler -v 2.5.0 && bundle install\n"},
		{name: "in subshell", in: "RUN (gem install rake)\n", want: "RUN (gem install --no-document rake)\n"},
		{name: "present", in: "RUN gem install --no-document rake\n"},
		{name: "short -N", in: "RUN gem install -N rake\n"},
		{name: "abbreviated", in: "RUN gem install --no-doc rake\n"},
		{name: "old flags", in: "RUN gem install --no-rdoc --no-ri rake\n"},
		{name: "wants docs", in: "RUN gem install --document=ri rake\n"},
		{name: "other subcommands", in: "RUN gem update --system && gem list\n"},
		{name: "gemrc earlier", in: "RUN echo 'gem: --no-document' > ~/.gemrc\nRUN gem install rake\n"},
		{name: "gemrc tee", in: "RUN echo 'gem: --no-document' | tee -a /etc/gemrc\nRUN gem install rake\n"},
		{name: "gemrc group", in: "RUN { echo 'install: --no-document'; echo 'update: --no-document'; } >> /usr/local/etc/gemrc\nRUN gem install rake\n"},
		{name: "gemrc same run", in: "RUN echo 'gem: --no-document' > /etc/gemrc && gem install rake\n"},
		{name: "gemrc in parent stage", in: "FROM ruby AS base\nRUN echo 'gem: --no-document' > /root/.gemrc\nFROM base\nRUN gem install rake\n"},
		{name: "gemrc copy heredoc", in: "# syntax=docker/dockerfile:1\nFROM ruby\nCOPY <<EOF /root/.gemrc\ngem: --no-document\nEOF\nRUN gem install rake\n"},
		{name: "gemrc without the option", in: "RUN echo 'gem: --user-install' > ~/.gemrc\nRUN gem install rake\n",
			want: "RUN echo 'gem: --user-install' > ~/.gemrc\nRUN gem install --no-document rake\n"},
		{name: "gemrc after", in: "RUN gem install rake\nRUN echo 'gem: --no-document' > ~/.gemrc\n",
			want: "RUN gem install --no-document rake\nRUN echo 'gem: --no-document' > ~/.gemrc\n"},
	})
}

func TestNodeCacheClean(t *testing.T) {
	classic := writeContext(t, map[string]string{"yarn.lock": "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n"})
	berry := writeContext(t, map[string]string{"yarn.lock": "__metadata:\n  version: 8\n"})
	classicWithRC := writeContext(t, map[string]string{"yarn.lock": "# yarn lockfile v1\n", ".yarnrc.yml": "# yarn lockfile v1\n"})
	runPkgCases(t, NodeCacheClean, []pkgCase{
		{name: "npm ci", in: "RUN npm ci\n", want: "RUN npm ci && npm cache clean --force\n"},
		{name: "npm i", in: "RUN npm i -g typescript\n", want: "RUN npm i -g typescript && npm cache clean --force\n"},
		{name: "npm install then build", in: "RUN npm install && npm run build\n", want: "RUN npm install && npm run build && npm cache clean --force\n"},
		{name: "npm options before", in: "RUN npm --loglevel warn ci\n", want: "RUN npm --loglevel warn ci && npm cache clean --force\n"},
		{name: "trailing style", in: "RUN npm ci && \\\n    npm run build\n", want: "RUN npm ci && \\\n    npm run build && \\\n    npm cache clean --force\n"},
		{name: "npm cleaned", in: "RUN npm ci && npm cache clean --force\n"},
		{name: "npm rm cache", in: "RUN npm ci && rm -rf ~/.npm\n"},
		{name: "npm rm cache home", in: "RUN npm ci && rm -rf \"$HOME/.npm\"\n"},
		{name: "npm other subcommands", in: "RUN npm run build && npm test\n"},
		{name: "npm --cache", in: "RUN npm ci --cache /tmp/c\n"},
		{name: "npm conditional", in: "RUN if [ -f package-lock.json ]; then npm ci; else npm install; fi\n"},
		{name: "npm cache mount", in: "RUN --mount=type=cache,target=/root/.npm npm ci\n"},
		{name: "any cache mount", in: "RUN --mount=type=cache,target=/app/node_modules/.cache npm ci\n"},
		{name: "bind mount", in: "RUN --mount=type=bind,source=package.json,target=package.json npm ci\n",
			want: "RUN --mount=type=bind,source=package.json,target=package.json npm ci && npm cache clean --force\n"},
		{name: "offline later", in: "RUN npm ci\nRUN npm install --offline x\n"},
		{name: "yarn without context", in: "RUN yarn install\n"},
		{name: "yarn classic", in: "RUN yarn install --frozen-lockfile\n", want: "RUN yarn install --frozen-lockfile && yarn cache clean\n", contextDir: classic},
		{name: "yarn bare", in: "RUN yarn\n", want: "RUN yarn && yarn cache clean\n", contextDir: classic},
		{name: "yarn bare with options", in: "RUN yarn --network-timeout 100000 --production\n",
			want: "RUN yarn --network-timeout 100000 --production && yarn cache clean\n", contextDir: classic},
		{name: "yarn version", in: "RUN yarn --version\n", contextDir: classic},
		{name: "yarn berry lockfile", in: "RUN yarn install\n", contextDir: berry},
		{name: "yarn yarnrc.yml", in: "RUN yarn install\n", contextDir: classicWithRC},
		{name: "yarn corepack", in: "RUN corepack enable\nRUN yarn install\n", contextDir: classic},
		{name: "yarn copies .yarn", in: "COPY .yarn ./.yarn\nRUN yarn install\n", contextDir: classic},
		{name: "yarn cleaned", in: "RUN yarn install && yarn cache clean\n", contextDir: classic},
		{name: "yarn rm cache dir", in: "RUN yarn install && rm -rf \"$(yarn cache dir)\"\n", contextDir: classic},
		{name: "npm and yarn", in: "RUN npm i -g pkg && yarn install\n", want: "RUN npm i -g pkg && yarn install && npm cache clean --force && yarn cache clean\n", contextDir: classic},
		{name: "npm and unproven yarn", in: "RUN npm i -g pkg && yarn install\n", want: "RUN npm i -g pkg && yarn install && npm cache clean --force\n"},
		{name: "sudo", in: "RUN sudo npm install -g x\n", want: "RUN sudo npm install -g x && sudo npm cache clean --force\n"},
		{name: "exec form", in: "RUN [\"npm\", \"ci\"]\n"},
	})
}

// TestPathOverlaps pins the mount/rm target matching the transforms rely on.
func TestPathOverlaps(t *testing.T) {
	cases := []struct {
		target, dir string
		want        bool
	}{
		{"/var/cache/apk", "/var/cache/apk", true},
		{"/var/cache/apk/", "/var/cache/apk", true},
		{"/var/cache", "/var/cache/apk", true},
		{"/var/cache/apk/x", "/var/cache/apk", true},
		{"/var/cache/apt", "/var/cache/apk", false},
		{"/var/cache/apkx", "/var/cache/apk", false},
		{"/", "/var/cache/apk", true},
		{"relative/dir", "/var/cache/apk", true},
		{"$CACHE", "/var/cache/apk", true},
		{"/root/.cache/pip", "~/.cache/pip", true},
		{"/root/.cache", "~/.cache/pip", true},
		{"/root", "~/.cache/pip", true},
		{"/home/app/.cache/pip", "~/.cache/pip", true},
		{"/home", "~/.cache/pip", true},
		{"/srv/user/.cache", "~/.cache/pip", true},
		{"/root/.cache/yarn", "~/.cache/pip", false},
		{"/root/.npm", "~/.cache/pip", false},
		{"/app/.npm", "~/.npm", true},
	}
	for _, c := range cases {
		if got := pathOverlaps(c.target, c.dir); got != c.want {
			t.Errorf("pathOverlaps(%q, %q) = %v, want %v", c.target, c.dir, got, c.want)
		}
	}
}

// TestSkipMessages: a RUN the shell layer cannot read is reported only when
// it names the transform's tool as a word ("pipefail" is not pip).
func TestSkipMessages(t *testing.T) {
	cases := []struct {
		tr    *rewrite.Transform
		in    string
		skips int
	}{
		{PipNoCacheDir, "# syntax=docker/dockerfile:1\nFROM x\nRUN <<EOF\nset -o pipefail\nEOF\n", 0},
		{PipNoCacheDir, "# syntax=docker/dockerfile:1\nFROM x\nRUN <<EOF\n/usr/bin/pip3 install x\nEOF\n", 1},
		{NodeCacheClean, "FROM x\nRUN [\"npm\", \"ci\"]\n", 1},
		{RpmClean, "FROM x\nONBUILD RUN yum install x\n", 0},
		{ApkNoCache, "FROM x\nRUN apk add --cache-dir /c x\n", 1},
	}
	for _, c := range cases {
		res, err := rewrite.Fix("Dockerfile", []byte(c.in), []*rewrite.Transform{c.tr}, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range res.Findings {
			if !f.Fixed {
				n++
			}
		}
		if n != c.skips || res.Changed() {
			t.Errorf("%s on %q: %d skip findings (changed: %v), want %d and no change", c.tr.ID, c.in, n, res.Changed(), c.skips)
		}
	}
}
