//! `dossier search`: run a query, and keep named queries to rerun.

use std::io::IsTerminal;

use clap::{Args, Subcommand};
use dossier_api::search::{self, SearchOptions};
use dossier_core::query::SearchResults;
use dossier_store::Workspace;
use serde_json::json;

use crate::print::Out;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SearchArgs {
    #[command(subcommand)]
    pub saved: Option<SavedCmd>,
    /// The query, in quotes when it has several words: 'steel "sector deals" #tariff -#autos'
    #[arg(required = true, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    #[command(flatten)]
    pub page: Page,
}

#[derive(Debug, Args)]
pub struct Page {
    /// How many results to show
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    /// How many results to skip (for the next page)
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    /// Also count results by type, tag, outlet, language and status
    #[arg(long)]
    pub facets: bool,
    /// Search the words as typed only: a tag's label, French label or alias no longer also
    /// finds its other words (`steel` no longer finds `acier`; `=steel` does so for one word)
    #[arg(long)]
    pub literal: bool,
}

#[derive(Debug, Subcommand)]
pub enum SavedCmd {
    /// Save a query under a name (replaces a saved search with the same name)
    Save {
        name: String,
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Make it an alert: the app tells you when it has new matches
        #[arg(long)]
        alert: bool,
    },
    /// List saved searches
    Saved,
    /// Run a saved search
    Run {
        name: String,
        #[command(flatten)]
        page: Page,
    },
    /// Mark what a saved search matches now as seen, without running it
    Seen { name: String },
    /// Forget a saved search
    Delete { name: String },
}

pub fn run(ws: &mut Workspace, args: SearchArgs, out: &Out) -> anyhow::Result<()> {
    match args.saved {
        None => {
            let query = args.query.unwrap_or_default();
            show(&search::run(ws, &query, &options(&args.page))?, out);
        }
        Some(SavedCmd::Save { name, query, alert }) => {
            let s = search::save_alert(ws, &name, &query, alert)?;
            out.done(&json!(s), &format!("saved \"{}\": {}", s.name, s.query));
        }
        Some(SavedCmd::Saved) => {
            let all = search::statuses(ws)?;
            let text = if all.is_empty() {
                "No saved searches. Save one with: dossier search save NAME QUERY\n".to_string()
            } else {
                all.iter()
                    .map(|s| {
                        let new = match s.new_count {
                            0 => String::new(),
                            n => format!("  ({n} new)"),
                        };
                        let alert = if s.search.alert { "  [alert]" } else { "" };
                        format!("{:<24}  {}{alert}{new}\n", s.search.name, s.search.query)
                    })
                    .collect()
            };
            out.raw(&json!(all), &text);
        }
        Some(SavedCmd::Run { name, page }) => {
            show(&search::run_saved(ws, &name, &options(&page))?, out);
        }
        Some(SavedCmd::Seen { name }) => {
            let s = search::mark_seen(ws, &name)?;
            out.done(&json!(s), &format!("marked \"{}\" as seen", s.search.name));
        }
        Some(SavedCmd::Delete { name }) => {
            let s = search::delete_saved(ws, &name)?;
            out.done(
                &json!({ "deleted": s }),
                &format!("deleted saved search \"{}\"", s.name),
            );
        }
    }
    Ok(())
}

fn options(page: &Page) -> SearchOptions {
    SearchOptions {
        limit: page.limit as usize,
        offset: page.offset as usize,
        facets: page.facets,
        expand: !page.literal,
    }
}

fn show(res: &SearchResults, out: &Out) {
    let bold = crate::print::styled();
    // Text from imported documents is escaped here, piece by piece, so that the bold Dossier
    // adds survives while a page's own escape sequences never reach the terminal.
    let terminal = std::io::stdout().is_terminal();
    let safe = |t: &str| -> String {
        if terminal {
            crate::print::terminal_safe(t).into_owned()
        } else {
            t.to_owned()
        }
    };
    let mut s = String::new();
    if res.results.is_empty() {
        s.push_str(&format!("No results for {}.\n", safe(&res.query)));
    } else {
        s.push_str(&format!(
            "{} result{} for {} (showing {}–{})\n\n",
            res.total,
            if res.total == 1 { "" } else { "s" },
            safe(&res.query),
            res.offset + 1,
            res.offset + res.results.len()
        ));
    }
    for h in &res.results {
        let snippet: String = h
            .snippet_parts
            .iter()
            .map(|p| match (p.mark, bold) {
                (true, true) => format!("\x1b[1m{}\x1b[0m", safe(&p.text)),
                (true, false) => format!("[{}]", safe(&p.text)),
                (false, _) => safe(&p.text),
            })
            .collect();
        let what = match h.kind.as_str() {
            "question" => format!(
                "question {} ({})",
                h.id,
                h.status.map(|s| s.as_str()).unwrap_or("")
            ),
            kind => format!("{kind} {}", h.id),
        };
        s.push_str(&format!("{what:<22} {}\n", safe(&h.title)));
        s.push_str(&format!("    {}\n", snippet.trim()));
        if !h.tags.is_empty() {
            s.push_str(&format!("    tags: {}\n", safe(&h.tags.join(", "))));
        }
        if !h.copies.is_empty() {
            let also: Vec<String> = h
                .copies
                .iter()
                .map(|c| match &c.outlet {
                    Some(o) => format!("{} (source {})", safe(o), c.id),
                    None => format!("source {}", c.id),
                })
                .collect();
            s.push_str(&format!("    also in: {}\n", also.join(", ")));
        }
    }
    if let Some(f) = &res.facets {
        let line = |name: &str, list: &[dossier_core::query::FacetCount]| {
            if list.is_empty() {
                String::new()
            } else {
                let items: Vec<String> = list
                    .iter()
                    .map(|c| format!("{} {}", safe(&c.value), c.count))
                    .collect();
                format!("{name:<9} {}\n", items.join(" · "))
            }
        };
        s.push('\n');
        s.push_str(&line("types", &f.types));
        s.push_str(&line("tags", &f.tags));
        s.push_str(&line("outlets", &f.outlets));
        s.push_str(&line("languages", &f.langs));
        s.push_str(&line("statuses", &f.statuses));
    }
    out.prepared(&json!(res), &s);
}
