//! The cluster path under a real scheduler: scripts/slurm-e2e.sh runs docs/sweep.md's SLURM job
//! array on a one-node cluster on this machine and checks the merged output against a
//! single-process sweep, byte for byte.

use crate::util::repo;
use std::process::Command;

/// Runs scripts/slurm-e2e.sh when `DETER_E2E=1` (CI sets it) or SLURM is installed; otherwise
/// says why it is skipped. The script installs SLURM itself where it can (root and apt-get).
#[test]
fn slurm_job_array_merges_to_the_single_machine_sweep() {
    let asked = std::env::var("DETER_E2E").is_ok_and(|v| v == "1");
    let installed = Command::new("sh")
        .args(["-c", "command -v sbatch"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !asked && !installed {
        eprintln!(
            "SKIPPED slurm_job_array_merges_to_the_single_machine_sweep: SLURM is not installed; \
             set DETER_E2E=1 to let scripts/slurm-e2e.sh install it (needs root and apt-get)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(repo("scripts/slurm-e2e.sh"))
        .arg(dir.path())
        .env("DETER_BIN", env!("CARGO_BIN_EXE_deter"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if o.status.code() == Some(77) {
        eprintln!("SKIPPED slurm_job_array_merges_to_the_single_machine_sweep: {err}");
        return;
    }
    assert!(
        o.status.success(),
        "{err}\n{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(err.contains("slurm-e2e: PASS"), "{err}");
}
