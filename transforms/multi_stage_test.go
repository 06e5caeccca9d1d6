package transforms

import (
	"strings"
	"testing"

	"github.com/dockopt/dockopt/rewrite"
)

// msRun runs multi-stage alone over in, with a build context made of files
// (nil: no readable context) and settings.
func msRun(t *testing.T, in string, files map[string]string, values map[string]string) *rewrite.Result {
	t.Helper()
	s := &rewrite.Settings{Values: values}
	if files != nil {
		s.ContextDir = writeContext(t, files)
	}
	return runOne(t, MultiStage, in, s)
}

const (
	msHelloGo = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n"
	msGoMod   = "module example.com/app/v2\n\ngo 1.22\n"
)

// TestMultiStageArtifacts checks where the runtime stage copies the program
// from: each case gives the input and the COPY line the output must hold.
func TestMultiStageArtifacts(t *testing.T) {
	goCtx := map[string]string{"go.mod": msGoMod, "main.go": msHelloGo, "cmd/server/main.go": msHelloGo}
	cases := []struct {
		name, in string
		files    map[string]string
		want     string
	}{
		{"go build . names the program after the module (v2 dropped)",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build .\nCMD [\"./app\"]\n", goCtx,
			"COPY --from=builder /src/app /src/app\n"},
		{"go build of a package path",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build ./cmd/server\nCMD [\"/src/server\"]\n", goCtx,
			"COPY --from=builder /src/server /src/server\n"},
		{"go build -o into a directory",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o bin/ ./cmd/server\nCMD [\"bin/server\"]\n", goCtx,
			"COPY --from=builder /src/bin/server /src/bin/server\n"},
		{"go build -o a known directory",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin ./cmd/server\nCMD [\"server\"]\n", goCtx,
			"COPY --from=builder /usr/local/bin/server /usr/local/bin/server\n"},
		{"go build -o a directory of the build context",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o bin ./cmd/server\nCMD [\"bin/server\"]\n",
			map[string]string{"go.mod": msGoMod, "cmd/server/main.go": msHelloGo, "bin/README.md": "outputs\n"},
			"COPY --from=builder /src/bin/server /src/bin/server\n"},
		{"export before the build",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN export CGO_ENABLED=0 && go build -o /app .\nCMD [\"/app\"]\n",
			map[string]string{"go.mod": "module x\n\nrequire github.com/a/b v1.0.0\n", "main.go": msHelloGo},
			"FROM gcr.io/distroless/static-debian12\n"},
		{"go install goes to GOPATH/bin (found by name on no PATH of the runtime: absolute CMD)",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/server\nCMD [\"/go/bin/server\"]\n", goCtx,
			"COPY --from=builder /go/bin/server /go/bin/server\n"},
		{"cd in the RUN",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN cd cmd/server && go build -o ../../out/server .\nCMD [\"/src/out/server\"]\n", goCtx,
			"COPY --from=builder /src/out/server /src/out/server\n"},
		{"mv moves the artifact",
			"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o server ./cmd/server && mv server /usr/local/bin/\nCMD [\"server\"]\n", goCtx,
			"COPY --from=builder /usr/local/bin/server /usr/local/bin/server\n"},
		{"gcc without -o writes a.out",
			"FROM gcc:13-bookworm\nWORKDIR /w\nCOPY main.c .\nRUN gcc main.c\nCMD [\"./a.out\"]\n", nil,
			"COPY --from=builder /w/a.out /w/a.out\n"},
		{"install copies the artifact",
			"FROM gcc:13-bookworm\nWORKDIR /w\nCOPY main.c .\nRUN cc -o hello main.c && install -m 0755 hello /usr/local/bin/hello\nCMD [\"hello\"]\n", nil,
			"COPY --from=builder /usr/local/bin/hello /usr/local/bin/hello\n"},
		{"cargo [[bin]] name and --target",
			"FROM rust:1-bookworm\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --target x86_64-unknown-linux-gnu\nCMD [\"/app/target/x86_64-unknown-linux-gnu/release/tool\"]\n",
			map[string]string{"Cargo.toml": "[package]\nname = \"pkg\"\n\n[[bin]]\nname = \"tool\"\npath = \"src/tool.rs\"\n", "src/tool.rs": "fn main(){}\n"},
			"COPY --from=builder /app/target/x86_64-unknown-linux-gnu/release/tool /app/target/x86_64-unknown-linux-gnu/release/tool\n"},
		{"cargo install --path",
			"FROM rust:1.79-bookworm\nWORKDIR /app\nCOPY . .\nRUN cargo install --path .\nCMD [\"/usr/local/cargo/bin/hello\"]\n",
			map[string]string{"Cargo.toml": "[package]\nname = \"hello\"\n", "src/main.rs": "fn main(){}\n"},
			"COPY --from=builder /usr/local/cargo/bin/hello /usr/local/cargo/bin/hello\n"},
		{"jar from javac classes",
			"FROM eclipse-temurin:21\nWORKDIR /w\nCOPY . .\nRUN javac -d out src/App.java && jar cfe app.jar App -C out .\nCMD [\"java\", \"-jar\", \"/w/app.jar\"]\n",
			map[string]string{"src/App.java": "class App {}\n"},
			"COPY --from=builder /w/app.jar /w/app.jar\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := msRun(t, c.in, c.files, nil)
			if !strings.Contains(string(res.Output), c.want) {
				t.Errorf("output lacks %q:\n%s\nfindings: %v", c.want, res.Output, res.Findings)
			}
		})
	}
}

// TestMultiStageRefuses checks that the file is left alone with the reason.
func TestMultiStageRefuses(t *testing.T) {
	goCtx := map[string]string{"go.mod": "module example.com/app\n", "main.go": msHelloGo}
	cases := []struct {
		name, in string
		files    map[string]string
		values   map[string]string
		why      string
	}{
		{"two toolchains", "FROM golang:1.22-bookworm\nWORKDIR /src\nCOPY . .\nRUN go build -o app . && gcc -o x x.c\nCMD [\"./app\"]\n", goCtx, nil, "both the Go and the C/C++"},
		{"yarn", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn build\nCMD [\"node\", \"dist/index.js\"]\n", nil, nil, "yarn is not supported"},
		{"no CMD", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\n", goCtx, nil, "no CMD or ENTRYPOINT"},
		{"CMD runs something else", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nCMD [\"./other\"]\n", goCtx, nil, "not an artifact"},
		{"healthcheck runs curl", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nCMD [\"./app\"]\n", goCtx, nil, "runs curl"},
		{"shell healthcheck on distroless", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nHEALTHCHECK CMD ./app -health\nCMD [\"./app\"]\n", goCtx, nil, "needs a shell"},
		{"user from the base image", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nUSER www-data\nCMD [\"./app\"]\n", goCtx, nil, "USER www-data"},
		{"copy from an image", "FROM golang:1.22\nCOPY --from=busybox:1 /bin/busybox /bin/\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD [\"./app\"]\n", goCtx, nil, "another image"},
		{"add of a URL", "FROM golang:1.22\nADD https://example.com/x.go /src/\nWORKDIR /src\nRUN go build -o app x.go\nCMD [\"./app\"]\n", nil, nil, "fetches or unpacks"},
		{"base from a build arg", "ARG V=1.22\nFROM golang:$V\nRUN go build -o /app .\nCMD [\"/app\"]\n", nil, nil, "build argument"},
		{"unknown command", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o app . && ./scripts/post.sh\nCMD [\"./app\"]\n", goCtx, nil, "post.sh"},
		{"npm global install", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install -g pm2 && npm ci && npm run build\nCMD [\"pm2\", \"dist/a.js\"]\n", nil, nil, "installs outside the project"},
		{"go without release and with cgo", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD [\"./app\"]\n",
			map[string]string{"go.mod": "module x\n", "main.go": "package main\nimport \"C\"\nfunc main(){}\n"}, nil, "does not name its distribution release"},
		{"GOOS set", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN GOOS=windows go build -o app.exe .\nCMD [\"./app.exe\"]\n", goCtx, nil, "GOOS is set"},
		{"make install", "FROM gcc:13-bookworm\nWORKDIR /src\nCOPY . .\nRUN make && make install\nCMD [\"hello\"]\n", nil, nil, "make install"},
		{"makefile links a library", "FROM gcc:13-bookworm\nWORKDIR /src\nCOPY . .\nRUN make\nCMD [\"./hello\"]\n",
			map[string]string{"Makefile": "hello: hello.c\n\t$(CC) -o $@ $< -lssl\n", "hello.c": ""}, nil, "libssl"},
		{"cargo with a -sys crate", "FROM rust:1-bookworm\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"/app/target/release/x\"]\n",
			map[string]string{"Cargo.toml": "[package]\nname = \"x\"\n[dependencies]\nopenssl = \"0.10\"\n", "Cargo.lock": "[[package]]\nname = \"openssl-sys\"\n", "src/main.rs": ""}, nil, "openssl-sys"},
		{"jar that is not the build's", "FROM maven:3-eclipse-temurin-17\nWORKDIR /w\nCOPY . .\nRUN mvn package\nCMD [\"java\", \"-jar\", \"target/other.jar\"]\n",
			map[string]string{"pom.xml": "<project><artifactId>demo</artifactId><version>1</version></project>", "src/A.java": ""}, nil, "artifactId"},
		{"java version unknown", "FROM maven:3\nWORKDIR /w\nCOPY . .\nRUN mvn package\nCMD [\"java\", \"-jar\", \"target/demo-1.jar\"]\n",
			map[string]string{"pom.xml": "<project><artifactId>demo</artifactId><version>1</version></project>"}, nil, "Java version"},
		{"node script in the source tree", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"server.js\"]\n",
			map[string]string{"package.json": "{}", "package-lock.json": "{}", "server.js": ""}, nil, "from the source tree"},
		{"python script not from a requirement", "FROM python:3.12\nRUN python -m venv /venv\nENV PATH=/venv/bin:$PATH\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"curl\", \"localhost\"]\n",
			map[string]string{"requirements.txt": "flask\n"}, nil, "curl"},
		{"scratch without zoneinfo", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app .\nCMD [\"./app\"]\n",
			map[string]string{"go.mod": "module x\n", "main.go": "package main\nimport \"time\"\nfunc main(){ time.LoadLocation(\"Europe/Paris\") }\n"},
			map[string]string{"multi-stage.runtime-go": "scratch"}, "zoneinfo"},
		{"program by name off the runtime PATH", "FROM rust:1.79-bookworm\nWORKDIR /app\nCOPY . .\nRUN cargo install --path .\nCMD [\"hello\"]\n",
			map[string]string{"Cargo.toml": "[package]\nname = \"hello\"\n", "src/main.rs": ""}, nil, "/usr/local/cargo/bin is not on the PATH"},
		{"make for a Go build", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make build\nCMD [\"./bin/app\"]\n", goCtx, nil, "make runs recipes"},
		{"apt package for run time", "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc imagemagick\nWORKDIR /s\nCOPY a.c .\nRUN gcc -o a a.c\nCMD [\"./a\"]\n", nil, nil, "imagemagick"},
		{"user RUN mixed with other commands", "FROM gcc:13-bookworm\nRUN useradd app && mkdir /data\nWORKDIR /s\nCOPY a.c .\nRUN gcc -o a a.c\nUSER app\nCMD [\"./a\"]\n", nil, nil, "creates a user and does other things"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := msRun(t, c.in, c.files, c.values)
			if res.Changed() {
				t.Fatalf("changed:\n%s", res.Output)
			}
			var msgs []string
			for _, f := range res.Findings {
				msgs = append(msgs, f.Message)
			}
			if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, "\n"), c.why) {
				t.Errorf("want a finding containing %q, got %q", c.why, msgs)
			}
		})
	}
}

// TestMultiStageSilent: nothing built, or already multi-stage: no change and
// no finding.
func TestMultiStageSilent(t *testing.T) {
	for _, in := range []string{
		"FROM debian:bookworm\nRUN apt-get update && apt-get install -y nginx\nCMD [\"nginx\"]\n",
		"FROM golang:1.22 AS b\nRUN go build -o /x .\nFROM scratch\nCOPY --from=b /x /x\n",
		"FROM python:3.12\nCMD [\"python\", \"-V\"]\n",
	} {
		res := msRun(t, in, nil, nil)
		if res.Changed() || len(res.Findings) > 0 {
			t.Errorf("%q: changed %v, findings %v", in, res.Changed(), res.Findings)
		}
	}
}

func TestMultiStageRuntimeImages(t *testing.T) {
	cases := []struct{ base, lang, want string }{
		{"debian:bookworm", "c", "debian:bookworm-slim"},
		{"debian:12", "c", "debian:bookworm-slim"},
		{"debian:bookworm-slim", "c", "debian:bookworm-slim"},
		{"ubuntu:22.04", "c", "ubuntu:22.04"},
		{"alpine:3.20", "c", "alpine:3.20"},
		{"gcc:14-bookworm", "c", "debian:bookworm-slim"},
		{"golang:1.22-alpine3.20", "go", "alpine:3.20"},
		{"rust:1.79-slim-bullseye", "rust", "debian:bullseye-slim"},
		{"eclipse-temurin:21-jdk", "java", "eclipse-temurin:21-jre"},
		{"maven:3.9-eclipse-temurin-17-alpine", "java", "eclipse-temurin:17-jre-alpine"},
		{"gradle:8.7-jdk21", "java", "eclipse-temurin:21-jre"},
		{"openjdk:17", "java", "eclipse-temurin:17-jre"},
		{"node:20", "node", "node:20-slim"},
		{"node:20-bookworm", "node", "node:20-bookworm-slim"},
		{"node:20-alpine", "node", "node:20-alpine"},
		{"node", "node", "node:slim"},
		{"python:3.12", "python", "python:3.12-slim"},
		{"python:3.12-bookworm", "python", "python:3.12-slim-bookworm"},
		{"python:3.12-slim", "python", "python:3.12-slim"},
	}
	for _, c := range cases {
		b := &msBuild{st: &rewrite.Stage{Base: c.base}, repo: hubRepository(c.base), tag: imageTag(c.base), lang: c.lang}
		got, why := b.defaultRuntime()
		if got != c.want || why != "" {
			t.Errorf("%s (%s): got %q (%s), want %q", c.base, c.lang, got, why, c.want)
		}
	}
	for _, base := range []string{"golang:1.22", "gcc:13", "debian:stable", "ubuntu", "myorg/builder:1"} {
		b := &msBuild{st: &rewrite.Stage{Base: base}, repo: hubRepository(base), tag: imageTag(base), lang: "c"}
		if got, why := b.defaultRuntime(); why == "" {
			t.Errorf("%s: want a refusal, got %q", base, got)
		}
	}
}

// TestMultiStageCgoEdit: CGO_ENABLED=0 goes right before the go word, after
// the author's own assignments, and only for a pure-Go context.
func TestMultiStageCgoEdit(t *testing.T) {
	in := "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN GOFLAGS=-mod=mod go build -o /app .\nCMD [\"/app\"]\n"
	res := msRun(t, in, map[string]string{"go.mod": "module x\n\nrequire golang.org/x/text v0.14.0\n", "main.go": msHelloGo}, nil)
	if !strings.Contains(string(res.Output), "RUN GOFLAGS=-mod=mod CGO_ENABLED=0 go build -o /app .\n") ||
		!strings.Contains(string(res.Output), "FROM gcr.io/distroless/static-debian12\n") {
		t.Errorf("got\n%s", res.Output)
	}
	// A third-party module may use cgo: keep glibc (named release).
	in = strings.Replace(in, "golang:1.22", "golang:1.22-bookworm", 1)
	res = msRun(t, in, map[string]string{"go.mod": "module x\n\nrequire (\n\tgithub.com/x/y v1.0.0 // indirect\n)\n", "main.go": msHelloGo}, nil)
	if strings.Contains(string(res.Output), "CGO_ENABLED") || !strings.Contains(string(res.Output), "FROM debian:bookworm-slim\n") {
		t.Errorf("got\n%s", res.Output)
	}
}

func TestMultiStageSettingOverride(t *testing.T) {
	in := "FROM gcc:13-bookworm\nWORKDIR /w\nCOPY a.c .\nRUN gcc -o a a.c\nCMD ./a --x\n"
	res := msRun(t, in, nil, map[string]string{"multi-stage.runtime-c": "gcr.io/distroless/cc-debian12"})
	want := "FROM gcr.io/distroless/cc-debian12\nCOPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\nWORKDIR /w\nCOPY --from=builder /w/a /w/a\nCMD [\"./a\", \"--x\"]\n"
	if !strings.HasSuffix(string(res.Output), want) {
		t.Errorf("got\n%s\nwant suffix\n%s", res.Output, want)
	}
}
