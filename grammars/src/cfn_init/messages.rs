//! The messages of cfn-init.log's first lines, and the steps of each tool.

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
