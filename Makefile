GO ?= go
export DOCKER_BUILDKIT=1

.PHONY: build test golden lint e2e fuzz fuzz-realworld bench realworld

build:
	$(GO) build -o bin/dockopt ./cmd/dockopt

## test: vet, gofmt check and every unit, golden and CLI test
test: lint
	$(GO) vet ./...
	$(GO) test ./...
	bash scripts/action_test.sh

## golden: rewrite the golden files (review their diff before committing)
golden:
	$(GO) test ./golden -update

lint:
	@out=$$(gofmt -l $$( (git ls-files '*.go' 2>/dev/null || find . -name '*.go') | grep -v '/testdata/')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## bench: dockopt fix --check over a generated tree of BENCH_N Dockerfiles, against the
## floor of BuildKit parsing the same files single-threaded in one process
BENCH_N ?= 10000
BENCH_DIR ?= /tmp/dockopt-bench
bench:
	$(GO) build -o $(BENCH_DIR)/bin/dockopt ./cmd/dockopt
	$(GO) build -o $(BENCH_DIR)/bin/parsefloor ./bench/parsefloor
	$(GO) build -o $(BENCH_DIR)/bin/compare ./bench/compare
	$(GO) build -o $(BENCH_DIR)/bin/lowerbound ./bench/lowerbound
	rm -rf $(BENCH_DIR)/tree $(BENCH_DIR)/fixed && $(GO) run ./bench/gentree -n $(BENCH_N) -out $(BENCH_DIR)/tree
	cp -r $(BENCH_DIR)/tree $(BENCH_DIR)/fixed && $(BENCH_DIR)/bin/dockopt fix -q $(BENCH_DIR)/fixed
	$(BENCH_DIR)/bin/lowerbound -pack $(BENCH_DIR)/tree $(BENCH_DIR)/fixed > $(BENCH_DIR)/fixed.pack
	@echo "== $(BENCH_N) Dockerfiles; default -j (= $$(nproc) CPUs) vs the single-threaded parse floor"
	$(BENCH_DIR)/bin/compare -n 5 -a-name "dockopt fix --check" -a "$(BENCH_DIR)/bin/dockopt fix --check -q $(BENCH_DIR)/tree" \
		-b-name "parse floor (1 thread)" -b "$(BENCH_DIR)/bin/parsefloor $(BENCH_DIR)/tree"
	@echo "== dockopt -j 1 vs the same floor (CPU cost per file)"
	$(BENCH_DIR)/bin/compare -n 5 -a-name "dockopt fix --check -j 1" -a "$(BENCH_DIR)/bin/dockopt fix --check -q -j 1 $(BENCH_DIR)/tree" \
		-b-name "parse floor (1 thread)" -b "$(BENCH_DIR)/bin/parsefloor $(BENCH_DIR)/tree"
	@echo "== the least any BuildKit-based fixer can do (parse every input, parse every changed output; no transform), default -j, vs the floor"
	$(BENCH_DIR)/bin/compare -n 5 -a-name "lower bound" -a "$(BENCH_DIR)/bin/lowerbound $(BENCH_DIR)/tree $(BENCH_DIR)/fixed.pack" \
		-b-name "parse floor (1 thread)" -b "$(BENCH_DIR)/bin/parsefloor $(BENCH_DIR)/tree"

## realworld: dockopt on the Dockerfiles of 72 pinned public projects (Go module zips; see
## bench/realworld/README.md): BuildKit accepts every output, a second run changes nothing,
## comments and line endings are kept, exit 0. Report in $(REALWORLD_DIR)/report.md
REALWORLD_DIR ?= /tmp/dockopt-realworld
realworld:
	$(GO) run ./bench/realworld -out $(REALWORLD_DIR)

## e2e: build every e2e/cases/* before and after `dockopt fix` on a real Docker engine and compare (see e2e/README.md);
## TestVerifyBuildKit uses the buildkitd provisioning starts (or $DOCKOPT_BUILDKIT_ADDR)
## Every e2e build is cold (--no-cache), and BuildKit keeps what it built in its cache: tens of GB
## after a few runs. The cache and dangling images are dropped before and after (the base images stay).
E2E_DOCKER ?= /usr/bin/docker
e2e:
	bash e2e/provision.sh
	$(E2E_DOCKER) builder prune -af >/dev/null 2>&1 || true
	$(E2E_DOCKER) image prune -f >/dev/null 2>&1 || true
	export DOCKOPT_BUILDKIT_ADDR=$${DOCKOPT_BUILDKIT_ADDR:-$$(cat $${DOCKOPT_E2E_STATE:-/var/tmp/dockopt-e2e}/buildkitd.addr 2>/dev/null)}; \
	$(GO) test -tags e2e -count=1 -timeout 45m -parallel 2 -v ./e2e; status=$$?; \
	$(E2E_DOCKER) builder prune -af >/dev/null 2>&1; $(E2E_DOCKER) image prune -f >/dev/null 2>&1; \
	exit $$status

## fuzz: run each fuzz target for FUZZTIME, one after another (crashers land in */testdata/fuzz/)
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./rewrite -run '^$$' -fuzz '^FuzzShell$$' -fuzztime $(FUZZTIME)
	$(GO) test ./rewrite -run '^$$' -fuzz '^FuzzDiff$$' -fuzztime $(FUZZTIME)
	$(GO) test ./fuzz -run '^$$' -fuzz '^FuzzPipeline$$' -fuzztime $(FUZZTIME)

## fuzz-realworld: FuzzPipeline seeded with the real Dockerfiles of `make realworld` too
fuzz-realworld:
	test -d $(REALWORLD_DIR)/files || $(MAKE) realworld
	DOCKOPT_FUZZ_SEEDS=$(REALWORLD_DIR)/files $(GO) test ./fuzz -run '^$$' -fuzz '^FuzzPipeline$$' -fuzztime $(FUZZTIME)
