//! The ways people start dfd-threats without reading its README: the pre-commit hooks, the GitHub
//! Action, shell completions and the man page. The YAML files must parse and every command they
//! hold must run with flags the binary really has.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin_in(dir: &Path, args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .current_dir(dir)
        .env("DFD_THREATS_TODAY", "2026-11-26")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The YAML file as JSON, read by PyYAML when python3 has it; `None` when it does not.
fn yaml_as_json(path: &Path) -> Option<serde_json::Value> {
    let script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
    let o = Command::new("python3").args(["-c", script]).arg(path).output().ok()?;
    if !o.status.success() && String::from_utf8_lossy(&o.stderr).contains("No module named") {
        return None;
    }
    assert!(o.status.success(), "{} does not parse: {}", path.display(), stderr(&o));
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

/// Without PyYAML, a light check: no tabs, and every key the test reads is there.
fn light_check(path: &Path, keys: &[&str]) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains('\t'), "{}: YAML forbids tabs for indentation", path.display());
    for key in keys {
        assert!(text.contains(&format!("{key}:")), "{}: no `{key}:`", path.display());
    }
}

/// A command line as the YAML writes it, run in `dir`: words split on spaces, quotes dropped,
/// shell variables replaced by what CI would give them.
fn run_line(dir: &Path, line: &str, vars: &[(&str, &str)]) -> Output {
    let mut line = line.to_string();
    for (name, value) in vars {
        line = line.replace(name, value);
    }
    let words: Vec<String> =
        line.split_whitespace().map(|w| w.trim_matches('"').to_string()).collect();
    assert_eq!(words[0], "dfd-threats", "{line}");
    bin_in(dir, &words[1..])
}

/// A scratch copy of the examples, so hooks that write or check outputs touch nothing here.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("diagrams")).unwrap();
    for entry in std::fs::read_dir(root().join("diagrams")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join("diagrams").join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn pre_commit_hooks_parse_and_run_with_real_flags() {
    let path = root().join(".pre-commit-hooks.yaml");
    let hooks: Vec<(String, bool, Vec<String>)> = match yaml_as_json(&path) {
        Some(json) => json
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                assert_eq!(h["language"], "rust", "pre-commit builds the hook with cargo");
                let args = h["args"].as_array().map_or_else(Vec::new, |a| {
                    a.iter().map(|v| v.as_str().unwrap().to_string()).collect()
                });
                (h["entry"].as_str().unwrap().to_string(), h["pass_filenames"] != false, args)
            })
            .collect(),
        None => {
            light_check(&path, &["id", "entry", "language", "files"]);
            let text = std::fs::read_to_string(&path).unwrap();
            text.lines()
                .filter_map(|l| l.trim().strip_prefix("entry: "))
                .map(|e| (e.to_string(), !e.contains("--out-dir"), vec!["diagrams".to_string()]))
                .collect()
        }
    };
    assert!(hooks.len() >= 2);
    let dir = scratch();
    for (entry, pass_filenames, args) in hooks {
        let mut line = format!("{entry} {}", args.join(" "));
        if pass_filenames {
            // pre-commit passes every changed file at once.
            line.push_str(" diagrams/three-tier-web.dot diagrams/serverless-orders.drawio");
        }
        let o = run_line(dir.path(), &line, &[]);
        // 0 or 1 (a gate or a stale docs build); 2 would be a usage error.
        assert!(matches!(o.status.code(), Some(0 | 1)), "{line}: {}", stderr(&o));
        assert!(!stderr(&o).contains("error:"), "{line}: {}", stderr(&o));
    }
}

#[test]
fn the_github_action_parses_installs_with_cargo_and_runs_with_real_flags() {
    let path = root().join("action.yml");
    let scripts: Vec<String> = match yaml_as_json(&path) {
        Some(json) => {
            assert_eq!(json["runs"]["using"], "composite");
            assert!(json["inputs"]["diagrams"]["required"] == true);
            let steps = json["runs"]["steps"].as_array().unwrap();
            assert!(steps.iter().any(|s| s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))));
            steps.iter().filter_map(|s| s["run"].as_str().map(String::from)).collect()
        }
        None => {
            light_check(&path, &["runs", "using", "steps", "inputs"]);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains("uses: github/codeql-action/upload-sarif@"));
            vec![text]
        }
    };
    let all = scripts.join("\n");
    assert!(all.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""), "{all}");
    assert!(!all.contains("${{"), "inputs reach scripts through env, never pasted: {all}");
    let dir = scratch();
    let out = dir.path().join("sarif");
    let commands: Vec<&str> =
        all.lines().map(str::trim).filter(|l| l.starts_with("dfd-threats ")).collect();
    assert_eq!(commands.len(), 2, "{all}");
    let vars = [
        ("\"${diagrams[@]}\"", "diagrams"),
        ("$SARIF_DIR", out.to_str().unwrap()),
        ("$GITHUB_WORKSPACE", dir.path().to_str().unwrap()),
        ("$FAIL_ON", "critical"),
    ];
    for line in commands {
        let o = run_line(dir.path(), line, &vars);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{line}: {}", stderr(&o));
        assert!(!stderr(&o).contains("error:"), "{line}: {}", stderr(&o));
    }
    let sarif = std::fs::read_to_string(out.join("three-tier-web.dot.sarif")).unwrap();
    assert!(sarif.contains("\"uri\": \"diagrams/three-tier-web.dot\""), "paths from the workspace");
}

#[test]
fn several_text_reports_go_to_standard_output_one_after_another() {
    let args: Vec<String> =
        ["analyze", "diagrams/three-tier-web.dot", "diagrams/serverless-orders.dot"]
            .map(String::from)
            .to_vec();
    let o = bin_in(&root(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().filter(|l| l.starts_with("Diagram ")).count(), 2, "{text}");
}

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = bin_in(&root(), &["completions".into(), shell.into()]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = String::from_utf8(o.stdout).unwrap();
        for word in ["analyze", "catalog", "sarif-include-closed", "source-root"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let o = bin_in(&root(), &["completions".into(), "tcsh".into()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_man_page_renders_with_its_subcommands() {
    let o = bin_in(&root(), &["man".into()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let roff = String::from_utf8(o.stdout).unwrap();
    assert!(roff.contains(".TH dfd-threats 1"), "{roff}");
    assert!(roff.contains(".SH SUBCOMMANDS"), "{roff}");
    for sub in ["analyze", "catalog", "completions", "man"] {
        assert!(roff.contains(&format!("dfd\\-threats\\-{sub}(1)")), "{sub} missing: {roff}");
    }
    let o = bin_in(&root(), &["man".into(), "analyze".into()]);
    let roff = String::from_utf8(o.stdout).unwrap();
    assert!(roff.contains(".TH dfd-threats-analyze 1"), "{roff}");
    assert!(roff.contains("\\-\\-source\\-root") && roff.contains("\\-\\-fail\\-on"), "{roff}");
    let o = bin_in(&root(), &["man".into(), "nothing".into()]);
    assert_eq!(o.status.code(), Some(2));
}
