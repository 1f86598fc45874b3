#!/usr/bin/env bash
# Installs, idempotently, the Debian 12 packages attnx needs to build, test and package.
# Runs as root or through sudo; does nothing when everything is already there.
#   tools/install-deps.sh          what the build, the suite and the sanitizer build need
#   tools/install-deps.sh --fuzz   also clang and libFuzzer, for tools/fuzz.sh
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools qt6-svg-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libopenblas0-pthread
  nlohmann-json3-dev libpcre2-dev libicu-dev
  libgl-dev fonts-dejavu-core
  dpkg-dev file poppler-utils librsvg2-bin
  python3-numpy python3-torch
  slurm-wlm munge
)
if [ "${1:-}" = "--fuzz" ]; then packages+=(clang libclang-rt-14-dev); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
