#!/bin/sh
# deps.sh: install what sockstep needs to build and to run its tests, on
# Debian or Ubuntu.  It runs apt-get directly as root and through sudo
# otherwise, so the README's first command works on a fresh machine (where
# root often has no sudo, and `make` itself is not installed yet).
#
# It also generates the zh_CN.UTF-8 locale when it is missing: sockstep
# speaks Chinese under it (LANG=zh_CN.UTF-8), and the tests of that need it.
#
# Only shell built-ins and dpkg-query, apt-get, id, sudo, locale and
# localedef are used: the tests put fake ones first on PATH and check what
# would have run.
set -eu

# gettext: msgfmt builds the message catalogs; locales: zh_CN's definition
PKGS="build-essential pkg-config libncurses-dev check libsubunit-dev
libpcap-dev tmux python3 netcat-openbsd tcpdump iproute2 util-linux
gettext locales"
# localedef, not /etc/locale.gen + locale-gen: one command, the same on
# Debian and Ubuntu, and nothing edited by hand
GEN_ZH="localedef -i zh_CN -f UTF-8 zh_CN.UTF-8"

has_zh() {
	case "$(locale -a 2>/dev/null || true)" in
	*zh_CN.utf8* | *zh_CN.UTF-8*) return 0 ;;
	esac
	return 1
}

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
zh=1
has_zh || zh=0
if [ -z "$missing" ] && [ $zh = 1 ]; then
	echo "deps: everything sockstep needs is installed"
	exit 0
fi
if [ -n "$missing" ] && ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: no apt-get here: install these with your package manager:$missing" >&2
	exit 1
fi
# What a root shell would run, said in one line when we cannot run it.
todo=""
[ -z "$missing" ] || todo="apt-get install -y$missing"
[ $zh = 1 ] || todo="${todo:+$todo && }$GEN_ZH"
if [ "$(id -u)" = 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "deps: not root and no sudo: as root, run: $todo" >&2
	exit 1
fi
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	# A fresh image has no package lists yet; an old list only warns.
	$as_root apt-get update -qq || echo "deps: apt-get update failed; trying the install anyway" >&2
	# shellcheck disable=SC2086 # one word per package
	$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
# the locales package may have just come: look again
if ! has_zh; then
	echo "deps: generating the zh_CN.UTF-8 locale (sockstep in Chinese)"
	# shellcheck disable=SC2086 # one word per argument
	$as_root $GEN_ZH
fi
