//! Embeds every `catalog/*.toml` file in the binary, so the tool works from any folder and a new
//! rule file needs no code change.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=catalog");
    // Read at run time, not baked in with `env!`: a build script compiled in one checkout is
    // reused by another with the same sources (a shared target folder), and would then read the
    // first checkout's catalog, or nothing once that checkout is gone.
    let root = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&root).join("catalog");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        panic!("no rule files in {}: the built-in catalog would be empty", dir.display());
    }
    let mut code = String::from("/// Built-in rule files: (name, contents), sorted by name.\npub static BUILTIN: &[(&str, &str)] = &[\n");
    for name in &files {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("catalog.rs");
    if let Err(e) = fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
