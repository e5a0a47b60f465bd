//! The web-tier logs: healthd application.log lines and daemon.log headers, nginx
//! access.log lines, error.log headers and messages, and web.stdout.log's syslog header,
//! on arbitrary bytes and on each of their lines.
#![no_main]

use eblog_fuzz::{
    assert_opt_within, assert_str_within, assert_suffix, assert_timestamp, assert_within,
    byte_lines, str_lines,
};
use eblog_grammars::{healthd, nginx, web_stdout};
use libfuzzer_sys::fuzz_target;

fn latency(value: Option<f64>) {
    if let Some(ms) = value {
        assert!(ms.is_finite() && ms >= 0.0, "latency {ms}");
    }
}

fn check_bytes(line: &[u8]) {
    if let Some(stat) = healthd::parse_appstat_line(line) {
        assert_within(line, stat.path.as_bytes(), "appstat path");
        if let Some(xff) = stat.forwarded_for {
            assert_within(line, xff.as_bytes(), "appstat xff");
        }
        latency(stat.request_time_ms);
        latency(stat.upstream_time_ms);
    }
    match healthd::parse_daemon_header(line) {
        Ok((rest, h)) => {
            assert_suffix(line, rest, "daemon rest");
            assert_within(line, h.level.as_bytes(), "daemon level");
            if let Some(p) = h.progname {
                assert_within(line, p.as_bytes(), "daemon progname");
            }
            assert_timestamp(&h.ts, "daemon ts");
        }
        Err(_) => assert!(!healthd::is_daemon_header(line)),
    }

    if let Some(a) = nginx::parse_access_line(line) {
        let text = std::str::from_utf8(line).expect("an access line's fields are UTF-8");
        assert_str_within(text, a.client, "access client");
        assert_str_within(text, a.request, "access request");
        for (what, field) in [
            ("user", a.user),
            ("method", a.method),
            ("path", a.path),
            ("protocol", a.protocol),
            ("referrer", a.referrer),
            ("user agent", a.user_agent),
            ("xff", a.forwarded_for),
        ] {
            assert_opt_within(text, field, what);
        }
        assert!(
            a.utc_offset_s.abs() < 100 * 3600,
            "utc offset {}",
            a.utc_offset_s
        );
        assert_timestamp(&a.ts, "access ts");
    }
    match nginx::parse_error_header(line) {
        Ok((rest, h)) => {
            assert_suffix(line, rest, "error rest");
            assert_timestamp(&h.ts, "error ts");
        }
        Err(_) => assert!(!nginx::is_error_header(line)),
    }

    match web_stdout::parse_header(line) {
        Ok((rest, h)) => {
            assert_suffix(line, rest, "syslog rest");
            assert_within(line, h.host.as_bytes(), "syslog host");
            assert_within(line, h.tag.as_bytes(), "syslog tag");
            assert!((1..=12).contains(&h.month));
            for year in [0, 1970, 2024, u16::MAX] {
                let ts = h.timestamp(year);
                assert_eq!(ts.year, year);
                assert_timestamp(&ts, "syslog ts");
            }
        }
        Err(_) => assert!(!web_stdout::is_header(line)),
    }
}

fn check_text(text: &str) {
    let m = nginx::parse_error_message(text);
    assert_str_within(text, m.text, "error text");
    assert_str_within(text, m.message, "error message");
    for (what, field) in [
        ("reason", m.reason),
        ("action", m.action),
        ("client", m.client),
        ("server", m.server),
        ("request", m.request),
        ("subrequest", m.subrequest),
        ("upstream", m.upstream),
        ("host", m.host),
        ("referrer", m.referrer),
    ] {
        assert_opt_within(text, field, what);
    }
}

fuzz_target!(|data: &[u8]| {
    for line in byte_lines(data) {
        check_bytes(line);
        if let Ok((rest, _)) = nginx::parse_error_header(line) {
            check_text(&String::from_utf8_lossy(rest));
        }
    }
    let text = String::from_utf8_lossy(data);
    for line in str_lines(&text) {
        check_text(line);
    }
});
