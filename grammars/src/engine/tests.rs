use super::*;

fn header(line: &[u8]) -> (EngineHeader<'_>, &[u8]) {
    let (msg, h) =
        parse_header(line).unwrap_or_else(|e| panic!("{:?}: {e:?}", String::from_utf8_lossy(line)));
    (h, msg)
}

#[test]
fn header_reads_microseconds_and_leaves_message() {
    let (h, msg) = header(b"2023/12/14 22:06:05.484451 [ERROR] An error occurred");
    assert_eq!(h.level, "ERROR");
    assert_eq!((h.ts.year, h.ts.month, h.ts.day), (2023, 12, 14));
    assert_eq!((h.ts.hour, h.ts.minute, h.ts.second), (22, 6, 5));
    assert_eq!((h.ts.nanos, h.ts.fraction_digits), (484_451_000, 6));
    assert_eq!(msg, b"An error occurred");
}

#[test]
fn header_fixture_table() {
    // (line, level, nanos, fraction digits, message)
    type Case<'a> = (&'a [u8], &'a str, u32, u8, &'a [u8]);
    let cases: &[Case<'_>] = &[
            (
                b"2020/08/11 08:01:57.493840 [WARN] stopProcess Warning: process xray is not registered ",
                "WARN",
                493_840_000,
                6,
                b"stopProcess Warning: process xray is not registered ",
            ),
            (
                b"2026/01/24 11:52:19.328191 [INFO] Starting...",
                "INFO",
                328_191_000,
                6,
                b"Starting...",
            ),
            (
                b"2026/01/24 11:52:19.3 [DEBUG] one digit",
                "DEBUG",
                300_000_000,
                1,
                b"one digit",
            ),
            (
                b"2026/01/24 11:52:19.123456789 [INFO] nanoseconds",
                "INFO",
                123_456_789,
                9,
                b"nanoseconds",
            ),
            (b"2026/01/24 11:52:19.000001 [INFO]", "INFO", 1_000, 6, b""),
            (b"2026/01/24 11:52:19.000001 [INFO] ", "INFO", 1_000, 6, b""),
            (
                b"2026/01/24 11:52:19.000001 [INFO]\r\n",
                "INFO",
                1_000,
                6,
                b"\r\n",
            ),
            (
                b"2026/01/24 11:52:19.000001 [INFO]  two spaces",
                "INFO",
                1_000,
                6,
                b" two spaces",
            ),
            (
                b"2026/01/24 11:52:19.000001 [ABCDEFGHIJKL] twelve",
                "ABCDEFGHIJKL",
                1_000,
                6,
                b"twelve",
            ),
        ];
    for &(line, level, nanos, digits, message) in cases {
        let (h, msg) = header(line);
        assert_eq!(h.level, level, "{:?}", String::from_utf8_lossy(line));
        assert_eq!((h.ts.nanos, h.ts.fraction_digits), (nanos, digits));
        assert_eq!(msg, message, "{:?}", String::from_utf8_lossy(line));
        assert!(is_header(line), "{:?}", String::from_utf8_lossy(line));
    }
}

#[test]
fn near_misses_are_not_headers() {
    for line in [
        &b""[..],
        b" ",
        b"application for all non-root users on this machine.",
        b"web.service",
        b"2023-12-14 22:06:05.484451 [INFO] dashes",
        b"2023/12/14T22:06:05.484451 [INFO] T separator",
        b"2023/12/14 22:06:05,484451 [INFO] comma",
        b"2023/12/14 22:06:05 [INFO] no fraction",
        b"2023/12/14 22:06:05.1234567890 [INFO] ten digits",
        b"2023/12/14 22:06:05.484451 INFO no brackets",
        b"2023/12/14 22:06:05.484451 [info] lower case",
        b"2023/12/14 22:06:05.484451 [] empty level",
        b"2023/12/14 22:06:05.484451 [ABCDEFGHIJKLM] thirteen",
        b"2023/12/14 22:06:05.484451 [INFO]x no space",
        b"2023/1/14 22:06:05.484451 [INFO] short month",
        b"2023/12/14 22:06:05.484451",
        b"2017-07-16 23:09:33,602 [INFO] Received command X (invocation id: y)",
        b"2018-03-26 20:13:12,518 P8946 [INFO] Command 85_clear_yum_cache",
        b"[2018-09-17T23:29:07.266Z] INFO  [2273]  : Running stage 0 of command CMD-AppDeploy...",
        b"[2020-05-19T21:45:29Z] Started EB User Data",
        b"1437609879.311\"/\"200\"0.083\"0.083\"177.72.242.17",
    ] {
        assert!(!is_header(line), "{:?}", String::from_utf8_lossy(line));
        assert!(
            parse_header(line).is_err(),
            "{:?}",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn lifecycle_templates() {
    use EngineMessage as M;
    let cases: &[(&str, M<'_>)] = &[
            ("Starting...", M::Start),
            ("Starting EBPlatform-PlatformEngine", M::Start),
            (
                "Engine received EB command cfn-hup-exec",
                M::ReceivedCommand {
                    command: "cfn-hup-exec",
                },
            ),
            (
                "Engine received EB command userdata-exec",
                M::ReceivedCommand {
                    command: "userdata-exec",
                },
            ),
            (
                "Engine command: (app-deploy)",
                M::EngineCommand {
                    command: "app-deploy",
                },
            ),
            (
                "Engine command: switch-cfn-stack",
                M::EngineCommand {
                    command: "switch-cfn-stack",
                },
            ),
            (
                "checking whether command tail-log is applicable to this instance...",
                M::Applicability {
                    command: Some("tail-log"),
                    applicable: None,
                },
            ),
            (
                "this command is applicable to the instance, thus instance should execute command",
                M::Applicability {
                    command: None,
                    applicable: Some(true),
                },
            ),
            (
                "this command is not applicable to the instance, thus instance shouldn't execute command",
                M::Applicability {
                    command: None,
                    applicable: Some(false),
                },
            ),
            (
                "Executing instruction: RunAppDeployPreBuildHooks",
                M::Instruction {
                    name: "RunAppDeployPreBuildHooks",
                },
            ),
            (
                "Executing instruction: start proxy with new configuration",
                M::Instruction {
                    name: "start proxy with new configuration",
                },
            ),
            ("Executing cleanup logic", M::Cleanup),
            (
                "CommandService Response: {\"status\":\"SUCCESS\",\"api_version\":\"1.0\"}",
                M::Response {
                    json: "{\"status\":\"SUCCESS\",\"api_version\":\"1.0\"}",
                },
            ),
            (
                "Platform Engine finished execution on command: app-deploy",
                M::Finished {
                    command: "app-deploy",
                },
            ),
        ];
    for (line, expected) in cases {
        assert_eq!(parse_message(line).as_ref(), Some(expected), "{line}");
    }
}

#[test]
fn running_command_styles() {
    use EngineMessage as M;
    let cases: &[(&str, M<'_>)] = &[
        (
            "Running command /bin/sh -c ruby -v | cut -d ' ' -f 2",
            M::RunningCommand {
                command: "ruby -v | cut -d ' ' -f 2",
                echo: CommandEcho::Shell,
            },
        ),
        (
            "Running command: systemctl show -p PartOf xray.service",
            M::RunningCommand {
                command: "systemctl show -p PartOf xray.service",
                echo: CommandEcho::Colon,
            },
        ),
        (
            "Running command .platform/hooks/prebuild/01_install.sh",
            M::RunningCommand {
                command: ".platform/hooks/prebuild/01_install.sh",
                echo: CommandEcho::Bare,
            },
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(parse_message(line).as_ref(), Some(expected), "{line}");
    }
    assert_eq!(parse_message("Running command "), None);
}

#[test]
fn command_error_splits_its_parts() {
    let line = "An error occurred during execution of command [app-deploy] - [stage ruby application]. Stop running the command. Error: install dependencies in Gemfile failed with error Command /bin/sh -c bundle _2.4.10_ install failed with error exit status 18. Stderr:Don't run Bundler as root.";
    let Some(EngineMessage::CommandError {
        command,
        instruction,
        error,
    }) = parse_message(line)
    else {
        panic!("not a command error");
    };
    assert_eq!(command, "app-deploy");
    assert_eq!(instruction, "stage ruby application");
    assert!(error.starts_with("install dependencies in Gemfile failed"));
    assert!(error.ends_with("Stderr:Don't run Bundler as root."));
    // The error is a sub-slice of the input, so the caller can continue from it.
    let offset = error.as_ptr() as usize - line.as_ptr() as usize;
    assert_eq!(&line[offset..], error);

    for (line, error) in [
            (
                "An error occurred during execution of command [app-deploy] - [PreBuildEbExtension]. Stop running the command. Error: EbExtension build failed. Please refer to /var/log/cfn-init.log for more details. ",
                "EbExtension build failed. Please refer to /var/log/cfn-init.log for more details.",
            ),
            (
                "An error occurred during execution of command [app-deploy] - [X]. Stop running the command.",
                "",
            ),
            (
                "An error occurred during execution of command [app-deploy] - [X]. Stop running the command. Error:",
                "",
            ),
        ] {
            assert_eq!(
                parse_message(line),
                Some(EngineMessage::CommandError {
                    command: "app-deploy",
                    instruction: if error.is_empty() { "X" } else { "PreBuildEbExtension" },
                    error,
                }),
                "{line}"
            );
        }
    assert_eq!(
        parse_message("An error occurred during execution of command [app-deploy]"),
        None
    );
}

#[test]
fn hook_templates() {
    use EngineMessage as M;
    let cases: &[(&str, M<'_>)] = &[
            (
                "Executing platform hooks in .platform/hooks/prebuild/",
                M::HooksStart {
                    dir: ".platform/hooks/prebuild/",
                },
            ),
            (
                "The dir .platform/hooks/prebuild/ does not exist",
                M::HooksMissing {
                    dir: ".platform/hooks/prebuild/",
                },
            ),
            (
                "The dir .platform/hooks/predeploy/ does not exist in the application. Skipping this step...",
                M::HooksMissing {
                    dir: ".platform/hooks/predeploy/",
                },
            ),
            (
                "Following platform hooks will be executed in order: [01_install.sh 02_migrate.sh]",
                M::HooksOrder {
                    hooks: "01_install.sh 02_migrate.sh",
                },
            ),
            (
                "Following platform hooks will be executed in order: []",
                M::HooksOrder { hooks: "" },
            ),
            (
                "Running platform hook: .platform/hooks/prebuild/01_install.sh",
                M::RunningHook {
                    path: ".platform/hooks/prebuild/01_install.sh",
                },
            ),
            (
                "Finished running the platform hooks in .platform/hooks/prebuild/",
                M::HooksFinished {
                    dir: ".platform/hooks/prebuild/",
                },
            ),
            (
                "Finished running scripts in /var/app/staging/.platform/hooks/prebuild",
                M::HooksFinished {
                    dir: "/var/app/staging/.platform/hooks/prebuild",
                },
            ),
        ];
    for (line, expected) in cases {
        assert_eq!(parse_message(line).as_ref(), Some(expected), "{line}");
    }
}

#[test]
fn config_sets_leader_and_warnings() {
    use EngineMessage as M;
    let cases: &[(&str, M<'_>)] = &[
        (
            "Starting executing the config set Infra-EmbeddedPreBuild.",
            M::ConfigSet {
                name: "Infra-EmbeddedPreBuild",
                finished: false,
            },
        ),
        (
            "Finished executing the config set Infra-EmbeddedPostBuild.",
            M::ConfigSet {
                name: "Infra-EmbeddedPostBuild",
                finished: true,
            },
        ),
        (
            "Running leader election for instance i-0a1b2c3d4e5f60718...",
            M::Leader { is_leader: None },
        ),
        (
            "Calling the cfn-elect-cmd-leader to elect the command leader.",
            M::Leader { is_leader: None },
        ),
        (
            "Instance is Leader.",
            M::Leader {
                is_leader: Some(true),
            },
        ),
        (
            "Instance is NOT Leader.",
            M::Leader {
                is_leader: Some(false),
            },
        ),
        (
            "stopProcess Warning: process xray is not registered ",
            M::Warning {
                process: Some("xray"),
            },
        ),
        (
            "deregisterProcess Warning: process httpd is not registered, skipping...",
            M::Warning {
                process: Some("httpd"),
            },
        ),
        (
            "startProcess Warning: something else",
            M::Warning { process: None },
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(parse_message(line).as_ref(), Some(expected), "{line}");
    }
}

#[test]
fn chatter_groups() {
    for (line, group) in [
            ("reading event message file", Chatter::Run),
            (
                "no eb envtier info file found, skip loading env tier info.",
                Chatter::Run,
            ),
            ("This is a workflow controlled instance.", Chatter::Run),
            ("Instance has NOT been bootstrapped", Chatter::Bootstrap),
            ("Starting MarkBootstrapped", Chatter::Bootstrap),
            ("Marked instance as Bootstrapped", Chatter::Bootstrap),
            ("Starting SyncClock", Chatter::Bootstrap),
            ("Starting SwitchCFNStack", Chatter::Bootstrap),
            ("Setup publish logs cron job...", Chatter::Logs),
            ("Tail Logs...", Chatter::Logs),
            (
                "Copying file /opt/elasticbeanstalk/config/private/rsyslog.conf to /etc/rsyslog.d/web.conf",
                Chatter::Files,
            ),
            ("Downloading EB Application...", Chatter::Download),
            ("Region: eu-central-1", Chatter::Download),
            ("envID: e-k2m9x4q7ab", Chatter::Download),
            (
                "envBucket: elasticbeanstalk-eu-central-1-123456789012",
                Chatter::Download,
            ),
            (
                "Downloading: bucket: elasticbeanstalk-eu-central-1-123456789012, object: /resources/environments/e-k2m9x4q7ab/_runtime/versions/manifest_1",
                Chatter::Download,
            ),
            ("Download successful152bytes downloaded", Chatter::Download),
            (
                "Using manifest file name from command request",
                Chatter::Manifest,
            ),
            ("Unable to get version manifest file.", Chatter::Manifest),
            ("Downloading latest manifest available.", Chatter::Manifest),
            ("Download latest app version manifest", Chatter::Manifest),
            (
                "resources/environments/e-k2m9x4q7ab/_runtime/versions/manifest",
                Chatter::Manifest,
            ),
            (
                "latestManifest key *: resources/environments/e-k2m9x4q7ab/_runtime/versions/manifest_1",
                Chatter::Manifest,
            ),
            (
                "Trying to read and parse version manifest...",
                Chatter::Manifest,
            ),
            (
                "Skipping populate manifest for light execution",
                Chatter::Manifest,
            ),
            (
                "extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/",
                Chatter::Staging,
            ),
            (
                "finished extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/ successfully",
                Chatter::Staging,
            ),
            (
                "Cleaned ebextensions subdirectories from app staging directory.",
                Chatter::Staging,
            ),
            ("stage ruby application ....", Chatter::Staging),
            ("Fetching environment variables...", Chatter::Environment),
            ("fetching environment variables...", Chatter::Environment),
            (
                "setting default port 8080 to application",
                Chatter::Environment,
            ),
            (
                "no go.mod file, setting GOPATH=/var/app/current",
                Chatter::Environment,
            ),
            ("Purge old process...", Chatter::Process),
            ("Register application processes...", Chatter::Process),
            ("Registering the proc: web", Chatter::Process),
            ("This is an enhanced health env...", Chatter::Process),
            ("stop X-Ray ...", Chatter::Daemon),
            ("X-Ray is not enabled.", Chatter::Daemon),
            (
                "This is a web server environment instance, skip stop sqsd daemon ...",
                Chatter::Daemon,
            ),
            (
                "This is a web server environment instance, skip configure sqsd daemon ...",
                Chatter::Daemon,
            ),
        ] {
            assert_eq!(
                parse_message(line),
                Some(EngineMessage::Chatter(group)),
                "{line}"
            );
        }
}

#[test]
fn unknown_text_is_none() {
    for line in [
        "",
        " ",
        "web.service",
        "3.2.2",
        "Bundler version 2.4.10",
        "nginx.service cfn-hup.service healthd.service",
        "Reference ID    : A9FEA97B (169.254.169.123)",
        "Totally new message",
        "Starting",
        "Engine received EB command ",
        "Executing instruction: ",
        "Platform Engine finished execution on command: ",
        "The dir .platform/hooks/prebuild/",
        "stage ruby",
        " Warning: no word before",
    ] {
        assert_eq!(parse_message(line), None, "{line:?}");
    }
}

#[test]
fn values_are_trimmed_of_trailing_space() {
    assert_eq!(
        parse_message("Engine received EB command cfn-hup-exec \r"),
        Some(EngineMessage::ReceivedCommand {
            command: "cfn-hup-exec"
        })
    );
    assert_eq!(
        parse_message("Executing instruction: SyncClock "),
        Some(EngineMessage::Instruction { name: "SyncClock" })
    );
}

proptest::proptest! {
    #[test]
    fn header_never_panics_on_bytes(input in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
        let _ = parse_header(&input);
        let _ = is_header(&input);
    }

    #[test]
    fn header_never_panics_on_header_like_text(input in "[0-9/ :.\\[\\]A-Z]{0,40}") {
        let ok = parse_header(input.as_bytes()).is_ok();
        proptest::prop_assert_eq!(is_header(input.as_bytes()), ok);
    }

    #[test]
    fn message_never_panics(input in "\\PC*") {
        let _ = parse_message(&input);
    }

    #[test]
    fn message_never_panics_after_a_known_prefix(
        prefix in proptest::sample::select(vec![
            "Starting ", "Engine command: ", "Running command ", "Running command: ",
            "An error occurred during execution of command [", "] - [",
            "]. Stop running the command. Error:", "The dir ", "Following platform hooks will be executed in order: ",
            "Starting executing the config set ", "stopProcess Warning: process ",
            "stage ", "This is a web server environment instance, skip ",
            "CommandService Response:", "checking whether command ",
        ]),
        tail in "[\\[\\]() .:a-z\\-]{0,24}",
    ) {
        let line = format!("{prefix}{tail}");
        let _ = parse_message(&line);
    }
}
