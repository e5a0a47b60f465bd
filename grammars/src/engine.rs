//! eb-engine.log, the log of the Amazon Linux 2 / AL2023 platform engine (a Go binary):
//! the line header and the message templates of a record's first line (docs/formats.md
//! "eb-engine.log"). eb-hooks.log lines that carry a header use the same grammar ("eb-hooks.log").
//!
//! <pre>
//! header      = date SP clock "." 1*9DIGIT SP "[" level "]" ( SP / EOL )
//!                                 ; Go log layout, UTC, 6 fraction digits in practice
//! date        = 4DIGIT "/" 2DIGIT "/" 2DIGIT
//! clock       = 2DIGIT ":" 2DIGIT ":" 2DIGIT
//! level       = 1*12UPALPHA       ; INFO / WARN / ERROR observed
//!
//! message     = start / received / engine-cmd / applicability / instruction / running
//!             / command-error / cleanup / response / finished / hooks / config-set
//!             / leader / warning / chatter
//! start       = "Starting..." / "Starting EBPlatform-" *CHAR
//! received    = "Engine received EB command " ebcmd        ; userdata-exec / cfn-hup-exec
//! engine-cmd  = "Engine command: " [ "(" ] cmd [ ")" ]
//! applicability = ("checking" / "Checking") " whether command " cmd
//!                 " is applicable to this instance" *CHAR
//!             / "this command is applicable to the instance" *CHAR
//!             / "this command is not applicable to the instance" *CHAR   ; [INF]
//! instruction = "Executing instruction: " name             ; free text, may hold spaces
//! running     = "Running command /bin/sh -c " text         ; AL2 2020-2023
//!             / "Running command: " text                   ; AL2023
//!             / "Running command " text                    ; eb-hooks.log [INF]
//! command-error = "An error occurred during execution of command [" cmd "] - ["
//!                 instruction "]. Stop running the command." [ " Error:" [SP] text ]
//!                                 ; text continues on the following lines
//! cleanup     = "Executing cleanup logic"
//! response    = "CommandService Response:" [SP] json       ; one line, docs/formats.md "Command result JSON"
//! finished    = "Platform Engine finished execution on command: " cmd
//! hooks       = "Executing platform hooks in " dir
//!             / "The dir " dir " does not exist" *CHAR
//!             / "Following platform hooks will be executed in order: [" *(name SP) "]"
//!             / "Running platform hook: " path
//!             / "Finished running the platform hooks in " dir
//!             / "Finished running scripts in " dir
//! config-set  = ("Starting" / "Finished") " executing the config set " name "."
//! leader      = "Running leader election" *CHAR / "Calling the cfn-elect-cmd-leader" *CHAR
//!             / "Instance is Leader." / "Instance is NOT Leader."
//! warning     = 1*ALPHA " Warning: " [ "process " name ] *CHAR
//!                                 ; stopProcess / deregisterProcess
//! chatter     = the other step messages of §3.2, by prefix (see Chatter)
//! </pre>
//!
//! A record is a header line plus every following line without a header: command output,
//! multi-line error texts, and the empty line Go's `log` adds after a message that itself
//! ends with `\n` (docs/formats.md "eb-engine.log"). The grammar accepts any run of upper-case letters as
//! the level so that an unexpected level name still frames a record. Command output
//! written as a record of its own (`web.service`, `3.2.2`) matches no template.
//!
//! Values are borrowed from the message and trimmed of trailing white space (a `WARN`
//! line may end in a space); the error text of [`EngineMessage::CommandError`] is a
//! sub-slice of the first line, so a caller can take the rest of the record from there.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_until, take_while1};
use nom::character::complete::char;
use nom::combinator::{rest, value};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::common::{bracketed_level as level, fraction, slash_timestamp, Timestamp};

/// The parsed header of one eb-engine.log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineHeader<'a> {
    /// Wall-clock time of the record (UTC on every observed instance), microseconds.
    pub ts: Timestamp,
    /// The level name as written (`INFO`, `WARN`, `ERROR`).
    pub level: &'a str,
}

fn timestamp(input: &[u8]) -> IResult<&[u8], Timestamp> {
    let (rest, (ts, _, (nanos, fraction_digits))) =
        (slash_timestamp, char('.'), fraction).parse(input)?;
    Ok((
        rest,
        Timestamp {
            nanos,
            fraction_digits,
            ..ts
        },
    ))
}

/// Parses the header at the start of `line`; the remaining input is the message text.
///
/// The single space after `]` belongs to the header. A record whose message is empty may
/// end right after `]` (or have its line ending there); any other byte right after `]`
/// is an error.
///
/// ```
/// use eblog_grammars::engine::parse_header;
/// let (msg, h) = parse_header(b"2023/12/14 22:06:05.484456 [INFO] Executing cleanup logic").unwrap();
/// assert_eq!((h.level, h.ts.nanos, h.ts.fraction_digits), ("INFO", 484_456_000, 6));
/// assert_eq!(msg, b"Executing cleanup logic");
/// ```
///
/// # Errors
///
/// A nom error when the line does not start with an engine header:
///
/// ```
/// use eblog_grammars::engine::parse_header;
/// assert!(parse_header(b"2023-12-14 22:06:05,484 [INFO] cfn-hup").is_err());
/// ```
pub fn parse_header(line: &[u8]) -> IResult<&[u8], EngineHeader<'_>> {
    let (rest, (ts, _, level)) = (timestamp, char(' '), level).parse(line)?;
    let rest = match rest.first() {
        Some(b' ') => &rest[1..],
        None | Some(b'\r') | Some(b'\n') => rest,
        Some(_) => {
            return Err(nom::Err::Error(nom::error::Error::new(
                rest,
                nom::error::ErrorKind::Space,
            )))
        }
    };
    Ok((rest, EngineHeader { ts, level }))
}

/// Whether `line` starts with an eb-engine.log header.
///
/// ```
/// use eblog_grammars::engine::is_header;
/// assert!(is_header(b"2020/08/11 08:01:57.493840 [WARN] stopProcess Warning: process xray is not registered"));
/// assert!(!is_header(b"application for all non-root users on this machine."));
/// ```
pub fn is_header(line: &[u8]) -> bool {
    // Cheap rejection before running the grammar: the shortest header is
    // `YYYY/MM/DD hh:mm:ss.f [L]` (25 bytes), starting with a digit, with '/' at bytes 4
    // and 7, a space at byte 10 and '.' at byte 19.
    line.len() >= 25
        && line[0].is_ascii_digit()
        && line[4] == b'/'
        && line[7] == b'/'
        && line[10] == b' '
        && line[19] == b'.'
        && parse_header(line).is_ok()
}

/// How a [`EngineMessage::RunningCommand`] line echoes its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandEcho {
    /// `Running command /bin/sh -c CMD` (AL2 engines, 2020–2023).
    Shell,
    /// `Running command: CMD` (AL2023 engines, 2026).
    Colon,
    /// `Running command CMD` without `/bin/sh -c` (eb-hooks.log before a hook's output;
    /// inferred, not observed).
    Bare,
}

/// Which group a recognised step message of routine chatter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chatter {
    /// Engine run bookkeeping: `reading event message file`, `no eb envtier info file
    /// found, ...`, `This is a workflow controlled instance.`.
    Run,
    /// First-boot steps: `Instance has NOT been bootstrapped`, `Starting MarkBootstrapped`,
    /// `Marked instance as Bootstrapped`, `Starting SyncClock`, `Starting SwitchCFNStack`.
    Bootstrap,
    /// Log tasks: `Setup publish logs cron job...`, `Tail Logs...`.
    Logs,
    /// `Copying file SRC to DST`.
    Files,
    /// Application download: `Downloading EB Application...`, `Region: `, `envID: `,
    /// `envBucket: `, `Downloading: bucket: ...`, `Download successfulNbytes downloaded`.
    Download,
    /// Version manifest lookups: `Using manifest file name ...`, `Unable to get version
    /// manifest file.`, `Downloading latest manifest available.`, `Download latest app
    /// version manifest`, the bare `resources/environments/...` key prefix,
    /// `latestManifest key *: `, `Trying to read and parse version manifest...`,
    /// `Skipping populate manifest for light execution`.
    Manifest,
    /// Staging the source bundle: `extracting B to D`, `finished extracting B to D
    /// successfully`, `Cleaned ebextensions subdirectories ...`, `stage ruby application ....`.
    Staging,
    /// The application's environment: `Fetching environment variables...`, `setting
    /// default port 8080 to application`, `no go.mod file, setting GOPATH=...`.
    Environment,
    /// Application processes: `Purge old process...`, `Register application processes...`,
    /// `Registering the proc: web`, `This is an enhanced health env...`.
    Process,
    /// Side daemons: `stop X-Ray ...`, `X-Ray is not enabled.`, `This is a web server
    /// environment instance, skip ... sqsd daemon ...`.
    Daemon,
}

/// A recognised eb-engine.log message template (the first line of a record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineMessage<'a> {
    /// `Starting...` or `Starting EBPlatform-PlatformEngine`: a new engine run (the two
    /// lines come together; the process id is never logged).
    Start,
    /// `Engine received EB command EBCMD` (followed by an empty line).
    ReceivedCommand {
        /// `userdata-exec` (first boot) or `cfn-hup-exec`.
        command: &'a str,
    },
    /// `Engine command: (CMD)` (followed by an empty line).
    EngineCommand {
        /// The engine command without its parentheses: `app-deploy`, `env-launch`, ...
        command: &'a str,
    },
    /// Whether the command applies to this instance.
    Applicability {
        /// The command of `checking whether command CMD is applicable ...`.
        command: Option<&'a str>,
        /// `Some(true)`/`Some(false)` for the verdict lines, `None` for the check.
        applicable: Option<bool>,
    },
    /// `Executing instruction: NAME`.
    Instruction {
        /// The instruction, e.g. `RunAppDeployPreBuildHooks` or `stop X-Ray`.
        name: &'a str,
    },
    /// `Running command /bin/sh -c CMD`, `Running command: CMD` or `Running command CMD`.
    RunningCommand {
        /// The command line as given to the shell.
        command: &'a str,
        /// Which echo style the line used.
        echo: CommandEcho,
    },
    /// `An error occurred during execution of command [CMD] - [INSTR]. Stop running the
    /// command. Error: TEXT`; the error text often continues on the following lines.
    CommandError {
        /// The engine command, e.g. `app-deploy`.
        command: &'a str,
        /// The instruction that failed, e.g. `RunAppDeployPreBuildHooks`.
        instruction: &'a str,
        /// The first line of the error text (empty when none is written).
        error: &'a str,
    },
    /// `Executing cleanup logic`, written on success and failure.
    Cleanup,
    /// `CommandService Response: JSON` (followed by an empty line).
    Response {
        /// The result JSON (docs/formats.md "Command result JSON"), see `result_json::parse_result_json`.
        json: &'a str,
    },
    /// `Platform Engine finished execution on command: CMD`: the end of an engine run.
    Finished {
        /// The engine command.
        command: &'a str,
    },
    /// `Executing platform hooks in DIR`.
    HooksStart {
        /// The hook directory, e.g. `.platform/hooks/prebuild/`.
        dir: &'a str,
    },
    /// `The dir DIR does not exist` (2023+) or `The dir DIR does not exist in the
    /// application. Skipping this step...` (2020).
    HooksMissing {
        /// The hook directory, e.g. `.platform/hooks/predeploy/`.
        dir: &'a str,
    },
    /// `Following platform hooks will be executed in order: [A B]`.
    HooksOrder {
        /// The hook file names inside the brackets, separated by single spaces (Go's
        /// rendering of a string slice).
        hooks: &'a str,
    },
    /// `Running platform hook: PATH`.
    RunningHook {
        /// The hook, e.g. `.platform/hooks/prebuild/01_install.sh`.
        path: &'a str,
    },
    /// `Finished running the platform hooks in DIR` or `Finished running scripts in DIR`.
    HooksFinished {
        /// The directory as written: relative (`.platform/hooks/prebuild/`) or absolute
        /// (`/var/app/staging/.platform/hooks/prebuild`).
        dir: &'a str,
    },
    /// `Starting executing the config set NAME.` or `Finished executing the config set
    /// NAME.` (the latter followed by an empty line).
    ConfigSet {
        /// The config set, e.g. `Infra-EmbeddedPreBuild`, without the final `.`.
        name: &'a str,
        /// `false` for `Starting`, `true` for `Finished`.
        finished: bool,
    },
    /// Command leader election.
    Leader {
        /// `Some(true)` for `Instance is Leader.`, `Some(false)` for `Instance is NOT
        /// Leader.`, `None` for `Running leader election ...` and `Calling the
        /// cfn-elect-cmd-leader ...`.
        is_leader: Option<bool>,
    },
    /// `stopProcess Warning: process NAME is not registered` and
    /// `deregisterProcess Warning: process NAME is not registered, skipping...`.
    Warning {
        /// The process named after `process `, when written.
        process: Option<&'a str>,
    },
    /// A recognised step message of routine chatter.
    Chatter(Chatter),
}

type Res<'a, T> = IResult<&'a str, T>;

/// `text` without trailing white space.
fn value_text(text: &str) -> &str {
    text.trim_end()
}

/// The rest of the input, trimmed, as a non-empty value.
fn nonempty(i: &str) -> Res<'_, &str> {
    let (r, t) = rest.parse(i)?;
    let t = value_text(t);
    if t.is_empty() {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::NonEmpty,
        )));
    }
    Ok((r, t))
}

fn lifecycle(i: &str) -> Res<'_, EngineMessage<'_>> {
    let start = value(
        EngineMessage::Start,
        alt((tag("Starting..."), tag("Starting EBPlatform-"))),
    );
    let received = preceded(tag("Engine received EB command "), nonempty)
        .map(|command| EngineMessage::ReceivedCommand { command });
    let engine_command = preceded(tag("Engine command: "), nonempty).map(|c: &str| {
        let command = c
            .strip_prefix('(')
            .and_then(|c| c.strip_suffix(')'))
            .unwrap_or(c);
        EngineMessage::EngineCommand { command }
    });
    let instruction = preceded(tag("Executing instruction: "), nonempty)
        .map(|name| EngineMessage::Instruction { name });
    let cleanup = value(EngineMessage::Cleanup, tag("Executing cleanup logic"));
    let response =
        preceded(tag("CommandService Response:"), rest).map(|j: &str| EngineMessage::Response {
            json: j.trim_matches(|c: char| c.is_ascii_whitespace()),
        });
    let finished = preceded(
        tag("Platform Engine finished execution on command: "),
        nonempty,
    )
    .map(|command| EngineMessage::Finished { command });
    alt((
        start,
        received,
        engine_command,
        instruction,
        cleanup,
        response,
        finished,
    ))
    .parse(i)
}

fn applicability(i: &str) -> Res<'_, EngineMessage<'_>> {
    let check = (
        tag_no_case("checking whether command "),
        take_until(" is applicable"),
        rest,
    )
        .map(|(_, command, _)| EngineMessage::Applicability {
            command: Some(command),
            applicable: None,
        });
    let verdict = alt((
        value(
            Some(true),
            tag("this command is applicable to the instance"),
        ),
        value(
            Some(false),
            tag("this command is not applicable to the instance"),
        ),
    ))
    .map(|applicable| EngineMessage::Applicability {
        command: None,
        applicable,
    });
    alt((check, verdict)).parse(i)
}

fn running(i: &str) -> Res<'_, EngineMessage<'_>> {
    let style = |prefix: &'static str, echo: CommandEcho| {
        preceded(tag(prefix), nonempty)
            .map(move |command| EngineMessage::RunningCommand { command, echo })
    };
    alt((
        style("Running command /bin/sh -c ", CommandEcho::Shell),
        style("Running command: ", CommandEcho::Colon),
        style("Running command ", CommandEcho::Bare),
    ))
    .parse(i)
}

fn command_error(i: &str) -> Res<'_, EngineMessage<'_>> {
    let (r, (_, command, _, instruction, _, tail)) = (
        tag("An error occurred during execution of command ["),
        take_until("] - ["),
        tag("] - ["),
        take_until("]. Stop running the command."),
        tag("]. Stop running the command."),
        rest,
    )
        .parse(i)?;
    let error = tail
        .strip_prefix(" Error:")
        .map(|e| e.strip_prefix(' ').unwrap_or(e))
        .unwrap_or_else(|| tail.trim_start());
    Ok((
        r,
        EngineMessage::CommandError {
            command,
            instruction,
            error: value_text(error),
        },
    ))
}

fn hooks(i: &str) -> Res<'_, EngineMessage<'_>> {
    let start = preceded(tag("Executing platform hooks in "), nonempty)
        .map(|dir| EngineMessage::HooksStart { dir });
    let missing = preceded(tag("The dir "), take_until(" does not exist"))
        .map(|dir| EngineMessage::HooksMissing { dir });
    let order = preceded(
        tag("Following platform hooks will be executed in order:"),
        rest,
    )
    .map(|list: &str| {
        let list = list.trim();
        let hooks = list
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .unwrap_or(list);
        EngineMessage::HooksOrder { hooks }
    });
    let hook = preceded(tag("Running platform hook: "), nonempty)
        .map(|path| EngineMessage::RunningHook { path });
    let finished = preceded(
        alt((
            tag("Finished running the platform hooks in "),
            tag("Finished running scripts in "),
        )),
        nonempty,
    )
    .map(|dir| EngineMessage::HooksFinished { dir });
    alt((start, missing, order, hook, finished)).parse(i)
}

fn config_set(i: &str) -> Res<'_, EngineMessage<'_>> {
    (
        alt((value(false, tag("Starting")), value(true, tag("Finished")))),
        tag(" executing the config set "),
        nonempty,
    )
        .map(
            |(finished, _, name): (bool, _, &str)| EngineMessage::ConfigSet {
                name: name.strip_suffix('.').unwrap_or(name),
                finished,
            },
        )
        .parse(i)
}

fn leader(i: &str) -> Res<'_, EngineMessage<'_>> {
    alt((
        value(None, tag("Running leader election")),
        value(None, tag("Calling the cfn-elect-cmd-leader")),
        value(Some(true), tag("Instance is Leader.")),
        value(Some(false), tag("Instance is NOT Leader.")),
    ))
    .map(|is_leader| EngineMessage::Leader { is_leader })
    .parse(i)
}

fn warning(i: &str) -> Res<'_, EngineMessage<'_>> {
    let (r, (_, _, text)) = (
        take_while1(|c: char| c.is_ascii_alphabetic()),
        tag(" Warning: "),
        rest,
    )
        .parse(i)?;
    let process = text
        .strip_prefix("process ")
        .and_then(|t| t.split([' ', ',']).next())
        .filter(|p| !p.is_empty());
    Ok((r, EngineMessage::Warning { process }))
}

fn chatter(i: &str) -> Res<'_, EngineMessage<'_>> {
    let run = value(
        Chatter::Run,
        alt((
            tag("reading event message file"),
            tag("no eb envtier info file found"),
            tag("This is a workflow controlled instance"),
        )),
    );
    let bootstrap = value(
        Chatter::Bootstrap,
        alt((
            tag("Instance has NOT been bootstrapped"),
            tag("Instance has been bootstrapped"),
            tag("Starting MarkBootstrapped"),
            tag("Marked instance as Bootstrapped"),
            tag("Starting SyncClock"),
            tag("Starting SwitchCFNStack"),
        )),
    );
    let logs = value(
        Chatter::Logs,
        alt((tag("Setup publish logs cron job"), tag("Tail Logs"))),
    );
    let files = value(Chatter::Files, tag("Copying file "));
    let download = value(
        Chatter::Download,
        alt((
            tag("Downloading EB Application"),
            tag("Region: "),
            tag("envID: "),
            tag("envBucket: "),
            tag("Downloading: bucket: "),
            tag("Download successful"),
        )),
    );
    let manifest = value(
        Chatter::Manifest,
        alt((
            tag("Using manifest file name from command request"),
            tag("Unable to get version manifest file"),
            tag("Downloading latest manifest available"),
            tag("Download latest app version manifest"),
            tag("resources/environments/"),
            tag("latestManifest key"),
            tag("Trying to read and parse version manifest"),
            tag("Skipping populate manifest"),
        )),
    );
    let staging = value(
        Chatter::Staging,
        alt((
            tag("extracting "),
            tag("finished extracting "),
            tag("Cleaned ebextensions subdirectories"),
            (
                tag("stage "),
                take_while1(|c: char| c.is_ascii_alphanumeric()),
                tag(" application"),
            )
                .map(|(t, _, _)| t),
        )),
    );
    let environment = value(
        Chatter::Environment,
        alt((
            tag_no_case("Fetching environment variables"),
            tag("setting default port "),
            tag("no go.mod file"),
        )),
    );
    let process = value(
        Chatter::Process,
        alt((
            tag("Purge old process"),
            tag("Register application processes"),
            tag("Registering the proc: "),
            tag("This is an enhanced health env"),
        )),
    );
    let daemon = value(
        Chatter::Daemon,
        alt((
            tag("stop X-Ray"),
            tag("X-Ray is not enabled"),
            (
                tag("This is a web server environment instance, skip "),
                take_until(" sqsd daemon"),
            )
                .map(|(t, _)| t),
        )),
    );
    alt((
        run,
        bootstrap,
        logs,
        files,
        download,
        manifest,
        staging,
        environment,
        process,
        daemon,
    ))
    .map(EngineMessage::Chatter)
    .parse(i)
}

/// Recognises the template of an eb-engine.log message's first line (the text after the
/// header, without its line ending); `None` for text that matches no known template, such
/// as command output written as a record of its own.
///
/// ```
/// use eblog_grammars::engine::{parse_message, EngineMessage};
/// assert_eq!(
///     parse_message("Engine command: (app-deploy)"),
///     Some(EngineMessage::EngineCommand { command: "app-deploy" })
/// );
/// assert_eq!(parse_message("web.service"), None);
/// ```
pub fn parse_message(first_line: &str) -> Option<EngineMessage<'_>> {
    alt((
        lifecycle,
        command_error,
        applicability,
        running,
        hooks,
        config_set,
        leader,
        chatter,
        warning,
    ))
    .parse(first_line)
    .ok()
    .map(|(_, m)| m)
}

#[cfg(test)]
mod tests;
