//! What the global flags ask of every subcommand's human output: colour, width, and how
//! much to say on stderr.

use super::ColorArg;
use std::io::{self, IsTerminal};

/// The global flags: `--color`, `-v`, `-q`.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// `--color`.
    pub color: ColorArg,
    /// `-v`: name every file skipped, and why.
    pub verbose: bool,
    /// `-q`: nothing on stderr but errors.
    pub quiet: bool,
}

impl Ui {
    /// Whether stdout gets colour: `--color always`/`never`, else (auto) `CLICOLOR_FORCE`
    /// forces it, `NO_COLOR` (non-empty) or `TERM=dumb` turns it off, and otherwise stdout
    /// being a terminal decides (the rules of anstream, which clap uses too).
    pub fn colour(&self) -> bool {
        match self.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
            }
        }
    }

    /// The width human output is fitted to, or `None` for no limit (`wide`): the
    /// terminal's width when stdout is one, else `COLUMNS` when set, else 80.
    pub fn width(&self, wide: bool) -> Option<usize> {
        if wide {
            return None;
        }
        if io::stdout().is_terminal() {
            if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
                return Some(usize::from(w).max(20));
            }
        }
        let columns = std::env::var("COLUMNS").ok();
        Some(columns_or_default(columns.as_deref()))
    }
}

/// `COLUMNS` when it is a sensible width, else 80.
fn columns_or_default(columns: Option<&str>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 20)
        .unwrap_or(80)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fall_back_to_80() {
        assert_eq!(columns_or_default(Some("120")), 120);
        assert_eq!(columns_or_default(Some("5")), 80, "too narrow to be meant");
        assert_eq!(columns_or_default(Some("wide")), 80);
        assert_eq!(columns_or_default(None), 80);
    }

    #[test]
    fn explicit_colour_choices_win() {
        let ui = |color| Ui {
            color,
            verbose: false,
            quiet: false,
        };
        assert!(ui(ColorArg::Always).colour());
        assert!(!ui(ColorArg::Never).colour());
        assert_eq!(ui(ColorArg::Always).width(true), None);
    }
}
