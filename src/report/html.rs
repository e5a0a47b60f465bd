//! The self-contained HTML deploy-timeline report (`eblog commands --html`).
//!
//! [`render`] turns command executions into one HTML5 document that needs nothing but a
//! browser: inline CSS, a few lines of inline JavaScript (expand/collapse, a
//! failures-only filter) and no external URL of any kind. Everything is laid out on the
//! server side: a header with counts by status and the time span, a timeline with one
//! lane per host/instance and one bar per execution, and for each execution a
//! collapsible section with its facts, error text and a waterfall of its steps.
//!
//! Test markers: the root element carries `data-eblog-report="ok"` and
//! `data-executions="N"`; the script at the end of the body sets
//! `document.body.dataset.rendered = "ok"`, and a `window.onerror` handler installed
//! first writes any script error into `document.body.dataset.jsError`.

use crate::correlate::{Execution, Status, Step};
use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// Statuses in the order the header and legend list them.
const STATUS_ORDER: [Status; 6] = [
    Status::Failure,
    Status::Timeout,
    Status::Incomplete,
    Status::Running,
    Status::Success,
    Status::Skipped,
];
/// The shortest timeline span drawn, in microseconds, so one instant still has a width.
const MIN_SPAN_US: i64 = 1_000_000;
/// Height of one row of bars in a timeline lane, in pixels.
const LANE_ROW_PX: usize = 24;
/// The narrowest a bar is assumed to be when packing bars into rows (percent of the
/// track), so bars drawn at their minimum width do not overlap.
const MIN_BAR_PCT: f64 = 0.3;
/// A lane stacks overlapping bars into at most this many rows; beyond, bars overlap.
const MAX_LANE_ROWS: usize = 8;
/// Bars at least this wide (percent of the track) are labelled with their command.
const BAR_LABEL_MIN_PCT: f64 = 4.0;
/// Error text beyond this many bytes is cut.
const ERROR_TEXT_LIMIT: usize = 64 * 1024;
/// Step output beyond this many bytes is cut.
const STEP_OUTPUT_LIMIT: usize = 16 * 1024;
/// At most this many failed executions start expanded.
const OPEN_FAILURES_LIMIT: usize = 10;
/// Steps nested deeper than this are not drawn (the correlator never nests this deep).
const MAX_STEP_DEPTH: usize = 64;
/// Once the page holds this many bytes, later executions get no detailed section (a note
/// says how many were left out): a 200 MB log must not make a 400 MB page.
pub const PAGE_DETAIL_LIMIT: usize = 16 * 1024 * 1024;
/// The step outputs of one execution embed at most this many bytes in all.
pub const EXEC_OUTPUT_LIMIT: usize = 256 * 1024;
/// At most this many steps of one execution are drawn.
pub const MAX_STEP_ROWS: usize = 500;

/// Renders `executions` as one self-contained HTML5 document titled `title`.
///
/// The page holds a header (title, counts by status, time span), a timeline with one
/// lane per host/instance and one bar per execution placed by its start and end
/// (failures red, timeouts orange, incomplete grey-striped, success green, skipped light
/// grey), and a collapsible section per execution with its command, id, times, status,
/// failed step, error text and its steps as a waterfall of bars proportional to their
/// durations. Executions without times are listed but get no bar. An empty slice
/// renders a page saying no command executions were found. All text is HTML-escaped and
/// the document references no external resource.
pub fn render(executions: &[Execution], title: &str) -> String {
    let report = Report::new(executions);
    let mut out = String::with_capacity(16 * 1024 + executions.len() * 4 * 1024);
    // `fmt::Write` for `String` never returns an error, so there is nothing to handle.
    let _ = page(&mut out, &report, title);
    out
}

/// [`render`], with each execution's diagnosis (`diagnoses[i]` for `executions[i]`, as
/// `eblog diagnose` prints it) at the top of its section, escaped and cut like the error
/// text.
pub fn render_with_diagnoses(
    executions: &[Execution],
    diagnoses: &[Option<String>],
    title: &str,
) -> String {
    let mut page = render(executions, title);
    for (index, text) in diagnoses.iter().enumerate() {
        let Some(text) = text else { continue };
        let Some(section) = page.find(&format!(" id=\"exec-{index}\" ")) else {
            continue;
        };
        let body = "<div class=\"exec-body\">\n";
        let Some(at) = page[section..].find(body).map(|i| section + i + body.len()) else {
            continue;
        };
        let (cut, truncated) = truncate(text.trim_end(), ERROR_TEXT_LIMIT);
        let block = format!(
            "<h4>Diagnosis</h4>\n<pre class=\"error diagnosis\">{}{}</pre>\n",
            esc(cut),
            if truncated { "\n[...]" } else { "" }
        );
        page.insert_str(at, &block);
    }
    page
}

// ----------------------------------------------------------------------------------------
// The view: executions grouped into lanes, with their times resolved.

/// Start and end of something, in microseconds since the epoch, where known.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Interval {
    start: Option<i64>,
    end: Option<i64>,
}

/// One execution as the report places it.
struct Entry<'a> {
    exec: &'a Execution,
    /// Position in the input: the anchor `exec-N` links to its section.
    index: usize,
    span: Interval,
}

/// The executions of one host/instance, earliest first (those without times last).
struct Lane<'a> {
    host: &'a str,
    instance: Option<&'a str>,
    entries: Vec<Entry<'a>>,
}

/// Everything the page is drawn from.
struct Report<'a> {
    total: usize,
    lanes: Vec<Lane<'a>>,
    /// The timeline's extent (padded), when any execution has a time.
    axis: Option<Axis>,
    /// The first start and last end, unpadded, for the header.
    span: Option<(i64, i64)>,
}

impl<'a> Report<'a> {
    fn new(executions: &'a [Execution]) -> Self {
        let mut groups: BTreeMap<(&'a str, Option<&'a str>), Vec<Entry<'a>>> = BTreeMap::new();
        for (index, exec) in executions.iter().enumerate() {
            let entry = Entry {
                exec,
                index,
                span: exec_interval(exec),
            };
            groups
                .entry((exec.host.as_str(), exec.instance_id.as_deref()))
                .or_default()
                .push(entry);
        }
        let lanes: Vec<Lane<'a>> = groups
            .into_iter()
            .map(|((host, instance), mut entries)| {
                entries.sort_by_key(|e| {
                    (
                        e.span.start.or(e.span.end).is_none(),
                        e.span.start.or(e.span.end),
                        e.index,
                    )
                });
                Lane {
                    host,
                    instance,
                    entries,
                }
            })
            .collect();
        let span = overall_span(&lanes);
        Report {
            total: executions.len(),
            lanes,
            axis: span.map(|(a, b)| Axis::padded(a, b)),
            span,
        }
    }

    fn count(&self, status: Status) -> usize {
        self.entries().filter(|e| e.exec.status == status).count()
    }

    fn entries(&self) -> impl Iterator<Item = &Entry<'a>> {
        self.lanes.iter().flat_map(|lane| lane.entries.iter())
    }
}

/// The earliest and latest instant of any execution.
fn overall_span(lanes: &[Lane<'_>]) -> Option<(i64, i64)> {
    let instants = lanes
        .iter()
        .flat_map(|lane| lane.entries.iter())
        .flat_map(|e| [e.span.start, e.span.end])
        .flatten();
    instants.fold(None, |acc, t| match acc {
        None => Some((t, t)),
        Some((lo, hi)) => Some((lo.min(t), hi.max(t))),
    })
}

/// Parses an RFC 3339 timestamp into microseconds since the epoch.
fn parse_us(ts: Option<&str>) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(ts?)
        .ok()
        .map(|dt| dt.timestamp_micros())
}

/// Milliseconds to microseconds, saturating.
fn ms_to_us(ms: i64) -> i64 {
    ms.saturating_mul(1000)
}

/// An execution's start and end: the internal microseconds, else the RFC 3339 strings,
/// else start plus duration. An end before the start is clamped to the start.
fn exec_interval(e: &Execution) -> Interval {
    let start = e.start_us.or_else(|| parse_us(e.started.as_deref()));
    let end = e
        .end_us
        .or_else(|| parse_us(e.finished.as_deref()))
        .or_else(|| Some(start?.saturating_add(ms_to_us(e.duration_ms?))));
    Interval {
        start,
        end: end.map(|end| start.map_or(end, |s| end.max(s))),
    }
}

/// An execution's duration in milliseconds: as recorded, else from its interval.
fn exec_duration_ms(e: &Execution, span: Interval) -> Option<i64> {
    e.duration_ms
        .or_else(|| Some(span.end?.saturating_sub(span.start?) / 1000))
}

/// A step's start in microseconds, where known.
fn step_start_us(step: &Step) -> Option<i64> {
    step.start_us.or_else(|| parse_us(step.started.as_deref()))
}

/// A step's duration in microseconds: as recorded, else from its internal end.
fn step_duration_us(step: &Step) -> Option<i64> {
    step.duration_ms
        .map(ms_to_us)
        .or_else(|| Some(step.end_us?.saturating_sub(step_start_us(step)?)))
        .map(|d| d.max(0))
}

// ----------------------------------------------------------------------------------------
// The time axis.

/// The timeline's extent and its tick marks.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    start: i64,
    end: i64,
}

/// Tick intervals to choose from, in seconds: 1 s up to a year.
const TICK_STEPS_S: [i64; 22] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    172_800, 604_800, 2_592_000, 31_536_000,
];
/// Aim for at most this many ticks.
const MAX_TICKS: i64 = 10;

impl Axis {
    /// The extent `start..end` widened to at least [`MIN_SPAN_US`] and padded by 2% on
    /// each side so bars do not touch the edges.
    fn padded(start: i64, end: i64) -> Self {
        let span = end.saturating_sub(start).max(MIN_SPAN_US);
        let pad = span / 50;
        let start = start.saturating_sub(pad);
        Axis {
            start,
            end: start.saturating_add(span).saturating_add(2 * pad),
        }
    }

    fn len(&self) -> i64 {
        self.end.saturating_sub(self.start).max(1)
    }

    /// Where `t` lies on the axis, in percent.
    fn pct(&self, t: i64) -> f64 {
        (t.saturating_sub(self.start)) as f64 * 100.0 / self.len() as f64
    }

    /// A length in microseconds as percent of the axis.
    fn pct_len(&self, d: i64) -> f64 {
        d.max(0) as f64 * 100.0 / self.len() as f64
    }

    /// The tick interval in microseconds: the smallest that needs at most
    /// [`MAX_TICKS`] ticks.
    fn tick_step(&self) -> i64 {
        let len = self.len();
        TICK_STEPS_S
            .iter()
            .map(|s| s * 1_000_000)
            .find(|step| len / step <= MAX_TICKS)
            .unwrap_or_else(|| (len / MAX_TICKS).max(1))
    }

    /// Tick instants: the multiples of the tick step (UTC-aligned) inside the axis.
    fn ticks(&self) -> Vec<i64> {
        let step = self.tick_step();
        let first = self
            .start
            .div_euclid(step)
            .saturating_add(1)
            .saturating_mul(step);
        let mut ticks = Vec::new();
        let mut t = first;
        while t <= self.end && ticks.len() as i64 <= MAX_TICKS * 2 {
            ticks.push(t);
            t = t.saturating_add(step);
        }
        ticks
    }

    /// The strftime format for tick labels, by tick step and span.
    fn tick_format(&self) -> &'static str {
        let step = self.tick_step();
        let multi_day = date_of(self.start) != date_of(self.end);
        if step >= 86_400_000_000 {
            "%Y-%m-%d"
        } else if multi_day {
            "%m-%d %H:%M"
        } else if step >= 60_000_000 {
            "%H:%M"
        } else {
            "%H:%M:%S"
        }
    }
}

/// The UTC calendar date of an instant, for comparing days.
fn date_of(us: i64) -> Option<chrono::NaiveDate> {
    chrono::DateTime::from_timestamp_micros(us).map(|dt| dt.date_naive())
}

/// Formats an instant with a strftime format, in UTC.
fn fmt_instant(us: i64, format: &str) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .map(|dt| dt.format(format).to_string())
        .unwrap_or_else(|| "?".to_owned())
}

/// An instant as `2019-03-04 17:22:05Z`.
fn fmt_time(us: i64) -> String {
    fmt_instant(us, "%Y-%m-%d %H:%M:%SZ")
}

/// A duration in milliseconds as `850 ms`, `12.3 s`, `4m 05s`, `2h 07m` or `3d 04h`.
fn fmt_duration_ms(ms: i64) -> String {
    match ms {
        ms if ms < 0 => "?".to_owned(),
        ms if ms < 1000 => format!("{ms} ms"),
        ms if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        ms if ms < 3_600_000 => format!("{}m {:02}s", ms / 60_000, ms / 1000 % 60),
        ms if ms < 86_400_000 => format!("{}h {:02}m", ms / 3_600_000, ms / 60_000 % 60),
        ms => format!("{}d {:02}h", ms / 86_400_000, ms / 3_600_000 % 24),
    }
}

// ----------------------------------------------------------------------------------------
// Escaping and small pieces.

/// HTML-escapes text for element content and quoted attribute values. Control
/// characters other than tab, newline and carriage return become U+FFFD.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to at most `limit` bytes (at a character boundary), and whether it was cut.
fn truncate(text: &str, limit: usize) -> (&str, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (&text[..cut], true)
}

/// The CSS class that colours a status.
fn status_class(status: Status) -> &'static str {
    match status {
        Status::Success => "st-success",
        Status::Failure => "st-failure",
        Status::Timeout => "st-timeout",
        Status::Incomplete | Status::Running => "st-incomplete",
        Status::Skipped => "st-skipped",
    }
}

/// `st-… bad` for failed or timed-out statuses, `st-…` otherwise.
fn status_classes(status: Status) -> String {
    if status.is_failure() {
        format!("{} bad", status_class(status))
    } else {
        status_class(status).to_owned()
    }
}

/// A percentage for inline styles.
fn pct(v: f64) -> String {
    format!("{:.3}%", v.clamp(0.0, 100.0))
}

/// "1 execution" / "3 executions".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

// ----------------------------------------------------------------------------------------
// The page.

/// Installed before anything else: records script errors for headless checks.
const ONERROR_JS: &str = "window.onerror=function(m,s,l,c){var t=String(m)+' ('+l+':'+c+')';\
if(document.body){document.body.dataset.jsError=t;}\
else{document.documentElement.setAttribute('data-js-error',t);}};";

/// Expand/collapse, the failures-only filter, opening the section a bar links to, and
/// the rendered marker.
const PAGE_JS: &str = r#"(function(){
var all=function(s){return Array.prototype.slice.call(document.querySelectorAll(s));};
function openHash(){var id=location.hash.slice(1);if(!id){return;}
var el=document.getElementById(id);if(el&&el.tagName==='DETAILS'){el.open=true;}}
window.addEventListener('hashchange',openHash);openHash();
all('[data-act]').forEach(function(b){b.addEventListener('click',function(){
var open=b.getAttribute('data-act')==='expand';
all('details.exec').forEach(function(d){d.open=open;});});});
var f=document.getElementById('only-failures');
if(f){f.addEventListener('change',function(){document.body.classList.toggle('only-failures',f.checked);});}
all('.controls').forEach(function(c){c.hidden=false;});
document.body.dataset.rendered='ok';
})();"#;

/// The stylesheet. Status colours: failure red, timeout orange, incomplete grey-striped,
/// success green, skipped light grey.
const CSS: &str = r#"
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;
--c-success:#2da44e;--c-failure:#cf222e;--c-timeout:#e8730c;--c-skipped:#d8dee4;--c-incomplete:#8c959f}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{padding:16px 24px}
header{border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:22px;margin:0 0 6px;overflow-wrap:anywhere}
h2{font-size:17px;margin:18px 0 8px}
h3{font-size:15px;margin:18px 0 6px;overflow-wrap:anywhere}
h3 .inst{color:var(--muted);font-weight:normal}
h4{font-size:13px;margin:12px 0 4px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.summary{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}
.span{color:var(--muted)}
.chip,.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.chip.total{background:#fff;border:1px solid var(--line)}
.st-success{--c:var(--c-success);--t:#fff}
.st-failure{--c:var(--c-failure);--t:#fff}
.st-timeout{--c:var(--c-timeout);--t:#fff}
.st-skipped{--c:var(--c-skipped);--t:#1f2328}
.st-incomplete{--c:var(--c-incomplete);--t:#1f2328}
.chip[class*=st-],.badge{background:var(--c);color:var(--t)}
.bar.st-incomplete,.wf-bar.st-incomplete,.legend .st-incomplete i{
background:repeating-linear-gradient(135deg,#8c959f 0 4px,#d0d7de 4px 8px)}
.st-incomplete.chip,.st-incomplete.badge{
background:repeating-linear-gradient(135deg,#d0d7de 0 4px,#eef1f4 4px 8px);box-shadow:inset 0 0 0 1px #8c959f}
.controls{margin-top:8px;display:flex;gap:10px;align-items:center}
.controls[hidden]{display:none}
button{font:inherit;font-size:12px;padding:2px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
.legend{display:flex;flex-wrap:wrap;gap:14px;color:var(--muted);font-size:12px;margin-bottom:8px}
.legend i{display:inline-block;width:18px;height:10px;border-radius:2px;margin-right:5px;vertical-align:middle;background:var(--c)}
.empty{font-size:16px;color:var(--muted);padding:40px 0}
.tl{border:1px solid var(--line);border-radius:6px}
.tl-row{display:grid;grid-template-columns:240px 1fr;border-top:1px solid var(--line)}
.tl-row:first-child{border-top:0}
.tl-axis{position:sticky;top:0;z-index:2;background:var(--panel)}
.lane-label{padding:4px 10px;border-right:1px solid var(--line);font-size:12px;overflow-wrap:anywhere}
.lane-label b{display:block;font-size:13px}
.lane-label .inst,.lane-label .n{color:var(--muted);display:block}
.track{position:relative;margin:0 12px}
.axis{height:26px}
.tick{position:absolute;top:5px;transform:translateX(-50%);font-size:11px;color:var(--muted);white-space:nowrap}
.grid{position:absolute;top:0;bottom:0;border-left:1px dashed #e4e8ec}
.bar{position:absolute;height:18px;min-width:3px;border-radius:3px;background:var(--c);color:var(--t);
font-size:11px;line-height:18px;padding:0 4px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;text-decoration:none;
box-shadow:inset 0 0 0 1px rgba(0,0,0,.12)}
.bar:hover{box-shadow:0 0 0 2px #0969da;z-index:1}
.bar.open{min-width:10px;border-right:3px dotted var(--fg)}
.untimed{grid-column:2;padding:2px 12px 6px;font-size:12px;color:var(--muted)}
.untimed a{margin-right:8px}
a{color:#0969da}
details.exec{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:6px;margin:6px 0;background:#fff}
details.exec.st-incomplete{border-left-style:dashed}
details.exec>summary{cursor:pointer;padding:6px 10px;display:flex;flex-wrap:wrap;gap:10px;align-items:baseline}
details.exec[open]>summary{border-bottom:1px solid var(--line);background:var(--panel)}
.cmd{font-weight:600;overflow-wrap:anywhere}
.when,.dur{color:var(--muted);font-variant-numeric:tabular-nums}
.fstep{color:var(--c-failure);overflow-wrap:anywhere}
.exec-body{padding:8px 14px 12px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}
pre{margin:4px 0;padding:8px 10px;background:var(--panel);border:1px solid var(--line);border-radius:6px;
white-space:pre-wrap;overflow-wrap:anywhere;max-height:420px;overflow:auto;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.error{border-color:#ffcecb;background:#ffebe9}
.cut{color:var(--muted);font-size:12px}
.wf{border:1px solid var(--line);border-radius:6px;overflow:hidden}
.wf-row{display:grid;grid-template-columns:minmax(220px,32%) 1fr 80px;align-items:center;border-top:1px solid #eef1f4;font-size:12px}
.wf-row:first-child{border-top:0}
.wf-row.bad{background:#fff5f5}
.wf-name{padding:3px 8px;display:flex;align-items:baseline;min-width:0;white-space:nowrap}
.nm{overflow:hidden;text-overflow:ellipsis}
.wf-row.bad .wf-name{color:var(--c-failure);font-weight:600}
.kind{flex:none;width:84px;overflow:hidden;text-overflow:ellipsis;color:var(--muted);font-weight:normal;font-size:11px}
.exit{flex:none;color:var(--c-failure);margin-left:6px}
.wf-track{position:relative;height:18px;margin:0 8px}
.wf-bar{position:absolute;top:3px;height:12px;min-width:2px;border-radius:2px;background:var(--c)}
.wf-bar.nodur{background:none;border-left:2px solid var(--c);height:12px}
.wf-dur{padding-right:8px;text-align:right;color:var(--muted);font-variant-numeric:tabular-nums}
.wf-out{grid-column:1/-1;padding:0 8px 4px 8px}
.wf-out summary{cursor:pointer;color:var(--muted);font-size:11px}
table.events{border-collapse:collapse;font-size:12px}
table.events td{padding:2px 8px;border-top:1px solid #eef1f4;vertical-align:top;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
body.only-failures details.exec:not(.bad),body.only-failures .lane-execs:not(:has(.bad)){display:none}
body.only-failures .bar:not(.bad){opacity:.2}
"#;

/// The whole document.
fn page(out: &mut String, report: &Report<'_>, title: &str) -> fmt::Result {
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(
        out,
        r#"<html lang="en" data-eblog-report="ok" data-executions="{}">"#,
        report.total
    )?;
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n",
    );
    writeln!(out, "<title>{}</title>", esc(title))?;
    writeln!(out, "<script>{ONERROR_JS}</script>")?;
    writeln!(out, "<style>{CSS}</style>\n</head>\n<body>")?;
    header(out, report, title)?;
    out.push_str("<main>\n");
    if report.total == 0 {
        out.push_str("<p class=\"empty\">No command executions were found.</p>\n");
    } else {
        timeline(out, report)?;
        sections(out, report)?;
    }
    out.push_str("</main>\n");
    writeln!(
        out,
        "<footer>Generated by eblog {}. All times are UTC.</footer>",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "<script>{PAGE_JS}</script>\n</body>\n</html>")
}

/// Title, counts by status, time span and the (script-enabled) controls.
fn header(out: &mut String, report: &Report<'_>, title: &str) -> fmt::Result {
    writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<div class=\"summary\">",
        esc(title)
    )?;
    let hosts = report.lanes.len();
    if report.total > 0 {
        writeln!(
            out,
            "<span class=\"chip total\">{} on {hosts} {}</span>",
            plural(report.total, "execution"),
            if hosts == 1 {
                "host/instance"
            } else {
                "hosts/instances"
            }
        )?;
    }
    for status in STATUS_ORDER {
        let n = report.count(status);
        if n > 0 {
            writeln!(
                out,
                "<span class=\"chip {}\" data-status=\"{}\">{} {n}</span>",
                status_class(status),
                status.name(),
                status.name()
            )?;
        }
    }
    if let Some((start, end)) = report.span {
        writeln!(
            out,
            "<span class=\"span\">{} → {} ({})</span>",
            fmt_time(start),
            fmt_time(end),
            fmt_duration_ms(end.saturating_sub(start) / 1000)
        )?;
    }
    out.push_str("</div>\n");
    if report.total > 0 {
        out.push_str(
            "<div class=\"controls\" hidden><button type=\"button\" data-act=\"expand\">Expand all</button>\
             <button type=\"button\" data-act=\"collapse\">Collapse all</button>\
             <label><input type=\"checkbox\" id=\"only-failures\"> Failures only</label></div>\n",
        );
    }
    out.push_str("</header>\n");
    Ok(())
}

/// The legend of status colours.
fn legend(out: &mut String) -> fmt::Result {
    out.push_str("<div class=\"legend\">");
    for status in STATUS_ORDER {
        write!(
            out,
            "<span class=\"{}\"><i></i>{}</span>",
            status_class(status),
            status.name()
        )?;
    }
    out.push_str("</div>\n");
    Ok(())
}

/// The timeline: an axis row, then one lane per host/instance.
fn timeline(out: &mut String, report: &Report<'_>) -> fmt::Result {
    out.push_str("<section class=\"timeline\">\n<h2>Timeline</h2>\n");
    legend(out)?;
    out.push_str("<div class=\"tl\">\n");
    if let Some(axis) = &report.axis {
        axis_row(out, axis)?;
    }
    for lane in &report.lanes {
        lane_row(out, lane, report.axis.as_ref())?;
    }
    out.push_str("</div>\n</section>\n");
    Ok(())
}

/// The row of tick labels.
fn axis_row(out: &mut String, axis: &Axis) -> fmt::Result {
    out.push_str("<div class=\"tl-row tl-axis\"><div class=\"lane-label\">UTC</div><div class=\"track axis\">");
    let format = axis.tick_format();
    for t in axis.ticks() {
        write!(
            out,
            "<span class=\"tick\" style=\"left:{}\">{}</span>",
            pct(axis.pct(t)),
            esc(&fmt_instant(t, format))
        )?;
    }
    out.push_str("</div></div>\n");
    Ok(())
}

/// A bar's place in its lane: left and width in percent, and its row.
struct Placed<'e, 'a> {
    entry: &'e Entry<'a>,
    left: f64,
    width: f64,
    row: usize,
    open_ended: bool,
}

/// Places the timed entries of a lane, packing overlapping bars into separate rows.
fn place<'e, 'a>(entries: &'e [Entry<'a>], axis: &Axis) -> Vec<Placed<'e, 'a>> {
    let mut row_ends: Vec<f64> = Vec::new();
    let mut placed = Vec::new();
    for entry in entries {
        let (left, width, open_ended) = match (entry.span.start, entry.span.end) {
            (Some(s), Some(e)) => (axis.pct(s), axis.pct_len(e.saturating_sub(s)), false),
            (Some(s), None) => (axis.pct(s), 0.0, true),
            (None, Some(e)) => (axis.pct(e), 0.0, true),
            (None, None) => continue,
        };
        let right = left + width.max(MIN_BAR_PCT);
        let row = match row_ends.iter().position(|&end| end <= left) {
            Some(row) => row,
            None if row_ends.len() < MAX_LANE_ROWS => {
                row_ends.push(f64::NEG_INFINITY);
                row_ends.len() - 1
            }
            None => least_busy_row(&row_ends),
        };
        row_ends[row] = right;
        placed.push(Placed {
            entry,
            left,
            width,
            row,
            open_ended,
        });
    }
    placed
}

/// The row whose last bar ends first (row 0 when there are none).
fn least_busy_row(row_ends: &[f64]) -> usize {
    let mut best = 0;
    for (row, end) in row_ends.iter().enumerate() {
        if *end < row_ends[best] {
            best = row;
        }
    }
    best
}

/// One lane: its label, grid lines, bars, and links to executions without times.
fn lane_row(out: &mut String, lane: &Lane<'_>, axis: Option<&Axis>) -> fmt::Result {
    let placed = axis
        .map(|axis| place(&lane.entries, axis))
        .unwrap_or_default();
    let rows = placed.iter().map(|p| p.row + 1).max().unwrap_or(1);
    write!(
        out,
        "<div class=\"tl-row lane\"><div class=\"lane-label\"><b>{}</b>",
        esc(lane.host)
    )?;
    if let Some(instance) = lane.instance {
        write!(out, "<span class=\"inst\">{}</span>", esc(instance))?;
    }
    write!(
        out,
        "<span class=\"n\">{}</span></div>",
        plural(lane.entries.len(), "execution")
    )?;
    write!(
        out,
        "<div class=\"track\" style=\"height:{}px\">",
        rows * LANE_ROW_PX + 4
    )?;
    if let Some(axis) = axis {
        for t in axis.ticks() {
            write!(
                out,
                "<i class=\"grid\" style=\"left:{}\"></i>",
                pct(axis.pct(t))
            )?;
        }
    }
    for p in &placed {
        bar(out, p)?;
    }
    out.push_str("</div>");
    untimed(out, lane)?;
    out.push_str("</div>\n");
    Ok(())
}

/// One execution's bar on the timeline, linking to its section.
fn bar(out: &mut String, p: &Placed<'_, '_>) -> fmt::Result {
    let e = p.entry.exec;
    let open = if p.open_ended { " open" } else { "" };
    // Only bars wide enough to show a few characters carry the command as a label.
    let label = if p.width >= BAR_LABEL_MIN_PCT {
        esc(&e.command)
    } else {
        String::new()
    };
    write!(
        out,
        "<a class=\"bar {}{open}\" href=\"#exec-{}\" style=\"left:{};width:{};top:{}px\" title=\"{}\"><span>{}</span></a>",
        status_classes(e.status),
        p.entry.index,
        pct(p.left),
        pct(p.width),
        p.row * LANE_ROW_PX + 3,
        esc(&exec_tooltip(p.entry)),
        label
    )
}

/// A bar's tooltip: command, status, start, duration, failed step.
fn exec_tooltip(entry: &Entry<'_>) -> String {
    let e = entry.exec;
    let mut lines = vec![format!("{} — {}", e.command, e.status.name())];
    if let Some(start) = entry.span.start {
        lines.push(format!("started {}", fmt_time(start)));
    }
    match exec_duration_ms(e, entry.span) {
        Some(ms) => lines.push(format!("duration {}", fmt_duration_ms(ms))),
        None => lines.push("no end in the logs".to_owned()),
    }
    if let Some(step) = &e.failed_step {
        lines.push(format!("failed step {step}"));
    }
    lines.join("\n")
}

/// Links to the lane's executions that have no times (and so no bar).
fn untimed(out: &mut String, lane: &Lane<'_>) -> fmt::Result {
    let mut untimed = lane
        .entries
        .iter()
        .filter(|e| e.span.start.is_none() && e.span.end.is_none())
        .peekable();
    if untimed.peek().is_none() {
        return Ok(());
    }
    out.push_str("<div class=\"untimed\">Without times: ");
    for entry in untimed {
        write!(
            out,
            "<a class=\"untimed-link {}\" href=\"#exec-{}\">{} ({})</a>",
            status_classes(entry.exec.status),
            entry.index,
            esc(&entry.exec.command),
            entry.exec.status.name()
        )?;
    }
    out.push_str("</div>");
    Ok(())
}

// ----------------------------------------------------------------------------------------
// Per-execution sections.

/// The executions, lane by lane, each a collapsible section.
fn sections(out: &mut String, report: &Report<'_>) -> fmt::Result {
    out.push_str("<section class=\"executions\">\n<h2>Executions</h2>\n");
    let mut failures_opened = 0;
    for lane in &report.lanes {
        write!(out, "<section class=\"lane-execs\"><h3>{}", esc(lane.host))?;
        if let Some(instance) = lane.instance {
            write!(out, " <span class=\"inst\">{}</span>", esc(instance))?;
        }
        out.push_str("</h3>\n");
        let mut left_out = 0;
        for entry in &lane.entries {
            if out.len() > PAGE_DETAIL_LIMIT {
                left_out += 1;
                continue;
            }
            let open = entry.exec.status.is_failure() && failures_opened < OPEN_FAILURES_LIMIT;
            failures_opened += usize::from(open);
            execution(out, entry, open)?;
        }
        if left_out > 0 {
            writeln!(
                out,
                "<p class=\"cut\">{} left out of the details here: the page holds at most {} MiB of them (<code>eblog commands --json</code> lists every one).</p>",
                plural(left_out, "execution"),
                PAGE_DETAIL_LIMIT >> 20
            )?;
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
    Ok(())
}

/// One execution's section.
fn execution(out: &mut String, entry: &Entry<'_>, open: bool) -> fmt::Result {
    let e = entry.exec;
    write!(
        out,
        "<details class=\"exec {}\" id=\"exec-{}\" data-status=\"{}\"{}>",
        status_classes(e.status),
        entry.index,
        e.status.name(),
        if open { " open" } else { "" }
    )?;
    summary(out, entry)?;
    out.push_str("<div class=\"exec-body\">\n");
    facts(out, entry)?;
    if let Some(error) = &e.error {
        out.push_str("<h4>Error</h4>\n");
        pre(out, "error", error, ERROR_TEXT_LIMIT)?;
    }
    out.push_str("<h4>Steps</h4>\n");
    waterfall(out, entry)?;
    events(out, e)?;
    out.push_str("</div></details>\n");
    Ok(())
}

/// The summary line: status, command, start, duration, failed step.
fn summary(out: &mut String, entry: &Entry<'_>) -> fmt::Result {
    let e = entry.exec;
    write!(
        out,
        "<summary><span class=\"badge {}\">{}</span><span class=\"cmd\">{}</span>",
        status_class(e.status),
        e.status.name(),
        esc(&e.command)
    )?;
    let when = entry
        .span
        .start
        .map_or_else(|| "start unknown".to_owned(), fmt_time);
    write!(out, "<span class=\"when\">{}</span>", esc(&when))?;
    if let Some(ms) = exec_duration_ms(e, entry.span) {
        write!(out, "<span class=\"dur\">{}</span>", fmt_duration_ms(ms))?;
    }
    if let Some(step) = &e.failed_step {
        write!(out, "<span class=\"fstep\">failed at {}</span>", esc(step))?;
    }
    out.push_str("</summary>\n");
    Ok(())
}

/// The facts list: command, id, platform, host, instance, times, status, return code,
/// failed step, sources.
fn facts(out: &mut String, entry: &Entry<'_>) -> fmt::Result {
    let e = entry.exec;
    let duration = exec_duration_ms(e, entry.span).map(fmt_duration_ms);
    let returncode = e.returncode.map(|c| c.to_string());
    let sources = sources_text(e);
    let rows: [(&str, Option<&str>); 11] = [
        ("Command", Some(e.command.as_str())),
        ("Id", e.id.as_deref()),
        ("Status", Some(e.status.name())),
        ("Started", e.started.as_deref()),
        ("Finished", e.finished.as_deref()),
        ("Duration", duration.as_deref()),
        ("Return code", returncode.as_deref()),
        ("Failed step", e.failed_step.as_deref()),
        ("Host", Some(e.host.as_str())),
        ("Instance", e.instance_id.as_deref()),
        ("Platform", Some(e.platform)),
    ];
    out.push_str("<dl class=\"facts\">");
    for (label, value) in rows {
        if let Some(value) = value {
            write!(out, "<dt>{label}</dt><dd>{}</dd>", esc(value))?;
        }
    }
    if let Some(sources) = sources {
        write!(out, "<dt>Sources</dt><dd>{}</dd>", esc(&sources))?;
    }
    out.push_str("</dl>\n");
    Ok(())
}

/// `N records: file:line, …` — the first few sources.
fn sources_text(e: &Execution) -> Option<String> {
    const SHOWN: usize = 3;
    if e.sources.is_empty() {
        return None;
    }
    let first = e
        .sources
        .iter()
        .take(SHOWN)
        .map(|s| format!("{}:{}", s.file, s.line));
    let mut text = format!(
        "{}: {}",
        plural(e.sources.len(), "record"),
        first.collect::<Vec<_>>().join(", ")
    );
    if e.sources.len() > SHOWN {
        text.push_str(", …");
    }
    Some(text)
}

/// Text in a `<pre>`, escaped and cut at `limit` bytes.
fn pre(out: &mut String, class: &str, text: &str, limit: usize) -> fmt::Result {
    let (shown, cut) = truncate(text, limit);
    write!(out, "<pre class=\"{class}\">{}</pre>", esc(shown))?;
    if cut {
        write!(
            out,
            "<div class=\"cut\">… cut at {} KiB of {} KiB</div>",
            limit / 1024,
            text.len() / 1024
        )?;
    }
    out.push('\n');
    Ok(())
}

/// One step laid out in the waterfall.
struct StepRow<'a> {
    step: &'a Step,
    depth: usize,
    /// Microseconds from the waterfall's origin.
    offset: Option<i64>,
    /// Microseconds.
    duration: Option<i64>,
}

/// Flattens steps depth-first. A step with a known start is placed by it; one without
/// follows its previous sibling (or starts with its parent).
fn flatten<'a>(
    steps: &'a [Step],
    depth: usize,
    origin: Option<i64>,
    parent: Option<i64>,
    rows: &mut Vec<StepRow<'a>>,
) {
    if depth > MAX_STEP_DEPTH {
        return;
    }
    let mut cursor = parent;
    for step in steps {
        let offset = match (step_start_us(step), origin) {
            (Some(start), Some(origin)) => Some(start.saturating_sub(origin)),
            _ => cursor,
        };
        let duration = step_duration_us(step);
        rows.push(StepRow {
            step,
            depth,
            offset,
            duration,
        });
        flatten(&step.steps, depth + 1, origin, offset, rows);
        cursor = match (offset, duration) {
            (Some(o), Some(d)) => Some(o.saturating_add(d)),
            _ => offset.or(cursor),
        };
    }
}

/// The origin of an execution's waterfall: its start, else its earliest step start.
fn waterfall_origin(entry: &Entry<'_>) -> Option<i64> {
    fn earliest(steps: &[Step], depth: usize) -> Option<i64> {
        if depth > MAX_STEP_DEPTH {
            return None;
        }
        steps
            .iter()
            .flat_map(|s| [step_start_us(s), earliest(&s.steps, depth + 1)])
            .flatten()
            .min()
    }
    entry.span.start.or_else(|| earliest(&entry.exec.steps, 0))
}

/// The steps as rows of bars proportional to their durations, nested steps indented.
fn waterfall(out: &mut String, entry: &Entry<'_>) -> fmt::Result {
    let e = entry.exec;
    if e.steps.is_empty() {
        out.push_str("<p class=\"cut\">No steps recorded.</p>\n");
        return Ok(());
    }
    let mut rows = Vec::new();
    flatten(&e.steps, 0, waterfall_origin(entry), Some(0), &mut rows);
    let exec_len = exec_duration_ms(e, entry.span).map_or(0, ms_to_us);
    let rows_len = rows
        .iter()
        .map(|r| {
            r.offset
                .unwrap_or(0)
                .saturating_add(r.duration.unwrap_or(0))
        })
        .max()
        .unwrap_or(0);
    let total = exec_len.max(rows_len).max(1);
    out.push_str("<div class=\"wf\">\n");
    let mut output_left = EXEC_OUTPUT_LIMIT;
    for row in rows.iter().take(MAX_STEP_ROWS) {
        step_row(out, row, total, &mut output_left)?;
    }
    out.push_str("</div>\n");
    if rows.len() > MAX_STEP_ROWS {
        writeln!(
            out,
            "<p class=\"cut\">{} more left out (at most {MAX_STEP_ROWS} are drawn).</p>",
            plural(rows.len() - MAX_STEP_ROWS, "step")
        )?;
    }
    Ok(())
}

/// One waterfall row: name (indented), bar, duration, and the output when there is one.
fn step_row(
    out: &mut String,
    row: &StepRow<'_>,
    total: i64,
    output_left: &mut usize,
) -> fmt::Result {
    let step = row.step;
    let classes = status_classes(step.status);
    write!(
        out,
        "<div class=\"wf-row {classes}\" data-status=\"{}\" title=\"{}\"><div class=\"wf-name\"><span class=\"kind\">{}</span><span class=\"nm\" style=\"padding-left:{}px\">{}</span>",
        step.status.name(),
        esc(&step_tooltip(step)),
        esc(step.kind),
        row.depth.min(12) * 16,
        esc(&step.name)
    )?;
    if let Some(code) = step.exit_code.filter(|&c| c != 0) {
        write!(out, "<span class=\"exit\">exit {code}</span>")?;
    }
    out.push_str("</div><div class=\"wf-track\">");
    let left = row.offset.unwrap_or(0) as f64 * 100.0 / total as f64;
    match row.duration {
        Some(d) => write!(
            out,
            "<div class=\"wf-bar {classes}\" style=\"left:{};width:{}\"></div>",
            pct(left),
            pct(d as f64 * 100.0 / total as f64)
        )?,
        None => write!(
            out,
            "<div class=\"wf-bar nodur {classes}\" style=\"left:{}\"></div>",
            pct(left)
        )?,
    }
    let duration = row
        .duration
        .map_or_else(|| "—".to_owned(), |d| fmt_duration_ms(d / 1000));
    write!(out, "</div><div class=\"wf-dur\">{duration}</div>")?;
    if let Some(output) = &step.output {
        let open = if step.status.is_failure() {
            " open"
        } else {
            ""
        };
        write!(
            out,
            "<details class=\"wf-out\"{open}><summary>output</summary>"
        )?;
        if *output_left == 0 {
            write!(
                out,
                "<p class=\"cut\">Output left out: this execution's outputs fill the {} KiB the page gives each.</p>",
                EXEC_OUTPUT_LIMIT >> 10
            )?;
        } else {
            let limit = STEP_OUTPUT_LIMIT.min(*output_left);
            pre(out, "output", output, limit)?;
            *output_left -= output.len().min(limit);
        }
        out.push_str("</details>");
    }
    out.push_str("</div>\n");
    Ok(())
}

/// A step's tooltip: name, kind, status, duration, exit code, start, source.
fn step_tooltip(step: &Step) -> String {
    let mut lines = vec![
        step.name.clone(),
        format!("{} · {}", step.kind, step.status.name()),
    ];
    let duration =
        step_duration_us(step).map_or_else(|| "unknown".to_owned(), |d| fmt_duration_ms(d / 1000));
    lines.push(format!("duration {duration}"));
    if let Some(code) = step.exit_code {
        lines.push(format!("exit code {code}"));
    }
    if let Some(start) = step_start_us(step) {
        lines.push(format!("started {}", fmt_time(start)));
    }
    if let Some(source) = &step.source {
        lines.push(format!("source {}:{}", source.file, source.line));
    }
    lines.join("\n")
}

/// The result events, when there are any.
fn events(out: &mut String, e: &Execution) -> fmt::Result {
    if e.events.is_empty() {
        return Ok(());
    }
    out.push_str("<h4>Result events</h4>\n<table class=\"events\">");
    for event in &e.events {
        let when = event
            .timestamp_ms
            .map_or_else(String::new, |ms| fmt_time(ms_to_us(ms)));
        write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&when),
            esc(event.severity.as_deref().unwrap_or("")),
            esc(&event.msg)
        )?;
    }
    out.push_str("</table>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::SourceRef;

    /// 2019-03-04T17:00:00Z in microseconds.
    const T0: i64 = 1_551_718_800_000_000;

    fn rfc3339(us: i64) -> String {
        fmt_instant(us, "%Y-%m-%dT%H:%M:%S%.3fZ")
    }

    fn step(name: &str, status: Status, start_us: Option<i64>, duration_ms: Option<i64>) -> Step {
        Step {
            name: name.to_owned(),
            kind: "hook",
            started: start_us.map(rfc3339),
            duration_ms,
            status,
            exit_code: None,
            output: None,
            source: Some(SourceRef {
                file: "eb-engine.log".into(),
                line: 42,
            }),
            steps: Vec::new(),
            start_us,
            end_us: start_us
                .zip(duration_ms)
                .map(|(s, d)| s.saturating_add(d.saturating_mul(1000))),
        }
    }

    fn exec(
        host: &str,
        command: &str,
        status: Status,
        start_us: Option<i64>,
        duration_ms: Option<i64>,
    ) -> Execution {
        let end_us = start_us
            .zip(duration_ms)
            .map(|(s, d)| s.saturating_add(d.saturating_mul(1000)));
        Execution {
            instance_id: Some(format!("i-0{}", host.len())),
            host: host.to_owned(),
            platform: "engine",
            command: command.to_owned(),
            id: Some("c0ffee".to_owned()),
            started: start_us.map(rfc3339),
            finished: end_us.map(rfc3339),
            duration_ms,
            status,
            returncode: None,
            steps: Vec::new(),
            failed_step: None,
            error: None,
            events: Vec::new(),
            sources: vec![SourceRef {
                file: "eb-engine.log".into(),
                line: 1,
            }],
            error_at: None,
            start_us,
            end_us,
        }
    }

    /// A failed deployment: a stage holding three hooks, the last of which fails.
    fn failed_deploy(start: i64) -> Execution {
        let mut e = exec(
            "web-1",
            "app-deploy",
            Status::Failure,
            Some(start),
            Some(95_000),
        );
        let mut stage = step(
            "RunAppDeployPreBuildHooks",
            Status::Failure,
            Some(start + 1_000_000),
            Some(90_000),
        );
        stage.kind = "stage";
        stage.steps = vec![
            step(
                ".platform/hooks/prebuild/01_install.sh",
                Status::Success,
                Some(start + 1_000_000),
                Some(30_000),
            ),
            step(
                ".platform/hooks/prebuild/02_config.sh",
                Status::Success,
                Some(start + 31_000_000),
                Some(20_000),
            ),
            Step {
                exit_code: Some(2),
                output: Some("npm ERR! missing <package.json>".to_owned()),
                ..step(
                    ".platform/hooks/prebuild/03_migrate.sh",
                    Status::Failure,
                    Some(start + 51_000_000),
                    Some(40_000),
                )
            },
        ];
        e.steps = vec![stage];
        e.failed_step =
            Some("RunAppDeployPreBuildHooks/.platform/hooks/prebuild/03_migrate.sh".to_owned());
        e.error = Some("hook failed: <script>alert(1)</script> & exit \"2\"".to_owned());
        e.returncode = Some(2);
        e
    }

    /// The tag (from `<` to `>`) around the first occurrence of `needle`.
    fn tag_around<'h>(html: &'h str, needle: &str) -> &'h str {
        let at = html
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in the page"));
        let start = html[..at]
            .rfind('<')
            .expect("a tag opens before the needle");
        let end = at
            + html[at..]
                .find('>')
                .expect("the tag closes after the needle");
        &html[start..=end]
    }

    /// A deterministic fleet: `n` executions on 8 instances over about a day, every
    /// status, some without times, one with hostile text.
    fn fleet(n: usize) -> Vec<Execution> {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |m: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % m
        };
        let commands = [
            "app-deploy",
            "config-deploy",
            "self-startup",
            "restart-app-server",
            "CMD-AppDeploy",
        ];
        let hosts = 8;
        let per_host = n.div_ceil(hosts).max(1) as i64;
        let gap = 86_400_000_000 / per_host;
        (0..n)
            .map(|i| {
                let host = format!("web-{}", i % hosts);
                let slot = (i / hosts) as i64;
                let start = T0 + slot * gap + (next(600) as i64) * 1_000_000;
                let status = match next(20) {
                    0..=2 => Status::Failure,
                    3 => Status::Timeout,
                    4 => Status::Incomplete,
                    5 => Status::Skipped,
                    _ => Status::Success,
                };
                let mut e = if i % 97 == 50 {
                    exec(&host, "CMD-TailLogs", status, None, None)
                } else if status == Status::Failure && next(2) == 0 {
                    let mut e = failed_deploy(start);
                    e.host = host.clone();
                    e
                } else {
                    let steps: Vec<Step> = (0..(2 + next(6) as i64))
                        .map(|k| {
                            let s = step(
                                &format!("Step{k}"),
                                Status::Success,
                                Some(start + k * 20_000_000),
                                Some(5_000 + next(15_000) as i64),
                            );
                            Step {
                                kind: "instruction",
                                ..s
                            }
                        })
                        .collect();
                    let total = steps
                        .iter()
                        .map(|s| s.duration_ms.unwrap_or(0))
                        .sum::<i64>()
                        + 40_000;
                    let duration = if status == Status::Incomplete {
                        None
                    } else {
                        Some(total)
                    };
                    let mut e = exec(
                        &host,
                        commands[i % commands.len()],
                        status,
                        Some(start),
                        duration,
                    );
                    e.steps = steps;
                    if status == Status::Timeout {
                        e.error = Some("Command timed out after 600 seconds".to_owned());
                    }
                    e
                };
                e.instance_id = Some(format!("i-0{:015x}", 0xabc000 + i % hosts));
                e.id = Some(format!("{:08x}-{i}", next(u64::from(u32::MAX))));
                e
            })
            .collect()
    }

    #[test]
    fn empty_input_says_so() {
        let html = render(&[], "Deploys");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(r#"data-eblog-report="ok""#));
        assert!(html.contains(r#"data-executions="0""#));
        assert!(html.contains("No command executions were found."));
        assert!(!html.contains("class=\"bar "));
        assert!(html.contains("document.body.dataset.rendered='ok'"));
    }

    #[test]
    fn marker_attributes_are_on_the_root_element() {
        let es = [exec(
            "web-1",
            "app-deploy",
            Status::Success,
            Some(T0),
            Some(60_000),
        )];
        let html = render(&es, "Deploys");
        let root = tag_around(&html, "<html ");
        assert!(root.contains(r#"data-eblog-report="ok""#), "{root}");
        assert!(root.contains(r#"data-executions="1""#), "{root}");
        assert!(
            html.find("window.onerror") < html.find("<body>"),
            "onerror is installed first"
        );
    }

    #[test]
    fn statuses_are_coloured_as_specified() {
        let statuses = [
            Status::Success,
            Status::Failure,
            Status::Timeout,
            Status::Incomplete,
            Status::Skipped,
        ];
        let es: Vec<Execution> = statuses
            .iter()
            .enumerate()
            .map(|(i, &st)| {
                exec(
                    "web-1",
                    "app-deploy",
                    st,
                    Some(T0 + i as i64 * 120_000_000),
                    Some(60_000),
                )
            })
            .collect();
        let html = render(&es, "Deploys");
        // The palette: success green, failure red, timeout orange, skipped light grey,
        // incomplete grey and striped.
        assert!(html.contains("--c-success:#2da44e"));
        assert!(html.contains("--c-failure:#cf222e"));
        assert!(html.contains("--c-timeout:#e8730c"));
        assert!(html.contains("--c-skipped:#d8dee4"));
        assert!(html.contains(".st-failure{--c:var(--c-failure)"));
        assert!(html.contains(".bar.st-incomplete") && html.contains("repeating-linear-gradient"));
        for (i, &st) in statuses.iter().enumerate() {
            let bar = tag_around(&html, &format!("href=\"#exec-{i}\""));
            assert!(bar.starts_with("<a class=\"bar "), "{bar}");
            assert!(bar.contains(status_class(st)), "{st:?}: {bar}");
            assert_eq!(bar.contains(" bad"), st.is_failure(), "{bar}");
            let section = tag_around(&html, &format!("id=\"exec-{i}\""));
            assert!(section.contains(status_class(st)), "{section}");
        }
        let chip = tag_around(&html, r#"data-status="TIMEOUT">"#);
        assert!(chip.contains("chip st-timeout"), "{chip}");
    }

    #[test]
    fn failing_steps_are_named_and_red() {
        let html = render(&[failed_deploy(T0)], "Deploys");
        let row = tag_around(&html, "title=\".platform/hooks/prebuild/03_migrate.sh");
        assert!(row.contains("wf-row st-failure bad"), "{row}");
        assert!(
            row.contains("exit code 2") && row.contains("source eb-engine.log:42"),
            "{row}"
        );
        assert!(html.contains("<span class=\"exit\">exit 2</span>"));
        assert!(html.contains(
            "failed at RunAppDeployPreBuildHooks/.platform/hooks/prebuild/03_migrate.sh"
        ));
        let ok_row = tag_around(&html, "title=\".platform/hooks/prebuild/01_install.sh");
        assert!(ok_row.contains("wf-row st-success\""), "{ok_row}");
        // Nested steps are indented below their stage.
        assert!(html.contains("<span class=\"kind\">stage</span><span class=\"nm\" style=\"padding-left:0px\">RunAppDeployPreBuildHooks<"));
        assert!(html.contains("<span class=\"kind\">hook</span><span class=\"nm\" style=\"padding-left:16px\">.platform/hooks/prebuild/03_migrate.sh<"));
        // Failed executions start expanded.
        assert!(tag_around(&html, "id=\"exec-0\"").ends_with(" open>"));
    }

    #[test]
    fn step_bars_are_proportional_to_duration() {
        let html = render(&[failed_deploy(T0)], "Deploys");
        // 95 s execution: the 30 s hook starts at 1 s and the 40 s hook at 51 s.
        assert!(html.contains(&format!(
            "left:{};width:{}",
            pct(100.0 / 95.0),
            pct(3000.0 / 95.0)
        )));
        assert!(html.contains(&format!(
            "left:{};width:{}",
            pct(5100.0 / 95.0),
            pct(4000.0 / 95.0)
        )));
    }

    #[test]
    fn text_is_escaped() {
        let mut e = failed_deploy(T0);
        e.command = "app-deploy <b>&</b>".to_owned();
        let html = render(&[e], "Deploys for <script>x</script>");
        assert!(html.contains(
            "hook failed: &lt;script&gt;alert(1)&lt;/script&gt; &amp; exit &quot;2&quot;"
        ));
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("<title>Deploys for &lt;script&gt;x&lt;/script&gt;</title>"));
        assert!(html.contains("app-deploy &lt;b&gt;&amp;&lt;/b&gt;"));
        assert!(!html.contains("<b>&</b>"));
        assert!(html.contains("npm ERR! missing &lt;package.json&gt;"));
        assert_eq!(
            html.matches("<script>").count(),
            2,
            "only the report's own two scripts"
        );
        assert_eq!(esc("a\u{0}b\u{1b}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
    }

    #[test]
    fn executions_without_times_are_listed_without_a_bar() {
        let es = [
            exec(
                "web-1",
                "app-deploy",
                Status::Success,
                Some(T0),
                Some(60_000),
            ),
            exec("web-1", "CMD-TailLogs", Status::Incomplete, None, None),
        ];
        let html = render(&es, "Deploys");
        let link = tag_around(&html, "href=\"#exec-1\"");
        assert!(
            link.starts_with("<a class=\"untimed-link st-incomplete\""),
            "{link}"
        );
        assert_eq!(html.matches("href=\"#exec-1\"").count(), 1);
        assert!(html.contains("id=\"exec-1\""));
        assert!(html.contains("start unknown"));
    }

    #[test]
    fn only_untimed_executions_still_render() {
        let html = render(
            &[exec(
                "web-1",
                "CMD-TailLogs",
                Status::Incomplete,
                None,
                None,
            )],
            "Deploys",
        );
        assert!(html.contains("Without times"));
        assert!(html.contains("id=\"exec-0\""));
        assert!(!html.contains("class=\"tick\""));
    }

    #[test]
    fn lanes_are_per_host_and_instance() {
        let html = render(&fleet(40), "Fleet");
        assert_eq!(html.matches("<div class=\"tl-row lane\">").count(), 8);
        assert!(html.contains("web-3"));
    }

    #[test]
    fn overlapping_executions_are_stacked() {
        let es = [
            exec(
                "web-1",
                "app-deploy",
                Status::Success,
                Some(T0),
                Some(600_000),
            ),
            exec(
                "web-1",
                "self-startup",
                Status::Success,
                Some(T0 + 60_000_000),
                Some(60_000),
            ),
        ];
        let html = render(&es, "Deploys");
        assert!(tag_around(&html, "href=\"#exec-0\"").contains("top:3px"));
        assert!(
            tag_around(&html, "href=\"#exec-1\"").contains(&format!("top:{}px", LANE_ROW_PX + 3))
        );
    }

    #[test]
    fn a_burst_of_executions_stacks_into_a_bounded_number_of_rows() {
        let es: Vec<Execution> = (0..50)
            .map(|i| {
                exec(
                    "web-1",
                    "app-deploy",
                    Status::Success,
                    Some(T0 + i * 1_000_000),
                    Some(600_000),
                )
            })
            .collect();
        let html = render(&es, "Deploys");
        let track = tag_around(&html, "<div class=\"track\" style=\"height:");
        assert!(
            track.contains(&format!("height:{}px", MAX_LANE_ROWS * LANE_ROW_PX + 4)),
            "{track}"
        );
    }

    #[test]
    fn no_external_references() {
        let html = render(&fleet(30), "Fleet");
        for needle in ["http://", "https://", "src=", "@import", "url(", "<link"] {
            assert!(!html.contains(needle), "{needle}");
        }
    }

    #[test]
    fn a_large_fleet_renders_every_execution() {
        let es = fleet(200);
        let html = render(&es, "Fleet");
        assert!(html.contains(r#"data-executions="200""#));
        for i in 0..200 {
            assert!(html.contains(&format!("id=\"exec-{i}\"")), "exec-{i}");
        }
        assert!(html.len() < 3 * 1024 * 1024, "{} bytes", html.len());
        assert_eq!(html.matches("<details class=\"exec ").count(), 200);
        let failures = es.iter().filter(|e| e.status.is_failure()).count();
        let failed_sections = html
            .matches("<details class=\"exec st-failure bad\"")
            .count()
            + html
                .matches("<details class=\"exec st-timeout bad\"")
                .count();
        assert_eq!(failed_sections, failures);
        assert!(
            failures > OPEN_FAILURES_LIMIT,
            "the fleet has {failures} failures"
        );
        let open_sections = html
            .split("<details class=\"exec ")
            .skip(1)
            .filter(|s| s[..s.find('>').unwrap_or(0)].ends_with(" open"))
            .count();
        assert_eq!(open_sections, OPEN_FAILURES_LIMIT);
    }

    #[test]
    fn axis_ticks_are_round_and_inside() {
        let axis = Axis {
            start: T0 + 7_000_000,
            end: T0 + 3_600_000_000,
        };
        assert_eq!(axis.tick_step(), 600_000_000);
        let ticks = axis.ticks();
        assert_eq!(ticks.first(), Some(&(T0 + 600_000_000)));
        assert!(ticks.iter().all(|&t| t >= axis.start && t <= axis.end));
        assert_eq!(axis.tick_format(), "%H:%M");
        let day = Axis {
            start: T0,
            end: T0 + 2 * 86_400_000_000,
        };
        assert_eq!(day.tick_format(), "%m-%d %H:%M");
        let instant = Axis::padded(T0, T0);
        assert!(instant.len() >= MIN_SPAN_US);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(fmt_duration_ms(850), "850 ms");
        assert_eq!(fmt_duration_ms(12_345), "12.3 s");
        assert_eq!(fmt_duration_ms(245_000), "4m 05s");
        assert_eq!(fmt_duration_ms(7_620_000), "2h 07m");
        assert_eq!(fmt_duration_ms(273_600_000), "3d 04h");
    }

    #[test]
    fn hostile_times_do_not_panic() {
        let mut e = exec(
            "web-1",
            "app-deploy",
            Status::Success,
            Some(i64::MIN / 2),
            Some(i64::MAX),
        );
        e.end_us = Some(i64::MAX);
        e.steps = vec![step("x", Status::Success, Some(i64::MAX), Some(i64::MAX))];
        let html = render(
            &[e, exec("web-1", "y", Status::Success, Some(i64::MAX), None)],
            "Deploys",
        );
        assert!(html.contains("id=\"exec-1\""));
    }

    /// Writes a sample report for headless-browser checks (`.ci/html_check.sh`) when
    /// `EBLOG_WRITE_REPORT=path` is set; `EBLOG_WRITE_REPORT_N` picks the number of
    /// executions (default 200).
    #[test]
    fn write_sample_report_when_asked() {
        let Ok(path) = std::env::var("EBLOG_WRITE_REPORT") else {
            return;
        };
        let n = std::env::var("EBLOG_WRITE_REPORT_N")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(200);
        let es = if n == 1 {
            vec![failed_deploy(T0)]
        } else {
            fleet(n)
        };
        std::fs::write(
            &path,
            render(&es, &format!("eblog sample report ({n} executions)")),
        )
        .expect("write the sample report");
    }

    #[test]
    fn one_executions_outputs_are_capped_and_the_cut_is_said() {
        let mut e = exec(
            "web-1",
            "app-deploy",
            Status::Failure,
            Some(T0),
            Some(60_000),
        );
        e.steps = (0..40)
            .map(|i| {
                let mut s = step(&format!("s{i}"), Status::Success, Some(T0 + i), Some(1));
                s.output = Some("npm WARN deprecated\n".repeat(1000));
                s
            })
            .collect();
        let page = render(&[e], "t");
        let shown = page.matches("npm WARN deprecated").count();
        let limit = EXEC_OUTPUT_LIMIT / "npm WARN deprecated\n".len();
        assert!(
            shown <= limit + 1,
            "{shown} lines shown, the cap allows {limit}"
        );
        assert!(shown > limit / 2, "{shown}");
        assert!(page.contains("Output left out"));
    }

    #[test]
    fn a_page_holds_a_bounded_amount_of_detail_and_says_what_it_left_out() {
        let executions: Vec<Execution> = (0..1500)
            .map(|i| {
                let mut e = exec(
                    "web-1",
                    "app-deploy",
                    Status::Success,
                    Some(T0 + i * 1_000_000),
                    Some(10),
                );
                let mut s = step("hook", Status::Success, Some(T0 + i * 1_000_000), Some(1));
                s.output = Some("x".repeat(STEP_OUTPUT_LIMIT));
                e.steps = vec![s];
                e
            })
            .collect();
        let page = render(&executions, "t");
        assert!(
            page.len() < PAGE_DETAIL_LIMIT + 2 * 1024 * 1024,
            "{} bytes",
            page.len()
        );
        let detailed = page.matches("<details class=\"exec ").count();
        assert!(detailed > 900 && detailed < 1500, "{detailed}");
        assert!(
            page.contains(&format!(
                "{} left out of the details",
                plural(1500 - detailed, "execution")
            )),
            "the note counts what was left out"
        );
    }
}
