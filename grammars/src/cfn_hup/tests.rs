use super::*;

#[test]
fn received_command_with_invocation_id() {
    assert_eq!(
            parse_message("Received command ElasticBeanstalkCommand-AWSEBAutoScalingGroup (invocation id: 6f2a1c7e-0b1d-4c55-9d1e-2f0c8f1b7a11)"),
            Some(CfnHupMessage::ReceivedCommand {
                command: "ElasticBeanstalkCommand-AWSEBAutoScalingGroup",
                invocation_id: "6f2a1c7e-0b1d-4c55-9d1e-2f0c8f1b7a11",
            })
        );
}

#[test]
fn command_message_dicts() {
    assert_eq!(
        parse_message("Command message: {u'CommandName': u'x'}"),
        Some(CfnHupMessage::CommandMessage {
            stage: MessageStage::Command,
            payload: "{u'CommandName': u'x'}"
        })
    );
    assert!(matches!(
        parse_message("Processing message: {}"),
        Some(CfnHupMessage::CommandMessage {
            stage: MessageStage::Processing,
            payload: "{}"
        })
    ));
}

#[test]
fn action_lifecycle() {
    assert_eq!(
        parse_message("Running action for aws-eb-command-handler"),
        Some(CfnHupMessage::RunningAction {
            hook: "aws-eb-command-handler"
        })
    );
    assert_eq!(
        parse_message("Action for aws-eb-command-handler output: {\"status\":\"SUCCESS\"}"),
        Some(CfnHupMessage::ActionOutput {
            hook: "aws-eb-command-handler",
            output: "{\"status\":\"SUCCESS\"}"
        })
    );
    assert_eq!(
        parse_message("Action for aws-eb-command-handler succeeded, returning SUCCESS"),
        Some(CfnHupMessage::ActionResult {
            hook: "aws-eb-command-handler",
            outcome: ActionOutcome::Succeeded,
            exit_code: None
        })
    );
    assert_eq!(
        parse_message("Action for aws-eb-command-handler exited with 1, returning FAILURE"),
        Some(CfnHupMessage::ActionResult {
            hook: "aws-eb-command-handler",
            outcome: ActionOutcome::Failed,
            exit_code: Some("1")
        })
    );
    assert_eq!(
        parse_message(
            "Action for cfn-auto-reloader-hook exited with 2; will retry on next iteration"
        ),
        Some(CfnHupMessage::ActionResult {
            hook: "cfn-auto-reloader-hook",
            outcome: ActionOutcome::WillRetry,
            exit_code: Some("2")
        })
    );
}

#[test]
fn sending_splits_at_last_to_queue() {
    let msg = "Sending {\"Data\": \"a to queue b\", \"Status\": \"SUCCESS\"} to queue https://sqs.us-east-1.amazonaws.com/1/q";
    assert_eq!(
        parse_message(msg),
        Some(CfnHupMessage::Sending {
            body: "{\"Data\": \"a to queue b\", \"Status\": \"SUCCESS\"}",
            queue: "https://sqs.us-east-1.amazonaws.com/1/q"
        })
    );
}

#[test]
fn sending_without_url() {
    assert_eq!(
        parse_message("Sending {\"Status\": \"SUCCESS\"} to queue"),
        Some(CfnHupMessage::Sending {
            body: "{\"Status\": \"SUCCESS\"}",
            queue: ""
        })
    );
}

#[test]
fn leader_lines() {
    assert_eq!(
        parse_message("This listener is the leader.  Continuing with action"),
        Some(CfnHupMessage::Leader {
            hook: None,
            is_leader: Some(true),
            leader: None,
            invocation_id: None
        })
    );
    assert_eq!(
        parse_message("This listener is not the leader; i-0aa is the leader."),
        Some(CfnHupMessage::Leader {
            hook: None,
            is_leader: Some(false),
            leader: Some("i-0aa"),
            invocation_id: None
        })
    );
}

#[test]
fn daemon_lines() {
    assert_eq!(
        parse_message("command processing is alive."),
        Some(CfnHupMessage::Heartbeat {
            loop_name: "command"
        })
    );
    assert_eq!(
        parse_message("Scheduling next credential refresh in 3599.5 seconds"),
        Some(CfnHupMessage::Credentials {
            next_refresh_s: Some("3599.5")
        })
    );
    assert_eq!(
        parse_message("Setting umask value to: 022"),
        Some(CfnHupMessage::Config { umask: Some("022") })
    );
    assert_eq!(
        parse_message("Sleeping for 2.183011 seconds before retrying"),
        Some(CfnHupMessage::Retry {
            seconds: "2.183011"
        })
    );
    assert_eq!(
        parse_message("Receiving messages for queue https://sqs.eu-west-1.amazonaws.com/1/q"),
        Some(CfnHupMessage::Receiving {
            queue: "https://sqs.eu-west-1.amazonaws.com/1/q"
        })
    );
}

#[test]
fn skipped_invocations() {
    assert_eq!(
            parse_message("Invocation abc of command Cmd for stack arn:x expired at 2017-07-16T23:09:33; skipping"),
            Some(CfnHupMessage::Skipped {
                reason: SkipReason::Expired,
                invocation_id: Some("abc"),
                command: Some("Cmd"),
                detail: Some("arn:x expired at 2017-07-16T23:09:33; skipping"),
            })
        );
    assert!(matches!(
        parse_message("Already ran a|b|c, deleting"),
        Some(CfnHupMessage::Skipped {
            reason: SkipReason::AlreadyRun,
            detail: Some("a|b|c"),
            ..
        })
    ));
}

#[test]
fn unknown_text_is_none() {
    assert_eq!(parse_message("Something nobody logs"), None);
    assert_eq!(parse_message(""), None);
}
