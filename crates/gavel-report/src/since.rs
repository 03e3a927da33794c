//! `--since`: a date (`2025-01-31`), a time (`2025-01-31T12:00:00Z`), or how long ago, as git
//! takes it (`90 days`, `6 months ago`, `1 year`).

/// Seconds since the epoch of `text`, relative to `now` (seconds) for durations.
pub fn parse_since(text: &str, now: i64) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(ts.as_second());
    }
    if let Ok(date) = t.parse::<jiff::civil::Date>() {
        return date
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .map_err(|e| format!("--since {t}: {e}"));
    }
    let words: Vec<&str> = t.trim_end_matches(" ago").split_whitespace().collect();
    let unit_secs = |u: &str| -> Option<i64> {
        let u = u.trim_end_matches('s');
        Some(match u {
            "day" => 86_400,
            "week" => 7 * 86_400,
            "month" => 30 * 86_400,
            "year" => 365 * 86_400,
            _ => return None,
        })
    };
    if let [n, unit] = words.as_slice()
        && let (Ok(n), Some(secs)) = (n.parse::<i64>(), unit_secs(unit))
    {
        return Ok(now - n * secs);
    }
    Err(format!(
        "--since `{t}` is not a date: write a date (2025-01-31), a time \
         (2025-01-31T12:00:00Z) or how long ago (90 days, 6 months, 1 year)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_durations() {
        let now = 1_700_000_000;
        assert_eq!(parse_since("2023-11-14", now), Ok(1_699_920_000));
        assert_eq!(parse_since("2023-11-14T22:13:20Z", now), Ok(now));
        assert_eq!(parse_since("2 days ago", now), Ok(now - 2 * 86_400));
        assert_eq!(parse_since("1 week", now), Ok(now - 7 * 86_400));
        let err = parse_since("yesterday", now).unwrap_err();
        assert!(err.contains("90 days"), "{err}");
    }
}
