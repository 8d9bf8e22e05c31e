//! Exact rational arithmetic for scores.
//!
//! `Decimal` division keeps 28 digits, so `points * (actual / target)` and
//! `points * actual / target` can round differently (3 × 37 / 120 is 0.925,
//! but 3 × (37 / 120) is 0.92499…9). Scores are computed on exact fractions
//! and turned into decimals only when the scheme rounds them, so the order a
//! method is written in cannot change a score. No allocation: numerator and
//! denominator are `i128`, and overflow is reported, never wrapped.

use std::cmp::Ordering;
use std::fmt;

use rust_decimal::Decimal;

/// Why an exact operation could not give a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithError {
    DivisionByZero,
    Overflow,
}

/// A fraction in lowest terms with a positive denominator.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

const MAX_DECIMAL_MANTISSA: i128 = (1i128 << 96) - 1;

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`, reduced.
    pub fn new(num: i128, den: i128) -> Result<Ratio, ArithError> {
        if den == 0 {
            return Err(ArithError::DivisionByZero);
        }
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg().ok_or(ArithError::Overflow)?;
            den = den.checked_neg().ok_or(ArithError::Overflow)?;
        }
        Ok(Ratio { num, den })
    }

    /// `num / den` for constants already in lowest terms with `den > 0`.
    pub const fn new_const(num: i128, den: i128) -> Option<Ratio> {
        if den > 0 { Some(Ratio { num, den }) } else { None }
    }

    pub fn from_int(n: i128) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    /// Every `Decimal` is exactly a fraction over a power of ten.
    pub fn from_decimal(d: Decimal) -> Ratio {
        let den = 10i128.pow(d.scale());
        Ratio::new(d.mantissa(), den).unwrap_or(Ratio::ZERO)
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    pub fn checked_add(self, o: Ratio) -> Result<Ratio, ArithError> {
        let g = gcd(self.den, o.den).max(1);
        let left = self.num.checked_mul(o.den / g).ok_or(ArithError::Overflow)?;
        let right = o.num.checked_mul(self.den / g).ok_or(ArithError::Overflow)?;
        let num = left.checked_add(right).ok_or(ArithError::Overflow)?;
        let den = (self.den / g).checked_mul(o.den).ok_or(ArithError::Overflow)?;
        Ratio::new(num, den)
    }

    pub fn checked_neg(self) -> Result<Ratio, ArithError> {
        Ok(Ratio { num: self.num.checked_neg().ok_or(ArithError::Overflow)?, den: self.den })
    }

    pub fn checked_sub(self, o: Ratio) -> Result<Ratio, ArithError> {
        self.checked_add(o.checked_neg()?)
    }

    pub fn checked_mul(self, o: Ratio) -> Result<Ratio, ArithError> {
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(o.num / g2).ok_or(ArithError::Overflow)?;
        let den = (self.den / g2).checked_mul(o.den / g1).ok_or(ArithError::Overflow)?;
        Ratio::new(num, den)
    }

    pub fn checked_div(self, o: Ratio) -> Result<Ratio, ArithError> {
        if o.num == 0 {
            return Err(ArithError::DivisionByZero);
        }
        let recip = Ratio::new(o.den, o.num)?;
        self.checked_mul(recip)
    }

    pub fn abs(self) -> Result<Ratio, ArithError> {
        if self.num < 0 { self.checked_neg() } else { Ok(self) }
    }

    /// The nearest integer, halves away from zero (四舍五入).
    fn round_half_away(self) -> Result<i128, ArithError> {
        let q = self.num / self.den;
        let r = (self.num % self.den).abs();
        let twice = r.checked_mul(2).ok_or(ArithError::Overflow)?;
        if twice >= self.den { q.checked_add(self.num.signum()).ok_or(ArithError::Overflow) } else { Ok(q) }
    }

    /// Rounds to a multiple of `step` (0.01, 0.5, 1 …), halves away from zero.
    pub fn round_to(self, step: Ratio) -> Result<Ratio, ArithError> {
        let multiples = self.checked_div(step)?.round_half_away()?;
        Ratio::from_int(multiples).checked_mul(step)
    }

    /// The decimal nearest to this value with at most `places` decimals (fewer
    /// when a large value leaves no room), halves away from zero.
    pub fn to_decimal(self, places: u32) -> Result<Decimal, ArithError> {
        for scale in (0..=places.min(28)).rev() {
            let Some(scaled) = self.num.checked_mul(10i128.pow(scale)) else {
                continue;
            };
            let Ok(mantissa) = (Ratio { num: scaled, den: self.den }).round_half_away() else {
                continue;
            };
            if mantissa.abs() <= MAX_DECIMAL_MANTISSA {
                let d = Decimal::from_i128_with_scale(mantissa, scale).normalize();
                return Ok(if d.is_zero() { Decimal::ZERO } else { d });
            }
        }
        Err(ArithError::Overflow)
    }

    /// Whether the value has a finite decimal expansion of at most `places` decimals.
    pub fn is_exact_in(self, places: u32) -> bool {
        self.to_decimal(places).map(|d| Ratio::from_decimal(d) == self).unwrap_or(false)
    }
}

impl Ord for Ratio {
    /// Compares without multiplying, so it cannot overflow.
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        let mut flipped = false;
        loop {
            let (qa, ra) = (a.div_euclid(b), a.rem_euclid(b));
            let (qc, rc) = (c.div_euclid(d), c.rem_euclid(d));
            let ord = qa.cmp(&qc).then(Ordering::Equal);
            if ord != Ordering::Equal {
                return if flipped { ord.reverse() } else { ord };
            }
            match (ra == 0, rc == 0) {
                (true, true) => return Ordering::Equal,
                (true, false) => return if flipped { Ordering::Greater } else { Ordering::Less },
                (false, true) => return if flipped { Ordering::Less } else { Ordering::Greater },
                (false, false) => {
                    // a/b = q + ra/b; compare ra/b with rc/d by their reciprocals.
                    (a, b, c, d) = (b, ra, d, rc);
                    flipped = !flipped;
                }
            }
        }
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

impl fmt::Display for Ratio {
    /// Up to six decimals, with `…` when the value goes on.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_decimal(6) {
            Ok(d) if self.is_exact_in(6) => write!(f, "{d}"),
            Ok(_) => {
                let truncated = Ratio { num: self.num.checked_mul(1_000_000).unwrap_or(self.num), den: self.den };
                let whole = truncated.num / truncated.den;
                let d = Decimal::from_i128_with_scale(whole, 6);
                write!(f, "{d}…")
            }
            Err(_) => write!(f, "{}/{}", self.num, self.den),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Ratio {
        Ratio::from_decimal(Decimal::from_str_exact(s).unwrap())
    }

    #[test]
    fn division_order_does_not_matter() {
        let (points, actual, target) = (r("3"), r("37"), r("120"));
        let a = points.checked_mul(actual.checked_div(target).unwrap()).unwrap();
        let b = points.checked_mul(actual).unwrap().checked_div(target).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.round_to(r("0.01")).unwrap().to_decimal(28).unwrap().to_string(), "0.93");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let rate = r("39.94").checked_div(r("40")).unwrap();
        assert_eq!(rate.round_to(r("0.001")).unwrap().to_decimal(28).unwrap().to_string(), "0.999");
        assert_eq!(r("-0.3085").round_to(r("0.001")).unwrap().to_decimal(28).unwrap().to_string(), "-0.309");
        assert_eq!(r("2.5").round_to(r("1")).unwrap(), r("3"));
        assert_eq!(r("1.25").round_to(r("0.5")).unwrap(), r("1.5"));
    }

    #[test]
    fn budget_rate_uses_the_unrounded_ratio() {
        let rate = r("357.04").checked_div(r("439.53")).unwrap();
        let score = r("20").checked_mul(rate).unwrap().round_to(r("0.01")).unwrap();
        assert_eq!(score, r("16.25"));
    }

    #[test]
    fn ordering_and_display() {
        assert!(r("0.95") < r("0.97"));
        assert!(r("-1.5") < r("-1.25"));
        assert_eq!(Ratio::new(2072 * 4, 3000).unwrap().to_string(), "2.762666…");
        assert_eq!(r("2.5").to_string(), "2.5");
        assert_eq!(Ratio::new(1, 0), Err(ArithError::DivisionByZero));
    }
}
