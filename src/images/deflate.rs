//! The compressed pixels of a palette PNG (its IDAT), made for cards: rows unfiltered, every
//! byte either a literal, a run of the byte before it, or a copy of the row above, coded with
//! Huffman codes fitted to the picture.
//!
//! General compressors trade: fdeflate's fixed code, fast, needs rows filtered as differences
//! and leaves a card at about 25 KB; zlib's matching finds the same runs and copies for 13 KB
//! at three times the time. A card of flat colours and anti-aliased text has nothing else to
//! find, so looking only there gives zlib's size at fdeflate's speed.

/// First length of each length symbol (257 + i), RFC 1951 § 3.2.5.
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
/// Extra bits after each length symbol.
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// First distance of each distance symbol.
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
/// Extra bits after each distance symbol.
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order the code-length code's lengths are written in.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
/// The length symbol of each match length (3 to 258), less 257.
const LENGTH_SYMBOL: [u8; 259] = {
    let mut table = [0; 259];
    let mut length = 3;
    while length < 259 {
        let mut symbol = 0;
        while symbol + 1 < LENGTH_BASE.len() && LENGTH_BASE[symbol + 1] as usize <= length {
            symbol += 1;
        }
        table[length] = symbol as u8;
        length += 1;
    }
    table
};
/// The longest match deflate can say, and the shortest worth saying.
const LONGEST: usize = 258;
const SHORTEST: usize = 3;
/// The farthest back a match can reach: rows longer than this get no copies of the row above.
const WINDOW: usize = 32768;

/// Symbols for literals and lengths (286), with the end of the block at 256.
const LITERALS: usize = 286;
const END_OF_BLOCK: usize = 256;

/// How a token reaches back: a literal does not (0), a run repeats the byte before, a copy
/// takes the row above.
const RUN: u32 = 1;
const ABOVE: u32 = 2;

/// The zlib stream of `scanlines`: rows of `stride` bytes, each its filter byte then its
/// pixels, as a PNG's IDAT holds them.
pub(crate) fn zlib(scanlines: &[u8], stride: usize) -> Vec<u8> {
    let tokens = Tokens::of(scanlines, stride);
    let mut out = Bits::with_capacity(scanlines.len() / 32);
    // zlib's header: deflate with a 32 KB window, no dictionary, checked by its last 5 bits.
    out.bytes.extend_from_slice(&[0x78, 0x01]);
    tokens.write(&mut out, stride);
    out.finish();
    let mut checksum = simd_adler32::Adler32::new();
    checksum.write(scanlines);
    out.bytes
        .extend_from_slice(&checksum.finish().to_be_bytes());
    out.bytes
}

/// The picture as deflate's literals and matches, and how often each symbol comes.
struct Tokens {
    /// Each token: its literal or length symbol in the low 9 bits, a length's extra bits above
    /// them (5 bits), and above those how it reaches back ([`RUN`], [`ABOVE`], 0 for none).
    list: Vec<u32>,
    literals: [u32; LITERALS],
    distances: [u32; 30],
}

impl Tokens {
    /// Greedy: at each byte the longer of a run and a copy of the row above, a run when they
    /// tie (its distance costs no extra bits), a literal when neither reaches three bytes.
    fn of(data: &[u8], stride: usize) -> Tokens {
        let above = stride <= WINDOW;
        let mut tokens = Tokens {
            list: Vec::with_capacity(data.len() / 16),
            literals: [0; LITERALS],
            distances: [0; 30],
        };
        let above_symbol = distance_symbol(stride.min(WINDOW));
        let mut i = 0;
        while i < data.len() {
            let longest = (data.len() - i).min(LONGEST);
            let byte = data[i];
            // One byte compared before the whole: most bytes of a glyph's edge start no match.
            let run = if i >= 1 && data[i - 1] == byte {
                common(&data[i..i + longest], &data[i - 1..])
            } else {
                0
            };
            let copy = if run < longest && above && i >= stride && data[i - stride] == byte {
                common(&data[i..i + longest], &data[i - stride..])
            } else {
                0
            };
            let (length, reach, symbol) = if run >= copy {
                (run, RUN, 0)
            } else {
                (copy, ABOVE, above_symbol)
            };
            if length >= SHORTEST {
                let code = usize::from(LENGTH_SYMBOL[length]);
                let extra = length - usize::from(LENGTH_BASE[code]);
                tokens
                    .list
                    .push(reach << 14 | (extra as u32) << 9 | (257 + code) as u32);
                tokens.literals[257 + code] += 1;
                tokens.distances[symbol] += 1;
                i += length;
            } else {
                tokens.list.push(u32::from(byte));
                tokens.literals[usize::from(byte)] += 1;
                i += 1;
            }
        }
        tokens.literals[END_OF_BLOCK] += 1;
        tokens
    }

    /// One final block with its own codes: a card is small enough that one fitted code does
    /// as well as several.
    fn write(mut self, out: &mut Bits, stride: usize) {
        // Decoders refuse a code that is incomplete unless it has one symbol of one bit; two
        // symbols always make a complete one.
        for (counts, spare) in [(&mut self.literals[..], 0), (&mut self.distances[..], 1)] {
            if counts.iter().filter(|&&n| n > 0).count() < 2 {
                counts[spare] += 1;
                counts[spare + 1] += 1;
            }
        }
        let literal_lengths = code_lengths(&self.literals, 15);
        let distance_lengths = code_lengths(&self.distances, 15);
        let literal_count = used(&literal_lengths).max(257);
        let distance_count = used(&distance_lengths).max(1);

        out.put(1, 1); // the last block
        out.put(2, 2); // with codes of its own
        out.put((literal_count - 257) as u32, 5);
        out.put((distance_count - 1) as u32, 5);
        write_code_lengths(
            out,
            &[
                &literal_lengths[..literal_count],
                &distance_lengths[..distance_count],
            ]
            .concat(),
        );

        let literal_codes = codes(&literal_lengths);
        let distance_codes = codes(&distance_lengths);
        // Each symbol's code and length, with room for its extra bits, and each reach's whole
        // distance (code and extra bits): a token is then two writes, with no branch on its kind.
        let mut symbols = [(0u32, 0u32); LITERALS];
        for (symbol, entry) in symbols.iter_mut().enumerate() {
            let extra = symbol
                .checked_sub(257)
                .map_or(0, |code| u32::from(LENGTH_EXTRA[code]));
            *entry = (
                literal_codes[symbol],
                u32::from(literal_lengths[symbol]) << 8 | extra,
            );
        }
        let distance = |d: usize| {
            let symbol = distance_symbol(d);
            let length = u32::from(distance_lengths[symbol]);
            let extra = (d - usize::from(DISTANCE_BASE[symbol])) as u32;
            (
                distance_codes[symbol] | extra << length,
                length + u32::from(DISTANCE_EXTRA[symbol]),
            )
        };
        let reaches = [
            (0, 0),
            distance(1),
            if stride <= WINDOW {
                distance(stride)
            } else {
                (0, 0)
            },
        ];
        for &token in &self.list {
            let (code, lengths) = symbols[(token & 511) as usize];
            let length = lengths >> 8;
            out.put(code | (token >> 9 & 31) << length, length + (lengths & 255));
            let (code, length) = reaches[(token >> 14) as usize];
            out.put(code, length);
        }
        out.put(
            literal_codes[END_OF_BLOCK],
            u32::from(literal_lengths[END_OF_BLOCK]),
        );
    }
}

/// How many bytes `a` and `b` share at their start, `a` at most; eight compared at once.
fn common(a: &[u8], b: &[u8]) -> usize {
    let b = &b[..a.len()];
    let mut n = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let differ = u64::from_le_bytes(x.try_into().unwrap_or_default())
            ^ u64::from_le_bytes(y.try_into().unwrap_or_default());
        if differ != 0 {
            return n + (differ.trailing_zeros() / 8) as usize;
        }
        n += 8;
        // Most of a card is rows of its background, where a match is whole: past its first
        // bytes, the library's comparison, wider than eight bytes, says so sooner.
        if n == 16 && a[n..] == b[n..] {
            return a.len();
        }
    }
    n + a[n..]
        .iter()
        .zip(&b[n..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The distance symbol of distance `d` (1 to 32,768).
fn distance_symbol(d: usize) -> usize {
    DISTANCE_BASE.partition_point(|&base| usize::from(base) <= d) - 1
}

/// How many symbols a code needs written: up to its last one with a length.
fn used(lengths: &[u8]) -> usize {
    lengths
        .iter()
        .rposition(|&l| l > 0)
        .map_or(0, |last| last + 1)
}

/// Huffman code lengths of at most `limit` bits for symbols seen `counts` times (0 for those
/// never seen). A code too deep is made again from counts brought closer together, halved
/// (never to nothing), which costs a card a few bytes in the rare case it happens.
fn code_lengths(counts: &[u32], limit: u8) -> Vec<u8> {
    let mut counts = counts.to_vec();
    loop {
        let mut leaves: Vec<(u32, usize)> = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(symbol, n)| (*n, symbol))
            .collect();
        let mut lengths = vec![0u8; counts.len()];
        match leaves[..] {
            [] => return lengths,
            // A tree of one leaf has no depth: its one code still takes a bit.
            [(_, only)] => {
                lengths[only] = 1;
                return lengths;
            }
            _ => {}
        }
        leaves.sort_unstable();
        let depths = tree_depths(&leaves.iter().map(|leaf| leaf.0).collect::<Vec<_>>());
        if depths.iter().all(|&d| d <= limit) {
            for ((_, symbol), depth) in leaves.iter().zip(depths) {
                lengths[*symbol] = depth;
            }
            return lengths;
        }
        for n in counts.iter_mut().filter(|n| **n > 0) {
            *n = (*n >> 1) | 1;
        }
    }
}

/// The depth of each leaf of a Huffman tree over `weights`, sorted from the lightest: the two
/// lightest of the leaves and the nodes made so far are joined, and nodes are made in order of
/// weight, so two queues find them without a heap.
fn tree_depths(weights: &[u32]) -> Vec<u8> {
    let leaves = weights.len();
    let mut weight: Vec<u64> = weights.iter().map(|&w| u64::from(w)).collect();
    let mut parent = vec![0usize; 2 * leaves - 1];
    let (mut next_leaf, mut next_node) = (0, leaves);
    for node in leaves..2 * leaves - 1 {
        let mut lightest = || {
            let leaf_first = next_leaf < leaves
                && (next_node >= weight.len() || weight[next_leaf] <= weight[next_node]);
            if leaf_first {
                next_leaf += 1;
                next_leaf - 1
            } else {
                next_node += 1;
                next_node - 1
            }
        };
        let (a, b) = (lightest(), lightest());
        weight.push(weight[a] + weight[b]);
        parent[a] = node;
        parent[b] = node;
    }
    let root = 2 * leaves - 2;
    let mut depth = vec![0u8; 2 * leaves - 1];
    for node in (0..root).rev() {
        depth[node] = depth[parent[node]].saturating_add(1);
    }
    depth.truncate(leaves);
    depth
}

/// The canonical codes of `lengths` (RFC 1951 § 3.2.2), bit-reversed as deflate writes them.
fn codes(lengths: &[u8]) -> Vec<u32> {
    let mut count = [0u32; 16];
    for &length in lengths.iter().filter(|&&l| l > 0) {
        count[usize::from(length)] += 1;
    }
    let mut next = [0u32; 16];
    let mut code = 0;
    for bits in 1..16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    lengths
        .iter()
        .map(|&length| {
            if length == 0 {
                return 0;
            }
            let code = next[usize::from(length)];
            next[usize::from(length)] += 1;
            code.reverse_bits() >> (32 - u32::from(length))
        })
        .collect()
}

/// The block's code lengths, as runs (RFC 1951 § 3.2.7), with the code they are written in.
fn write_code_lengths(out: &mut Bits, lengths: &[u8]) {
    // (symbol, its extra bits' value): 16 repeats the last length 3 to 6 times, 17 and 18 give
    // 3 to 10 and 11 to 138 zeros.
    let mut runs: Vec<(u8, u8)> = Vec::new();
    let mut i = 0;
    while i < lengths.len() {
        let length = lengths[i];
        let same = lengths[i..].iter().take_while(|&&l| l == length).count();
        if length == 0 && same >= 3 {
            let zeros = same.min(138);
            runs.push(if zeros >= 11 {
                (18, (zeros - 11) as u8)
            } else {
                (17, (zeros - 3) as u8)
            });
            i += zeros;
        } else if length != 0 && same >= 4 {
            let repeats = (same - 1).min(6);
            runs.push((length, 0));
            runs.push((16, (repeats - 3) as u8));
            i += 1 + repeats;
        } else {
            runs.push((length, 0));
            i += 1;
        }
    }
    let mut counts = [0u32; 19];
    for &(symbol, _) in &runs {
        counts[usize::from(symbol)] += 1;
    }
    if counts.iter().filter(|&&n| n > 0).count() < 2 {
        // A code of one symbol is refused here even with one bit (see `Tokens::write`).
        let spare = if counts[0] == 0 { 0 } else { 1 };
        counts[spare] += 1;
    }
    let run_lengths = code_lengths(&counts, 7);
    let run_codes = codes(&run_lengths);
    let written = CODE_LENGTH_ORDER
        .iter()
        .rposition(|&symbol| run_lengths[symbol] > 0)
        .map_or(4, |last| (last + 1).max(4));
    out.put((written - 4) as u32, 4);
    for &symbol in &CODE_LENGTH_ORDER[..written] {
        out.put(u32::from(run_lengths[symbol]), 3);
    }
    for (symbol, extra) in runs {
        let symbol = usize::from(symbol);
        out.put(run_codes[symbol], u32::from(run_lengths[symbol]));
        let extra_bits = match symbol {
            16 => 2,
            17 => 3,
            18 => 7,
            _ => 0,
        };
        out.put(u32::from(extra), extra_bits);
    }
}

/// Bits written from the lowest up, as deflate orders them.
struct Bits {
    bytes: Vec<u8>,
    pending: u64,
    count: u32,
}

impl Bits {
    fn with_capacity(capacity: usize) -> Bits {
        Bits {
            bytes: Vec::with_capacity(capacity),
            pending: 0,
            count: 0,
        }
    }

    /// The low `n` bits of `value` (at most 32, the rest zero).
    #[inline(always)]
    fn put(&mut self, value: u32, n: u32) {
        self.pending |= u64::from(value) << self.count;
        self.count += n;
        if self.count >= 32 {
            self.bytes
                .extend_from_slice(&(self.pending as u32).to_le_bytes());
            self.pending >>= 32;
            self.count -= 32;
        }
    }

    /// The last bits, to a whole byte.
    fn finish(&mut self) {
        let bytes = self.count.div_ceil(8) as usize;
        self.bytes
            .extend_from_slice(&self.pending.to_le_bytes()[..bytes]);
        self.pending = 0;
        self.count = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pixels` (rows of `width`) inflated back through a PNG decoder, as browsers would.
    fn round_trip(width: u32, pixels: &[u8]) -> Vec<u8> {
        let height = (pixels.len() / width as usize) as u32;
        let stride = width as usize + 1;
        let mut scanlines = Vec::new();
        for row in pixels.chunks_exact(width as usize) {
            scanlines.push(0);
            scanlines.extend_from_slice(row);
        }
        let idat = zlib(&scanlines, stride);
        let mut png = Vec::new();
        let mut encoder = png::Encoder::new(&mut png, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_chunk(png::chunk::IDAT, &idat).unwrap();
        writer.finish().unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut out = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut out).unwrap();
        out
    }

    /// A repeatable stream of bytes, from a small generator.
    fn noise(n: usize, seed: u32) -> Vec<u8> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn small_pictures_of_few_to_many_colours_come_back_byte_for_byte() {
        // Every width and height up to a card's corner, of 1 to 256 colours, with runs of
        // random lengths: matches that end at a row's edge, cross it or start on a filter byte.
        let mut seed = 7;
        for width in 1..=24u32 {
            for height in [1usize, 2, 3, 9, 17] {
                for colours in [1u32, 2, 5, 256] {
                    seed += 1;
                    let lengths = noise(width as usize * height, seed);
                    let values = noise(width as usize * height, seed ^ 0x5555);
                    let mut pixels = Vec::with_capacity(lengths.len());
                    let mut k = 0;
                    while pixels.len() < lengths.len() {
                        let run = usize::from(lengths[k] % 40) + 1;
                        let value = (u32::from(values[k]) % colours) as u8;
                        pixels.extend(std::iter::repeat_n(value, run));
                        k += 1;
                    }
                    pixels.truncate(lengths.len());
                    assert_eq!(
                        round_trip(width, &pixels),
                        pixels,
                        "{width}×{height}, {colours} colours"
                    );
                }
            }
        }
    }

    #[test]
    fn pictures_of_every_kind_come_back_byte_for_byte() {
        let mut text_like = vec![0u8; 300 * 40];
        for (i, pixel) in text_like.iter_mut().enumerate() {
            let (x, y) = (i % 300, i / 300);
            if (x / 7 + y / 5) % 3 == 0 {
                *pixel = (x % 9 + y % 4) as u8;
            }
        }
        let cases: Vec<(u32, Vec<u8>)> = vec![
            (1, vec![7]),
            (1, vec![0; 1000]),
            (5, vec![3; 5]),
            (1200, vec![0; 1200 * 630]),
            (1200, vec![9; 1200 * 3]),
            (300, text_like),
            (64, noise(64 * 64, 1)),
            (640, noise(640 * 2, 2).iter().map(|b| b & 3).collect()),
            // Rows past deflate's window get runs and literals only.
            (
                40_000,
                noise(40_000 * 2, 3).iter().map(|b| b / 128).collect(),
            ),
            // Rows of 258 and around it, where matches end exactly at a row.
            (257, vec![1; 257 * 4]),
            (258, vec![1; 258 * 4]),
            (259, (0..259 * 4).map(|i| (i / 259 % 2) as u8).collect()),
        ];
        for (width, pixels) in cases {
            assert_eq!(round_trip(width, &pixels), pixels, "width {width}");
        }
    }

    #[test]
    fn a_code_too_deep_is_brought_within_its_limit() {
        // Counts like Fibonacci's make the deepest Huffman trees: 24 symbols, 23 levels.
        let mut counts = vec![1u32, 1];
        while counts.len() < 24 {
            counts.push(counts[counts.len() - 1] + counts[counts.len() - 2]);
        }
        let lengths = code_lengths(&counts, 15);
        assert!(
            lengths.iter().all(|&l| (1..=15).contains(&l)),
            "{lengths:?}"
        );
        // One symbol gets one bit; none, no code.
        assert_eq!(code_lengths(&[0, 9, 0], 15), [0, 1, 0]);
        assert_eq!(code_lengths(&[0, 0], 15), [0, 0]);
        // Kraft's sum of a complete code is exactly one.
        let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
        assert!((kraft - 1.0).abs() < 1e-12, "{kraft}");
        // And a picture whose bytes come that skewed still comes back.
        let mut pixels = Vec::new();
        for (value, &n) in counts.iter().enumerate().take(20) {
            pixels.extend(std::iter::repeat_n(value as u8, n as usize % 5000 + 1));
            pixels.push(200);
        }
        let width = 97;
        pixels.resize(pixels.len().div_ceil(width) * width, 0);
        assert_eq!(round_trip(width as u32, &pixels), pixels);
    }
}
