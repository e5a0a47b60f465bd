//! Message templates of eb-commandprocessor.log, the legacy Ruby command processor
//! (docs/formats.md "eb-commandprocessor.log"): what follows the Ruby logger header on the first line.
//!
//! <pre>
//! message      = received / applicability / stage-check / lifecycle / stages / actions
//!              / outcome / results / metadata / addons / manifest / leader / text
//! received     = "Received command " name ": " payload        ; JSON or Ruby Hash#inspect
//! name         = command [ "(stage " 1*DIGIT ")" ]            ; canonical name
//! applicability= "Checking if the command processor should execute" *"."
//!              / "Checking whether the command is applicable to instance (" id ").."
//!              / "Command is applicable to this instance (" id ").."
//!              / "Command should not be executed on this instance (" id ")." *CHAR
//!              / "Command processor should execute command."
//!              / "Command processor shouldn't execute command." *CHAR
//! stage-check  = "Checking if the received command stage is valid.." / "No stage_num" ...
//!              / "Stage_num=" ... / "Previous stage" ... / "Opening previous stage file" ...
//!              / "Returning " ... / "Return nil.." / "Storing current stage.."
//!              / "This was last stage for the command." ... / "Saving stage " n ".."
//! lifecycle    = "Loaded definition of Command " name "."
//!              / "Executing command: " name "..." / "Executing command " name " activities..."
//!              / "Executing " label / "Setting environment variables.."
//!              / "Running Addons" ("Before" / "After") " for command " name "..."
//! stages       = "Running stages of Command " name " from stage " n " to stage " n "..."
//!              / "Running stage " n " of command " name "..."
//! actions      = "Loaded " n " actions for stage " n "."
//!              / "Running " k " of " n " actions: " action "..."
//! outcome      = "Command " name " succeeded!" / "Command " name " failed!"
//!              / "Command execution failed: " exception-chain   ; continues on next lines
//! results      = "Command processor returning results:" [SP]    ; JSON on the next line
//! metadata     = "Reading config file: " / "Retrieving metadata for key: " / "Refreshing metadata"
//!              / "Refreshed environment metadata." / "Using cached environment metadata."
//!              / "Recreated directory " / "Created appsource url file" / "Created container config file"
//!              / "Retrieving configsets for command " / "Path " ... " does not exist in metadata"
//! addons       = "Found enabled addons: " list "." / "Updating Command definition of addon " name "."
//!              / "Added Commands: " *CHAR
//! manifest     = "Cannot load manifest cache" / "Loading manifest from bucket" / "Finding latest manifest"
//!              / "Found manifest with key" / "Updated manifest cache:" / "Failed to fetch manifest"
//!              / "Instance doesn't have IAM instance profile attached." ...
//! download     = "Application version will be saved to " / "Downloading from bucket " ...
//!              / "Successfully downloaded to " / text " Retrying after " n " seconds."
//! heartbeat    = "Sending heart beat report." / "Timed out for sending report." ...
//! leader       = "Running leader election..." / "Instance is Leader." / "Instance is NOT Leader."
//!              / "Failed to elect command leader: " *CHAR
//! </pre>

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until, take_while1};
use nom::combinator::{opt, rest, value};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

/// A command name as the processor writes it: `CMD-AppDeploy` or `CMD-AppDeploy(stage 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandName<'a> {
    /// The command, e.g. `CMD-AppDeploy`.
    pub command: &'a str,
    /// The stage number of the canonical name, when written.
    pub stage: Option<u32>,
}

impl<'a> CommandName<'a> {
    /// Splits a canonical name `X(stage N)` into its command and stage.
    pub fn parse(text: &'a str) -> Self {
        if let Some(open) = text.rfind("(stage ") {
            let inner = &text[open + "(stage ".len()..];
            if let Some(num) = inner.strip_suffix(')') {
                if let Ok(stage) = num.parse() {
                    return Self {
                        command: &text[..open],
                        stage: Some(stage),
                    };
                }
            }
        }
        Self {
            command: text,
            stage: None,
        }
    }
}

/// Which chatter group a recognised but uninteresting line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chatter {
    /// Stack properties and environment metadata reads.
    Metadata,
    /// Addon discovery and command-definition updates.
    Addons,
    /// Deployment manifest lookups.
    Manifest,
    /// The stage bookkeeping of multi-stage commands.
    StageCheck,
    /// Setting up the command's environment and definition.
    Setup,
    /// `infra-reregister-cfn-hup.rb` maintenance lines.
    Maintenance,
    /// Application source bundle download (`ApplicationVersionDownloader`).
    Download,
    /// The command heart-beat reporter of 1.x.
    HeartbeatReport,
}

/// A recognised eb-commandprocessor.log message template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmdProcessorMessage<'a> {
    /// `Received command NAME: PAYLOAD`.
    ReceivedCommand {
        /// The command name.
        name: CommandName<'a>,
        /// The command request, as JSON or Ruby `Hash#inspect` text.
        payload: &'a str,
    },
    /// Whether the command applies to this instance and should run.
    Applicability {
        /// Instance id, where written.
        instance_id: Option<&'a str>,
        /// `Some(true)`/`Some(false)` for the verdict lines, `None` for the checks.
        applicable: Option<bool>,
    },
    /// `Executing LABEL`, `Executing command: NAME...`, `Executing command NAME activities...`.
    Executing {
        /// The command name, for the two `Executing command` lines.
        name: Option<CommandName<'a>>,
        /// The label (`Application update`, ...) for `Executing LABEL`.
        label: Option<&'a str>,
    },
    /// `Running AddonsBefore/AddonsAfter for command NAME...`.
    Addons {
        /// `AddonsBefore` or `AddonsAfter`.
        phase: &'a str,
        /// The command name.
        name: CommandName<'a>,
    },
    /// `Running stages of Command NAME from stage A to stage B...`.
    StagesPlanned {
        /// The command name.
        name: CommandName<'a>,
        /// First stage to run.
        from: u32,
        /// Last stage to run.
        to: u32,
    },
    /// `Running stage N of command NAME...`.
    StageStart {
        /// Stage number.
        stage: u32,
        /// The command name.
        name: CommandName<'a>,
    },
    /// `Loaded N actions for stage S.`.
    ActionsLoaded {
        /// How many actions.
        count: u32,
        /// Stage number.
        stage: u32,
    },
    /// `Running K of N actions: ACTION...`.
    ActionStart {
        /// 1-based position of the action.
        index: u32,
        /// Actions in the stage.
        total: u32,
        /// Action name, e.g. `AppDeployPreHook`.
        action: &'a str,
    },
    /// `Command NAME succeeded!`.
    CommandSucceeded {
        /// The command name.
        name: CommandName<'a>,
    },
    /// `Command NAME failed!`.
    CommandFailed {
        /// The command name.
        name: CommandName<'a>,
    },
    /// `Command execution failed: ...`; the exception chain follows, possibly over
    /// continuation lines.
    ExecutionFailed {
        /// The first line of the exception text.
        first_line: &'a str,
    },
    /// `Command processor returning results: `; the result JSON is on the next line.
    ReturningResults {
        /// Text after the colon on the same line (normally empty).
        inline: &'a str,
    },
    /// Leader election inside stage 0.
    LeaderElection {
        /// `Some(true)`/`Some(false)` for the verdicts, `None` otherwise.
        is_leader: Option<bool>,
    },
    /// A recognised line of routine chatter.
    Chatter(Chatter),
}

type Res<'a, T> = IResult<&'a str, T>;

fn number(i: &str) -> Res<'_, u32> {
    nom::character::complete::u32.parse(i)
}

fn name_until<'a>(
    sep: &'static str,
) -> impl Parser<&'a str, Output = CommandName<'a>, Error = nom::error::Error<&'a str>> {
    terminated(take_until(sep), tag(sep)).map(CommandName::parse)
}

fn received(i: &str) -> Res<'_, CmdProcessorMessage<'_>> {
    (tag("Received command "), take_until(": "), tag(": "), rest)
        .map(
            |(_, name, _, payload)| CmdProcessorMessage::ReceivedCommand {
                name: CommandName::parse(name),
                payload,
            },
        )
        .parse(i)
}

fn applicability(i: &str) -> Res<'_, CmdProcessorMessage<'_>> {
    let instance = |prefix: &'static str, verdict: Option<bool>| {
        (tag(prefix), take_until(")"), rest).map(move |(_, id, _)| {
            CmdProcessorMessage::Applicability {
                instance_id: Some(id),
                applicable: verdict,
            }
        })
    };
    let plain = |prefix: &'static str, verdict: Option<bool>| {
        value(
            CmdProcessorMessage::Applicability {
                instance_id: None,
                applicable: verdict,
            },
            tag(prefix),
        )
    };
    alt((
        instance(
            "Checking whether the command is applicable to instance (",
            None,
        ),
        instance("Command is applicable to this instance (", Some(true)),
        instance(
            "Command should not be executed on this instance (",
            Some(false),
        ),
        plain("Checking if the command processor should execute", None),
        plain("Command processor should execute command.", Some(true)),
        plain("Command processor shouldn't execute command.", Some(false)),
    ))
    .parse(i)
}

fn lifecycle(i: &str) -> Res<'_, CmdProcessorMessage<'_>> {
    let executing_command = alt((
        preceded(tag("Executing command: "), name_until("...")),
        preceded(tag("Executing command "), name_until(" activities...")),
    ))
    .map(|name| CmdProcessorMessage::Executing {
        name: Some(name),
        label: None,
    });
    let executing_label =
        preceded(tag("Executing "), rest).map(|label| CmdProcessorMessage::Executing {
            name: None,
            label: Some(label),
        });
    let addons = (
        tag("Running "),
        alt((tag("AddonsBefore"), tag("AddonsAfter"))),
        tag(" for command "),
        name_until("..."),
    )
        .map(|(_, phase, _, name)| CmdProcessorMessage::Addons { phase, name });
    let planned = (
        tag("Running stages of Command "),
        name_until(" from stage "),
        number,
        tag(" to stage "),
        number,
    )
        .map(|(_, name, from, _, to)| CmdProcessorMessage::StagesPlanned { name, from, to });
    let stage = (
        tag("Running stage "),
        number,
        tag(" of command "),
        name_until("..."),
    )
        .map(|(_, stage, _, name)| CmdProcessorMessage::StageStart { stage, name });
    let loaded = (tag("Loaded "), number, tag(" actions for stage "), number)
        .map(|(_, count, _, stage)| CmdProcessorMessage::ActionsLoaded { count, stage });
    let action = (
        tag("Running "),
        number,
        tag(" of "),
        number,
        tag(" actions: "),
        rest,
    )
        .map(|(_, index, _, total, _, action): (_, _, _, _, _, &str)| {
            CmdProcessorMessage::ActionStart {
                index,
                total,
                action: action.strip_suffix("...").unwrap_or(action),
            }
        });
    alt((
        executing_command,
        addons,
        planned,
        stage,
        loaded,
        action,
        executing_label,
    ))
    .parse(i)
}

fn outcome(i: &str) -> Res<'_, CmdProcessorMessage<'_>> {
    let failed_exec = preceded(tag("Command execution failed:"), rest).map(|t: &str| {
        CmdProcessorMessage::ExecutionFailed {
            first_line: t.strip_prefix(' ').unwrap_or(t),
        }
    });
    let results = preceded(tag("Command processor returning results:"), rest)
        .map(|t: &str| CmdProcessorMessage::ReturningResults { inline: t.trim() });
    let succeeded = delimited(
        tag("Command "),
        take_until(" succeeded!"),
        tag(" succeeded!"),
    )
    .map(|n| CmdProcessorMessage::CommandSucceeded {
        name: CommandName::parse(n),
    });
    let failed = delimited(tag("Command "), take_until(" failed!"), tag(" failed!")).map(|n| {
        CmdProcessorMessage::CommandFailed {
            name: CommandName::parse(n),
        }
    });
    alt((failed_exec, results, succeeded, failed)).parse(i)
}

fn leader(i: &str) -> Res<'_, CmdProcessorMessage<'_>> {
    alt((
        value(None, tag("Running leader election")),
        value(Some(true), tag("Instance is Leader.")),
        value(Some(false), tag("Instance is NOT Leader.")),
        value(None, tag("Failed to elect command leader")),
    ))
    .map(|is_leader| CmdProcessorMessage::LeaderElection { is_leader })
    .parse(i)
}

fn chatter(i: &str) -> Res<'_, CmdProcessorMessage<'_>> {
    let metadata = value(
        Chatter::Metadata,
        alt((
            tag("Reading config file"),
            tag("Retrieving metadata for key"),
            tag("Refreshing metadata"),
            tag("Refreshed environment metadata"),
            tag("Using cached environment metadata"),
            tag("Recreated directory "),
            tag("Created appsource url file"),
            tag("Created container config file"),
            tag("Retrieving configsets for command"),
            tag("Error reading metadata"),
            tag("Invalid command name or stage name"),
            (tag("Path "), take_until(" does not exist in metadata")).map(|(t, _)| t),
        )),
    );
    let addons = value(
        Chatter::Addons,
        alt((
            tag("Found enabled addons"),
            tag("Updating Command definition of addon"),
            tag("Added Commands"),
        )),
    );
    let manifest = value(
        Chatter::Manifest,
        alt((
            tag("Cannot load manifest cache"),
            tag("Instance doesn't have IAM instance profile"),
            tag("Loading manifest from bucket"),
            tag("Finding latest manifest"),
            tag("Found manifest with key"),
            tag("Updated manifest cache"),
            tag("Failed to fetch manifest"),
            tag("Using manifest cache"),
        )),
    );
    let stage_check = value(
        Chatter::StageCheck,
        alt((
            tag("Checking if the received command stage is valid"),
            tag("No stage_num in command"),
            tag("Stage_num"),
            tag("Opening previous stage file"),
            tag("Previous stage"),
            tag("Could not find a previous stage"),
            (
                tag("Return"),
                opt(tag("ing")),
                take_while1(|c: char| c == ' '),
                rest,
            )
                .map(|(t, ..)| t),
            tag("Storing current stage"),
            tag("This was last stage for the command"),
            tag("Saving stage "),
        )),
    );
    let setup = value(
        Chatter::Setup,
        alt((
            tag("Setting environment variables"),
            tag("Loaded definition of Command "),
            tag("execution_data not in JSON format"),
        )),
    );
    let maintenance = value(
        Chatter::Maintenance,
        alt((
            tag("Waiting for command-processor process "),
            tag("command-processor process "),
            tag("Updated config file with new stack name"),
            tag("Cleared metadata cache"),
            tag("Updated cfn-hup.conf"),
            tag("Restarted cfn-hup"),
        )),
    );
    let download = value(
        Chatter::Download,
        alt((
            tag("Application version will be saved to "),
            tag("Attempting to download application source bundle"),
            tag("Downloading default application source bundle"),
            tag("No application version requested for download"),
            tag("No default application defined to download"),
            tag("Using computed s3 key"),
            tag("Downloading from bucket "),
            tag("Downloading from URL: "),
            tag("Size: "),
            tag("Downloaded size: "),
            tag("Successfully downloaded to "),
            (take_until(" Retrying after "), tag(" Retrying after ")).map(|(t, _)| t),
        )),
    );
    let heartbeat = value(
        Chatter::HeartbeatReport,
        alt((
            tag("Sending heart beat report"),
            tag("Timed out for sending report"),
            tag("Received exit signal. Exiting CommandHeartBeatReporter"),
            tag("Truncating too large Activity message"),
        )),
    );
    alt((
        metadata,
        addons,
        manifest,
        stage_check,
        setup,
        maintenance,
        download,
        heartbeat,
    ))
    .map(CmdProcessorMessage::Chatter)
    .parse(i)
}

/// Recognises the template of an eb-commandprocessor.log message's first line; `None` for
/// text that matches no known template.
pub fn parse_message(first_line: &str) -> Option<CmdProcessorMessage<'_>> {
    alt((received, applicability, outcome, chatter, leader, lifecycle))
        .parse(first_line)
        .ok()
        .map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(command: &str) -> CommandName<'_> {
        CommandName {
            command,
            stage: None,
        }
    }

    #[test]
    fn canonical_names_split_their_stage() {
        assert_eq!(
            CommandName::parse("CMD-AppDeploy(stage 1)"),
            CommandName {
                command: "CMD-AppDeploy",
                stage: Some(1)
            }
        );
        assert_eq!(CommandName::parse("CMD-AppDeploy"), cmd("CMD-AppDeploy"));
        assert_eq!(CommandName::parse("CMD-X(stage y)"), cmd("CMD-X(stage y)"));
    }

    #[test]
    fn action_templates() {
        assert_eq!(
            parse_message("Running 3 of 6 actions: EbExtensionPreBuild..."),
            Some(CmdProcessorMessage::ActionStart {
                index: 3,
                total: 6,
                action: "EbExtensionPreBuild"
            })
        );
        assert_eq!(
            parse_message("Loaded 6 actions for stage 0."),
            Some(CmdProcessorMessage::ActionsLoaded { count: 6, stage: 0 })
        );
        assert_eq!(
            parse_message("Running stage 1 of command CMD-AppDeploy..."),
            Some(CmdProcessorMessage::StageStart {
                stage: 1,
                name: cmd("CMD-AppDeploy")
            })
        );
        assert_eq!(
            parse_message("Running stages of Command CMD-AppDeploy from stage 0 to stage 1..."),
            Some(CmdProcessorMessage::StagesPlanned {
                name: cmd("CMD-AppDeploy"),
                from: 0,
                to: 1
            })
        );
        assert_eq!(
            parse_message("Running AddonsBefore for command CMD-PreInit..."),
            Some(CmdProcessorMessage::Addons {
                phase: "AddonsBefore",
                name: cmd("CMD-PreInit")
            })
        );
    }

    #[test]
    fn received_command_keeps_payload() {
        assert_eq!(
            parse_message(
                "Received command CMD-AppDeploy(stage 0): {\"command_name\"=>\"CMD-AppDeploy\"}"
            ),
            Some(CmdProcessorMessage::ReceivedCommand {
                name: CommandName {
                    command: "CMD-AppDeploy",
                    stage: Some(0)
                },
                payload: "{\"command_name\"=>\"CMD-AppDeploy\"}"
            })
        );
    }

    #[test]
    fn outcomes() {
        assert_eq!(
            parse_message("Command CMD-AppDeploy succeeded!"),
            Some(CmdProcessorMessage::CommandSucceeded {
                name: cmd("CMD-AppDeploy")
            })
        );
        assert_eq!(
            parse_message("Command CMD-AppDeploy failed!"),
            Some(CmdProcessorMessage::CommandFailed {
                name: cmd("CMD-AppDeploy")
            })
        );
        assert_eq!(
            parse_message(
                "Command execution failed: Activity failed. (ElasticBeanstalk::ActivityFatalError)"
            ),
            Some(CmdProcessorMessage::ExecutionFailed {
                first_line: "Activity failed. (ElasticBeanstalk::ActivityFatalError)"
            })
        );
        assert_eq!(
            parse_message("Command processor returning results: "),
            Some(CmdProcessorMessage::ReturningResults { inline: "" })
        );
    }

    #[test]
    fn applicability_and_chatter() {
        assert_eq!(
            parse_message("Command is applicable to this instance (i-055316f1bf6567d5d).."),
            Some(CmdProcessorMessage::Applicability {
                instance_id: Some("i-055316f1bf6567d5d"),
                applicable: Some(true)
            })
        );
        assert_eq!(
            parse_message("Command processor shouldn't execute command."),
            Some(CmdProcessorMessage::Applicability {
                instance_id: None,
                applicable: Some(false)
            })
        );
        for (line, group) in [
            (
                "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_API||_Commands..",
                Chatter::Metadata,
            ),
            (
                "Found enabled addons: [\"logpublish\", \"logstreaming\"].",
                Chatter::Addons,
            ),
            (
                "Updated manifest cache: deployment ID 1 and serial 1.",
                Chatter::Manifest,
            ),
            (
                "Stage_num does not exist. Not saving null stage. Returning..",
                Chatter::StageCheck,
            ),
            ("Returning 0..", Chatter::StageCheck),
            ("Setting environment variables..", Chatter::Setup),
        ] {
            assert_eq!(
                parse_message(line),
                Some(CmdProcessorMessage::Chatter(group)),
                "{line}"
            );
        }
        assert_eq!(
            parse_message("Executing Application update"),
            Some(CmdProcessorMessage::Executing {
                name: None,
                label: Some("Application update")
            })
        );
        assert_eq!(
            parse_message("Executing command: CMD-AppDeploy..."),
            Some(CmdProcessorMessage::Executing {
                name: Some(cmd("CMD-AppDeploy")),
                label: None
            })
        );
    }

    #[test]
    fn unknown_is_none() {
        assert_eq!(parse_message("Totally new message"), None);
    }
}
