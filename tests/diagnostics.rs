//! Every invalid model in tests/models/invalid/ carries its expected diagnostics as
//! `# expect: LINE:COL: SEVERITY: MESSAGE` comments; `deter check` must produce exactly those.

use crate::util::repo;
use deter::diag::render_short;
use deter::model;

#[test]
fn invalid_models_report_located_messages() {
    let dir = repo("tests/models/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 18,
        "expected one invalid model per error class"
    );
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|l| format!("{name}:{l}"))
            .collect();
        assert!(!expected.is_empty(), "{name} has no `# expect:` line");
        let loaded = model::load(name.clone(), text);
        let got: Vec<String> = render_short(&loaded.source, &loaded.diags)
            .lines()
            .map(str::to_string)
            .collect();
        if got != expected {
            failures.push(format!(
                "{name}\n  expected:\n    {}\n  got:\n    {}",
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
        let has_error = loaded.diags.iter().any(|d| d.is_error());
        assert_eq!(
            loaded.template.is_none(),
            has_error,
            "{name}: template iff no errors"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shipped_models_are_clean() {
    for entry in std::fs::read_dir(repo("models")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let loaded = model::load(path.display().to_string(), text);
            assert!(
                loaded.diags.is_empty(),
                "{}",
                render_short(&loaded.source, &loaded.diags)
            );
        }
    }
}

#[test]
fn hostile_inputs_do_not_panic() {
    // Deeply nested formulas, huge numbers, binary junk, and a long chain of nodes.
    let mut chain = String::from("players = [\"A\"]\nroot = \"n0\"\n");
    for i in 0..5000 {
        chain.push_str(&format!(
            "[nodes.n{i}]\nplayer = \"A\"\nmoves = {{ go = \"n{}\", stop = \"s{i}\" }}\n[outcomes.s{i}]\npayoffs = {{ A = {i} }}\n",
            i + 1
        ));
    }
    chain.push_str("[outcomes.n5000]\npayoffs = { A = -1 }\n");
    let deep = format!(
        "players = [\"A\"]\nroot = \"r\"\n[nodes.r]\nplayer = \"A\"\nmoves = {{ x = \"o\" }}\n[outcomes.o]\npayoffs = {{ A = \"{}1{}\" }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    for text in [
        chain.as_str(),
        deep.as_str(),
        "\u{0}\u{1}\u{2}[[[",
        "players = 3\nroot = []\n[nodes]\nx = 1",
        "players = [\"A\"]\nroot = \"r\"\n[parameters]\nx = { value = 1e999 }",
        "",
    ] {
        let loaded = model::load("hostile.toml", text.to_string());
        let _ = render_short(&loaded.source, &loaded.diags);
    }
    let loaded = model::load("chain.toml", chain);
    let t = loaded.template.expect("the chain is a valid model");
    assert_eq!(t.tree.nodes.len(), 10_001);
}
