//! The build clock, the only reader of "now", and the parsing of dates written by people.

use chrono::{
    DateTime, FixedOffset, LocalResult, Months, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::error::Diagnostic;

/// The instant a build runs at; every time-based decision reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    now: DateTime<Utc>,
}

impl Clock {
    /// A clock stopped at `now`.
    pub fn at(now: DateTime<Utc>) -> Self {
        Clock { now }
    }

    /// Resolves the build time: `--now` first, then `SOURCE_DATE_EPOCH`, then the system clock.
    /// `--now` without an offset is read in the site's time zone.
    pub fn resolve(
        now_flag: Option<&str>,
        source_date_epoch: Option<&str>,
        zone: Tz,
    ) -> Result<Clock, Diagnostic> {
        if let Some(text) = now_flag {
            let at =
                parse_time(text, zone).map_err(|e| Diagnostic::usage(format!("--now: {e}")))?;
            return Ok(Clock::at(at.with_timezone(&Utc)));
        }
        if let Some(epoch) = source_date_epoch.filter(|s| !s.trim().is_empty()) {
            let seconds: i64 = epoch.trim().parse().map_err(|_| {
                Diagnostic::usage(format!(
                    "SOURCE_DATE_EPOCH must be a number of seconds, not `{epoch}`"
                ))
            })?;
            let at = Utc
                .timestamp_opt(seconds, 0)
                .single()
                .filter(|at| supported(&at.fixed_offset()))
                .ok_or_else(|| {
                    Diagnostic::usage(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range"))
                        .hint(RANGE)
                })?;
            return Ok(Clock::at(at));
        }
        Ok(Clock::at(Utc::now()))
    }

    /// The build instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }
}

/// What dates Tribune takes, and why.
const RANGE: &str =
    "dates run from the year 1 to the year 9999, as feeds (RFC 2822, RFC 3339) can write them";

/// Whether feeds and sitemaps can write `at`, in its own offset and in UTC.
fn supported(at: &DateTime<FixedOffset>) -> bool {
    use chrono::Datelike;
    (1..=9999).contains(&at.year()) && (1..=9999).contains(&at.with_timezone(&Utc).year())
}

/// Parses `2026-11-23`, `2026-11-23T09:00`, `2026-11-23 09:00:00` or RFC 3339. A date or time
/// without an offset is a wall-clock time in `zone`, daylight-saving rules included.
pub fn parse_time(text: &str, zone: Tz) -> Result<DateTime<FixedOffset>, String> {
    let at = read_time(text, zone)?;
    if supported(&at) {
        Ok(at)
    } else {
        Err(format!("`{}` is out of range: {RANGE}", text.trim()))
    }
}

fn read_time(text: &str, zone: Tz) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at);
    }
    let naive = parse_naive(text).ok_or_else(|| {
        format!("`{text}` is not a date: write 2026-11-23, 2026-11-23T09:00 or 2026-11-23T09:00:00+01:00")
    })?;
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(at) => Ok(at.fixed_offset()),
        // The earlier of two readings when clocks go back: the first time the wall shows it.
        LocalResult::Ambiguous(first, _) => Ok(first.fixed_offset()),
        LocalResult::None => Err(format!(
            "`{text}` does not exist in {zone}: clocks skip that hour (daylight-saving change)"
        )),
    }
}

fn parse_naive(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// The longest span Tribune takes, in years: more than any freshness limit or calendar needs,
/// and short enough to keep every date computed from it within range.
const MAX_SPAN_YEARS: i64 = 100;

/// A length of time written by people: `18 months`, `2 years`, `90 days`, `6 weeks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Calendar months (years are twelve).
    Months(u32),
    /// Days.
    Days(i64),
}

/// Why a length of time was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    /// Not `N unit`.
    #[error("`{0}` is not a length of time: write \"18 months\", \"2 years\" or \"90 days\"")]
    NotASpan(String),
    /// Longer than any calendar needs.
    #[error("`{0}` is too long: at most {MAX_SPAN_YEARS} years")]
    TooLong(String),
}

impl Span {
    /// Parses `N unit` with unit day(s), week(s), month(s) or year(s), in English or French.
    pub fn parse(text: &str) -> Result<Span, SpanError> {
        let bad = || SpanError::NotASpan(text.to_string());
        let mut parts = text.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let n: u32 = n.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        let span = match unit.trim_end_matches('s') {
            "day" | "jour" => Span::Days(i64::from(n)),
            "week" | "semaine" => Span::Days(7 * i64::from(n)),
            "month" | "moi" | "mois" => Span::Months(n),
            "year" | "an" | "année" | "annee" => Span::Months(n.saturating_mul(12)),
            _ => return Err(bad()),
        };
        let too_long = match span {
            Span::Days(d) => d > MAX_SPAN_YEARS * 366,
            Span::Months(m) => i64::from(m) > MAX_SPAN_YEARS * 12,
        };
        if too_long {
            return Err(SpanError::TooLong(text.to_string()));
        }
        Ok(span)
    }

    /// About how many days this span lasts (a month counts 31).
    pub fn after_days(self) -> i64 {
        match self {
            Span::Months(m) => i64::from(m) * 31,
            Span::Days(d) => d,
        }
    }

    /// `date` moved forward by this span.
    pub fn after(self, date: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self {
            Span::Months(m) => date.checked_add_months(Months::new(m)).unwrap_or(date),
            Span::Days(d) => date.checked_add_signed(TimeDelta::days(d)).unwrap_or(date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spans() {
        assert_eq!(Span::parse("18 months"), Ok(Span::Months(18)));
        assert_eq!(Span::parse("2 years"), Ok(Span::Months(24)));
        assert_eq!(Span::parse("1 year"), Ok(Span::Months(12)));
        assert_eq!(Span::parse("6 weeks"), Ok(Span::Days(42)));
        assert_eq!(Span::parse("90 days"), Ok(Span::Days(90)));
        assert_eq!(Span::parse("18 mois"), Ok(Span::Months(18)));
        assert!(Span::parse("soon").is_err());
        assert!(Span::parse("0 days").is_err());
    }

    #[test]
    fn months_follow_the_calendar() {
        let d = DateTime::parse_from_rfc3339("2025-01-31T10:00:00+01:00").unwrap();
        assert_eq!(
            Span::Months(1).after(d).to_rfc3339(),
            "2025-02-28T10:00:00+01:00"
        );
    }

    #[test]
    fn reads_dates_in_the_site_zone() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        assert_eq!(
            parse_time("2026-11-23", paris).unwrap().to_rfc3339(),
            "2026-11-23T00:00:00+01:00"
        );
        assert_eq!(
            parse_time("2026-07-01T09:30", paris).unwrap().to_rfc3339(),
            "2026-07-01T09:30:00+02:00"
        );
        assert_eq!(
            parse_time("2026-07-01T09:30:00Z", paris)
                .unwrap()
                .to_rfc3339(),
            "2026-07-01T09:30:00+00:00"
        );
    }

    #[test]
    fn rejects_times_skipped_by_daylight_saving() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let err = parse_time("2026-03-29T02:30", paris).unwrap_err();
        assert!(err.contains("daylight-saving"), "{err}");
    }

    #[test]
    fn rejects_nonsense() {
        let utc: Tz = "UTC".parse().unwrap();
        assert!(
            parse_time("2026-13-45", utc)
                .unwrap_err()
                .contains("is not a date")
        );
    }

    #[test]
    fn resolves_now_in_order() {
        let utc: Tz = "UTC".parse().unwrap();
        let flag = Clock::resolve(Some("2026-01-02"), Some("0"), utc).unwrap();
        assert_eq!(flag.now().to_rfc3339(), "2026-01-02T00:00:00+00:00");
        let epoch = Clock::resolve(None, Some("86400"), utc).unwrap();
        assert_eq!(epoch.now().to_rfc3339(), "1970-01-02T00:00:00+00:00");
        assert!(Clock::resolve(None, Some("soon"), utc).is_err());
    }
}
