//! `/var/log/web.stdout.log`: the application's output through syslog (`Mon DD HH:MM:SS
//! host web[pid]: ...`), one record per line. Syslog stamps carry no year: the file's
//! context supplies it (docs/formats.md "web.stdout.log").

use super::DETECT_WINDOW;
use super::{ByName, Decoding, FileFacts, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::{Context, Found, Header};
use crate::time::rfc3339;
use eblog_grammars::web_stdout;

/// What web.stdout.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::WebStdout,
    name: "web-stdout",
    usual_path: "/var/log/web.stdout.log",
    by_name: ByName::Stems(&["web.stdout.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::OwnLine,
        line: web_stdout::is_header,
        fallback: None,
        // System syslogs (`messages`, `cron`, `secure`) share the layout, not the name.
        needs_name: true,
    }),
    framing: Framing {
        is_header: web_stdout::is_header,
        line_per_record: true,
        free_text: false,
        output_follows_run: false,
    },
    header,
    decode,
    context,
};

/// The year of the file's stamps: the first full date the application wrote in its first
/// lines, else the date in the file's (rotated or published) name, else the year it was
/// last written. A stamp whose month is later than that date's is from the year before.
fn context(ctx: &mut Context, facts: &FileFacts<'_>) {
    ctx.year = infer_year(facts.head)
        .or_else(|| facts.name.and_then(year_from_name))
        .or(facts.written);
}

fn header<'a>(bytes: &'a [u8], ctx: &Context) -> Option<Header<'a>> {
    let (message, h) = web_stdout::parse_header(bytes).ok()?;
    Some(Header {
        ts: syslog_ts(&h, ctx),
        pid: h.pid,
        message,
        ..Header::bare(bytes)
    })
}

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::web::app_output(d.bytes)
}

/// The stamp of a syslog line, with the year the context supplies.
fn syslog_ts(h: &web_stdout::SyslogHeader<'_>, ctx: &Context) -> Option<String> {
    let (year, month) = ctx.year?;
    let year = if u32::from(h.month) > month {
        year - 1
    } else {
        year
    };
    let ts = eblog_grammars::common::Timestamp {
        year: u16::try_from(year).ok()?,
        month: h.month,
        day: h.day,
        hour: h.hour,
        minute: h.minute,
        second: h.second,
        nanos: 0,
        fraction_digits: 0,
    };
    rfc3339(&ts, ctx.zone)
}

/// The year and month of the first `YYYY-MM-DD` date in the first [`DETECT_WINDOW`] bytes
/// of `buf`: applications write full dates inside their syslog lines.
pub fn infer_year(buf: &[u8]) -> Option<(i32, u32)> {
    static DATE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    // A constant pattern: compiling it cannot fail.
    let re = DATE.get_or_init(|| {
        regex::bytes::Regex::new(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-[0-3]\d")
            .expect("date pattern compiles")
    });
    let caps = re.captures(&buf[..buf.len().min(DETECT_WINDOW)])?;
    let number = |i: usize| {
        std::str::from_utf8(caps.get(i)?.as_bytes())
            .ok()?
            .parse()
            .ok()
    };
    Some((number(1)?, number(2)? as u32))
}

/// The year and month a rotated or published file's name says it was written: logrotate's
/// `web.stdout.log-20220915`, S3's `_var_log_web.stdout.log-1663180800.gz` (epoch
/// seconds). Used after the file's own dates and before its modification time.
pub fn year_from_name(path: &str) -> Option<(i32, u32)> {
    use chrono::Datelike;
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    name.split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .find_map(|run| match run.len() {
            8 => {
                let date = chrono::NaiveDate::parse_from_str(run, "%Y%m%d").ok()?;
                (2000..2100)
                    .contains(&date.year())
                    .then(|| (date.year(), date.month()))
            }
            10 => {
                let secs: i64 = run.parse().ok()?;
                let dt = chrono::DateTime::from_timestamp(secs, 0)?;
                (2010..2100)
                    .contains(&dt.year())
                    .then(|| (dt.year(), dt.month()))
            }
            _ => None,
        })
}
