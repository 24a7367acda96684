# FanHeat: `make up` runs the service set, `make test` runs every test.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: up test setup build release generate check-generated bench clean

up: setup release          ## install what is missing, build (release), run all services
	scripts/run-stack.sh

test: setup                ## the full test suite (what CI runs)
	scripts/test.sh

setup:                     ## system packages and the Python venv
	scripts/setup.sh

build:
	swift build

release:
	swift build -c release

generate: setup            ## regenerate Swift code from the .proto contracts
	scripts/generate.sh

check-generated: setup     ## fail if generated code is stale
	scripts/generate.sh --check

clean:
	rm -rf .build
