#!/usr/bin/env bash
# Installs what flamescope builds and tests with, then builds libperf from Debian's
# linux-source-6.1 (Debian ships no libperf package). Idempotent: every step checks first.
# Usage: scripts/deps.sh [BUILD_DIR]   (default: build)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
mkdir -p "$build" && build=$(cd "$build" && pwd)	# make -C below needs it absolute
pkgs=(gcc make clang libclang-rt-14-dev libelf-dev libzstd-dev libtraceevent-dev libpng-dev
      libfreetype-dev fonts-dejavu-core libcmocka-dev pkg-config linux-perf linux-source-6.1
      libiberty-dev libc6-dbg libxml2-utils valgrind xz-utils scdoc python3 nodejs file time
      tmux procps)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}" >&2
	[ "$(id -u)" = 0 ] || { echo "deps: need root for apt-get (missing: ${missing[*]})" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq </dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

# libperf and the libapi it needs, built from the kernel tree's tools/.
src=$build/linux-src
prefix=$build/libperf
if [ ! -f "$prefix/lib64/libperf.a" ] || [ ! -f "$prefix/lib64/libapi.a" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.xz)
	rm -rf "$src" && mkdir -p "$src"
	echo "deps: extracting tools/ from $tarball" >&2
	tar -xJf "$tarball" -C "$src" --strip-components=1 \
		--wildcards 'linux-source-6.1/tools/*' 'linux-source-6.1/include/uapi/*' \
		'linux-source-6.1/arch/x86/include/uapi/*'
	make -s -C "$src/tools/lib/perf" prefix="$prefix" install_lib install_headers >/dev/null
	cp "$src/tools/lib/api/libapi.a" "$prefix/lib64/"
fi
echo "deps: ok" >&2
