//! Paging `eblog show` through `$PAGER` (else `less`) when stdout is a terminal, as git
//! does: `LESS=FRX` unless set (quit when the output fits one screen, pass colour
//! through, leave the screen as it is), `PAGER=` or `PAGER=cat` for none.

use std::io;
use std::process::{Child, ChildStdin, Command, Stdio};

/// A running pager and the pipe into it.
pub(super) struct Pager {
    child: Child,
}

impl Pager {
    /// Starts the pager, or `None` when there is none to start (`PAGER` empty or `cat`,
    /// or the program cannot be run: the output then goes to stdout as it is).
    pub fn start() -> Option<Self> {
        let wanted = std::env::var("PAGER").ok();
        let line = match wanted.as_deref().map(str::trim) {
            Some("") | Some("cat") => return None,
            Some(line) => line.to_owned(),
            None => "less".to_owned(),
        };
        let mut command = shell(&line);
        if std::env::var_os("LESS").is_none() {
            command.env("LESS", "FRX");
        }
        if std::env::var_os("LV").is_none() {
            command.env("LV", "-c");
        }
        let child = command.stdin(Stdio::piped()).spawn().ok()?;
        Some(Pager { child })
    }

    /// The pipe to write to.
    pub fn input(&mut self) -> Option<&mut ChildStdin> {
        self.child.stdin.as_mut()
    }

    /// Closes the pipe and waits until the user leaves the pager.
    ///
    /// # Errors
    /// Waiting for the pager failed.
    pub fn finish(mut self) -> io::Result<()> {
        drop(self.child.stdin.take());
        self.child.wait().map(|_| ())
    }
}

/// The pager's command line run by the shell, so that `PAGER="less -S"` works.
#[cfg(unix)]
fn shell(line: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(line);
    command
}

#[cfg(not(unix))]
fn shell(line: &str) -> Command {
    let mut words = line.split_whitespace();
    let mut command = Command::new(words.next().unwrap_or("more"));
    command.args(words);
    command
}
