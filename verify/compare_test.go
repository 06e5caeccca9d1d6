package verify

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func image(author string, fields map[string]string) *Image {
	img := &Image{Author: author, Config: map[string]json.RawMessage{}}
	for k, v := range fields {
		img.Config[k] = json.RawMessage(v)
	}
	return img
}

func TestCompareConfig(t *testing.T) {
	cases := []struct {
		name          string
		before, after *Image
		want          string // "" : equal; else a substring of the first difference
	}{
		{"identical", image("", map[string]string{"Env": `["A=1"]`, "User": `"app"`}),
			image("", map[string]string{"Env": `["A=1"]`, "User": `"app"`}), ""},
		{"unset in different ways", image("", map[string]string{"Volumes": `null`, "ExposedPorts": `{}`, "Entrypoint": `[]`}),
			image("", map[string]string{"WorkingDir": `""`}), ""},
		{"env differs", image("", map[string]string{"Env": `["A=1"]`}), image("", map[string]string{"Env": `["A=2"]`}), "Config.Env differs"},
		{"env order", image("", map[string]string{"Env": `["A=1","B=2"]`}), image("", map[string]string{"Env": `["B=2","A=1"]`}), "Config.Env"},
		{"user differs", image("", map[string]string{"User": `"app"`}), image("", nil), "Config.User"},
		{"workdir", image("", map[string]string{"WorkingDir": `"/app"`}), image("", map[string]string{"WorkingDir": `"/srv"`}), "Config.WorkingDir"},
		{"ports", image("", map[string]string{"ExposedPorts": `{"80/tcp":{}}`}), image("", map[string]string{"ExposedPorts": `{"80/udp":{}}`}), "Config.ExposedPorts"},
		{"volumes", image("", map[string]string{"Volumes": `{"/data":{}}`}), image("", nil), "Config.Volumes"},
		{"stop signal", image("", map[string]string{"StopSignal": `"SIGTERM"`}), image("", map[string]string{"StopSignal": `"SIGINT"`}), "Config.StopSignal"},
		{"shell form to exec form", image("", map[string]string{"Cmd": `["/bin/sh","-c","echo hello 'big world'"]`}),
			image("", map[string]string{"Cmd": `["echo","hello","big world"]`}), ""},
		{"entrypoint to exec form", image("", map[string]string{"Entrypoint": `["/bin/sh","-c","python3 app.py"]`}),
			image("", map[string]string{"Entrypoint": `["python3","app.py"]`}), ""},
		{"exec form with other words", image("", map[string]string{"Cmd": `["/bin/sh","-c","echo hello world"]`}),
			image("", map[string]string{"Cmd": `["echo","hello"]`}), "Config.Cmd"},
		{"exec form of a variable", image("", map[string]string{"Cmd": `["/bin/sh","-c","echo $HOME"]`}),
			image("", map[string]string{"Cmd": `["echo","$HOME"]`}), "Config.Cmd"},
		{"exec form of a glob", image("", map[string]string{"Cmd": `["/bin/sh","-c","ls *.txt"]`}),
			image("", map[string]string{"Cmd": `["ls","*.txt"]`}), "Config.Cmd"},
		{"exec form to shell form", image("", map[string]string{"Cmd": `["echo","hi"]`}),
			image("", map[string]string{"Cmd": `["/bin/sh","-c","echo hi"]`}), "Config.Cmd"},
		{"another shell", image("", map[string]string{"Cmd": `["/bin/bash","-c","echo hi"]`}),
			image("", map[string]string{"Cmd": `["echo","hi"]`}), "Config.Cmd"},
		{"healthcheck to exec form", image("", map[string]string{"Healthcheck": `{"Test":["CMD-SHELL","curl -f http://localhost/"],"Interval":30000000000}`}),
			image("", map[string]string{"Healthcheck": `{"Test":["CMD","curl","-f","http://localhost/"],"Interval":30000000000}`}), ""},
		{"healthcheck interval", image("", map[string]string{"Healthcheck": `{"Test":["CMD-SHELL","true"],"Interval":30000000000}`}),
			image("", map[string]string{"Healthcheck": `{"Test":["CMD","true"],"Interval":10000000000}`}), "Config.Healthcheck"},
		{"maintainer to authors label", image("Jane <j@example.com>", map[string]string{"Labels": `{"dockopt.verify":"1"}`}),
			image("", map[string]string{"Labels": `{"dockopt.verify":"1","org.opencontainers.image.authors":"Jane <j@example.com>"}`}), ""},
		{"authors label with another value", image("Jane", nil),
			image("", map[string]string{"Labels": `{"org.opencontainers.image.authors":"John"}`}), "Config.Labels"},
		{"authors label without maintainer", image("", nil),
			image("", map[string]string{"Labels": `{"org.opencontainers.image.authors":"John"}`}), "Config.Labels"},
		{"authors label changed", image("Jane", map[string]string{"Labels": `{"org.opencontainers.image.authors":"John"}`}),
			image("", map[string]string{"Labels": `{"org.opencontainers.image.authors":"Jane"}`}), "Config.Labels"},
		{"other label", image("", map[string]string{"Labels": `{"a":"1"}`}), image("", map[string]string{"Labels": `{"a":"2"}`}), "Config.Labels"},
		{"own labels ignored", image("", map[string]string{"Labels": `{"dockopt.verify":"1"}`}), image("", nil), ""},
		{"root by uid", image("", nil), image("", map[string]string{"User": `"0"`}), ""},
		{"root by name", image("", map[string]string{"User": `"root:root"`}), image("", map[string]string{"User": `"0:0"`}), ""},
		{"uid 1000 is not root", image("", nil), image("", map[string]string{"User": `"1000"`}), "Config.User"},
		{"shell", image("", map[string]string{"Shell": `["/bin/bash","-c"]`}), image("", nil), "Config.Shell"},
		{"onbuild", image("", map[string]string{"OnBuild": `["RUN x"]`}), image("", nil), "Config.OnBuild"},
		{"env added without a new base", image("", map[string]string{"Env": `["PATH=/bin"]`}),
			image("", map[string]string{"Env": `["PATH=/bin","SSL_CERT_FILE=/x"]`}), "Config.Env"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diffs := CompareConfig(c.before, c.after, nil)
			switch {
			case c.want == "" && len(diffs) > 0:
				t.Errorf("want equal, got %q", diffs)
			case c.want != "" && (len(diffs) == 0 || !strings.Contains(diffs[0], c.want)):
				t.Errorf("want a difference %q, got %q", c.want, diffs)
			}
		})
	}
}

func TestSmokeComments(t *testing.T) {
	src := "\ufeff# dockopt:verify first --flag\r\nFROM scratch\n  #dockopt:verify\nRUN a \\\n# dockopt:verify   'in a continuation'  \n  && b\n# dockopt:verifyx not this\n# not dockopt:verify this\n"
	want := []string{"first --flag", "", "'in a continuation'"}
	if got := SmokeComments([]byte(src)); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCompareConfigNewBase(t *testing.T) {
	before := image("", map[string]string{"Env": `["PATH=/bin","APP=1"]`})
	base := []string{"PATH=/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"}
	cases := []struct {
		name, env string
		ok        bool
	}{
		{"the new base's variable added", `["PATH=/bin","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt","APP=1"]`, true},
		{"the same", `["PATH=/bin","APP=1"]`, true},
		{"a variable the base does not set", `["PATH=/bin","APP=1","OTHER=1"]`, false},
		{"the base's variable with another value", `["PATH=/bin","APP=1","SSL_CERT_FILE=/other"]`, false},
		{"an original variable lost", `["PATH=/bin","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]`, false},
		{"an original variable changed", `["PATH=/usr/bin","APP=1"]`, false},
	}
	for _, c := range cases {
		diffs := CompareConfig(before, image("", map[string]string{"Env": c.env}), base)
		if (len(diffs) == 0) != c.ok {
			t.Errorf("%s: diffs %q, want ok=%v", c.name, diffs, c.ok)
		}
	}
}

func TestFinalBase(t *testing.T) {
	src := "FROM golang AS build\nFROM build AS test\nFROM gcr.io/distroless/static AS final\nFROM test AS debug\n"
	for target, want := range map[string]string{"": "golang", "final": "gcr.io/distroless/static", "TEST": "golang", "build": "golang", "nope": ""} {
		if got := finalBase([]byte(src), target); got != want {
			t.Errorf("finalBase(target %q) = %q, want %q", target, got, want)
		}
	}
}
