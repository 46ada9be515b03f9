//! `dossier connector`: the browser connector run headless, and its pairing and tokens.
//!
//! How the extension and a headless approval meet: the extension asks with `POST /v1/pair`
//! and polls `GET /v1/pair/SECRET`; the request waits in the workspace, so `dossier connector
//! pair --approve` — another process, on the same workspace file — approves it there, and the
//! extension collects its token at its next poll. The server and the command need not be the
//! same process (the app may be serving while a terminal approves).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Subcommand};
use dossier_api::CommandError;
use dossier_api::connector as api;
use dossier_store::Workspace;
use serde_json::json;

use crate::print::{Out, or_dash, terminal_safe};

#[derive(Debug, Subcommand)]
pub enum ConnectorCmd {
    /// Serve the browser connector on 127.0.0.1 until stopped (the app runs the same server)
    Serve {
        /// Listen on this port only [default: the first free of 47810–47819]
        #[arg(long)]
        port: Option<u16>,
    },
    /// Answer an extension's pairing request: --approve prints its token; without a flag,
    /// list the requests waiting
    Pair(PairArgs),
    /// The connector's tokens: id, client, created, last used, revoked
    Tokens,
    /// Revoke a token: the extension holding it is refused from now on
    Revoke {
        /// The token's id (see `dossier connector tokens`)
        id: i64,
    },
}

#[derive(Debug, Args)]
pub struct PairArgs {
    /// Approve the request (the newest waiting, or --id's) and print the token handed to it
    #[arg(long, conflicts_with = "deny")]
    pub approve: bool,
    /// Deny the request (the newest waiting, or --id's)
    #[arg(long)]
    pub deny: bool,
    /// The request to answer [default: the newest waiting]
    #[arg(long)]
    pub id: Option<i64>,
    /// Wait up to this many seconds for a request to arrive when none is waiting
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub wait: u64,
    /// With --approve and no request waiting: make a token for a script, named CLIENT
    #[arg(long, value_name = "CLIENT", requires = "approve")]
    pub new_token: Option<String>,
}

/// Whether the command writes to the workspace (for the automatic backup).
pub fn writes(cmd: &ConnectorCmd) -> bool {
    match cmd {
        ConnectorCmd::Tokens => false,
        ConnectorCmd::Pair(p) => p.approve || p.deny,
        _ => true,
    }
}

pub fn run(ws: Workspace, cmd: ConnectorCmd, out: &Out) -> anyhow::Result<()> {
    let mut ws = ws;
    match cmd {
        ConnectorCmd::Serve { port } => serve(ws, port, out),
        ConnectorCmd::Pair(args) => pair(&mut ws, args, out),
        ConnectorCmd::Tokens => {
            let tokens = api::list_tokens(&ws)?;
            let mut text = String::new();
            if tokens.is_empty() {
                text.push_str("no connector tokens (pair the browser extension first)\n");
            }
            for t in &tokens {
                text.push_str(&format!(
                    "{:<4} {:<16} created {}  last used {}  {}\n",
                    t.id,
                    terminal_safe(&t.client),
                    t.created_at,
                    or_dash(t.last_used_at.as_deref()),
                    t.revoked_at
                        .as_deref()
                        .map_or("live".to_owned(), |r| format!("revoked {r}")),
                ));
            }
            out.prepared(&json!(tokens), &text);
            Ok(())
        }
        ConnectorCmd::Revoke { id } => {
            let t = api::revoke_token(&mut ws, id)?;
            out.done(
                &json!(t),
                &format!(
                    "token {id} ({}) revoked; that extension must pair again",
                    terminal_safe(&t.client)
                ),
            );
            Ok(())
        }
    }
}

fn serve(ws: Workspace, port: Option<u16>, out: &Out) -> anyhow::Result<()> {
    let (server, bound) = dossier_connector::bind(port).map_err(anyhow::Error::msg)?;
    let mut connector = dossier_connector::Connector::new(ws, bound);
    connector.on_pairing = Some(Box::new(|r: &api::PairingRequest| {
        eprintln!(
            "{} wants to save to Dossier (request {}): allow it with `dossier connector pair --approve`",
            terminal_safe(&r.client),
            r.id
        );
    }));
    // One line, flushed at once: a script reads the port from it while the server runs.
    let line = if out.json {
        json!({"listening": format!("127.0.0.1:{bound}"), "port": bound}).to_string()
    } else {
        format!("listening on http://127.0.0.1:{bound}")
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").context("writing to stdout")?;
    stdout.flush().context("writing to stdout")?;
    drop(stdout);
    // Runs until the process is stopped; every save is one transaction, so stopping it
    // between two requests or in the middle of one leaves the workspace whole.
    let stop = Arc::new(AtomicBool::new(false));
    dossier_connector::serve(&server, connector, &stop);
    Ok(())
}

fn pair(ws: &mut Workspace, args: PairArgs, out: &Out) -> anyhow::Result<()> {
    if !args.approve && !args.deny {
        let pending = api::pending_pairings(ws)?;
        let mut text = String::new();
        if pending.is_empty() {
            text.push_str("no pairing request is waiting\n");
        }
        for r in &pending {
            text.push_str(&format!(
                "{:<4} {:<16} {}  {}\n",
                r.id,
                terminal_safe(&r.client),
                terminal_safe(&r.origin),
                r.created_at
            ));
        }
        out.prepared(&json!(pending), &text);
        return Ok(());
    }
    let deadline = Instant::now() + Duration::from_secs(args.wait);
    let id = loop {
        let waiting = api::pending_pairings(ws)?;
        let found = match args.id {
            Some(id) => waiting.iter().find(|r| r.id == id),
            None => waiting.first(),
        };
        if let Some(r) = found {
            break Some(r.id);
        }
        if Instant::now() >= deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let Some(id) = id else {
        if args.approve
            && args.id.is_none()
            && let Some(client) = args.new_token
        {
            let issued = api::create_token(ws, &client)?;
            out.raw(&json!(issued), &format!("{}\n", issued.token));
            return Ok(());
        }
        return Err(CommandError::new(
            "not_found",
            match args.id {
                Some(id) => format!("no pairing request {id} is waiting (answered already, or expired)"),
                None => "no pairing request is waiting: ask from the browser extension first (or pass --wait SECONDS)".to_owned(),
            },
        )
        .into());
    };
    if args.deny {
        api::deny_pairing(ws, id)?;
        out.done(
            &json!({"id": id, "status": "denied"}),
            &format!("pairing request {id} denied"),
        );
    } else {
        let issued = api::approve_pairing(ws, id)?;
        out.raw(&json!(issued), &format!("{}\n", issued.token));
    }
    Ok(())
}
