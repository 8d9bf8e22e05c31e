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

use crate::sink::Sink;

/// Why an exact operation could not give a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithError {
    DivisionByZero,
    Overflow,
}

/// Hashes the value, as equality compares it: by the reduced fraction.
impl std::hash::Hash for Ratio {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Reduced once: `numer` and `denom` would each reduce again.
        let r = self.reduced();
        (r.num, r.den).hash(state);
    }
}

/// A fraction with a positive denominator. Results are not reduced while
/// they fit (a gcd per operation is most of the cost of scoring); they are
/// reduced when a product would overflow, and equality compares values.
#[derive(Clone, Copy)]
pub struct Ratio {
    num: i128,
    den: i128,
}

/// Whether a value fits 64 bits, where division is one instruction rather
/// than a 128-bit library call. Scores' numbers almost always do.
fn small(a: i128) -> bool {
    a == (a as i64) as i128
}

/// `a / b`, truncating, through 64 bits when both fit.
fn div(a: i128, b: i128) -> i128 {
    if small(a) && small(b) && b != -1 { ((a as i64) / (b as i64)) as i128 } else { a / b }
}

/// `a % b`, through 64 bits when both fit.
fn rem(a: i128, b: i128) -> i128 {
    if small(a) && small(b) && b != -1 { ((a as i64) % (b as i64)) as i128 } else { a % b }
}

/// `n / d` to the nearest integer, halves away from zero, for `d > 0`: one
/// hardware division where 128 bits would take a library call.
fn round_half_away64(n: i64, d: i64) -> i128 {
    let (q, r) = (n / d, (n % d).unsigned_abs());
    // r < d ≤ i64::MAX, so twice r fits 64 unsigned bits.
    let up = 2 * r >= d.unsigned_abs();
    i128::from(q) + if up { i128::from(n.signum()) } else { 0 }
}

/// The greatest common divisor: binary (shifts and subtractions) in 64 bits,
/// where scores' values fit and 128-bit division would be a slow library
/// call; Euclid's algorithm beyond.
fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    if a == 0 || b == 0 {
        return (a | b) as i128;
    }
    if a == 1 || b == 1 {
        return 1;
    }
    if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
        return gcd64(a as u64, b as u64) as i128;
    }
    // Beyond 64 bits (rare): Euclid's remainders shrink the pair fast.
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.min(i128::MAX as u128) as i128
}

fn gcd64(mut a: u64, mut b: u64) -> u64 {
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

const MAX_DECIMAL_MANTISSA: i128 = (1i128 << 96) - 1;

/// The fewest decimal places that write `1 / den` exactly (`den` > 0 is
/// 2^a·5^b: max(a, b) places), or `None` when its decimals never end.
fn terminating_places(den: i128) -> Option<u32> {
    if den <= 0 {
        return None;
    }
    let twos = den.trailing_zeros();
    let (mut rest, mut fives) = (den >> twos, 0);
    while rest % 5 == 0 {
        rest /= 5;
        fives += 1;
    }
    (rest == 1).then_some(twos.max(fives))
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`, reduced.
    pub fn new(num: i128, den: i128) -> Result<Ratio, ArithError> {
        if den == 0 {
            return Err(ArithError::DivisionByZero);
        }
        if den == 1 {
            return Ok(Ratio { num, den });
        }
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (div(num, g), div(den, g));
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
        // Over a power of ten, as written: reduction can wait until needed.
        Ratio { num: d.mantissa(), den: 10i128.pow(d.scale()) }
    }

    /// A plain decimal written in text (`2072`, `-3.5`, `80.25`), straight to
    /// a fraction over a power of ten; `None` for anything else. The fast
    /// path of reading batch cells.
    pub fn parse_plain(text: &str) -> Option<Ratio> {
        let (negative, digits) = match text.as_bytes().split_first()? {
            (b'-', rest) => (true, rest),
            _ => (false, text.as_bytes()),
        };
        // A digit first (`.5` is not plain), at most 18 digits (they fit
        // 64 bits), at most one point with a digit after it: one pass.
        if !digits.first()?.is_ascii_digit() {
            return None;
        }
        let (mut num, mut den, mut point, mut count) = (0i64, 1i64, false, 0u32);
        for &b in digits {
            match b {
                b'0'..=b'9' => {
                    count += 1;
                    if count > 18 {
                        return None;
                    }
                    num = num * 10 + i64::from(b - b'0');
                    if point {
                        den *= 10;
                    }
                }
                b'.' if !point => point = true,
                _ => return None,
            }
        }
        if point && den == 1 {
            return None;
        }
        Some(Ratio { num: i128::from(if negative { -num } else { num }), den: i128::from(den) })
    }

    /// The numerator and denominator as they stand, not reduced: for
    /// arithmetic outside this module that keeps its own bounds.
    pub fn parts(self) -> (i128, i128) {
        (self.num, self.den)
    }

    /// `num / den` with the sign on the numerator, not reduced.
    pub fn raw(num: i128, den: i128) -> Result<Ratio, ArithError> {
        match den {
            0 => Err(ArithError::DivisionByZero),
            d if d > 0 => Ok(Ratio { num, den }),
            d => Ok(Ratio {
                num: num.checked_neg().ok_or(ArithError::Overflow)?,
                den: d.checked_neg().ok_or(ArithError::Overflow)?,
            }),
        }
    }

    /// The same value in lowest terms.
    pub fn reduced(self) -> Ratio {
        Ratio::new(self.num, self.den).unwrap_or(self)
    }

    pub fn numer(self) -> i128 {
        self.reduced().num
    }

    pub fn denom(self) -> i128 {
        self.reduced().den
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    pub fn is_integer(self) -> bool {
        self.den == 1 || rem(self.num, self.den) == 0
    }

    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    #[inline]
    pub fn checked_add(self, o: Ratio) -> Result<Ratio, ArithError> {
        // Rounded scores share their step's denominator: sums of them are
        // one addition, inlined where they are summed.
        if self.den == o.den
            && let Some(num) = self.num.checked_add(o.num)
        {
            return Ok(Ratio { num, den: self.den });
        }
        self.add_apart(o)
    }

    /// [`Ratio::checked_add`] of fractions over different denominators.
    #[inline(never)]
    fn add_apart(self, o: Ratio) -> Result<Ratio, ArithError> {
        // A sum starts at 0/1: the first term is kept as it is, over its own
        // denominator, so the terms after it add over that one.
        if self.num == 0 {
            return Ok(o);
        }
        if self.den == o.den {
            return Ok(Ratio { num: self.num.checked_add(o.num).ok_or(ArithError::Overflow)?, den: self.den });
        }
        // Scores' numbers fit 64 bits: their products fit 128 without a
        // check, and only the sum of two such products can overflow.
        if let (Ok(a), Ok(b), Ok(c), Ok(d)) =
            (i64::try_from(self.num), i64::try_from(self.den), i64::try_from(o.num), i64::try_from(o.den))
        {
            let (a, b, c, d) = (i128::from(a), i128::from(b), i128::from(c), i128::from(d));
            if let Some(num) = (a * d).checked_add(c * b) {
                return Ok(Ratio { num, den: b * d });
            }
        }
        let quick = (|| {
            let num = self.num.checked_mul(o.den)?.checked_add(o.num.checked_mul(self.den)?)?;
            Some(Ratio { num, den: self.den.checked_mul(o.den)? })
        })();
        if let Some(r) = quick {
            return Ok(r);
        }
        let (a, o) = (self.reduced(), o.reduced());
        let g = gcd(a.den, o.den).max(1);
        let left = a.num.checked_mul(div(o.den, g)).ok_or(ArithError::Overflow)?;
        let right = o.num.checked_mul(div(a.den, g)).ok_or(ArithError::Overflow)?;
        let num = left.checked_add(right).ok_or(ArithError::Overflow)?;
        let den = div(a.den, g).checked_mul(o.den).ok_or(ArithError::Overflow)?;
        Ratio::new(num, den)
    }

    pub fn checked_neg(self) -> Result<Ratio, ArithError> {
        Ok(Ratio { num: self.num.checked_neg().ok_or(ArithError::Overflow)?, den: self.den })
    }

    pub fn checked_sub(self, o: Ratio) -> Result<Ratio, ArithError> {
        self.checked_add(o.checked_neg()?)
    }

    pub fn checked_mul(self, o: Ratio) -> Result<Ratio, ArithError> {
        // Scores' numbers fit 64 bits: a 64-bit multiply is far cheaper.
        if let (Ok(a), Ok(b), Ok(c), Ok(d)) =
            (i64::try_from(self.num), i64::try_from(self.den), i64::try_from(o.num), i64::try_from(o.den))
            && let (Some(num), Some(den)) = (a.checked_mul(c), b.checked_mul(d))
        {
            return Ok(Ratio { num: i128::from(num), den: i128::from(den) });
        }
        if let (Some(num), Some(den)) = (self.num.checked_mul(o.num), self.den.checked_mul(o.den)) {
            return Ok(Ratio { num, den });
        }
        let (a, o) = (self.reduced(), o.reduced());
        let g1 = gcd(a.num, o.den).max(1);
        let g2 = gcd(o.num, a.den).max(1);
        let num = div(a.num, g1).checked_mul(div(o.num, g2)).ok_or(ArithError::Overflow)?;
        let den = div(a.den, g2).checked_mul(div(o.den, g1)).ok_or(ArithError::Overflow)?;
        Ratio::new(num, den)
    }

    pub fn checked_div(self, o: Ratio) -> Result<Ratio, ArithError> {
        if o.num == 0 {
            return Err(ArithError::DivisionByZero);
        }
        self.checked_mul(Ratio::raw(o.den, o.num)?)
    }

    pub fn abs(self) -> Result<Ratio, ArithError> {
        if self.num < 0 { self.checked_neg() } else { Ok(self) }
    }

    /// The nearest integer, halves away from zero (四舍五入).
    fn round_half_away(self) -> Result<i128, ArithError> {
        if let (Ok(n), Ok(d)) = (i64::try_from(self.num), i64::try_from(self.den))
            && d > 0
        {
            return Ok(round_half_away64(n, d));
        }
        let q = div(self.num, self.den);
        let r = rem(self.num, self.den).abs();
        // 2r ≥ den, without doubling r: a denominator beyond 2¹²⁶ (an
        // unreduced exact score) must round, not overflow.
        if r >= self.den - r { q.checked_add(self.num.signum()).ok_or(ArithError::Overflow) } else { Ok(q) }
    }

    /// Rounds to a multiple of `step` (0.01, 0.5, 1 …), halves away from zero.
    #[inline]
    pub fn round_to(self, step: Ratio) -> Result<Ratio, ArithError> {
        // A step of 1/k (0.01, 0.001): the multiples are self × k, and the
        // result is those multiples over k — no reduction needed. In 64
        // bits, inlined where scores are rounded; the rest out of line.
        if step.num == 1
            && let (Ok(n), Ok(d), Ok(k)) = (i64::try_from(self.num), i64::try_from(self.den), i64::try_from(step.den))
            && d > 0
            && let Some(scaled) = n.checked_mul(k)
        {
            return Ok(Ratio { num: round_half_away64(scaled, d), den: step.den });
        }
        self.round_wide(step)
    }

    /// [`Ratio::round_to`] beyond 64 bits, or to a step that is not 1/k.
    #[inline(never)]
    fn round_wide(self, step: Ratio) -> Result<Ratio, ArithError> {
        if step.num == 1 {
            if let Some(scaled) = self.num.checked_mul(step.den) {
                let multiples = Ratio { num: scaled, den: self.den };
                return Ok(Ratio { num: multiples.round_half_away()?, den: step.den });
            }
            // A large value: whole part and fraction apart, so only the
            // result has to fit, not the value times the step's denominator.
            let r = self.reduced();
            let (whole, rest) = (r.num / r.den, r.num % r.den);
            let fraction = Ratio::new(rest, r.den)?.checked_mul(Ratio::from_int(step.den))?;
            let multiples = whole
                .checked_mul(step.den)
                .and_then(|w| w.checked_add(fraction.round_half_away().ok()?))
                .ok_or(ArithError::Overflow)?;
            return Ok(Ratio { num: multiples, den: step.den });
        }
        let multiples = self.checked_div(step)?.round_half_away()?;
        Ratio::from_int(multiples).checked_mul(step)
    }

    /// The decimal nearest to this value with at most `places` decimals (fewer
    /// when a large value leaves no room), halves away from zero.
    pub fn to_decimal(self, places: u32) -> Result<Decimal, ArithError> {
        // Reduced first, so no precision is lost to an oversized numerator.
        let r = self.reduced();
        // A terminating decimal (every score, rate and reported figure) is
        // made at its own scale: nothing to round, no trailing zeros to strip
        // (normalising strips them one division by ten at a time).
        if let Some(scale) = terminating_places(r.den).filter(|&k| k <= places.min(28))
            && let Some(mantissa) = r.num.checked_mul(10i128.pow(scale) / r.den)
            && mantissa.abs() <= MAX_DECIMAL_MANTISSA
        {
            return Ok(Decimal::from_i128_with_scale(mantissa, scale));
        }
        r.rounded_decimal(places)
    }

    /// The value rounded half away from zero at the most places (up to
    /// `places`) that fit a decimal, without trailing zeros.
    fn rounded_decimal(self, places: u32) -> Result<Decimal, ArithError> {
        let r = self;
        for scale in (0..=places.min(28)).rev() {
            let Some(scaled) = r.num.checked_mul(10i128.pow(scale)) else {
                continue;
            };
            let Ok(mantissa) = (Ratio { num: scaled, den: r.den }).round_half_away() else {
                continue;
            };
            if mantissa.abs() <= MAX_DECIMAL_MANTISSA {
                let d = Decimal::from_i128_with_scale(mantissa, scale).normalize();
                return Ok(if d.is_zero() { Decimal::ZERO } else { d });
            }
        }
        Err(ArithError::Overflow)
    }

    /// Appends the value in decimal when its denominator divides a power of
    /// ten up to 10^18 (every rounded score and rate); returns false, writing
    /// nothing, otherwise. The fast path of batch output.
    pub fn write_decimal<S: Sink>(self, out: &mut S) -> bool {
        self.write_terminating(out) || self.reduced().write_terminating(out)
    }

    fn write_terminating<S: Sink>(self, out: &mut S) -> bool {
        if let Some(cents) = self.hundredths() {
            write_hundredths(cents, out);
            return true;
        }
        // The least power of ten the denominator divides, in 64 bits.
        let Ok(den) = u64::try_from(self.den) else { return false };
        // Scores are hundredths: their denominators answer without a division.
        let places = match den {
            1 => Some(0),
            2 | 5 | 10 => Some(1),
            4 | 20 | 25 | 50 | 100 => Some(2),
            _ => (0..=18u32).find(|&k| 10u64.pow(k) % den == 0),
        };
        let Some(places) = places else { return false };
        let Some(scaled) = self.num.checked_mul(i128::from(10u64.pow(places) / den)) else { return false };
        let places = places as usize;
        // Digits into a stack buffer from the right, then one push: no
        // allocation, no per-character encoding.
        let mut buf = [0u8; 48];
        let mut at = buf.len();
        let mut n = scaled.unsigned_abs();
        let mut written = 0;
        let mut trailing = true;
        while n > 0 || written <= places {
            // Scores fit 64 bits, where a division is several times cheaper than in 128.
            let digit = match u64::try_from(n) {
                Ok(small) => {
                    n = u128::from(small / 10);
                    (small % 10) as u8
                }
                Err(_) => {
                    let digit = (n % 10) as u8;
                    n /= 10;
                    digit
                }
            };
            if written < places {
                // Trailing zeros of the fraction are not printed.
                if !(trailing && digit == 0) {
                    trailing = false;
                    at -= 1;
                    buf[at] = b'0' + digit;
                }
                if written + 1 == places && !trailing {
                    at -= 1;
                    buf[at] = b'.';
                }
            } else {
                at -= 1;
                buf[at] = b'0' + digit;
            }
            written += 1;
        }
        if scaled < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        push_ascii(out, &buf[at..]);
        true
    }

    /// The value in hundredths when it is a whole number of them over a
    /// denominator that divides 100 (every score rounded to 0.01, 0.5 or 1),
    /// in 64 bits.
    fn hundredths(self) -> Option<i64> {
        let per = match self.den {
            1 => 100,
            2 => 50,
            4 => 25,
            5 => 20,
            10 => 10,
            20 => 5,
            25 => 4,
            50 => 2,
            100 => 1,
            _ => return None,
        };
        i64::try_from(self.num).ok()?.checked_mul(per)
    }

    /// Whether the value has a finite decimal expansion of at most `places` decimals.
    pub fn is_exact_in(self, places: u32) -> bool {
        self.to_decimal(places).map(|d| Ratio::from_decimal(d) == self).unwrap_or(false)
    }
}

/// `value × 10^exponent`, exactly, or `None` when that cannot be held
/// exactly (more than 28 decimals, or too large).
pub fn shift(value: Decimal, exponent: i64) -> Option<Decimal> {
    if exponent >= 0 {
        // Fewer decimals, or whole digits appended: on the mantissa, exactly.
        let scale = i64::from(value.scale());
        let (mantissa, scale) = if exponent <= scale {
            (value.mantissa(), u32::try_from(scale - exponent).ok()?)
        } else {
            let zeros = u32::try_from(exponent - scale).ok()?;
            (value.mantissa().checked_mul(10i128.checked_pow(zeros)?)?, 0)
        };
        Decimal::try_from_i128_with_scale(mantissa, scale).ok()
    } else {
        let scale = i64::from(value.scale()).checked_sub(exponent)?;
        let scale = u32::try_from(scale).ok().filter(|s| *s <= 28)?;
        Decimal::try_from_i128_with_scale(value.mantissa(), scale).ok()
    }
}

/// A decimal in canonical form: no exponent, no trailing zeros, never `-0`
/// (`"20"`, `"2.76"`, `"-0.309"`). What the JSON contracts print.
pub fn canonical(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() { "0".to_string() } else { n.to_string() }
}

impl Ratio {
    /// The value as a canonical decimal, to 28 places at most.
    pub fn canonical(self) -> String {
        self.to_decimal(28).map(canonical).unwrap_or_else(|_| format!("{self:?}"))
    }
}

/// `cents` hundredths as decimal text, trailing zeros of the fraction left
/// out (`379` → `3.79`, `400` → `4`, `-50` → `-0.5`): the common case of
/// writing scores, without the general loop.
fn write_hundredths<S: Sink>(cents: i64, out: &mut S) {
    let magnitude = cents.unsigned_abs();
    let (whole, fraction) = (magnitude / 100, magnitude % 100);
    let digit = |d: u64| b'0' + (d % 10) as u8;
    if cents < 0 {
        out.push_byte(b'-');
    }
    // A score's whole part has at most three digits: written in order.
    if whole < 1000 {
        if whole >= 100 {
            out.push_byte(digit(whole / 100));
        }
        if whole >= 10 {
            out.push_byte(digit(whole / 10));
        }
        out.push_byte(digit(whole));
    } else {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        let mut rest = whole;
        while rest > 0 {
            at -= 1;
            buf[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        push_ascii(out, &buf[at..]);
    }
    if fraction != 0 {
        out.push_byte(b'.');
        out.push_byte(digit(fraction / 10));
        if fraction % 10 != 0 {
            out.push_byte(digit(fraction));
        }
    }
}

/// Appends digits, a point and a sign a byte at a time: for the few bytes
/// of a number, cheaper than checking they are UTF-8 and copying them.
fn push_ascii<S: Sink>(out: &mut S, bytes: &[u8]) {
    for &b in bytes {
        out.push_byte(b);
    }
}

impl Ord for Ratio {
    /// Compares by cross-multiplying when that cannot overflow, else by
    /// continued fractions, which never multiply.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        // The 64-bit case first, read half by half: comparing whole 128-bit
        // denominators first loaded a value just stored in halves, a stall
        // that cost a fifth of batch scoring. Small enough to inline into
        // every comparison a method makes; the rest is out of line.
        if let (Ok(a), Ok(b), Ok(c), Ok(d)) =
            (i64::try_from(self.num), i64::try_from(self.den), i64::try_from(other.num), i64::try_from(other.den))
        {
            // Products of two 64-bit values fit 128 bits.
            return (i128::from(a) * i128::from(d)).cmp(&(i128::from(c) * i128::from(b)));
        }
        self.cmp_wide(other)
    }
}

impl Ratio {
    /// [`Ord::cmp`] beyond 64 bits.
    #[inline(never)]
    fn cmp_wide(&self, other: &Self) -> Ordering {
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        if let (Some(l), Some(r)) = (self.num.checked_mul(other.den), other.num.checked_mul(self.den)) {
            return l.cmp(&r);
        }
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

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}

impl PartialOrd for Ratio {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.reduced();
        write!(f, "{}/{}", r.num, r.den)
    }
}

impl fmt::Display for Ratio {
    /// Up to six decimals, with `…` when the value goes on (truncated, not
    /// rounded). Total: long division on the reduced fraction, so any value
    /// a `Ratio` can hold prints, however large.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.reduced();
        let den = r.den.unsigned_abs();
        let magnitude = r.num.unsigned_abs();
        let (whole, mut rest) = (magnitude / den, magnitude % den);
        let mut digits = String::new();
        while rest != 0 && digits.len() < 6 {
            let (digit, next) = times_ten(rest, den);
            digits.push(char::from(b'0' + digit));
            rest = next;
        }
        let sign = if r.num < 0 { "-" } else { "" };
        match (digits.is_empty(), rest == 0) {
            (true, _) => write!(f, "{sign}{whole}"),
            (false, true) => write!(f, "{sign}{whole}.{digits}"),
            (false, false) => write!(f, "{sign}{whole}.{digits}…"),
        }
    }
}

/// `10 × rest` as a digit and a remainder over `den`, for `rest < den ≤ 2^127`,
/// by ten additions modulo `den`: no product that could overflow.
fn times_ten(rest: u128, den: u128) -> (u8, u128) {
    let (mut digit, mut acc) = (0u8, 0u128);
    for _ in 0..10 {
        // acc < den and rest < den, so acc + rest < 2^128.
        acc += rest;
        if acc >= den {
            acc -= den;
            digit += 1;
        }
    }
    (digit, acc)
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

    /// The 128-bit way, without the 64-bit shortcuts: the reference for them.
    fn slow_round(n: i128, d: i128) -> i128 {
        let (q, r) = (n / d, (n % d).abs());
        if 2 * r >= d { q + n.signum() } else { q }
    }

    fn slow_cmp(a: Ratio, b: Ratio) -> std::cmp::Ordering {
        (a.num * b.den).cmp(&(b.num * a.den))
    }

    proptest::proptest! {
        #[test]
        fn the_64_bit_shortcuts_agree_with_128_bits(
            n in proptest::prelude::any::<i64>(),
            d in 1..=i64::MAX,
            m in -1_000_000_000i64..1_000_000_000,
            e in 1i64..1_000_000_000,
        ) {
            let x = Ratio { num: i128::from(n), den: i128::from(d) };
            proptest::prop_assert_eq!(x.round_half_away().unwrap(), slow_round(i128::from(n), i128::from(d)));
            let (y, z) = (Ratio { num: i128::from(m), den: i128::from(e) }, Ratio { num: i128::from(e), den: 7 });
            proptest::prop_assert_eq!(y.cmp(&z), slow_cmp(y, z));
            let step = Ratio { num: 1, den: 100 };
            let rounded = y.round_to(step).unwrap();
            proptest::prop_assert_eq!(rounded, Ratio { num: slow_round(i128::from(m) * 100, i128::from(e)), den: 100 });
            // A sum of two 64-bit fractions: exact, or found to overflow, never wrapped.
            let w = Ratio { num: i128::from(m), den: i128::from(e) };
            let sum = x.checked_add(w);
            match (i128::from(n) * i128::from(e)).checked_add(i128::from(m) * i128::from(d)) {
                Some(num) => proptest::prop_assert_eq!(sum, Ok(Ratio { num, den: i128::from(d) * i128::from(e) })),
                None => proptest::prop_assert!(sum.is_err() || sum.is_ok_and(|s| s.checked_sub(w) == Ok(x))),
            }
        }
    }

    proptest::proptest! {
        /// The short way of writing hundredths writes what the general one does.
        #[test]
        fn hundredths_are_written_as_decimals(
            // Scores (a whole part of three digits or fewer) and beyond.
            num in proptest::prop_oneof![-200_000i64..200_000, -(1i64 << 56)..(1i64 << 56)],
            den in proptest::sample::select(vec![1i128, 2, 4, 5, 10, 20, 25, 50, 100]),
        ) {
            let r = Ratio { num: i128::from(num), den };
            let mut fast = String::new();
            write_hundredths(r.hundredths().unwrap(), &mut fast);
            proptest::prop_assert_eq!(fast, r.to_decimal(28).unwrap().normalize().to_string());
        }
    }

    proptest::proptest! {
        /// A terminating decimal is made at its own scale, exactly; where
        /// rounding at `places` loses nothing to overflow, it is the decimal
        /// that rounding and stripping the zeros gives.
        #[test]
        fn terminating_decimals_are_made_exactly(
            num in proptest::prelude::any::<i64>(),
            twos in 0u32..40,
            fives in 0u32..20,
            places in 0u32..30,
        ) {
            let den = (1i128 << twos) * 5i128.pow(fives);
            let r = Ratio { num: i128::from(num), den };
            let made = r.to_decimal(places);
            let reduced = r.reduced();
            let exact = terminating_places(reduced.den)
                .filter(|&k| k <= places.min(28))
                .filter(|&k| reduced.num.checked_mul(10i128.pow(k) / reduced.den).is_some_and(|m| m.abs() <= MAX_DECIMAL_MANTISSA));
            if let (Ok(d), Some(k)) = (made, exact) {
                proptest::prop_assert_eq!(Ratio::from_decimal(d), r);
                proptest::prop_assert_eq!(d.scale(), if num == 0 { 0 } else { k });
            }
            // Compared as (mantissa, scale): 1.50 and 1.5 are equal decimals but print apart.
            let parts = |d: Result<Decimal, ArithError>| d.map(|d| (d.mantissa(), d.scale()));
            if r.reduced().num.checked_mul(10i128.pow(places.min(28))).is_some() {
                proptest::prop_assert_eq!(parts(made), parts(r.reduced().rounded_decimal(places)));
            }
        }
    }

    #[test]
    fn places_of_terminating_decimals() {
        assert_eq!(terminating_places(1), Some(0));
        assert_eq!(terminating_places(8), Some(3));
        assert_eq!(terminating_places(25), Some(2));
        assert_eq!(terminating_places(100), Some(2));
        assert_eq!(terminating_places(3), None);
        assert_eq!(terminating_places(40 * 7), None);
    }

    #[test]
    fn plain_decimals_and_what_is_not_one() {
        let plain = |t: &str| Ratio::parse_plain(t).map(|r| (r.num, r.den));
        assert_eq!(plain("2072"), Some((2072, 1)));
        assert_eq!(plain("-3.5"), Some((-35, 10)));
        assert_eq!(plain("80.25"), Some((8025, 100)));
        assert_eq!(plain("0.0001"), Some((1, 10000)));
        assert_eq!(plain("999999999999999999"), Some((999_999_999_999_999_999, 1)));
        for not in ["", "-", ".5", "5.", "1.2.3", "1e3", "+3", "1_000", " 1", "1 ", "--1", "1000000000000000000", "12%"]
        {
            assert_eq!(plain(not), None, "{not:?}");
        }
    }

    proptest::proptest! {
        /// A plain decimal reads as the decimal it is.
        #[test]
        fn plain_decimals_read_as_decimals(whole in 0u64..1_000_000_000_000, fraction in "[0-9]{0,6}", negative: bool) {
            let text = format!("{}{whole}{}{fraction}", if negative { "-" } else { "" }, if fraction.is_empty() { "" } else { "." });
            let expected = Ratio::from_decimal(Decimal::from_str_exact(&text).unwrap());
            proptest::prop_assert_eq!(Ratio::parse_plain(&text), Some(expected));
        }
    }

    /// A score held as an unreduced fraction with a denominator beyond 2¹²⁶
    /// rounds; it overflowed when the remainder was doubled (a review found
    /// eval refusing `min(points, points * actual / (actual + target))`
    /// at an actual of 17 decimals, where batch scored 0.01).
    #[test]
    fn a_denominator_near_the_top_rounds() {
        let den = i128::MAX;
        let num = (1i128 << 126) / 100 + 1;
        let scaled = num * 100;
        let up = 2 * (scaled as u128 % den as u128) >= den as u128;
        let rounded = Ratio { num, den }.round_to(Ratio { num: 1, den: 100 }).unwrap();
        assert_eq!(rounded, Ratio { num: i128::from(up), den: 100 });
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
    fn rounding_a_large_value_needs_room_for_the_result_only() {
        // 99999999999999999999999999 / 2.2212122221, to 0.001: found by fuzzing,
        // where the value times 1000 overflowed before it was divided.
        let big = r("99999999999999999999999999").checked_div(r("2.2212122221")).unwrap();
        let rounded = big.round_to(r("0.001")).unwrap();
        let half = r("0.0005");
        assert!(rounded.checked_sub(half).unwrap() <= big && big <= rounded.checked_add(half).unwrap());
        assert_eq!(r("-2.5").round_to(r("1")).unwrap(), r("-3"));
        let negative = big.checked_neg().unwrap().round_to(r("0.001")).unwrap();
        assert_eq!(negative, rounded.checked_neg().unwrap());
    }

    #[test]
    fn budget_rate_uses_the_unrounded_ratio() {
        let rate = r("357.04").checked_div(r("439.53")).unwrap();
        let score = r("20").checked_mul(rate).unwrap().round_to(r("0.01")).unwrap();
        assert_eq!(score, r("16.25"));
    }

    #[test]
    fn decimal_output() {
        let text = |n: i128, d: i128| {
            let mut out = String::new();
            Ratio { num: n, den: d }.write_decimal(&mut out).then_some(out)
        };
        assert_eq!(text(0, 100).as_deref(), Some("0"));
        assert_eq!(text(5, 1).as_deref(), Some("5"));
        assert_eq!(text(5, 100).as_deref(), Some("0.05"));
        assert_eq!(text(276, 100).as_deref(), Some("2.76"));
        assert_eq!(text(270, 100).as_deref(), Some("2.7"));
        assert_eq!(text(-309, 1000).as_deref(), Some("-0.309"));
        assert_eq!(text(10000, 100).as_deref(), Some("100"));
        assert_eq!(text(8288, 3000), None, "2.7626… does not terminate");
        assert_eq!(text(1, 8).as_deref(), Some("0.125"));
    }

    #[test]
    fn every_denominator_of_hundredths_is_written_in_decimal() {
        let written = |num: i128, den: i128| {
            let mut out = String::new();
            Ratio::new_const(num, den).unwrap().write_decimal(&mut out).then_some(out)
        };
        for (num, den, text) in [
            (7, 1, "7"),
            (-7, 2, "-3.5"),
            (3, 4, "0.75"),
            (1, 5, "0.2"),
            (31, 10, "3.1"),
            (7, 20, "0.35"),
            (3, 25, "0.12"),
            (49, 50, "0.98"),
            (9764, 100, "97.64"),
            (9700, 100, "97"),
            (1, 8, "0.125"),
            (u64::MAX as i128 * 3, 100, "553402322211286548.45"),
        ] {
            assert_eq!(written(num, den).as_deref(), Some(text), "{num}/{den}");
        }
        assert_eq!(written(1, 3), None);
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
