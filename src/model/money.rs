//! Exact money arithmetic, the rule both the readers and the core keep:
//! amounts are decimals, and a sum or product that would need rounding is
//! refused (`None`), never rounded. rust_decimal's own `checked_add` and
//! `checked_mul` round silently past 28 digits.

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
}
