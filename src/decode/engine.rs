//! eb-engine.log and eb-hooks.log messages → events (docs/formats.md "eb-engine.log", "eb-hooks.log").

use super::{Found, Message};
use crate::record::Event;
use eblog_grammars::engine::{parse_message, Chatter, EngineMessage};
use eblog_grammars::result_json::parse_result_json;

/// The event of one eb-engine.log record. `prev` is the kind of the record before it in the
/// same file: the engine logs a command's output as records of their own right after
/// `Running command`, with no template to tell them by.
pub(crate) fn event(msg: &Message<'_>, prev: Option<&Event>) -> Found {
    let Some(parsed) = parse_message(msg.first) else {
        return unknown(msg, prev);
    };
    let event = match parsed {
        EngineMessage::Start => Event::EngineStart,
        EngineMessage::ReceivedCommand { command } => Event::CommandReceived {
            command: command.to_owned(),
            stage: None,
            invocation_id: None,
            request_id: None,
            payload: None,
        },
        EngineMessage::EngineCommand { command } => Event::CommandStart {
            command: Some(command.to_owned()),
            stage: None,
            label: None,
        },
        EngineMessage::Applicability { applicable, .. } => Event::Applicability { applicable },
        EngineMessage::Instruction { name } => Event::ActionStart {
            action: name.to_owned(),
            index: None,
            total: None,
        },
        EngineMessage::RunningCommand { command, .. } => Event::CommandExec {
            command: command.to_owned(),
        },
        EngineMessage::CommandError {
            command,
            instruction,
            error,
        } => {
            let error = msg.tail_from(error).trim_end().to_owned();
            Event::CommandFailed {
                command: Some(command.to_owned()),
                stage: None,
                step: Some(instruction.to_owned()),
                exit_code: exit_status(&error),
                error: Some(error),
                exceptions: Vec::new(),
            }
        }
        EngineMessage::Cleanup => Event::Cleanup,
        EngineMessage::Response { json } => match parse_result_json(json.trim()) {
            Ok(result) => Event::CommandResult {
                result: Some(result),
                parse_error: None,
            },
            Err(e) => Event::CommandResult {
                result: None,
                parse_error: Some(e.to_string()),
            },
        },
        EngineMessage::Finished { command } => Event::CommandFinished {
            command: command.to_owned(),
        },
        EngineMessage::HooksStart { dir } => hook_dir(dir, "start", ""),
        EngineMessage::HooksMissing { dir } => hook_dir(dir, "missing", ""),
        EngineMessage::HooksOrder { hooks } => hook_dir("", "order", hooks),
        EngineMessage::HooksFinished { dir } => hook_dir(dir, "finished", ""),
        EngineMessage::RunningHook { path } => Event::HookStart {
            hook: path.to_owned(),
        },
        EngineMessage::ConfigSet {
            name,
            finished: false,
        } => Event::ConfigSetStart {
            config_set: name.to_owned(),
        },
        EngineMessage::ConfigSet {
            name,
            finished: true,
        } => Event::ConfigSetEnd {
            config_set: name.to_owned(),
        },
        EngineMessage::Leader { is_leader } => Event::LeaderElection {
            is_leader,
            leader: None,
            hook: None,
        },
        EngineMessage::Warning { process } => Event::ProcessWarning {
            process: process.map(str::to_owned),
        },
        EngineMessage::Chatter(Chatter::Download) => Event::Download,
        EngineMessage::Chatter(Chatter::Manifest) => Event::Manifest,
        EngineMessage::Chatter(_) => Event::Setup,
    };
    event.into()
}

/// The status of `... failed with error exit status N` in an engine error text.
fn exit_status(error: &str) -> Option<i64> {
    let (_, after) = error.split_once("exit status ")?;
    let digits: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().ok()
}

fn hook_dir(dir: &str, state: &'static str, hooks: &str) -> Event {
    Event::HookDir {
        dir: dir.to_owned(),
        state,
        hooks: hooks.split_whitespace().map(str::to_owned).collect(),
    }
}

/// A message with no template: the output of the command just run, when one was; else an
/// error or `other` by level.
fn unknown(msg: &Message<'_>, prev: Option<&Event>) -> Found {
    match prev {
        Some(Event::CommandExec { command })
        | Some(Event::CommandOutput {
            command: Some(command),
        }) if !msg.is_error_level() => Event::CommandOutput {
            command: Some(command.clone()),
        }
        .into(),
        _ => super::generic::event(msg),
    }
}
