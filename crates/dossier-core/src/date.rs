//! Calendar dates as analysts write them (`YYYY-MM-DD`), checked to be real days.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("\"{0}\" is not a date; write it as YYYY-MM-DD, for example 2025-03-14")]
pub struct DateError(pub String);

impl FromStr for IsoDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16, DateError> {
            let part = &s[r];
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            part.parse().map_err(|_| err())
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(err()),
        };
        if year == 0 || day == 0 || day > days {
            return Err(err());
        }
        Ok(IsoDate {
            year,
            month: month as u8,
            day: day as u8,
        })
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("2025-03-14")]
    #[case("2024-02-29")]
    #[case("2000-02-29")]
    fn real_dates_parse_and_print_back(#[case] s: &str) {
        assert_eq!(s.parse::<IsoDate>().unwrap().to_string(), s);
    }

    #[rstest]
    #[case("2025-02-29")]
    #[case("1900-02-29")]
    #[case("2025-13-01")]
    #[case("2025-04-31")]
    #[case("2025-4-3")]
    #[case("14/03/2025")]
    #[case("")]
    #[case("2025-03-1x")]
    #[case("+025-03-14")]
    fn impossible_dates_are_refused(#[case] s: &str) {
        assert_eq!(s.parse::<IsoDate>(), Err(DateError(s.to_string())));
    }
}
