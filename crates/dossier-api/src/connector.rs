//! The browser connector's use cases: saving a page the browser rendered (and a passage of it
//! as an excerpt), tag suggestions, "already saved?", tokens and pairing. The HTTP server
//! (`dossier-connector`) checks who is calling and calls these; the CLI and the app call the
//! token and pairing ones.
//!
//! The decision a reader might question: the selection is placed in the *extracted* text
//! before anything is written, so a passage the extractor dropped (a caption, a sidebar) is
//! refused with `selection_not_found` and nothing is created — unless the caller says
//! `unanchored_ok`, and then the quote goes into the source's notes, never onto the nearest
//! passage that looks alike.

use dossier_core::text::{char_len, normalize_body, normalize_fragment};
use dossier_core::{Anchor, Excerpt, ExcerptTarget, NewFollowUp, SourcePatch, fold};
use dossier_ingest::{Hint, Limits, OcrOptions, Read};
use dossier_store::connector::{self as store, PairingState};
use dossier_store::{Stored, Workspace};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use dossier_store::connector::{ConnectorToken, PairingRequest, SavedSource};

use crate::import::{ImportOptions, to_imported};
use crate::{CommandError, now};

/// A page as the extension sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageCapture {
    pub url: String,
    #[serde(default)]
    pub title: String,
    pub html: String,
    /// The page's `<link rel="canonical">`, when it has one.
    #[serde(default)]
    pub canonical_url: Option<String>,
    #[serde(default)]
    pub selection: Option<Selection>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub question: Option<String>,
    /// When the selection cannot be placed: keep the source and the quote as a note on it.
    #[serde(default)]
    pub unanchored_ok: bool,
}

/// The selected text and up to 32 characters of the page's text on each side.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub text: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SaveStatus {
    Imported,
    AlreadyPresent,
    Updated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedPage {
    pub source: SavedSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<Excerpt>,
    pub status: SaveStatus,
    /// The selection could not be placed and was kept as a note on the source.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unanchored: bool,
}

/// A tag offered while typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TagSuggestion {
    pub path: String,
    pub label: String,
    pub label_fr: Option<String>,
}

/// A token just made (by pairing headless, or for a script): its text, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IssuedToken {
    pub id: i64,
    pub client: String,
    pub token: String,
}

/// What polling a pairing request tells the extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PairingPoll {
    Pending,
    Denied,
    Approved {
        token: String,
    },
    /// Collected, expired or unknown.
    Gone,
}

fn invalid(message: impl Into<String>) -> CommandError {
    CommandError::new("invalid", message)
}

/// Where the selection sits in `body`, in code points: the exact text first (several
/// occurrences told apart by the context), then the same words with the page's whitespace
/// allowed to differ; `selection_not_found` when it is not in the text with confidence.
pub fn place_selection(body: &str, selection: &Selection) -> Result<(usize, usize), CommandError> {
    let quote = normalize_fragment(selection.text.trim());
    if quote.trim().is_empty() {
        return Err(invalid("the selection is empty"));
    }
    let prefix = normalize_fragment(&selection.prefix);
    let suffix = normalize_fragment(&selection.suffix);
    // One exact occurrence: the anchor as `excerpt add` makes it. Several, or the words laid
    // out with other whitespace: the context decides, and a tie is no placement.
    if body.matches(quote.as_str()).nth(1).is_none()
        && let Ok(anchor) = Anchor::locate(body, &quote, None)
    {
        return Ok((anchor.start, anchor.end));
    }
    place_ignoring_whitespace(body, &quote, &prefix, &suffix).ok_or_else(|| {
        CommandError::new(
            "selection_not_found",
            "the selected passage is not in the text Dossier extracted from the page (it may sit \
             in a caption or a sidebar the extractor leaves out); nothing was saved",
        )
    })
}

/// The body's non-whitespace code points, each with its position in the body.
fn squeeze(text: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::new();
    let mut at = Vec::new();
    for (i, c) in text.chars().enumerate() {
        if !c.is_whitespace() {
            chars.push(c);
            at.push(i);
        }
    }
    (chars, at)
}

fn place_ignoring_whitespace(
    body: &str,
    quote: &str,
    prefix: &str,
    suffix: &str,
) -> Option<(usize, usize)> {
    let (hay, at) = squeeze(body);
    let (needle, _) = squeeze(quote);
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    let starts: Vec<usize> = (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == needle[..])
        .collect();
    let (pre, _) = squeeze(prefix);
    let (post, _) = squeeze(suffix);
    // Context agreement: how many code points of the prefix end right before the match, and of
    // the suffix start right after it. A tie between occurrences is no placement.
    let score = |s: usize| {
        let before = pre
            .iter()
            .rev()
            .zip(hay[..s].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let after = post
            .iter()
            .zip(hay[s + needle.len()..].iter())
            .take_while(|(a, b)| a == b)
            .count();
        before + after
    };
    let chosen = match starts.as_slice() {
        [] => return None,
        [one] => *one,
        many => {
            let mut scored: Vec<(usize, usize)> = many.iter().map(|&s| (score(s), s)).collect();
            scored.sort_by_key(|s| std::cmp::Reverse(s.0));
            if scored[0].0 == scored[1].0 {
                return None;
            }
            scored[0].1
        }
    };
    let start = at[chosen];
    let end = at[chosen + needle.len() - 1] + 1;
    debug_assert!(end <= char_len(body));
    Some((start, end))
}

fn check_tags(ws: &Workspace, tags: &[String]) -> Result<Vec<String>, CommandError> {
    tags.iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            ws.get_tag(t).map(|tag| tag.path).map_err(|e| {
                let mut error = CommandError::from(e);
                if error.code == "not_found" {
                    error.code = "unknown_tag".into();
                }
                error
            })
        })
        .collect()
}

/// The note an unplaced selection becomes on its source: the quote, then the analyst's note.
fn unanchored_note(existing: &str, quote: &str, note: &str) -> String {
    let mut out = existing.trim_end().to_owned();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    for line in quote.trim().lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    if !note.trim().is_empty() {
        out.push('\n');
        out.push_str(note.trim());
        out.push('\n');
    }
    out
}

/// Saves a page the browser rendered, through the same extractor and deduplication as
/// `dossier import`, and its selection as an excerpt. All of it is written in one transaction,
/// or nothing.
pub fn save_page(ws: &mut Workspace, page: PageCapture) -> Result<SavedPage, CommandError> {
    let now = now();
    let url = page.url.trim().to_owned();
    if !(url.starts_with("http://") || url.starts_with("https://") || url.starts_with("file:"))
        || url.len() > 8192
    {
        return Err(invalid(
            "the page's address must be an http(s) or file address",
        ));
    }
    if page.html.trim().is_empty() {
        return Err(invalid("the page's HTML is empty"));
    }
    let tags = check_tags(ws, &page.tags)?;
    let hint = Hint {
        name: Some(url.clone()),
        content_type: Some("text/html; charset=utf-8".into()),
        url: Some(url.clone()),
    };
    let mut document = dossier_ingest::extract_with(
        page.html.as_bytes(),
        &hint,
        &Limits::default(),
        &OcrOptions::default(),
    )?;
    if document
        .title
        .as_deref()
        .is_none_or(|t| t.trim().is_empty())
        && !page.title.trim().is_empty()
    {
        document.title = Some(page.title.trim().to_owned());
    }
    let body = normalize_body(&document.text);
    let place = match &page.selection {
        Some(selection) => match place_selection(&body, selection) {
            Ok(range) => Some(Ok(range)),
            Err(e) if e.code == "selection_not_found" && page.unanchored_ok => {
                Some(Err(selection.text.clone()))
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    let read = Read {
        document,
        origin: url.clone(),
        retrieved_at: Some(now.clone()),
        final_url: Some(url),
        original: page.html.into_bytes(),
    };
    let imported = to_imported(read, &ImportOptions::default());
    let note = page.note.unwrap_or_default();
    let question = page.question.filter(|q| !q.trim().is_empty());
    let saved = ws.with_tx(|tx| {
        let stored = dossier_store::imports::store(tx, imported, &now)?;
        let (status, id) = match stored {
            Stored::Added(id) => (SaveStatus::Imported, id),
            Stored::AlreadyPresent(id) => (SaveStatus::AlreadyPresent, id),
            Stored::Reimported(o) => (SaveStatus::Updated, o.source_id),
        };
        let mut excerpt = None;
        let mut unanchored = false;
        match place {
            Some(Ok((start, end))) => {
                let target = ExcerptTarget::Range { start, end };
                let excerpt_id = dossier_store::excerpts::add(tx, id, &target, &note, &tags, &now)?;
                if let Some(text) = &question {
                    let new = NewFollowUp {
                        text: text.clone(),
                        excerpt_ids: vec![excerpt_id],
                        ..NewFollowUp::default()
                    };
                    dossier_store::followups::add(tx, &new, &now)?;
                }
                excerpt = Some(dossier_store::excerpts::get(tx, excerpt_id)?);
            }
            Some(Err(quote)) => {
                let existing = dossier_store::sources::get(tx, id)?.notes;
                let patch = SourcePatch {
                    notes: Some(unanchored_note(&existing, &quote, &note)),
                    add_tags: tags.clone(),
                    ..SourcePatch::default()
                };
                dossier_store::sources::edit(tx, id, patch, &now)?;
                unanchored = true;
            }
            None if !tags.is_empty() => {
                let patch = SourcePatch {
                    add_tags: tags.clone(),
                    ..SourcePatch::default()
                };
                dossier_store::sources::edit(tx, id, patch, &now)?;
            }
            None => {}
        }
        Ok(SavedPage {
            source: store::saved_source(tx, id)?,
            excerpt,
            status,
            unanchored,
        })
    })?;
    Ok(saved)
}

/// The address without its `#fragment`: the same page for "already saved?".
fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(u, _)| u).trim()
}

/// The source saved from this address or its canonical one, with its excerpt count.
pub fn source_for_url(
    ws: &Workspace,
    url: &str,
    canonical: Option<&str>,
) -> Result<Option<SavedSource>, CommandError> {
    let mut urls = vec![url.trim(), without_fragment(url)];
    if let Some(c) = canonical {
        urls.extend([c.trim(), without_fragment(c)]);
    }
    Ok(store::source_for_urls(ws.conn(), &urls)?)
}

/// Tags whose path, label, French label or alias contains what was typed, compared without
/// accents or case; those starting with it first, then by path.
pub fn suggest_tags(
    ws: &Workspace,
    typed: &str,
    limit: usize,
) -> Result<Vec<TagSuggestion>, CommandError> {
    let q = fold(typed.trim());
    let mut found: Vec<(u8, TagSuggestion)> = Vec::new();
    for tag in ws.list_tags()? {
        let mut names = vec![tag.path.clone(), tag.label.clone()];
        names.extend(tag.label_fr.clone());
        names.extend(tag.aliases.iter().cloned());
        names.extend(tag.path.rsplit('/').next().map(str::to_owned));
        let folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
        let rank = if q.is_empty() || folded.iter().any(|n| n.starts_with(&q)) {
            0
        } else if folded.iter().any(|n| n.contains(&q)) {
            1
        } else {
            continue;
        };
        found.push((
            rank,
            TagSuggestion {
                path: tag.path,
                label: tag.label,
                label_fr: tag.label_fr,
            },
        ));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.path.cmp(&b.1.path)));
    Ok(found.into_iter().take(limit).map(|(_, t)| t).collect())
}

fn check_client(client: &str) -> Result<String, CommandError> {
    let client = client.trim();
    if client.is_empty() || client.chars().count() > 64 || client.chars().any(char::is_control) {
        return Err(invalid(
            "the client's name must be 1 to 64 characters, without control characters",
        ));
    }
    Ok(client.to_owned())
}

/// Makes a token directly (for a script, or `connector pair --approve` with nothing pending).
pub fn create_token(ws: &mut Workspace, client: &str) -> Result<IssuedToken, CommandError> {
    let client = check_client(client)?;
    let now = now();
    let made = ws.with_tx(|tx| store::create_token(tx, &client, &now))?;
    Ok(IssuedToken {
        id: made.id,
        client: made.client,
        token: made.token,
    })
}

pub fn list_tokens(ws: &Workspace) -> Result<Vec<ConnectorToken>, CommandError> {
    Ok(store::list_tokens(ws.conn())?)
}

pub fn revoke_token(ws: &mut Workspace, id: i64) -> Result<ConnectorToken, CommandError> {
    let now = now();
    ws.with_tx(|tx| store::revoke_token(tx, id, &now))?
        .ok_or_else(|| CommandError::new("not_found", format!("no connector token with id {id}")))
}

/// The live token a request carries; `unauthorized` otherwise (no token, an unknown one, a
/// revoked one — the caller is not told which). Reads only: a refused request writes nothing,
/// and the server records the use with [`record_use`] once the request succeeded.
pub fn authenticate(ws: &Workspace, token: &str) -> Result<ConnectorToken, CommandError> {
    let unauthorized = || {
        CommandError::new(
            "unauthorized",
            "this connector token is not valid (revoked, or never issued); pair again",
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unauthorized());
    }
    store::find_live_token(ws.conn(), token)?.ok_or_else(unauthorized)
}

/// Records that a token was just used (the list's "last used").
pub fn record_use(ws: &mut Workspace, id: i64) -> Result<(), CommandError> {
    let now = now();
    Ok(ws.with_tx(|tx| store::touch_token(tx, id, &now))?)
}

/// An extension asks to pair; answers with the secret it polls with.
pub fn request_pairing(
    ws: &mut Workspace,
    client: &str,
    origin: &str,
) -> Result<String, CommandError> {
    let client = check_client(client)?;
    let now = now();
    ws.with_tx(|tx| {
        if store::pending_count(tx, &now)? >= store::MAX_PENDING {
            return Ok(None);
        }
        store::request_pairing(tx, &client, origin, &now).map(|(_, secret)| Some(secret))
    })?
    .ok_or_else(|| {
        CommandError::new(
            "too_many_requests",
            "too many pairing requests are waiting; answer them in Dossier first",
        )
    })
}

pub fn pending_pairings(ws: &Workspace) -> Result<Vec<PairingRequest>, CommandError> {
    Ok(store::pending_pairings(ws.conn(), &now())?)
}

fn no_request(id: i64) -> CommandError {
    CommandError::new(
        "not_found",
        format!("no pairing request {id} is waiting (answered already, or expired)"),
    )
}

/// Approves a waiting request: its token goes to the extension at its next poll, and is
/// answered here too (the headless command prints it).
pub fn approve_pairing(ws: &mut Workspace, id: i64) -> Result<IssuedToken, CommandError> {
    let now = now();
    let token = ws
        .with_tx(|tx| store::decide_pairing(tx, id, true, &now))?
        .flatten()
        .ok_or_else(|| no_request(id))?;
    Ok(IssuedToken {
        id: token.id,
        client: token.client,
        token: token.token,
    })
}

pub fn deny_pairing(ws: &mut Workspace, id: i64) -> Result<(), CommandError> {
    let now = now();
    ws.with_tx(|tx| store::decide_pairing(tx, id, false, &now))?
        .map(|_| ())
        .ok_or_else(|| no_request(id))
}

/// The newest waiting request approved, or, with none waiting, a token made for `client`.
pub fn approve_latest_or_create(
    ws: &mut Workspace,
    client: &str,
) -> Result<IssuedToken, CommandError> {
    match pending_pairings(ws)?.first() {
        Some(request) => approve_pairing(ws, request.id),
        None => create_token(ws, client),
    }
}

pub fn poll_pairing(ws: &mut Workspace, secret: &str) -> Result<PairingPoll, CommandError> {
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(PairingPoll::Gone);
    }
    let now = now();
    Ok(
        match ws.with_tx(|tx| store::poll_pairing(tx, secret, &now))? {
            PairingState::Pending => PairingPoll::Pending,
            PairingState::Denied => PairingPoll::Denied,
            PairingState::Approved(token) => PairingPoll::Approved { token },
            PairingState::Gone => PairingPoll::Gone,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(text: &str, prefix: &str, suffix: &str) -> Selection {
        Selection {
            text: text.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    #[test]
    fn an_exact_selection_is_placed_where_it_is() {
        let body = "Steel output rose.\n\nImports fell sharply in March.";
        let (s, e) = place_selection(body, &sel("Imports fell", "", "")).unwrap();
        assert_eq!(
            dossier_core::text::slice_chars(body, s, e),
            Some("Imports fell")
        );
    }

    #[test]
    fn a_repeated_selection_is_told_apart_by_its_context() {
        let body = "Prices rose. The mill closed in May. Later, prices rose. The port reopened.";
        let (s, _) = place_selection(body, &sel("prices rose", "Later, ", ". The port")).unwrap();
        assert_eq!(s, body.find("prices rose").unwrap());
        let (s, _) = place_selection(body, &sel("Prices rose", "", ". The mill")).unwrap();
        assert_eq!(s, 0);
    }

    #[test]
    fn whitespace_the_page_laid_out_differently_still_places_the_selection() {
        let body = "The minister said\nthe quota will be  reviewed in June.";
        let (s, e) = place_selection(
            body,
            &sel("said the quota will be reviewed", "minister ", " in"),
        )
        .unwrap();
        assert_eq!(
            dossier_core::text::slice_chars(body, s, e),
            Some("said\nthe quota will be  reviewed")
        );
    }

    #[test]
    fn a_selection_absent_from_the_text_or_ambiguous_is_refused() {
        let body = "Steel output rose. Steel output rose.";
        let err = place_selection(body, &sel("Photo: a steel mill", "", "")).unwrap_err();
        assert_eq!(err.code, "selection_not_found");
        let err = place_selection(body, &sel("Steel output  rose", "", "")).unwrap_err();
        assert_eq!(
            err.code, "selection_not_found",
            "two equal places: no guess"
        );
    }
}
