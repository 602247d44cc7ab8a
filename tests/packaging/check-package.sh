#!/usr/bin/env bash
# The Debian package, built from the already-built tree (CPack runs 'cmake --install' into its
# own staging directory; nothing is compiled again):
#   - control fields: Depends from dpkg-shlibdeps, Section, Maintainer, the conffile
#   - every file where FHS and Debian put it (binaries, launcher, AppStream, icons, man pages,
#     completions, the systemd unit and its options file)
#   - lintian (errors and warnings fail; overrides are in packaging/deb/lintian-overrides),
#     desktop-file-validate, appstreamcli validate --no-net --pedantic, man --warnings on each
#     page, systemd-analyze verify on the unit
# Then, only on a disposable machine (CI=true or LOADLINE_PACKAGE_INSTALL_TEST=1) and as root:
#   dpkg -i, the installed programs (--version, snapshot --json, export-png on a fixture, ldd),
#   systemd-analyze verify with the binary in place, the unit started and /api/health asked where
#   systemd is PID 1, dpkg -r (nothing left but config), dpkg --purge (nothing left at all).
#   The machine's state is restored (purge) even when a check fails.
# Usage: check-package.sh BUILD_DIR SOURCE_DIR. Exit 77 (CTest: skipped) without dpkg-deb.
set -uo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)

if ! command -v dpkg-deb >/dev/null; then
  echo "SKIP: dpkg-deb not found: this is not a Debian system, no .deb to build or check"
  exit 77
fi
missing=()
for t in cpack lintian desktop-file-validate appstreamcli systemd-analyze man dpkg-shlibdeps; do
  command -v "$t" >/dev/null || missing+=("$t")
done
if ((${#missing[@]})); then
  echo "FAIL: missing tools: ${missing[*]} (scripts/install-deps.sh installs them)" >&2
  exit 1
fi

fail=0
problem() { echo "FAIL: $*" >&2; fail=1; }
tmp=$(mktemp -d)
installed=0
cleanup() {
  if ((installed)); then
    dpkg --purge loadline >/dev/null 2>&1 || echo "WARNING: dpkg --purge loadline failed; remove it by hand" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

version=$("$build/bin/loadline-cli" --version | awk '{print $2}')

# --- Build the .deb ------------------------------------------------------------------------------
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/cpack" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log" >&2
  echo "FAIL: cpack" >&2
  exit 1
fi
deb=$(ls "$tmp"/cpack/loadline_*.deb)
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
[[ $(basename "$deb") == "loadline_${version}_$(dpkg --print-architecture).deb" ]] ||
  problem "package file $(basename "$deb") does not carry version $version"

# --- Control fields ------------------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Version) == "$version" ]] || problem "Version $(field Version), loadline-cli says $version"
[[ $(field Section) == utils ]] || problem "Section is '$(field Section)'"
[[ $(field Maintainer) == *@* ]] || problem "Maintainer is '$(field Maintainer)'"
[[ -n $(field Description) ]] || problem "no Description"
depends=$(field Depends)
# dpkg-shlibdeps names the package of every linked library, with versions from their symbols files.
for lib in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 libqt6network6; do
  grep -q "$lib (>= " <<<"$depends" || problem "Depends lacks $lib (dpkg-shlibdeps): $depends"
done
mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
[[ $(cat "$tmp/control/conffiles" 2>/dev/null) == /etc/default/loadline-serve ]] ||
  problem "conffiles is not /etc/default/loadline-serve"

# --- Files ---------------------------------------------------------------------------------------
root=$tmp/root
dpkg-deb -x "$deb" "$root"
expect=(
  usr/bin/loadline usr/bin/loadline-cli usr/libexec/loadline/loadline-draw
  usr/share/applications/io.github.loadline.desktop
  usr/share/metainfo/io.github.loadline.metainfo.xml
  usr/share/icons/hicolor/scalable/apps/io.github.loadline.svg
  usr/share/man/man1/loadline.1.gz usr/share/man/man1/loadline-cli.1.gz
  usr/share/bash-completion/completions/loadline usr/share/bash-completion/completions/loadline-cli
  usr/share/zsh/vendor-completions/_loadline usr/share/zsh/vendor-completions/_loadline-cli
  lib/systemd/system/loadline-serve.service etc/default/loadline-serve
  usr/share/doc/loadline/copyright usr/share/doc/loadline/changelog.gz
)
for size in 16 32 48 64 128 256; do expect+=("usr/share/icons/hicolor/${size}x${size}/apps/io.github.loadline.png"); done
for f in "${expect[@]}"; do [[ -s $root/$f ]] || problem "the package lacks /$f"; done
# loadline-cli links no GUI library (serve and record stay small); it runs export-png and report
# in loadline-draw, found from its own directory: run from the extracted tree, that works too.
readelf -d "$root/usr/bin/loadline-cli" | grep -qE 'NEEDED.*libQt6(Gui|Widgets|Charts)' &&
  problem "/usr/bin/loadline-cli links a Qt GUI library"
env -u DISPLAY -u WAYLAND_DISPLAY "$root/usr/bin/loadline-cli" export-png "$src/tests/data/chart/ramp_with_gap.json" \
  -o "$tmp/extracted.png" --width 320 --height 200 || problem "export-png of the extracted tree failed"
[[ $(file -b "$tmp/extracted.png" 2>/dev/null) == "PNG image data, 320 x 200"* ]] ||
  problem "export-png of the extracted tree wrote no 320x200 PNG"
for size in 16 48 256; do
  png=$root/usr/share/icons/hicolor/${size}x${size}/apps/io.github.loadline.png
  [[ -s $png ]] || continue
  dims=$(file -b "$png" | grep -o '[0-9]* x [0-9]*')
  [[ $dims == "$size x $size" ]] || problem "${size}x${size} icon is $dims"
done

# --- Validators ----------------------------------------------------------------------------------
lintian --fail-on error,warning --display-info "$deb" >"$tmp/lintian.log" 2>&1 ||
  problem "lintian: $(grep -v 'not recommended' "$tmp/lintian.log")"
grep -E '^[EWI]:' "$tmp/lintian.log" | sed 's/^/lintian: /'
grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/io.github.loadline.metainfo.xml" ||
  problem "the AppStream file has no <release version=\"$version\"> (add one when the version changes)"
desktop-file-validate "$root/usr/share/applications/io.github.loadline.desktop" || problem "desktop-file-validate"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/io.github.loadline.metainfo.xml" >"$tmp/as.log" 2>&1 ||
  problem "appstreamcli validate: $(cat "$tmp/as.log")"
for page in "$root"/usr/share/man/man1/*.1.gz; do
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
  [[ -z $warnings ]] || problem "man --warnings $(basename "$page"): $warnings"
done
# Before installing, the unit's programs are in the extracted tree: verify a copy pointing there
# (systemd-analyze checks that ExecStart= is executable and Documentation=man: pages exist).
unit=$root/lib/systemd/system/loadline-serve.service
mkdir -p "$tmp/unit"
sed "s|/usr/bin/loadline-cli|$root/usr/bin/loadline-cli|" "$unit" >"$tmp/unit/loadline-serve.service"
MANPATH=$root/usr/share/man systemd-analyze verify "$tmp/unit/loadline-serve.service" >"$tmp/verify.log" 2>&1 ||
  problem "systemd-analyze verify: $(cat "$tmp/verify.log")"
grep -q '^ExecStart=/usr/bin/loadline-cli serve ' "$unit" || problem "unit's ExecStart is not /usr/bin/loadline-cli serve"
for d in DynamicUser=yes ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes PrivateTmp=yes \
         'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' SystemCallFilter=@system-service LoadCredential=token:; do
  grep -q "^$d" "$unit" || problem "unit lacks $d"
done
grep -qE '^(ProtectProc=invisible|ProcSubset=pid)' "$unit" && problem "unit hides /proc the agent reads"

# --- Install test (disposable machines only) -----------------------------------------------------
if [[ ${CI:-} != true && ${LOADLINE_PACKAGE_INSTALL_TEST:-0} != 1 ]]; then
  echo "install test not run: it installs and removes the package system-wide; set CI=true or LOADLINE_PACKAGE_INSTALL_TEST=1 (as root) for it"
elif [[ $(id -u) -ne 0 ]]; then
  problem "the install test needs root (dpkg -i)"
elif dpkg-query -W -f='${Status}' loadline 2>/dev/null | grep -q 'install ok installed'; then
  problem "a loadline package is already installed; the install test would replace it"
else
  installed=1
  if ! dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
    problem "dpkg -i: $(cat "$tmp/dpkg.log")"
  else
    echo "dpkg -i: installed"
    got=$(/usr/bin/loadline-cli --version) || problem "installed loadline-cli --version failed"
    [[ $got == "loadline-cli $version" ]] || problem "installed loadline-cli --version says '$got'"
    got=$(/usr/bin/loadline --version) || problem "installed loadline --version failed"
    [[ $got == "loadline $version" ]] || problem "installed loadline --version says '$got'"
    /usr/bin/loadline-cli snapshot --json --top 3 >"$tmp/snap.json" || problem "installed snapshot --json failed"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d, "empty"' "$tmp/snap.json" ||
      problem "snapshot --json is not a JSON object"
    env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/loadline-cli export-png "$src/tests/data/chart/ramp_with_gap.json" \
      -o "$tmp/chart.png" --width 400 --height 300 || problem "installed export-png failed"
    [[ $(file -b "$tmp/chart.png" 2>/dev/null) == "PNG image data, 400 x 300"* ]] || problem "export-png wrote no 400x300 PNG"
    for b in /usr/bin/loadline /usr/bin/loadline-cli /usr/libexec/loadline/loadline-draw; do
      ldd "$b" >"$tmp/ldd.log" 2>&1 || problem "ldd $b failed"
      grep -q 'not found' "$tmp/ldd.log" && problem "ldd $b: $(grep 'not found' "$tmp/ldd.log")"
    done
    systemd-analyze verify /lib/systemd/system/loadline-serve.service >"$tmp/verify.log" 2>&1 ||
      problem "systemd-analyze verify (installed): $(cat "$tmp/verify.log")"
    [[ $(stat -c '%a %U' /etc/loadline/serve.token 2>/dev/null) == "600 root" ]] ||
      problem "postinst made no root-only /etc/loadline/serve.token"
    if [[ -d /run/systemd/system ]]; then
      systemctl is-enabled loadline-serve.service >/dev/null 2>&1 && problem "the package enabled loadline-serve"
      if systemctl start loadline-serve.service; then
        port=$(sed -n 's/.*--port \([0-9]*\).*/\1/p' /etc/default/loadline-serve)
        ok=0
        for _ in $(seq 50); do
          curl -fsS "http://127.0.0.1:${port:-8080}/api/health" >"$tmp/health.json" 2>/dev/null && { ok=1; break; }
          sleep 0.2
        done
        ((ok)) || problem "the started unit does not answer /api/health: $(journalctl -u loadline-serve -n 20 --no-pager 2>&1)"
        systemctl stop loadline-serve.service
      else
        problem "systemctl start loadline-serve: $(journalctl -u loadline-serve -n 20 --no-pager 2>&1)"
      fi
    else
      echo "systemd is not PID 1 here: the unit is verified, not started"
    fi

    # dpkg -r: every file gone but the conffile and the token (configuration, kept until purge).
    dpkg -L loadline >"$tmp/files.list"
    if ! dpkg -r loadline >"$tmp/dpkg.log" 2>&1; then
      problem "dpkg -r: $(cat "$tmp/dpkg.log")"
    else
      while read -r f; do
        [[ -f $f ]] || continue  # files; /lib itself is a symlink on merged-/usr systems
        [[ $f == /etc/default/loadline-serve ]] && continue
        problem "dpkg -r left $f"
      done <"$tmp/files.list"
      [[ -f /etc/default/loadline-serve ]] || problem "dpkg -r removed the conffile (it is configuration)"
      [[ $(dpkg-query -W -f='${Status}' loadline 2>/dev/null) == "deinstall ok config-files" ]] ||
        problem "after dpkg -r the status is '$(dpkg-query -W -f='${Status}' loadline 2>/dev/null)'"
      dpkg --purge loadline >/dev/null 2>&1 || problem "dpkg --purge failed"
      installed=0
      for f in /etc/default/loadline-serve /etc/loadline; do [[ -e $f ]] && problem "dpkg --purge left $f"; done
      echo "dpkg -r and --purge: clean"
    fi
  fi
fi

((fail)) && exit 1
echo "package $(basename "$deb") checked"
