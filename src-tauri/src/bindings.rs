//! Keeps `ui/src/lib/bindings/` equal to what ts-rs derives from the Rust types the UI sends
//! and receives, `index.ts` included.
//!
//! A test rather than a build step, so a stale binding fails CI instead of being rewritten
//! silently: run `UPDATE_BINDINGS=1 cargo test -p dossier-app bindings` to regenerate.

use std::path::{Path, PathBuf};

use dossier_api::CommandError;
use dossier_api::export::{ExportedFile, LeftOut};
use dossier_api::import::{ImportSummary, ItemResult, ItemStatus};
use dossier_api::text_file::OpenedFile;
use dossier_api::versions::{
    ChangedExcerpt, DiffKind, DiffOp, OriginalPage, SavedOriginal, VersionComparison,
};
use dossier_core::briefing::{
    Briefing, BriefingItem, BriefingPatch, BriefingSection, BriefingSummary, Citation, Contact,
    ContactPatch, Decision, DecisionOutcome, DecisionPatch, ItemStatus as BriefingItemStatus,
    Marking, NewBriefing, Purpose, SectionKind, SectionPatch,
};
use dossier_core::query::{
    Expansion, ExpansionRole, FacetCount, Facets, ItemKind, SavedSearch, SearchHit, SearchResults,
    SnippetPart,
};
use dossier_core::{
    Excerpt, ExcerptPatch, ExcerptTarget, FollowUp, FollowUpPatch, FollowUpStatus, Lang,
    NewFollowUp, NewSource, OcrInfo, Source, SourcePatch, SourceSummary, Tag, TagSpec,
};
use dossier_ingest::Format;
use dossier_store::backup::{BackupFile, CheckedFile, Counts, Kind, Restored};
use dossier_store::connector::{ConnectorToken, PairingRequest};
use dossier_store::{
    DeletedBriefing, DeletedExcerpt, DeletedSource, ExcerptFilter, MergedTag, RenamedTag,
};
use dossier_store::{NotKept, ReanchorSummary, SourceVersion};
use ts_rs::{Config, TS};

use crate::commands::backups::AutoBackup;
use crate::commands::imports::ImportProgress;
use crate::commands::language::UiLanguage;
use crate::commands::workspace::{WorkspaceChanged, WorkspaceInfo};
use crate::connector::ConnectorStatus;

fn bindings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

fn generated() -> Vec<(String, String)> {
    fn one<T: TS + 'static>(cfg: &Config) -> (String, String) {
        let file = T::output_path().expect("an exported type has an output path");
        let text = T::export_to_string(cfg).expect("ts-rs could not render the type");
        (file.display().to_string(), text)
    }
    // Every integer the app sends is far below 2^53: one rule instead of an annotation on
    // each `i64`/`u64` field.
    let cfg = Config::new().with_large_int("number");
    let mut files = vec![
        one::<CommandError>(&cfg),
        one::<ConnectorStatus>(&cfg),
        one::<ConnectorToken>(&cfg),
        one::<PairingRequest>(&cfg),
        one::<WorkspaceInfo>(&cfg),
        one::<WorkspaceChanged>(&cfg),
        one::<SourceSummary>(&cfg),
        one::<Source>(&cfg),
        one::<OcrInfo>(&cfg),
        one::<NewSource>(&cfg),
        one::<SourcePatch>(&cfg),
        one::<OpenedFile>(&cfg),
        one::<DeletedSource>(&cfg),
        one::<Excerpt>(&cfg),
        one::<DeletedExcerpt>(&cfg),
        one::<ExcerptTarget>(&cfg),
        one::<ExcerptPatch>(&cfg),
        one::<ExcerptFilter>(&cfg),
        one::<Tag>(&cfg),
        one::<TagSpec>(&cfg),
        one::<RenamedTag>(&cfg),
        one::<MergedTag>(&cfg),
        one::<FollowUp>(&cfg),
        one::<FollowUpStatus>(&cfg),
        one::<NewFollowUp>(&cfg),
        one::<FollowUpPatch>(&cfg),
        one::<SearchResults>(&cfg),
        one::<SearchHit>(&cfg),
        one::<Expansion>(&cfg),
        one::<ExpansionRole>(&cfg),
        one::<ItemKind>(&cfg),
        one::<SnippetPart>(&cfg),
        one::<Facets>(&cfg),
        one::<FacetCount>(&cfg),
        one::<SavedSearch>(&cfg),
        one::<ImportProgress>(&cfg),
        one::<ImportSummary>(&cfg),
        one::<ItemResult>(&cfg),
        one::<ItemStatus>(&cfg),
        one::<Format>(&cfg),
        one::<Briefing>(&cfg),
        one::<BriefingSummary>(&cfg),
        one::<BriefingSection>(&cfg),
        one::<BriefingItem>(&cfg),
        one::<BriefingItemStatus>(&cfg),
        one::<BriefingPatch>(&cfg),
        one::<SectionPatch>(&cfg),
        one::<SectionKind>(&cfg),
        one::<NewBriefing>(&cfg),
        one::<Marking>(&cfg),
        one::<Lang>(&cfg),
        one::<UiLanguage>(&cfg),
        one::<Purpose>(&cfg),
        one::<Contact>(&cfg),
        one::<ContactPatch>(&cfg),
        one::<Decision>(&cfg),
        one::<DecisionPatch>(&cfg),
        one::<DecisionOutcome>(&cfg),
        one::<Citation>(&cfg),
        one::<DeletedBriefing>(&cfg),
        one::<dossier_export::Format>(&cfg),
        one::<ExportedFile>(&cfg),
        one::<LeftOut>(&cfg),
        one::<BackupFile>(&cfg),
        one::<Kind>(&cfg),
        one::<CheckedFile>(&cfg),
        one::<Counts>(&cfg),
        one::<Restored>(&cfg),
        one::<AutoBackup>(&cfg),
        one::<SourceVersion>(&cfg),
        one::<NotKept>(&cfg),
        one::<ReanchorSummary>(&cfg),
        one::<OriginalPage>(&cfg),
        one::<SavedOriginal>(&cfg),
        one::<VersionComparison>(&cfg),
        one::<DiffOp>(&cfg),
        one::<DiffKind>(&cfg),
        one::<ChangedExcerpt>(&cfg),
        one::<dossier_core::SourceCopy>(&cfg),
        one::<dossier_core::query::HitCopy>(&cfg),
        one::<dossier_store::stories::SplitSource>(&cfg),
        one::<dossier_core::query::SavedSearchStatus>(&cfg),
        one::<dossier_store::feeds::Feed>(&cfg),
        one::<dossier_store::feeds::NewFeed>(&cfg),
        one::<dossier_store::feeds::FeedPatch>(&cfg),
        one::<dossier_store::feeds::FeedEntry>(&cfg),
        one::<dossier_store::feeds::EntryStatus>(&cfg),
        one::<dossier_api::feeds::PollReport>(&cfg),
        one::<dossier_api::feeds::FeedPolled>(&cfg),
        one::<dossier_api::feeds::KeepReport>(&cfg),
        one::<dossier_api::feeds::KeptEntry>(&cfg),
        one::<crate::commands::feeds::FeedsPolled>(&cfg),
        one::<crate::commands::feeds::SidebarCounts>(&cfg),
        one::<dossier_api::team::Status>(&cfg),
        one::<dossier_api::team::ListedConflict>(&cfg),
        one::<dossier_api::team::LastChanged>(&cfg),
        one::<dossier_store::sync::Conflict>(&cfg),
        one::<dossier_api::team::SyncReport>(&cfg),
        one::<crate::team_sync::TeamSynced>(&cfg),
    ];
    files.sort();
    let index: String = files
        .iter()
        .map(|(file, _)| {
            let name = file.trim_end_matches(".ts");
            format!("export type {{ {name} }} from \"./{name}\";\n")
        })
        .collect();
    files.push(("index.ts".to_owned(), index));
    files
}

#[test]
fn committed_bindings_match_the_rust_types() {
    let dir = bindings_dir();
    let update = std::env::var_os("UPDATE_BINDINGS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (file, text) in generated() {
        let path = dir.join(&file);
        if update {
            std::fs::write(&path, &text)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings/ is out of date for {stale:?}; regenerate with \
         `UPDATE_BINDINGS=1 cargo test -p dossier-app bindings` and commit the result"
    );
}

#[test]
fn no_binding_file_is_left_over_from_a_removed_type() {
    let expected: Vec<String> = generated().into_iter().map(|(file, _)| file).collect();
    let extra: Vec<String> = std::fs::read_dir(bindings_dir())
        .expect("the bindings folder exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !expected.contains(name))
        .collect();
    assert!(
        extra.is_empty(),
        "ui/src/lib/bindings/ holds files no Rust type generates: {extra:?}; delete them"
    );
}
