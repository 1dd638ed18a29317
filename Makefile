# Entry points for people and CI. Everything builds out of tree under build/.
PRESET ?= default
BUILD_DIR := build/$(PRESET)
# Every Debian 12 package the build, the tests and the demo need, named
# explicitly: `make deps` installs without Recommends, so nothing may come in
# only as a recommendation (libqt6opengl6-dev, which Qt6Charts needs, is just a
# Recommends of qt6-base-dev). Proven on a clean chroot by
# ../shared/tools/fresh-debian.sh.
DEB_BUILD := build-essential cmake pkg-config ccache git openssl \
	qt6-base-dev qt6-base-dev-tools \
	qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools \
	libqt6opengl6-dev libgl-dev libvulkan-dev libxkbcommon-dev \
	libqt6sql6-sqlite libqt6sql6-psql qtkeychain-qt6-dev \
	libyaml-cpp-dev libssl-dev libsystemd-dev prometheus-cpp-dev
# Tests: schema suite, PostgreSQL cells, Secret Service on a private D-Bus,
# X server for screenshots, unit-file and shell checks, libFuzzer.
DEB_TEST := json-schema-test-suite postgresql procps \
	dbus dbus-daemon gnome-keyring xvfb xauth \
	systemd shellcheck clang libclang-rt-14-dev
DEB_PACKAGES := $(DEB_BUILD) $(DEB_TEST)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build check demo screenshots bench chaos fuzz clean help

all: build

help:
	@echo "make demo   - install dependencies, build, start the embedded site (vcd-sim, 3 replicas) and the console"
	@echo "make screenshots - redo the README screenshots from the running console under Xvfb"
	@echo "make check  - install dependencies, build, run every test (ctest)"
	@echo "make deps   - install the Debian packages the project needs (idempotent)"
	@echo "make build  - configure and build preset \$$PRESET (default: default)"
	@echo "make bench  - run every benchmark with its defaults and print the tables (about 15 min)"
	@echo "make chaos  - the chaos test for CHAOS_SECONDS (default 1800) instead of the bounded 90 s of make check"
	@echo "make fuzz   - build the libFuzzer targets with clang (build/fuzz) and run each for FUZZ_SECONDS (default 60)"

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else echo "deps: all $(words $(DEB_PACKAGES)) packages present"; fi

configure: deps
	cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET)

check: build
	ctest --preset $(PRESET)

# Benchmarks print their tables; JSON results go to build/bench-results/.
bench: build
	mkdir -p build/bench-results
	$(BUILD_DIR)/bench/bench_sim_requests --json build/bench-results/sim-requests.json
	$(BUILD_DIR)/bench/bench_ha --json build/bench-results/ha.json
	$(BUILD_DIR)/bench/bench_console --json build/bench-results/console.json
	$(BUILD_DIR)/bench/bench_backup --json build/bench-results/backup.json
	$(BUILD_DIR)/bench/bench_scale --orgs 3,300 --seconds 20 --trials 1 --json build/bench-results/scale.json

CHAOS_SECONDS ?= 1800
chaos: build
	CSE_CHAOS_SECONDS=$(CHAOS_SECONDS) QTEST_FUNCTION_TIMEOUT=$$(( ($(CHAOS_SECONDS) + 900) * 1000 )) \
	  ctest --preset $(PRESET) -L chaos --timeout $$(( $(CHAOS_SECONDS) + 900 ))

# With a display: the console starts the embedded site itself. Without one
# (a server or CI shell): only the site runs, in the foreground.
demo: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY$$QT_QPA_PLATFORM" ]; then \
	  exec $(BUILD_DIR)/app/cse-console --demo; \
	else \
	  mkdir -p -m 700 build/demo-site; chmod 700 build/demo-site; \
	  echo "demo: no display found, so only the embedded site starts (vcd-sim, seeded); Ctrl-C stops it."; \
	  echo "demo: administrator@System password: build/demo-site/admin-password; tenant users acme-admin, acme-viewer,"; \
	  echo "demo: globex-admin, globex-viewer use demo-password. Try: $(BUILD_DIR)/app/cse-server check-connection --help"; \
	  exec $(BUILD_DIR)/app/vcd-sim --data build/demo-site --listen 127.0.0.1:0 --seed demo; \
	fi

# libFuzzer targets (tests/fuzz): a separate clang build with
# -fsanitize=fuzzer,address,undefined, each target run for FUZZ_SECONDS.
# New corpus entries go to build/fuzz/corpus-*; crashes to build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := fuzz_fiql fuzz_http_request fuzz_schema fuzz_capiyaml
fuzz: deps
	cmake -S tests/fuzz -B build/fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build/fuzz -j2
	@set -e; for t in $(FUZZ_TARGETS); do \
	  name=$${t#fuzz_}; name=$${name%_request}; seeds=tests/fuzz/corpus/$$name; work=build/fuzz/corpus-$$name; mkdir -p $$work; \
	  dict=; [ -f tests/fuzz/$$name.dict ] && dict=-dict=../../tests/fuzz/$$name.dict; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  ( cd build/fuzz && ASAN_OPTIONS=detect_leaks=0 ./$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	      $$dict -print_final_stats=1 ../../$$work ../../$$seeds ); \
	done

# The README's screenshots, made from the running program: the console starts
# the demo site (vcd-sim and three replicas) under a private Xvfb server and
# saves the replicas view, the clusters view and the create wizard.
SCREENSHOT_DIR ?= resources/screenshots
screenshots: build
	@dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	  CSE_DEMO_DIR="$$dir" CSE_DEMO_LATENCY_MS=0 LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	  xvfb-run -a -s "-screen 0 1280x800x24" $(BUILD_DIR)/app/cse-console --demo --screenshots $(SCREENSHOT_DIR)

clean:
	rm -rf build
