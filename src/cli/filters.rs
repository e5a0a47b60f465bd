//! The filter flags → a [`RecordFilter`], or a usage error said on stderr.

use super::{RecordFilterArgs, WindowArgs, EXIT_USAGE};
use crate::filter::{grep_pattern, kind_named, parse_time, RecordFilter};
use crate::record::Severity;

/// The filter of `window` and `records` (`None`: no record flags, as for `commands`).
///
/// # Errors
/// A flag's value is not valid: the message is printed, the usage exit code returned.
pub(super) fn record_filter(
    window: &WindowArgs,
    records: Option<&RecordFilterArgs>,
) -> Result<RecordFilter, i32> {
    let usage = |flag: &str, e: String| {
        eprintln!("eblog: {flag}: {e}");
        EXIT_USAGE
    };
    let now = chrono::Utc::now();
    let time = |flag: &str, text: &Option<String>| match text {
        Some(text) => parse_time(text, now).map(Some).map_err(|e| usage(flag, e)),
        None => Ok(None),
    };
    let mut filter = RecordFilter {
        since: time("--since", &window.since)?,
        until: time("--until", &window.until)?,
        hosts: window.host.clone(),
        ..RecordFilter::default()
    };
    if let Some(pattern) = &window.grep {
        filter.grep = Some(grep_pattern(pattern).map_err(|e| usage("--grep", e))?);
    }
    let Some(records) = records else {
        return Ok(filter);
    };
    if let Some(level) = &records.level {
        filter.min_severity = Some(level.parse::<Severity>().map_err(|e| usage("--level", e))?);
    }
    for kind in &records.kind {
        filter
            .kinds
            .push(kind_named(kind.trim()).map_err(|e| usage("--kind", e))?);
    }
    filter.formats.clone_from(&records.only_format);
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_a_filter() {
        let window = WindowArgs {
            since: Some("2022-06-14".into()),
            until: None,
            host: vec!["i-0d7e".into()],
            grep: Some("install".into()),
        };
        let records = RecordFilterArgs {
            level: Some("WARNING".into()),
            kind: vec!["command_failed".into(), "error".into()],
            only_format: vec![crate::record::Format::Engine],
        };
        let filter = record_filter(&window, Some(&records)).unwrap();
        assert_eq!(filter.since, Some(1_655_164_800_000_000));
        assert_eq!(filter.min_severity, Some(Severity::Warn));
        assert_eq!(filter.kinds, vec!["command_failed", "error"]);
        assert_eq!(filter.formats, vec![crate::record::Format::Engine]);
        assert_eq!(filter.hosts, vec!["i-0d7e".to_owned()]);
        assert!(filter.grep.is_some_and(|re| re.is_match("INSTALL")));
    }

    #[test]
    fn bad_values_are_usage_errors() {
        let bad_time = WindowArgs {
            since: Some("2 fortnights".into()),
            ..WindowArgs::default()
        };
        assert_eq!(record_filter(&bad_time, None).err(), Some(EXIT_USAGE));
        let bad_level = RecordFilterArgs {
            level: Some("loud".into()),
            ..RecordFilterArgs::default()
        };
        assert_eq!(
            record_filter(&WindowArgs::default(), Some(&bad_level)).err(),
            Some(EXIT_USAGE)
        );
    }
}
