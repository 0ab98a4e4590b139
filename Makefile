# The README's two commands are `make demo` and `make test`; the rest are steps of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_MODULES_STAMP := node_modules/.package-lock.json

.PHONY: help install build typecheck lint test test-unit test-integration demo bench clean system-deps

help:
	@echo "make demo   - build, start Rondo on the embedded store and run the example network service"
	@echo "make test   - install what is missing, build, type-check, lint and run every test"

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_MODULES_STAMP)

install: $(NODE_MODULES_STAMP)

system-deps:
	bash scripts/ensure-system-deps.sh

build: install
	npm run --silent build

typecheck: install
	npm run --silent typecheck

lint: install
	npm run --silent lint

# Every test, both vitest projects; totals are printed as one plain line at the end.
test: system-deps build typecheck lint
	@mkdir -p build
	@set -o pipefail; npx vitest run --reporter=default --reporter=json --outputFile.json=build/vitest.json; rc=$$?; \
	  node scripts/test-totals.mjs build/vitest.json; exit $$rc

test-unit: install
	npx vitest run --project unit

test-integration: system-deps build
	npx vitest run --project integration --project docker --project docker-workers --project openstack

# The demo runs on Docker only: no OpenStack, no broker needed.
demo: build
	RONDO_SKIP_OPENSTACK=1 RONDO_SKIP_RABBITMQ=1 bash scripts/ensure-system-deps.sh
	bash scripts/demo.sh

bench: build
	npx tsx bench/onboard.ts
	npx tsx bench/instantiate.ts

clean:
	rm -rf dist build .rondo
