//! Message templates of cfn-init.log (FORMATS.md §1.6, Appendix A): what follows the
//! `amzn` header on the first line of a record written by the `cfn-init` process
//! (loggers `root`, `cfn.init`, `cfn.client`).
//!
//! <pre>
//! message      = banner / config-sets / command / reboot / packages / services / files
//!              / accounts / sources / client / other
//! banner       = center60("Starting build") / center60("Build complete")
//!              / center60("BUILD FAILED!")      ; str.center(60, '-'): odd pad on the right
//! config-sets  = "Running configSets: " name *(", " name) / "Running configSet " name
//!              / "Running config " name / "ConfigSets completed"
//!              / "Error encountered during build of " config ": " error      ; + traceback
//!              / "Unhandled exception during " ("build" / "resume") ": " error ; + traceback
//! command      = "Running command " name / "Command " name " succeeded"
//!              / "Command " name " (" command ") failed"   ; command may run on over lines
//!              / "Command " name " output:" [SP raw]      ; raw output goes on over lines
//!              / "Test failed with code " int / "ignoreErrors set to true, continuing build"
//!              / command-step                              ; tests, defaults, "No commands specified"
//! reboot       = "Waiting " seconds " seconds for reboot"
//!              / "Waiting indefinitely for command to reboot"
//!              / "Not waiting as command did not execute"
//! packages     = ("Yum" / "APT" / "easy_install") " installed " list / "Gem installed: " spec
//!              / "Installed " name " successfully"                           ; MSI
//!              / tool " failed. Output:" [SP raw]   ; Yum, Yum makecache, APT gencache,
//!                                                   ; apt-get, easy_install, Gem, RPM
//!              / package-step                       ; installing, downgrading, already
//!                                                   ; installed, queries, tool output, ...
//! services     = ("Started" / "Stopped" / "Restarted") SP service " successfully"
//!              / ("enabled" / "disabled") " service " service
//!              / "Could not " ("start" / "stop" / "restart") " service " service
//!                "; return code was " code
//!              / "Could not enable " service ", as chkconfig and update-rc.d were not available"
//!              / ("chkconfig" / "update-rc.d") " failed with error " code ". Output: " raw
//!              / service-step                       ; plans, runner, "Service output: "
//! files        = "Setting owner " owner " and group " group " for " path
//!              / file-step                          ; writing, modes, symlinks, moves, ...
//! accounts     = account-step                       ; groupadd / useradd / usermod lines
//! sources      = source-step                        ; tarball / zip expansion
//! client       = "Signaling resource " id " in stack " stack " with unique ID " uid
//!                " and status " status
//!              / "Describing resource " id " in stack " stack
//!              / ("CloudFormation" / "SQS") " client initialized with endpoint " url
//! other        = resume / network / auth / client-note / state / platform   ; TemplateGroup
//! </pre>
//!
//! The `*-step` and `other` rules are the remaining Appendix A templates, matched
//! literally (each `%s` stands for one value; the last value of a template that ends in
//! `%s` is the rest of the first line). They are grouped by tool: the [`CommandStep`],
//! [`PackageStep`], [`ServiceStep`], [`FileStep`], [`AccountStep`], [`SourceStep`] and
//! [`TemplateGroup`] docs list every template of each group and where its values go.
//!
//! Python writes `%s` of a string verbatim, so command output, `Yum failed. Output:` and
//! the like go on over continuation lines; [`parse_message`] sees only the first line and
//! returns its part of the value. Unknown text is `None`.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until};
use nom::character::complete::i32 as int32;
use nom::combinator::{all_consuming, rest, value, verify};
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};
use std::collections::HashMap;
use std::sync::OnceLock;

use AccountKind::{Group, User};
use PackageManager::{Apt, Gem, Msi, Python, Rpm, Yum};
use Slots::{Detail as D, SubjectDetail as SD};

/// Which of the three centred build banners of `bin/cfn-init`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildBanner {
    /// INFO `-----------------------Starting build-----------------------`.
    Starting,
    /// INFO `-----------------------Build complete-----------------------`.
    Complete,
    /// ERROR `-----------------------BUILD FAILED!------------------------`.
    Failed,
}

/// Which `bin/cfn-init` step raised an unhandled exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildPhase {
    /// `Unhandled exception during build: %s`.
    Build,
    /// `Unhandled exception during resume: %s` (after a reboot command).
    Resume,
}

/// How long cfn-init waits after a command that asked for a reboot (`waitAfterCompletion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebootWait<'a> {
    /// `Waiting %s seconds for reboot`: the seconds as written.
    Seconds(&'a str),
    /// `Waiting indefinitely for command to reboot` (`waitAfterCompletion: forever`).
    Indefinitely,
    /// `Not waiting as command did not execute`.
    NotWaiting,
}

/// A package manager of the `packages` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageManager {
    /// `yum` (`rpm_tools.YumTool`).
    Yum,
    /// `rpm` (`rpm_tools.RpmTool`).
    Rpm,
    /// `apt` (`apt_tool`).
    Apt,
    /// `python` packages, installed with `easy_install`.
    Python,
    /// `rubygems`.
    Gem,
    /// `msi` (Windows only).
    Msi,
}

/// What a package-tool line reports, for [`CfnInitMessage::Package`].
///
/// Templates (`subject` / `detail` are the `%s` values; the manager in parentheses, `-` where
/// the line does not say):
///
/// | step | templates |
/// |---|---|
/// | `NoneSpecified` | `No packages specified` (-), `No packages specified for yum` / `for APT` / `for python`, `No gems specified`, `No packages installed for RPM` / `for MSI` |
/// | `Unsupported` | `Unsupported package manager: subject` (-) |
/// | `Installing` | `Installing/updating subject via yum`, `Attempting to install subject via APT` / `via easy_install`, `Installing subject via RPM` / `via MSI`, `Installing subject version detail via gem` |
/// | `Downgrading` | `Downgrading subject via yum`, `Downgrading to subject from installed version detail` (yum) |
/// | `WillUpgrade` | `Requested version subject is greater than installed version detail, so we will upgrade` (yum) |
/// | `WillNotUpgrade` | `Requested version subject is NOT greater than installed version detail, so we will NOT upgrade` (yum) |
/// | `Checking` | `Checking to see if subject is already installed` (gem; subject = `name-version`) |
/// | `AlreadyInstalled` | `subject will not be installed as it is already present` (-), `All yum packages were already installed`, `All APT packages were already installed`, `All RPMs were already installed`, `Skipping RPM at subject as it is already installed`, `subject is already installed, skipping.` (gem), `subject is already installed; skipping` / `All MSI packages already installed` (msi) |
/// | `NotAvailable` | `subject is not available to be installed` (-) |
/// | `NoLocation` | `RPM specified with no location` |
/// | `Querying` | `Querying for version of package subject` (rpm) |
/// | `QueryFailed` | `Could not determine package contained by rpm at subject` |
/// | `Output` | `RPM output: detail`, `RPM stdout: detail`, `APT output: detail`, `easy_install output: detail`, `Gem output: detail` |
/// | `ErrorOutput` | `RPM stderr: detail` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageStep {
    /// No packages for this manager (or at all).
    NoneSpecified,
    /// The `packages` section names a manager cfn-init does not know.
    Unsupported,
    /// About to install or upgrade.
    Installing,
    /// About to downgrade.
    Downgrading,
    /// The requested version is newer than the installed one.
    WillUpgrade,
    /// The requested version is not newer than the installed one.
    WillNotUpgrade,
    /// Checking whether a gem version is installed.
    Checking,
    /// Nothing to do: already installed.
    AlreadyInstalled,
    /// The package is not in the repositories.
    NotAvailable,
    /// An `rpm` entry without a location.
    NoLocation,
    /// Querying the version of a package.
    Querying,
    /// The version query failed.
    QueryFailed,
    /// Tool stdout (first line; the rest follows on continuation lines).
    Output,
    /// Tool stderr (first line).
    ErrorOutput,
}

/// A service state change, for the service variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceAction {
    /// Start the service.
    Start,
    /// Stop the service.
    Stop,
    /// Restart the service.
    Restart,
    /// Enable the service at boot.
    Enable,
    /// Disable the service at boot.
    Disable,
}

/// What a service-tool DEBUG line reports, for [`CfnInitMessage::Service`].
///
/// | step | templates |
/// |---|---|
/// | `NoneSpecified` | `No services specified`, `No System V init scripts specified`, `No Windows services specified` |
/// | `Unsupported` | `Unsupported service manager: subject` |
/// | `WillStart` | `Starting service subject as it is not running` |
/// | `WillStop` | `Stopping service subject as it is running` |
/// | `WillRestart` | `Restarting subject due to change detected in dependency` |
/// | `SettingEnabled` | `Setting service subject to detail` (`enabled` / `disabled`) |
/// | `KeepEnabledState` | `Not modifying enabled state of service subject` |
/// | `KeepRunningState` | `Not modifying running state of service subject` |
/// | `AlreadyInState` | `No need to modify running state of service subject` |
/// | `Modifier` | `Using service modifier: detail` |
/// | `Runner` | `Using service runner: detail` |
/// | `InitScriptsDirectly` | `Running init scripts directly` |
/// | `Output` | `Service output: detail` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceStep {
    /// No services in this config.
    NoneSpecified,
    /// A service manager cfn-init does not know.
    Unsupported,
    /// Will start a stopped service.
    WillStart,
    /// Will stop a running service.
    WillStop,
    /// Will restart because a dependency (file, package, ...) changed.
    WillRestart,
    /// Setting the boot-time state.
    SettingEnabled,
    /// `enabled` not given: boot-time state left alone.
    KeepEnabledState,
    /// `ensureRunning` not given: running state left alone.
    KeepRunningState,
    /// Already in the requested running state.
    AlreadyInState,
    /// Which tool enables services (chkconfig, update-rc.d).
    Modifier,
    /// Which tool starts services (service).
    Runner,
    /// No runner found: init scripts are called directly.
    InitScriptsDirectly,
    /// Service command stdout (first line).
    Output,
}

/// What a file-tool line reports, for [`CfnInitMessage::File`] (`subject` is the file).
///
/// | step | templates |
/// |---|---|
/// | `NoneSpecified` | `No files specified` |
/// | `CreatingParent` | `Parent directory subject does not exist, creating` |
/// | `Symlink` | `subject is specified as a symbolic link to detail` |
/// | `SymlinkExists` | `Symbolic link subject already exists` |
/// | `AlreadyExists` | `subject already exists` |
/// | `Writing` | `Writing content to subject` |
/// | `Retrieving` | `Retrieving contents from subject` (a URL) |
/// | `Mustache` | `Rendering as Mustache template` |
/// | `Json` | `Content will be serialized as a JSON structure` |
/// | `Base64` | `Decoding base64 content` |
/// | `SettingMode` | `Setting mode for subject to detail` |
/// | `KeepingMode` | `No mode specified for subject. Setting permissions of the existing file: detail.` |
/// | `DefaultMode` | `No mode specified for subject. The file will be created with the mode: detail` |
/// | `Moving` | `Moving subject to detail` |
/// | `MoveFailed` | `Could not move subject to detail` |
/// | `RestoreFailed` | `Error restoring subject from backup`, `Error restoring backup file subject: detail` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStep {
    /// No files in this config.
    NoneSpecified,
    /// Creating a missing parent directory.
    CreatingParent,
    /// The file is a symbolic link to `detail`.
    Symlink,
    /// The symbolic link is already there.
    SymlinkExists,
    /// The file already exists (it is backed up and replaced).
    AlreadyExists,
    /// Writing inline content.
    Writing,
    /// Downloading the `source` URL.
    Retrieving,
    /// Rendering the content with Mustache `context`.
    Mustache,
    /// Serializing JSON content.
    Json,
    /// Decoding base64 content.
    Base64,
    /// Setting the mode.
    SettingMode,
    /// No mode given: the existing file's mode is kept.
    KeepingMode,
    /// No mode given: the new file gets the default mode.
    DefaultMode,
    /// Moving the temporary file into place.
    Moving,
    /// The move failed.
    MoveFailed,
    /// Restoring the backup after a failure failed.
    RestoreFailed,
}

/// Users or groups, for [`CfnInitMessage::Account`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// The `users` section.
    User,
    /// The `groups` section.
    Group,
}

/// What a user/group line reports, for [`CfnInitMessage::Account`] (`subject` is the name).
///
/// | kind, step | templates |
/// |---|---|
/// | Group `NoneSpecified` / User `NoneSpecified` | `No groups specified` / `No users specified` |
/// | Group `AlreadyExists` | `Group subject already exists` |
/// | Group `Created` | `Created group subject successfully` |
/// | Group `Failed` | `Failed to create group subject` |
/// | User `Created` | `Added user subject successfully` |
/// | User `Modified` | `Modified user subject successfully` |
/// | User `Failed` | `Failed to add user subject`, `Failed to modify user subject` |
/// | User `Unchanged` | `No homedir or groups specified; not modifying subject`, `Groups have not changed for subject`, `Homedir has not changed for subject`, `User subject does not need modification` |
/// | `Output` | `Groupadd output: detail` (Group), `Useradd output: detail`, `Usermod output: detail` (User) |
/// | `UnsupportedOs` | `Unsupported OS for group operations: detail`, `Unsupported OS for user operations: detail` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStep {
    /// No users / groups in this config.
    NoneSpecified,
    /// The group exists already.
    AlreadyExists,
    /// Created (groupadd / useradd succeeded).
    Created,
    /// Modified (usermod succeeded).
    Modified,
    /// Nothing to change.
    Unchanged,
    /// groupadd / useradd / usermod failed.
    Failed,
    /// The tool's output (first line).
    Output,
    /// Not supported on this OS.
    UnsupportedOs,
}

/// What a sources-tool line reports, for [`CfnInitMessage::Source`] (`subject` is the
/// archive, `detail` the target directory).
///
/// | step | templates |
/// |---|---|
/// | `NoneSpecified` | `No sources specified` |
/// | `Tarball` | `Treating subject as a tarball` |
/// | `Zip` | `Treating subject as a zip archive` |
/// | `CheckingMembers` | `Checking to ensure that all archive members fall under path detail` |
/// | `GitHubStrip` | `Attempting to magically strip GitHub parent directory from archive` |
/// | `GitHubStripImpossible` | `GitHub magic is not possible; archive does not contain exactly one directory` |
/// | `TemporaryTar` | `Creating temporary tar from subject` |
/// | `Expanding` | `Expanding subject into detail` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceStep {
    /// No sources in this config.
    NoneSpecified,
    /// The archive is a tarball.
    Tarball,
    /// The archive is a zip file.
    Zip,
    /// Checking for members escaping the target directory.
    CheckingMembers,
    /// Trying to drop a GitHub archive's single top-level directory.
    GitHubStrip,
    /// The archive has not exactly one top-level directory.
    GitHubStripImpossible,
    /// Repacking a directory as a temporary tarball.
    TemporaryTar,
    /// Extracting the archive.
    Expanding,
}

/// What a command-tool line other than the run/result lines reports, for
/// [`CfnInitMessage::CommandStep`] (`subject` is the command name).
///
/// | step | templates |
/// |---|---|
/// | `NoneSpecified` | `No commands specified` |
/// | `NoCommand` | `No command specified for subject` |
/// | `GeneratingDefaults` | `Generating defaults for command subject` |
/// | `DefaultsOutput` | `Defaults script for subject output: detail` |
/// | `DefaultsFailed` | `Defaults script failed for subject: detail` |
/// | `RunningTest` | `Running test for command subject` |
/// | `TestOutput` | `Test command output: detail` |
/// | `TestPassed` | `Test for command subject passed` |
/// | `NoTest` | `No test for command subject` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandStep {
    /// No commands in this config.
    NoneSpecified,
    /// The command entry has no `command` attribute.
    NoCommand,
    /// Running the `defaults` script.
    GeneratingDefaults,
    /// The `defaults` script's output (first line).
    DefaultsOutput,
    /// The `defaults` script failed; `detail` is the first line of its stderr.
    DefaultsFailed,
    /// Running the `test` command.
    RunningTest,
    /// The `test` command's output (first line).
    TestOutput,
    /// The `test` command exited 0: the command will run.
    TestPassed,
    /// The command has no `test`.
    NoTest,
}

/// The remaining cfn-init templates, grouped, for [`CfnInitMessage::Other`]. `subject` is
/// the first `%s` value where the template has one.
///
/// | group | templates |
/// |---|---|
/// | `Resume` | `Starting resume`, `Resuming config: subject`, `Resuming configSets: subject`, `Resume completed` |
/// | `Network` | `Sleeping for subject seconds before retrying`, `Timeout of subject seconds breached`, `SSLError`, `Checksum mismatch`, `ConnectionError`, `ProxyError`, `Timeout`, `Client-side timeout`, `Generic IOError`, `Unexpected Exception`, `Exception retrieving InstanceId`, `file uses KMS encryption; skipping checksum comparison`, `cannot check consistency of file uploaded multipart; etag has - character present` |
/// | `Auth` | `Handling redirect to S3 location: subject`, `S3 redirected to non-S3 url: subject`, `Falling back to Signature Version 2 as no region was specified in S3 URL`, `S3 auth requires either "accessKeyId" and "secretKey" or "roleName"`, `Unrecognized authentication type: subject`, `Refreshing role-based credentials`, `Exception while refreshing credentials; will refresh on next access` |
/// | `Client` | `Non-standard CloudFormation endpoint: subject`, `Constructing user agent failed with error message: subject`, `Loading py2exe endpoints.json file`, `Failed to load endpoints.json`, `Loading existing endpoints override file subject`, `Failed to load endpoints override file: subject` |
/// | `State` | `Could not create subject to store metadata`, `Could not create subject to store the work log`, `No value at path subject (missing index: …)` |
/// | `Platform` | `Unsupported OS for setting owner/group: subject`, the Windows scheduled-task lines (`Creating Scheduled Task for cfn-init resume`, `Scheduled Task created`, `Scheduled task already exists; not updating`, `Deleting Scheduled Task for cfn-init resume`, `Scheduled Task deleted`, `Scheduled Task did not exist`, `Not setting a reboot trigger as scheduling support is not available`, `Not clearing reboot trigger as scheduling support is not available`) |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateGroup {
    /// Resuming a build after a reboot.
    Resume,
    /// HTTP retries, timeouts and transport errors (`util.py`; ERRORs have tracebacks).
    Network,
    /// S3 authentication and role credentials.
    Auth,
    /// CloudFormation client and endpoint set-up notes.
    Client,
    /// cfn-init's own state directories and metadata paths.
    State,
    /// OS support and Windows scheduled-task chatter.
    Platform,
}

/// A recognised cfn-init.log message template, borrowing from the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CfnInitMessage<'a> {
    /// One of the three 60-character build banners.
    Banner(BuildBanner),
    /// `Running configSets: a, b` (INFO).
    RunningConfigSets {
        /// The `", "`-joined names as written; see [`config_set_names`].
        config_sets: &'a str,
    },
    /// `Running configSet X` (INFO).
    RunningConfigSet {
        /// Config set name, e.g. `Infra-EmbeddedPreBuild`.
        name: &'a str,
    },
    /// `Running config X` (INFO).
    RunningConfig {
        /// Config name, e.g. `prebuild_0_myapp`.
        name: &'a str,
    },
    /// `ConfigSets completed` (INFO).
    ConfigSetsCompleted,
    /// `Error encountered during build of CONFIG: ERROR` (ERROR + traceback).
    BuildError {
        /// The config that failed.
        config: &'a str,
        /// The exception text (first line), e.g. `Command 01_migrate failed`.
        error: &'a str,
    },
    /// `Unhandled exception during build: ERROR` / `... during resume: ERROR`
    /// (ERROR + traceback).
    UnhandledException {
        /// Build or resume.
        phase: BuildPhase,
        /// The exception text (first line).
        error: &'a str,
    },
    /// `Running command NAME` (DEBUG).
    RunningCommand {
        /// Command name, e.g. `01_migrate`.
        name: &'a str,
    },
    /// `Command NAME succeeded` (INFO).
    CommandSucceeded {
        /// Command name.
        name: &'a str,
    },
    /// `Command NAME (COMMAND) failed` (ERROR).
    CommandFailed {
        /// Command name.
        name: &'a str,
        /// The `command` attribute as Python printed it (a string, or a list `repr`); when
        /// `continued`, only its first line.
        command: &'a str,
        /// The command text has a line break, so `) failed` ends a later line of the
        /// record: `command` is the part on the first line.
        continued: bool,
    },
    /// `Command NAME output: TEXT` (DEBUG; the output goes on over continuation lines).
    CommandOutput {
        /// Command name.
        name: &'a str,
        /// First line of the output (may be empty).
        output: &'a str,
    },
    /// `Test failed with code N` (INFO): the command's `test` failed, the command is skipped.
    TestFailed {
        /// The test's exit code.
        code: i32,
    },
    /// `ignoreErrors set to true, continuing build` (INFO).
    IgnoreErrors,
    /// A command asked for a reboot (`construction.py`).
    Reboot(RebootWait<'a>),
    /// Other command-tool lines: tests, defaults scripts, no commands.
    CommandStep {
        /// Which template.
        step: CommandStep,
        /// Command name, where the template has one.
        subject: Option<&'a str>,
        /// Output or error text (first line), where the template has one.
        detail: Option<&'a str>,
    },
    /// `Yum installed [...]`, `APT installed [...]`, `easy_install installed [...]`,
    /// `Gem installed: NAME-VER`, `Installed NAME successfully` (MSI) (INFO).
    PackagesInstalled {
        /// Which manager.
        manager: PackageManager,
        /// What was installed: a Python list `repr` (`['jq', 'git']`) or `NAME-VER`.
        packages: &'a str,
    },
    /// `TOOL failed. Output: TEXT` of a package tool (ERROR; output on continuation lines).
    PackageFailed {
        /// Which manager.
        manager: PackageManager,
        /// The failing step as written: `Yum`, `Yum makecache`, `RPM`, `APT gencache`,
        /// `apt-get`, `easy_install`, `Gem`.
        tool: &'a str,
        /// First line of the tool's output (may be empty).
        output: &'a str,
    },
    /// Other package-tool lines; see [`PackageStep`].
    Package {
        /// Which manager, where the template says.
        manager: Option<PackageManager>,
        /// Which template.
        step: PackageStep,
        /// Package name, spec, list `repr` or location.
        subject: Option<&'a str>,
        /// Version, installed version or tool output.
        detail: Option<&'a str>,
    },
    /// `Started X successfully`, `Stopped ...`, `Restarted ...`, `enabled service X`,
    /// `disabled service X` (INFO).
    ServiceChanged {
        /// What was done.
        action: ServiceAction,
        /// Service name.
        service: &'a str,
    },
    /// A service operation failed (ERROR).
    ServiceFailed {
        /// What failed, where the template says (not for the chkconfig / update-rc.d lines).
        action: Option<ServiceAction>,
        /// Service name, where the template has one.
        service: Option<&'a str>,
        /// Return code as written, where the template has one.
        return_code: Option<&'a str>,
        /// First line of the chkconfig / update-rc.d output.
        output: Option<&'a str>,
    },
    /// Other service-tool lines; see [`ServiceStep`].
    Service {
        /// Which template.
        step: ServiceStep,
        /// Service or service-manager name.
        subject: Option<&'a str>,
        /// `enabled` / `disabled`, the tool in use, or its output.
        detail: Option<&'a str>,
    },
    /// `Setting owner OWNER and group GROUP for PATH` (DEBUG, root logger).
    FileOwner {
        /// The file.
        path: &'a str,
        /// Owner id or name as written.
        owner: &'a str,
        /// Group id or name as written.
        group: &'a str,
    },
    /// File-tool lines; see [`FileStep`].
    File {
        /// Which template.
        step: FileStep,
        /// The file (or source URL).
        subject: Option<&'a str>,
        /// Link target, mode, destination or error.
        detail: Option<&'a str>,
    },
    /// User and group lines; see [`AccountStep`].
    Account {
        /// Users or groups.
        kind: AccountKind,
        /// Which template.
        step: AccountStep,
        /// User or group name.
        subject: Option<&'a str>,
        /// Tool output or OS name.
        detail: Option<&'a str>,
    },
    /// Sources-tool lines; see [`SourceStep`].
    Source {
        /// Which template.
        step: SourceStep,
        /// The archive (or directory).
        subject: Option<&'a str>,
        /// The target directory.
        detail: Option<&'a str>,
    },
    /// `Signaling resource ID in stack STACK with unique ID UID and status STATUS`
    /// (DEBUG, `cfn.client`; cfn-signal writing to the same file).
    SignalingResource {
        /// Logical resource id.
        resource: &'a str,
        /// Stack name or ARN.
        stack: &'a str,
        /// Unique id of the signal (the instance id by default).
        unique_id: &'a str,
        /// `SUCCESS` / `FAILURE`.
        status: &'a str,
    },
    /// `Describing resource ID in stack STACK` (DEBUG, `cfn.client`): fetching metadata.
    DescribingResource {
        /// Logical resource id, e.g. `AWSEBAutoScalingGroup`.
        resource: &'a str,
        /// Stack name or ARN.
        stack: &'a str,
    },
    /// `CloudFormation client initialized with endpoint URL` (DEBUG, `cfn.client`).
    ClientEndpoint {
        /// `CloudFormation` or `SQS`.
        service: &'a str,
        /// Endpoint URL.
        endpoint: &'a str,
    },
    /// The remaining templates; see [`TemplateGroup`].
    Other {
        /// Which group.
        group: TemplateGroup,
        /// The template's first `%s` value, where it has one.
        subject: Option<&'a str>,
    },
}

/// The names of a `Running configSets:` list, in order.
pub fn config_set_names(config_sets: &str) -> impl Iterator<Item = &str> {
    config_sets.split(", ").filter(|name| !name.is_empty())
}

/// Whether `line` is exactly `text.center(60, fill)` as CPython renders it: the odd pad
/// goes to the right when the width is even.
pub(crate) fn is_centered(line: &str, text: &str, fill: u8) -> bool {
    const WIDTH: usize = 60;
    let (line, text) = (line.as_bytes(), text.as_bytes());
    if line.len() != WIDTH || text.len() > WIDTH {
        return false;
    }
    let pad = WIDTH - text.len();
    let left = pad / 2 + (pad & WIDTH & 1);
    let right = left + text.len();
    line[..left].iter().all(|&b| b == fill)
        && &line[left..right] == text
        && line[right..].iter().all(|&b| b == fill)
}

type Res<'a, T> = IResult<&'a str, T>;

/// Up to four `%s` values of a matched template, in template order.
#[derive(Debug, Clone, Copy)]
struct Fill<'a> {
    values: [&'a str; 4],
    len: usize,
}

impl<'a> Fill<'a> {
    fn get(&self, i: usize) -> Option<&'a str> {
        self.values[..self.len].get(i).copied()
    }

    fn push(&mut self, v: &'a str) -> Option<()> {
        let slot = self.values.get_mut(self.len)?;
        *slot = v;
        self.len += 1;
        Some(())
    }
}

/// Matches `line` against a Python `%s` template. A value before a literal is the text up
/// to that literal's first occurrence and must not be empty; a final `%s` takes the rest of
/// the line and may be empty only after `": "` (an output), where a trailing space that an
/// editor stripped is forgiven.
fn fill<'a>(template: &str, line: &'a str) -> Option<Fill<'a>> {
    let mut out = Fill {
        values: [""; 4],
        len: 0,
    };
    // Most templates tried do not match: reject on the leading literal before splitting
    // the template (a line matches only if it starts with that literal, or is it less the
    // trailing space of an empty output, below).
    let lead = &template[..template.find('%').unwrap_or(template.len())];
    if !line.starts_with(lead) && lead.trim_end() != line {
        return None;
    }
    let mut pieces = template.split("%s").peekable();
    let head = pieces.next().unwrap_or("");
    let mut prev = head;
    let mut rest = match tag::<_, _, nom::error::Error<&str>>(head).parse(line) {
        Ok((r, _)) => r,
        Err(_) => {
            // "Yum failed. Output:" with its trailing space stripped.
            let empty_output = pieces.next() == Some("") && pieces.peek().is_none();
            if empty_output && head.ends_with(": ") && line == head.trim_end() {
                out.push("")?;
                return Some(out);
            }
            return None;
        }
    };
    while let Some(lit) = pieces.next() {
        let last = pieces.peek().is_none();
        if last && lit.is_empty() {
            if rest.is_empty() && !prev.ends_with(": ") {
                return None;
            }
            out.push(rest)?;
            rest = "";
        } else if last {
            let v = rest.strip_suffix(lit).filter(|v| !v.is_empty())?;
            out.push(v)?;
            rest = "";
        } else {
            let taken =
                terminated(take_until::<_, _, nom::error::Error<&str>>(lit), tag(lit)).parse(rest);
            match taken {
                Ok((r, v)) if !v.is_empty() => {
                    out.push(v)?;
                    rest = r;
                }
                _ => {
                    // "... output:" with an empty output and its trailing space stripped.
                    let final_empty = pieces.peek() == Some(&"") && lit.ends_with(": ");
                    let v = rest
                        .strip_suffix(lit.trim_end())
                        .filter(|v| final_empty && !v.is_empty())?;
                    out.push(v)?;
                    out.push("")?;
                    return Some(out);
                }
            }
        }
        prev = lit;
    }
    rest.is_empty().then_some(out)
}

fn banner(i: &str) -> Option<BuildBanner> {
    [
        ("Starting build", BuildBanner::Starting),
        ("Build complete", BuildBanner::Complete),
        ("BUILD FAILED!", BuildBanner::Failed),
    ]
    .into_iter()
    .find(|(text, _)| is_centered(i, text, b'-'))
    .map(|(_, b)| b)
}

fn nonempty(i: &str) -> Res<'_, &str> {
    verify(rest, |s: &str| !s.is_empty()).parse(i)
}

fn build_lines(i: &str) -> Res<'_, CfnInitMessage<'_>> {
    let sets = preceded(tag("Running configSets: "), nonempty)
        .map(|config_sets| CfnInitMessage::RunningConfigSets { config_sets });
    let set = preceded(tag("Running configSet "), nonempty)
        .map(|name| CfnInitMessage::RunningConfigSet { name });
    let config = preceded(tag("Running config "), nonempty)
        .map(|name| CfnInitMessage::RunningConfig { name });
    let completed = value(
        CfnInitMessage::ConfigSetsCompleted,
        all_consuming(tag("ConfigSets completed")),
    );
    let error = (
        tag("Error encountered during build of "),
        verify(take_until(": "), |s: &str| !s.is_empty()),
        tag(": "),
        rest,
    )
        .map(|(_, config, _, error)| CfnInitMessage::BuildError { config, error });
    let unhandled = (
        tag("Unhandled exception during "),
        alt((
            value(BuildPhase::Build, tag("build:")),
            value(BuildPhase::Resume, tag("resume:")),
        )),
        rest,
    )
        .map(
            |(_, phase, error): (_, _, &str)| CfnInitMessage::UnhandledException {
                phase,
                error: error.strip_prefix(' ').unwrap_or(error),
            },
        );
    alt((sets, set, config, completed, error, unhandled)).parse(i)
}

/// `Command NAME succeeded`, `Command NAME (COMMAND) failed`, `Command NAME output: TEXT`:
/// the name ends at the first `" output:"` or `" ("`, whichever comes first.
fn command_result(i: &str) -> Option<CfnInitMessage<'_>> {
    let body = i.strip_prefix("Command ")?;
    let output_at = body.find(" output:");
    let paren_at = body.find(" (");
    match (output_at, paren_at) {
        (Some(o), p) if p.is_none_or(|p| o < p) => {
            let name = &body[..o];
            let output = &body[o + " output:".len()..];
            (!name.is_empty()).then_some(CfnInitMessage::CommandOutput {
                name,
                output: output.strip_prefix(' ').unwrap_or(output),
            })
        }
        (_, Some(p)) => {
            let name = &body[..p];
            let tail = &body[p + " (".len()..];
            if name.is_empty() {
                return None;
            }
            Some(match tail.strip_suffix(") failed") {
                Some(command) => CfnInitMessage::CommandFailed {
                    name,
                    command,
                    continued: false,
                },
                None => CfnInitMessage::CommandFailed {
                    name,
                    command: tail,
                    continued: true,
                },
            })
        }
        _ => body
            .strip_suffix(" succeeded")
            .filter(|name| !name.is_empty())
            .map(|name| CfnInitMessage::CommandSucceeded { name }),
    }
}

fn command_lines(i: &str) -> Res<'_, CfnInitMessage<'_>> {
    let running = preceded(tag("Running command "), nonempty)
        .map(|name| CfnInitMessage::RunningCommand { name });
    let test_failed = preceded(tag("Test failed with code "), all_consuming(int32))
        .map(|code| CfnInitMessage::TestFailed { code });
    let ignore = value(
        CfnInitMessage::IgnoreErrors,
        all_consuming(tag("ignoreErrors set to true, continuing build")),
    );
    let reboot = alt((
        value(
            RebootWait::NotWaiting,
            all_consuming(tag("Not waiting as command did not execute")),
        ),
        value(
            RebootWait::Indefinitely,
            all_consuming(tag("Waiting indefinitely for command to reboot")),
        ),
        (
            tag("Waiting "),
            verify(take_until(" seconds for reboot"), |s: &str| !s.is_empty()),
            all_consuming(tag(" seconds for reboot")),
        )
            .map(|(_, s, _)| RebootWait::Seconds(s)),
    ))
    .map(CfnInitMessage::Reboot);
    alt((running, test_failed, ignore, reboot)).parse(i)
}

fn client_lines(i: &str) -> Option<CfnInitMessage<'_>> {
    if let Some(v) = fill(
        "Signaling resource %s in stack %s with unique ID %s and status %s",
        i,
    ) {
        return Some(CfnInitMessage::SignalingResource {
            resource: v.get(0)?,
            stack: v.get(1)?,
            unique_id: v.get(2)?,
            status: v.get(3)?,
        });
    }
    if let Some(v) = fill("Describing resource %s in stack %s", i) {
        return Some(CfnInitMessage::DescribingResource {
            resource: v.get(0)?,
            stack: v.get(1)?,
        });
    }
    for service in ["CloudFormation", "SQS"] {
        let endpoint = i
            .strip_prefix(service)
            .and_then(|t| t.strip_prefix(" client initialized with endpoint "))
            .filter(|e| !e.is_empty());
        if let Some(endpoint) = endpoint {
            return Some(CfnInitMessage::ClientEndpoint { service, endpoint });
        }
    }
    None
}

fn owner_and_service_failures(i: &str) -> Option<CfnInitMessage<'_>> {
    if let Some(v) = fill("Setting owner %s and group %s for %s", i) {
        return Some(CfnInitMessage::FileOwner {
            owner: v.get(0)?,
            group: v.get(1)?,
            path: v.get(2)?,
        });
    }
    for (template, action) in [
        (
            "Could not start service %s; return code was %s",
            ServiceAction::Start,
        ),
        (
            "Could not stop service %s; return code was %s",
            ServiceAction::Stop,
        ),
        (
            "Could not restart service %s; return code was %s",
            ServiceAction::Restart,
        ),
        (
            "Could not enable %s, as chkconfig and update-rc.d were not available",
            ServiceAction::Enable,
        ),
    ] {
        if let Some(v) = fill(template, i) {
            return Some(CfnInitMessage::ServiceFailed {
                action: Some(action),
                service: v.get(0),
                return_code: v.get(1),
                output: None,
            });
        }
    }
    for template in [
        "chkconfig failed with error %s. Output: %s",
        "update-rc.d failed with error %s. Output: %s",
    ] {
        if let Some(v) = fill(template, i) {
            return Some(CfnInitMessage::ServiceFailed {
                action: None,
                service: None,
                return_code: v.get(0),
                output: v.get(1),
            });
        }
    }
    None
}

/// How a table template's values become a message.
#[derive(Debug, Clone, Copy)]
enum Rule {
    Command(CommandStep),
    Package(Option<PackageManager>, PackageStep),
    Installed(PackageManager),
    PackageFailed(PackageManager, &'static str),
    ServiceChanged(ServiceAction),
    Service(ServiceStep),
    File(FileStep),
    Account(AccountKind, AccountStep),
    Source(SourceStep),
    Other(TemplateGroup),
}

/// Where a table template's values go: subject then detail, or the only value is the detail.
#[derive(Debug, Clone, Copy)]
enum Slots {
    SubjectDetail,
    Detail,
}

/// Appendix A templates matched literally, in match order (more specific before more
/// general: `Group %s already exists` before `%s already exists`).
#[rustfmt::skip]
static TEMPLATES: &[(&str, Rule, Slots)] = &[
    // command_tool.py
    ("No commands specified", Rule::Command(CommandStep::NoneSpecified), SD),
    ("No command specified for %s", Rule::Command(CommandStep::NoCommand), SD),
    ("Generating defaults for command %s", Rule::Command(CommandStep::GeneratingDefaults), SD),
    ("Defaults script for %s output: %s", Rule::Command(CommandStep::DefaultsOutput), SD),
    ("Defaults script failed for %s: %s", Rule::Command(CommandStep::DefaultsFailed), SD),
    ("Running test for command %s", Rule::Command(CommandStep::RunningTest), SD),
    ("Test command output: %s", Rule::Command(CommandStep::TestOutput), D),
    ("Test for command %s passed", Rule::Command(CommandStep::TestPassed), SD),
    ("No test for command %s", Rule::Command(CommandStep::NoTest), SD),
    // package results
    ("Yum installed %s", Rule::Installed(Yum), SD),
    ("APT installed %s", Rule::Installed(Apt), SD),
    ("easy_install installed %s", Rule::Installed(Python), SD),
    ("Gem installed: %s", Rule::Installed(Gem), SD),
    ("Installed %s successfully", Rule::Installed(Msi), SD),
    ("Yum makecache failed. Output: %s", Rule::PackageFailed(Yum, "Yum makecache"), D),
    ("Yum failed. Output: %s", Rule::PackageFailed(Yum, "Yum"), D),
    ("RPM failed. Output: %s", Rule::PackageFailed(Rpm, "RPM"), D),
    ("APT gencache failed. Output: %s", Rule::PackageFailed(Apt, "APT gencache"), D),
    ("apt-get failed. Output: %s", Rule::PackageFailed(Apt, "apt-get"), D),
    ("easy_install failed. Output: %s", Rule::PackageFailed(Python, "easy_install"), D),
    ("Gem failed. Output: %s", Rule::PackageFailed(Gem, "Gem"), D),
    // construction.py, rpm_tools.py, apt_tool.py, lang_package_tools.py, msi_tool.py
    ("No packages specified", Rule::Package(None, PackageStep::NoneSpecified), SD),
    ("Unsupported package manager: %s", Rule::Package(None, PackageStep::Unsupported), SD),
    ("No packages specified for yum", Rule::Package(Some(Yum), PackageStep::NoneSpecified), SD),
    ("No packages installed for RPM", Rule::Package(Some(Rpm), PackageStep::NoneSpecified), SD),
    ("No packages specified for APT", Rule::Package(Some(Apt), PackageStep::NoneSpecified), SD),
    ("No packages specified for python", Rule::Package(Some(Python), PackageStep::NoneSpecified), SD),
    ("No gems specified", Rule::Package(Some(Gem), PackageStep::NoneSpecified), SD),
    ("No packages installed for MSI", Rule::Package(Some(Msi), PackageStep::NoneSpecified), SD),
    ("%s will not be installed as it is already present", Rule::Package(None, PackageStep::AlreadyInstalled), SD),
    ("%s is not available to be installed", Rule::Package(None, PackageStep::NotAvailable), SD),
    ("Downgrading to %s from installed version %s", Rule::Package(Some(Yum), PackageStep::Downgrading), SD),
    ("Downgrading %s via yum", Rule::Package(Some(Yum), PackageStep::Downgrading), SD),
    ("Installing/updating %s via yum", Rule::Package(Some(Yum), PackageStep::Installing), SD),
    ("All yum packages were already installed", Rule::Package(Some(Yum), PackageStep::AlreadyInstalled), SD),
    ("Requested version %s is greater than installed version %s, so we will upgrade", Rule::Package(Some(Yum), PackageStep::WillUpgrade), SD),
    ("Requested version %s is NOT greater than installed version %s, so we will NOT upgrade", Rule::Package(Some(Yum), PackageStep::WillNotUpgrade), SD),
    ("All RPMs were already installed", Rule::Package(Some(Rpm), PackageStep::AlreadyInstalled), SD),
    ("Installing %s via RPM", Rule::Package(Some(Rpm), PackageStep::Installing), SD),
    ("RPM output: %s", Rule::Package(Some(Rpm), PackageStep::Output), D),
    ("RPM specified with no location", Rule::Package(Some(Rpm), PackageStep::NoLocation), SD),
    ("Skipping RPM at %s as it is already installed", Rule::Package(Some(Rpm), PackageStep::AlreadyInstalled), SD),
    ("Querying for version of package %s", Rule::Package(Some(Rpm), PackageStep::Querying), SD),
    ("RPM stdout: %s", Rule::Package(Some(Rpm), PackageStep::Output), D),
    ("RPM stderr: %s", Rule::Package(Some(Rpm), PackageStep::ErrorOutput), D),
    ("Could not determine package contained by rpm at %s", Rule::Package(Some(Rpm), PackageStep::QueryFailed), SD),
    ("All APT packages were already installed", Rule::Package(Some(Apt), PackageStep::AlreadyInstalled), SD),
    ("Attempting to install %s via APT", Rule::Package(Some(Apt), PackageStep::Installing), SD),
    ("APT output: %s", Rule::Package(Some(Apt), PackageStep::Output), D),
    ("Attempting to install %s via easy_install", Rule::Package(Some(Python), PackageStep::Installing), SD),
    ("easy_install output: %s", Rule::Package(Some(Python), PackageStep::Output), D),
    ("Checking to see if %s is already installed", Rule::Package(Some(Gem), PackageStep::Checking), SD),
    ("%s is already installed, skipping.", Rule::Package(Some(Gem), PackageStep::AlreadyInstalled), SD),
    ("Installing %s version %s via gem", Rule::Package(Some(Gem), PackageStep::Installing), SD),
    ("Gem output: %s", Rule::Package(Some(Gem), PackageStep::Output), D),
    ("%s is already installed; skipping", Rule::Package(Some(Msi), PackageStep::AlreadyInstalled), SD),
    ("All MSI packages already installed", Rule::Package(Some(Msi), PackageStep::AlreadyInstalled), SD),
    ("Installing %s via MSI", Rule::Package(Some(Msi), PackageStep::Installing), SD),
    // service_tools.py
    ("Started %s successfully", Rule::ServiceChanged(ServiceAction::Start), SD),
    ("Stopped %s successfully", Rule::ServiceChanged(ServiceAction::Stop), SD),
    ("Restarted %s successfully", Rule::ServiceChanged(ServiceAction::Restart), SD),
    ("enabled service %s", Rule::ServiceChanged(ServiceAction::Enable), SD),
    ("disabled service %s", Rule::ServiceChanged(ServiceAction::Disable), SD),
    ("No services specified", Rule::Service(ServiceStep::NoneSpecified), SD),
    ("No System V init scripts specified", Rule::Service(ServiceStep::NoneSpecified), SD),
    ("No Windows services specified", Rule::Service(ServiceStep::NoneSpecified), SD),
    ("Unsupported service manager: %s", Rule::Service(ServiceStep::Unsupported), SD),
    ("Starting service %s as it is not running", Rule::Service(ServiceStep::WillStart), SD),
    ("Stopping service %s as it is running", Rule::Service(ServiceStep::WillStop), SD),
    ("Restarting %s due to change detected in dependency", Rule::Service(ServiceStep::WillRestart), SD),
    ("Setting service %s to %s", Rule::Service(ServiceStep::SettingEnabled), SD),
    ("Not modifying enabled state of service %s", Rule::Service(ServiceStep::KeepEnabledState), SD),
    ("Not modifying running state of service %s", Rule::Service(ServiceStep::KeepRunningState), SD),
    ("No need to modify running state of service %s", Rule::Service(ServiceStep::AlreadyInState), SD),
    ("Using service modifier: %s", Rule::Service(ServiceStep::Modifier), D),
    ("Using service runner: %s", Rule::Service(ServiceStep::Runner), D),
    ("Running init scripts directly", Rule::Service(ServiceStep::InitScriptsDirectly), SD),
    ("Service output: %s", Rule::Service(ServiceStep::Output), D),
    // user_group_tools.py, posix_security.py, security.py
    ("No groups specified", Rule::Account(Group, AccountStep::NoneSpecified), SD),
    ("No users specified", Rule::Account(User, AccountStep::NoneSpecified), SD),
    ("Group %s already exists", Rule::Account(Group, AccountStep::AlreadyExists), SD),
    ("Created group %s successfully", Rule::Account(Group, AccountStep::Created), SD),
    ("Failed to create group %s", Rule::Account(Group, AccountStep::Failed), SD),
    ("Groupadd output: %s", Rule::Account(Group, AccountStep::Output), D),
    ("Added user %s successfully", Rule::Account(User, AccountStep::Created), SD),
    ("Modified user %s successfully", Rule::Account(User, AccountStep::Modified), SD),
    ("Failed to add user %s", Rule::Account(User, AccountStep::Failed), SD),
    ("Failed to modify user %s", Rule::Account(User, AccountStep::Failed), SD),
    ("No homedir or groups specified; not modifying %s", Rule::Account(User, AccountStep::Unchanged), SD),
    ("Groups have not changed for %s", Rule::Account(User, AccountStep::Unchanged), SD),
    ("Homedir has not changed for %s", Rule::Account(User, AccountStep::Unchanged), SD),
    ("User %s does not need modification", Rule::Account(User, AccountStep::Unchanged), SD),
    ("Useradd output: %s", Rule::Account(User, AccountStep::Output), D),
    ("Usermod output: %s", Rule::Account(User, AccountStep::Output), D),
    ("Unsupported OS for group operations: %s", Rule::Account(Group, AccountStep::UnsupportedOs), D),
    ("Unsupported OS for user operations: %s", Rule::Account(User, AccountStep::UnsupportedOs), D),
    // sources_tool.py
    ("No sources specified", Rule::Source(SourceStep::NoneSpecified), SD),
    ("Treating %s as a tarball", Rule::Source(SourceStep::Tarball), SD),
    ("Treating %s as a zip archive", Rule::Source(SourceStep::Zip), SD),
    ("Checking to ensure that all archive members fall under path %s", Rule::Source(SourceStep::CheckingMembers), D),
    ("Attempting to magically strip GitHub parent directory from archive", Rule::Source(SourceStep::GitHubStrip), SD),
    ("GitHub magic is not possible; archive does not contain exactly one directory", Rule::Source(SourceStep::GitHubStripImpossible), SD),
    ("Creating temporary tar from %s", Rule::Source(SourceStep::TemporaryTar), SD),
    ("Expanding %s into %s", Rule::Source(SourceStep::Expanding), SD),
    // file_tool.py
    ("No files specified", Rule::File(FileStep::NoneSpecified), SD),
    ("Symbolic link %s already exists", Rule::File(FileStep::SymlinkExists), SD),
    ("Parent directory %s does not exist, creating", Rule::File(FileStep::CreatingParent), SD),
    ("%s is specified as a symbolic link to %s", Rule::File(FileStep::Symlink), SD),
    ("Writing content to %s", Rule::File(FileStep::Writing), SD),
    ("Setting mode for %s to %s", Rule::File(FileStep::SettingMode), SD),
    ("No mode specified for %s. Setting permissions of the existing file: %s.", Rule::File(FileStep::KeepingMode), SD),
    ("No mode specified for %s. The file will be created with the mode: %s", Rule::File(FileStep::DefaultMode), SD),
    ("Error restoring backup file %s: %s", Rule::File(FileStep::RestoreFailed), SD),
    ("Error restoring %s from backup", Rule::File(FileStep::RestoreFailed), SD),
    ("Moving %s to %s", Rule::File(FileStep::Moving), SD),
    ("Could not move %s to %s", Rule::File(FileStep::MoveFailed), SD),
    ("Retrieving contents from %s", Rule::File(FileStep::Retrieving), SD),
    ("Rendering as Mustache template", Rule::File(FileStep::Mustache), SD),
    ("Content will be serialized as a JSON structure", Rule::File(FileStep::Json), SD),
    ("Decoding base64 content", Rule::File(FileStep::Base64), SD),
    // construction.py resume
    ("Starting resume", Rule::Other(TemplateGroup::Resume), SD),
    ("Resuming config: %s", Rule::Other(TemplateGroup::Resume), SD),
    ("Resuming configSets: %s", Rule::Other(TemplateGroup::Resume), SD),
    ("Resume completed", Rule::Other(TemplateGroup::Resume), SD),
    // util.py
    ("Sleeping for %s seconds before retrying", Rule::Other(TemplateGroup::Network), SD),
    ("Timeout of %s seconds breached", Rule::Other(TemplateGroup::Network), SD),
    ("SSLError", Rule::Other(TemplateGroup::Network), SD),
    ("Checksum mismatch", Rule::Other(TemplateGroup::Network), SD),
    ("ConnectionError", Rule::Other(TemplateGroup::Network), SD),
    ("ProxyError", Rule::Other(TemplateGroup::Network), SD),
    ("Timeout", Rule::Other(TemplateGroup::Network), SD),
    ("Client-side timeout", Rule::Other(TemplateGroup::Network), SD),
    ("Generic IOError", Rule::Other(TemplateGroup::Network), SD),
    ("Unexpected Exception", Rule::Other(TemplateGroup::Network), SD),
    ("Exception retrieving InstanceId", Rule::Other(TemplateGroup::Network), SD),
    ("file uses KMS encryption; skipping checksum comparison", Rule::Other(TemplateGroup::Network), SD),
    ("cannot check consistency of file uploaded multipart; etag has - character present", Rule::Other(TemplateGroup::Network), SD),
    // auth.py, util.py credentials
    ("Handling redirect to S3 location: %s", Rule::Other(TemplateGroup::Auth), SD),
    ("S3 redirected to non-S3 url: %s", Rule::Other(TemplateGroup::Auth), SD),
    ("Falling back to Signature Version 2 as no region was specified in S3 URL", Rule::Other(TemplateGroup::Auth), SD),
    ("S3 auth requires either \"accessKeyId\" and \"secretKey\" or \"roleName\"", Rule::Other(TemplateGroup::Auth), SD),
    ("Unrecognized authentication type: %s", Rule::Other(TemplateGroup::Auth), SD),
    ("Refreshing role-based credentials", Rule::Other(TemplateGroup::Auth), SD),
    ("Exception while refreshing credentials; will refresh on next access", Rule::Other(TemplateGroup::Auth), SD),
    // cfn_client.py, aws_client.py, resources/documents
    ("Non-standard CloudFormation endpoint: %s", Rule::Other(TemplateGroup::Client), SD),
    ("Constructing user agent failed with error message: %s", Rule::Other(TemplateGroup::Client), SD),
    ("Loading py2exe endpoints.json file", Rule::Other(TemplateGroup::Client), SD),
    ("Failed to load endpoints.json", Rule::Other(TemplateGroup::Client), SD),
    ("Loading existing endpoints override file %s", Rule::Other(TemplateGroup::Client), SD),
    ("Failed to load endpoints override file: %s", Rule::Other(TemplateGroup::Client), SD),
    // bin/cfn-init, construction.py, util.py
    ("Could not create %s to store metadata", Rule::Other(TemplateGroup::State), SD),
    ("Could not create %s to store the work log", Rule::Other(TemplateGroup::State), SD),
    ("No value at path %s (missing index: %s)", Rule::Other(TemplateGroup::State), SD),
    // security.py, platform_utils.py
    ("Unsupported OS for setting owner/group: %s", Rule::Other(TemplateGroup::Platform), SD),
    ("Not setting a reboot trigger as scheduling support is not available", Rule::Other(TemplateGroup::Platform), SD),
    ("Creating Scheduled Task for cfn-init resume", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled task already exists; not updating", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled Task created", Rule::Other(TemplateGroup::Platform), SD),
    ("Not clearing reboot trigger as scheduling support is not available", Rule::Other(TemplateGroup::Platform), SD),
    ("Deleting Scheduled Task for cfn-init resume", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled Task deleted", Rule::Other(TemplateGroup::Platform), SD),
    ("Scheduled Task did not exist", Rule::Other(TemplateGroup::Platform), SD),
    // The most general file template last.
    ("%s already exists", Rule::File(FileStep::AlreadyExists), SD),
];

fn build(rule: Rule, slots: Slots, v: Fill<'_>) -> Option<CfnInitMessage<'_>> {
    let (subject, detail) = match slots {
        Slots::SubjectDetail => (v.get(0), v.get(1)),
        Slots::Detail => (None, v.get(0)),
    };
    Some(match rule {
        Rule::Command(step) => CfnInitMessage::CommandStep {
            step,
            subject,
            detail,
        },
        Rule::Package(manager, step) => CfnInitMessage::Package {
            manager,
            step,
            subject,
            detail,
        },
        Rule::Installed(manager) => CfnInitMessage::PackagesInstalled {
            manager,
            packages: subject?,
        },
        Rule::PackageFailed(manager, tool) => CfnInitMessage::PackageFailed {
            manager,
            tool,
            output: detail?,
        },
        Rule::ServiceChanged(action) => CfnInitMessage::ServiceChanged {
            action,
            service: subject?,
        },
        Rule::Service(step) => CfnInitMessage::Service {
            step,
            subject,
            detail,
        },
        Rule::File(step) => CfnInitMessage::File {
            step,
            subject,
            detail,
        },
        Rule::Account(kind, step) => CfnInitMessage::Account {
            kind,
            step,
            subject,
            detail,
        },
        Rule::Source(step) => CfnInitMessage::Source {
            step,
            subject,
            detail,
        },
        Rule::Other(group) => CfnInitMessage::Other { group, subject },
    })
}

/// Indices into [`TEMPLATES`] by the first word of the template's leading literal, and
/// the templates whose first word holds a value (tried for every line).
struct TemplateIndex {
    by_first_word: HashMap<&'static str, Vec<usize>>,
    open: Vec<usize>,
}

/// The first word of `text`: up to its first space, or all of it.
fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or(text)
}

fn template_index() -> &'static TemplateIndex {
    static INDEX: OnceLock<TemplateIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = TemplateIndex {
            by_first_word: HashMap::new(),
            open: Vec::new(),
        };
        for (i, (template, _, _)) in TEMPLATES.iter().enumerate() {
            let head = template.split("%s").next().unwrap_or("");
            // The first word is literal only when the leading literal reaches past it.
            match head.find(' ') {
                Some(space) => index
                    .by_first_word
                    .entry(&head[..space])
                    .or_default()
                    .push(i),
                None => index.open.push(i),
            }
        }
        index
    })
}

fn from_table(i: &str) -> Option<CfnInitMessage<'_>> {
    // Only templates whose first word is the line's (and those that open with a value)
    // can match: a hash lookup instead of trying 160 templates in turn. They are tried in
    // table order, which is the order of specificity.
    let index = template_index();
    let by_word = index
        .by_first_word
        .get(first_word(i))
        .map_or(&[][..], Vec::as_slice);
    let first = i.as_bytes().first().copied();
    let open = index.open.iter().copied().filter(move |&t| {
        let template = TEMPLATES[t].0;
        template.starts_with("%s") || template.as_bytes().first().copied() == first
    });
    let found = merge_ascending(by_word.iter().copied(), open).find_map(|t| {
        let (template, rule, slots) = TEMPLATES[t];
        build(rule, slots, fill(template, i)?)
    });
    found
}

/// The union of two ascending sequences of indices, ascending.
fn merge_ascending(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek().copied(), b.peek().copied()) {
        (Some(x), Some(y)) if x <= y => a.next(),
        (Some(_), Some(_)) | (None, Some(_)) => b.next(),
        (Some(_), None) => a.next(),
        (None, None) => None,
    })
}

/// Recognises the template of a cfn-init.log message's first line (the text after the
/// `amzn` header); `None` for text that matches no known template.
///
/// ```
/// use eblog_grammars::cfn_init::{parse_message, CfnInitMessage};
/// assert_eq!(
///     parse_message("Command 01_migrate (python manage.py migrate) failed"),
///     Some(CfnInitMessage::CommandFailed {
///         name: "01_migrate",
///         command: "python manage.py migrate",
///         continued: false,
///     })
/// );
/// assert_eq!(parse_message("Something nobody logs"), None);
/// ```
pub fn parse_message(first_line: &str) -> Option<CfnInitMessage<'_>> {
    if let Some(b) = banner(first_line) {
        return Some(CfnInitMessage::Banner(b));
    }
    if let Ok((_, m)) = alt((build_lines, command_lines)).parse(first_line) {
        return Some(m);
    }
    command_result(first_line)
        .or_else(|| client_lines(first_line))
        .or_else(|| owner_and_service_failures(first_line))
        .or_else(|| from_table(first_line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CfnInitMessage as M;

    /// Every template, filled with values with and without spaces, gives through the
    /// first-word index what a walk of the whole table in order gives.
    #[test]
    fn table_index_agrees_with_a_linear_search() {
        fn linear(i: &str) -> Option<CfnInitMessage<'_>> {
            TEMPLATES
                .iter()
                .find_map(|&(template, rule, slots)| build(rule, slots, fill(template, i)?))
        }
        let mut matched = 0;
        for (template, _, _) in TEMPLATES {
            for value in ["v", "two words", "/etc/x y"] {
                let line = template.replace("%s", value);
                assert_eq!(from_table(&line), linear(&line), "{line:?}");
                matched += usize::from(linear(&line).is_some());
            }
        }
        // Nearly every filled template matches some template (a few need other values).
        assert!(matched > TEMPLATES.len() * 2, "{matched}");
    }

    #[test]
    fn banners_are_exact_center_forms() {
        let cases = [
            (
                "-----------------------Starting build-----------------------",
                BuildBanner::Starting,
            ),
            (
                "-----------------------Build complete-----------------------",
                BuildBanner::Complete,
            ),
            (
                "-----------------------BUILD FAILED!------------------------",
                BuildBanner::Failed,
            ),
        ];
        for (line, banner) in cases {
            assert_eq!(line.len(), 60);
            assert_eq!(parse_message(line), Some(M::Banner(banner)), "{line}");
        }
    }

    #[test]
    fn banner_near_misses_are_none() {
        for line in [
            // 24 left, 23 right: the odd pad on the wrong side.
            "------------------------BUILD FAILED!-----------------------",
            "----------------------Starting build-----------------------",
            "-----------------------Starting build------------------------",
            "-----------------------Starting Build-----------------------",
            "=======================Build complete=======================",
            "Starting build",
            "-----------------------Build complete----------------------- ",
        ] {
            assert_eq!(parse_message(line), None, "{line}");
        }
    }

    #[test]
    fn is_centered_matches_python() {
        // "Command Output".center(60, '-') and an odd-length text.
        assert!(is_centered(
            "-----------------------Command Output-----------------------",
            "Command Output",
            b'-'
        ));
        assert!(is_centered(&"*".repeat(60), "", b'*'));
        assert!(!is_centered("é", "", b'-'));
    }

    #[test]
    fn build_and_config_set_templates() {
        let cases: &[(&str, CfnInitMessage)] = &[
            (
                "Running configSets: Infra-EmbeddedPreBuild, Hook-PreAppDeploy",
                M::RunningConfigSets {
                    config_sets: "Infra-EmbeddedPreBuild, Hook-PreAppDeploy",
                },
            ),
            (
                "Running configSet Infra-EmbeddedPreBuild",
                M::RunningConfigSet {
                    name: "Infra-EmbeddedPreBuild",
                },
            ),
            (
                "Running config prebuild_0_myapp",
                M::RunningConfig {
                    name: "prebuild_0_myapp",
                },
            ),
            ("ConfigSets completed", M::ConfigSetsCompleted),
            (
                "Error encountered during build of prebuild_0_myapp: Command 01_migrate failed",
                M::BuildError {
                    config: "prebuild_0_myapp",
                    error: "Command 01_migrate failed",
                },
            ),
            (
                "Error encountered during build of cfg: a: b",
                M::BuildError {
                    config: "cfg",
                    error: "a: b",
                },
            ),
            (
                "Unhandled exception during build: Command 01_migrate failed",
                M::UnhandledException {
                    phase: BuildPhase::Build,
                    error: "Command 01_migrate failed",
                },
            ),
            (
                "Unhandled exception during resume: [Errno 2] No such file",
                M::UnhandledException {
                    phase: BuildPhase::Resume,
                    error: "[Errno 2] No such file",
                },
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line).as_ref(), Some(expected), "{line}");
        }
        let names: Vec<_> = config_set_names("a, b-c, d").collect();
        assert_eq!(names, ["a", "b-c", "d"]);
    }

    #[test]
    fn command_templates() {
        let cases: &[(&str, CfnInitMessage)] = &[
            (
                "Running command 01_migrate",
                M::RunningCommand { name: "01_migrate" },
            ),
            (
                "Command 01_migrate succeeded",
                M::CommandSucceeded { name: "01_migrate" },
            ),
            (
                "Command 01_migrate (python manage.py migrate) failed",
                M::CommandFailed {
                    name: "01_migrate",
                    command: "python manage.py migrate",
                    continued: false,
                },
            ),
            (
                "Command 02_x (['su', 'webapp', '-c', 'make (all)']) failed",
                M::CommandFailed {
                    name: "02_x",
                    command: "['su', 'webapp', '-c', 'make (all)']",
                    continued: false,
                },
            ),
            (
                "Command 03_multi (if [ -f /tmp/x ]; then",
                M::CommandFailed {
                    name: "03_multi",
                    command: "if [ -f /tmp/x ]; then",
                    continued: true,
                },
            ),
            (
                "Command 01_migrate output: Operations to perform: (2 apps)",
                M::CommandOutput {
                    name: "01_migrate",
                    output: "Operations to perform: (2 apps)",
                },
            ),
            (
                "Command 01_migrate output: ",
                M::CommandOutput {
                    name: "01_migrate",
                    output: "",
                },
            ),
            (
                "Command 01_migrate output:",
                M::CommandOutput {
                    name: "01_migrate",
                    output: "",
                },
            ),
            ("Test failed with code 1", M::TestFailed { code: 1 }),
            ("Test failed with code -9", M::TestFailed { code: -9 }),
            (
                "ignoreErrors set to true, continuing build",
                M::IgnoreErrors,
            ),
            (
                "Waiting 60 seconds for reboot",
                M::Reboot(RebootWait::Seconds("60")),
            ),
            (
                "Waiting indefinitely for command to reboot",
                M::Reboot(RebootWait::Indefinitely),
            ),
            (
                "Not waiting as command did not execute",
                M::Reboot(RebootWait::NotWaiting),
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line).as_ref(), Some(expected), "{line}");
        }
    }

    fn step(
        step: CommandStep,
        subject: Option<&'static str>,
        detail: Option<&'static str>,
    ) -> M<'static> {
        M::CommandStep {
            step,
            subject,
            detail,
        }
    }

    #[test]
    fn command_steps() {
        use CommandStep::*;
        let cases = [
            ("No commands specified", step(NoneSpecified, None, None)),
            (
                "No command specified for 01_x",
                step(NoCommand, Some("01_x"), None),
            ),
            (
                "Generating defaults for command 01_x",
                step(GeneratingDefaults, Some("01_x"), None),
            ),
            (
                "Defaults script for 01_x output: {\"cwd\": \"/tmp\"}",
                step(DefaultsOutput, Some("01_x"), Some("{\"cwd\": \"/tmp\"}")),
            ),
            (
                "Defaults script for 01_x output:",
                step(DefaultsOutput, Some("01_x"), Some("")),
            ),
            (
                "Defaults script failed for 01_x: boom",
                step(DefaultsFailed, Some("01_x"), Some("boom")),
            ),
            (
                "Running test for command 01_x",
                step(RunningTest, Some("01_x"), None),
            ),
            ("Test command output: ", step(TestOutput, None, Some(""))),
            (
                "Test command output: found",
                step(TestOutput, None, Some("found")),
            ),
            (
                "Test for command 01_x passed",
                step(TestPassed, Some("01_x"), None),
            ),
            ("No test for command 01_x", step(NoTest, Some("01_x"), None)),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line), Some(expected), "{line}");
        }
    }

    fn pkg(
        manager: Option<PackageManager>,
        step: PackageStep,
        subject: Option<&'static str>,
        detail: Option<&'static str>,
    ) -> M<'static> {
        M::Package {
            manager,
            step,
            subject,
            detail,
        }
    }

    #[test]
    fn package_lines() {
        use PackageStep::*;
        let cases = [
            (
                "Yum installed ['postgresql-devel', 'jq']",
                M::PackagesInstalled {
                    manager: Yum,
                    packages: "['postgresql-devel', 'jq']",
                },
            ),
            (
                "APT installed [u'git']",
                M::PackagesInstalled {
                    manager: Apt,
                    packages: "[u'git']",
                },
            ),
            (
                "easy_install installed [u'pip']",
                M::PackagesInstalled {
                    manager: Python,
                    packages: "[u'pip']",
                },
            ),
            (
                "Gem installed: rack-2.2.3",
                M::PackagesInstalled {
                    manager: Gem,
                    packages: "rack-2.2.3",
                },
            ),
            (
                "Installed 7zip successfully",
                M::PackagesInstalled {
                    manager: Msi,
                    packages: "7zip",
                },
            ),
            (
                "Yum failed. Output: Loaded plugins: priorities, update-motd",
                M::PackageFailed {
                    manager: Yum,
                    tool: "Yum",
                    output: "Loaded plugins: priorities, update-motd",
                },
            ),
            (
                "Yum failed. Output:",
                M::PackageFailed {
                    manager: Yum,
                    tool: "Yum",
                    output: "",
                },
            ),
            (
                "Yum makecache failed. Output: ",
                M::PackageFailed {
                    manager: Yum,
                    tool: "Yum makecache",
                    output: "",
                },
            ),
            (
                "RPM failed. Output: error: x",
                M::PackageFailed {
                    manager: Rpm,
                    tool: "RPM",
                    output: "error: x",
                },
            ),
            (
                "APT gencache failed. Output: E",
                M::PackageFailed {
                    manager: Apt,
                    tool: "APT gencache",
                    output: "E",
                },
            ),
            (
                "apt-get failed. Output: E",
                M::PackageFailed {
                    manager: Apt,
                    tool: "apt-get",
                    output: "E",
                },
            ),
            (
                "easy_install failed. Output: E",
                M::PackageFailed {
                    manager: Python,
                    tool: "easy_install",
                    output: "E",
                },
            ),
            (
                "Gem failed. Output: E",
                M::PackageFailed {
                    manager: Gem,
                    tool: "Gem",
                    output: "E",
                },
            ),
            ("No packages specified", pkg(None, NoneSpecified, None, None)),
            (
                "Unsupported package manager: pacman",
                pkg(None, Unsupported, Some("pacman"), None),
            ),
            (
                "No packages specified for yum",
                pkg(Some(Yum), NoneSpecified, None, None),
            ),
            (
                "No packages installed for RPM",
                pkg(Some(Rpm), NoneSpecified, None, None),
            ),
            (
                "No packages specified for APT",
                pkg(Some(Apt), NoneSpecified, None, None),
            ),
            (
                "No packages specified for python",
                pkg(Some(Python), NoneSpecified, None, None),
            ),
            ("No gems specified", pkg(Some(Gem), NoneSpecified, None, None)),
            (
                "No packages installed for MSI",
                pkg(Some(Msi), NoneSpecified, None, None),
            ),
            (
                "jq will not be installed as it is already present",
                pkg(None, AlreadyInstalled, Some("jq"), None),
            ),
            (
                "nosuch-1.0 is not available to be installed",
                pkg(None, NotAvailable, Some("nosuch-1.0"), None),
            ),
            (
                "Downgrading to git-2.30 from installed version 2.32-1.amzn2",
                pkg(Some(Yum), Downgrading, Some("git-2.30"), Some("2.32-1.amzn2")),
            ),
            (
                "Downgrading ['git-2.30'] via yum",
                pkg(Some(Yum), Downgrading, Some("['git-2.30']"), None),
            ),
            (
                "Installing/updating ['jq', 'postgresql-devel'] via yum",
                pkg(
                    Some(Yum),
                    Installing,
                    Some("['jq', 'postgresql-devel']"),
                    None,
                ),
            ),
            (
                "All yum packages were already installed",
                pkg(Some(Yum), AlreadyInstalled, None, None),
            ),
            (
                "Requested version 2.0 is greater than installed version 1.0, so we will upgrade",
                pkg(Some(Yum), WillUpgrade, Some("2.0"), Some("1.0")),
            ),
            (
                "Requested version 1.0 is NOT greater than installed version 2.0, so we will NOT upgrade",
                pkg(Some(Yum), WillNotUpgrade, Some("1.0"), Some("2.0")),
            ),
            (
                "All RPMs were already installed",
                pkg(Some(Rpm), AlreadyInstalled, None, None),
            ),
            (
                "Installing ['https://x/a.rpm'] via RPM",
                pkg(Some(Rpm), Installing, Some("['https://x/a.rpm']"), None),
            ),
            ("RPM output: ", pkg(Some(Rpm), Output, None, Some(""))),
            (
                "RPM specified with no location",
                pkg(Some(Rpm), NoLocation, None, None),
            ),
            (
                "Skipping RPM at https://x/a.rpm as it is already installed",
                pkg(Some(Rpm), AlreadyInstalled, Some("https://x/a.rpm"), None),
            ),
            (
                "Querying for version of package https://x/a.rpm",
                pkg(Some(Rpm), Querying, Some("https://x/a.rpm"), None),
            ),
            (
                "RPM stdout: a|1.0-1",
                pkg(Some(Rpm), Output, None, Some("a|1.0-1")),
            ),
            ("RPM stderr: ", pkg(Some(Rpm), ErrorOutput, None, Some(""))),
            (
                "Could not determine package contained by rpm at /tmp/a.rpm",
                pkg(Some(Rpm), QueryFailed, Some("/tmp/a.rpm"), None),
            ),
            (
                "All APT packages were already installed",
                pkg(Some(Apt), AlreadyInstalled, None, None),
            ),
            (
                "Attempting to install ['git'] via APT",
                pkg(Some(Apt), Installing, Some("['git']"), None),
            ),
            ("APT output: ok", pkg(Some(Apt), Output, None, Some("ok"))),
            (
                "Attempting to install ['pip'] via easy_install",
                pkg(Some(Python), Installing, Some("['pip']"), None),
            ),
            (
                "easy_install output: ok",
                pkg(Some(Python), Output, None, Some("ok")),
            ),
            (
                "Checking to see if rack-2.2.3 is already installed",
                pkg(Some(Gem), Checking, Some("rack-2.2.3"), None),
            ),
            (
                "rack-2.2.3 is already installed, skipping.",
                pkg(Some(Gem), AlreadyInstalled, Some("rack-2.2.3"), None),
            ),
            (
                "Installing rack version 2.2.3 via gem",
                pkg(Some(Gem), Installing, Some("rack"), Some("2.2.3")),
            ),
            ("Gem output: ok", pkg(Some(Gem), Output, None, Some("ok"))),
            (
                "7zip is already installed; skipping",
                pkg(Some(Msi), AlreadyInstalled, Some("7zip"), None),
            ),
            (
                "All MSI packages already installed",
                pkg(Some(Msi), AlreadyInstalled, None, None),
            ),
            (
                "Installing 7zip via MSI",
                pkg(Some(Msi), Installing, Some("7zip"), None),
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line), Some(expected), "{line}");
        }
    }

    fn svc(
        step: ServiceStep,
        subject: Option<&'static str>,
        detail: Option<&'static str>,
    ) -> M<'static> {
        M::Service {
            step,
            subject,
            detail,
        }
    }

    #[test]
    fn service_lines() {
        use ServiceAction::*;
        use ServiceStep::*;
        let changed = |action, service| M::ServiceChanged { action, service };
        let cases = [
            ("Started nginx successfully", changed(Start, "nginx")),
            ("Stopped nginx successfully", changed(Stop, "nginx")),
            ("Restarted nginx successfully", changed(Restart, "nginx")),
            ("enabled service cfn-hup", changed(Enable, "cfn-hup")),
            ("disabled service sendmail", changed(Disable, "sendmail")),
            (
                "Could not start service nginx; return code was 1",
                M::ServiceFailed {
                    action: Some(Start),
                    service: Some("nginx"),
                    return_code: Some("1"),
                    output: None,
                },
            ),
            (
                "Could not stop service nginx; return code was 3",
                M::ServiceFailed {
                    action: Some(Stop),
                    service: Some("nginx"),
                    return_code: Some("3"),
                    output: None,
                },
            ),
            (
                "Could not restart service nginx; return code was 7",
                M::ServiceFailed {
                    action: Some(Restart),
                    service: Some("nginx"),
                    return_code: Some("7"),
                    output: None,
                },
            ),
            (
                "Could not enable nginx, as chkconfig and update-rc.d were not available",
                M::ServiceFailed {
                    action: Some(Enable),
                    service: Some("nginx"),
                    return_code: None,
                    output: None,
                },
            ),
            (
                "chkconfig failed with error 1. Output: error reading information",
                M::ServiceFailed {
                    action: None,
                    service: None,
                    return_code: Some("1"),
                    output: Some("error reading information"),
                },
            ),
            (
                "update-rc.d failed with error 1. Output: ",
                M::ServiceFailed {
                    action: None,
                    service: None,
                    return_code: Some("1"),
                    output: Some(""),
                },
            ),
            ("No services specified", svc(NoneSpecified, None, None)),
            (
                "No System V init scripts specified",
                svc(NoneSpecified, None, None),
            ),
            (
                "No Windows services specified",
                svc(NoneSpecified, None, None),
            ),
            (
                "Unsupported service manager: systemd",
                svc(Unsupported, Some("systemd"), None),
            ),
            (
                "Starting service nginx as it is not running",
                svc(WillStart, Some("nginx"), None),
            ),
            (
                "Stopping service nginx as it is running",
                svc(WillStop, Some("nginx"), None),
            ),
            (
                "Restarting nginx due to change detected in dependency",
                svc(WillRestart, Some("nginx"), None),
            ),
            (
                "Setting service nginx to enabled",
                svc(SettingEnabled, Some("nginx"), Some("enabled")),
            ),
            (
                "Not modifying enabled state of service nginx",
                svc(KeepEnabledState, Some("nginx"), None),
            ),
            (
                "Not modifying running state of service nginx",
                svc(KeepRunningState, Some("nginx"), None),
            ),
            (
                "No need to modify running state of service nginx",
                svc(AlreadyInState, Some("nginx"), None),
            ),
            (
                "Using service modifier: /sbin/chkconfig",
                svc(Modifier, None, Some("/sbin/chkconfig")),
            ),
            (
                "Using service runner: /sbin/service",
                svc(Runner, None, Some("/sbin/service")),
            ),
            (
                "Running init scripts directly",
                svc(InitScriptsDirectly, None, None),
            ),
            (
                "Service output: Starting nginx: [  OK  ]",
                svc(Output, None, Some("Starting nginx: [  OK  ]")),
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line), Some(expected), "{line}");
        }
    }

    fn file(
        step: FileStep,
        subject: Option<&'static str>,
        detail: Option<&'static str>,
    ) -> M<'static> {
        M::File {
            step,
            subject,
            detail,
        }
    }

    #[test]
    fn file_lines() {
        use FileStep::*;
        let cases = [
            (
                "Setting owner 0 and group 0 for /etc/x.conf",
                M::FileOwner {
                    path: "/etc/x.conf",
                    owner: "0",
                    group: "0",
                },
            ),
            ("No files specified", file(NoneSpecified, None, None)),
            (
                "Symbolic link /etc/a already exists",
                file(SymlinkExists, Some("/etc/a"), None),
            ),
            (
                "Parent directory /etc/app does not exist, creating",
                file(CreatingParent, Some("/etc/app"), None),
            ),
            (
                "/etc/a is specified as a symbolic link to /etc/b",
                file(Symlink, Some("/etc/a"), Some("/etc/b")),
            ),
            (
                "Writing content to /etc/app/settings.json",
                file(Writing, Some("/etc/app/settings.json"), None),
            ),
            (
                "Setting mode for /etc/app/settings.json to 000644",
                file(SettingMode, Some("/etc/app/settings.json"), Some("000644")),
            ),
            (
                "No mode specified for /etc/a. Setting permissions of the existing file: 0o644.",
                file(KeepingMode, Some("/etc/a"), Some("0o644")),
            ),
            (
                "No mode specified for /etc/a. The file will be created with the mode: 0o644",
                file(DefaultMode, Some("/etc/a"), Some("0o644")),
            ),
            (
                "/etc/app/settings.json already exists",
                file(AlreadyExists, Some("/etc/app/settings.json"), None),
            ),
            (
                "Error restoring /etc/a from backup",
                file(RestoreFailed, Some("/etc/a"), None),
            ),
            (
                "Error restoring backup file /etc/a.bak: [Errno 2] gone",
                file(RestoreFailed, Some("/etc/a.bak"), Some("[Errno 2] gone")),
            ),
            (
                "Moving /tmp/tmpab12 to /etc/a",
                file(Moving, Some("/tmp/tmpab12"), Some("/etc/a")),
            ),
            (
                "Could not move /tmp/tmpab12 to /etc/a",
                file(MoveFailed, Some("/tmp/tmpab12"), Some("/etc/a")),
            ),
            (
                "Retrieving contents from https://s3.amazonaws.com/b/k",
                file(Retrieving, Some("https://s3.amazonaws.com/b/k"), None),
            ),
            ("Rendering as Mustache template", file(Mustache, None, None)),
            (
                "Content will be serialized as a JSON structure",
                file(Json, None, None),
            ),
            ("Decoding base64 content", file(Base64, None, None)),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line), Some(expected), "{line}");
        }
    }

    #[test]
    fn account_and_source_lines() {
        use AccountStep::*;
        let acct = |kind, step, subject, detail| M::Account {
            kind,
            step,
            subject,
            detail,
        };
        let src = |step, subject, detail| M::Source {
            step,
            subject,
            detail,
        };
        let cases = [
            (
                "No groups specified",
                acct(Group, NoneSpecified, None, None),
            ),
            ("No users specified", acct(User, NoneSpecified, None, None)),
            (
                "Group webapp already exists",
                acct(Group, AlreadyExists, Some("webapp"), None),
            ),
            (
                "Created group webapp successfully",
                acct(Group, Created, Some("webapp"), None),
            ),
            (
                "Failed to create group webapp",
                acct(Group, Failed, Some("webapp"), None),
            ),
            (
                "Groupadd output: groupadd: x",
                acct(Group, Output, None, Some("groupadd: x")),
            ),
            (
                "Added user app successfully",
                acct(User, Created, Some("app"), None),
            ),
            (
                "Modified user app successfully",
                acct(User, Modified, Some("app"), None),
            ),
            (
                "Failed to add user app",
                acct(User, Failed, Some("app"), None),
            ),
            (
                "Failed to modify user app",
                acct(User, Failed, Some("app"), None),
            ),
            (
                "No homedir or groups specified; not modifying app",
                acct(User, Unchanged, Some("app"), None),
            ),
            (
                "Groups have not changed for app",
                acct(User, Unchanged, Some("app"), None),
            ),
            (
                "Homedir has not changed for app",
                acct(User, Unchanged, Some("app"), None),
            ),
            (
                "User app does not need modification",
                acct(User, Unchanged, Some("app"), None),
            ),
            ("Useradd output: ", acct(User, Output, None, Some(""))),
            ("Usermod output: x", acct(User, Output, None, Some("x"))),
            (
                "Unsupported OS for group operations: nt",
                acct(Group, UnsupportedOs, None, Some("nt")),
            ),
            (
                "Unsupported OS for user operations: nt",
                acct(User, UnsupportedOs, None, Some("nt")),
            ),
            (
                "No sources specified",
                src(SourceStep::NoneSpecified, None, None),
            ),
            (
                "Treating /tmp/a.tgz as a tarball",
                src(SourceStep::Tarball, Some("/tmp/a.tgz"), None),
            ),
            (
                "Treating /tmp/a.zip as a zip archive",
                src(SourceStep::Zip, Some("/tmp/a.zip"), None),
            ),
            (
                "Checking to ensure that all archive members fall under path /opt/app",
                src(SourceStep::CheckingMembers, None, Some("/opt/app")),
            ),
            (
                "Attempting to magically strip GitHub parent directory from archive",
                src(SourceStep::GitHubStrip, None, None),
            ),
            (
                "GitHub magic is not possible; archive does not contain exactly one directory",
                src(SourceStep::GitHubStripImpossible, None, None),
            ),
            (
                "Creating temporary tar from /tmp/x",
                src(SourceStep::TemporaryTar, Some("/tmp/x"), None),
            ),
            (
                "Expanding /tmp/a.zip into /opt/app",
                src(SourceStep::Expanding, Some("/tmp/a.zip"), Some("/opt/app")),
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line), Some(expected), "{line}");
        }
    }

    #[test]
    fn client_templates() {
        let cases = [
            (
                "Signaling resource AWSEBAutoScalingGroup in stack awseb-e-x-stack with unique ID i-0f3a9c27e4b18d605 and status SUCCESS",
                M::SignalingResource {
                    resource: "AWSEBAutoScalingGroup",
                    stack: "awseb-e-x-stack",
                    unique_id: "i-0f3a9c27e4b18d605",
                    status: "SUCCESS",
                },
            ),
            (
                "Describing resource AWSEBAutoScalingGroup in stack arn:aws:cloudformation:us-west-2:1:stack/s/u",
                M::DescribingResource {
                    resource: "AWSEBAutoScalingGroup",
                    stack: "arn:aws:cloudformation:us-west-2:1:stack/s/u",
                },
            ),
            (
                "CloudFormation client initialized with endpoint https://cloudformation.us-west-2.amazonaws.com",
                M::ClientEndpoint {
                    service: "CloudFormation",
                    endpoint: "https://cloudformation.us-west-2.amazonaws.com",
                },
            ),
            (
                "SQS client initialized with endpoint https://sqs.us-west-2.amazonaws.com",
                M::ClientEndpoint {
                    service: "SQS",
                    endpoint: "https://sqs.us-west-2.amazonaws.com",
                },
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line), Some(expected), "{line}");
        }
    }

    #[test]
    fn other_groups() {
        use TemplateGroup::*;
        let other = |group, subject| M::Other { group, subject };
        let cases = [
            ("Starting resume", other(Resume, None)),
            ("Resuming config: cfg2", other(Resume, Some("cfg2"))),
            ("Resuming configSets: [u'b']", other(Resume, Some("[u'b']"))),
            ("Resume completed", other(Resume, None)),
            (
                "Sleeping for 2.183011 seconds before retrying",
                other(Network, Some("2.183011")),
            ),
            ("Timeout of 30 seconds breached", other(Network, Some("30"))),
            ("SSLError", other(Network, None)),
            ("Checksum mismatch", other(Network, None)),
            ("ConnectionError", other(Network, None)),
            ("ProxyError", other(Network, None)),
            ("Timeout", other(Network, None)),
            ("Client-side timeout", other(Network, None)),
            ("Generic IOError", other(Network, None)),
            ("Unexpected Exception", other(Network, None)),
            ("Exception retrieving InstanceId", other(Network, None)),
            (
                "file uses KMS encryption; skipping checksum comparison",
                other(Network, None),
            ),
            (
                "cannot check consistency of file uploaded multipart; etag has - character present",
                other(Network, None),
            ),
            (
                "Handling redirect to S3 location: https://b.s3.amazonaws.com/k",
                other(Auth, Some("https://b.s3.amazonaws.com/k")),
            ),
            (
                "S3 redirected to non-S3 url: https://evil/x",
                other(Auth, Some("https://evil/x")),
            ),
            (
                "Falling back to Signature Version 2 as no region was specified in S3 URL",
                other(Auth, None),
            ),
            (
                "S3 auth requires either \"accessKeyId\" and \"secretKey\" or \"roleName\"",
                other(Auth, None),
            ),
            (
                "Unrecognized authentication type: basic2",
                other(Auth, Some("basic2")),
            ),
            ("Refreshing role-based credentials", other(Auth, None)),
            (
                "Exception while refreshing credentials; will refresh on next access",
                other(Auth, None),
            ),
            (
                "Non-standard CloudFormation endpoint: https://cfn.local",
                other(Client, Some("https://cfn.local")),
            ),
            (
                "Constructing user agent failed with error message: nope",
                other(Client, Some("nope")),
            ),
            ("Loading py2exe endpoints.json file", other(Client, None)),
            ("Failed to load endpoints.json", other(Client, None)),
            (
                "Loading existing endpoints override file /etc/e.json",
                other(Client, Some("/etc/e.json")),
            ),
            (
                "Failed to load endpoints override file: /etc/e.json",
                other(Client, Some("/etc/e.json")),
            ),
            (
                "Could not create /var/lib/cfn-init/data to store metadata",
                other(State, Some("/var/lib/cfn-init/data")),
            ),
            (
                "Could not create /var/lib/cfn-init/data to store the work log",
                other(State, Some("/var/lib/cfn-init/data")),
            ),
            (
                "No value at path a.b (missing index: b)",
                other(State, Some("a.b")),
            ),
            (
                "Unsupported OS for setting owner/group: nt",
                other(Platform, Some("nt")),
            ),
            (
                "Not setting a reboot trigger as scheduling support is not available",
                other(Platform, None),
            ),
            (
                "Creating Scheduled Task for cfn-init resume",
                other(Platform, None),
            ),
            (
                "Scheduled task already exists; not updating",
                other(Platform, None),
            ),
            ("Scheduled Task created", other(Platform, None)),
            (
                "Not clearing reboot trigger as scheduling support is not available",
                other(Platform, None),
            ),
            (
                "Deleting Scheduled Task for cfn-init resume",
                other(Platform, None),
            ),
            ("Scheduled Task deleted", other(Platform, None)),
            ("Scheduled Task did not exist", other(Platform, None)),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_message(line), Some(expected), "{line}");
        }
    }

    #[test]
    fn every_table_template_is_reachable() {
        // Fill every %s with a token: each line must come back as its own template's
        // message, so no dedicated parser or earlier template shadows a later one.
        for &(template, rule, slots) in TEMPLATES {
            let line = template.replace("%s", "v1");
            let own = fill(template, &line).and_then(|v| build(rule, slots, v));
            assert!(own.is_some(), "{template}");
            assert_eq!(parse_message(&line), own, "{template}");
        }
    }

    #[test]
    fn near_misses_are_none() {
        for line in [
            "",
            "Something nobody logs",
            "Running configSets: ",
            "Running configSet ",
            "Running config ",
            "Running command ",
            "ConfigSets completed.",
            "configsets completed",
            "Command ",
            "Command  succeeded",
            "Command 01_x succeeded!",
            "Command 01_x",
            "Test failed with code x",
            "Test failed with code 1 ",
            "Test failed with code ",
            "Waiting seconds for reboot",
            "Waiting  seconds for reboot",
            "ignoreErrors set to true",
            "Yum installed ",
            "Yum failed.",
            "Started  successfully",
            "Error encountered during build of : x",
            "Unhandled exception during install: x",
            "Signaling resource a in stack b",
            "Describing resource  in stack ",
            "CloudFormation client initialized with endpoint ",
            " already exists",
            "SSLError: details",
            "Timeout ",
            "No commands specified yet",
            "Setting owner 0 and group  for /x",
            "Could not start service nginx",
        ] {
            assert_eq!(parse_message(line), None, "{line:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(input in "\\PC*") {
            let _ = parse_message(&input);
            let _ = config_set_names(&input).count();
        }

        #[test]
        fn never_panics_near_templates(
            head in "(Command |Running |Yum |No |Waiting |Test failed with code |Setting |Could not |-{20,30}|%s|)",
            body in "[\\PC]{0,24}",
            tail in "( succeeded| failed|\\) failed| output:| output: |: | seconds for reboot|-{0,30}|)",
        ) {
            let line = format!("{head}{body}{tail}");
            let _ = parse_message(&line);
        }
    }
}
