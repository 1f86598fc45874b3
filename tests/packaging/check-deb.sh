#!/usr/bin/env bash
# Builds the Debian package from a configured build folder and checks its contents with dpkg-deb:
# the declared dependencies and every file the desktop integration needs.
set -euo pipefail
build=${1:?usage: check-deb.sh BUILD_DIR}
cd "$build"
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; exit 1; }
deb=$(ls -t attnx_*.deb | head -n 1)
echo "package: $deb"
contents=$(dpkg-deb -c "$deb")
fields=$(dpkg-deb -f "$deb" Package Version Architecture Depends)
echo "$fields"
fail=0
for path in ./usr/bin/attnx ./usr/bin/attnx-cli ./usr/share/applications/io.github.attnx.desktop \
            ./usr/share/metainfo/io.github.attnx.metainfo.xml \
            ./usr/share/icons/hicolor/scalable/apps/attnx.svg \
            ./usr/share/icons/hicolor/48x48/apps/attnx.png \
            ./usr/share/icons/hicolor/256x256/apps/attnx.png; do
  if ! grep -q " $path\$" <<<"$contents"; then echo "missing in package: $path"; fail=1; fi
done
for dep in libqt6widgets6 libqcustomplot2.1-qt6 libtorch1.13 libopenblas0-pthread libpcre2-8-0 libicu72; do
  if ! grep -q "$dep" <<<"$fields"; then echo "dependency not declared: $dep"; fail=1; fi
done
# The packaged PNG really is a 256x256 PNG rendered from the SVG.
tmp=$(mktemp -d)
dpkg-deb -x "$deb" "$tmp"
if ! file "$tmp/usr/share/icons/hicolor/256x256/apps/attnx.png" | grep -q "256 x 256"; then
  echo "icon is not 256x256"; fail=1
fi
rm -rf "$tmp"
if [ $fail -ne 0 ]; then echo "package check: FAILED"; exit 1; fi
echo "package check: passed"
