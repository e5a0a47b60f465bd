//! The rows of the `events` table: one per event of every command result a record holds.
//! Both dataset formats (Parquet and JSON lines) take their rows from [`event_rows`], so
//! they cannot disagree on a column.
#![forbid(unsafe_code)]

use crate::record::{Event, Record};
use eblog_grammars::result_json::{CommandResult, ResultEvent};

/// One row of the `events` table, borrowed from its record (not yet redacted).
#[derive(Debug, Clone, Copy)]
pub struct EventRow<'a> {
    /// The record that holds the result.
    pub record: &'a Record,
    /// The EB command the result answers, where the record names it (cfn-hup's
    /// `Sending` line); `None` for a command processor's result and an action's output,
    /// which do not.
    pub command: Option<&'a str>,
    /// The status of the result's entry (the result's status when the entry has none).
    pub status: &'a str,
    /// The entry's return code.
    pub returncode: Option<i64>,
    /// The event.
    pub event: &'a ResultEvent,
}

/// The command result `event` holds, with the command it names, if any.
pub fn held_result(event: &Event) -> Option<(&CommandResult, Option<&str>)> {
    match event {
        Event::CommandResult {
            result: Some(result),
            ..
        }
        | Event::ActionOutput {
            result: Some(result),
            ..
        } => Some((result, None)),
        Event::ResultSent {
            payload: Some(payload),
            ..
        } => payload
            .result
            .as_ref()
            .map(|result| (result, payload.command_name.as_deref())),
        _ => None,
    }
}

/// The `events` rows of `records`, in order.
pub fn event_rows(records: &[Record]) -> impl Iterator<Item = EventRow<'_>> {
    records.iter().flat_map(|record| {
        held_result(&record.event)
            .into_iter()
            .flat_map(move |(result, command)| {
                result.results.iter().flat_map(move |entry| {
                    let status = entry.status.as_deref().unwrap_or(&result.status);
                    entry.events.iter().map(move |event| EventRow {
                        record,
                        command,
                        status,
                        returncode: entry.returncode,
                        event,
                    })
                })
            })
    })
}
