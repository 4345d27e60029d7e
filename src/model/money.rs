//! Exact money arithmetic, the rule both the readers and the core keep:
//! amounts are decimals, and a sum or product that would need rounding is
//! refused (`None`), never rounded. rust_decimal's own `checked_add` and
//! `checked_mul` round silently past 28 digits.
//!
//! The parallel reader and the core's cells also share exact integer
//! amounts in millionths ([`MICROS_SCALE`]): a count and sum ([`Acc`]) and
//! the decimal such a sum is ([`normalized_decimal`]).

use rust_decimal::Decimal;

/// `a + b`, or `None` when the exact sum does not fit. rust_decimal's own
/// `checked_add` silently drops decimals when the sum needs more than 96
/// bits at the larger scale; a result with a smaller scale shows it did.
pub fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    // Adding zero is exact, whatever scale the sum comes back with (the
    // decimal type hands back the other operand as it is).
    if a.is_zero() {
        return Some(b);
    }
    if b.is_zero() {
        return Some(a);
    }
    let sum = a.checked_add(b)?;
    (sum.is_zero() || sum.scale() >= a.scale().max(b.scale())).then_some(sum)
}

/// `a * b`, or `None` when the exact product does not fit in a decimal
/// (28 decimals, 96 bits). rust_decimal's own `checked_mul` rounds a
/// product of more digits without a word.
pub fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let mut m = a.mantissa().checked_mul(b.mantissa())?;
    let mut scale = a.scale() + b.scale();
    // Trailing zeros of the decimals can go; any other digit cannot.
    while scale > 28 || m.unsigned_abs() >= 1u128 << 96 {
        if scale == 0 || m % 10 != 0 {
            return None;
        }
        m /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(m, scale).ok()
}

/// The scale of the readers' integer amounts: millionths (10^6), the most
/// decimals an amount may have.
pub const MICROS_SCALE: u32 = 6;

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

/// `value / 10^scale` as a decimal without trailing zeros (what
/// `Decimal::normalize` gives), or `None` when it does not fit. The zeros
/// are stripped from the integer first, in 64 bits when it fits: a
/// decimal's own `normalize` divides 96-bit numbers by ten, one digit at a
/// time, for every group of a report.
pub fn normalized_decimal(value: i128, scale: u32) -> Option<rust_decimal::Decimal> {
    let (mut value, mut scale) = (value, scale);
    if let Ok(mut v) = i64::try_from(value) {
        while scale > 0 && v % 10 == 0 {
            v /= 10;
            scale -= 1;
        }
        value = i128::from(v);
    } else {
        while scale > 0 && value % 10 == 0 {
            value /= 10;
            scale -= 1;
        }
    }
    rust_decimal::Decimal::try_from_i128_with_scale(value, scale).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_is_exact_or_refused() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(exact_mul(d("1.25"), d("-3")), Some(d("-3.75")));
        assert_eq!(exact_mul(d("0.10"), d("0.10")).map(|p| p.to_string()), Some("0.0100".to_string()));
        // 9 999 999 999 999.999999 x 10.1234567891 has 30 significant
        // digits: rust_decimal rounds it, exact_mul refuses it.
        let (a, r) = (d("9999999999999.999999"), d("10.1234567891"));
        assert_ne!(a.checked_mul(r).map(|p| p.scale()), Some(16), "the decimal type rounds it");
        assert_eq!(exact_mul(a, r), None);
        // 29 decimals of which trailing zeros make it fit.
        assert_eq!(exact_mul(d("0.00000000000000000000000000010"), d("1")), Some(d("0.0000000000000000000000000001")));
        assert_eq!(exact_mul(d("0.0000000000000001"), d("0.0000000000000001")), None);
    }

    #[test]
    fn a_sum_of_zero_is_exact() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(exact_add(d("-1.00"), d("1.00")), Some(d("0")));
        // -1.00 + 1 is 0.00, and 0.00 + 1 comes back as 1 (scale 0): exact.
        assert_eq!(exact_add(exact_add(d("-1.00"), d("1")).unwrap(), d("1")), Some(d("1")));
        assert_eq!(exact_add(d("0.10"), d("0.205")).map(|s| s.to_string()), Some("0.305".to_string()));
    }

    #[test]
    fn normalized_decimals_match_rust_decimal_normalize() {
        let max96 = (1i128 << 96) - 1;
        let values = [0, 1, -1, 10, 1_000_000, -12_340_000, 10i128.pow(20), 10i128.pow(25) + 7, max96, -max96];
        for v in values.into_iter().chain((1..40).map(|k| 7i128 * 10i128.pow(k / 2) + k as i128 * 1000)) {
            for scale in [0, 2, 6] {
                let want = rust_decimal::Decimal::try_from_i128_with_scale(v, scale).map(|d| d.normalize()).ok();
                let got = normalized_decimal(v, scale);
                assert_eq!(got, want, "{v} / 10^{scale}");
                if let (Some(g), Some(w)) = (got, want) {
                    assert_eq!((g.mantissa(), g.scale()), (w.mantissa(), w.scale()), "{v} / 10^{scale}");
                }
            }
        }
        // Too wide at scale 6, but not once its zeros are stripped: still exact.
        let wide = 10i128.pow(27) * 1_000_000;
        assert_eq!(normalized_decimal(wide, 6), Some(rust_decimal::Decimal::from_i128_with_scale(10i128.pow(27), 0)));
        assert_eq!(normalized_decimal(max96 * 10 + 1, 6), None);
    }
}
