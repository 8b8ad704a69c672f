//! The second adversarial review (issue 15), output side: through the binary, on inputs
//! generated here and sized to run fast. Each test asserts sizes, bytes and exit codes, never
//! wall-clock time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dfd-threats"));
    command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    command
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A long graph name, long ids, 30 nested zones with 1,500-character labels and 150 flows from
/// outside into the innermost zone: every name is one the writers used to repeat per threat or
/// per crossing.
fn amplifying_dot() -> String {
    let mut dot = format!("digraph \"{}\" {{\n", "G".repeat(60_000));
    let outside = format!("outside_{}", "o".repeat(2_000));
    dot.push_str(&format!("  {outside} [shape=box, label=\"{}\"];\n", "O".repeat(3_000)));
    for depth in 0..30 {
        let label = char::from(b'A' + (depth % 26) as u8).to_string().repeat(1_500);
        dot.push_str(&format!("subgraph cluster_{depth} {{ label=\"{label}\";\n"));
    }
    dot.push_str(&format!("  inner [shape=cylinder, label=\"{}\"];\n", "I".repeat(3_000)));
    dot.push_str(&"}\n".repeat(30));
    for i in 0..150 {
        dot.push_str(&format!("  {outside} -> inner [label=\"f{i}\"];\n"));
    }
    dot.push_str("}\n");
    dot
}

#[test]
fn every_writer_stays_within_a_constant_factor_of_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = amplifying_dot();
    let path = write(dir.path(), "amplify.dot", &input);
    // Measured: the largest writer (JSON) gives about 5 times this input; before the caps the
    // writers gave 23 (text) to 100 (GitHub issues) times, growing with depth times flows.
    const FACTOR: usize = 6;
    const CONSTANT: usize = 256 * 1024;
    for format in [
        "text",
        "json",
        "sarif",
        "markdown",
        "jira-csv",
        "github-issues",
        "svg",
        "otm",
        "threat-dragon",
    ] {
        let out = dir.path().join(format!("out.{format}"));
        let o = run(&[
            "analyze",
            &path,
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
            "--max-label-chars",
            "100000",
        ]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        let size = std::fs::metadata(&out).unwrap().len() as usize;
        assert!(
            size <= FACTOR * input.len() + CONSTANT,
            "{format}: {size} bytes of output for {} bytes of input",
            input.len()
        );
    }
}

#[test]
fn thousands_of_ids_with_one_long_prefix_get_unique_svg_ids() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = "p".repeat(64);
    let mut dot = String::from("digraph G {\n");
    for i in 0..3_000 {
        dot.push_str(&format!("  \"{prefix}{i}\";\n"));
    }
    dot.push_str("}\n");
    let path = write(dir.path(), "ids.dot", &dot);
    let o = run(&["analyze", &path, "--format", "svg"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = String::from_utf8(o.stdout).unwrap();
    let ids: std::collections::HashSet<&str> =
        svg.split("id=\"el-").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert_eq!(ids.len(), 3_000);
}

/// Labels that try to become a link, an image and spreadsheet formulas once an ESC before `[`,
/// `!`, `=` or `@` is taken for an escape sequence.
const HOSTILE_DOT: &str = "digraph G {\n  user [shape=box, label=\"\u{1b}[click](javascript:alert(1)) \u{1b}![x](https://evil.example/t.png)\"];\n  web [label=\"\u{1b}=HYPERLINK(1)\"];\n  db [shape=cylinder, label=\"\u{1b}@SUM(1)\"];\n  user -> web [label=\"\u{1b}+1\"];\n  web -> db [label=\"\u{1b}-1\"];\n}\n";

#[test]
fn machine_formats_on_stdout_are_the_bytes_written_with_o() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.dot", HOSTILE_DOT);
    for format in
        ["markdown", "jira-csv", "json", "sarif", "github-issues", "svg", "otm", "threat-dragon"]
    {
        let file = dir.path().join(format!("out.{format}"));
        let to_file = run(&["analyze", &path, "--format", format, "-o", file.to_str().unwrap()]);
        assert_eq!(to_file.status.code(), Some(0), "{}", stderr(&to_file));
        let on_stdout = bin()
            .args(["analyze", &path, "--format", format])
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap();
        assert_eq!(on_stdout.stdout, std::fs::read(&file).unwrap(), "{format}");
        assert!(!on_stdout.stdout.contains(&0x1b), "{format}: an ESC byte reached the output");
    }
    let markdown = run(&["analyze", &path, "--format", "markdown"]).stdout;
    let markdown = String::from_utf8(markdown).unwrap();
    // `\](` is literal text in Markdown; only an unescaped `](` can close a link.
    let link = markdown.match_indices("](javascript:").any(|(i, _)| !markdown[..i].ends_with('\\'));
    assert!(!link, "{markdown}");
    assert!(!markdown.contains("![x]"), "{markdown}");
    let csv = String::from_utf8(run(&["analyze", &path, "--format", "jira-csv"]).stdout).unwrap();
    for cell in csv.split("\",\"") {
        let cell = cell.trim_start_matches('"');
        assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell: {cell}");
    }
}

#[test]
fn names_reach_terminals_and_ci_logs_on_one_line_without_escape_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let dot = "digraph \"g\n::error file=x::pwned\" {\n  \"n\n::warning ::id\" [label=\"\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{1b}]8;;https://evil.example\u{7}x\", kind=external];\n  subgraph \"cluster_\n::error ::zone\" { label=\"z\u{1b}[2J\"; inner; }\n  \"n\n::warning ::id\" -> inner [label=\"\u{9b}2J\"];\n  inner -> ghost [label=\"\n::error ::flow\"];\n}\n";
    let path = write(dir.path(), "inject.dot", dot);
    let o = bin()
        .args(["analyze", &path, "--format", "text", "--fail-on", "low"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        for line in text.lines() {
            let plain = strip_sgr(line);
            assert!(!plain.starts_with("::"), "{stream}: {line:?}");
            assert!(!plain.contains('\u{1b}') && !plain.contains('\u{9b}'), "{stream}: {line:?}");
        }
    }
}

/// `line` without our own colour codes (`ESC [ digits ; m`); any other ESC is left in.
fn strip_sgr(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let body: String = after.strip_prefix('[').map_or(String::new(), |a| {
            a.chars().take_while(|c| c.is_ascii_digit() || *c == ';').collect()
        });
        if after.starts_with('[') && after[1 + body.len()..].starts_with('m') {
            rest = &after[2 + body.len()..];
        } else {
            out.push('\u{1b}');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

const SECRET: &str = "npm_SECRETTOKEN1234";

#[cfg(unix)]
#[test]
fn a_linked_suppressions_file_beside_a_diagram_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let secret =
        write(dir.path(), "npmrc", &format!("//registry.npmjs.org/:_authToken={SECRET}\n"));
    let diagrams = dir.path().join("diagrams");
    std::fs::create_dir(&diagrams).unwrap();
    std::os::unix::fs::symlink(&secret, diagrams.join("dfd-threats.toml")).unwrap();
    let path = write(&diagrams, "a.dot", "digraph G { a -> b }\n");
    let o = run(&["analyze", &path, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert!(!stderr(&o).contains(SECRET));
}

#[test]
fn files_that_are_not_ours_are_never_echoed_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let secret = write(
        dir.path(),
        "environ",
        &format!("HOME=/root\u{0}TOKEN={SECRET}\u{0}\ntoken = \"{SECRET}\"\n"),
    );
    let path = write(dir.path(), "a.dot", "digraph G { a -> b }\n");
    for flag in ["--suppressions", "--baseline"] {
        let o = run(&["analyze", &path, "--format", "json", flag, &secret]);
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", stderr(&o));
        assert!(!stderr(&o).contains(SECRET), "{flag}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("environ:"),
            "{flag}: the message names the file: {}",
            stderr(&o)
        );
    }
    // A real suppressions file with a mistake still shows its line.
    let toml = write(
        dir.path(),
        "s.toml",
        "[[suppression]]\nid = \"T-1\"\nstatus = \"maybe\"\njustification = \"x\"\n",
    );
    let o = run(&["analyze", &path, "--format", "json", "--suppressions", &toml]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("[[suppression]]") || stderr(&o).contains("status"),
        "{}",
        stderr(&o)
    );
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "the panic hook exists in debug builds only")]
fn a_panic_in_one_input_does_not_sink_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.dot", "digraph G { a -> b }\n");
    let bad = write(dir.path(), "bad.dot", "digraph G { c -> d }\n");
    let out = dir.path().join("out");
    let o = bin()
        .args(["analyze", &good, &bad, "--format", "json", "--out-dir", out.to_str().unwrap()])
        .env("DFD_THREATS_TEST_PANIC", "bad.dot")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("bad.dot: internal error"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.join("good.dot.json").is_file());
    assert!(!out.join("bad.dot.json").exists());
}

fn page(name: &str) -> String {
    format!(
        "<diagram name=\"{name}\"><mxGraphModel><root><mxCell id=\"0\"/><mxCell id=\"1\" parent=\"0\"/>\
         <mxCell id=\"a\" value=\"Web\" vertex=\"1\" parent=\"1\"><mxGeometry x=\"0\" y=\"0\" width=\"80\" height=\"40\" as=\"geometry\"/></mxCell>\
         </root></mxGraphModel></diagram>"
    )
}

#[test]
fn page_names_never_collide_or_overflow_as_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let file =
        format!("<mxfile>{}{}{}</mxfile>", page("Prod"), page("prod"), page(&"L".repeat(400)));
    let path = write(dir.path(), "pages.drawio", &file);
    let out = dir.path().join("out");
    let o =
        run(&["analyze", &path, "--format", "svg,markdown", "--out-dir", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let svgs: Vec<&String> = names.iter().filter(|n| n.ends_with(".svg")).collect();
    assert_eq!(svgs.len(), 3, "{names:?}");
    let lower: std::collections::HashSet<String> = svgs.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lower.len(), 3, "{names:?}");
    assert!(svgs.iter().all(|n| n.len() < 100), "{names:?}");
    let markdown = std::fs::read_to_string(out.join("pages.drawio.md")).unwrap();
    for svg in svgs {
        assert!(markdown.contains(svg.as_str()), "the report links {svg}");
    }
}

#[test]
fn repeated_warnings_are_summed_up_on_the_terminal_and_kept_whole_in_json() {
    let mut cells = String::new();
    for i in 0..12 {
        cells.push_str(&format!(
            r#"<mxCell id="e{i}" edge="1" parent="1" style="endArrow=classic;"><mxGeometry relative="1" as="geometry"><mxPoint x="{i}" y="0" as="sourcePoint"/><mxPoint x="{i}" y="50" as="targetPoint"/></mxGeometry></mxCell>"#
        ));
    }
    let page = format!(
        r#"<mxfile><diagram name="P" id="p"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="a" value="Customer" style="shape=umlActor;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="30" height="60" as="geometry"/></mxCell><mxCell id="b" value="Web app" style="ellipse;" vertex="1" parent="1"><mxGeometry x="200" y="0" width="80" height="80" as="geometry"/></mxCell><mxCell id="f" edge="1" parent="1" source="a" target="b" value="login" style="endArrow=classic;"><mxGeometry relative="1" as="geometry"/></mxCell>{cells}</root></mxGraphModel></diagram></mxfile>"#
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dangling.drawio");
    std::fs::write(&path, page).unwrap();
    let path = path.to_str().unwrap();
    let text =
        Command::new(env!("CARGO_BIN_EXE_dfd-threats")).args(["analyze", path]).output().unwrap();
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert_eq!(stderr.matches("is not connected at both ends").count(), 3, "{stderr}");
    assert!(stderr.contains("9 more warnings with this advice"), "{stderr}");
    let json = Command::new(env!("CARGO_BIN_EXE_dfd-threats"))
        .args(["analyze", path, "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let dangling = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w.to_string().contains("is not connected at both ends"))
        .count();
    assert_eq!(dangling, 12);
}
