//! Link settings of the `deter` binary that make its start-up cheaper.
//!
//! A small `deter solve` is over in well under a millisecond of computing, so how the process
//! starts matters (see docs/benchmarks.md, "Tiny games"). On Linux with glibc the binary is
//! linked
//!
//! - position-dependent (`-no-pie`): a position-independent executable makes the dynamic
//!   loader apply some twenty thousand relocations at every start;
//! - statically, when the C library's static archives are installed (`libc.a`, as Debian's
//!   `libc6-dev` ships them): no dynamic loader runs at all, so nothing opens, maps and
//!   relocates `libc`, `libm` and `libgcc_s` or looks up their symbols, which took a third of
//!   the instructions and a quarter of the page faults of a small solve. `deter` calls none of
//!   the glibc functions that need shared libraries at run time (user, group and host name
//!   look-ups; `dlopen`).
//!
//! Rust asks for the C libraries as shared ones (`-lc -lm -lgcc_s …`), and a build script can
//! only append linker arguments. So the script writes one small linker script per library,
//! named as the shared library (`libc.so`, `libgcc_s.so`, …) and naming the static archive,
//! into a directory it puts first on the binary's library path, and adds `-static`. Without the
//! archives, for another target or linker, or with `DETER_LINK_DYNAMIC=1` in the environment,
//! the binary is linked dynamically as before. The library and the tests are not affected.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DETER_LINK_DYNAMIC");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    println!("cargo:rustc-link-arg-bin=deter=-no-pie");
    if var("DETER_LINK_DYNAMIC").is_empty() && var("TARGET") == var("HOST") {
        let linker = std::env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".into());
        let out = PathBuf::from(var("OUT_DIR")).join("static-libs");
        if static_libs(&linker, &out).is_some() {
            println!("cargo:rustc-link-arg-bin=deter=-static");
            println!("cargo:rustc-link-arg-bin=deter=-L{}", out.display());
        }
    }
}

/// The shared libraries Rust's standard library links on `*-linux-gnu`, each with the static
/// archives that replace it.
const LIBS: &[(&str, &[&str])] = &[
    ("gcc_s", &["libgcc_eh.a"]),
    ("util", &["libutil.a"]),
    ("rt", &["librt.a"]),
    ("pthread", &["libpthread.a"]),
    ("m", &["libm.a"]),
    ("dl", &["libdl.a"]),
    ("c", &["libc.a", "libgcc_eh.a", "libgcc.a"]),
];

/// Writes the linker scripts into `dir`; `None` (and nothing used) when an archive is missing.
fn static_libs(linker: &str, dir: &Path) -> Option<()> {
    std::fs::create_dir_all(dir).ok()?;
    for (name, archives) in LIBS {
        let paths = archives
            .iter()
            .map(|a| archive(linker, a))
            .collect::<Option<Vec<_>>>()?;
        let script = format!("GROUP({})\n", paths.join(" "));
        std::fs::write(dir.join(format!("lib{name}.so")), script).ok()?;
    }
    Some(())
}

/// Where the C compiler driver finds a static archive (`cc -print-file-name`), if it does.
fn archive(linker: &str, file: &str) -> Option<String> {
    let out = Command::new(linker)
        .arg(format!("-print-file-name={file}"))
        .output()
        .ok()?;
    let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
    // The driver echoes the bare name when it finds nothing; paths with spaces or parentheses
    // cannot be written into a linker script.
    let usable = out.status.success()
        && Path::new(&path).is_absolute()
        && Path::new(&path).is_file()
        && !path.contains([' ', '(', ')']);
    usable.then_some(path)
}
