//! What `eblog commands` keeps of the executions while hosts are correlated one after
//! another, so that it can print them in order of start at the end without holding them
//! all: the table's rows only, or, for `--json`, each execution's JSON line written to a
//! temporary file and read back in order. Only `--html` keeps whole executions (the page
//! is built from all of them).
#![forbid(unsafe_code)]

pub(super) use super::exec_table::{time_as, Empty, Row, TableStyle};

use super::exec_table::{compact_time, human_duration, write_json, write_table};
use crate::correlate::Execution;
use crate::redact::Redactor;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// The order of output: by start, executions with no start first; ties keep the order in
/// which the hosts were correlated (the sort is stable).
fn sort_key(execution: &Execution) -> i64 {
    execution.start_us.unwrap_or(i64::MIN)
}

/// What is kept of each execution.
enum Kept {
    /// Whole executions (for `--html`).
    All(Vec<Execution>),
    /// Table rows (with their sort key).
    Rows(Vec<(i64, Row)>),
    /// JSON lines in a temporary file: sort key, offset and length of each.
    Json {
        file: BufWriter<File>,
        written: u64,
        index: Vec<(i64, u64, usize)>,
    },
}

/// Takes executions as hosts close, filters (`--failed`) and redacts them, and keeps
/// what the output needs.
pub(super) struct Collector {
    failed_only: bool,
    redactor: Option<Redactor>,
    kept: Kept,
    keep: ExecutionFilter,
    /// Executions that passed `keep` (before `--failed`).
    seen: usize,
}

/// Which executions to keep (`--host`, `--grep`).
pub(super) type ExecutionFilter = Box<dyn Fn(&Execution) -> bool + Send>;

/// How the executions will be printed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// The human table.
    Table,
    /// One JSON object per line.
    Json,
    /// Whole executions kept, for the HTML page (and then the table or JSON).
    Whole,
}

impl Collector {
    /// A collector for `form`; `--json` output goes through an anonymous temporary file.
    ///
    /// # Errors
    /// The temporary file cannot be created.
    pub(super) fn new(
        form: Form,
        failed_only: bool,
        redactor: Option<Redactor>,
        keep: ExecutionFilter,
    ) -> io::Result<Self> {
        let kept = match form {
            Form::Whole => Kept::All(Vec::new()),
            Form::Table => Kept::Rows(Vec::new()),
            Form::Json => Kept::Json {
                file: BufWriter::new(crate::output::spill_file().map_err(temporary)?),
                written: 0,
                index: Vec::new(),
            },
        };
        Ok(Collector {
            failed_only,
            redactor,
            kept,
            keep,
            seen: 0,
        })
    }

    /// Takes the executions of the hosts just correlated.
    ///
    /// # Errors
    /// Writing the temporary file failed.
    pub(super) fn take(&mut self, executions: Vec<Execution>) -> io::Result<()> {
        for mut execution in executions {
            if !(self.keep)(&execution) {
                continue;
            }
            self.seen += 1;
            if self.failed_only && !execution.status.is_failure() {
                continue;
            }
            if let Some(redactor) = &self.redactor {
                execution.redact(redactor);
            }
            let key = sort_key(&execution);
            match &mut self.kept {
                Kept::All(all) => all.push(execution),
                Kept::Rows(rows) => rows.push((key, table_row(&execution))),
                Kept::Json {
                    file,
                    written,
                    index,
                } => {
                    let mut line = sonic_rs::to_vec(&execution).map_err(io::Error::other)?;
                    line.push(b'\n');
                    file.write_all(&line).map_err(temporary)?;
                    index.push((key, *written, line.len()));
                    *written += line.len() as u64;
                }
            }
        }
        Ok(())
    }

    /// The whole executions in order of start, when they were kept (`Form::Whole`).
    pub(super) fn executions(&mut self) -> Option<&[Execution]> {
        match &mut self.kept {
            Kept::All(all) => {
                all.sort_by_key(sort_key);
                Some(all)
            }
            _ => None,
        }
    }

    /// Writes the table, or the JSON lines, in order of start.
    ///
    /// # Errors
    /// Writing `out` or reading the temporary file back failed.
    pub(super) fn write(
        self,
        out: &mut impl Write,
        json: bool,
        style: TableStyle,
    ) -> io::Result<()> {
        let empty = Empty {
            seen: self.seen,
            failed_only: self.failed_only,
        };
        match self.kept {
            Kept::All(mut all) => {
                all.sort_by_key(sort_key);
                if json {
                    all.iter().try_for_each(|e| write_json(out, e))
                } else {
                    let rows: Vec<Row> = all.iter().map(table_row).collect();
                    write_table(out, &rows, style, empty)
                }
            }
            Kept::Rows(mut rows) => {
                rows.sort_by_key(|r| r.0);
                let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
                write_table(out, &rows, style, empty)
            }
            Kept::Json {
                file, mut index, ..
            } => {
                let mut file = file.into_inner().map_err(|e| temporary(e.into_error()))?;
                index.sort_by_key(|entry| entry.0);
                let mut line = Vec::new();
                for (_, offset, len) in index {
                    line.resize(len, 0);
                    file.seek(SeekFrom::Start(offset))
                        .and_then(|_| file.read_exact(&mut line))
                        .map_err(temporary)?;
                    out.write_all(&line)?;
                }
                Ok(())
            }
        }
    }
}

/// An error of the temporary file, said to be one (not one of stdout).
fn temporary(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("temporary file: {e}"))
}

/// The table's row of `e`.
fn table_row(e: &Execution) -> Row {
    Row {
        start: e
            .started
            .as_deref()
            .map_or_else(|| "-".to_owned(), compact_time),
        instance: e.instance_id.clone(),
        host: e.host.clone(),
        command: e.command.clone(),
        status: e.status,
        duration: human_duration(e.duration_ms),
        failed_step: e.failed_step.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::Status;

    fn execution(host: &str, start_us: Option<i64>, status: Status) -> Execution {
        Execution {
            instance_id: None,
            host: host.to_owned(),
            platform: "engine",
            command: "app-deploy".to_owned(),
            id: None,
            started: start_us.map(|us| format!("t{us}")),
            finished: None,
            duration_ms: Some(1500),
            status,
            returncode: None,
            steps: Vec::new(),
            failed_step: None,
            error: Some("password=hunter2".to_owned()),
            events: Vec::new(),
            sources: Vec::new(),
            error_at: None,
            start_us,
            end_us: None,
        }
    }

    /// Two hosts, correlated one after the other, whose executions interleave in time.
    fn hosts() -> [Vec<Execution>; 2] {
        [
            vec![
                execution("a", Some(10), Status::Success),
                execution("a", Some(30), Status::Failure),
            ],
            vec![
                execution("b", None, Status::Incomplete),
                execution("b", Some(20), Status::Failure),
                execution("b", Some(30), Status::Success),
            ],
        ]
    }

    fn collect(form: Form, failed_only: bool, json: bool) -> String {
        let mut collector =
            Collector::new(form, failed_only, Some(Redactor::new()), Box::new(|_| true)).unwrap();
        for host in hosts() {
            collector.take(host).unwrap();
        }
        let mut out = Vec::new();
        let style = TableStyle {
            colour: false,
            width: None,
        };
        collector.write(&mut out, json, style).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// (host, started) of each JSON line.
    fn order(json_lines: &str) -> Vec<(String, Option<String>)> {
        json_lines
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["host"].as_str().unwrap().to_owned(),
                    v["started"].as_str().map(str::to_owned),
                )
            })
            .collect()
    }

    #[test]
    fn json_lines_come_back_from_the_spill_in_order_of_start() {
        let spilled = collect(Form::Json, false, true);
        let expected = vec![
            ("b".to_owned(), None),
            ("a".to_owned(), Some("t10".to_owned())),
            ("b".to_owned(), Some("t20".to_owned())),
            // A tie keeps the order the hosts were correlated in.
            ("a".to_owned(), Some("t30".to_owned())),
            ("b".to_owned(), Some("t30".to_owned())),
        ];
        assert_eq!(order(&spilled), expected);
        assert!(!spilled.contains("hunter2"), "{spilled}");
        // Whole executions (kept for --html) print the same lines.
        assert_eq!(collect(Form::Whole, false, true), spilled);
    }

    #[test]
    fn failed_only_keeps_failures_in_table_and_json() {
        let json = collect(Form::Json, true, true);
        assert_eq!(
            order(&json),
            vec![
                ("b".to_owned(), Some("t20".to_owned())),
                ("a".to_owned(), Some("t30".to_owned())),
            ]
        );
        let table = collect(Form::Table, true, false);
        let rows: Vec<&str> = table.lines().collect();
        assert_eq!(rows.len(), 3, "{table}");
        assert!(rows[0].starts_with("START"));
        assert_eq!(
            rows[1], "t20          -         b     app-deploy  FAILURE  1.5s",
            "{table}"
        );
        assert_eq!(
            rows[2], "t30          -         a     app-deploy  FAILURE  1.5s",
            "{table}"
        );
        assert_eq!(collect(Form::Whole, true, false), table);
    }
}
