# gpuproxy — the two commands first: `make run` and `make test`.
MVN      ?= mvn -B -q
PORT     ?= 8080
APP_JAR  := server/target/quarkus-app/quarkus-run.jar
SOURCES  := $(shell find pom.xml */pom.xml */src/main -type f 2>/dev/null)

DOCKER_COMPOSE ?= docker compose

.PHONY: run test setup build clean services ganache mcp-conformance docker-up docker-down docker-logs

## run: build if needed, then start bin/gpuproxyd on the embedded SQLite default (PORT overrides 8080;
## ARGS passes flags: make run ARGS="-dv -dm" for developer and debug mode)
run: $(APP_JAR)
	PORT=$(PORT) bin/gpuproxyd $(ARGS)

## test: the whole suite, after `make setup` (the services, browser and node the tests need)
test: setup
	bash .ci/test-make
	PATH="$(CURDIR)/.cache/services/bin:$$PATH" mvn -B -ntp install

## setup: start PostgreSQL and Redis (installing them, or running Maven Central's embedded binaries), install
## Chromium and ganache; prints what it cannot do and the command that fixes it (.ci/setup)
setup:
	bash .ci/setup

## build: compile and package everything without running tests (also the jars of bin/gpuproxy-client, bin/gpuproxy-admin)
CLI_JARS := client-cli/target/gpuproxy-client.jar admin-cli/target/gpuproxy-admin.jar
build: $(APP_JAR) $(CLI_JARS)

$(APP_JAR) $(CLI_JARS): $(SOURCES)
	$(MVN) install -DskipTests -DskipITs

## services: only PostgreSQL and Redis of `make setup` (`bash .ci/setup stop` stops the ones it started itself)
services:
	bash .ci/setup services

## ganache: install the local Ethereum node of the crypto-payment tests (npm ganache@7.9.2, into .cache/ganache)
ganache:
	bash .ci/ganache

## docker-up: build the image and start gpuproxyd, PostgreSQL and Redis with docker compose (creates .env from
## .env.example first if there is none)
docker-up: .env
	$(DOCKER_COMPOSE) up -d --build

## docker-down: stop and remove the containers (the database and Redis volumes stay)
docker-down:
	$(DOCKER_COMPOSE) down

## docker-logs: follow the logs of every container
docker-logs:
	$(DOCKER_COMPOSE) logs -f

.env:
	cp .env.example .env
	@echo "created .env from .env.example: set JWT_SECRET, ADMIN_EMAIL/ADMIN_PASSWORD and DB_PASSWORD in it"

## mcp-conformance: install the official MCP conformance suite, the MCP SDK's reference server and Node 22
## (npm, into .cache/mcp-conformance) for McpConformanceTest; `make setup` and the test itself run this too
mcp-conformance:
	bash .ci/mcp-conformance

## clean: remove build output (not ./data, which holds your SQLite database)
clean:
	$(MVN) clean

## bench: benchmarks against direct, HAProxy and nginx on 127.0.0.1 (bench/, BENCHMARKS.md, bench/results/); < 10 min
bench:
	BENCH_COMMAND="make bench" bash bench/run

## bench-soak: the full 10-minute memory soak of BENCHMARKS.md (make bench runs a shortened one)
bench-soak:
	BENCH_COMMAND="make bench-soak" bash bench/run --soak

.PHONY: bench bench-soak
