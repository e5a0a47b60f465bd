//! On a real terminal (tmux): one Ctrl-D ends stdin, and `show` pages through `$PAGER`
//! with colour. Skipped, saying so, where tmux is not installed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> bool {
    Command::new("tmux")
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

/// A tmux session running `command` in an 100x30 terminal, killed when dropped.
struct Session(String);

impl Session {
    fn start(name: &str, command: &str) -> Option<Session> {
        let installed = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !installed {
            eprintln!("tmux is not installed: terminal test skipped");
            return None;
        }
        let name = format!("eblog-{name}-{}", std::process::id());
        let started = tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "100",
            "-y",
            "30",
            command,
        ]);
        assert!(started, "tmux starts a session");
        Some(Session(name))
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.0.as_str()];
        args.extend_from_slice(keys);
        assert!(tmux(&args));
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

/// Waits up to `seconds` for `path` to hold `needle`.
fn wait_for(path: &Path, needle: &str, seconds: u64) -> Option<String> {
    let until = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < until {
        if let Ok(text) = std::fs::read_to_string(path) {
            if text.contains(needle) {
                return Some(text);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn one_ctrl_d_ends_stdin_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.txt");
    let eblog = env!("CARGO_BIN_EXE_eblog");
    for sub in ["parse", "show --no-pager", "commands"] {
        let command = format!(
            "{eblog} {sub} - > {out} 2>&1; echo EXIT:$? >> {out}; sleep 30",
            out = shell_quote(&out)
        );
        let _ = std::fs::remove_file(&out);
        let Some(session) = Session::start("ctrl-d", &command) else {
            return;
        };
        std::thread::sleep(Duration::from_millis(300));
        // A line that is no known format: detection keeps reading, which is where a
        // second Ctrl-D used to be needed.
        session.keys(&["hello from a terminal", "Enter"]);
        std::thread::sleep(Duration::from_millis(200));
        session.keys(&["C-d"]);
        let text = wait_for(&out, "EXIT:", 5);
        assert!(text.is_some(), "{sub}: one Ctrl-D did not end the input");
        if sub == "parse" {
            assert!(text.is_some_and(|t| t.contains("hello from a terminal")));
        }
    }
}

#[test]
fn show_pages_through_the_pager_with_colour_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let paged = dir.path().join("paged.txt");
    let done = dir.path().join("done.txt");
    let eblog = env!("CARGO_BIN_EXE_eblog");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/al2/nginx/error.log");
    let command = format!(
        "PAGER='cat > {paged}' {eblog} show --utc {sample}; echo EXIT:$? > {done}; sleep 30",
        paged = shell_quote(&paged).replace('\'', ""),
        sample = shell_quote(&sample),
        done = shell_quote(&done),
    );
    let Some(_session) = Session::start("pager", &command) else {
        return;
    };
    let finished = wait_for(&done, "EXIT:0", 10);
    assert!(finished.is_some(), "show ended");
    let text = std::fs::read_to_string(&paged).unwrap_or_default();
    assert!(
        text.contains("connect() failed"),
        "the records went to the pager: {text:?}"
    );
    assert!(
        text.contains("\u{1b}[31m"),
        "a terminal gets colour, which less -R shows"
    );
}
