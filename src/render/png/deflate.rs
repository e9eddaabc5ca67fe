//! Deflate (RFC 1951) for the rows of drawn pictures, wrapped as a zlib stream (RFC 1950).
//!
//! A general deflate looks for earlier copies of every few bytes in hash chains. A drawn
//! picture's bytes repeat in a few known places: the pixel to the left (flat fills), the
//! pixel above (anything taller than a row) and the pixels above and to either side
//! (hatching and slanted edges). This encoder tries those distances first, at every place
//! it starts a token, and a small hash table of earlier places for the rest (text, the
//! repeats of a hatch further up); it takes the longest match (greedy), and where there is
//! none it takes the rest of the pixel as literals without looking again (edges and text
//! are runs of such pixels); then it writes each block of tokens with its own Huffman
//! codes. It is written to mispredict few branches, which cost more than its arithmetic:
//! codes are looked up, and each token is one write. On flower boxes the files are a little
//! smaller than zlib-rs makes at level 3, in about half the time (`examples/png_deflate.rs`).
//! Its tests inflate what it writes with zlib.

/// Deflate's window: how far back a match may reach.
const WINDOW: usize = 32 * 1024;
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;
/// Tokens in one block, each block with its own codes, so that the codes follow the
/// picture from top to bottom.
const BLOCK_TOKENS: usize = 1 << 14;
const HASH_BITS: u32 = 15;

/// Symbols of the literal/length alphabet (0–255 bytes, 256 the end of a block, 257–285
/// lengths) and of the distance alphabet.
const LITERALS: usize = 286;
const DISTANCES: usize = 30;
const END_OF_BLOCK: usize = 256;
/// The order in which the code lengths of the code-length alphabet are written.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// A literal byte (below 256) or a match: its length above 16 bits, its distance below.
#[derive(Clone, Copy)]
struct Token(u32);

impl Token {
    fn literal(byte: u8) -> Token {
        Token(u32::from(byte))
    }

    fn copy(length: usize, distance: usize) -> Token {
        Token(((length as u32) << 16) | distance as u32)
    }
}

/// The symbol of a match length (3–258), as an index into `LENGTH_BASE`: looked up, as a
/// branch on the length's size would be mispredicted at almost every match.
fn length_code(length: usize) -> usize {
    usize::from(LENGTH_CODES[length])
}

/// The symbol of a distance (1–32 768): distances up to 256 each have their entry, longer
/// ones share one per 128 (no symbol starts within a run of 128 above 256).
fn distance_code(distance: usize) -> usize {
    usize::from(DISTANCE_CODES[distance_slot(distance - 1)])
}

/// Where distance `x + 1` has its entry in `DISTANCE_CODES`.
const fn distance_slot(x: usize) -> usize {
    if x < 256 { x } else { 256 + (x >> 7) }
}

const LENGTH_CODES: [u8; MAX_MATCH + 1] = {
    let mut codes = [0u8; MAX_MATCH + 1];
    let mut code = 0;
    while code < LENGTH_BASE.len() {
        let mut length = LENGTH_BASE[code] as usize;
        while length < LENGTH_BASE[code] as usize + (1 << LENGTH_EXTRA[code]) && length <= MAX_MATCH
        {
            codes[length] = code as u8;
            length += 1;
        }
        code += 1;
    }
    // 258 is reached by 227 + 31 too; its own symbol, 28, comes later and is the one kept.
    codes
};

const DISTANCE_CODES: [u8; 512] = {
    let mut codes = [0u8; 512];
    let mut code = 0;
    while code < DISTANCE_BASE.len() {
        let first = DISTANCE_BASE[code] as usize - 1;
        let mut x = first;
        while x < first + (1 << DISTANCE_EXTRA[code]) {
            codes[distance_slot(x)] = code as u8;
            x += 1;
        }
        code += 1;
    }
    codes
};

/// How many bytes from `at` equal those from `from` (`from < at`), at most `max`.
#[inline]
fn match_length(data: &[u8], from: usize, at: usize, max: usize) -> usize {
    let (earlier, later) = (&data[from..from + max], &data[at..at + max]);
    let mut length = 0;
    for (a, b) in earlier.chunks_exact(8).zip(later.chunks_exact(8)) {
        let differ = u64::from_le_bytes(a.try_into().unwrap_or_default())
            ^ u64::from_le_bytes(b.try_into().unwrap_or_default());
        if differ != 0 {
            return length + (differ.trailing_zeros() / 8) as usize;
        }
        length += 8;
    }
    length
        + earlier[length..]
            .iter()
            .zip(&later[length..])
            .take_while(|(a, b)| a == b)
            .count()
}

/// Bits written least significant first, as deflate packs them. Eight bytes are stored at
/// every call, and the place moves on by the whole bytes among them: no branch on whether a
/// byte is full.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    /// Where the next whole byte goes; `out` is longer, with room for eight more.
    at: usize,
    pending: u64,
    count: u32,
}

impl<'a> Bits<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        let at = out.len();
        Bits {
            out,
            at,
            pending: 0,
            count: 0,
        }
    }

    /// Makes room for `bytes` more.
    fn reserve(&mut self, bytes: usize) {
        let needed = self.at + bytes + 8;
        if self.out.len() < needed {
            self.out.resize(needed, 0);
        }
    }

    /// Appends the low `count` bits of `value` (at most 32; `reserve` made room).
    #[inline]
    fn put(&mut self, value: u32, count: u32) {
        self.put_wide(u64::from(value), count);
    }

    /// Appends the low `count` bits of `value` (at most 56; `reserve` made room).
    #[inline]
    fn put_wide(&mut self, value: u64, count: u32) {
        self.pending |= value << self.count;
        self.count += count;
        if let Some(place) = self.out.get_mut(self.at..self.at + 8) {
            place.copy_from_slice(&self.pending.to_le_bytes());
        }
        let whole = self.count & !7;
        self.at += (whole / 8) as usize;
        self.pending = self.pending.checked_shr(whole).unwrap_or(0);
        self.count -= whole;
    }

    /// Ends the stream here, the last byte filled with zeros.
    fn finish(mut self) {
        if self.count > 0 {
            self.put(0, 8 - self.count);
        }
        self.out.truncate(self.at);
    }
}

/// A Huffman code: each symbol's length in bits and its code, bit-reversed as written.
struct Code {
    lengths: Vec<u8>,
    codes: Vec<u16>,
}

impl Code {
    /// The code for symbols used `frequencies` times, no code longer than `limit` bits.
    /// At least two symbols get a code, so that the code is complete.
    fn new(frequencies: &[u32], limit: u8) -> Code {
        let lengths = code_lengths(frequencies, limit);
        let mut per_length = [0u16; 16];
        for &length in &lengths {
            per_length[usize::from(length)] += 1;
        }
        per_length[0] = 0;
        let mut next = [0u16; 16];
        let mut code = 0u16;
        for bits in 1..16 {
            code = (code + per_length[bits - 1]) << 1;
            next[bits] = code;
        }
        let codes = lengths
            .iter()
            .map(|&length| {
                if length == 0 {
                    return 0;
                }
                let code = next[usize::from(length)];
                next[usize::from(length)] += 1;
                code.reverse_bits() >> (16 - u32::from(length))
            })
            .collect();
        Code { lengths, codes }
    }

    #[inline]
    fn write(&self, bits: &mut Bits, symbol: usize) {
        bits.put(
            u32::from(self.codes[symbol]),
            u32::from(self.lengths[symbol]),
        );
    }
}

/// Huffman code lengths for `frequencies`, none above `limit`: a Huffman tree built from two
/// queues (leaves in order of frequency, and the joined nodes, made in that order too); when
/// it is too deep, the frequencies are halved (none to zero) and it is built again.
fn code_lengths(frequencies: &[u32], limit: u8) -> Vec<u8> {
    let mut weights: Vec<u32> = frequencies.to_vec();
    // Two symbols at least: a code of one symbol is incomplete, which decoders may refuse.
    let used = weights.iter().filter(|&&w| w > 0).count();
    for w in weights
        .iter_mut()
        .filter(|w| **w == 0)
        .take(2usize.saturating_sub(used))
    {
        *w = 1;
    }
    let mut lengths = vec![0u8; weights.len()];
    loop {
        let mut leaves: Vec<(u32, usize)> = weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > 0)
            .map(|(symbol, &w)| (w, symbol))
            .collect();
        leaves.sort_unstable();
        let count = leaves.len();
        // Nodes 0..count are the leaves in order; count.. are joined nodes, each joining two
        // earlier ones, so a node's parent always comes after it.
        let mut weight: Vec<u64> = leaves.iter().map(|&(w, _)| u64::from(w)).collect();
        let mut parent = vec![0usize; 2 * count - 1];
        let (mut next_leaf, mut next_joined) = (0, count);
        for joined in count..2 * count - 1 {
            let mut smallest = || {
                let take_leaf = next_leaf < count
                    && (next_joined >= joined || weight[next_leaf] <= weight[next_joined]);
                if take_leaf {
                    next_leaf += 1;
                    next_leaf - 1
                } else {
                    next_joined += 1;
                    next_joined - 1
                }
            };
            let (a, b) = (smallest(), smallest());
            weight.push(weight[a] + weight[b]);
            parent[a] = joined;
            parent[b] = joined;
        }
        let mut depth = vec![0u8; 2 * count - 1];
        for node in (0..2 * count - 2).rev() {
            depth[node] = depth[parent[node]] + 1;
        }
        if depth[..count].iter().all(|&d| d <= limit) {
            for (node, &(_, symbol)) in leaves.iter().enumerate() {
                lengths[symbol] = depth[node];
            }
            return lengths;
        }
        for w in weights.iter_mut().filter(|w| **w > 0) {
            *w = w.div_ceil(2);
        }
    }
}

/// How often each symbol is used in one block.
#[derive(Clone)]
struct Counts {
    literals: [u32; LITERALS],
    distances: [u32; DISTANCES],
}

impl Default for Counts {
    fn default() -> Self {
        let mut literals = [0; LITERALS];
        literals[END_OF_BLOCK] = 1;
        Counts {
            literals,
            distances: [0; DISTANCES],
        }
    }
}

/// What an encoder keeps from one picture to the next.
pub struct Deflater {
    tokens: Vec<Token>,
    /// Each block: where its tokens end, and the counts of its symbols, taken as they are
    /// found (a block ends at the first token past `BLOCK_TOKENS` since the last).
    blocks: Vec<(usize, Counts)>,
    /// The last place (plus one; zero is none) where each hash of four bytes was seen.
    recent: Vec<u32>,
}

impl Default for Deflater {
    fn default() -> Self {
        Deflater {
            tokens: Vec::new(),
            blocks: Vec::new(),
            recent: vec![0; 1 << HASH_BITS],
        }
    }
}

impl Deflater {
    /// Appends `data` as a zlib stream to `out`: `data` is rows of `row` bytes of pixels of
    /// `pixel` bytes each, as a PNG holds them (the filter byte first in each row).
    pub fn zlib(&mut self, data: &[u8], row: usize, pixel: usize, out: &mut Vec<u8>) {
        // Deflate with a window of 32 KiB, no preset dictionary; the check makes the two
        // bytes a multiple of 31.
        out.extend_from_slice(&[0x78, 0x01]);
        self.tokens.clear();
        self.blocks.clear();
        self.recent.fill(0);
        self.find_matches(data, row, pixel);
        let mut bits = Bits::new(out);
        if self.tokens.is_empty() {
            write_block(&mut bits, &[], &Counts::default(), true);
        }
        let last = self.blocks.len().saturating_sub(1);
        let mut start = 0;
        for (index, (end, counts)) in self.blocks.iter().enumerate() {
            write_block(&mut bits, &self.tokens[start..*end], counts, index == last);
            start = *end;
        }
        bits.finish();
        let mut check = simd_adler32::Adler32::new();
        check.write(data);
        out.extend_from_slice(&check.finish().to_be_bytes());
    }

    /// Turns `data` into tokens: at each place the longest match among the neighbouring
    /// pixels' distances and the last place with the same four bytes, else a literal.
    fn find_matches(&mut self, data: &[u8], row: usize, pixel: usize) {
        let mut neighbours = [pixel, row, row + pixel, row.saturating_sub(pixel)];
        neighbours.iter_mut().for_each(|d| {
            if *d == 0 || *d > WINDOW {
                *d = pixel.min(WINDOW);
            }
        });
        // One load, not four: the bytes are read as they lie.
        let four = |at: usize| {
            data.get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .map_or(0, u32::from_le_bytes)
        };
        let mut counts = Counts::default();
        let mut block_end = BLOCK_TOKENS;
        let mut at = 0;
        while at < data.len() {
            let max = (data.len() - at).min(MAX_MATCH);
            let (mut best, mut best_distance) = (0, 0);
            if max >= MIN_MATCH {
                let here = four(at);
                // Which neighbours begin a match, without a branch for each: most places
                // that none do (the edges of shapes) cost one branch, not four.
                let mut starts = 0u32;
                for (index, &distance) in neighbours.iter().enumerate() {
                    let hit = (distance <= at) & (four(at.saturating_sub(distance)) == here);
                    starts |= u32::from(hit) << index;
                }
                while starts != 0 {
                    let distance = neighbours[starts.trailing_zeros() as usize];
                    starts &= starts - 1;
                    // A match longer than the best so far has the byte after it too.
                    if data[at - distance + best] != data[at + best] {
                        continue;
                    }
                    let length = match_length(data, at - distance, at, max);
                    if length > best {
                        (best, best_distance) = (length, distance);
                        if best == max {
                            break;
                        }
                    }
                }
                if best < max {
                    let hash = (here.wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)) as usize;
                    let seen = self.recent[hash] as usize;
                    self.recent[hash] = (at as u32).wrapping_add(1);
                    // Places past 4 GiB wrap around: such a place is only never found.
                    // Whether the place can be a match is worked out without a branch
                    // (an invalid one reads from the start instead), so that there is one
                    // branch, on whether it is one.
                    let from = seen.wrapping_sub(1);
                    let valid = (seen > 0) & (from < at) & (at.wrapping_sub(from) <= WINDOW);
                    let probe = if valid { from } else { 0 };
                    let longer = four(probe) == here && data[probe + best] == data[at + best];
                    if valid & longer {
                        let length = match_length(data, from, at, max);
                        if length > best {
                            (best, best_distance) = (length, at - from);
                        }
                    }
                }
            }
            if self.tokens.len() >= block_end {
                self.blocks
                    .push((self.tokens.len(), std::mem::take(&mut counts)));
                block_end = self.tokens.len() + BLOCK_TOKENS;
            }
            if best >= MIN_MATCH {
                self.tokens.push(Token::copy(best, best_distance));
                counts.literals[257 + length_code(best)] += 1;
                counts.distances[distance_code(best_distance)] += 1;
                at += best;
            } else {
                // No match here: the rest of this pixel is taken as literals without
                // looking (a match seldom starts inside a pixel that has none).
                let offset = at.checked_rem(row).unwrap_or(0);
                let rest = match offset.checked_sub(1) {
                    Some(inside) if pixel > 0 => pixel - inside % pixel,
                    _ => 1,
                };
                for &byte in &data[at..(at + rest).min(data.len())] {
                    self.tokens.push(Token::literal(byte));
                    counts.literals[usize::from(byte)] += 1;
                }
                at += rest;
            }
        }
        if self.tokens.len() > self.blocks.last().map_or(0, |b| b.0) {
            self.blocks.push((self.tokens.len(), counts));
        }
    }
}

/// Writes `tokens` as one block with its own Huffman codes (block type 2).
fn write_block(bits: &mut Bits, tokens: &[Token], counts: &Counts, last: bool) {
    let literals = Code::new(&counts.literals, 15);
    let distances = Code::new(&counts.distances, 15);

    // Header and codes: at most 17 + 19 × 3 + 316 × 7 bits. Each token: at most 48.
    bits.reserve(400 + tokens.len() * 6);
    bits.put(u32::from(last), 1);
    bits.put(2, 2);
    write_codes(bits, &literals.lengths, &distances.lengths);
    // Each literal's code, and each length's symbol and extra bits, as one value with its
    // width: literals first, then lengths at 256 + length.
    let mut symbol_bits = [(0u64, 0u32); 256 + MAX_MATCH + 1];
    for (byte, entry) in symbol_bits.iter_mut().enumerate().take(256) {
        *entry = (
            u64::from(literals.codes[byte]),
            u32::from(literals.lengths[byte]),
        );
    }
    for length in 3..=MAX_MATCH {
        let code = length_code(length);
        let symbol = 257 + code;
        let extra = (length - usize::from(LENGTH_BASE[code])) as u64;
        let width = u32::from(literals.lengths[symbol]);
        symbol_bits[256 + length] = (
            u64::from(literals.codes[symbol]) | extra << width,
            width + u32::from(LENGTH_EXTRA[code]),
        );
    }
    // Each token is one write of at most 48 bits, its distance's bits masked away for a
    // literal: no branch on which it is, which would be mispredicted at every other token.
    for token in tokens {
        let (length, distance) = (token.0 >> 16, token.0 & 0xffff);
        let copy = length != 0;
        let at = if copy { 256 + length } else { distance };
        let (value, width) = symbol_bits[at as usize];
        let code = distance_code(distance.max(1) as usize);
        let extra = u64::from(distance.max(1) - u32::from(DISTANCE_BASE[code]));
        let code_width = u32::from(distances.lengths[code]);
        let far = u64::from(distances.codes[code]) | extra << code_width;
        let far_width = code_width + u32::from(DISTANCE_EXTRA[code]);
        let (far, far_width) = if copy { (far, far_width) } else { (0, 0) };
        bits.put_wide(value | far << width, width + far_width);
    }
    literals.write(bits, END_OF_BLOCK);
}

/// Writes a block's two codes as deflate describes them: the count of each, then their
/// lengths run-length coded (16 repeats the last length, 17 and 18 are runs of zeros) in a
/// third Huffman code, whose own lengths come first.
fn write_codes(bits: &mut Bits, literal_lengths: &[u8], distance_lengths: &[u8]) {
    let used = |lengths: &[u8], at_least: usize| {
        lengths
            .iter()
            .rposition(|&l| l > 0)
            .map_or(0, |i| i + 1)
            .max(at_least)
    };
    let literal_count = used(literal_lengths, 257);
    let distance_count = used(distance_lengths, 1);
    let all: Vec<u8> = literal_lengths[..literal_count]
        .iter()
        .chain(&distance_lengths[..distance_count])
        .copied()
        .collect();

    // (symbol, extra bits' value)
    let mut runs: Vec<(u8, u8)> = Vec::new();
    let mut at = 0;
    while at < all.len() {
        let length = all[at];
        let mut run = all[at..].iter().take_while(|&&l| l == length).count();
        at += run;
        if length == 0 {
            while run >= 11 {
                let n = run.min(138);
                runs.push((18, (n - 11) as u8));
                run -= n;
            }
            if run >= 3 {
                runs.push((17, (run - 3) as u8));
                run = 0;
            }
        } else {
            runs.push((length, 0));
            run -= 1;
            while run >= 3 {
                let n = run.min(6);
                runs.push((16, (n - 3) as u8));
                run -= n;
            }
        }
        runs.extend(std::iter::repeat_n((length, 0), run));
    }

    let mut counts = [0u32; 19];
    for &(symbol, _) in &runs {
        counts[usize::from(symbol)] += 1;
    }
    let code = Code::new(&counts, 7);
    let order_count = CODE_LENGTH_ORDER
        .iter()
        .rposition(|&s| code.lengths[s] > 0)
        .map_or(0, |i| i + 1)
        .max(4);

    bits.put((literal_count - 257) as u32, 5);
    bits.put((distance_count - 1) as u32, 5);
    bits.put((order_count - 4) as u32, 4);
    for &symbol in &CODE_LENGTH_ORDER[..order_count] {
        bits.put(u32::from(code.lengths[symbol]), 3);
    }
    for (symbol, extra) in runs {
        code.write(bits, usize::from(symbol));
        match symbol {
            16 => bits.put(u32::from(extra), 2),
            17 => bits.put(u32::from(extra), 3),
            18 => bits.put(u32::from(extra), 7),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflated(stream: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(stream)
            .read_to_end(&mut out)
            .expect("a valid zlib stream");
        out
    }

    fn deflated(data: &[u8], row: usize, pixel: usize) -> Vec<u8> {
        let mut out = Vec::new();
        Deflater::default().zlib(data, row, pixel, &mut out);
        out
    }

    #[test]
    fn length_and_distance_symbols_cover_their_ranges() {
        for length in 3..=MAX_MATCH {
            let code = length_code(length);
            let base = usize::from(LENGTH_BASE[code]);
            assert!(base <= length, "{length}");
            assert!(length - base < 1 << LENGTH_EXTRA[code], "{length}");
        }
        assert_eq!(length_code(258), 28);
        assert_eq!(length_code(257), 27);
        for distance in 1..=WINDOW {
            let code = distance_code(distance);
            let base = usize::from(DISTANCE_BASE[code]);
            assert!(base <= distance, "{distance}");
            assert!(distance - base < 1 << DISTANCE_EXTRA[code], "{distance}");
        }
    }

    #[test]
    fn code_lengths_stay_within_the_limit_and_make_a_complete_code() {
        // Fibonacci frequencies make the deepest trees.
        let mut frequencies = vec![1u32, 1];
        while frequencies.len() < 40 {
            let n = frequencies.len();
            frequencies.push(frequencies[n - 1] + frequencies[n - 2]);
        }
        for limit in [7, 15] {
            let lengths = code_lengths(&frequencies, limit);
            assert!(lengths.iter().all(|&l| (1..=limit).contains(&l)));
            let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
            assert!((kraft - 1.0).abs() < 1e-9, "{kraft}");
        }
        assert_eq!(code_lengths(&[0, 0, 5, 0], 15), [1, 0, 1, 0]);
        assert_eq!(code_lengths(&[0, 0, 0], 15), [1, 1, 0]);
    }

    #[test]
    fn streams_inflate_to_what_went_in() {
        let mut state = 0x9e37_79b9_u32;
        let mut noise = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    state as u8
                })
                .collect()
        };
        let flat: Vec<u8> = [0u8, 10, 200, 30].repeat(100_000);
        let mut rows = Vec::new();
        for y in 0..300 {
            rows.push(0);
            for x in 0..400 {
                rows.extend_from_slice(if (x + y) % 9 < 3 {
                    &[200, 40, 40]
                } else {
                    &[250, 250, 240]
                });
            }
        }
        let mut mixed = flat.clone();
        mixed.extend(noise(70_000));
        mixed.extend_from_slice(&rows);
        for (data, row, pixel) in [
            (Vec::new(), 1, 3),
            (vec![7], 1, 3),
            (vec![1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2], 4, 3),
            (noise(100_000), 301, 3),
            (flat, 4001, 4),
            (rows.clone(), 1201, 3),
            (mixed, 1201, 3),
        ] {
            let stream = deflated(&data, row, pixel);
            assert!(inflated(&stream) == data, "{} bytes", data.len());
        }
        assert!(deflated(&rows, 1201, 3).len() < rows.len() / 50);
    }

    proptest::proptest! {
        /// Rows made of runs, copies of the row above (shifted by a pixel or not) and noise,
        /// the kinds of repeats the encoder looks for, at any row and pixel width.
        #[test]
        fn any_rows_inflate_to_what_went_in(
            pieces in proptest::collection::vec((0u8..4, 1usize..600, proptest::num::u8::ANY), 0..60),
            row in 1usize..5000,
            pixel in 1usize..5,
        ) {
            let mut data: Vec<u8> = Vec::new();
            for (kind, length, byte) in pieces {
                for _ in 0..length {
                    let at = data.len();
                    let next = match kind {
                        0 => byte,
                        1 if at >= row => data[at - row],
                        2 if at >= row + pixel => data[at - row - pixel],
                        _ => (at as u8).wrapping_mul(byte) ^ (at >> 3) as u8,
                    };
                    data.push(next);
                }
            }
            proptest::prop_assert!(inflated(&deflated(&data, row, pixel)) == data);
        }
    }

    #[test]
    fn a_deflater_used_again_makes_the_same_stream() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i * i % 251) as u8).collect();
        let mut deflater = Deflater::default();
        let (mut first, mut again) = (Vec::new(), Vec::new());
        deflater.zlib(&data, 100, 3, &mut first);
        deflater.zlib(&data[..999], 100, 3, &mut Vec::new());
        deflater.zlib(&data, 100, 3, &mut again);
        assert_eq!(first, again);
    }
}
