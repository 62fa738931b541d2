//! Hashes of the site's own data: a fast hasher for maps and keys, and FNV-1a, whose values
//! other programs compute too.

use std::hash::Hasher;

/// A hasher faster than the default one on what Tribune hashes most: the kilobytes of inputs
/// each of 10,000 pages reads at every save of the preview, and the millions of words of a
/// search index. Eight bytes a step, each mixed by a wide multiplication. Nobody chooses the
/// inputs to collide: a collision would only keep an old page in the preview until the next
/// change, or slow a map down.
#[derive(Default)]
pub(crate) struct Quick(u64);

impl Quick {
    /// Takes in one word: the product of the state and the word with a constant, its two
    /// halves folded together, so every bit of the word reaches every bit of the state.
    fn take(&mut self, word: u64) {
        // The added constant keeps a run of zero words from leaving the state at zero.
        let mixed = (self.0 ^ word).wrapping_add(0x243f_6a88_85a3_08d3);
        let product = u128::from(mixed) * u128::from(0x9e37_79b9_7f4a_7c15_u64);
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }
}

impl Hasher for Quick {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.take(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        // The tail, most often a whole short word, read as two overlapping or three single
        // loads rather than copied: the length keeps `ab` and `ab\0` apart.
        let n = rest.len();
        let tail = match n {
            0 => return,
            4.. => {
                let head = u32::from_le_bytes(rest[..4].try_into().expect("four bytes"));
                let last = u32::from_le_bytes(rest[n - 4..].try_into().expect("four bytes"));
                u64::from(head) | (u64::from(last) << 32)
            }
            _ => {
                u64::from(rest[0]) | (u64::from(rest[n / 2]) << 8) | (u64::from(rest[n - 1]) << 16)
            }
        };
        self.take(tail ^ ((n as u64) << 59));
    }

    fn write_u8(&mut self, n: u8) {
        self.take(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.take(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.take(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The [`Quick`] hash of `bytes` alone: for tables that know their keys are whole strings,
/// and so need not mark where one ends as `Hash` for `str` does.
pub(crate) fn quick(bytes: &[u8]) -> u64 {
    let mut h = Quick::default();
    h.write(bytes);
    h.finish()
}

/// Makes [`Quick`] hashers, for maps.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct BuildQuick;

impl std::hash::BuildHasher for BuildQuick {
    type Hasher = Quick;
    fn build_hasher(&self) -> Quick {
        Quick::default()
    }
}

/// A hash map with [`Quick`] hashes: for the maps a build or a save fills with thousands of
/// the site's own keys (paths, slugs, terms).
pub(crate) type QuickMap<K, V> = std::collections::HashMap<K, V, BuildQuick>;

/// A hash set with [`Quick`] hashes (see [`QuickMap`]).
pub(crate) type QuickSet<K> = std::collections::HashSet<K, BuildQuick>;

/// FNV-1a, 32 bits: stable from one run and one version to the next, and simple enough for
/// the search page's script to pick files with the same function.
pub(crate) fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}
