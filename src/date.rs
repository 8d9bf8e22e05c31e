//! Calendar dates for deadlines (完成时限): read from the forms reports
//! print, compared as whole days. A month alone means its last day: "2019年
//! 12月" is met by anything done in December.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Reads `2019-12-31`, `2019/12/31`, `2019.12.31`, `2019年12月31日` and
    /// the month forms `2019-12`, `2019年12月` (its last day), with half- or
    /// full-width digits and an optional trailing 前 / 之前 / 底 ("by").
    pub fn parse(text: &str) -> Option<Date> {
        let text: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '－' | '／' | '．' | '/' | '.' => '-',
                _ => c,
            })
            .collect();
        let text = ["之前", "以前", "前", "底"].iter().find_map(|s| text.strip_suffix(s)).unwrap_or(&text).trim();
        let parts: Vec<&str> = match text.split_once('年') {
            Some((year, rest)) => {
                let (month, rest) = rest.split_once('月')?;
                let day = rest.strip_suffix(['日', '号']).unwrap_or(rest);
                if day.is_empty() { vec![year, month] } else { vec![year, month, day] }
            }
            None => text.split('-').collect(),
        };
        let number = |s: &str| -> Option<u32> {
            let s = s.trim();
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        };
        match parts.as_slice() {
            [y, m] if y.trim().len() == 4 => {
                let (year, month) = (i32::try_from(number(y)?).ok()?, u8::try_from(number(m)?).ok()?);
                Date::new(year, month, days_in(year, month))
            }
            [y, m, d] if y.trim().len() == 4 => Date::new(
                i32::try_from(number(y)?).ok()?,
                u8::try_from(number(m)?).ok()?,
                u8::try_from(number(d)?).ok()?,
            ),
            _ => None,
        }
    }

    /// Days since 1970-01-01 (negative before), by the civil calendar.
    pub fn days(self) -> i64 {
        // Years counted from March, so the leap day is the last of its year.
        let (month, year) = (i64::from(self.month), i64::from(self.year));
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days() - self.days()
    }
}

impl fmt::Display for Date {
    /// `2019-12-31`: one form in every output, whatever the input wrote.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn reads_the_forms_reports_print() {
        for text in
            ["2019-12-31", "2019/12/31", "2019.12.31", "2019年12月31日", "2019年12月31日前", "２０１９年１２月３１日"]
        {
            assert_eq!(Date::parse(text), Some(d(2019, 12, 31)), "{text}");
        }
        // A month alone is its last day.
        assert_eq!(Date::parse("2019年12月"), Some(d(2019, 12, 31)));
        assert_eq!(Date::parse("2020-02"), Some(d(2020, 2, 29)));
        assert_eq!(Date::parse("2019年2月底"), Some(d(2019, 2, 28)));
        assert_eq!(Date::parse("2019-6-5"), Some(d(2019, 6, 5)));
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for text in
            ["2019-02-29", "2019-13-01", "2019-00-10", "19-12-31", "2019", "十二月", "", "2019-12-31-1", "2019--31"]
        {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn counts_days_across_months_years_and_leap_days() {
        assert_eq!(d(1970, 1, 1).days(), 0);
        assert_eq!(d(2000, 3, 1).days() - d(2000, 2, 28).days(), 2);
        assert_eq!(d(2019, 12, 31).days_until(d(2020, 1, 20)), 20);
        assert_eq!(d(2019, 12, 31).days_until(d(2019, 12, 1)), -30);
        assert_eq!(d(2019, 1, 1).days_until(d(2020, 1, 1)), 365);
        assert_eq!(d(2020, 1, 1).days_until(d(2021, 1, 1)), 366);
        assert_eq!(d(1969, 12, 31).days(), -1);
    }
}
