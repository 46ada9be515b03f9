//! `dossier`: the headless front door to a workspace, for scripting, bulk work and tests.
//!
//! Output contract: with `--json`, stdout carries exactly one JSON document; without it, short
//! human text (a created object's id alone, so `id=$(dossier … add …)` works). Errors are one
//! plain line on stderr, exit 1 (2 for a usage error), and every write is one transaction, so a
//! failed command leaves the workspace exactly as it was.

mod archive;
mod args;
mod backup;
mod briefing;
mod connector;
mod docs;
mod feeds;
mod import;
mod print;
mod read;
mod search;
mod stories;
mod team;
mod versions;

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use dossier_api::{CommandError, excerpts, followups, sources, tags};
use dossier_core::{
    ExcerptPatch, ExcerptTarget, FollowUpPatch, FollowUpStatus, NewFollowUp, NewSource,
    SourcePatch, TagSpec,
};
use dossier_store::{ExcerptFilter, Workspace};
use serde_json::json;

use args::{
    Cli, Command, ExcerptCmd, ExcerptMarking, QuestionCmd, SourceCmd, SourceMeta, TagCmd, TagLooks,
};
use print::Out;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let out = Out { json: cli.json };
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, &out);
            ExitCode::from(1)
        }
    }
}

/// Help and version print as clap lays them out; real usage errors become one line, exit 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let rendered = e.render().to_string();
    let first = first_paragraph(&rendered);
    let first = first.as_str();
    let searching = std::env::args().any(|a| a == "search");
    if searching
        && matches!(
            e.kind(),
            ErrorKind::ArgumentConflict | ErrorKind::UnknownArgument
        )
    {
        eprintln!(
            "error: {first} — put a query of several words in quotes: dossier search 'steel tariff'"
        );
    } else {
        eprintln!("error: {first} (see dossier --help)");
    }
    ExitCode::from(2)
}

/// Clap's message on one line: its first paragraph, so "the following required arguments were
/// not provided:" keeps the indented argument names that follow it.
fn first_paragraph(rendered: &str) -> String {
    let mut lines = rendered
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim);
    let Some(head) = lines.next() else {
        return "invalid arguments".to_owned();
    };
    let head = head.trim_start_matches("error: ").trim_end_matches(':');
    let rest: Vec<&str> = lines.collect();
    if rest.is_empty() {
        head.to_owned()
    } else {
        format!("{head}: {}", rest.join(", "))
    }
}

fn report(e: &anyhow::Error, out: &Out) {
    // The lower crates' messages are complete sentences; context from here goes in front, and
    // a terminal gets the query's inline marker, which the app draws itself.
    let message = format!("{e:#}");
    eprintln!("error: {}", print::terminal_safe(&message));
    if out.json {
        let mut err =
            CommandError::find(e.as_ref()).unwrap_or_else(|| CommandError::new("error", ""));
        err.message = message;
        let _ = writeln!(std::io::stdout(), "{}", json!({ "error": err }));
    }
}

fn open(cli_db: Option<std::path::PathBuf>) -> anyhow::Result<Workspace> {
    let path = dossier_api::workspace::path_or_default(cli_db)?;
    Ok(dossier_api::workspace::open(&path)?)
}

fn run(cli: Cli, out: &Out) -> anyhow::Result<()> {
    let now = dossier_api::now();
    // A restore must not open the workspace it replaces (it may be the damaged file), and an
    // archive imported into a new workspace leaves --db alone.
    match cli.command {
        Command::Restore(args) => {
            return backup::run_restore(&backup::workspace_path(cli.db)?, args, out);
        }
        Command::Archive(cmd) if archive::runs_unopened(&cmd) => {
            return archive::import_into_new(cmd, out);
        }
        Command::Completions { shell } => return docs::completions(shell),
        Command::Man => return docs::man(),
        _ => {}
    }
    let mut ws = open(cli.db)?;
    if backup::writes(&cli.command) {
        backup::auto(&ws);
    }
    match cli.command {
        Command::Info => {
            let info = dossier_api::info::info(&ws)?;
            let c = info.counts;
            out.info(&json!({
                "path": info.path,
                "schema_version": info.schema_version,
                "sources": c.sources, "excerpts": c.excerpts, "tags": c.tags, "questions": c.questions,
                "originals": info.originals,
            }));
        }
        Command::Source(cmd) => source(&mut ws, cmd, &now, out)?,
        Command::Import(args) => import::import(&mut ws, args, &now, out)?,
        Command::Excerpt(cmd) => excerpt(&mut ws, cmd, out)?,
        Command::Tag(cmd) => tag(&mut ws, cmd, out)?,
        Command::Question(cmd) => question(&mut ws, cmd, out)?,
        Command::Search(args) => search::run(&mut ws, args, out)?,
        Command::Backup(args) => backup::run_backup(&ws, args, out)?,
        Command::Restore(args) => {
            let path = ws.path().to_path_buf();
            drop(ws);
            backup::run_restore(&path, args, out)?
        }
        Command::Archive(cmd) => archive::run(&mut ws, cmd, out)?,
        Command::Briefing(cmd) => briefing::run(&mut ws, cmd, &now, out)?,
        Command::Export(args) => briefing::export(&ws, args, out)?,
        Command::Feed(cmd) => feeds::feed(&mut ws, cmd, &now, out)?,
        Command::Inbox(cmd) => feeds::inbox(&mut ws, cmd, &now, out)?,
        Command::Connector(cmd) => return connector::run(ws, cmd, out),
        Command::Team(cmd) => team::team(&mut ws, cmd, out)?,
        Command::Sync => team::sync(&mut ws, out)?,
        Command::Conflict(cmd) => team::conflict(&mut ws, cmd, out)?,
        Command::Completions { .. } | Command::Man => unreachable!("handled before opening"),
    }
    Ok(())
}

fn source(ws: &mut Workspace, cmd: SourceCmd, now: &str, out: &Out) -> anyhow::Result<()> {
    match cmd {
        SourceCmd::Add { file, meta, tags } => {
            let text = read::text_file(&file)?;
            let SourceMeta {
                title,
                outlet,
                authors,
                published,
                url,
                lang,
                notes,
                marking,
            } = meta;
            let new = NewSource {
                title: title.unwrap_or_default(),
                outlet,
                authors,
                published,
                url,
                lang,
                notes: notes.unwrap_or_default(),
                origin: read::origin(&file),
                tags,
                body: text,
                marking: marking.unwrap_or_default(),
            };
            let s = sources::add(ws, new)?;
            out.created(s.summary.id, &s.summary);
        }
        SourceCmd::List => out.sources(&sources::list(ws)?),
        SourceCmd::Show { id } => out.source(&sources::get(ws, id)?),
        SourceCmd::Edit {
            id,
            meta,
            tags,
            untag,
        } => {
            let patch = SourcePatch {
                title: meta.title,
                outlet: meta.outlet,
                authors: (!meta.authors.is_empty()).then_some(meta.authors),
                published: meta.published,
                url: meta.url,
                lang: meta.lang,
                notes: meta.notes,
                add_tags: tags,
                remove_tags: untag,
                marking: meta.marking,
            };
            let s = sources::edit(ws, id, patch)?;
            out.source_summary(&s.summary);
        }
        SourceCmd::Import(cmd) => import::source(ws, cmd, now, out)?,
        SourceCmd::Versions(cmd) => versions::run(ws, cmd, out)?,
        SourceCmd::Split { id } => stories::split(ws, id, out)?,
        SourceCmd::Delete { id } => {
            let d = sources::delete(ws, id)?;
            out.done(
                &json!({ "deleted": d }),
                &format!(
                    "deleted source {} (\"{}\") and its {} excerpt(s)",
                    d.id, d.title, d.excerpts
                ),
            );
        }
    }
    Ok(())
}

fn excerpt(ws: &mut Workspace, cmd: ExcerptCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        ExcerptCmd::Add {
            source_id,
            quote,
            occurrence,
            start,
            end,
            note,
            tags,
            marking,
        } => {
            let target = match (quote, start, end) {
                (Some(quote), _, _) => ExcerptTarget::Quote {
                    quote,
                    occurrence: occurrence.map(|n| n as usize),
                },
                (None, Some(start), Some(end)) => ExcerptTarget::Range { start, end },
                _ => anyhow::bail!("give --quote TEXT, or --start N --end N"),
            };
            let e = excerpts::add(ws, source_id, target, &note, &tags, None, marking)?;
            out.created(e.id, &e);
        }
        ExcerptCmd::List { source, tag } => out.excerpts(&excerpts::list(
            ws,
            &ExcerptFilter {
                source_id: source,
                tag,
            },
        )?),
        ExcerptCmd::Show { id } => out.excerpt(&excerpts::get(ws, id)?),
        ExcerptCmd::Edit {
            id,
            note,
            tags,
            untag,
            marking,
        } => {
            let e = excerpts::edit(
                ws,
                id,
                ExcerptPatch {
                    note,
                    add_tags: tags,
                    remove_tags: untag,
                    marking: match marking {
                        Some(ExcerptMarking::Own(m)) => Some(m),
                        _ => None,
                    },
                    inherit_marking: marking == Some(ExcerptMarking::Inherit),
                },
            )?;
            out.excerpt(&e);
        }
        ExcerptCmd::Import(cmd) => import::excerpt(ws, cmd, out)?,
        ExcerptCmd::Export(cmd) => archive::export_excerpts(ws, cmd, out)?,
        ExcerptCmd::Delete { id } => {
            let snapshot = excerpts::delete(ws, id)?;
            out.done(
                &json!({ "deleted": { "id": id, "uid": snapshot.excerpt.uid } }),
                &format!("deleted excerpt {id}"),
            );
        }
    }
    Ok(())
}

fn spec(looks: TagLooks, remove_aliases: Vec<String>) -> TagSpec {
    TagSpec {
        label: looks.label,
        label_fr: looks.label_fr,
        add_aliases: looks.aliases,
        remove_aliases,
        color: looks.color,
    }
}

fn tag(ws: &mut Workspace, cmd: TagCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        TagCmd::Add { path, looks } => {
            let t = tags::add(ws, &path, spec(looks, vec![]))?;
            out.created_tag(&t);
        }
        TagCmd::Edit {
            tag,
            looks,
            remove_aliases,
        } => out.tag(&tags::edit(ws, &tag, spec(looks, remove_aliases))?),
        TagCmd::List => out.tags(&tags::list(ws)?),
        TagCmd::Show { tag } => out.tag(&tags::get(ws, &tag)?),
        TagCmd::Rename { old, new } => {
            let r = tags::rename(ws, &old, &new)?;
            let n = r.renamed.len();
            out.done(
                &json!(r),
                &format!("renamed {} to {} ({n} tag(s) moved)", r.from, r.to),
            );
        }
        TagCmd::Merge { from, into } => {
            let m = tags::merge(ws, &from, &into)?;
            out.done(
                &json!(m),
                &format!(
                    "merged {} into {} ({} attachment(s) moved)",
                    m.from, m.into, m.moved
                ),
            );
        }
        TagCmd::Delete { tag } => {
            let removed = tags::delete(ws, &tag)?;
            out.done(
                &json!({ "deleted": removed }),
                &format!("deleted {}", removed.join(", ")),
            );
        }
    }
    Ok(())
}

fn question(ws: &mut Workspace, cmd: QuestionCmd, out: &Out) -> anyhow::Result<()> {
    match cmd {
        QuestionCmd::Add {
            text,
            excerpts,
            sources,
            tags,
            due,
            owner,
        } => {
            let new = NewFollowUp {
                text,
                excerpt_ids: excerpts,
                source_ids: sources,
                tags,
                due,
                owner,
            };
            let f = followups::add(ws, new)?;
            out.created(f.id, &f);
        }
        QuestionCmd::List { status } => out.followups(&followups::list(ws, status)?),
        QuestionCmd::Show { id } => out.followup(&followups::get(ws, id)?),
        QuestionCmd::Edit {
            id,
            text,
            due,
            owner,
            excerpts,
            sources,
            tags,
            untag,
        } => {
            let patch = FollowUpPatch {
                text,
                due,
                owner,
                add_excerpt_ids: excerpts,
                add_source_ids: sources,
                add_tags: tags,
                remove_tags: untag,
            };
            out.followup(&followups::edit(ws, id, patch)?);
        }
        QuestionCmd::Answer { id, text, excerpts } => {
            out.followup(&followups::answer(ws, id, &text, &excerpts)?)
        }
        QuestionCmd::Drop { id } => {
            out.followup(&followups::set_status(ws, id, FollowUpStatus::Dropped)?)
        }
        QuestionCmd::Reopen { id } => {
            out.followup(&followups::set_status(ws, id, FollowUpStatus::Open)?)
        }
        QuestionCmd::Delete { id } => {
            followups::delete(ws, id).context(format!("cannot delete question {id}"))?;
            out.done(
                &json!({ "deleted": { "id": id } }),
                &format!("deleted question {id}"),
            );
        }
    }
    Ok(())
}
