# bulletin: build, test and install what it needs.
# `make` / `make run` / `make test` install missing Debian packages first
# (apt-get, as root) or print the one command to run.

PKGS     := icu-uc icu-i18n libpcre2-8 opencc libutf8proc libcrypto libxml-2.0 sqlite3 libarchive jansson
DEB_PKGS := gcc make pkg-config python3 libicu-dev libpcre2-dev libopencc-dev opencc \
            libutf8proc-dev libssl-dev libxml2-dev libsqlite3-dev time libarchive-dev libjansson-dev wget

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -pthread
LDFLAGS ?=
LDFLAGS += -pthread
BUILD   := obj

ifeq ($(SANITIZER),address)
  CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=address,undefined
  BUILD   := obj-asan
endif

SRCS := $(filter-out pipeline/main.c,$(wildcard pipeline/*.c))
OBJS := $(SRCS:pipeline/%.c=$(BUILD)/%.o)
UNIT := $(wildcard tests/unit/test_*.c)

.PHONY: all build run test unit golden asan valgrind lint format deps clean
.PHONY: fuzz fuzz-smoke fuzz-build tsan

all: deps
	@$(MAKE) --no-print-directory build

build: bulletin

bulletin: $(BUILD)/main.o $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $$(pkg-config --libs $(PKGS))

$(BUILD)/%.o: pipeline/%.c pipeline/*.h | $(BUILD)
	$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKGS)) -Ipipeline -c -o $@ $<

$(BUILD):
	mkdir -p $@

$(BUILD)/test_%: tests/unit/test_%.c $(OBJS)
	$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKGS)) -Ipipeline -o $@ $^ $(LDFLAGS) $$(pkg-config --libs $(PKGS))

# The sample corpus into out/, with a one-line summary.
run: all
	./bulletin run -o out --clean-dir out/clean corpus

test: all
	@$(MAKE) --no-print-directory $(UNIT:tests/unit/%.c=$(BUILD)/%)
	@LC_ALL=C BUILD=$(BUILD) VALGRIND="$(VALGRIND)" bash tests/run.sh

# Regenerate the per-stage golden outputs; review the diff in git.
golden: all
	@for d in tests/stages/*/; do s=$$(basename $$d); \
	  for i in $$d*.in; do ./bulletin run --only $$s $$i > $${i%.in}.out 2>/dev/null; done; done
	@git diff --stat tests/stages

# Unit and golden tests under ASan + UBSan: objects in obj-asan, and
# ./bulletin (which tests/run.sh runs) linked from them; afterwards the
# plain ./bulletin is linked again, whatever the result.
asan:
	@rm -f bulletin
	@$(MAKE) --no-print-directory SANITIZER=address bulletin
	@nm bulletin | grep -q __asan_init || { echo "asan: ./bulletin is not instrumented"; exit 1; }
	@$(MAKE) --no-print-directory SANITIZER=address test; rc=$$?; \
	  rm -f bulletin; $(MAKE) --no-print-directory build >/dev/null; exit $$rc

# The pipeline over corpus/ (and the other subcommands, and the unit tests)
# under valgrind: any memory error or leak fails. Still-reachable and
# possible leaks are the libraries' caches (ICU, OpenCC) and are not counted.
VALGRIND_CMD := valgrind -q --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
valgrind: all
	$(call need_pkgs,valgrind)
	@$(MAKE) --no-print-directory $(UNIT:tests/unit/%.c=$(BUILD)/%)
	@set -e; t=$$(mktemp -d /tmp/bulletin-valgrind.XXXXXX); trap 'rm -rf "$$t"' EXIT; \
	  for u in $(UNIT:tests/unit/%.c=$(BUILD)/%); do echo "valgrind $$u"; $(VALGRIND_CMD) $$u >/dev/null; done; \
	  echo "valgrind ./bulletin run corpus"; \
	  $(VALGRIND_CMD) ./bulletin run -q -o "$$t/out" --clean-dir "$$t/clean" corpus; \
	  echo "valgrind ./bulletin clean/extract/check-rules/num"; \
	  $(VALGRIND_CMD) ./bulletin clean corpus/000_2d10e2a55480fa27.txt >/dev/null; \
	  $(VALGRIND_CMD) ./bulletin extract corpus/004_d84178776e794d49.txt >/dev/null; \
	  $(VALGRIND_CMD) ./bulletin check-rules rules >/dev/null; \
	  cut -f1 tests/num/cn2an.tsv | $(VALGRIND_CMD) ./bulletin num >/dev/null || [ $$? -ne 99 ]; \
	  echo "valgrind: no memory errors, no leaks"

# ---- fuzzing: tests/fuzz/README.md ------------------------------------
# libFuzzer targets built with clang + ASan + UBSan into obj-fuzz/. `make
# fuzz` runs each for FUZZ_SECONDS; `make fuzz-smoke` (CI) for
# FUZZ_SMOKE_SECONDS each. A crash fails the target and is saved under
# obj-fuzz/; copy it into tests/fuzz/regress/<target>/ once fixed.
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_TARGETS       := decode html normalise num rules extract minhash
FUZZ_BUILD         := obj-fuzz
FUZZ_CFLAGS        := -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -pthread \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJS          := $(SRCS:pipeline/%.c=$(FUZZ_BUILD)/%.o)
.SECONDARY: $(FUZZ_OBJS)

fuzz-build:
	$(call need_pkgs,clang libclang-rt-dev)
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  bash tests/fuzz/run.sh $(FUZZ_BUILD) $$t $(FUZZ_SECONDS) || exit 1; done

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

$(FUZZ_BUILD)/%.o: pipeline/%.c pipeline/*.h
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $$(pkg-config --cflags $(PKGS)) -Ipipeline -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $$(pkg-config --cflags $(PKGS)) -Ipipeline \
	  -o $@ $< $(FUZZ_OBJS) $$(pkg-config --libs $(PKGS))

# ---- ThreadSanitizer: the -j paths (worker threads, the index of
# originals they search while the main thread adds) built with clang and
# -fsanitize=thread into obj-tsan/, run by tests/tsan.sh: a report fails.
TSAN_BUILD  := obj-tsan
TSAN_CFLAGS := -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -pthread \
	-fsanitize=thread -fno-omit-frame-pointer
TSAN_OBJS   := $(TSAN_BUILD)/main.o $(SRCS:pipeline/%.c=$(TSAN_BUILD)/%.o)
.SECONDARY: $(TSAN_OBJS)

tsan: all
	$(call need_pkgs,clang libclang-rt-dev)
	@$(MAKE) --no-print-directory $(TSAN_BUILD)/bulletin
	@bash tests/tsan.sh $(TSAN_BUILD)/bulletin

$(TSAN_BUILD)/%.o: pipeline/%.c pipeline/*.h
	@mkdir -p $(TSAN_BUILD)
	$(FUZZ_CC) $(TSAN_CFLAGS) $$(pkg-config --cflags $(PKGS)) -Ipipeline -c -o $@ $<

$(TSAN_BUILD)/bulletin: $(TSAN_OBJS)
	$(FUZZ_CC) -fsanitize=thread -pthread -o $@ $^ $$(pkg-config --libs $(PKGS))

# The same targets built with $(CC) and -DSTANDALONE: they replay files
# (tests/groups/92-fuzz-replay.sh replays the seeds and regressions).
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(OBJS)
	$(CC) $(CFLAGS) -DSTANDALONE $$(pkg-config --cflags $(PKGS)) -Ipipeline -o $@ $< $(OBJS) \
	  $(LDFLAGS) $$(pkg-config --libs $(PKGS))

# $(call need_pkgs,PKG...): installs missing Debian packages as root (as
# `make deps` does), or names the command to run.
define need_pkgs
	@missing=$$(for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "bulletin: installing $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "bulletin: missing packages; run: sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi
endef

lint:
	clang-tidy pipeline/*.c -- -std=c11 -D_GNU_SOURCE $$(pkg-config --cflags $(PKGS))

format:
	clang-format -i pipeline/*.c pipeline/*.h tests/unit/*.c

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "bulletin: installing $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "bulletin: missing packages; run: sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf obj obj-asan obj-fuzz obj-tsan bulletin

# Throughput and peak memory of `bulletin run` over a synthetic corpus that
# bench/gen_corpus.py makes once from corpus/ into bench/corpus (git-ignored),
# beside cat and opencc over the same bytes: README.md, "Benchmark".
# BENCH_MB=20 make bench for a quick try.
BENCH_MB   ?= 200
BENCH_RUNS ?= 3
BENCH_SEED ?= 1
.PHONY: bench
bench: all
	@python3 bench/bench.py --mb $(BENCH_MB) --runs $(BENCH_RUNS) --seed $(BENCH_SEED)

# What duplicate detection across documents and --state add to a run over
# 10,000 synthetic notices (bench/dedup.sh prints the figures; not a test).
.PHONY: bench-dedup
bench-dedup: all
	@bash bench/dedup.sh
