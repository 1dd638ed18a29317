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
# X server for screenshots, unit-file and shell checks, libFuzzer, the
# desktop entry and AppStream validators (install_tree).
DEB_TEST := json-schema-test-suite postgresql procps \
	dbus dbus-daemon gnome-keyring xvfb xauth \
	systemd shellcheck clang libclang-rt-14-dev desktop-file-utils appstream
DEB_PACKAGES := $(DEB_BUILD) $(DEB_TEST)
# make package: the build plus lintian (and file, which lintian runs).
DEB_PACKAGING := lintian file

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build check demo screenshots bench chaos fuzz package clean help

all: build

help:
	@echo "make demo   - install dependencies, build, start the embedded site (vcd-sim, 3 replicas) and the console"
	@echo "make screenshots - redo the README screenshots from the running console under Xvfb"
	@echo "make check  - install dependencies, build, run every test (ctest)"
	@echo "make deps   - install the Debian packages the project needs (idempotent)"
	@echo "make package - build the Debian packages cse-server, cse-console, vcd-sim into build/ and run lintian"
	@echo "make build  - configure and build preset \$$PRESET (default: default)"
	@echo "make bench  - run every benchmark with its defaults and print the tables (about 15 min)"
	@echo "make chaos  - the chaos test for CHAOS_SECONDS (default 1800) instead of the bounded 90 s of make check"
	@echo "make fuzz   - build the libFuzzer targets with clang (build/fuzz) and run each for FUZZ_SECONDS (default 60)"

# $(call apt_install,PACKAGES): installs those not installed yet, without Recommends.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else echo "deps: all $(words $(1)) packages present"; fi
endef

deps:
	$(call apt_install,$(DEB_PACKAGES))

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
# (a server or CI shell): only the site runs, in the foreground, and
# packaging/demo-site.sh prints the credentials and the commands to try next.
demo: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY$$QT_QPA_PLATFORM" ]; then \
	  exec $(BUILD_DIR)/app/cse-console --demo; \
	else \
	  exec packaging/demo-site.sh $(BUILD_DIR) build/demo-site; \
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

# Debian packages (CPack DEB, cmake/Packaging.cmake) from their own build
# tree (preset package: prefix /usr, Debian's build flags, no tests), copied
# to build/*.deb; lintian must report no error. packaging/test-packages.sh
# installs and exercises them (in a clean Debian 12 chroot:
# ../shared/tools/fresh-debian.sh /tmp/fresh "make package && bash packaging/test-packages.sh").
package:
	$(call apt_install,$(DEB_BUILD) $(DEB_PACKAGING))
	CXXFLAGS="$$(dpkg-buildflags --get CXXFLAGS) $$(dpkg-buildflags --get CPPFLAGS)" LDFLAGS="$$(dpkg-buildflags --get LDFLAGS)" \
	  cmake --preset package
	cmake --build --preset package
	rm -f build/package/*.deb build/*.deb
	cd build/package && cpack -G DEB
	cp build/package/*.deb build/
	lintian --fail-on error --no-tag-display-limit build/*.deb
	@ls -l build/*.deb

clean:
	rm -rf build
