//! eblog turns the logs AWS Elastic Beanstalk's on-instance agents write (cfn-hup, the
//! legacy command processor and its activity log, ...) into typed, structured records.
//!
//! Data flow: input → format detection ([`framing`]) → framing into spans → header and
//! template grammars ([`eblog_grammars`]) → typed [`record::Record`] ([`decode`]) →
//! redaction ([`redact`]) → a [`sink::RecordSink`].
//!
//! ```
//! use eblog::pipeline::{parse_buffer, ParseOptions};
//! use eblog::record::{Event, Format, Record};
//!
//! let log = b"[2019-03-04T17:22:05.123Z] INFO  [3127]  : Running 2 of 6 actions: AppDeployPreHook...\n";
//! let mut records: Vec<Record> = Vec::new();
//! let summary = parse_buffer("eb-commandprocessor.log", None, log, ParseOptions::default(), &mut records)?;
//! assert_eq!(summary.format, Some(Format::CmdProcessor));
//! assert_eq!(records[0].ts.as_deref(), Some("2019-03-04T17:22:05.123Z"));
//! assert_eq!(
//!     records[0].event,
//!     Event::ActionStart { action: "AppDeployPreHook".into(), index: Some(2), total: Some(6) }
//! );
//! # Ok::<(), std::io::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_code)]

pub mod cli;
pub mod correlate;
pub mod decode;
pub mod filter;
pub mod follow;
pub mod formats;
pub mod framing;
pub mod ids;
pub mod input;
mod mapped;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod redact;
pub mod report;
pub mod scan;
pub mod shard;
pub mod sink;
pub mod time;
