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

/// A name of up to 31 bytes, stored in the table itself: looking it up
/// compares bytes in place instead of following a pointer.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Short {
    len: u8,
    bytes: [u8; 31],
}

impl Short {
    #[inline]
    pub fn new(raw: &[u8]) -> Option<Short> {
        let mut bytes = [0u8; 31];
        bytes.get_mut(..raw.len())?.copy_from_slice(raw);
        Some(Short { len: raw.len() as u8, bytes })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

/// Count and exact sum (in millionths) of one cell. The sum is a 128-bit
/// integer kept as two words, so that an entry is 24 bytes, not 32 (an
/// `i128` field would align it to 16): fewer cache lines per table.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
pub struct Acc {
    pub deals: u64,
    lo: u64,
    hi: i64,
}

impl Acc {
    #[inline]
    pub fn add(&mut self, amount: i128) {
        let sum = self.sum() + amount;
        self.deals += 1;
        (self.lo, self.hi) = (sum as u64, (sum >> 64) as i64);
    }

    pub fn sum(&self) -> i128 {
        (i128::from(self.hi) << 64) | i128::from(self.lo)
    }

    /// Add another accumulator's count and sum.
    pub fn merge(&mut self, other: &Acc) {
        let sum = self.sum() + other.sum();
        self.deals += other.deals;
        (self.lo, self.hi) = (sum as u64, (sum >> 64) as i64);
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
        self.hasher.hash_one(name.as_bytes())
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
                touched ^= self.entries[at as usize - 1].name.len;
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
        let slots = vec![(0, 0); self.slots.len() * 2];
        let mask = slots.len() - 1;
        self.slots = slots;
        for (n, e) in self.entries.iter().enumerate() {
            let hash = self.hasher.hash_one(e.name.as_bytes());
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

    /// Every name's raw bytes and accumulator.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Acc)> {
        self.entries.iter().map(|e| (e.name.as_bytes(), &e.acc))
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
    fn short_names_only() {
        assert!(Short::new(&[b'a'; 31]).is_some());
        assert!(Short::new(&[b'a'; 32]).is_none());
        assert_eq!(Short::new(b"Eva").unwrap().as_bytes(), b"Eva");
    }
}
