//! eb-commandprocessor.log messages → events (docs/formats.md "eb-commandprocessor.log").

use super::generic::exceptions;
use super::{Found, Message};
use crate::record::Event;
use eblog_grammars::cmd_processor::{parse_message, Chatter, CmdProcessorMessage};
use eblog_grammars::result_json::parse_result_json;
use eblog_grammars::ruby_exception::parse_chain;
use eblog_grammars::ruby_hash::parse_json_or_ruby;

/// The event of one eb-commandprocessor.log record.
pub(crate) fn event(msg: &Message<'_>) -> Found {
    let Some(parsed) = parse_message(msg.first) else {
        return fallback(msg);
    };
    let event = match parsed {
        CmdProcessorMessage::ReceivedCommand { name, payload } => {
            let payload = parse_json_or_ruby(payload).ok();
            let request_id = payload
                .as_ref()
                .and_then(|p| p.get("request_id"))
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            let stage = name.stage.or_else(|| {
                let v = payload.as_ref()?.get("stage_num")?;
                v.as_u64()
                    .or_else(|| v.as_str()?.parse().ok())
                    .and_then(|n| u32::try_from(n).ok())
            });
            Event::CommandReceived {
                command: name.command.to_owned(),
                stage,
                invocation_id: None,
                request_id,
                payload,
            }
        }
        CmdProcessorMessage::Applicability {
            instance_id,
            applicable,
        } => {
            return Found {
                event: Event::Applicability { applicable },
                instance_id: instance_id
                    .filter(|id| id.starts_with("i-"))
                    .map(str::to_owned),
                ts: None,
            };
        }
        CmdProcessorMessage::Executing { name, label } => Event::CommandStart {
            command: name.map(|n| n.command.to_owned()),
            stage: name.and_then(|n| n.stage),
            label: label.map(str::to_owned),
        },
        CmdProcessorMessage::Addons { phase, name } => Event::StageStart {
            command: name.command.to_owned(),
            stage: None,
            name: Some(phase.to_owned()),
        },
        CmdProcessorMessage::StagesPlanned { name, from, to } => Event::StagesPlanned {
            command: name.command.to_owned(),
            from,
            to,
        },
        CmdProcessorMessage::StageStart { stage, name } => Event::StageStart {
            command: name.command.to_owned(),
            stage: Some(stage),
            name: None,
        },
        CmdProcessorMessage::ActionsLoaded { count, stage } => {
            Event::ActionsLoaded { stage, count }
        }
        CmdProcessorMessage::ActionStart {
            index,
            total,
            action,
        } => Event::ActionStart {
            action: action.to_owned(),
            index: Some(index),
            total: Some(total),
        },
        CmdProcessorMessage::CommandSucceeded { name } => Event::CommandSucceeded {
            command: name.command.to_owned(),
            stage: name.stage,
        },
        CmdProcessorMessage::CommandFailed { name } => Event::CommandFailed {
            command: Some(name.command.to_owned()),
            stage: name.stage,
            step: None,
            exit_code: None,
            error: None,
            exceptions: Vec::new(),
        },
        CmdProcessorMessage::ExecutionFailed { first_line } => {
            let text = msg.tail_from(first_line);
            let chain = parse_chain(&text);
            let error = chain.first().map(|l| l.message.clone());
            Event::CommandFailed {
                command: None,
                stage: None,
                step: None,
                exit_code: None,
                error,
                exceptions: exceptions(chain),
            }
        }
        CmdProcessorMessage::ReturningResults { inline } => {
            let json = if inline.is_empty() {
                msg.rest.unwrap_or("").trim()
            } else {
                inline
            };
            match parse_result_json(json) {
                Ok(result) => Event::CommandResult {
                    result: Some(result),
                    parse_error: None,
                },
                Err(e) => Event::CommandResult {
                    result: None,
                    parse_error: Some(e.to_string()),
                },
            }
        }
        CmdProcessorMessage::LeaderElection { is_leader } => Event::LeaderElection {
            is_leader,
            leader: None,
            hook: None,
        },
        CmdProcessorMessage::Chatter(group) => match group {
            Chatter::Metadata => Event::Metadata,
            Chatter::Addons => Event::Addons,
            Chatter::Manifest => Event::Manifest,
            Chatter::StageCheck => Event::StageCheck,
            Chatter::Setup => Event::Setup,
            Chatter::Maintenance => Event::Maintenance,
            Chatter::Download => Event::Download,
            Chatter::HeartbeatReport => Event::Heartbeat {
                loop_name: "command-processor".to_owned(),
            },
        },
    };
    event.into()
}

/// Unknown templates: an error level carries a `format_exception` text (the top-level
/// rescue of `bin/command-processor`), anything else is `other`.
fn fallback(msg: &Message<'_>) -> Found {
    if !msg.is_error_level() {
        return Event::Other.into();
    }
    let text = msg.tail_from(msg.first);
    let chain = parse_chain(&text);
    let first = chain.first();
    Event::Error {
        error: first.map_or_else(|| msg.first.to_owned(), |l| l.message.clone()),
        exception: first.and_then(|l| l.class.map(str::to_owned)),
        detail: None,
        traceback: first
            .map(|l| l.backtrace.iter().map(|s| (*s).to_owned()).collect())
            .unwrap_or_default(),
    }
    .into()
}
