//! Where a CSV block's delimiters, line feeds and quotes are, found 64 bytes
//! at a time as a bit mask.
//!
//! The fast path used to search for the next delimiter, line feed or quote
//! once per field; with fields of ten-odd bytes, each search paid its set-up
//! for little scanning, and that was 40 % of a month report's time. Here a
//! block is classified in 64-byte chunks (four SSE2 compares each on x86-64,
//! a byte loop elsewhere) and the positions come out of the mask one
//! `trailing_zeros` at a time. The reader only uses the positions for
//! records without quotes; a quote hands the record to the quote-aware
//! splitter, which is why quotes are in the mask at all.

/// The positions of three bytes in a block, in order.
pub struct Structurals<'b> {
    bytes: &'b [u8],
    needles: [u8; 3],
    /// Start of the chunk `mask` describes.
    base: usize,
    /// Bit i: `bytes[base + i]` is one of the needles (not yet returned).
    mask: u64,
}

impl<'b> Structurals<'b> {
    pub fn new(bytes: &'b [u8], needles: [u8; 3]) -> Structurals<'b> {
        let mut s = Structurals { bytes, needles, base: 0, mask: 0 };
        s.seek(0);
        s
    }

    /// Continue from `at` (after the caller has read past some positions
    /// another way).
    pub fn seek(&mut self, at: usize) {
        self.base = at;
        self.mask = if at < self.bytes.len() { mask_at(self.bytes, at, self.needles) } else { 0 };
    }

    /// The next position of a needle, if any.
    #[inline]
    pub fn next_pos(&mut self) -> Option<usize> {
        while self.mask == 0 {
            let next = self.base + 64;
            if next >= self.bytes.len() {
                return None;
            }
            self.base = next;
            self.mask = mask_at(self.bytes, next, self.needles);
        }
        let i = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(i)
    }
}

/// The mask of the (up to) 64 bytes from `at`.
#[inline]
fn mask_at(bytes: &[u8], at: usize, needles: [u8; 3]) -> u64 {
    match bytes.get(at..at + 64) {
        Some(chunk) => chunk_mask(chunk.try_into().expect("64 bytes"), needles),
        None => {
            let tail = &bytes[at..];
            let mut chunk = [0u8; 64];
            chunk[..tail.len()].copy_from_slice(tail);
            chunk_mask(&chunk, needles) & ((1u64 << tail.len()) - 1)
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn chunk_mask(chunk: &[u8; 64], needles: [u8; 3]) -> u64 {
    use safe_arch::{bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let [a, b, c] = needles.map(|n| set_splat_i8_m128i(n as i8));
    let mut mask = 0u64;
    for (k, part) in chunk.chunks_exact(16).enumerate() {
        let v = load_unaligned_m128i(part.try_into().expect("16 bytes"));
        let hits = bitor_m128i(
            bitor_m128i(cmp_eq_mask_i8_m128i(v, a), cmp_eq_mask_i8_m128i(v, b)),
            cmp_eq_mask_i8_m128i(v, c),
        );
        mask |= u64::from(move_mask_i8_m128i(hits) as u16) << (16 * k);
    }
    mask
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn chunk_mask(chunk: &[u8; 64], needles: [u8; 3]) -> u64 {
    chunk_mask_bytes(chunk, needles)
}

/// The plain byte loop: the other architectures' version, and the tests'
/// reference for the SIMD one.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn chunk_mask_bytes(chunk: &[u8; 64], needles: [u8; 3]) -> u64 {
    chunk.iter().enumerate().filter(|(_, b)| needles.contains(b)).fold(0, |m, (i, _)| m | 1 << i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn naive(bytes: &[u8], needles: [u8; 3]) -> Vec<usize> {
        bytes.iter().enumerate().filter(|(_, b)| needles.contains(b)).map(|(i, _)| i).collect()
    }

    fn all(bytes: &[u8], needles: [u8; 3]) -> Vec<usize> {
        let mut s = Structurals::new(bytes, needles);
        std::iter::from_fn(|| s.next_pos()).collect()
    }

    #[test]
    fn finds_every_needle_across_chunks_and_in_the_tail() {
        let line = b"2024-01-31,\"Berg, Lind & Co\",Anna,1200.50\n";
        let text: Vec<u8> = line.iter().copied().cycle().take(line.len() * 5 + 7).collect();
        assert_eq!(all(&text, [b',', b'\n', b'"']), naive(&text, [b',', b'\n', b'"']));
        assert_eq!(all(b"", [b',', b'\n', b'"']), Vec::<usize>::new());
        assert_eq!(all(b"a;b\n", [b';', b'\n', b'"']), vec![1, 3]);
        // A needle in the last byte of a full chunk and the first of the next.
        let mut edge = vec![b'x'; 130];
        edge[63] = b',';
        edge[64] = b'\n';
        edge[129] = b'"';
        assert_eq!(all(&edge, [b',', b'\n', b'"']), vec![63, 64, 129]);
    }

    #[test]
    fn seek_skips_what_was_read_another_way() {
        let text = b"a,b,\"c,d\",e\nf,g\n";
        let mut s = Structurals::new(text, [b',', b'\n', b'"']);
        assert_eq!(s.next_pos(), Some(1));
        s.seek(11);
        assert_eq!(std::iter::from_fn(|| s.next_pos()).collect::<Vec<_>>(), vec![11, 13, 15]);
    }

    proptest! {
        #[test]
        fn simd_mask_matches_the_byte_loop(chunk in proptest::collection::vec(
            prop_oneof![Just(b','), Just(b'\n'), Just(b'"'), Just(b';'), Just(0u8), Just(0xffu8), any::<u8>()], 64),
            delim in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'|')])
        {
            let chunk: [u8; 64] = chunk.try_into().unwrap();
            prop_assert_eq!(chunk_mask(&chunk, [delim, b'\n', b'"']), chunk_mask_bytes(&chunk, [delim, b'\n', b'"']));
        }

        #[test]
        fn positions_match_a_plain_search(bytes in proptest::collection::vec(
            prop_oneof![Just(b','), Just(b'\n'), Just(b'"'), Just(b'a'), any::<u8>()], 0..300))
        {
            prop_assert_eq!(all(&bytes, [b',', b'\n', b'"']), naive(&bytes, [b',', b'\n', b'"']));
        }
    }
}
