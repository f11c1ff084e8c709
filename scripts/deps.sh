#!/usr/bin/env bash
# Installs what flamescope builds and tests with, then builds libperf from the
# kernel source Debian ships (linux-source; Debian has no libperf package).
# Idempotent: every step checks first.
# Usage: scripts/deps.sh [BUILD_DIR]   (default: build)
#   BUILD_DIR/libperf     libperf and libapi (include/, lib64/)
#   BUILD_DIR/linux-src   the parts of the kernel tree their build uses
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
mkdir -p "$build" && build=$(cd "$build" && pwd)	# make -C below needs it absolute
pkgs=(gcc make clang libclang-rt-dev libelf-dev libzstd-dev libtraceevent-dev libpng-dev
      libfreetype-dev fonts-dejavu-core libcmocka-dev pkg-config linux-perf
      libiberty-dev libc6-dbg libxml2-utils valgrind xz-utils scdoc python3 nodejs file time
      chromium strace zlib1g-dev tmux procps
      libunwind-dev binutils g++)
pkgs+=(libdw-dev)	# addr2line's inline frames in process (core/inlines-dw.c)
# npm comes with some nodejs builds (NodeSource's conflicts with Debian's npm): only when missing
command -v npm >/dev/null || pkgs+=(npm)

# The kernel source tarball of the release (linux-source-6.1 on bookworm): the
# newest installed, or the one the linux-source metapackage brings.
tarball() {
	ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1
}

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ -n "$(tarball)" ] || missing+=(linux-source)
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
	tar=$(tarball)
	[ -n "$tar" ] || { echo "deps: no /usr/src/linux-source-*.tar.xz" >&2; exit 1; }
	dir=$(basename "$tar" .tar.xz)
	# The kernel's name for this machine's architecture (tools/scripts/Makefile.arch).
	arch=$(uname -m | sed -e 's/i.86/x86/' -e 's/x86_64/x86/' -e 's/aarch64.*/arm64/' \
		-e 's/arm.*/arm/' -e 's/ppc.*/powerpc/' -e 's/s390x/s390/' -e 's/riscv.*/riscv/' \
		-e 's/loongarch.*/loongarch/' -e 's/mips.*/mips/' -e 's/sparc.*/sparc/')
	rm -rf "$src" && mkdir -p "$src"
	echo "deps: extracting libperf's sources from $tar ($arch)" >&2
	# Only what libperf's and libapi's build reads: their sources, tools/include,
	# the build system and this architecture's uapi headers.
	tar -xJf "$tar" -C "$src" --strip-components=1 --wildcards \
		"$dir/tools/lib/perf/*" "$dir/tools/lib/api/*" "$dir/tools/lib/*.c" \
		"$dir/tools/include/*" "$dir/tools/build/*" "$dir/tools/scripts/*" \
		"$dir/tools/arch/$arch/*"
	make -s -C "$src/tools/lib/perf" prefix="$prefix" install_lib install_headers >/dev/null
	cp "$src/tools/lib/api/libapi.a" "$prefix/lib64/"
fi
# playwright-core, which drives chromium in the page tests, from the committed lock file;
# the browser is Debian's, none is downloaded.
web=$top/tests/browser
want=$(node -p 'require(process.argv[1]).packages["node_modules/playwright-core"].version' "$web/package-lock.json")
have=$(node -p 'require(process.argv[1]).version' "$web/node_modules/playwright-core/package.json" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
	echo "deps: installing playwright-core $want into tests/browser/node_modules" >&2
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$web" --no-audit --no-fund --loglevel=error </dev/null >&2
fi
echo "deps: ok" >&2
