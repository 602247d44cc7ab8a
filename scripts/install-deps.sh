#!/usr/bin/env bash
# Installs the Debian 12 packages loadline needs to build, test, bench and package.
# Idempotent: asks apt only for what is missing, so a second run costs a dpkg query.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config file dpkg-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-httpserver-dev qt6-websockets-dev
  libxkbcommon-dev libgl-dev
  libsqlite3-dev sqlite3  # the .llrec store (core/store); sqlite3: its documented reading
  libcli11-dev  # loadline-cli's option parsing and generated help
  nlohmann-json3-dev libutf8proc-dev libgtest-dev libgmock-dev libbenchmark-dev
  libexpected-dev  # tl::expected: core's Result<T> (core/base/result.h)
  fonts-dejavu-core xvfb xauth x11-utils desktop-file-utils appstream
  python3 python3-psutil procps curl
  libssl-dev openssl  # serve checks TLS keys with OpenSSL (Qt's backend); the TLS tests make certificates with openssl
  prometheus  # the serve test scrapes loadline-cli serve with a real Prometheus
  # packaging: PNG icons from the SVG, the .deb's checks (lintian, man, systemd-analyze), completions
  librsvg2-bin lintian man-db systemd bash-completion zsh
  prometheus-node-exporter  # import prometheus is tested against node_exporter's metric names
  chromium  # the HTML report test renders the report in headless Chromium and checks its pixels
  dbus-daemon  # the desktop notification test runs a private session bus
  clang-14 libclang-rt-14-dev  # the fuzz stage: libFuzzer with ASan + UBSan (scripts/run-fuzzers.sh)
  clang-format-14  # scripts/check-format.sh: the sources against .clang-format
)
# Extra tools for benches (wrk: the serve load test); opt in with LOADLINE_FULL_DEPS=1.
if [[ "${LOADLINE_FULL_DEPS:-0}" == 1 ]]; then
  PACKAGES+=(wrk hyperfine imagemagick)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
