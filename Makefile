# Quick start (README): `make demo` and `make test`, from a fresh Debian 12 machine.
# Both run the setup script (installs missing Debian packages), configure and build first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup configure build demo test test-long bench format clean

all: build

setup:
	bash tools/setup.sh

configure: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# The main job on the embedded default: per-layer report of 8-bit MobileNet-V1 on BISMO edge.
demo: build
	$(BUILD)/bin/haqsim simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 \
	  --bits 8 --backend analytic --out runs/demo-bismo-edge-mobilenet_v1

# The whole CTest suite except checks labelled `long` (run those with `make test-long`).
test: build
	cd $(BUILD) && ctest --output-on-failure -LE long -j$(JOBS)

test-long: build
	cd $(BUILD) && ctest --output-on-failure -L long -j$(JOBS)

# Benchmarks, results as JSON in bench-results/.
bench: build
	bash tools/bench/run.sh $(BUILD)

format:
	find base models sim search tools tests rtl -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
