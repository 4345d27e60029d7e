//! Exact rational numbers for the last step of the report.
//!
//! Totals are exact decimals, but an AOV (total / deals), its change and its
//! percentage change are fractions that a decimal type can only approximate.
//! Keeping them as exact ratios until the renderer asks for a fixed number of
//! decimals means the printed cent is always the true one, rounded half away
//! from zero like a spreadsheet's ROUND, never rust_decimal's default
//! banker's rounding and never a float.
//!
//! A ratio is two `i128`s while they fit (nearly always: a report has one
//! ratio or three per row, and allocating big integers for each showed up
//! as most of the time of a large report) and two big integers when they do
//! not; every operation checks for overflow and moves to big integers
//! rather than lose a digit.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;

#[derive(Clone, Debug)]
enum Repr {
    /// num / den, den > 0, in lowest terms.
    Small(i128, i128),
    /// Boxed, so a ratio that fits (nearly all) stays small in memory.
    Big(Box<(BigInt, BigInt)>),
}

/// An exact fraction, kept in lowest terms. Equality and order are by value.
#[derive(Clone, Debug)]
pub struct Ratio(Repr);

/// Greatest common divisor, by Stein's binary algorithm: shifts and
/// subtractions instead of 128-bit divisions (a library call each, which
/// made reducing every row's AOV a good part of a large report's time),
/// and 64-bit words when both numbers fit (nearly always).
fn gcd_i128(a: i128, b: i128) -> i128 {
    let (a, b) = (a.unsigned_abs(), b.unsigned_abs());
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => i128::from(binary_gcd!(a, b)),
        _ => binary_gcd!(a, b) as i128,
    }
}

macro_rules! binary_gcd {
    ($a:expr, $b:expr) => {{
        let (mut a, mut b) = ($a, $b);
        if a == 0 || b == 0 {
            a | b
        } else {
            let shift = (a | b).trailing_zeros();
            a >>= a.trailing_zeros();
            loop {
                b >>= b.trailing_zeros();
                if a > b {
                    std::mem::swap(&mut a, &mut b);
                }
                b -= a;
                if b == 0 {
                    break a << shift;
                }
            }
        }
    }};
}
use binary_gcd;

const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

impl Ratio {
    /// `num / den`; `None` when `den` is zero.
    pub fn new(num: BigInt, den: BigInt) -> Option<Ratio> {
        if den.is_zero() {
            return None;
        }
        let (num, den) = if den.is_negative() { (-num, -den) } else { (num, den) };
        Some(Ratio::big(num, den))
    }

    /// From big integers (den > 0), reduced, and made small if it fits.
    fn big(num: BigInt, den: BigInt) -> Ratio {
        let g = num.gcd(&den);
        let (num, den) = if g.is_one() || g.is_zero() { (num, den) } else { (num / &g, den / g) };
        match (num.to_i128(), den.to_i128()) {
            (Some(n), Some(d)) => Ratio(Repr::Small(n, d)),
            _ => Ratio(Repr::Big(Box::new((num, den)))),
        }
    }

    /// From i128s (den != 0), reduced; big when negating would overflow.
    fn small(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        if num == i128::MIN || den == i128::MIN {
            return Some(Ratio::big(BigInt::from(num) * den.signum(), BigInt::from(den).abs()));
        }
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        let g = gcd_i128(num, den);
        Some(if g > 1 { Ratio(Repr::Small(num / g, den / g)) } else { Ratio(Repr::Small(num, den)) })
    }

    fn parts_big(&self) -> (BigInt, BigInt) {
        match &self.0 {
            Repr::Small(n, d) => (BigInt::from(*n), BigInt::from(*d)),
            Repr::Big(b) => b.as_ref().clone(),
        }
    }

    pub fn from_decimal(d: Decimal) -> Ratio {
        Ratio::small(d.mantissa(), POW10[d.scale() as usize]).expect("10^k is not zero")
    }

    pub fn from_int(n: i128) -> Ratio {
        Ratio(Repr::Small(n, 1))
    }

    /// `total / count`: the average of `count` values summing to `total`.
    pub fn mean(total: Decimal, count: u64) -> Option<Ratio> {
        let den = POW10[total.scale() as usize].checked_mul(i128::from(count));
        match den {
            // Left unreduced: a mean is mostly only rounded for printing,
            // and reducing costs a GCD per row; arithmetic on it reduces.
            Some(den) if den > 0 => Some(Ratio(Repr::Small(total.mantissa(), den))),
            Some(_) => None,
            None => Ratio::new(BigInt::from(total.mantissa()), BigInt::from(POW10[total.scale() as usize]) * count),
        }
    }

    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Repr::Small(n, _) => *n == 0,
            Repr::Big(b) => b.0.is_zero(),
        }
    }

    pub fn signum(&self) -> Ordering {
        match &self.0 {
            Repr::Small(n, _) => n.cmp(&0),
            Repr::Big(b) => b.0.sign().cmp(&num_bigint::Sign::NoSign),
        }
    }

    pub fn abs(&self) -> Ratio {
        match &self.0 {
            Repr::Small(n, d) if *n != i128::MIN => Ratio(Repr::Small(n.abs(), *d)),
            _ => {
                let (n, d) = self.parts_big();
                Ratio::big(n.abs(), d)
            }
        }
    }

    fn combine(
        &self,
        other: &Ratio,
        small: impl Fn(i128, i128, i128, i128) -> Option<(i128, i128)>,
        big: impl Fn(BigInt, BigInt, BigInt, BigInt) -> (BigInt, BigInt),
    ) -> Option<Ratio> {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &other.0) {
            if let Some((n, den)) = small(*a, *b, *c, *d) {
                return Ratio::small(n, den);
            }
        }
        let ((a, b), (c, d)) = (self.parts_big(), other.parts_big());
        let (n, den) = big(a, b, c, d);
        Ratio::new(n, den)
    }

    pub fn sub(&self, other: &Ratio) -> Ratio {
        self.combine(
            other,
            |a, b, c, d| Some((a.checked_mul(d)?.checked_sub(c.checked_mul(b)?)?, b.checked_mul(d)?)),
            |a, b, c, d| (a * &d - c * &b, b * d),
        )
        .expect("denominators are not zero")
    }

    pub fn add(&self, other: &Ratio) -> Ratio {
        self.combine(
            other,
            |a, b, c, d| Some((a.checked_mul(d)?.checked_add(c.checked_mul(b)?)?, b.checked_mul(d)?)),
            |a, b, c, d| (a * &d + c * &b, b * d),
        )
        .expect("denominators are not zero")
    }

    pub fn mul(&self, other: &Ratio) -> Ratio {
        self.combine(other, |a, b, c, d| Some((a.checked_mul(c)?, b.checked_mul(d)?)), |a, b, c, d| (a * c, b * d))
            .expect("denominators are not zero")
    }

    /// `self / other`; `None` when `other` is zero.
    pub fn div(&self, other: &Ratio) -> Option<Ratio> {
        if other.is_zero() {
            return None;
        }
        self.combine(other, |a, b, c, d| Some((a.checked_mul(d)?, b.checked_mul(c)?)), |a, b, c, d| (a * d, b * c))
    }

    /// Round to `dp` decimals, half away from zero (10.005 -> 10.01,
    /// -10.005 -> -10.01), exactly.
    pub fn round(&self, dp: u32) -> Fixed {
        if let Repr::Small(n, d) = &self.0 {
            if let Some(scaled) = n.unsigned_abs().checked_mul(POW10[dp as usize] as u128) {
                let d = *d as u128;
                // 64-bit division when both fit (a 128-bit one is a library call).
                let (mut q, r) = match (u64::try_from(scaled), u64::try_from(d)) {
                    (Ok(s), Ok(d64)) => (u128::from(s / d64), u128::from(s % d64)),
                    _ => (scaled / d, scaled % d),
                };
                if r >= d - r {
                    q += 1;
                }
                if let Ok(q) = i128::try_from(q) {
                    return Fixed { value: FixedRepr::Small(if *n < 0 { -q } else { q }), dp };
                }
            }
        }
        let (n, d) = self.parts_big();
        let scaled = n.abs() * BigInt::from(POW10[dp as usize]);
        let (mut q, r) = scaled.div_rem(&d);
        if r * 2u8 >= d {
            q += 1u8;
        }
        Fixed { value: FixedRepr::Big(if n.is_negative() { -q } else { q }), dp }
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        if let (Repr::Small(a, b), Repr::Small(c, d)) = (&self.0, &other.0) {
            if let (Some(x), Some(y)) = (a.checked_mul(*d), c.checked_mul(*b)) {
                return x.cmp(&y);
            }
        }
        let ((a, b), (c, d)) = (self.parts_big(), other.parts_big());
        (a * d).cmp(&(c * b))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum FixedRepr {
    Small(i128),
    Big(BigInt),
}

/// A number already rounded to a fixed count of decimals: what a renderer
/// prints. Displays as plain digits with a dot (`-1234.50`); zero never
/// carries a minus sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    value: FixedRepr,
    dp: u32,
}

impl Fixed {
    pub fn is_negative(&self) -> bool {
        match &self.value {
            FixedRepr::Small(v) => *v < 0,
            FixedRepr::Big(v) => v.is_negative(),
        }
    }
    pub fn is_positive(&self) -> bool {
        match &self.value {
            FixedRepr::Small(v) => *v > 0,
            FixedRepr::Big(v) => v.is_positive(),
        }
    }
    /// Integer digits and fraction digits, without sign.
    pub fn parts(&self) -> (String, String) {
        let digits = match &self.value {
            FixedRepr::Small(v) => v.unsigned_abs().to_string(),
            FixedRepr::Big(v) => v.abs().to_string(),
        };
        let dp = self.dp as usize;
        let padded =
            if digits.len() <= dp { format!("{}{}", "0".repeat(dp + 1 - digits.len()), digits) } else { digits };
        let (int, frac) = padded.split_at(padded.len() - dp);
        (int.to_string(), frac.to_string())
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Digits written backwards into a buffer on the stack (no
        // allocation: a report writes three numbers per row).
        if let FixedRepr::Small(v) = &self.value
            && let Ok(mut n) = u64::try_from(v.unsigned_abs())
        {
            let dp = self.dp as usize;
            let mut buf = [0u8; 64];
            let mut i = buf.len();
            let mut written = 0;
            if dp < 40 {
                loop {
                    if written == dp && dp > 0 {
                        i -= 1;
                        buf[i] = b'.';
                    }
                    i -= 1;
                    buf[i] = b'0' + (n % 10) as u8;
                    n /= 10;
                    written += 1;
                    if n == 0 && written > dp {
                        break;
                    }
                }
                if *v < 0 {
                    i -= 1;
                    buf[i] = b'-';
                }
                return f.write_str(std::str::from_utf8(&buf[i..]).expect("ASCII digits"));
            }
        }
        let (int, frac) = self.parts();
        let sign = if self.is_negative() { "-" } else { "" };
        if frac.is_empty() { write!(f, "{sign}{int}") } else { write!(f, "{sign}{int}.{frac}") }
    }
}

/// Round an exact decimal to `dp` decimals, half away from zero.
pub fn round_decimal(d: Decimal, dp: u32) -> Fixed {
    // A decimal is mantissa / 10^scale: rounding it is an integer division
    // by a power of ten, no fraction to reduce first.
    let (m, scale) = (d.mantissa(), d.scale());
    if scale <= dp {
        if let Some(v) = POW10.get((dp - scale) as usize).and_then(|p| m.checked_mul(*p)) {
            return Fixed { value: FixedRepr::Small(v), dp };
        }
    }
    if scale > dp {
        let div = POW10[(scale - dp) as usize];
        let (q, r) = (m.abs() / div, m.abs() % div);
        let q = if r >= div - r { q + 1 } else { q };
        return Fixed { value: FixedRepr::Small(if m < 0 { -q } else { q }), dp };
    }
    Ratio::from_decimal(d).round(dp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounds_midpoints_away_from_zero() {
        assert_eq!(round_decimal(dec("10.005"), 2).to_string(), "10.01");
        assert_eq!(round_decimal(dec("-10.005"), 2).to_string(), "-10.01");
        assert_eq!(round_decimal(dec("10.0049999"), 2).to_string(), "10.00");
        assert_eq!(round_decimal(dec("0.125"), 2).to_string(), "0.13");
        assert_eq!(round_decimal(dec("2.5"), 0).to_string(), "3");
        assert_eq!(round_decimal(dec("-2.5"), 0).to_string(), "-3");
    }

    #[test]
    fn bankers_rounding_would_differ() {
        // rust_decimal's default rounds 0.125 to 0.12; ours must not.
        assert_eq!(dec("0.125").round_dp(2).to_string(), "0.12");
        assert_eq!(round_decimal(dec("0.125"), 2).to_string(), "0.13");
    }

    #[test]
    fn negative_zero_prints_as_zero() {
        assert_eq!(round_decimal(dec("-0.004"), 2).to_string(), "0.00");
        assert_eq!(round_decimal(dec("-0"), 2).to_string(), "0.00");
    }

    #[test]
    fn pads_small_values() {
        assert_eq!(round_decimal(dec("0.05"), 2).to_string(), "0.05");
        assert_eq!(round_decimal(dec("-0.5"), 1).to_string(), "-0.5");
        assert_eq!(round_decimal(dec("7"), 2).to_string(), "7.00");
    }

    #[test]
    fn rounding_a_decimal_agrees_with_rounding_its_ratio() {
        let mut x: u64 = 0x853c_49e6_748f_ea9b;
        for i in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = i128::from(x >> (i % 40)) * if i % 2 == 0 { 1 } else { -1 };
            let d = Decimal::from_i128_with_scale(m, i % 13);
            for dp in [0, 1, 2, 6, 30] {
                let exact = Ratio::from_decimal(d).round(dp);
                assert_eq!(round_decimal(d, dp).to_string(), exact.to_string(), "{d} to {dp}");
            }
        }
        assert_eq!(round_decimal(dec("2.345"), 2).to_string(), "2.35");
        assert_eq!(round_decimal(dec("-2.345"), 2).to_string(), "-2.35");
        assert_eq!(round_decimal(dec("-0.004"), 2).to_string(), "0.00");
    }

    #[test]
    fn fixed_prints_like_its_parts() {
        let reference = |f: &Fixed| {
            let (int, frac) = f.parts();
            let sign = if f.is_negative() { "-" } else { "" };
            if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
        };
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for i in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = match i % 4 {
                0 => i128::from(x % 1000),
                1 => -i128::from(x % 100_000),
                2 => i128::from(x),
                _ => -(i128::from(x) << 20),
            };
            let f = Fixed { value: FixedRepr::Small(v), dp: i % 7 };
            assert_eq!(f.to_string(), reference(&f), "{v} with {} decimals", i % 7);
        }
        assert_eq!(Fixed { value: FixedRepr::Small(5), dp: 2 }.to_string(), "0.05");
        assert_eq!(Fixed { value: FixedRepr::Small(-1234), dp: 2 }.to_string(), "-12.34");
        assert_eq!(Fixed { value: FixedRepr::Small(0), dp: 0 }.to_string(), "0");
        assert_eq!(Fixed { value: FixedRepr::Small(120), dp: 0 }.to_string(), "120");
    }

    #[test]
    fn binary_gcd_agrees_with_euclid() {
        fn euclid(a: i128, b: i128) -> i128 {
            let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a as i128
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for i in 0..20_000 {
            // Small, 64-bit and 128-bit operands, with shared factors.
            let f = i128::from(next() % 1000 + 1);
            let (a, b) = match i % 3 {
                0 => (i128::from(next() % 100_000), i128::from(next() % 100_000)),
                1 => (i128::from(next() >> 2) * f, -(i128::from(next() >> 2) * f)),
                _ => ((i128::from(next()) << 40) * f, i128::from(next()) * f * 1_000_000),
            };
            assert_eq!(gcd_i128(a, b), euclid(a, b), "gcd({a}, {b})");
        }
        assert_eq!(gcd_i128(0, 0), 0);
        assert_eq!(gcd_i128(0, -7), 7);
        assert_eq!(gcd_i128(i128::MAX, i128::MAX), i128::MAX);
    }

    #[test]
    fn mean_is_exact() {
        // 10.01 / 2 = 5.005 exactly -> 5.01
        assert_eq!(Ratio::mean(dec("10.01"), 2).unwrap().round(2).to_string(), "5.01");
        // 1/3 = 0.333.. -> 0.33 ; 2/3 -> 0.67
        assert_eq!(Ratio::mean(dec("1"), 3).unwrap().round(2).to_string(), "0.33");
        assert_eq!(Ratio::mean(dec("2"), 3).unwrap().round(2).to_string(), "0.67");
        assert!(Ratio::mean(dec("2"), 0).is_none());
    }

    #[test]
    fn arithmetic() {
        let a = Ratio::mean(dec("10"), 3).unwrap(); // 3.333..
        let b = Ratio::mean(dec("5"), 2).unwrap(); // 2.5
        assert_eq!(a.sub(&b).round(4).to_string(), "0.8333");
        assert_eq!(a.add(&b).round(4).to_string(), "5.8333");
        assert_eq!(a.div(&b).unwrap().round(4).to_string(), "1.3333");
        assert!(a.div(&Ratio::from_int(0)).is_none());
        assert!(b < a);
        // Equal by value, whatever the terms.
        assert_eq!(Ratio::new(BigInt::from(2), BigInt::from(4)).unwrap(), Ratio::mean(dec("1"), 2).unwrap());
        assert_eq!(Ratio::new(BigInt::from(3), BigInt::from(-6)).unwrap().round(1).to_string(), "-0.5");
    }
}

#[cfg(test)]
mod big_tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn overflow_moves_to_big_integers_without_losing_a_digit() {
        // (10^27 / 3) * (10^27 / 7) overflows i128; its exact value is 10^54 / 21.
        let a = Ratio::mean(Decimal::from_str("1000000000000000000000000000").unwrap(), 3).unwrap();
        let b = Ratio::mean(Decimal::from_str("1000000000000000000000000000").unwrap(), 7).unwrap();
        let p = a.mul(&b);
        assert_eq!(p.round(0).to_string(), "47619047619047619047619047619047619047619047619047619");
        // ... and back to small when it fits again.
        let q = p.div(&a).unwrap();
        assert_eq!(q, b);
        assert!(matches!(q.0, Repr::Small(_, _)));
        // Comparing big and small values.
        assert!(p > a);
        assert_eq!(p.sub(&p), Ratio::from_int(0));
    }

    #[test]
    fn extremes_round_exactly() {
        let max = Ratio::from_decimal(Decimal::MAX);
        assert_eq!(max.round(2).to_string(), "79228162514264337593543950335.00");
        let min = Ratio::from_decimal(Decimal::MIN);
        assert_eq!(min.mul(&Ratio::from_int(1000)).round(1).to_string(), "-79228162514264337593543950335000.0");
        let tiny = Ratio::mean(Decimal::from_str("0.0000000000000000000000000001").unwrap(), u64::MAX).unwrap();
        assert_eq!(tiny.round(2).to_string(), "0.00");
    }
}
