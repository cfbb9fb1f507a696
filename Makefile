# gpuproxy — the two commands first: `make run` and `make test`.
MVN      ?= mvn -B -q
PORT     ?= 8080
APP_JAR  := server/target/quarkus-app/quarkus-run.jar
SOURCES  := $(shell find pom.xml */pom.xml */src/main -type f 2>/dev/null)

.PHONY: run test build clean services ganache mcp-conformance

## run: build if needed, then start gpuproxyd on the embedded SQLite default (PORT overrides 8080)
run: $(APP_JAR)
	PORT=$(PORT) java -jar $(APP_JAR)

## test: the whole suite (needs PostgreSQL and Redis on 127.0.0.1; `make services` starts them on Debian)
test: ganache mcp-conformance
	mvn -B -ntp install

## build: compile and package everything without running tests (also the jars of bin/gpuproxy-client, bin/gpuproxy-admin)
CLI_JARS := client-cli/target/gpuproxy-client.jar admin-cli/target/gpuproxy-admin.jar
build: $(APP_JAR) $(CLI_JARS)

$(APP_JAR) $(CLI_JARS): $(SOURCES)
	$(MVN) install -DskipTests -DskipITs

## services: start the local PostgreSQL and Redis the tests use, if they are not running
services:
	bash .ci/services

## ganache: install the local Ethereum node of the crypto-payment tests (npm ganache@7.9.2, into .cache/ganache)
ganache:
	bash .ci/ganache

## mcp-conformance: install the official MCP conformance suite, the MCP SDK's reference server and Node 22
## (npm, into .cache/mcp-conformance) for McpConformanceTest; the test also runs this itself
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
