//! cfn-hup.log messages → events (docs/formats.md "cfn-hup.log").

use super::generic::python_error;
use super::{Found, Message};
use crate::record::{ActionStatus, Event};
use eblog_grammars::cfn_hup::{
    parse_message, ActionOutcome, CfnHupMessage, MessageStage, SkipReason,
};
use eblog_grammars::py_repr::parse_py_repr;
use eblog_grammars::result_json::{parse_result_json, parse_sent_message};
use serde_json::Value;

fn field(dict: &Option<Value>, key: &str) -> Option<String> {
    dict.as_ref()?.get(key)?.as_str().map(str::to_owned)
}

/// The event of one cfn-hup.log record.
pub(crate) fn event(msg: &Message<'_>) -> Found {
    let Some(parsed) = parse_message(msg.first) else {
        // cfn-init.log has the same layout; a piece of one read from stdin may be taken
        // for cfn-hup before any line tells them apart, so its templates are tried too.
        return super::cfn_init::cfn_init(msg);
    };
    let event = match parsed {
        CfnHupMessage::CommandMessage { stage, payload } => {
            let dict = parse_py_repr(payload).ok();
            Event::CommandMessage {
                stage: match stage {
                    MessageStage::Processing => "processing",
                    MessageStage::Command => "command",
                },
                command: field(&dict, "CommandName"),
                invocation_id: field(&dict, "InvocationId"),
                dispatcher_id: field(&dict, "DispatcherId"),
                payload: dict,
            }
        }
        CfnHupMessage::ReceivedCommand {
            command,
            invocation_id,
        } => Event::CommandReceived {
            command: command.to_owned(),
            stage: None,
            invocation_id: Some(invocation_id.to_owned()),
            request_id: None,
            payload: None,
        },
        CfnHupMessage::Skipped {
            reason: SkipReason::AlreadyRun,
            invocation_id: None,
            command: None,
            detail: Some(id),
        } => {
            // The run id is `DispatcherId|CommandName|InvocationId`.
            let mut parts = id.rsplitn(3, '|');
            let (invocation, command) = (parts.next(), parts.next());
            Event::CommandSkipped {
                reason: "already_run",
                invocation_id: command.and(invocation).map(str::to_owned),
                command: command.map(str::to_owned),
                detail: Some(id.to_owned()),
            }
        }
        CfnHupMessage::Skipped {
            reason,
            invocation_id,
            command,
            detail,
        } => Event::CommandSkipped {
            reason: match reason {
                SkipReason::Expired => "expired",
                SkipReason::AlreadyRun => "already_run",
                SkipReason::Invalid => "invalid",
            },
            invocation_id: invocation_id.map(str::to_owned),
            command: command.map(str::to_owned),
            detail: detail.map(|d| msg.tail_from(d)),
        },
        CfnHupMessage::Leader {
            hook,
            is_leader,
            leader,
            ..
        } => Event::LeaderElection {
            is_leader,
            leader: leader.map(str::to_owned),
            hook: hook.map(str::to_owned),
        },
        CfnHupMessage::RunningAction { hook } => Event::ActionStart {
            action: hook.to_owned(),
            index: None,
            total: None,
        },
        CfnHupMessage::ActionEnvironment { payload } => Event::ActionEnvironment {
            env: parse_py_repr(payload).ok(),
        },
        CfnHupMessage::ActionOutput { hook, output } => {
            let output = msg.tail_from(output);
            let result = parse_result_json(output.trim()).ok();
            Event::ActionOutput {
                action: hook.to_owned(),
                output,
                result,
            }
        }
        CfnHupMessage::ActionResult {
            hook,
            outcome,
            exit_code,
        } => Event::ActionResult {
            action: hook.to_owned(),
            status: match outcome {
                ActionOutcome::Succeeded => ActionStatus::Success,
                ActionOutcome::Failed | ActionOutcome::OutputTooLong => ActionStatus::Failure,
                ActionOutcome::WillRetry => ActionStatus::Retry,
            },
            exit_code: exit_code.and_then(|c| c.trim().parse().ok()),
            reason: (outcome == ActionOutcome::OutputTooLong)
                .then(|| "stdout longer than 1024 bytes".to_owned()),
        },
        CfnHupMessage::Sending { body, queue } => {
            let payload = parse_sent_message(body).ok();
            let instance_id = payload
                .as_ref()
                .and_then(|p| p.listener_id.clone())
                .filter(|id| id.starts_with("i-"));
            let event = Event::ResultSent {
                queue: queue.to_owned(),
                payload,
            };
            return Found {
                event,
                instance_id,
                ts: None,
            };
        }
        CfnHupMessage::Deleting { queue, .. } => Event::MessageDeleted {
            queue: queue.to_owned(),
        },
        CfnHupMessage::Receiving { queue } => Event::QueuePoll {
            queue: queue.to_owned(),
        },
        CfnHupMessage::Heartbeat { loop_name } => Event::Heartbeat {
            loop_name: loop_name.to_owned(),
        },
        CfnHupMessage::Credentials { next_refresh_s } => Event::CredentialsRefresh {
            next_refresh_s: next_refresh_s.and_then(|s| s.parse().ok()),
        },
        CfnHupMessage::Config { umask } => Event::DaemonConfig {
            umask: umask.map(str::to_owned),
        },
        CfnHupMessage::Retry { seconds } => Event::Retry {
            delay_s: seconds.parse().ok(),
        },
        CfnHupMessage::Client => Event::ClientCall,
        CfnHupMessage::HookTrigger {
            hook,
            path,
            will_run,
        } => Event::HookTrigger {
            hook: hook.to_owned(),
            path: path.map(str::to_owned),
            will_run,
        },
        CfnHupMessage::Shutdown => Event::Shutdown,
    };
    // A template recognised on an error line that carries a traceback is still an error.
    if msg.is_error_level()
        && msg
            .rest
            .is_some_and(|r| r.contains("Traceback (most recent call last):"))
    {
        return python_error(msg).into();
    }
    event.into()
}
