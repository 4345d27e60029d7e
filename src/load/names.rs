//! The fast path's table from a name's raw bytes to its count and sum, for
//! reports over one name column (a customer report over the whole file).
//!
//! With tens of thousands of customers, the table is larger than a core's
//! cache, and each row's lookup waits for main memory. Rows therefore come
//! in batches: first every row's hash is computed and its entry touched
//! (the loads are independent, so the processor has them in flight
//! together), then the rows are added, now from cache. The index holds a
//! hash tag beside each entry number, so probing stays in the small index
//! and only a likely match reads an entry.

use std::hash::BuildHasher;

use crate::model::money::Acc;

/// A name of up to 31 bytes, stored in the table itself: looking it up
/// compares bytes in place instead of following a pointer. Bytes 0..31
/// hold the name padded with zeros, byte 31 its length.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Short([u8; 32]);

impl Short {
    /// The empty name.
    pub const EMPTY: Short = Short([0; 32]);

    #[inline]
    pub fn new(raw: &[u8]) -> Option<Short> {
        let mut bytes = [0u8; 32];
        bytes.get_mut(..raw.len()).filter(|_| raw.len() < 32)?.copy_from_slice(raw);
        bytes[31] = raw.len() as u8;
        Some(Short(bytes))
    }

    /// `new(&b[start..end])`, reading the 32 bytes at `start` as four
    /// whole words when the block has them: copying the name byte by byte
    /// and then loading words for the hash stalled the processor (a third
    /// of a report per seller).
    #[inline]
    pub fn from_field(b: &[u8], start: usize, end: usize) -> Option<Short> {
        let len = end - start;
        if len > 31 {
            return None;
        }
        let Some(window) = b.get(start..start + 32) else { return Short::new(&b[start..end]) };
        let mut out = [0u8; 32];
        for (i, (to, from)) in out.chunks_exact_mut(8).zip(window.chunks_exact(8)).enumerate() {
            let word = u64::from_le_bytes(from.try_into().expect("8 bytes"));
            let valid = len.saturating_sub(i * 8).min(8);
            let mask = if valid == 8 { u64::MAX } else { (1u64 << (valid * 8)) - 1 };
            to.copy_from_slice(&(word & mask).to_le_bytes());
        }
        out[31] = len as u8;
        Some(Short(out))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0[..usize::from(self.0[31])]
    }
}

/// Hashes the four words of the name (length included) in a few
/// instructions: hashing the bytes one slice at a time was a third of the
/// time of a report per seller. The hasher mixes the result further.
impl std::hash::Hash for Short {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let w = |i: usize| u64::from_le_bytes(self.0[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        let a = (w(0) ^ w(2).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let b = (w(1) ^ w(3).rotate_left(31)).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
        state.write_u64(a ^ b.rotate_left(32));
    }
}

struct Entry {
    name: Short,
    acc: Acc,
}

/// How many rows a batch holds: enough loads in flight to hide most of the
/// memory latency, few enough that their entries stay in the first cache.
pub const BATCH: usize = 32;

/// Short names -> accumulators.
pub struct NameTable {
    /// Open addressing, a power of two long: (hash tag, entry number + 1),
    /// 0 for a free slot.
    slots: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    hasher: foldhash::fast::FixedState,
}

impl Default for NameTable {
    fn default() -> NameTable {
        NameTable { slots: vec![(0, 0); 1024], entries: Vec::new(), hasher: Default::default() }
    }
}

impl NameTable {
    #[inline]
    fn hash(&self, name: &Short) -> u64 {
        self.hasher.hash_one(name)
    }

    /// `add_batch`, then empty the batch for the next rows.
    pub fn flush(&mut self, names: &mut Vec<Short>, amounts: &mut Vec<i128>) {
        self.add_batch(names, amounts);
        names.clear();
        amounts.clear();
    }

    /// Add one amount per name, the names and amounts in batches of at most
    /// [`BATCH`].
    pub fn add_batch(&mut self, names: &[Short], amounts: &[i128]) {
        debug_assert!(names.len() <= BATCH && names.len() == amounts.len());
        let mut hashes = [0u64; BATCH];
        for (h, name) in hashes.iter_mut().zip(names) {
            *h = self.hash(name);
        }
        // Touch each row's first candidate entry; the loads do not depend
        // on each other, so they overlap.
        let mask = self.slots.len() - 1;
        let mut touched = 0u8;
        for h in &hashes[..names.len()] {
            let (_, at) = self.slots[*h as usize & mask];
            if at != 0 {
                touched ^= self.entries[at as usize - 1].name.0[31];
            }
        }
        std::hint::black_box(touched);
        for ((name, amount), h) in names.iter().zip(amounts).zip(hashes) {
            self.entry(name, h).add(*amount);
        }
    }

    #[inline]
    fn entry(&mut self, name: &Short, hash: u64) -> &mut Acc {
        let tag = (hash >> 32) as u32;
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let (t, at) = self.slots[i];
            if at == 0 {
                break;
            }
            if t == tag && self.entries[at as usize - 1].name == *name {
                return &mut self.entries[at as usize - 1].acc;
            }
            i = (i + 1) & mask;
        }
        self.entries.push(Entry { name: *name, acc: Acc::default() });
        self.slots[i] = (tag, self.entries.len() as u32);
        if self.entries.len() * 4 > self.slots.len() * 3 {
            self.grow();
        }
        &mut self.entries.last_mut().expect("just pushed").acc
    }

    /// Double the index (at three quarters full) and place every entry again.
    fn grow(&mut self) {
        // Written, not allocated zeroed: zeroed memory arrives as shared
        // zero pages, and the first write after a probe has read one is a
        // copy-on-write fault that interrupts the other core to flush its
        // TLB (measured: 4 % of a per-customer report).
        let mut slots = Vec::with_capacity(self.slots.len() * 2);
        slots.resize(self.slots.len() * 2, (0, 0));
        let mask = slots.len() - 1;
        self.slots = slots;
        for (n, e) in self.entries.iter().enumerate() {
            let hash = self.hash(&e.name);
            let mut i = hash as usize & mask;
            while self.slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = ((hash >> 32) as u32, n as u32 + 1);
        }
    }

    /// Add every entry of `other`.
    pub fn merge(&mut self, other: NameTable) {
        for e in other.entries {
            let hash = self.hash(&e.name);
            self.entry(&e.name, hash).merge(&e.acc);
        }
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every name's raw bytes and accumulator.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Acc)> {
        self.entries.iter().map(|e| (e.name.as_bytes(), &e.acc))
    }
}

/// Short names -> small ids (the fast path's interner for names of up to
/// 31 bytes), looked up in batches as [`NameTable`] adds: every row's slot
/// and key are touched first, so their loads are in flight together.
pub struct IdTable {
    /// Open addressing, a power of two long: (hash tag, key number + 1),
    /// 0 for a free slot.
    slots: Vec<(u32, u32)>,
    /// (name, id), in the order they came.
    keys: Vec<(Short, u32)>,
    hasher: foldhash::fast::FixedState,
}

impl Default for IdTable {
    fn default() -> IdTable {
        IdTable { slots: vec![(0, 0); 1024], keys: Vec::new(), hasher: Default::default() }
    }
}

impl IdTable {
    #[inline]
    fn hash(&self, name: &Short) -> u64 {
        self.hasher.hash_one(name)
    }

    /// The id of `name`, made by `new` when it is not in the table yet.
    #[inline]
    pub fn id(&mut self, name: &Short, new: impl FnOnce() -> u32) -> u32 {
        let hash = self.hash(name);
        self.id_hashed(name, hash, new)
    }

    /// The ids of a batch of at most [`BATCH`] names into `out`; `new`
    /// makes the id of a name not seen before.
    pub fn ids(&mut self, names: &[Short], out: &mut [u32], mut new: impl FnMut(&Short) -> u32) {
        debug_assert!(names.len() <= BATCH && out.len() >= names.len());
        let mut hashes = [0u64; BATCH];
        for (h, name) in hashes.iter_mut().zip(names) {
            *h = self.hash(name);
        }
        let mask = self.slots.len() - 1;
        let mut touched = 0u8;
        for h in &hashes[..names.len()] {
            let (_, at) = self.slots[*h as usize & mask];
            if at != 0 {
                touched ^= self.keys[at as usize - 1].0.0[31];
            }
        }
        std::hint::black_box(touched);
        for ((name, o), h) in names.iter().zip(out.iter_mut()).zip(hashes) {
            *o = self.id_hashed(name, h, || new(name));
        }
    }

    #[inline]
    fn id_hashed(&mut self, name: &Short, hash: u64, new: impl FnOnce() -> u32) -> u32 {
        let tag = (hash >> 32) as u32;
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let (t, at) = self.slots[i];
            if at == 0 {
                break;
            }
            if t == tag {
                let (k, id) = &self.keys[at as usize - 1];
                if k == name {
                    return *id;
                }
            }
            i = (i + 1) & mask;
        }
        let id = new();
        self.keys.push((*name, id));
        self.slots[i] = (tag, self.keys.len() as u32);
        if self.keys.len() * 4 > self.slots.len() * 3 {
            let mut slots = Vec::with_capacity(self.slots.len() * 2);
            slots.resize(self.slots.len() * 2, (0, 0));
            let mask = slots.len() - 1;
            self.slots = slots;
            for (n, (k, _)) in self.keys.iter().enumerate() {
                let hash = self.hash(k);
                let mut i = hash as usize & mask;
                while self.slots[i].1 != 0 {
                    i = (i + 1) & mask;
                }
                self.slots[i] = ((hash >> 32) as u32, n as u32 + 1);
            }
        }
        id
    }

    /// Every name and its id, in the order they came.
    pub fn iter(&self) -> impl Iterator<Item = (&Short, u32)> {
        self.keys.iter().map(|(k, id)| (k, *id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn sums_agree_with_a_plain_map_through_growth_and_collisions() {
        let mut table = NameTable::default();
        let mut expected: HashMap<Vec<u8>, (u64, i128)> = HashMap::new();
        let mut names = Vec::new();
        let mut amounts = Vec::new();
        for i in 0..50_000u64 {
            // 5 000 names, some differing only in their last bytes.
            let raw = format!("Malmsystem AB {}", (i * 7919) % 5_000).into_bytes();
            let amount = i128::from(i % 1000) * 10_000 - 3_000_000;
            let e = expected.entry(raw.clone()).or_default();
            e.0 += 1;
            e.1 += amount;
            names.push(Short::new(&raw).unwrap());
            amounts.push(amount);
            if names.len() == BATCH || i % 97 == 0 {
                table.add_batch(&names, &amounts);
                names.clear();
                amounts.clear();
            }
        }
        table.add_batch(&names, &amounts);
        let got: HashMap<Vec<u8>, (u64, i128)> = table.iter().map(|(n, a)| (n.to_vec(), (a.deals, a.sum()))).collect();
        assert_eq!(got, expected);

        // Split in two tables and merged, the same sums.
        let (mut a, mut b) = (NameTable::default(), NameTable::default());
        for (i, (raw, (deals, sum))) in expected.iter().enumerate() {
            let t = if i % 3 == 0 { &mut a } else { &mut b };
            let mut acc = Acc::default();
            acc.add(*sum);
            acc.deals = *deals;
            let name = Short::new(raw).unwrap();
            let h = t.hash(&name);
            t.entry(&name, h).merge(&acc);
        }
        a.merge(b);
        let merged: HashMap<Vec<u8>, (u64, i128)> = a.iter().map(|(n, a)| (n.to_vec(), (a.deals, a.sum()))).collect();
        assert_eq!(merged, expected);
    }

    #[test]
    fn sums_beyond_64_bits_are_exact() {
        let mut acc = Acc::default();
        let big = 9_999_999_999_999_999_999i128; // the largest amount, in millionths
        for _ in 0..4 {
            acc.add(big);
        }
        acc.add(-1);
        assert_eq!((acc.deals, acc.sum()), (5, 4 * big - 1));
        let mut neg = Acc::default();
        neg.add(-big);
        neg.add(-big);
        assert_eq!(neg.sum(), -2 * big);
    }

    #[test]
    fn a_name_read_from_its_block_is_the_same_name() {
        let block = b"Eva,Per Eriksson,x,Malmkonsult Aktiebolag AB,A name of exactly thirty-one b,\n";
        let mut start = 0;
        for (i, &c) in block.iter().enumerate() {
            if c == b',' || c == b'\n' {
                let raw = &block[start..i];
                assert_eq!(Short::from_field(block, start, i), Short::new(raw), "{}", String::from_utf8_lossy(raw));
                if let Some(s) = Short::from_field(block, start, i) {
                    assert_eq!(s.as_bytes(), raw);
                }
                start = i + 1;
            }
        }
        assert!(Short::from_field(block, 0, 32).is_none());
    }

    #[test]
    fn short_names_only() {
        assert!(Short::new(&[b'a'; 31]).is_some());
        assert!(Short::new(&[b'a'; 32]).is_none());
        assert_eq!(Short::new(b"Eva").unwrap().as_bytes(), b"Eva");
    }

    #[test]
    fn ids_agree_with_a_plain_map_through_growth_and_batches() {
        // 3 000 names, some differing only in their last bytes, looked up
        // one at a time and in batches of every size; ids are made in the
        // order names first come, as a plain map gives them.
        let mut table = IdTable::default();
        let mut expected: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut batch = Vec::new();
        let mut wants = Vec::new();
        let mut made = 0u32;
        for i in 0..20_000u64 {
            let raw = format!("Malmsystem AB {}", (i * 7919) % 3_000).into_bytes();
            let name = Short::new(&raw).unwrap();
            if i % 3 == 0 {
                let n = expected.len() as u32;
                let want = *expected.entry(raw).or_insert(n);
                let got = table.id(&name, || {
                    made += 1;
                    n
                });
                assert_eq!((got, made), (want, expected.len() as u32));
            } else {
                batch.push(name);
                wants.push(raw);
                if batch.len() == BATCH || i % 101 == 0 {
                    let mut out = [0u32; BATCH];
                    let mut seen = expected.clone();
                    table.ids(&batch, &mut out, |n| {
                        made += 1;
                        let id = seen.len() as u32;
                        *seen.entry(n.as_bytes().to_vec()).or_insert(id)
                    });
                    for raw in &wants {
                        let n = expected.len() as u32;
                        expected.entry(raw.clone()).or_insert(n);
                    }
                    let want: Vec<u32> = wants.iter().map(|r| expected[r]).collect();
                    assert_eq!(&out[..batch.len()], &want[..]);
                    assert_eq!(made, expected.len() as u32);
                    batch.clear();
                    wants.clear();
                }
            }
        }
        assert_eq!(expected.len(), 3_000);
        let got: HashMap<Vec<u8>, u32> = table.iter().map(|(k, id)| (k.as_bytes().to_vec(), id)).collect();
        assert_eq!(got, expected);
    }
}
