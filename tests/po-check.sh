#!/bin/sh
# po-check: every catalog in po/ complete and well-formed, and the
# template up to date with the sources.  msgfmt --check catches format
# strings whose conversions differ from the English (a crash waiting in
# printf); --statistics counts untranslated and fuzzy messages.
set -eu
cd "$(dirname "$0")/.."
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for po in po/*.po; do
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || {
		echo "po-check: $po: $stats"; status=1; continue; }
	echo "po-check: $po: $stats"
	case "$stats" in
	*untranslated* | *fuzzy*) status=1 ;;
	esac
	# A message in the sources but not in the catalog: the catalog is
	# behind the code (run make po-update, then translate).
	make -s pot POT="$tmp/sockstep.pot" >/dev/null
	LC_ALL=C msgcmp --use-untranslated "$po" "$tmp/sockstep.pot" >"$tmp/cmp" 2>&1 || {
		echo "po-check: $po lacks messages of the sources:"; head -20 "$tmp/cmp"; status=1; }
done
exit $status
