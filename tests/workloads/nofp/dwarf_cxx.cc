// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwarf_cxx: a C++ workload built without frame pointers for `perf record
 * --call-graph dwarf` tests: templates (instantiated class and function
 * templates, std::sort with a lambda, std::map, std::function), virtual
 * calls, and exceptions thrown and caught through several frames, so
 * samples land in libstdc++ and libgcc's unwinder too.
 *
 *   dwarf_cxx [MS]   (default 1000)
 */
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace work {

static volatile unsigned long sink;

template <typename T, int N>
struct Mixer {
	__attribute__((noinline)) T mix(T x) const
	{
		for (int i = 0; i < N; i++)
			x = x * static_cast<T>(6364136223846793005ULL) + static_cast<T>(i);
		return x;
	}
};

template <typename T>
__attribute__((noinline)) T accumulate_all(const std::vector<T> &v)
{
	Mixer<T, 64> m;
	T s = 0;

	for (const T &x : v)
		s += m.mix(x);
	return s;
}

struct Shape {
	virtual ~Shape() = default;
	virtual unsigned long area(unsigned long k) const = 0;
};

struct Square : Shape {
	__attribute__((noinline)) unsigned long area(unsigned long k) const override
	{
		return Mixer<unsigned long, 3000>().mix(k);
	}
};

struct Failure : std::runtime_error {
	explicit Failure(const std::string &what) : std::runtime_error(what) {}
};

__attribute__((noinline)) void thrower(int depth, unsigned long x)
{
	if (depth == 0)
		throw Failure("depth " + std::to_string(x & 7));
	thrower(depth - 1, x + 1);
	sink = sink + 1;
}

__attribute__((noinline)) unsigned long catcher(unsigned long x)
{
	try {
		thrower(8, x);
	} catch (const Failure &f) {
		return f.what()[6];
	}
	return 0;
}

__attribute__((noinline)) unsigned long sort_map(unsigned long seed)
{
	std::vector<unsigned long> v(2000);
	std::map<unsigned long, int> m;

	for (auto &x : v)
		x = seed = seed * 1103515245u + 12345u;
	std::sort(v.begin(), v.end(), [](unsigned long a, unsigned long b) {
		return (a ^ 0x5555) < (b ^ 0x5555);
	});
	for (int i = 0; i < 300; i++)
		m[v[i]] = i;
	return accumulate_all(v) + m.begin()->first;
}

}  // namespace work

int main(int argc, char **argv)
{
	using clock = std::chrono::steady_clock;
	auto end = clock::now() + std::chrono::milliseconds(argc > 1 ? atol(argv[1]) : 1000);
	std::function<unsigned long(unsigned long)> f = work::sort_map;
	work::Square sq;
	const work::Shape &shape = sq;
	unsigned long x = 1;

	while (clock::now() < end) {
		x += f(x);
		x += shape.area(x);
		x += work::catcher(x);
	}
	work::sink = x;
	return 0;
}
