# bulletin: build, test and install what it needs.
# `make` / `make run` / `make test` install missing Debian packages first
# (apt-get, as root) or print the one command to run.

PKGS     := icu-uc icu-i18n libpcre2-8 opencc libutf8proc libcrypto libxml-2.0 sqlite3
DEB_PKGS := gcc make pkg-config python3 libicu-dev libpcre2-dev libopencc-dev opencc \
            libutf8proc-dev libssl-dev libxml2-dev libsqlite3-dev

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror
LDFLAGS ?=
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

asan:
	$(MAKE) SANITIZER=address test

valgrind: all
	VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	  $(MAKE) --no-print-directory test

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
	rm -rf obj obj-asan bulletin
