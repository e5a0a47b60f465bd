//! Tests of the cfn-init.log message grammar and its template table.

use super::*;
use AccountKind::{Group, User};
use CfnInitMessage as M;
use PackageManager::{Apt, Gem, Msi, Python, Rpm, Yum};

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

fn file(step: FileStep, subject: Option<&'static str>, detail: Option<&'static str>) -> M<'static> {
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
