//! The web tier beside the agents → events: nginx's access and error logs, healthd's
//! request log and the application's web.stdout.log (docs/formats.md "The web tier").

use super::{Found, Message};
use crate::record::Event;
use crate::time::{rfc3339_from_epoch_ms, rfc3339_with_offset};
use eblog_grammars::healthd::{parse_appstat_line, Proxy};
use eblog_grammars::nginx::{parse_access_line, parse_error_message, UpstreamProblem};

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_owned)
}

/// One healthd application.log line (the whole record).
pub(crate) fn healthd(line: &str) -> Found {
    let Some(l) = parse_appstat_line(line.as_bytes()) else {
        return Event::Other.into();
    };
    let digits = match l.precision {
        Proxy::Nginx => 3,
        Proxy::Apache => 0,
    };
    Found {
        event: Event::HttpRequest {
            client: None,
            method: None,
            path: Some(l.path.to_owned()),
            request: None,
            status: l.status,
            body_bytes: None,
            request_time_ms: l.request_time_ms,
            upstream_time_ms: l.upstream_time_ms,
            referrer: None,
            user_agent: None,
            forwarded_for: owned(l.forwarded_for),
        },
        instance_id: None,
        ts: rfc3339_from_epoch_ms(l.epoch_ms, digits),
    }
}

/// One nginx access.log line (the whole record).
pub(crate) fn access(line: &str) -> Found {
    let Some(l) = parse_access_line(line.as_bytes()) else {
        return Event::Other.into();
    };
    Found {
        event: Event::HttpRequest {
            client: Some(l.client.to_owned()),
            method: owned(l.method),
            path: owned(l.path),
            request: Some(l.request.to_owned()),
            status: Some(l.status),
            body_bytes: l.bytes,
            request_time_ms: None,
            upstream_time_ms: None,
            referrer: owned(l.referrer),
            user_agent: owned(l.user_agent),
            forwarded_for: owned(l.forwarded_for),
        },
        instance_id: None,
        ts: rfc3339_with_offset(&l.ts, l.utc_offset_s),
    }
}

/// One nginx error.log record.
pub(crate) fn error(msg: &Message<'_>) -> Found {
    let m = parse_error_message(msg.first);
    Event::ProxyError {
        error: m.message.to_owned(),
        errno: m.errno,
        reason: owned(m.reason),
        upstream_problem: m.upstream_problem.map(|p| match p {
            UpstreamProblem::ConnectFailed => "connect_failed",
            UpstreamProblem::PrematurelyClosed => "prematurely_closed",
            UpstreamProblem::TimedOut => "timed_out",
            UpstreamProblem::Reset => "reset",
            UpstreamProblem::NoLiveUpstreams => "no_live_upstreams",
            UpstreamProblem::Other => "other",
        }),
        client: owned(m.client),
        request: owned(m.request),
        upstream: owned(m.upstream),
        host: owned(m.host),
    }
    .into()
}

/// One web.stdout.log line: the syslog header's host and tag, the text as the message.
pub(crate) fn app_output(bytes: &[u8]) -> Found {
    match eblog_grammars::web_stdout::parse_header(bytes) {
        Ok((_, h)) => Event::AppOutput {
            host: h.host.to_owned(),
            program: h.tag.to_owned(),
        }
        .into(),
        Err(_) => Event::Other.into(),
    }
}

/// The event of an application log line (`app-log`): `app_output`, the program named by
/// the file (`nodejs`, `catalina`, `web-1`, the container's log name).
pub(crate) fn app_log(source: &str) -> Found {
    let file = source.rsplit(['/', '!']).next().unwrap_or(source);
    let program = file
        .split_once('.')
        .map_or(file, |(stem, _)| stem)
        .trim_end_matches("-stdouterr");
    Event::AppOutput {
        host: String::new(),
        program: program.to_owned(),
    }
    .into()
}

/// The time a line of an application log starts with (or names in a logfmt `time=`
/// field), as RFC 3339 UTC: ISO 8601 (`2020-08-16T10:06:22.455429499Z`, Spring's
/// `2022-04-05 03:20:31.002`, taken as UTC without an offset), Tomcat's
/// `13-Jul-2021 15:08:21.853`, Puma's `[3122] 2022-04-05 ...`.
pub(crate) fn leading_stamp(bytes: &[u8]) -> Option<String> {
    static STAMP: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        // A constant pattern: compiling it cannot fail.
        regex::bytes::Regex::new(
            r"^(?:\[\d+\] |\[|level=\w+ time=|time=)?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)",
        )
        .expect("valid regex")
    });
    let caps = STAMP.captures(bytes)?;
    let text = std::str::from_utf8(caps.get(1)?.as_bytes()).ok()?;
    let utc = if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(&text.replacen(' ', "T", 1)) {
        dt.with_timezone(&chrono::Utc)
    } else {
        let forms = [
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S,%3f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%d-%b-%Y %H:%M:%S%.f",
        ];
        let naive = forms.iter().find_map(|f| {
            chrono::DateTime::parse_from_str(text, f)
                .map(|d| d.naive_utc())
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, f))
                .ok()
        })?;
        naive.and_utc()
    };
    Some(utc.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

#[cfg(test)]
mod app_log_tests {
    use super::*;

    #[test]
    fn stamps_of_application_logs() {
        let cases = [
            (
                "2020-08-16T10:06:22.455429499Z container die 4f2a (image=app)",
                Some("2020-08-16T10:06:22.455429499Z"),
            ),
            (
                "13-Jul-2021 15:08:21.853 SEVERE [main] org.apache.catalina.startup",
                Some("2021-07-13T15:08:21.853Z"),
            ),
            (
                "2022-04-05 03:20:31.002  INFO 3122 --- [main] o.s.b.Application",
                Some("2022-04-05T03:20:31.002Z"),
            ),
            (
                "level=info time=2020-08-16T10:05:53Z msg=\"Loading configuration\"",
                Some("2020-08-16T10:05:53Z"),
            ),
            (
                "[2025-01-09 10:02:06 +0000] [1803] [INFO] Handling",
                Some("2025-01-09T10:02:06Z"),
            ),
            ("> photo-share@1.4.0 start", None),
            ("2022-13-45 99:99:99 not a date", None),
        ];
        for (line, want) in cases {
            assert_eq!(leading_stamp(line.as_bytes()).as_deref(), want, "{line}");
        }
        match app_log("b.zip!/var/log/containers/web-4f2a9c0d1e7b-stdouterr.log").event {
            Event::AppOutput { program, .. } => assert_eq!(program, "web-4f2a9c0d1e7b"),
            other => panic!("{other:?}"),
        }
    }
}
