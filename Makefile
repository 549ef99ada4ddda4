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

# The main job: HAQ's latency-constrained search for MobileNet-V1 on BISMO edge (0.6 x the 8-bit
# latency), with the cycle-accurate SystemC model in the loop and the shipped Fashion-MNIST
# model for accuracy; ends with the found policy's per-layer report next to 8-bit's. A short
# search (about 10 minutes on 2 cores; the cost cache makes a second run faster); the full-length
# runs are in the README.
DEMO_EPISODES ?= 60
demo: build
	$(BUILD)/bin/haqsim search --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 \
	  --constraint latency --target 0.6 --backend systemc --episodes $(DEMO_EPISODES) \
	  --random-episodes $(DEMO_EPISODES) --eval-images 300 --test-images 2000 \
	  --out runs/demo-search-$$(date +%Y%m%d-%H%M%S)

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
