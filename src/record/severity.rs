//! Normalised severity: the levels the formats write (`WARN`, `WARNING`, `warn`, nginx's
//! `crit`, Ruby's `ANY`, ...) on one scale, so that one filter (`--level warn`) and one
//! colour serve every format. `level` stays as written in the records; this is read
//! beside it.

use super::{Event, Record};
use serde::Serialize;
use std::fmt;

/// A normalised severity, least severe first (so `>=` means "at least as severe").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `TRACE`, java.util.logging's `FINER`/`FINEST`.
    Trace,
    /// `DEBUG`, `FINE`.
    Debug,
    /// `INFO`, nginx's `notice`, `CONFIG`.
    Info,
    /// `WARN`, `WARNING`.
    Warn,
    /// `ERROR`, `ERR`, `SEVERE`.
    Error,
    /// `FATAL`, `CRITICAL`, nginx's `crit`, `alert` and `emerg`, Ruby's `ANY` (its
    /// `Logger#unknown`, ranked above `FATAL` and always logged).
    Fatal,
}

impl Severity {
    /// Every severity, least severe first.
    pub const ALL: [Severity; 6] = [
        Severity::Trace,
        Severity::Debug,
        Severity::Info,
        Severity::Warn,
        Severity::Error,
        Severity::Fatal,
    ];

    /// The lowercase name (`warn`).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Trace => "trace",
            Severity::Debug => "debug",
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
            Severity::Fatal => "fatal",
        }
    }

    /// The severity of a level as a format writes it, in any case and with any padding
    /// (`"WARN "`, `warning`, `[ERROR]`); `None` for a word that names no level.
    ///
    /// ```
    /// use eblog::record::Severity;
    /// assert_eq!(Severity::from_level("WARNING"), Some(Severity::Warn));
    /// assert_eq!(Severity::from_level("crit"), Some(Severity::Fatal));
    /// assert_eq!(Severity::from_level("ANY  "), Some(Severity::Fatal));
    /// assert_eq!(Severity::from_level("hello"), None);
    /// ```
    pub fn from_level(level: &str) -> Option<Severity> {
        let word = level.trim().trim_matches(|c| c == '[' || c == ']').trim();
        let upper = word.to_ascii_uppercase();
        let severity = match upper.as_str() {
            "TRACE" | "FINER" | "FINEST" | "T" => Severity::Trace,
            "DEBUG" | "DBG" | "FINE" | "D" => Severity::Debug,
            "INFO" | "INFORMATION" | "NOTICE" | "CONFIG" | "I" | "N" => Severity::Info,
            "WARN" | "WARNING" | "W" => Severity::Warn,
            "ERROR" | "ERR" | "SEVERE" | "E" => Severity::Error,
            "FATAL" | "CRIT" | "CRITICAL" | "ALERT" | "EMERG" | "EMERGENCY" | "PANIC" | "ANY"
            | "UNKNOWN" | "F" | "C" => Severity::Fatal,
            _ => return None,
        };
        Some(severity)
    }

    /// The severity of a record: its level as written; for records whose format writes
    /// no level, what the record itself says (an HTTP request's status: 5xx `error`, 4xx
    /// `warn`, else `info`; an error record `error`); `None` when nothing says.
    pub fn of(record: &Record) -> Option<Severity> {
        if let Some(severity) = record.level.as_deref().and_then(Severity::from_level) {
            return Some(severity);
        }
        match &record.event {
            Event::HttpRequest {
                status: Some(status),
                ..
            } => Some(match status {
                500.. => Severity::Error,
                400..=499 => Severity::Warn,
                _ => Severity::Info,
            }),
            Event::Error { .. } | Event::CommandFailed { .. } | Event::ActivityError { .. } => {
                Some(Severity::Error)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;

    /// A severity's name (`warn`) or any level a format writes (`WARNING`, `crit`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Severity::from_level(text).ok_or_else(|| {
            format!("{text:?} is not a level: expected trace, debug, info, warn, error or fatal")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_the_formats_write_has_a_severity() {
        // As written: cfn-hup (Python logging), the Ruby loggers (padded to 5), the
        // engine, nginx's error log.
        let cases = [
            ("DEBUG", Severity::Debug),
            ("INFO ", Severity::Info),
            ("WARN ", Severity::Warn),
            ("WARNING", Severity::Warn),
            ("warn", Severity::Warn),
            ("ERROR", Severity::Error),
            ("error", Severity::Error),
            ("FATAL", Severity::Fatal),
            ("ANY  ", Severity::Fatal),
            ("CRITICAL", Severity::Fatal),
            ("notice", Severity::Info),
            ("crit", Severity::Fatal),
            ("alert", Severity::Fatal),
            ("emerg", Severity::Fatal),
            ("[ERROR]", Severity::Error),
            ("SEVERE", Severity::Error),
            ("trace", Severity::Trace),
        ];
        for (level, expected) in cases {
            assert_eq!(Severity::from_level(level), Some(expected), "{level:?}");
        }
        assert_eq!(Severity::from_level(""), None);
        assert_eq!(Severity::from_level("Running"), None);
    }

    #[test]
    fn severities_order_from_trace_to_fatal() {
        let mut sorted = Severity::ALL;
        sorted.sort();
        assert_eq!(sorted, Severity::ALL);
        assert!(Severity::Error >= Severity::Warn);
        assert_eq!("WARNING".parse::<Severity>(), Ok(Severity::Warn));
        assert!("loud".parse::<Severity>().is_err());
    }

    #[test]
    fn records_without_a_level_take_it_from_what_they_say() {
        let mut record = crate::record::test_record(1, None, Event::Other, "GET / 502");
        record.level = None;
        assert_eq!(Severity::of(&record), None);
        record.event = Event::Error {
            error: "boom".into(),
            exception: None,
            detail: None,
            traceback: Vec::new(),
        };
        assert_eq!(Severity::of(&record), Some(Severity::Error));
        record.level = Some("WARN".into());
        assert_eq!(
            Severity::of(&record),
            Some(Severity::Warn),
            "the level wins"
        );
    }
}
