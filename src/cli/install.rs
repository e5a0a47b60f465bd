//! `eblog completions SHELL` and `eblog man`: generated from the clap definitions, so
//! they never drift from the flags.

use super::{write_failed, Cli, CompletionsArgs, ManArgs, EXIT_FAILURE, EXIT_OK};
use clap::CommandFactory;
use std::io::{self, Write};

/// Prints the completion script for a shell.
pub(super) fn completions(args: &CompletionsArgs) -> i32 {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "eblog", &mut script);
    match io::stdout().lock().write_all(&script) {
        Ok(()) => EXIT_OK,
        Err(e) => write_failed(&e),
    }
}

/// Prints `eblog.1`, or writes every page into `--out DIR`.
pub(super) fn man(args: &ManArgs) -> i32 {
    let command = Cli::command();
    if let Some(dir) = &args.out {
        let written = std::fs::create_dir_all(dir).and_then(|()| write_pages(&command, dir));
        return match written {
            Ok(names) => {
                for name in names {
                    println!("{}", dir.join(name).display());
                }
                EXIT_OK
            }
            Err(e) => {
                eprintln!("eblog: man --out {}: {e}", dir.display());
                EXIT_FAILURE
            }
        };
    }
    let mut page = Vec::new();
    if let Err(e) = clap_mangen::Man::new(command).render(&mut page) {
        eprintln!("eblog: man: {e}");
        return EXIT_FAILURE;
    }
    match io::stdout().lock().write_all(&page) {
        Ok(()) => EXIT_OK,
        Err(e) => write_failed(&e),
    }
}

/// Writes `eblog.1` and `eblog-SUB.1` for each subcommand; returns the file names.
fn write_pages(command: &clap::Command, dir: &std::path::Path) -> io::Result<Vec<String>> {
    clap_mangen::generate_to(command.clone(), dir)?;
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.starts_with("eblog") && name.ends_with(".1"))
        .collect();
    names.sort();
    Ok(names)
}
