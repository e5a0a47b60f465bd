//! `eblog commands` and `eblog diagnose` on the samples of every platform generation:
//! statuses, failing steps, durations and error texts, and the traps of the formats.

use crate::util::{eblog, json_lines, samples_dir};
use serde_json::Value;

fn sample(rel: &str) -> String {
    samples_dir().join(rel).to_string_lossy().into_owned()
}

/// `eblog commands --json ARGS` as JSON values.
fn executions(args: &[&str]) -> Vec<Value> {
    let out = eblog()
        .arg("commands")
        .arg("--json")
        .args(args)
        .output()
        .expect("eblog runs");
    assert!(
        out.status.success(),
        "eblog commands {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out.stdout)
}

fn started_at<'a>(all: &'a [Value], started: &str) -> &'a Value {
    all.iter()
        .find(|e| e["started"] == started)
        .unwrap_or_else(|| panic!("no execution started at {started}: {all:#?}"))
}

/// The nested step at `path` (names outermost first; hook names hold `/`).
fn step<'a>(execution: &'a Value, path: &[&str]) -> &'a Value {
    let mut level = &execution["steps"];
    let mut found = &Value::Null;
    for name in path {
        found = level
            .as_array()
            .and_then(|steps| steps.iter().find(|s| s["name"] == *name))
            .unwrap_or_else(|| panic!("no step {name} of {path:?} in {execution:#}"));
        level = &found["steps"];
    }
    found
}

fn legacy() -> Vec<Value> {
    executions(&[
        &sample("eb-commandprocessor.log"),
        &sample("eb-activity.log"),
        &sample("cfn-hup.log"),
    ])
}

#[test]
fn legacy_failure_in_a_hook_wins_over_cfn_hups_success() {
    let all = legacy();
    let failed = started_at(&all, "2019-05-14T18:34:48.042Z");
    assert_eq!(failed["command"], "CMD-AppDeploy");
    assert_eq!(failed["platform"], "legacy");
    assert_eq!(failed["id"], "efae3c0c-7676-11e9-ac71-0a3b7c9e1d24");
    // cfn-hup logged `succeeded, returning SUCCESS` for this command.
    assert_eq!(failed["status"], "FAILURE");
    assert_eq!(failed["returncode"], 1);
    assert_eq!(
        failed["failed_step"],
        "AppDeployStage0/AppDeployPreHook/50npm.sh"
    );
    assert_eq!(failed["duration_ms"], 43410);
    let hook = step(failed, &["AppDeployStage0", "AppDeployPreHook", "50npm.sh"]);
    assert_eq!(hook["kind"], "hook");
    assert_eq!(hook["status"], "FAILURE");
    assert_eq!(hook["duration_ms"], 35916);
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.contains(
            "npm ERR! notarget No matching version found for @northwind/ledger-core@^4.2.0"
        ),
        "{error}"
    );
    assert!(
        !error.contains("(TRUNCATED)"),
        "the full hook output is used: {error}"
    );
    let sources = failed["sources"].as_array().unwrap();
    for file in ["eb-commandprocessor.log", "eb-activity.log", "cfn-hup.log"] {
        assert!(
            sources
                .iter()
                .any(|s| s["file"].as_str().unwrap().ends_with(file)),
            "{file} is among the sources"
        );
    }
}

#[test]
fn legacy_success_has_timed_steps_down_to_container_commands() {
    let all = legacy();
    let ok = started_at(&all, "2019-05-14T10:41:25.319Z");
    assert_eq!(ok["status"], "SUCCESS");
    assert_eq!(ok["returncode"], 0);
    assert!(ok.get("failed_step").is_none());
    let names: Vec<&str> = ok["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "AddonsBefore",
            "AppDeployStage0",
            "AppDeployStage1",
            "AddonsAfter"
        ]
    );
    assert_eq!(
        step(ok, &["AppDeployStage0", "AppDeployPreHook", "50npm.sh"])["duration_ms"],
        22282
    );
    let command = step(
        ok,
        &[
            "AppDeployStage0",
            "EbExtensionPreBuild",
            "Infra-EmbeddedPreBuild",
            "prebuild_0_ledger_web",
            "01_ensure_upload_dir",
        ],
    );
    assert_eq!(command["kind"], "container_command");
    assert_eq!(command["duration_ms"], 15);
    assert_eq!(
        step(
            ok,
            &["AppDeployStage1", "AppDeployEnactHook", "90restart_app.sh"]
        )["duration_ms"],
        6588
    );
}

#[test]
fn legacy_not_applicable_is_skipped_and_a_crash_is_a_failure() {
    let all = legacy();
    let skipped = started_at(&all, "2019-05-14T19:06:13.903Z");
    assert_eq!(skipped["status"], "SKIPPED");
    assert_eq!(skipped["returncode"], 0);
    // The command processor never names it: the name comes from cfn-hup's message.
    assert_eq!(skipped["command"], "CMD-TailLogs");
    let crashed = started_at(&all, "2019-05-14T18:52:36.656Z");
    assert_eq!(crashed["status"], "FAILURE");
    assert_eq!(crashed["returncode"], 1, "cfn-hup's exit code");
    assert!(crashed["error"]
        .as_str()
        .unwrap()
        .starts_with("Cannot allocate memory"));
}

#[test]
fn cfn_hup_alone_still_tells_the_command() {
    let all = executions(&[&sample("cfn-hup.log")]);
    let failed = started_at(&all, "2019-05-14T18:34:47.411Z");
    assert_eq!(failed["platform"], "cfn-hup");
    assert_eq!(failed["command"], "CMD-AppDeploy");
    assert_eq!(
        failed["status"], "FAILURE",
        "the result JSON wins over `returning SUCCESS`"
    );
    assert!(failed["error"]
        .as_str()
        .unwrap()
        .starts_with("(TRUNCATED)..."));
}

#[test]
fn al2_failures_name_the_hook_and_the_container_command() {
    let all = executions(&[&sample("al2")]);
    assert_eq!(all.len(), 5);
    let ebextension = started_at(&all, "2022-03-15T19:47:09.402Z");
    assert_eq!(ebextension["status"], "FAILURE");
    assert_eq!(
        ebextension["failed_step"],
        "PreBuildEbExtension/Infra-EmbeddedPreBuild/prebuild_0_myapp/01_migrate"
    );
    let error = ebextension["error"].as_str().unwrap();
    assert!(error.starts_with("EbExtension build failed."), "{error}");
    assert!(error.contains("$ python manage.py migrate"), "{error}");
    assert!(error.ends_with("SyntaxError: invalid syntax"), "{error}");

    let hook = started_at(&all, "2022-06-14T16:27:47.230Z");
    assert_eq!(hook["command"], "app-deploy");
    assert_eq!(hook["instance_id"], "i-0d7e3a91c4b52f806");
    assert_eq!(
        hook["failed_step"],
        "RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_install.sh"
    );
    let failing = step(
        hook,
        &[
            "RunAppDeployPreBuildHooks",
            ".platform/hooks/prebuild/01_install.sh",
        ],
    );
    assert_eq!(failing["exit_code"], 1);
    assert_eq!(failing["duration_ms"], 17498);
    assert!(hook["error"]
        .as_str()
        .unwrap()
        .ends_with("KeyError: 'ORDERS_DB_URL'"));
    assert_eq!(hook["events"][0]["severity"], "ERROR");

    let launch = started_at(&all, "2022-06-14T09:12:03.418Z");
    assert_eq!(launch["command"], "env-launch");
    assert_eq!(
        launch["status"], "SUCCESS",
        "no CommandService response, no error"
    );
    assert_eq!(step(launch, &["InstallDependency"])["duration_ms"], 11717);
}

#[test]
fn al2023_success_and_ebextension_failure() {
    let all = executions(&[&sample("al2023")]);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["status"], "SUCCESS");
    assert_eq!(all[0]["duration_ms"], 7160);
    assert_eq!(all[0]["events"].as_array().unwrap().len(), 3);
    assert_eq!(all[1]["status"], "FAILURE");
    assert_eq!(
        all[1]["failed_step"],
        "PreBuildEbExtension/Infra-EmbeddedPreBuild"
    );
}

#[test]
fn excerpts_that_start_or_end_mid_command() {
    // The bundles' engine logs start inside a run.
    let all = executions(&[&sample("bundles/tail-bundle.txt")]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "SUCCESS");
    assert_eq!(
        all[0]["command"], "app-deploy",
        "named by the run's last line"
    );
    assert_eq!(all[0]["started"], "2022-09-14T18:40:42.801Z");
    let all = executions(&[&sample("bundles/cloudwatch.txt")]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "FAILURE");
    assert_eq!(all[0]["instance_id"], "i-0d7e3a91c4b52f806");
    assert_eq!(
        all[0]["failed_step"],
        "RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_install.sh"
    );
    // A log cut before the run ends.
    let text = std::fs::read_to_string(samples_dir().join("al2023/eb-engine.log")).unwrap();
    let cut: String = text.lines().take(100).map(|l| format!("{l}\n")).collect();
    let out = eblog()
        .args(["commands", "--json", "--format", "engine", "-"])
        .write_stdin(cut)
        .output()
        .unwrap();
    assert!(out.status.success());
    let all = json_lines(&out.stdout);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "INCOMPLETE");
    assert_eq!(
        all[0]["steps"].as_array().unwrap().last().unwrap()["status"],
        "INCOMPLETE"
    );
}

#[test]
fn filters_and_the_table() {
    let failed = executions(&["--failed", &sample("al2"), &sample("al2023")]);
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|e| e["status"] == "FAILURE"));
    let window = executions(&[
        "--since",
        "2022-06-14",
        "--until",
        "2022-06-14 12:00",
        &sample("al2"),
    ]);
    assert_eq!(window.len(), 2);
    let out = eblog()
        .args(["commands", &sample("al2023")])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("START"), "{table}");
    assert!(
        lines[2].contains("FAILURE")
            && lines[2].ends_with("PreBuildEbExtension/Infra-EmbeddedPreBuild"),
        "{table}"
    );
    assert!(
        !table.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    eblog()
        .args(["commands", "--since", "soon", &sample("al2")])
        .assert()
        .code(2);
}

#[test]
fn diagnose_names_the_failing_step_the_file_and_the_missing_variable() {
    let out = eblog().args(["diagnose", &sample("al2")]).output().unwrap();
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains(
            "failed step: RunAppDeployPreBuildHooks/.platform/hooks/prebuild/01_install.sh (hook)"
        ),
        "{report}"
    );
    assert!(
        report.contains("the variable ORDERS_DB_URL as missing"),
        "{report}"
    );
    assert!(
        report.contains("al2/eb-engine.log:221"),
        "the error line is listed: {report}"
    );
    assert!(report.contains("failed step: PreBuildEbExtension/Infra-EmbeddedPreBuild/prebuild_0_myapp/01_migrate (container command)"), "{report}");
    assert!(report.contains("al2/cfn-init.log:84"), "{report}");

    let json = eblog()
        .args(["diagnose", "--json", &sample("al2")])
        .output()
        .unwrap();
    let diagnoses = json_lines(&json.stdout);
    assert_eq!(diagnoses.len(), 3);
    let unreachable = diagnoses
        .iter()
        .find(|d| d["status"] == "SUCCESS")
        .expect("the successful deploy");
    let hint = &unreachable["hints"][0];
    assert_eq!(hint["kind"], "app_unreachable");
    let message = hint["message"].as_str().unwrap();
    assert!(message.contains("18 upstream error(s) in the proxy log from 2022-09-14T18:41:07Z to 2022-09-14T18:41:48Z"), "{message}");
    assert!(
        message.contains("TypeError: Cannot read properties of undefined (reading 'reduce')"),
        "{message}"
    );
}

#[test]
fn diagnose_legacy_hints_and_the_all_clear() {
    let out = eblog()
        .args([
            "diagnose",
            "--json",
            &sample("eb-commandprocessor.log"),
            &sample("eb-activity.log"),
            &sample("cfn-hup.log"),
        ])
        .output()
        .unwrap();
    let diagnoses = json_lines(&out.stdout);
    let kinds = |d: &Value| -> Vec<String> {
        d["hints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let npm = diagnoses
        .iter()
        .find(|d| d["command"] == "CMD-AppDeploy")
        .unwrap();
    assert_eq!(npm["failed_step_kind"], "hook");
    assert!(kinds(npm).contains(&"truncated".to_owned()), "{npm:#}");
    let oom = diagnoses
        .iter()
        .find(|d| d["command"] == "CMD-TailLogs")
        .unwrap();
    assert!(kinds(oom).contains(&"out_of_memory".to_owned()), "{oom:#}");

    let text = std::fs::read_to_string(samples_dir().join("al2023/eb-engine.log")).unwrap();
    let first_run: String = text.lines().take(132).map(|l| format!("{l}\n")).collect();
    let out = eblog()
        .args(["diagnose", "--format", "engine", "-"])
        .write_stdin(first_run)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "nothing failed: 1 command execution(s), none failed or left the application unreachable\n"
    );
}

#[test]
fn html_timeline_is_one_self_contained_file() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    eblog()
        .args(["commands", "--html"])
        .arg(&page)
        .arg(sample("al2"))
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(r#"data-eblog-report="ok""#));
    assert!(
        html.contains(r#"data-executions="5""#),
        "five executions on the timeline"
    );
    assert!(
        html.contains("01_migrate"),
        "the failing container command is drawn"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
}
