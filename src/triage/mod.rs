//! Decisions made after the analysis: people's suppressions, the comparison with a previous run,
//! and the CI gate.

pub mod baseline;
pub mod suppressions;

use crate::threats::{Level, Novelty, Status, Threat};

/// Open threats at or above `level` that fail a `--fail-on` gate: with a baseline, only new ones.
pub fn gate_failures(threats: &[Threat], level: Level, baseline_given: bool) -> Vec<&Threat> {
    threats
        .iter()
        .filter(|t| t.status == Status::Open && t.severity >= level)
        .filter(|t| !baseline_given || t.novelty.is_some_and(Novelty::is_new_risk))
        .collect()
}

/// Which threats the outputs show (`--min-severity`, `--status`). The gate and the baseline
/// comparison see every threat: a filter changes what a reader sees, never what fails a build.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub min_severity: Option<Level>,
    /// Empty: every status.
    pub statuses: Vec<Status>,
}

impl Shown {
    pub fn keeps(&self, threat: &Threat) -> bool {
        self.min_severity.is_none_or(|level| threat.severity >= level)
            && (self.statuses.is_empty() || self.statuses.contains(&threat.status))
    }
}

/// Today's date as `YYYY-MM-DD` (UTC), or `DFD_THREATS_TODAY` when set, so that builds that must
/// be reproducible can pin the date suppressions expire against.
pub fn today() -> String {
    if let Ok(date) = std::env::var("DFD_THREATS_TODAY") {
        if is_date(&date) {
            return date;
        }
    }
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whether `text` is a `YYYY-MM-DD` date.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_819), (2027, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert!(is_date("2026-11-26"));
        assert!(!is_date("2026-1-26"));
    }
}
