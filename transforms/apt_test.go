package transforms

import (
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

type aptCase struct {
	name, in, want string // want "" means: must not change
	finding        string // a substring of some finding's message, when non-empty
}

func runAptCases(t *testing.T, tr *rewrite.Transform, cases []aptCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := rewrite.Fix("Dockerfile", []byte(c.in), []*rewrite.Transform{tr}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range res.Internal {
				t.Error(e)
			}
			want := c.want
			if want == "" {
				want = c.in
			}
			if string(res.Output) != want {
				t.Errorf("got:\n%s\nwant:\n%s", res.Output, want)
			}
			if c.finding != "" {
				found := false
				for _, f := range res.Findings {
					found = found || strings.Contains(f.Message, c.finding)
				}
				if !found {
					t.Errorf("no finding says %q; findings: %v", c.finding, res.Findings)
				}
			}
			again, err := rewrite.Fix("Dockerfile", res.Output, []*rewrite.Transform{tr}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if again.Changed() {
				t.Errorf("second run changed:\n%s", again.Output)
			}
		})
	}
}

func TestAptNoInstallRecommends(t *testing.T) {
	runAptCases(t, AptNoInstallRecommends, []aptCase{
		// must change
		{"plain", "FROM debian\nRUN apt-get install -y make\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y make\n", "added --no-install-recommends"},
		{"apt", "FROM debian\nRUN apt install -y make\n",
			"FROM debian\nRUN apt install --no-install-recommends -y make\n", ""},
		{"options before install", "FROM debian\nRUN apt-get -q -o Dpkg::Use-Pty=0 install make\n",
			"FROM debian\nRUN apt-get -q -o Dpkg::Use-Pty=0 install --no-install-recommends make\n", ""},
		{"target release before install", "FROM debian\nRUN apt-get -t bookworm-backports --option=Dpkg::Progress=0 install make\n",
			"FROM debian\nRUN apt-get -t bookworm-backports --option=Dpkg::Progress=0 install --no-install-recommends make\n", ""},
		{"chain and sudo", "FROM debian\nRUN apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y make\n",
			"FROM debian\nRUN apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends -y make\n", ""},
		{"env prefix", "FROM debian\nRUN env DEBIAN_FRONTEND=noninteractive apt-get install -y make\n",
			"FROM debian\nRUN env DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends -y make\n", ""},
		{"if and subshell", "FROM debian\nRUN if true; then (apt-get install -y make); fi\n",
			"FROM debian\nRUN if true; then (apt-get install --no-install-recommends -y make); fi\n", ""},
		{"curl gets ca-certificates", "FROM debian\nRUN apt-get install -y curl jq\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y curl jq ca-certificates\n", "ca-certificates, which curl needs"},
		{"versioned git gets ca-certificates", "FROM debian\nARG V\nRUN apt-get install -y git=${V} \\\n    make\n",
			"FROM debian\nARG V\nRUN apt-get install --no-install-recommends -y git=${V} \\\n    make ca-certificates\n", "which git needs"},
		{"ca-certificates earlier in the stage", "FROM debian\nRUN apt-get install -y ca-certificates\nRUN apt-get install -y wget\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y ca-certificates\nRUN apt-get install --no-install-recommends -y wget\n", ""},
		{"ca-certificates in the parent stage", "FROM debian AS base\nRUN apt-get install -y curl\nFROM base\nRUN apt-get install -y wget\n",
			"FROM debian AS base\nRUN apt-get install --no-install-recommends -y curl ca-certificates\nFROM base\nRUN apt-get install --no-install-recommends -y wget\n", ""},
		{"same RUN installs do not count for each other", "FROM debian\nRUN if x; then apt-get install -y ca-certificates; else apt-get install -y curl; fi\n",
			"FROM debian\nRUN if x; then apt-get install --no-install-recommends -y ca-certificates; else apt-get install --no-install-recommends -y curl ca-certificates; fi\n", ""},
		{"flag glued before continuation", "FROM debian\nRUN apt-get install\\\n  make\n",
			"FROM debian\nRUN apt-get install --no-install-recommends\\\n  make\n", ""},
		{"gcc with libc6-dev", "FROM debian\nRUN apt-get install -y gcc libc6-dev\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y gcc libc6-dev\n", ""},
		{"gcc after build-essential", "FROM debian\nRUN apt-get install -y build-essential\nRUN apt-get install -y gcc\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y build-essential\nRUN apt-get install --no-install-recommends -y gcc\n", ""},
		{"npm with git", "FROM debian\nRUN apt-get install -y npm git\nRUN npm install\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y npm git ca-certificates\nRUN npm install\n", ""},
		{"pip without pip install later", "FROM debian\nRUN apt-get install -y python3-pip\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y python3-pip\n", ""},
		{"git with ssh-client before ssh clone", "FROM debian\nRUN apt-get install -y git openssh-client ca-certificates\nRUN git clone git@example.com:x.git\n",
			"FROM debian\nRUN apt-get install --no-install-recommends -y git openssh-client ca-certificates\nRUN git clone git@example.com:x.git\n", ""},
		{"conf in another stage", "FROM debian AS a\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/norec\nFROM debian\nRUN apt-get install -y make\n",
			"FROM debian AS a\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/norec\nFROM debian\nRUN apt-get install --no-install-recommends -y make\n", ""},

		// must not change
		{"flag present", "FROM debian\nRUN apt-get install -y --no-install-recommends curl\n", "", ""},
		{"flag after packages", "FROM debian\nRUN apt-get install -y curl --no-install-recommends\n", "", ""},
		{"install-recommends asked", "FROM debian\nRUN apt-get install -y --install-recommends make\n", "", ""},
		{"-o false", "FROM debian\nRUN apt-get install -y -o APT::Install-Recommends=FALSE make\n", "", ""},
		{"--option=0", "FROM debian\nRUN apt-get install -y --option=apt::install-recommends=0 make\n", "", ""},
		{"conf earlier in stage", "FROM debian\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norec\nRUN apt-get install -y make\n", "", ""},
		{"conf earlier in the same RUN", "FROM debian\nRUN printf 'APT::Install-Recommends \"0\";\\n' >> /etc/apt/apt.conf && apt-get install -y make\n", "", ""},
		{"conf in parent stage", "FROM debian AS base\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norec\nFROM base\nRUN apt-get install -y make\n", "", ""},
		{"computed packages", "FROM debian\nRUN apt-get install -y $PKGS\n", "", "$PKGS is computed"},
		{"pattern", "FROM debian\nRUN apt-get install -y 'lib*'\n", "", "is computed or a pattern"},
		{"computed before subcommand", "FROM debian\nRUN apt-get $OPTS install -y make\n", "", "computed word stands before the subcommand"},
		{"local deb", "FROM debian\nRUN apt-get install -y ./x.deb\n", "", "local package"},
		{"fix broken", "FROM debian\nRUN dpkg -i x.deb || apt-get install -f -y\n", "", "no package names"},
		{"pip then pip install", "FROM debian\nRUN apt-get install -y python3-pip\nRUN pip3 install --no-cache-dir numpy\n", "", "build-essential"},
		{"pip then python -m pip in same RUN", "FROM debian\nRUN apt-get install -y python3-pip && python3 -m pip install numpy\n", "", "pip install later"},
		{"pip then pip install in child stage", "FROM debian AS b\nRUN apt-get install -y python-pip\nFROM b\nRUN pip install x\n", "", "pip install later"},
		{"git then ssh clone", "FROM debian\nRUN apt-get install -y git ca-certificates\nRUN --mount=type=ssh git clone git@github.com:a/b.git\n", "", "ssh-client"},
		{"gnupg then keyserver", "FROM debian\nRUN apt-get install -y gnupg && gpg --keyserver hkps://k --recv-keys ABC\n", "", "dirmngr"},
		{"gcc alone", "FROM debian\nRUN apt-get install -y gcc-12\n", "", "libc6-dev"},
		{"golang then go build", "FROM debian\nRUN apt-get install -y golang-go\nRUN go build ./...\n", "", "cgo"},
		{"npm then npm ci", "FROM debian\nRUN apt-get install -y npm\nRUN npm ci\n", "", "git"},
		{"cmake then cmake in child", "FROM debian AS b\nRUN apt-get install -y cmake g++\nFROM b\nRUN cmake -S . -B out\n", "", "cmake only recommends"},
		{"other commands", "FROM debian\nRUN apt-get update && apt-get remove -y make && echo install\n", "", ""},
		{"exec form", "FROM debian\nRUN [\"apt-get\", \"install\", \"-y\", \"make\"]\n", "", "not a shell-form"},
		{"heredoc", "# syntax=docker/dockerfile:1\nFROM debian\nRUN <<EOF\napt-get install -y make\nEOF\n", "", "heredoc"},
		{"onbuild", "FROM debian\nONBUILD RUN apt-get install -y make\n", "", "ONBUILD"},
		{"powershell", "FROM debian\nSHELL [\"pwsh\", \"-c\"]\nRUN apt-get install -y make\n", "", "POSIX"},
		{"xargs", "FROM debian\nRUN cat pkgs | xargs apt-get install -y\n", "", ""},
	})
}

func TestAptCleanLists(t *testing.T) {
	runAptCases(t, AptCleanLists, []aptCase{
		// must change
		{"one line", "FROM debian\nRUN apt-get update && apt-get install -y make\n",
			"FROM debian\nRUN apt-get update && apt-get install -y make && rm -rf /var/lib/apt/lists/*\n", "removed the package lists"},
		{"apt update", "FROM debian\nRUN apt update && apt install -y make\n",
			"FROM debian\nRUN apt update && apt install -y make && rm -rf /var/lib/apt/lists/*\n", ""},
		{"leading &&", "FROM debian\nRUN apt-get update \\\n    && apt-get install -y make\n",
			"FROM debian\nRUN apt-get update \\\n    && apt-get install -y make \\\n    && rm -rf /var/lib/apt/lists/*\n", ""},
		{"trailing &&", "FROM debian\nRUN apt-get update && \\\n  apt-get install -y make\n",
			"FROM debian\nRUN apt-get update && \\\n  apt-get install -y make && \\\n  rm -rf /var/lib/apt/lists/*\n", ""},
		{"apt-get clean is not enough", "FROM debian\nRUN apt-get update && apt-get install -y make && apt-get clean\n",
			"FROM debian\nRUN apt-get update && apt-get install -y make && apt-get clean && rm -rf /var/lib/apt/lists/*\n", ""},
		{"rm before update", "FROM debian\nRUN rm -rf /var/lib/apt/lists/* && apt-get update\n",
			"FROM debian\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && rm -rf /var/lib/apt/lists/*\n", ""},
		{"rm of partial is not enough", "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/partial\n",
			"FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/partial && rm -rf /var/lib/apt/lists/*\n", ""},
		{"sudo", "FROM debian\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y make\n",
			"FROM debian\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y make && sudo rm -rf /var/lib/apt/lists/*\n", ""},
		{"sudo -E and variables", "FROM debian\nRUN sudo -E DEBIAN_FRONTEND=noninteractive apt-get update\n",
			"FROM debian\nRUN sudo -E DEBIAN_FRONTEND=noninteractive apt-get update && sudo rm -rf /var/lib/apt/lists/*\n", ""},
		{"later RUN updates itself", "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN apt-get update && apt-get install -y b\n",
			"FROM debian\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n", ""},
		{"later RUN only removes", "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN apt-get purge -y a && apt-get autoremove -y\n",
			"FROM debian\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y a && apt-get autoremove -y\n", ""},
		{"unrelated cache mount", "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y a\n",
			"FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\n", ""},
		{"other stage not built from it", "FROM debian AS a\nRUN apt-get update\nFROM debian\nRUN apt-get install -y b\n",
			"FROM debian AS a\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nFROM debian\nRUN apt-get install -y b\n", ""},

		// must not change
		{"already removed", "FROM debian\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\n", "", ""},
		{"removed as dir", "FROM debian\nRUN apt-get update && apt-get install -y a && rm -r /var/lib/apt/lists/\n", "", ""},
		{"removed list files by glob", "FROM debian\nRUN apt-get update && apt-get install -y a && rm -f /var/lib/apt/lists/*_*\n", "", ""},
		{"removed /var/lib/apt", "FROM debian\nRUN apt-get update && apt-get install -y a; sudo rm -rf /var/lib/apt\n", "", ""},
		{"no update", "FROM debian\nRUN apt-get install -y a\n", "", ""},
		{"cache mount", "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y a\n", "", "--mount target"},
		{"cache mount on lists", "FROM debian\nRUN --mount=type=cache,dst=/var/lib/apt/lists apt-get update\n", "", "--mount target"},
		{"later install relies", "FROM debian\nRUN apt-get update\nRUN apt-get install -y a\n", "", "line 3 runs apt-get install without its own apt-get update"},
		{"later apt-cache relies", "FROM debian\nRUN apt-get update\nRUN apt-cache policy a\n", "", "apt-cache"},
		{"later install after update in the wrong order", "FROM debian\nRUN apt-get update\nRUN apt-get install -y a && apt-get update\n",
			"FROM debian\nRUN apt-get update\nRUN apt-get install -y a && apt-get update && rm -rf /var/lib/apt/lists/*\n", "line 3 runs apt-get install without its own"},
		{"child stage relies", "FROM debian AS base\nRUN apt-get update\nFROM base AS app\nRUN apt-get install -y a\n", "", "line 4"},
		{"grandchild stage relies", "FROM debian AS base\nRUN apt-get update\nFROM base AS mid\nFROM mid\nRUN apt install -y a\n", "", "line 5"},
		{"onbuild relies", "FROM debian\nRUN apt-get update\nONBUILD RUN apt-get install -y a\n", "", "ONBUILD trigger"},
		{"heredoc relies", "# syntax=docker/dockerfile:1\nFROM debian\nRUN apt-get update\nRUN <<EOF\napt-get install -y a\nEOF\n", "", "cannot read"},
		{"background", "FROM debian\nRUN apt-get update && sleep 1 &\n", "", "background"},
		{"sudo with options", "FROM debian\nRUN sudo -u root apt-get update\n", "", "sudo with options"},
		{"exec form", "FROM debian\nRUN [\"apt-get\", \"update\"]\n", "", "not a shell-form"},
		{"heredoc", "# syntax=docker/dockerfile:1\nFROM debian\nRUN <<EOF\napt-get update\nEOF\n", "", "heredoc"},
		{"onbuild", "FROM debian\nONBUILD RUN apt-get update\n", "", "ONBUILD"},
		{"powershell", "FROM debian\nSHELL [\"powershell\", \"-c\"]\nRUN apt-get update\n", "", "POSIX"},
	})
}
