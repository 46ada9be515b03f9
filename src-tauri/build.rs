/// Every command the app registers; each gets an `allow-…` permission for capabilities/.
const COMMANDS: &[&str] = &[
    "workspace_info",
    "open_sample_workspace",
    "open_default_workspace",
    "open_workspace",
    "new_workspace",
    "list_sources",
    "get_source",
    "add_source",
    "edit_source",
    "delete_source",
    "open_text_file",
    "list_excerpts",
    "get_excerpt",
    "add_excerpt",
    "edit_excerpt",
    "delete_excerpt",
    "restore_excerpt",
    "list_tags",
    "add_tag",
    "edit_tag",
    "rename_tag",
    "merge_tag",
    "delete_tag",
    "list_followups",
    "add_followup",
    "edit_followup",
    "answer_followup",
    "set_followup_status",
    "delete_followup",
    "search",
    "save_search",
    "list_saved_searches",
    "delete_saved_search",
    "import_files",
    "import_url",
    "cancel_import",
    "list_orphans",
    "reattach_excerpt",
    "workspace_version",
    "list_briefings",
    "get_briefing",
    "new_briefing",
    "draft_briefing",
    "edit_briefing",
    "move_briefing_item",
    "duplicate_briefing",
    "delete_briefing",
    "preview_briefing",
    "export_briefing",
    "backup_now",
    "list_backups",
    "restore_backup",
    "restore_from_file",
    "source_versions",
    "original_page",
    "open_original",
    "compare_versions",
    "ui_language",
    "set_ui_language",
    "open_link",
    "connector_status",
    "connector_pending",
    "connector_answer",
    "connector_tokens",
    "connector_revoke",
];

fn main() {
    // rusqlite's bundled SQLite would otherwise export its `sqlite3_*` symbols from the
    // executable, where WebKit's own libsqlite3 users can bind to them instead of their copy.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    }

    // Declaring the app's commands makes Tauri generate an `allow-…` permission for each, so
    // capabilities/ grants them one by one and any command not granted there is refused.
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: check tauri.conf.json, capabilities/ and icons/");
}
