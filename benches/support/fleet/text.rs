//! Text the generator writes in many places: JSON escaping, civil dates and the time
//! stamp of every format.

use super::*;

/// Escapes `s` as the body of a JSON string.
pub(crate) fn json_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------

pub(crate) const SEC: i64 = 1_000_000;
pub(crate) const MIN: i64 = 60 * SEC;
pub(crate) const HOUR: i64 = 60 * MIN;
pub(crate) const DAY: i64 = 24 * HOUR;
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tm {
    pub(crate) y: u64,
    pub(crate) mo: u64,
    pub(crate) d: u64,
    pub(crate) h: u64,
    pub(crate) mi: u64,
    pub(crate) s: u64,
    pub(crate) us: u64,
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u64, u64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

pub(crate) fn days_from_civil(y: i64, m: u64, d: u64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn tm(us: i64) -> Tm {
    let secs = us.div_euclid(SEC);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u64;
    let (y, mo, d) = civil_from_days(days);
    Tm {
        y: y as u64,
        mo,
        d,
        h: sod / 3600,
        mi: sod / 60 % 60,
        s: sod % 60,
        us: us.rem_euclid(SEC) as u64,
    }
}

pub(crate) fn ymd(v: &mut Vec<u8>, t: &Tm, sep: &str) {
    v.z(t.y, 4).s(sep).z(t.mo, 2).s(sep).z(t.d, 2);
}

pub(crate) fn hms(v: &mut Vec<u8>, t: &Tm) {
    v.z(t.h, 2).s(":").z(t.mi, 2).s(":").z(t.s, 2);
}

/// `2019-05-14 06:59:14,602` (Python logging, cfn-*).
pub(crate) fn ts_py(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s(" ");
    hms(v, &t);
    v.s(",").z(t.us / 1000, 3);
}

/// `2019-05-14T06:58:41.207Z` (Ruby logger, eb-cfn-init script messages, node apps).
pub(crate) fn ts_iso_ms(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s("T");
    hms(v, &t);
    v.s(".").z(t.us / 1000, 3).s("Z");
}

/// `2022/06/14 09:12:03.418207` (eb-engine.log).
pub(crate) fn ts_engine(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "/");
    v.s(" ");
    hms(v, &t);
    v.s(".").z(t.us, 6);
}

/// `2022/09/14 17:50:58` (nginx error.log).
pub(crate) fn ts_nginx_err(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "/");
    v.s(" ");
    hms(v, &t);
}

/// `14/Sep/2022:18:00:03 +0000` (nginx access.log).
pub(crate) fn ts_access(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    v.z(t.d, 2)
        .s("/")
        .s(MONTHS[t.mo as usize - 1])
        .s("/")
        .z(t.y, 4)
        .s(":");
    hms(v, &t);
    v.s(" +0000");
}

/// `Sep 14 17:51:06` / `Sep  4 17:51:06` (syslog, web.stdout.log).
pub(crate) fn ts_syslog(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    v.s(MONTHS[t.mo as usize - 1]).s(" ");
    if t.d < 10 {
        v.s(" ");
    }
    v.n(t.d).s(" ");
    hms(v, &t);
}

/// `1663178403.207` (healthd application.log, nginx `$msec`).
pub(crate) fn ts_msec(v: &mut Vec<u8>, us: i64) {
    v.n((us / SEC) as u64).s(".").z((us % SEC / 1000) as u64, 3);
}

/// `2022-09-14T17:51:01.318204` (Ruby default Logger::Formatter, healthd daemon.log).
pub(crate) fn ts_ruby6(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s("T");
    hms(v, &t);
    v.s(".").z(t.us, 6);
}

/// `2022-09-14 18:00:41` (gunicorn / Spring Boot).
pub(crate) fn ts_plain(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s(" ");
    hms(v, &t);
}

pub(crate) fn ms_of(us: i64) -> u64 {
    (us / 1000) as u64
}
