//! Message templates of cfn-hup.log (docs/formats.md "cfn-hup.log"): what follows the
//! `amzn` header on the first line of a record.
//!
//! <pre>
//! message        = command-message / received / skipped / leader / action / sending
//!                / deleting / receiving / heartbeat / credentials / config / retry
//!                / client / hook-trigger / shutdown / text
//! command-message= ("Processing message: " / "Command message: ") py-repr
//! received       = "Received command " name " (invocation id: " id ")"
//! skipped        = "Invocation " id " of command " name " for stack " dispatcher
//!                  ( " expired at " iso "; skipping" / " has already run; skipping" )
//!                / "Already ran " id ", deleting"
//!                / "Invalid message, deleting: " text / "Received invalid message"
//!                / "Invalid message received; deleting it"
//! leader         = "Hook " hook " is configured to run as a singleton"
//!                / "This listener is the leader." *SP "Continuing with action"
//!                / "This listener is not the leader; " id " is the leader."
//!                / "Attempting to elect '" id "' as leader for stack: " stack
//!                  ", command: " name ", invocation: " id
//! action         = "Running action for " hook / "Action environment: " py-repr
//!                / "Action for " hook " output: " raw
//!                / "Action for " hook " succeeded, returning SUCCESS"
//!                / "Action for " hook " exited with " code ( ", returning FAILURE"
//!                  / "; will retry on next iteration" )
//!                / "stdout for " hook " was greater than 1024 in length, which is not allowed"
//! sending        = "Sending " json " to queue" [ SP url ]  ; split at the last " to queue"
//! deleting       = "Deleting " handle " from queue " url
//! receiving      = "Receiving messages for queue " url
//! heartbeat      = ("cfn-hup" / "command") " processing is alive."
//! credentials    = "Refreshing listener credentials" / "Refreshing role-based credentials"
//!                / "Scheduling next credential refresh in " seconds " seconds"
//! config         = "Setting umask value to: " octal
//!                / "No umask value specified in config file. Using the default one: " octal
//!                / "Enabled single threading mode." / "Creating " path
//!                / "Could not create " path "; using temporary directory"
//!                / "runas is not supported on this operating system"
//! retry          = "Sleeping for " seconds " seconds before retrying"
//!                / "Timeout of " seconds " seconds breached"
//! client         = ("SQS" / "CloudFormation") " client initialized with endpoint " url
//!                / "Describing resource " id " in stack " stack
//!                / "Registering listener " id " for stack " stack
//!                / "Get listener credentials for listener " id " in stack " stack
//!                / "Skipping resource " ... / "No metadata for " ... / "Signaling resource " ...
//!                / endpoint, user-agent, S3 redirect and authentication notes
//! hook-trigger   = "Previous state not found; action for " hook " will be run"
//!                / "Path " path " was removed; action for " hook " will be run"
//!                / "Data has changed from previous state; action for " hook " will be run"
//!                / "No change in path " path " for hook " hook
//! shutdown       = "Shutting down cfn-hup"
//! text           = *CHAR                                  ; any other template
//! </pre>

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until, take_while1};
use nom::combinator::{all_consuming, rest, value};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

/// Which of the two debug lines logged a command message dict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStage {
    /// `Processing message: %s`
    Processing,
    /// `Command message: %s`
    Command,
}

/// Why cfn-hup did not run a command it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The invocation's `Expiration` had passed.
    Expired,
    /// The invocation was already in `commands_run.json`.
    AlreadyRun,
    /// The SQS message could not be understood.
    Invalid,
}

/// What an action's exit meant to cfn-hup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionOutcome {
    /// `succeeded, returning SUCCESS`.
    Succeeded,
    /// `exited with N, returning FAILURE` (command hooks).
    Failed,
    /// `exited with N; will retry on next iteration` (metadata hooks).
    WillRetry,
    /// stdout longer than 1024 bytes: turned into a FAILURE result.
    OutputTooLong,
}

/// A recognised cfn-hup.log message template, borrowing from the message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CfnHupMessage<'a> {
    /// `Processing message: {...}` / `Command message: {...}`.
    CommandMessage {
        /// Which of the two lines.
        stage: MessageStage,
        /// The Python `repr` of the command message dict.
        payload: &'a str,
    },
    /// `Received command NAME (invocation id: ID)`.
    ReceivedCommand {
        /// Command name, e.g. `ElasticBeanstalkCommand-AWSEBAutoScalingGroup`.
        command: &'a str,
        /// Invocation id.
        invocation_id: &'a str,
    },
    /// A received command that was not run.
    Skipped {
        /// Why.
        reason: SkipReason,
        /// Invocation id, where the template names it.
        invocation_id: Option<&'a str>,
        /// Command name, where the template names it.
        command: Option<&'a str>,
        /// Free text the template carries: the dispatcher id and expiry, the run id
        /// `Dispatcher|Command|Invocation`, or the invalid message.
        detail: Option<&'a str>,
    },
    /// Leader-election chatter around singleton hooks.
    Leader {
        /// Hook name, where named.
        hook: Option<&'a str>,
        /// `Some(true)` when this listener won, `Some(false)` when another did.
        is_leader: Option<bool>,
        /// The leader's listener id, where named.
        leader: Option<&'a str>,
        /// Invocation id, where named.
        invocation_id: Option<&'a str>,
    },
    /// `Running action for HOOK`.
    RunningAction {
        /// Hook name (`aws-eb-command-handler` on EB).
        hook: &'a str,
    },
    /// `Action environment: {...}`.
    ActionEnvironment {
        /// The Python `repr` of the environment dict.
        payload: &'a str,
    },
    /// `Action for HOOK output: TEXT` (the text may go on over continuation lines).
    ActionOutput {
        /// Hook name.
        hook: &'a str,
        /// The first line of the output (`<None>` when there was none).
        output: &'a str,
    },
    /// How an action ended.
    ActionResult {
        /// Hook name.
        hook: &'a str,
        /// The outcome.
        outcome: ActionOutcome,
        /// Exit code as written, for the two `exited with` templates.
        exit_code: Option<&'a str>,
    },
    /// `Sending JSON to queue URL`.
    Sending {
        /// The `json.dumps` text of the result message.
        body: &'a str,
        /// Result queue URL.
        queue: &'a str,
    },
    /// `Deleting HANDLE from queue URL`.
    Deleting {
        /// SQS receipt handle.
        receipt_handle: &'a str,
        /// Queue URL.
        queue: &'a str,
    },
    /// `Receiving messages for queue URL`.
    Receiving {
        /// Queue URL.
        queue: &'a str,
    },
    /// `cfn-hup processing is alive.` / `command processing is alive.`.
    Heartbeat {
        /// `cfn-hup` (metadata loop) or `command` (command loop).
        loop_name: &'a str,
    },
    /// Listener or role credential refresh.
    Credentials {
        /// Seconds until the next refresh, as written, for the scheduling line.
        next_refresh_s: Option<&'a str>,
    },
    /// Daemon configuration: umask, threading mode, data directory.
    Config {
        /// The umask, as written, for the umask lines.
        umask: Option<&'a str>,
    },
    /// Back-off in the HTTP retry loop.
    Retry {
        /// Seconds, as written.
        seconds: &'a str,
    },
    /// AWS client chatter (endpoint set-up, describe, register, credential fetch).
    Client,
    /// A metadata-change hook decided whether to run.
    HookTrigger {
        /// Hook name.
        hook: &'a str,
        /// Watched path, where named.
        path: Option<&'a str>,
        /// Whether the hook's action will run.
        will_run: bool,
    },
    /// `Shutting down cfn-hup`.
    Shutdown,
}

type Res<'a, T> = IResult<&'a str, T>;

/// Text up to (not including) `sep`, then `sep` itself.
fn upto<'a>(
    sep: &'static str,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    terminated(take_until(sep), tag(sep))
}

fn command_message(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    let stage = alt((
        value(MessageStage::Processing, tag("Processing message: ")),
        value(MessageStage::Command, tag("Command message: ")),
    ));
    (stage, rest)
        .map(|(stage, payload)| CfnHupMessage::CommandMessage { stage, payload })
        .parse(i)
}

fn received(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    (
        tag("Received command "),
        upto(" (invocation id: "),
        take_until(")"),
        tag(")"),
    )
        .map(
            |(_, command, invocation_id, _)| CfnHupMessage::ReceivedCommand {
                command,
                invocation_id,
            },
        )
        .parse(i)
}

fn skipped(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    let invocation = (
        tag("Invocation "),
        upto(" of command "),
        upto(" for stack "),
        rest,
    )
        .map(|(_, invocation_id, command, tail): (_, _, _, &str)| {
            let reason = if tail.ends_with(" has already run; skipping") {
                SkipReason::AlreadyRun
            } else {
                SkipReason::Expired
            };
            CfnHupMessage::Skipped {
                reason,
                invocation_id: Some(invocation_id),
                command: Some(command),
                detail: Some(tail),
            }
        });
    let already = delimited(
        tag("Already ran "),
        take_until(", deleting"),
        tag(", deleting"),
    )
    .map(|id| CfnHupMessage::Skipped {
        reason: SkipReason::AlreadyRun,
        invocation_id: None,
        command: None,
        detail: Some(id),
    });
    let invalid = alt((
        preceded(tag("Invalid message, deleting: "), rest).map(Some),
        value(None, tag("Received invalid message")),
        value(None, tag("Invalid message received; deleting it")),
    ))
    .map(|detail| CfnHupMessage::Skipped {
        reason: SkipReason::Invalid,
        invocation_id: None,
        command: None,
        detail,
    });
    alt((invocation, already, invalid)).parse(i)
}

fn leader(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    let singleton = delimited(
        tag("Hook "),
        take_until(" is configured"),
        tag(" is configured to run as a singleton"),
    )
    .map(|hook| CfnHupMessage::Leader {
        hook: Some(hook),
        is_leader: None,
        leader: None,
        invocation_id: None,
    });
    let is_leader = value(
        CfnHupMessage::Leader {
            hook: None,
            is_leader: Some(true),
            leader: None,
            invocation_id: None,
        },
        tag("This listener is the leader."),
    );
    let not_leader = delimited(
        tag("This listener is not the leader; "),
        take_until(" is the leader"),
        rest,
    )
    .map(|id| CfnHupMessage::Leader {
        hook: None,
        is_leader: Some(false),
        leader: Some(id),
        invocation_id: None,
    });
    let attempt = (
        tag("Attempting to elect '"),
        upto("' as leader for stack: "),
        upto(", command: "),
        upto(", invocation: "),
        rest,
    )
        .map(
            |(_, id, _stack, _command, invocation)| CfnHupMessage::Leader {
                hook: None,
                is_leader: None,
                leader: Some(id),
                invocation_id: Some(invocation),
            },
        );
    alt((singleton, is_leader, not_leader, attempt)).parse(i)
}

fn action(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    let running = preceded(tag("Running action for "), rest)
        .map(|hook| CfnHupMessage::RunningAction { hook });
    let env = preceded(tag("Action environment: "), rest)
        .map(|payload| CfnHupMessage::ActionEnvironment { payload });
    let output = (tag("Action for "), upto(" output: "), rest)
        .map(|(_, hook, output)| CfnHupMessage::ActionOutput { hook, output });
    // "Action for <None> output:" with an empty output has no space after the colon.
    let empty_output = (
        tag("Action for "),
        take_until(" output:"),
        all_consuming(tag(" output:")),
    )
        .map(|(_, hook, _)| CfnHupMessage::ActionOutput { hook, output: "" });
    let succeeded = (tag("Action for "), upto(" succeeded, returning SUCCESS")).map(|(_, hook)| {
        CfnHupMessage::ActionResult {
            hook,
            outcome: ActionOutcome::Succeeded,
            exit_code: None,
        }
    });
    let exited = (
        tag("Action for "),
        upto(" exited with "),
        take_while1(|c: char| c != ',' && c != ';'),
        alt((
            value(ActionOutcome::Failed, tag(", returning FAILURE")),
            value(
                ActionOutcome::WillRetry,
                tag("; will retry on next iteration"),
            ),
        )),
    )
        .map(|(_, hook, code, outcome)| CfnHupMessage::ActionResult {
            hook,
            outcome,
            exit_code: Some(code),
        });
    let too_long = delimited(
        tag("stdout for "),
        take_until(" was greater than 1024"),
        rest,
    )
    .map(|hook| CfnHupMessage::ActionResult {
        hook,
        outcome: ActionOutcome::OutputTooLong,
        exit_code: None,
    });
    alt((
        running,
        env,
        output,
        empty_output,
        succeeded,
        exited,
        too_long,
    ))
    .parse(i)
}

fn queue(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    if let Some(body) = i.strip_prefix("Sending ") {
        // The JSON body can itself contain " to queue", so split at the last one. Some
        // copies of the log (the seed article) elide the URL after it.
        if let Some(at) = body.rfind(" to queue") {
            let queue = body[at + " to queue".len()..].trim_start();
            return Ok((
                "",
                CfnHupMessage::Sending {
                    body: &body[..at],
                    queue,
                },
            ));
        }
    }
    let deleting =
        (tag("Deleting "), upto(" from queue "), rest).map(|(_, receipt_handle, queue)| {
            CfnHupMessage::Deleting {
                receipt_handle,
                queue,
            }
        });
    let receiving = preceded(tag("Receiving messages for queue"), rest).map(|q: &str| {
        CfnHupMessage::Receiving {
            queue: q.trim_start(),
        }
    });
    alt((deleting, receiving)).parse(i)
}

fn daemon(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    let heartbeat = terminated(
        alt((tag("cfn-hup"), tag("command"))),
        tag(" processing is alive."),
    )
    .map(|loop_name| CfnHupMessage::Heartbeat { loop_name });
    let credentials = alt((
        value(None, tag("Refreshing listener credentials")),
        value(None, tag("Refreshing role-based credentials")),
        delimited(
            tag("Scheduling next credential refresh in "),
            take_until(" seconds"),
            tag(" seconds"),
        )
        .map(Some),
    ))
    .map(|next_refresh_s| CfnHupMessage::Credentials { next_refresh_s });
    let config = alt((
        preceded(tag("Setting umask value to: "), rest).map(Some),
        preceded(
            tag("No umask value specified in config file. Using the default one: "),
            rest,
        )
        .map(Some),
        value(None, tag("Enabled single threading mode.")),
        value(None, tag("Creating /")),
        value(None, tag("Could not create ")),
        value(None, tag("runas is not supported")),
    ))
    .map(|umask| CfnHupMessage::Config { umask });
    let retry = alt((
        delimited(
            tag("Sleeping for "),
            take_until(" seconds"),
            tag(" seconds before retrying"),
        ),
        delimited(
            tag("Timeout of "),
            take_until(" seconds"),
            tag(" seconds breached"),
        ),
    ))
    .map(|seconds| CfnHupMessage::Retry { seconds });
    let client = value(
        CfnHupMessage::Client,
        alt((
            tag("SQS client initialized with endpoint "),
            tag("CloudFormation client initialized with endpoint "),
            tag("Describing resource "),
            tag("Registering listener "),
            tag("Get listener credentials for listener "),
            tag("Non-standard CloudFormation endpoint"),
            tag("Loading existing endpoints override file"),
            tag("Loading py2exe endpoints"),
            tag("Constructing user agent failed"),
            tag("Skipping resource "),
            tag("No metadata for "),
            tag("No value at path "),
            tag("Signaling resource "),
            tag("Handling redirect to S3 location"),
            tag("Unrecognized authentication type"),
            tag("Falling back to Signature Version 2"),
        )),
    );
    let shutdown = value(CfnHupMessage::Shutdown, tag("Shutting down cfn-hup"));
    alt((heartbeat, credentials, config, retry, client, shutdown)).parse(i)
}

fn hook_trigger(i: &str) -> Res<'_, CfnHupMessage<'_>> {
    let will_run = " will be run";
    let previous = delimited(
        tag("Previous state not found; action for "),
        take_until(will_run),
        tag(will_run),
    )
    .map(|hook| CfnHupMessage::HookTrigger {
        hook,
        path: None,
        will_run: true,
    });
    let removed = (
        tag("Path "),
        upto(" was removed; action for "),
        upto(will_run),
    )
        .map(|(_, path, hook)| CfnHupMessage::HookTrigger {
            hook,
            path: Some(path),
            will_run: true,
        });
    let changed = delimited(
        tag("Data has changed from previous state; action for "),
        take_until(will_run),
        tag(will_run),
    )
    .map(|hook| CfnHupMessage::HookTrigger {
        hook,
        path: None,
        will_run: true,
    });
    let unchanged = (tag("No change in path "), upto(" for hook "), rest).map(|(_, path, hook)| {
        CfnHupMessage::HookTrigger {
            hook,
            path: Some(path),
            will_run: false,
        }
    });
    alt((previous, removed, changed, unchanged)).parse(i)
}

/// Recognises the template of a cfn-hup.log message's first line; `None` for text that
/// matches no known template.
pub fn parse_message(first_line: &str) -> Option<CfnHupMessage<'_>> {
    alt((
        command_message,
        received,
        skipped,
        leader,
        action,
        queue,
        daemon,
        hook_trigger,
    ))
    .parse(first_line)
    .ok()
    .map(|(_, message)| message)
}

#[cfg(test)]
mod tests;
