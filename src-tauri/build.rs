fn main() {
    // rusqlite's bundled SQLite would otherwise export its `sqlite3_*` symbols from the
    // executable, where WebKit's own libsqlite3 users can bind to them instead of their copy.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    }

    // Declaring the app's commands makes Tauri generate an `allow-…` permission for each, so
    // capabilities/ grants them one by one and any command not granted there is refused.
    let manifest = tauri_build::AppManifest::new().commands(&["workspace_info", "list_sources"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: check tauri.conf.json, capabilities/ and icons/");
}
