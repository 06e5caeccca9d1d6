GO ?= go
export DOCKER_BUILDKIT=1

.PHONY: build test golden lint e2e fuzz bench

build:
	$(GO) build -o bin/dockopt ./cmd/dockopt

## test: vet, gofmt check and every unit, golden and CLI test
test: lint
	$(GO) vet ./...
	$(GO) test ./...

## golden: rewrite the golden files (review their diff before committing)
golden:
	$(GO) test ./golden -update

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## e2e: build every e2e/cases/* before and after `dockopt fix` on a real Docker engine and compare (see e2e/README.md)
e2e:
	bash e2e/provision.sh
	$(GO) test -tags e2e -count=1 -timeout 20m -parallel 2 -v ./e2e
