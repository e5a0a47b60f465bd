use super::*;
use ScriptMessage as S;

#[test]
fn headers_with_seconds_and_milliseconds() {
    let (msg, h) = parse_header(b"[2020-05-19T21:45:29Z] Started EB User Data").unwrap();
    assert_eq!(msg, b"Started EB User Data");
    assert_eq!(
        h.ts,
        Timestamp {
            year: 2020,
            month: 5,
            day: 19,
            hour: 21,
            minute: 45,
            second: 29,
            nanos: 0,
            fraction_digits: 0,
        }
    );
    let (msg, h) = parse_header(b"[2020-05-19T21:45:29.123Z] Retrying...").unwrap();
    assert_eq!(msg, b"Retrying...");
    assert_eq!((h.ts.nanos, h.ts.fraction_digits), (123_000_000, 3));
    let (msg, _) = parse_header(b"[2020-05-19T21:45:29.123Z]").unwrap();
    assert_eq!(msg, b"");
    let (msg, _) = parse_header(b"[2020-05-19T21:45:29.123Z] ").unwrap();
    assert_eq!(msg, b"");
    assert!(is_header(b"[2020-05-19T21:45:29.123Z] x"));
}

#[test]
fn header_near_misses() {
    for line in [
        &b""[..],
        b"[",
        b"[2020-05-19T21:45:29.12Z] x",
        b"[2020-05-19T21:45:29.1234Z] x",
        b"[2020-05-19T21:45:29.123] x",
        b"[2020-05-19 21:45:29Z] x",
        b"[2020-05-19T21:45:29.123Z]x",
        b"2020-05-19T21:45:29.123Z x",
        b"+ [[ 0 -ne 0 ]]",
        b"[2018-09-17T23:29:07.266Z]\tx",
    ] {
        assert!(!is_header(line), "{:?}", String::from_utf8_lossy(line));
    }
}

#[test]
fn every_message() {
    let cases = [
            ("Started EB User Data", S::StartedUserData),
            ("Started EB Bootstrapping Script.", S::StartedBootstrap),
            ("Completed EB Bootstrapping Script.", S::CompletedBootstrap),
            ("Received parameters:", S::ReceivedParameters),
            (
                "engine url is set to https://elasticbeanstalk-platform-assets-us-west-2.s3.amazonaws.com/stalks/eb_python38_amazon_linux_2_1.0.1853.0_20220307225618/lib/platform-engine.zip",
                S::EngineUrl {
                    url: "https://elasticbeanstalk-platform-assets-us-west-2.s3.amazonaws.com/stalks/eb_python38_amazon_linux_2_1.0.1853.0_20220307225618/lib/platform-engine.zip",
                },
            ),
            ("first init of instance.", S::InstanceInit { first: true }),
            ("First init of instance.", S::InstanceInit { first: true }),
            ("reboot of instance.", S::InstanceInit { first: false }),
            ("Reboot of instance.", S::InstanceInit { first: false }),
            ("Using stack-id from userdata", S::StackName { cached: false }),
            (
                "Using local cached stack name for reboot.",
                S::StackName { cached: true },
            ),
            (
                "Running cfn-init ConfigSet: _OnInstanceBoot.",
                S::RunningConfigSet {
                    name: "_OnInstanceBoot",
                },
            ),
            (
                "finished _OnInstanceBoot",
                S::Finished {
                    config_set: "_OnInstanceBoot",
                },
            ),
            (
                "Started executing cfn_init _OnInstanceBoot.",
                S::StartedExecuting {
                    what: "cfn_init _OnInstanceBoot",
                },
            ),
            (
                "Completed executing cfn_init.",
                S::CompletedExecuting { what: "cfn_init" },
            ),
            ("Command Returned: ", S::CommandReturned { output: "" }),
            ("Command Returned:", S::CommandReturned { output: "" }),
            (
                "Command Returned: Preparing packages...",
                S::CommandReturned {
                    output: "Preparing packages...",
                },
            ),
            ("Command return code 1.", S::CommandReturnCode { code: 1 }),
            (
                "Tailing /var/log/cfn-init.log",
                S::Tailing {
                    file: "/var/log/cfn-init.log",
                },
            ),
            ("Sleeping 10 ...", S::Sleeping { seconds: 10 }),
            ("Sleeping 86400 ...", S::Sleeping { seconds: 86400 }),
            ("Retrying...", S::Retrying),
            ("Successfully bootstrapped instance.", S::Bootstrapped),
            (
                "Sending signal 0 to CFN wait condition https://cloudformation-waitcondition-us-west-2.s3-us-west-2.amazonaws.com/x?X-Amz-Signature=ab",
                S::SendingSignal {
                    code: 0,
                    url: "https://cloudformation-waitcondition-us-west-2.s3-us-west-2.amazonaws.com/x?X-Amz-Signature=ab",
                },
            ),
            (
                "Sending signal 1 to CFN wait condition ",
                S::SendingSignal { code: 1, url: "" },
            ),
            ("Wait Condition Signal expired.", S::SignalExpired),
            (
                "Installing RPM: https://s3.amazonaws.com/b/aws-elasticbeanstalk-tools-1.18-1.noarch.rpm.",
                S::Installing {
                    artifact: Artifact::Rpm,
                    url: "https://s3.amazonaws.com/b/aws-elasticbeanstalk-tools-1.18-1.noarch.rpm",
                },
            ),
            (
                "Installing tarball: https://s3.amazonaws.com/b/awseb-ruby.tar.gz.",
                S::Installing {
                    artifact: Artifact::Tarball,
                    url: "https://s3.amazonaws.com/b/awseb-ruby.tar.gz",
                },
            ),
            (
                "Installing EB Gem: https://s3.amazonaws.com/b/executor-1.1.gem.",
                S::Installing {
                    artifact: Artifact::Gem,
                    url: "https://s3.amazonaws.com/b/executor-1.1.gem",
                },
            ),
            (
                "beanstalk-core-2.1 has already been installed. Skip installing.",
                S::AlreadyInstalled {
                    name: "beanstalk-core-2.1",
                },
            ),
            ("Starting healthd", S::Healthd { start: true }),
            ("Ensuring healthd is not running", S::Healthd { start: false }),
            (
                "Running EB Command: { \"api_version\" : \"1.0\", \"request_id\": \"0\", \"command_name\": \"CMD-PreInit\" }.",
                S::RunningEbCommand {
                    command: "{ \"api_version\" : \"1.0\", \"request_id\": \"0\", \"command_name\": \"CMD-PreInit\" }",
                },
            ),
            ("Starting cfn-hup.", S::StartingCfnHup),
            (
                "Check whether controlled by launch workflow...",
                S::Provisioning(ProvisioningStep::CheckingWorkflow),
            ),
            (
                "Worflow running.",
                S::Provisioning(ProvisioningStep::WorkflowRunning),
            ),
            (
                "Workflow controlled instance. Running container provisioning...",
                S::Provisioning(ProvisioningStep::WorkflowControlled),
            ),
            (
                "Scaled up instance. Running full self-initiated provisioning.",
                S::Provisioning(ProvisioningStep::ScaledUp),
            ),
            (
                "Failed to find launch s3 url.",
                S::Provisioning(ProvisioningStep::NoLaunchUrl),
            ),
            (
                "Synchronizing network time in background.",
                S::Provisioning(ProvisioningStep::SyncingClock),
            ),
            (
                "Locking yum repo version to GUID.",
                S::Provisioning(ProvisioningStep::LockingYumRepo),
            ),
            (
                "Completed yum repo version locking.",
                S::Provisioning(ProvisioningStep::YumRepoLocked),
            ),
            (
                "yum repo has already been locked to 7ecb46ab92b8.",
                S::Provisioning(ProvisioningStep::YumRepoAlreadyLocked),
            ),
            (
                "Updating yum packages.",
                S::Provisioning(ProvisioningStep::UpdatingYum),
            ),
            (
                "Completed updating yum packages.",
                S::Provisioning(ProvisioningStep::YumUpdated),
            ),
            (
                "yum update has already been done.",
                S::Provisioning(ProvisioningStep::YumAlreadyUpdated),
            ),
            (
                "Completed creating AWS EB users and groups.",
                S::Provisioning(ProvisioningStep::UsersAndGroupsCreated),
            ),
        ];
    for (text, expected) in cases {
        assert_eq!(parse_message(text), Some(expected), "{text}");
    }
}

#[test]
fn message_near_misses_are_none() {
    for text in [
        "",
        "Something else",
        "Started EB User Data.",
        "started eb bootstrapping script.",
        "engine url is set to ",
        "Running cfn-init ConfigSet: .",
        "finished ",
        "Started executing .",
        "Command return code 1",
        "Command return code x.",
        "Sleeping 10",
        "Sleeping ten ...",
        "Sleeping 10 ... ",
        "Sending signal x to CFN wait condition u",
        "Installing RPM: .",
        " has already been installed. Skip installing.",
        "yum repo has already been locked to ",
        "Retrying",
        "Successfully bootstrapped instance",
    ] {
        assert_eq!(parse_message(text), None, "{text:?}");
    }
}

#[test]
fn parameters() {
    let cases = [
        (" TARBALLS = ", "TARBALLS", ""),
        (" TARBALLS =", "TARBALLS", ""),
        (" REGION = us-west-2", "REGION", "us-west-2"),
        ("    STACK_ID = arn:aws:x = y", "STACK_ID", "arn:aws:x = y"),
        ("HEALTHD_GROUP_ID = 1f0c", "HEALTHD_GROUP_ID", "1f0c"),
    ];
    for (line, name, value) in cases {
        assert_eq!(
            parse_parameter(line),
            Some(Parameter { name, value }),
            "{line:?}"
        );
    }
    for line in [
        "",
        " = x",
        " region = x",
        " REGION=x",
        " REGION x",
        " 1A = x",
    ] {
        assert_eq!(parse_parameter(line), None, "{line:?}");
    }
}

#[test]
fn raw_lines() {
    let cases = [
        ("+ SLEEP_TIME=2", RawLine::Xtrace),
        ("+ [[ 0 -ne 0 ]]", RawLine::Xtrace),
        ("++ uname -m", RawLine::Xtrace),
        ("+", RawLine::Text),
        ("+x", RawLine::Text),
        ("++", RawLine::Text),
        (" + not xtrace", RawLine::Text),
        (
            "******************* cfn-init taillog *******************",
            RawLine::TaillogStart { name: "cfn-init" },
        ),
        (
            "******************* eb-commandprocessor taillog *******************",
            RawLine::TaillogStart {
                name: "eb-commandprocessor",
            },
        ),
        (
            "******************* End of taillog *******************",
            RawLine::TaillogEnd,
        ),
        ("***cfn-hup is not available yet.***", RawLine::Text),
        (
            "****************** cfn-init taillog *******************",
            RawLine::Text,
        ),
        (
            "*******************  taillog *******************",
            RawLine::Text,
        ),
        (
            "******************* cfn-init taillog ********************",
            RawLine::Text,
        ),
        ("", RawLine::Text),
        (
            "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current",
            RawLine::Text,
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(classify_raw_line(line), expected, "{line:?}");
    }
}

proptest::proptest! {
    #[test]
    fn never_panics(input in "\\PC*") {
        let _ = parse_message(&input);
        let _ = parse_parameter(&input);
        let _ = classify_raw_line(&input);
        let _ = is_header(input.as_bytes());
        let _ = parse_header(input.as_bytes());
    }

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
        let _ = is_header(&bytes);
        let _ = parse_header(&bytes);
    }

    #[test]
    fn never_panics_near_headers(
        ts in "\\[20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{0,4})?Z?\\]?",
        tail in "[ \\PC]{0,8}",
    ) {
        let line = format!("{ts}{tail}");
        if let Ok((rest, h)) = parse_header(line.as_bytes()) {
            proptest::prop_assert!(matches!(h.ts.fraction_digits, 0 | 3));
            proptest::prop_assert!(rest.len() < line.len());
        }
    }
}
