//! Files already in memory (a Spark task's, a Lambda's): opened, unwrapped and parsed
//! as the CLI does the same bytes read from disk.

use crate::options::Options;
use arrow_array::RecordBatch;
use eblog::correlate::{shapes_executions, slim, Correlator, Execution};
use eblog::input::{open_bytes, InputError, Unit};
use eblog::pipeline::parse_unit;
use eblog::record::Record;
use eblog::sink::commands::commands_batch;
use eblog::sink::parquet::{records_batch, MAX_ROW_GROUP_ROWS};
use std::io;
use std::path::PathBuf;

/// One file's bytes and what the CLI would know of it.
pub struct File {
    /// The name records carry in `source` and formats are detected by.
    pub name: String,
    /// The bytes (gzip and zip are opened).
    pub data: Vec<u8>,
    /// Year and month the file was last written, for stamps without a year.
    pub written: Option<(i32, u32)>,
    /// `true`: parsed whatever it holds (a file the user named); `false`: skipped when its
    /// format is unknown (a file found in a directory).
    pub explicit: bool,
}

/// Opens `file` into units (a zip's members, a gzip's content), calling `each` for
/// every unit; the first input error is returned, naming the member.
fn units(file: File, each: &mut dyn FnMut(Unit) -> io::Result<()>) -> io::Result<()> {
    let mut result = Ok(());
    let mut first_error: Option<InputError> = None;
    open_bytes(
        file.name.clone(),
        PathBuf::from(&file.name),
        file.data,
        file.explicit,
        file.written,
        &mut |unit| match unit {
            Ok(unit) if result.is_ok() => result = each(unit),
            Ok(_) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        },
    );
    result?;
    match first_error {
        Some(e) => Err(io::Error::new(e.error.kind(), format!("eblog: {e}"))),
        None => Ok(()),
    }
}

/// The records of `file`, as batches of the `records` table.
pub fn records(file: File, options: &Options) -> io::Result<Vec<RecordBatch>> {
    let mut records: Vec<Record> = Vec::new();
    let parse = options.scan.parse;
    units(file, &mut |unit| {
        parse_unit(&unit, parse, &mut records).map(|_| ())
    })?;
    records
        .chunks(MAX_ROW_GROUP_ROWS)
        .map(|chunk| records_batch(chunk, options.redactor.as_ref()))
        .collect()
}

/// The executions of `files` (name, bytes), correlated host by host.
pub fn commands(files: Vec<(String, Vec<u8>)>, options: &Options) -> io::Result<RecordBatch> {
    let mut correlator = Correlator::new(None, None, false);
    let parse = options.scan.parse;
    for (name, data) in files {
        let file = File {
            name,
            data,
            written: None,
            explicit: false,
        };
        units(file, &mut |unit| {
            let mut records: Vec<Record> = Vec::new();
            parse_unit(&unit, parse, &mut records)?;
            for mut record in records.into_iter().filter(shapes_executions) {
                slim(&mut record);
                correlator.push(Box::new(record));
            }
            Ok(())
        })?;
    }
    let (executions, _) = correlator.finish();
    executions_batch(executions, options)
}

/// Redacts `executions` (unless `redact=False`) and encodes them as the `commands` table.
pub fn executions_batch(
    mut executions: Vec<Execution>,
    options: &Options,
) -> io::Result<RecordBatch> {
    if let Some(redactor) = &options.redactor {
        executions.iter_mut().for_each(|e| e.redact(redactor));
    }
    commands_batch(&executions)
}
