# pkgfresh — package repository freshness analyzer.
#
#   make                 build ./pkgfresh
#   make check           install missing Debian packages (root), build, run every test
#   make check SAN=1     the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check VALGRIND=1  run the tests under valgrind --leak-check=full
#   make bench           benchmarks with reference timings measured in the same run
#   make demo            install deps, build, crawl the default repositories, stats, map
#   make install PREFIX=/usr/local DESTDIR=
#   make format          apply .clang-format to every C file
#   make clean

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
SAN      ?= 0
VALGRIND ?= 0

PKGS := libcurl libxml-2.0 jansson sqlite3 cairo libpng zlib liblzma libzstd libbrotlidec \
        libarchive yaml-0.1 libpcre2-8
TEST_PKGS := cmocka

CC       ?= cc
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Wno-format-truncation
CPPFLAGS_ALL = -Iinclude -Itests/support -D_GNU_SOURCE -DPKGFRESH_VERSION='"$(VERSION)"' \
               -DPKGFRESH_DATADIR='"$(PREFIX)/share/pkgfresh"' \
               $(shell pkg-config --cflags $(PKGS))
LIBS_ALL     = $(shell pkg-config --libs $(PKGS)) -lbz2 -lpthread -lm

ifeq ($(SAN),1)
  BUILD   := build/san
  OPT     := -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
  BUILD   := build/rel
  SANFLAGS :=
endif

CFLAGS_ALL  = -std=c11 $(OPT) $(WARN) $(SANFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard crawler/*.c crawler/formats/*.c analyzer/*.c render/*.c store/*.c site/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TSUP_SRC := $(sort $(wildcard tests/support/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
# bench/names.c is a helper the bench programs link, not a program of its own
BSUP_SRC := bench/names.c
BENCH_SRC := $(filter-out $(BSUP_SRC),$(sort $(wildcard bench/*.c)))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TSUP_OBJ := $(TSUP_SRC:%.c=$(BUILD)/%.o)
BSUP_OBJ := $(BSUP_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
LIB      := $(BUILD)/libpkgfresh.a
BIN      := $(BUILD)/pkgfresh

# Test and bench objects come from a chain of pattern rules: keep them (no
# rebuild on every run). Only those: a bare .SECONDARY would make GNU make skip
# missing objects of ./pkgfresh whenever the symlink looked up to date.
.SECONDARY: $(TEST_BIN:=.o) $(BENCH_BIN:=.o) $(BSUP_OBJ)
.PHONY: all check check-run bench demo install clean format deps tests
.DEFAULT_GOAL := all

all: pkgfresh

# ./pkgfresh always points at the build of the current configuration. Phony:
# make judges a symlink by its target's time, so after `make check SAN=1` a
# plain `make` would otherwise leave it pointing at the sanitizer build.
.PHONY: pkgfresh
pkgfresh: $(BIN)
	@ln -sf $(BIN) pkgfresh

# V=1 shows the full command lines.
V ?= 0
ifeq ($(V),1)
  Q :=
else
  Q := @
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),printf '  CC      %s\n' $<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CPPFLAGS) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The built-in catalog: data/repos/*.yaml compiled in (checked in too; a test
# fails if it is stale).
crawler/catalog_data.c: $(wildcard data/repos/*.yaml) scripts/embed-catalog
	scripts/embed-catalog > $@.tmp && mv $@.tmp $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),printf '  LINK    %s\n' $@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(LIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TSUP_OBJ) $(LIB)
	@$(if $(Q),printf '  LINK    %s\n' $@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(TSUP_OBJ) $(LIB) $(LIBS_ALL) $(shell pkg-config --libs $(TEST_PKGS))

# A bench program links its own object, bench/names.c and any further
# object listed as a prerequisite below.
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BSUP_OBJ) $(LIB)
	@$(if $(Q),printf '  LINK    %s\n' $@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIB) $(LIBS_ALL)

# gen_db runs its crawls and analyses as `pkgfresh crawl` and `analyze` do,
# with the heap on huge pages (cli/hugepages.c).
$(BUILD)/bench/gen_db: $(BUILD)/cli/hugepages.o

# bench_crawl serves its synthetic indexes with the tests' loopback server and
# writes brotli (nixpkgs' packing) with libbrotlienc.
$(BUILD)/bench/bench_crawl: $(BUILD)/bench/bench_crawl.o $(BUILD)/tests/support/httpd.o $(LIB)
	@$(if $(Q),printf '  LINK    %s\n' $@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(BUILD)/tests/support/httpd.o $(LIB) $(LIBS_ALL) \
		$(shell pkg-config --libs libbrotlienc)

tests: $(TEST_BIN) pkgfresh

deps:
	@scripts/install-deps

# make check: one command on a fresh Debian machine.
check: deps
	@$(MAKE) --no-print-directory check-run

check-run: tests
	@PKGFRESH_BIN=$(abspath $(BIN)) VALGRIND=$(VALGRIND) SAN=$(SAN) tests/run-tests $(TEST_BIN)

bench: deps
	@$(MAKE) --no-print-directory pkgfresh $(BENCH_BIN) $(BUILD)/tests/test_oracle
	@PKGFRESH_BIN=$(abspath $(BIN)) BENCH_DIR=$(abspath $(BUILD)/bench) \
	  ORACLE_TEST=$(abspath $(BUILD)/tests/test_oracle) bench/run-bench

demo: deps
	@$(MAKE) --no-print-directory pkgfresh
	@scripts/demo

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/pkgfresh/rules \
	           $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/doc/pkgfresh/repos \
	           $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	           $(DESTDIR)$(PREFIX)/lib/systemd/user
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/pkgfresh
	install -m 644 docs/pkgfresh.1 $(DESTDIR)$(PREFIX)/share/man/man1/pkgfresh.1
	install -m 644 data/completion/pkgfresh.bash \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/pkgfresh
	sed 's|/usr/local/bin/pkgfresh|$(PREFIX)/bin/pkgfresh|' data/systemd/pkgfresh.service \
	  > $(DESTDIR)$(PREFIX)/lib/systemd/user/pkgfresh.service
	install -m 644 data/systemd/pkgfresh.timer $(DESTDIR)$(PREFIX)/lib/systemd/user/
	install -m 644 data/repos/*.yaml data/repos/README.md $(DESTDIR)$(PREFIX)/share/doc/pkgfresh/repos/
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/pkgfresh/
	if ls data/rules/*.yaml >/dev/null 2>&1; then \
	  install -m 644 data/rules/*.yaml $(DESTDIR)$(PREFIX)/share/pkgfresh/rules/; fi

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TSUP_SRC) $(TEST_SRC) $(BENCH_SRC) $(BSUP_SRC) \
	  $(wildcard include/pkgfresh/*.h tests/support/*.h cli/*.h store/*.h render/*.h site/*.h \
	             bench/*.h \
	             analyzer/*.h fuzz/*.c fuzz/*.h)

clean:
	rm -rf build pkgfresh tests/tmp

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TSUP_OBJ:.o=.d) $(TEST_BIN:=.d) $(BSUP_OBJ:.o=.d) \
         $(BENCH_BIN:=.d)

# ---- fuzz: libFuzzer harnesses (clang) --------------------------------------
#   make fuzz                      build every fuzz/fuzz_<target>.c, run each for
#                                  FUZZ_SECONDS (default 60), print executions per target
#   make fuzz FUZZ_TARGETS="tsv vercmp" FUZZ_SECONDS=600
#   make fuzz-build                only build build/fuzz/fuzz_<target>
# The library is compiled again with clang, ASan+UBSan and fuzzer coverage into
# build/fuzz/. Seeds: fuzz/corpus/<target>/ (read only); inputs found are kept in
# build/fuzz/corpus/<target>/, crashes in build/fuzz/artifacts/.
FUZZ_CC      ?= $(firstword $(shell command -v clang-14 clang 2>/dev/null) clang)
FUZZ_SECONDS ?= 60
FUZZ_SRC     := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_SRC:fuzz/fuzz_%.c=%)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=c11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter \
                $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/%.o)
FUZZ_BIN     := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)

.PHONY: fuzz fuzz-build

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@printf '  FUZZCC  %s\n' $<
	$(Q)$(FUZZ_CC) $(CPPFLAGS_ALL) -Ifuzz $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

build/fuzz/libpkgfresh.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

build/fuzz/fuzz_%: build/fuzz/fuzz/fuzz_%.o build/fuzz/libpkgfresh.a
	@printf '  LINK    %s\n' $@
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< build/fuzz/libpkgfresh.a $(LIBS_ALL)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@mkdir -p build/fuzz/artifacts; rc=0; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t fuzz/corpus/$$t; \
	  ASAN_OPTIONS=detect_leaks=1 build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	    -rss_limit_mb=2048 -timeout=20 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/artifacts/$$t- \
	    build/fuzz/corpus/$$t fuzz/corpus/$$t > build/fuzz/$$t.log 2>&1; r=$$?; \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/$$t.log); \
	  cov=$$(grep -o 'cov: [0-9]*' build/fuzz/$$t.log | tail -n 1); \
	  if [ $$r -eq 0 ]; then st=ok; else st="CRASH (see build/fuzz/$$t.log)"; rc=1; fi; \
	  printf 'fuzz %-16s %10s executions in %ss, %s: %s\n' $$t "$${runs:-?}" \
	    $(FUZZ_SECONDS) "$${cov:-cov: ?}" "$$st"; \
	done; exit $$rc

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_SRC:fuzz/%.c=build/fuzz/fuzz/%.d)
