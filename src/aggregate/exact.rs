//! Exact rational numbers for the last step of the report.
//!
//! Totals are exact decimals, but an AOV (total / deals), its change and its
//! percentage change are fractions that a decimal type can only approximate.
//! Keeping them as exact ratios until the renderer asks for a fixed number of
//! decimals means the printed cent is always the true one, rounded half away
//! from zero like a spreadsheet's ROUND, never rust_decimal's default
//! banker's rounding and never a float.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};
use rust_decimal::Decimal;

/// An exact fraction `num / den` with `den > 0`, kept in lowest terms.
/// Equality and order are by value.
#[derive(Clone, Debug)]
pub struct Ratio {
    num: BigInt,
    den: BigInt,
}

impl Ratio {
    /// `num / den`; `None` when `den` is zero.
    pub fn new(num: BigInt, den: BigInt) -> Option<Ratio> {
        if den.is_zero() {
            return None;
        }
        let (num, den) = if den.is_negative() { (-num, -den) } else { (num, den) };
        Some(Ratio::reduced(num, den))
    }

    /// `num / den` in lowest terms (`den > 0`).
    fn reduced(num: BigInt, den: BigInt) -> Ratio {
        let g = num.gcd(&den);
        if g.is_one() || g.is_zero() { Ratio { num, den } } else { Ratio { num: num / &g, den: den / g } }
    }

    pub fn from_decimal(d: Decimal) -> Ratio {
        Ratio::reduced(BigInt::from(d.mantissa()), pow10(d.scale()))
    }

    pub fn from_int(n: i128) -> Ratio {
        Ratio { num: BigInt::from(n), den: BigInt::one() }
    }

    /// `total / count`: the average of `count` values summing to `total`.
    pub fn mean(total: Decimal, count: u64) -> Option<Ratio> {
        let r = Ratio::from_decimal(total);
        Ratio::new(r.num, r.den * BigInt::from(count))
    }

    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    pub fn signum(&self) -> Ordering {
        self.num.sign().cmp(&num_bigint::Sign::NoSign)
    }

    pub fn abs(&self) -> Ratio {
        Ratio { num: self.num.abs(), den: self.den.clone() }
    }

    pub fn sub(&self, other: &Ratio) -> Ratio {
        Ratio { num: &self.num * &other.den - &other.num * &self.den, den: &self.den * &other.den }
    }

    pub fn add(&self, other: &Ratio) -> Ratio {
        Ratio { num: &self.num * &other.den + &other.num * &self.den, den: &self.den * &other.den }
    }

    pub fn mul(&self, other: &Ratio) -> Ratio {
        Ratio { num: &self.num * &other.num, den: &self.den * &other.den }
    }

    /// `self / other`; `None` when `other` is zero.
    pub fn div(&self, other: &Ratio) -> Option<Ratio> {
        Ratio::new(&self.num * &other.den, &self.den * &other.num)
    }

    /// Round to `dp` decimals, half away from zero (10.005 -> 10.01,
    /// -10.005 -> -10.01), exactly.
    pub fn round(&self, dp: u32) -> Fixed {
        let scaled = self.num.abs() * pow10(dp);
        let (mut q, r) = scaled.div_rem(&self.den);
        if r * 2u8 >= self.den {
            q += 1u8;
        }
        let value = if self.num.is_negative() { -q } else { q };
        Fixed { value, dp }
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
        (&self.num * &other.den).cmp(&(&other.num * &self.den))
    }
}

fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10u8), n as usize)
}

/// A number already rounded to a fixed count of decimals: what a renderer
/// prints. Displays as plain digits with a dot (`-1234.50`); zero never
/// carries a minus sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixed {
    value: BigInt,
    dp: u32,
}

impl Fixed {
    pub fn is_negative(&self) -> bool {
        self.value.is_negative()
    }
    pub fn is_positive(&self) -> bool {
        self.value.is_positive()
    }
    /// Integer digits and fraction digits, without sign.
    pub fn parts(&self) -> (String, String) {
        let digits = self.value.abs().to_string();
        let dp = self.dp as usize;
        let padded =
            if digits.len() <= dp { format!("{}{}", "0".repeat(dp + 1 - digits.len()), digits) } else { digits };
        let (int, frac) = padded.split_at(padded.len() - dp);
        (int.to_string(), frac.to_string())
    }
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, frac) = self.parts();
        let sign = if self.is_negative() { "-" } else { "" };
        if frac.is_empty() { write!(f, "{sign}{int}") } else { write!(f, "{sign}{int}.{frac}") }
    }
}

/// Round an exact decimal to `dp` decimals, half away from zero.
pub fn round_decimal(d: Decimal, dp: u32) -> Fixed {
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
