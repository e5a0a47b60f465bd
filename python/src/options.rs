//! The keyword arguments every function shares, checked once and turned into the
//! library's options.

use eblog::pipeline::ParseOptions;
use eblog::record::Format;
use eblog::redact::Redactor;
use eblog::scan::ScanOptions;
use eblog::time::Zone;
use pyo3::exceptions::PyValueError;
use pyo3::PyResult;

/// Parse and scan options, and the redactor (`None` with `redact=False`).
pub struct Options {
    /// What the scanner is told (threads, format, zone).
    pub scan: ScanOptions,
    /// The redactor, as `eblog scan` uses it unless `--no-redact`.
    pub redactor: Option<Redactor>,
}

impl Options {
    /// Checks `format` (a format name, as `eblog formats` lists them) and `tz` (`UTC`,
    /// `+HH:MM` or an IANA name) as the CLI does, and raises `ValueError` otherwise.
    pub fn new(format: Option<&str>, redact: bool, tz: &str, threads: usize) -> PyResult<Self> {
        let format = match format {
            None => None,
            Some(name) => Some(Format::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                PyValueError::new_err(format!(
                    "unknown format {name:?}; one of: {}",
                    known.join(", ")
                ))
            })?),
        };
        let zone: Zone = tz
            .parse()
            .map_err(|e: String| PyValueError::new_err(format!("tz={tz:?}: {e}")))?;
        let now = chrono::Utc::now();
        let parse = ParseOptions {
            format,
            zone,
            // As the CLI: an input without a modification time is being written now.
            written: Some((chrono::Datelike::year(&now), chrono::Datelike::month(&now))),
            ..ParseOptions::default()
        };
        Ok(Self {
            scan: ScanOptions {
                threads,
                parse,
                ..ScanOptions::default()
            },
            redactor: redact.then(Redactor::new),
        })
    }
}
