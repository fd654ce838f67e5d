#!/bin/sh
# deps.sh: install what sockstep needs to build and to run its tests, on
# Debian or Ubuntu.  It runs apt-get directly as root and through sudo
# otherwise, so the README's first command works on a fresh machine (where
# root often has no sudo, and `make` itself is not installed yet).
#
# Only shell built-ins and dpkg-query, apt-get, id, sudo are used: the
# tests put fake ones first on PATH and check what would have run.
set -eu

PKGS="build-essential pkg-config libncurses-dev check libsubunit-dev
libpcap-dev tmux python3 netcat-openbsd tcpdump iproute2 util-linux"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -z "$missing" ]; then
	echo "deps: everything sockstep needs is installed"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: no apt-get here: install these with your package manager:$missing" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "deps: not root and no sudo: as root, run: apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
# A fresh image has no package lists yet; an old list only warns.
$as_root apt-get update -qq || echo "deps: apt-get update failed; trying the install anyway" >&2
# shellcheck disable=SC2086 # one word per package
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
