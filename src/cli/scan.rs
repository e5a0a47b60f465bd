//! `eblog scan PATH... --out DIR`: a dataset of Parquet (or JSON-lines) tables, built by
//! [`crate::sink::build::build_dataset`]; this module turns flags into its options and its
//! result into messages and an exit code.

use super::{report_inputs, summary_line, ScanArgs, ScanOutput, Ui, EXIT_FAILURE, EXIT_OK};
use crate::scan::total_bytes;
use crate::sink::build::{build_dataset, DatasetOptions};
use crate::sink::dataset::TableFormat;
use crate::sink::ownership::Published;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::time::Instant;

pub(super) fn run(args: &ScanArgs, ui: &Ui) -> i32 {
    let (mut scan, redactor) = match super::options(&args.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    scan.shard = args.shard;
    let options = DatasetOptions {
        out: args.out.clone(),
        force: args.force,
        format: match args.to {
            ScanOutput::Parquet => TableFormat::Parquet,
            ScanOutput::Jsonl => TableFormat::Jsonl,
        },
        scan,
        redactor,
    };
    let bar = progress_bar(args, ui);
    let started = Instant::now();
    let built = build_dataset(&args.paths, &options, &|bytes: u64| bar.inc(bytes));
    bar.finish_and_clear();
    let built = match built {
        Ok(built) => built,
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", args.out.display());
            return EXIT_FAILURE;
        }
    };
    report_published(&args.out, &built.published, ui.quiet);
    let (unreadable, _) = report_inputs(&built.summary, ui);
    if !ui.quiet {
        eprintln!(
            "{}",
            summary_line(&built.summary, started.elapsed().as_secs_f64())
        );
    }
    if unreadable {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// Tells the user what a re-scan replaced and which files of the directory eblog did not
/// write (left in place).
fn report_published(dir: &std::path::Path, published: &Published, quiet: bool) {
    if quiet {
        return;
    }
    if let Some(previous) = &published.replaced {
        eprintln!(
            "eblog: --out {}: replaced the dataset {} wrote ({} file(s); {} no longer written, removed)",
            dir.display(),
            previous.created_by,
            previous.files.len(),
            published.removed.len()
        );
    }
    if let Some(first) = published.foreign.first() {
        eprintln!(
            "eblog: --out {}: {} file(s) eblog did not write are left in place, e.g. {first}",
            dir.display(),
            published.foreign.len()
        );
    }
}

/// A progress bar by bytes on stderr when it is a terminal (and not `--quiet`).
fn progress_bar(args: &ScanArgs, ui: &Ui) -> ProgressBar {
    if ui.quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar =
        ProgressBar::with_draw_target(Some(total_bytes(&args.paths)), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}
