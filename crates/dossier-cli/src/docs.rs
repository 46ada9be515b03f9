//! `dossier completions SHELL` and `dossier man`: the shell completion scripts and the man page,
//! generated from the same clap definition that parses the command line, so they cannot drift
//! from it. Both print to stdout and never open a workspace; `make package` ships their output
//! in the .deb.

use std::io::Write;

use clap::CommandFactory;

use crate::args::Cli;

/// The completion script for `shell`, as the shell's completion loader expects it.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "dossier", &mut buf);
    write_stdout(&buf)
}

/// The man page, dossier(1), in roff.
pub fn man() -> anyhow::Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    write_stdout(&buf)
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}
