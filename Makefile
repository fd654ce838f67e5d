# sockstep — see README.md.  `make`, `make check`, `make install`.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
LOCALEDIR ?= $(DATADIR)/locale
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
	-DSOCKSTEP_DATADIR='"$(DATADIR)/sockstep"' \
	-DSOCKSTEP_LOCALEDIR='"$(LOCALEDIR)"' -MMD -MP $(CFLAGS)

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
# Message catalogs: po/LANG.po -> build/locale/LANG/LC_MESSAGES/sockstep.mo,
# where the binary in build/ finds them (src/core/i18n.c).
LINGUAS := $(notdir $(basename $(wildcard po/*.po)))
CATALOGS := $(foreach l,$(LINGUAS),$(B)/locale/$(l)/LC_MESSAGES/sockstep.mo)
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
	--keyword=ngettext:1,2 --add-comments=TRANSLATORS: --sort-by-file --add-location=file \
	--package-name=sockstep --package-version=$(VERSION) \
	--msgid-bugs-address=sockstep-authors --copyright-holder='the sockstep authors'

.SECONDARY:
.PHONY: deps all examples check check-unit check-integration check-asan valgrind clean \
	install uninstall bench fuzz lint format pot po-update po-check

all: $(B)/sockstep $(CATALOGS)

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

$(B)/locale/%/LC_MESSAGES/sockstep.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The template of every translatable string, from the sources.
POT ?= po/sockstep.pot
pot:
	xgettext $(XGETTEXT_FLAGS) -o $(POT) $(sort $(LIB_SRC) src/cli/main.c)

# Bring every translation up to date with the template (new strings come
# in untranslated, changed ones fuzzy: po-check then says which).
po-update: pot
	for l in $(LINGUAS); do msgmerge --quiet --update --backup=none --add-location=file --sort-by-file po/$$l.po po/sockstep.pot; done

# Every catalog complete: no untranslated and no fuzzy message.
po-check:
	@./tests/po-check.sh

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
	for d in lessons/*/; do \
	  [ -n "$$(ls $$d*.md 2>/dev/null)" ] || continue; \
	  install -d $(DESTDIR)$(DATADIR)/sockstep/lessons/$$(basename $$d); \
	  install -m 644 $$d*.md $(DESTDIR)$(DATADIR)/sockstep/lessons/$$(basename $$d)/; \
	done
	for l in $(LINGUAS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	  install -m 644 $(B)/locale/$$l/LC_MESSAGES/sockstep.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/sockstep.mo; \
	done
	if [ -f docs/sockstep.1 ]; then install -m 644 docs/sockstep.1 $(DESTDIR)$(MANDIR)/man1/sockstep.1; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sockstep $(DESTDIR)$(MANDIR)/man1/sockstep.1
	rm -rf $(DESTDIR)$(DATADIR)/sockstep
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/sockstep.mo; done

clean:
	rm -rf build build-asan

-include $(shell find $(B) -name '*.d' 2>/dev/null)
