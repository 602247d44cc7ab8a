#!/usr/bin/env bash
# Builds the Debian package: a Release build in build-package/ with Debian's hardening flags
# (dpkg-buildflags), then CPack DEB (Depends from dpkg-shlibdeps) and lintian --pedantic.
# The .deb lands in build-package/package/; install it with
#   apt install ./build-package/package/loadline_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
builddir=build-package

# Debian's build flags with every hardening feature: -O2, -D_FORTIFY_SOURCE=2, stack protector,
# -z relro -z now. CMake reads CXXFLAGS and LDFLAGS at the first configure, not CPPFLAGS.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
export CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
export LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
if [[ ! -f $builddir/build.ninja ]]; then
  cmake -S . -B "$builddir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DLOADLINE_BUILD_TESTS=OFF -DLOADLINE_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$builddir" -j "$(nproc)"
rm -f "$builddir"/package/loadline_*.deb
(cd "$builddir" && cpack -G DEB --config CPackConfig.cmake)
deb=$(ls "$builddir"/package/loadline_*.deb)
# Clean at every level lintian has, pedantic included; overrides are justified in
# packaging/deb/lintian-overrides.
lintian --pedantic --display-info --fail-on error,warning,info,pedantic "$deb"
echo "$deb"
