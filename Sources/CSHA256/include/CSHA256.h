#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the x86 SHA extensions (SHA-NI) with SSSE3 and SSE4.1, else 0.
int dialog_sha256_has_sha_ni(void);

/// SHA-256's compression function over `blocks` consecutive 64-byte blocks at `data`, with the
/// SHA-NI instructions; `state` is the eight working words h0…h7. Only when
/// `dialog_sha256_has_sha_ni()` said 1 (it does nothing on other CPUs).
void dialog_sha256_blocks_sha_ni(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
