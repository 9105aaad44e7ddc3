//! Helpers shared by the integration tests.

/// Deterministic pseudo-random bytes (xorshift64), for junk inputs.
pub fn xorshift_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}
