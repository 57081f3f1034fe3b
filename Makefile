# The README's two commands are `make run` and `make test`; the other targets are their parts.
SHELL := /bin/bash
MVN ?= mvn -B

.PHONY: run test build up down status bench

## Build, bring the local stack up and run the platform end to end on simulated traffic.
run: build
	infra/bin/run.sh

## Every test tier: unit (*Test), integration with real Kafka/Redis/Flink (*ITCase), and the local stack (*E2ECase).
test:
	infra/bin/ensure-redis.sh
	infra/bin/ensure-deb.sh docker-compose docker-compose
	docker-compose -f docker-compose.yml config -q
	$(MVN) -Pe2e verify

build:
	$(MVN) -q -DskipTests install

up:
	./vigil up

down:
	./vigil down

status:
	./vigil status

## Benchmarks print figures; see README "Performance". `make bench CSV=handbook-raw.csv.gz` adds the full replay.
bench: build
	bench/all.sh $(CSV)
