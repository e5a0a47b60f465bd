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

mod axis;
mod markup;
mod model;
mod pieces;
mod sections;
#[cfg(test)]
mod tests;

use axis::*;
use markup::*;
use model::*;
use pieces::*;
use sections::*;

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
/// renders a page saying no command executions were found. The markup is maud's, so every
/// value spliced in is HTML-escaped, and the document references no external resource.
pub fn render(executions: &[Execution], title: &str) -> String {
    render_with_diagnoses(executions, &[], title)
}

/// [`render`], with each execution's diagnosis (`diagnoses[i]` for `executions[i]`, as
/// `eblog diagnose` prints it) at the top of its section, cut like the error text.
pub fn render_with_diagnoses(
    executions: &[Execution],
    diagnoses: &[Option<String>],
    title: &str,
) -> String {
    let report = Report::new(executions);
    page(&report, title, diagnoses).into_string()
}
