# sockstep — see README.md.  `make`, `make check`, `make install`.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DESTDIR ?=
CC ?= cc
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
VERSION := 0.1.0

DEPS_PKGS := ncursesw libpcap
CHECK_PKGS := check
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wno-unused-parameter
# Asked once, on first use: `make deps` must not ask pkg-config, which it installs.
DEP_CFLAGS = $(eval DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS_PKGS)))$(DEP_CFLAGS)
DEP_LIBS = $(eval DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(DEPS_PKGS)))$(DEP_LIBS)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(CHECK_PKGS))
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs $(CHECK_PKGS))

ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) -Iinclude $(DEP_CFLAGS) \
	-DSOCKSTEP_VERSION='"$(VERSION)"' \
	-DSOCKSTEP_DATADIR='"$(DATADIR)/sockstep"' -MMD -MP $(CFLAGS)

B := build
SRC_DIRS := core engine kernel lesson sinks ui cli
LIB_SRC := $(filter-out src/cli/main.c,$(foreach d,$(SRC_DIRS),$(wildcard src/$(d)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
MAIN_OBJ := $(B)/obj/src/cli/main.o
# tests/ mirrors src/: tests/<area>/test_<module>.c, one binary each.
TEST_SRC := $(wildcard tests/*/test_*.c)
TEST_BIN := $(addprefix $(B)/tests/,$(notdir $(TEST_SRC:.c=)))
vpath test_%.c $(sort $(dir $(TEST_SRC)))
# Programs a learner would write, to run under `sockstep trace`.
EXAMPLE_SRC := $(wildcard examples/c/*.c)
EXAMPLE_BIN := $(addprefix $(B)/examples/,$(notdir $(EXAMPLE_SRC:.c=)))

.SECONDARY:
.PHONY: deps all examples check check-unit check-integration check-asan valgrind clean \
	install uninstall bench fuzz lint format

all: $(B)/sockstep

# Install the build and test dependencies (Debian/Ubuntu; sudo only when
# not root).  scripts/deps.sh also runs where make is not installed yet.
deps:
	@./scripts/deps.sh

$(B)/sockstep: $(MAIN_OBJ) $(B)/libsockstep.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(DEP_LIBS) $(LDFLAGS)

examples: $(EXAMPLE_BIN)

$(B)/examples/%: examples/c/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(B)/libsockstep.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/obj/tests/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(B)/obj/tests/check_main.o: tests/check_main.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(B)/tests/test_%: $(B)/obj/tests/test_%.o $(B)/obj/tests/check_main.o $(B)/libsockstep.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(DEP_LIBS) $(CHECK_LIBS) $(LDFLAGS)

# Unit tests (Check) then the tests of the binary (shell, real loopback).
check: all examples $(TEST_BIN)
	@./tests/run-all.sh $(B)

check-unit: all $(TEST_BIN)
	@./tests/run-all.sh $(B) unit

check-integration: all examples
	@./tests/run-all.sh $(B) integration

# The whole suite built with AddressSanitizer and UBSan, in its own tree.
check-asan:
	$(MAKE) B=build-asan CC=clang \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	  LDFLAGS='-fsanitize=address,undefined' check

# Every unit test and a headless exchange under valgrind memcheck.
valgrind: all $(TEST_BIN)
	@./tests/valgrind.sh $(B)

bench: all examples
	@./bench/run.sh $(B)

fuzz:
	@./fuzz/run.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr -Iinclude src tests

format:
	clang-format -i src/*/*.c include/sockstep/*.h tests/*.c tests/*/*.c

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/sockstep/lessons $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/sockstep $(DESTDIR)$(BINDIR)/sockstep
	install -m 644 lessons/*.md $(DESTDIR)$(DATADIR)/sockstep/lessons/
	if [ -f docs/sockstep.1 ]; then install -m 644 docs/sockstep.1 $(DESTDIR)$(MANDIR)/man1/sockstep.1; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sockstep $(DESTDIR)$(MANDIR)/man1/sockstep.1
	rm -rf $(DESTDIR)$(DATADIR)/sockstep

clean:
	rm -rf build build-asan

-include $(shell find $(B) -name '*.d' 2>/dev/null)
