# Quick start (README): `make demo` and `make test`, from a fresh Debian 12 machine.
# Both run the setup script (installs missing Debian packages), configure and build first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all setup setup-cluster configure build demo test test-long test-cluster test-sanitize fuzz bench format clean report-screenshots

all: build

setup:
	bash tools/setup.sh

# The optional packages of the cluster test (slurm-wlm, munge, parallel) besides the default ones.
setup-cluster:
	bash tools/setup.sh --cluster

configure: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# The main job: HAQ's latency-constrained search for MobileNet-V1 on BISMO edge (0.6 x the 8-bit
# latency), with the cycle-accurate SystemC model in the loop and the shipped Fashion-MNIST
# model for accuracy, against the other searchers on the same budget and the same number of
# evaluated policies (random search, evolution, the ILP over measured sensitivities, uniform);
# writes the most accurate method's policy and its per-layer report next to 8-bit's. About
# 15 minutes on 2 cores (the cost cache makes a second run faster); the full-length runs are
# in the README.
DEMO_EPISODES ?= 60
demo: build
	$(BUILD)/bin/haqsim search --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 \
	  --constraint latency --target 0.6 --backend systemc --method ddpg,random,evolution,ilp,uniform \
	  --episodes $(DEMO_EPISODES) --random-episodes $(DEMO_EPISODES) --evolution-episodes $(DEMO_EPISODES) \
	  --eval-images 300 --rerank-images 1000 --test-images 2000 \
	  --out runs/demo-search-$$(date +%Y%m%d-%H%M%S)

# The whole CTest suite except checks labelled `long` (run those with `make test-long`) and the
# fuzzers (`make fuzz`).
test: build
	cd $(BUILD) && ctest --output-on-failure -LE 'long|fuzz' -j$(JOBS)

# The long checks, with the optional packages they use (Slurm and GNU parallel for the cluster
# test, PyTorch for the torchvision exports).
test-long: setup-cluster build
	bash tools/setup.sh --optional
	cd $(BUILD) && ctest --output-on-failure -L long -j$(JOBS)

# The README's cluster path for real: the 27-point sweep as a Slurm job array on a one-node Slurm
# started on localhost (root or sudo), and with GNU parallel; each merge equals the unsharded run.
test-cluster: setup-cluster build
	cd $(BUILD) && ctest --output-on-failure -L cluster

# Every kind of report page (simulate, an imported ONNX network, BISMO and BitFusion sweeps, a short
# search, a small co-design) from small real runs, screenshotted in headless Chromium (installed by
# tools/setup.sh --optional) as $(SCREENSHOTS)/<page>.png; about two minutes.
SCREENSHOTS ?= runs/report-screenshots
report-screenshots: build
	bash tools/report_screenshots.sh $(BUILD) $(SCREENSHOTS)

# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, in their own build tree
# (HAQSIM_SANITIZE); only the unit tests' targets are built. UBSan findings fail the test.
SANITIZE_BUILD ?= build-sanitize
test-sanitize: setup
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAQSIM_SANITIZE=ON
	cmake --build $(SANITIZE_BUILD) -j$(JOBS) --target haqsim_unit_tests
	cd $(SANITIZE_BUILD) && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -L unit -j$(JOBS)

# Each libFuzzer harness (tests/fuzz/) for 20 s, built with clang in $(BUILD)/fuzz.
fuzz: build
	cd $(BUILD) && ctest --output-on-failure -L fuzz

# Benchmarks, results as JSON in bench-results/.
bench: build
	bash tools/bench/run.sh $(BUILD)

format:
	find base models sim search tools tests rtl -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
