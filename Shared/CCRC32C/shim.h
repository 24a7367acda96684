#ifndef FANHEAT_CCRC32C_SHIM_H
#define FANHEAT_CCRC32C_SHIM_H
// CRC-32C with the x86-64 SSE4.2 CRC32 instruction, header-only (no library to link),
// and a cache prefetch hint (any architecture) for the storage hash tables.
// The functions carry their own target attribute, so the package needs no -msse4.2 and
// still runs on CPUs without SSE4.2: callers check fanheat_crc32c_hardware_enabled() (the
// cached answer of fanheat_crc32c_hardware_available()) and otherwise use the portable
// table implementation in FanHeatStorage.CRC32C.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/// A hint to start loading the cache line holding `address` (no fault, no wait): lets a
/// batch of hash-table probes have their cache misses in flight together.
static inline void fanheat_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#if defined(__x86_64__)
#include <cpuid.h>

/// 1 when the CPU has the SSE4.2 CRC32 instruction.
static inline int fanheat_crc32c_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSE4_2) != 0;
}

/// 1 when the CPU has the SSE4.2 CRC32 instruction, asked once per process and then read
/// from a static (a Swift `static let` would cost a `swift_once` call on every checksum:
/// ~1-2% of the ingest server's CPU at batch 100, two checksums per record). Threads that
/// race on the first call all store the same answer.
static inline int fanheat_crc32c_hardware_enabled(void) {
    static int state; // 0: not asked yet, 1: absent, 2: present
    int value = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (__builtin_expect(value == 0, 0)) {
        value = fanheat_crc32c_hardware_available() ? 2 : 1;
        __atomic_store_n(&state, value, __ATOMIC_RELAXED);
    }
    return value == 2;
}

/// Continues the finished CRC-32C `crc` over `length` bytes at `data`.
__attribute__((target("sse4.2")))
static inline uint32_t fanheat_crc32c_hardware_update(uint32_t crc, const void *data, size_t length) {
    const unsigned char *bytes = (const unsigned char *)data;
    uint64_t state = (uint32_t)~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        state = __builtin_ia32_crc32di(state, word);
        bytes += 8;
        length -= 8;
    }
    uint32_t narrow = (uint32_t)state;
    while (length > 0) {
        narrow = __builtin_ia32_crc32qi(narrow, *bytes);
        bytes += 1;
        length -= 1;
    }
    return ~narrow;
}
#else
static inline int fanheat_crc32c_hardware_available(void) { return 0; }
static inline int fanheat_crc32c_hardware_enabled(void) { return 0; }
static inline uint32_t fanheat_crc32c_hardware_update(uint32_t crc, const void *data, size_t length) {
    (void)data; (void)length; return crc;
}
#endif

#endif
