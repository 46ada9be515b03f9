//! Rebuild when a migration is added or edited: `include_dir!` embeds the folder, but cargo only
//! tracks what a build script tells it to.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
