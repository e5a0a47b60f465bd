//! The web tier beside the agents → events: nginx's access and error logs, healthd's
//! request log and the application's web.stdout.log (FORMATS.md §4).

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
