//! Keeps the places that name the app's commands in step: `build.rs` (which generates the
//! permissions), `generate_handler!` in `main.rs`, the window's capability, the `#[tauri::command]`
//! functions themselves, `ui/src/lib/ipc.ts` (the page's only way to call them) and the UI
//! tests' fake backend. A command renamed on one side only, or an argument spelled differently
//! in `ipc.ts` than in Rust, fails here instead of at the analyst's first click.
//!
//! The decision a reader may question: this reads the source files as text rather than asking
//! Tauri, because the invoke handler is a macro-generated closure with no list to inspect. The
//! parsing is deliberately narrow (the house style of those files) and fails loudly when a file
//! stops looking the way it expects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The text between `open` and the matching `close`, `open` being at `start`.
fn balanced(text: &str, start: usize, open: char, close: char) -> &str {
    let mut depth = 0usize;
    for (i, c) in text[start..].char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return &text[start + open.len_utf8()..start + i];
            }
        }
    }
    panic!("unbalanced {open}{close} in the text after byte {start}")
}

/// Splits on commas outside any brackets.
fn top_level_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn quoted_strings(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn build_rs_commands(build_rs: &str) -> BTreeSet<String> {
    let start = build_rs
        .find("const COMMANDS")
        .expect("build.rs declares COMMANDS");
    let list = build_rs[start..]
        .find("= &[")
        .map(|i| start + i + "= &".len())
        .expect("COMMANDS is a list");
    quoted_strings(balanced(build_rs, list, '[', ']'))
        .into_iter()
        .collect()
}

fn handler_commands(main_rs: &str) -> BTreeSet<String> {
    let start = main_rs
        .find("generate_handler![")
        .expect("main.rs registers its commands with generate_handler!")
        + "generate_handler!".len();
    top_level_parts(balanced(main_rs, start, '[', ']'))
        .iter()
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_owned())
        .collect()
}

fn capability_commands(capability: &str) -> BTreeSet<String> {
    quoted_strings(capability)
        .into_iter()
        .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
        .collect()
}

/// Every `#[tauri::command]` function in `sources`: its name and the arguments the page sends
/// (Tauri's own injected ones, the app handle and the window, left out).
fn rust_commands(sources: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (file, text) in sources {
        for (at, _) in text.match_indices("#[tauri::command") {
            let rest = &text[at..];
            let fn_at = rest
                .find("fn ")
                .unwrap_or_else(|| panic!("{file}: a command attribute with no function"));
            let signature = &rest[fn_at + 3..];
            let name: String = signature
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let open = signature.find('(').expect("a function has arguments");
            let args = top_level_parts(balanced(signature, open, '(', ')'))
                .into_iter()
                .filter_map(|arg| {
                    let (arg_name, ty) = arg.split_once(':')?;
                    let ty = ty.trim();
                    let injected = ["AppHandle", "Window", "WebviewWindow", "State<"]
                        .iter()
                        .any(|t| ty.starts_with(t) || ty.starts_with(&format!("tauri::{t}")));
                    (!injected).then(|| arg_name.trim().trim_start_matches("mut ").to_owned())
                })
                .collect();
            assert!(
                out.insert(name.clone(), args).is_none(),
                "{file}: command {name} is defined twice"
            );
        }
    }
    out
}

/// Every `call("name", { … })` in ipc.ts: the command and the argument keys it sends.
fn ipc_calls(ipc_ts: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (at, _) in ipc_ts.match_indices("call(\"") {
        let after = &ipc_ts[at + "call(\"".len()..];
        let name_end = after.find('"').expect("a command name is quoted");
        let name = after[..name_end].to_owned();
        let rest = after[name_end + 1..].trim_start();
        let mut keys = BTreeSet::new();
        if let Some(object) = rest.strip_prefix(',') {
            let object = object.trim_start();
            assert!(
                object.starts_with('{'),
                "ipc.ts: call(\"{name}\", …) passes its arguments as an object literal"
            );
            for part in top_level_parts(balanced(object, 0, '{', '}')) {
                assert!(
                    !part.starts_with("..."),
                    "ipc.ts: call(\"{name}\", …) spreads {part}; name each argument so this \
                     test can check it against the Rust command"
                );
                let key = part.split(':').next().unwrap_or(&part).trim();
                keys.insert(key.to_owned());
            }
        }
        if let Some(previous) = out.insert(name.clone(), keys.clone()) {
            assert_eq!(
                previous, keys,
                "ipc.ts calls {name} with two different sets of arguments"
            );
        }
    }
    out
}

fn fake_backend_commands(fake: &str) -> BTreeSet<String> {
    fake.match_indices("case \"")
        .map(|(at, _)| {
            let after = &fake[at + "case \"".len()..];
            after[..after.find('"').expect("a case label is quoted")].to_owned()
        })
        .collect()
}

struct Sides {
    build_rs: BTreeSet<String>,
    handler: BTreeSet<String>,
    capability: BTreeSet<String>,
    rust: BTreeMap<String, BTreeSet<String>>,
    ipc: BTreeMap<String, BTreeSet<String>>,
    fake: BTreeSet<String>,
}

fn read_sides(ipc_ts: &str) -> Sides {
    let root = root();
    let mut sources = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("src/commands"))
        .expect("src/commands exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.push(root.join("src/links.rs"));
    files.sort();
    for file in files {
        sources.push((file.display().to_string(), read(&file)));
    }
    Sides {
        build_rs: build_rs_commands(&read(&root.join("build.rs"))),
        handler: handler_commands(&read(&root.join("src/main.rs"))),
        capability: capability_commands(&read(&root.join("capabilities/main-window.json"))),
        rust: rust_commands(&sources),
        ipc: ipc_calls(ipc_ts),
        fake: fake_backend_commands(&read(&root.join("../ui/src/test/fakeBackend.ts"))),
    }
}

/// Every disagreement between the sides, in words; empty when they agree.
fn disagreements(sides: &Sides) -> Vec<String> {
    let mut problems = Vec::new();
    let defined: BTreeSet<String> = sides.rust.keys().cloned().collect();
    let called: BTreeSet<String> = sides.ipc.keys().cloned().collect();
    let mut compare = |what: &str, set: &BTreeSet<String>| {
        for missing in defined.difference(set) {
            problems.push(format!("{what} lacks the command {missing}"));
        }
        for extra in set.difference(&defined) {
            problems.push(format!(
                "{what} names {extra}, which no #[tauri::command] defines"
            ));
        }
    };
    compare("build.rs COMMANDS", &sides.build_rs);
    compare("generate_handler! in main.rs", &sides.handler);
    compare("capabilities/main-window.json", &sides.capability);
    compare("ui/src/lib/ipc.ts", &called);
    for extra in sides.fake.difference(&defined) {
        problems.push(format!(
            "ui/src/test/fakeBackend.ts handles {extra}, which no #[tauri::command] defines"
        ));
    }
    for (name, keys) in &sides.ipc {
        if let Some(args) = sides.rust.get(name)
            && args != keys
        {
            problems.push(format!(
                "ipc.ts calls {name} with {keys:?}, but the Rust command takes {args:?}"
            ));
        }
    }
    problems
}

fn ipc_ts() -> String {
    read(&root().join("../ui/src/lib/ipc.ts"))
}

#[test]
fn every_place_that_names_a_command_agrees() {
    let sides = read_sides(&ipc_ts());
    assert!(
        sides.rust.len() > 40,
        "the command functions were not found"
    );
    let problems = disagreements(&sides);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_command_renamed_on_one_side_only_is_caught() {
    let renamed = ipc_ts().replacen("call(\"delete_excerpt\"", "call(\"remove_excerpt\"", 1);
    let problems = disagreements(&read_sides(&renamed));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("lacks the command delete_excerpt"))
            && problems.iter().any(|p| p.contains("remove_excerpt")),
        "{problems:?}"
    );
}

#[test]
fn an_argument_spelled_differently_is_caught() {
    let respelled = ipc_ts().replacen("source_id: sourceId", "sourceId", 1);
    assert_ne!(
        respelled,
        ipc_ts(),
        "ipc.ts still sends source_id: sourceId somewhere"
    );
    let problems = disagreements(&read_sides(&respelled));
    assert!(
        problems.iter().any(|p| p.contains("sourceId")),
        "{problems:?}"
    );
}
