# incontro — build, run with demo data, test.
#   make run    build, start a private PostgreSQL (unless DATABASE_URL is set), migrate,
#               seed demo data if the database is empty, serve
#   make test   vet, staticcheck, and every test with the race detector
#   make build  build bin/incontro (with the pages' assets: Bootstrap Italia through npm)
#   make assets install Bootstrap Italia with npm and copy what the pages use into ui/static/vendor
#   make bench  the benchmark of docs/performance.md (1,000,000 CVs, about 20 minutes)

GO      ?= go
BIN     := bin/incontro
TOOLS   := $(CURDIR)/bin/tools
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
STATICCHECK_VERSION := v0.8.2

.PHONY: build run test vet staticcheck postgres chromium node assets clean bench

build: assets
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/incontro

# The PostgreSQL server binaries, installed from Debian's packages when missing.
postgres:
	@sh scripts/ensure-postgres.sh

# Node.js and npm, installed from Debian's packages when missing.
node:
	@sh scripts/ensure-node.sh

# Bootstrap Italia, pinned by package-lock.json, installed by npm into
# node_modules and copied into ui/static/vendor, which the binary embeds.
# Neither is committed; both are remade when the lock file changes.
NPM_STAMP    := node_modules/.package-lock.json
ASSETS_STAMP := ui/static/vendor/bootstrap-italia/VERSION

$(NPM_STAMP): package.json package-lock.json
	@sh scripts/ensure-node.sh
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

$(ASSETS_STAMP): $(NPM_STAMP) scripts/vendor-assets.sh
	sh scripts/vendor-assets.sh

assets: $(ASSETS_STAMP)

# Chromium for the browser tests, installed from Debian's packages when missing.
chromium:
	@sh scripts/ensure-chromium.sh

run: postgres build
	./$(BIN) seed --if-empty
	./$(BIN) serve

vet:
	$(GO) vet ./...

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

staticcheck: $(TOOLS)/staticcheck
	$(TOOLS)/staticcheck ./...

# The race detector needs cgo and a C compiler; without one the tests still run.
RACE := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v cc >/dev/null 2>&1 && echo -race)

test: postgres chromium assets vet staticcheck
	@[ -n "$(RACE)" ] || echo "note: no C compiler, running the tests without the race detector (install gcc to enable it)"
	$(GO) test $(RACE) -count=1 ./...

# The benchmark of docs/performance.md: incontro beside PostgreSQL full-text
# search on synthetic CVs, in a database and a directory of its own
# (<data dir>/bench, default var/bench); figures to stdout and var/bench.json.
BENCH_CANDIDATES ?= 1000000
BENCH_JSON       ?= var/bench.json
bench: postgres build
	@mkdir -p $(dir $(BENCH_JSON))
	./$(BIN) bench --candidates $(BENCH_CANDIDATES) --http --json $(BENCH_JSON)

clean:
	rm -rf bin node_modules ui/static/vendor/bootstrap-italia
