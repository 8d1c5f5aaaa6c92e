# nnlab: `make demo` and `make test` do all the set-up on a fresh Debian machine.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# The libFuzzer targets (fuzz/README.md): their own clang build with sanitizers.
FUZZ_BUILD ?= build-fuzz
FUZZ_CXX ?= clang++-14
FUZZ_SECONDS ?= 60
# The tests of concurrent use under ThreadSanitizer (tsan/CMakeLists.txt).
TSAN_BUILD ?= build-tsan
# Where `make install` puts the library, headers, tool and data (docs/package.md).
PREFIX ?= /usr/local

.PHONY: all deps build test demo bench clean format fuzz fuzz-build tsan-build install

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Every unit test, each fuzz target over its committed seed corpus (no new inputs), and the
# concurrency tests under ThreadSanitizer.
test: build fuzz-build tsan-build
	@bash scripts/install-npm-tests.sh  # onnxruntime-node and playwright-core, for the ONNX and lab tests (pinned)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(TSAN_BUILD) && ctest --output-on-failure -j $(JOBS)

$(TSAN_BUILD)/build.ninja: tsan/CMakeLists.txt
	cmake -S tsan -B $(TSAN_BUILD) -G Ninja

tsan-build: deps $(TSAN_BUILD)/build.ninja
	cmake --build $(TSAN_BUILD) -j $(JOBS)

$(FUZZ_BUILD)/build.ninja: fuzz/CMakeLists.txt
	cmake -S fuzz -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=$(FUZZ_CXX)

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Fuzzes every target for FUZZ_SECONDS seconds each; `make fuzz FUZZ_SECONDS=600` for longer.
fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The demo needs only the tool: building the tests and benchmarks too would double its time.
demo: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target nnlab_cli
	bash scripts/demo.sh $(BUILD)

install: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target nnlab nnlab_shared nnlab_cli
	cmake --install $(BUILD) --prefix $(PREFIX)

bench:
	@bash scripts/install-deps.sh --bench
	$(MAKE) build
	bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD) $(TSAN_BUILD)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')
