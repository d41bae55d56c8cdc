#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Builds a large open-core workspace out of real crates, for the benchmark
(bench/run) and the real-workspace test (tests/e2e/real_workspace.rs).

The crates are the ones pinned by bench/corpus/Cargo.lock, vendored once into
a cache folder under the target directory. The output is a Cargo workspace
with one member per crate name, a corefence.toml with a community and an
enterprise edition, a few crates that nothing else depends on assigned to
enterprise, and every Cargo.toml and .rs file carrying its edition's license,
so that `corefence check` has nothing to report on it.

    bench/corpus.py [--crates N] [--max-crate-kb KB] [--dense] [--out DIR]

--crates N takes a deterministic subset of N crates (the enterprise crates
always among them), spread over the whole sorted list so that a subset has the
same mix of small and large crates as the full set. --max-crate-kb leaves out
crates with more Rust than that (for a fast test). --dense makes the
workspace look like a real open-core repository, where nearly every crate
names the enterprise feature: each community crate gets an `enterprise`
Cargo feature (mapped to the enterprise edition) and a module gated by it in
its `src/lib.rs`, so that the pre-filter can skip none of them; the
workspace still has no finding. The folder the workspace was written to is
printed on stdout.
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCK_PACKAGE = REPO / "bench" / "corpus"

COMMUNITY = "AGPL-3.0-only"
ENTERPRISE = "LicenseRef-Acme-Enterprise"

# Crates assigned to enterprise, with one public item each (the test plants
# `use` lines for them: keep tests/e2e/real_workspace.rs in step). They must
# be reverse-dependency leaves of the set (no other crate depends on them in
# any table): otherwise the corpus itself would contain real community ->
# enterprise dependencies. The script checks this and stops if a new lock
# breaks it.
ENTERPRISE_CRATES = {
    "aws-sdk-s3": "Client",
    "generic-array": "GenericArray",
    "sct": "verify_sct",
    "tonic": "Status",
}

# Upstream license tags are reworded rather than deleted, so that the
# generated header is the file's only license while every comment (a `/*`
# opening on the tag's line, say) keeps its shape.
UPSTREAM_TAG = ("SPDX-License-Identifier:", "License (upstream):")

# Files that rustc never parses either, left out so that the workspace has no
# finding at all. The path is relative to the crate folder.
NOT_RUST = {
    # A compile-fail fixture of the crate's UI tests.
    ("pin-project", "tests/ui/pinned_drop/invalid-self.rs"),
    # Dead code: its `mod` declaration is commented out and it does not parse.
    ("exr", "src/image/channel_groups.rs"),
}

# Crates left out of the set, with the reason.
LEFT_OUT = {
    # Valid Rust 2015 (`type Action = Fn(&siginfo_t) + Send + Sync;`, a bare
    # trait object) that syn does not parse, so corefence warns parse/syntax.
    "signal-hook-registry",
}


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")).resolve()


def vendor(cache: Path) -> Path:
    """Vendors the pinned crates into `cache`, unless a vendoring of the same
    Cargo.lock is already there (network and ~250 MB of writes are the slow
    part, and the sources never change for a given lock)."""
    lock = (LOCK_PACKAGE / "Cargo.lock").read_bytes()
    stamp = hashlib.sha256(lock).hexdigest()
    stamp_file = cache / ".lock-sha256"
    if stamp_file.is_file() and stamp_file.read_text().strip() == stamp:
        return cache
    tmp = cache.with_name(cache.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    print(f"vendoring bench/corpus/Cargo.lock into {cache}", file=sys.stderr)
    done = subprocess.run(
        ["cargo", "vendor", "--versioned-dirs", "--locked", "--manifest-path", str(LOCK_PACKAGE / "Cargo.toml"), str(tmp)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        # cargo lists every crate it copies; only a failure's output matters.
        sys.stderr.write(done.stderr)
        raise SystemExit("cargo vendor failed")
    # Written last and renamed into place: an interrupted run leaves no cache
    # that looks complete.
    (tmp / ".lock-sha256").write_text(stamp + "\n")
    tmp.rename(cache)
    return cache


def version_key(version: str):
    """Semver order, enough for crates.io versions: a pre-release sorts
    before its release."""
    core, _, pre = version.partition("+")[0].partition("-")
    return tuple(int(p) for p in core.split(".")), pre == "", pre


def dependency_names(manifest: dict) -> set:
    """Package names this manifest depends on, in every dependency table
    (normal, dev, build, and their target-specific forms), renames resolved."""
    tables = []
    for kind in ("dependencies", "dev-dependencies", "build-dependencies"):
        tables.append(manifest.get(kind, {}))
        for target in manifest.get("target", {}).values():
            tables.append(target.get(kind, {}))
    names = set()
    for table in tables:
        for key, spec in table.items():
            names.add(spec.get("package", key) if isinstance(spec, dict) else key)
    return names


def load_crates(vendor_dir: Path) -> dict:
    """The newest vendored version of each crate name: a workspace cannot have
    two members with the same name."""
    crates = {}
    for d in sorted(vendor_dir.iterdir()):
        manifest_path = d / "Cargo.toml"
        if not manifest_path.is_file():
            continue
        manifest = tomllib.loads(manifest_path.read_text())
        package = manifest["package"]
        name, version = package["name"], package["version"]
        if name in LEFT_OUT:
            continue
        if name not in crates or version_key(version) > version_key(crates[name]["version"]):
            crates[name] = {"dir": d, "version": version, "deps": dependency_names(manifest)}
    return crates


def rs_bytes(d: Path) -> int:
    return sum(p.stat().st_size for p in d.rglob("*.rs") if p.is_file() and not p.is_symlink())


def pick(crates: dict, count, max_kb=None) -> list:
    names = sorted(crates)
    if max_kb is not None:
        # For a test in debug mode: leave out the few huge crates (generated
        # bindings, SDKs) that would dominate its run time.
        names = [n for n in names if rs_bytes(crates[n]["dir"]) <= max_kb * 1000]
        crates = {n: crates[n] for n in names}
    if count is None or count >= len(names):
        return names
    enterprise = {n for n in names if n in ENTERPRISE_CRATES}
    others = [n for n in names if n not in enterprise]
    wanted = max(count - len(enterprise), 0)
    # Evenly spaced over the sorted names: deterministic, and a fair sample
    # of crate sizes rather than the alphabetically first ones.
    chosen = {others[i * len(others) // wanted] for i in range(wanted)} if wanted else set()
    return sorted(chosen | enterprise)


def set_license(manifest: str, license_id: str) -> str:
    """Replaces the `license` / `license-file` keys of [package] (cargo's
    normalised manifests write one key per line) with the edition's license."""
    head, sep, rest = manifest.partition("\n[package]\n")
    if not sep:
        raise SystemExit("no [package] table in a vendored manifest")
    end = re.search(r"^\[", rest, re.MULTILINE)
    package, tail = (rest[: end.start()], rest[end.start() :]) if end else (rest, "")
    package = re.sub(r'^license(-file)?\s*=\s*"[^"\n]*"\n', "", package, flags=re.MULTILINE)
    return f'{head}{sep}license = "{license_id}"\n{package}{tail}'


def add_header(text: str, license_id: str) -> str:
    text = text.replace(*UPSTREAM_TAG)
    # A blank line after the tag: the form `hawkeye format` writes, so that
    # the benchmark's hawkeye run finds the tree as clean as corefence does.
    header = f"// SPDX-License-Identifier: {license_id}\n\n"
    bom = ""
    if text.startswith("\ufeff"):
        bom, text = "\ufeff", text[1:]
    prefix = ""
    # A shebang stays the first line; `#![..]` (also `#! [..]`) is an inner
    # attribute, not a shebang.
    if text.startswith("#!") and not text[2:].lstrip().startswith("["):
        first, _, text = text.partition("\n")
        prefix = first + "\n"
    # A cargo-script frontmatter block must come right after the shebang.
    frontmatter = re.match(r"---[^\n]*\n(?:.*?\n)?---[ \t]*(?:\n|$)", text, re.DOTALL)
    if frontmatter:
        prefix += frontmatter.group(0) if frontmatter.group(0).endswith("\n") else frontmatter.group(0) + "\n"
        text = text[frontmatter.end() :]
    # Leading blank lines would sit between the header and the code, which
    # hawkeye reads as a non-canonical header.
    text = re.sub(r"\A(?:[ \t]*\r?\n)+", "", text)
    return f"{bom}{prefix}{header}{text}"


def write_crate(src: Path, dst: Path, license_id: str) -> int:
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns(".cargo-checksum.json", "Cargo.toml.orig"))
    for crate, rel in NOT_RUST:
        if dst.name == crate:
            (dst / rel).unlink()
    manifest = dst / "Cargo.toml"
    manifest.write_text(set_license(manifest.read_text(), license_id))
    files = 0
    for path in dst.rglob("*.rs"):
        if path.is_symlink() or not path.is_file():
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Not source corefence can check; it would report it, rightly.
            path.unlink()
            continue
        path.write_bytes(add_header(text, license_id).encode("utf-8"))
        files += 1
    return files


# The module --dense adds to a community crate's lib.rs: enterprise code,
# gated by the mapped feature, as open-core crates carry it.
DENSE_MODULE = """
#[cfg(feature = "enterprise")]
#[allow(dead_code)]
mod enterprise_edition {
    pub(crate) fn audit(event: &str) -> usize {
        event.len()
    }
}
"""


def make_dense(crate: Path) -> bool:
    """Adds the `enterprise` feature and a module gated by it; False when
    the crate has no `src/lib.rs` or already has such a feature."""
    lib, manifest = crate / "src" / "lib.rs", crate / "Cargo.toml"
    text = manifest.read_text()
    features = tomllib.loads(text).get("features", {})
    if not lib.is_file() or "enterprise" in features:
        return False
    if "features" in tomllib.loads(text):
        text = re.sub(r"(?m)^\[features\][ \t]*$", "[features]\nenterprise = []", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n[features]\nenterprise = []\n"
    if "enterprise" not in tomllib.loads(text).get("features", {}):
        return False
    manifest.write_text(text)
    with lib.open("a", encoding="utf-8") as f:
        f.write(DENSE_MODULE)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crates", type=int, help="take a deterministic subset of N crates")
    parser.add_argument("--max-crate-kb", type=int, help="leave out crates with more than this many KB of .rs files")
    parser.add_argument("--dense", action="store_true", help="every community crate names the enterprise feature")
    parser.add_argument("--out", type=Path, help="output folder (replaced)")
    args = parser.parse_args()

    bench_dir = target_dir() / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    default = (
        f"corpus-{args.crates or 'full'}"
        + (f"-max{args.max_crate_kb}kb" if args.max_crate_kb else "")
        + ("-dense" if args.dense else "")
    )
    out = (args.out or bench_dir / default).resolve()

    # A workspace generated from the same lock, by the same script, with the
    # same options is reused as it is.
    stamp = hashlib.sha256(
        (LOCK_PACKAGE / "Cargo.lock").read_bytes() + Path(__file__).read_bytes() + repr((args.crates, args.max_crate_kb, args.dense)).encode()
    ).hexdigest()
    if (out / ".corpus-stamp").is_file() and (out / ".corpus-stamp").read_text().strip() == stamp:
        print(out)
        return

    crates = load_crates(vendor(bench_dir / "vendor"))

    depended_on = set().union(*(c["deps"] - {name} for name, c in crates.items()))
    for name in ENTERPRISE_CRATES:
        if name not in crates:
            raise SystemExit(f"enterprise crate `{name}` is not in bench/corpus/Cargo.lock")
        if name in depended_on:
            users = sorted(n for n, c in crates.items() if name in c["deps"] and n != name)
            raise SystemExit(f"enterprise crate `{name}` is not a leaf: {', '.join(users)} depend on it")

    names = pick(crates, args.crates, args.max_crate_kb)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "crates").mkdir(parents=True)

    files = 0
    for name in names:
        license_id = ENTERPRISE if name in ENTERPRISE_CRATES else COMMUNITY
        files += write_crate(crates[name]["dir"], tmp / "crates" / name, license_id)
    dense = sum(make_dense(tmp / "crates" / n) for n in names if n not in ENTERPRISE_CRATES) if args.dense else 0

    members = "".join(f'    "crates/{n}",\n' for n in names)
    (tmp / "Cargo.toml").write_text(
        "# Generated by bench/corpus.py: real crates.io crates as an open-core workspace.\n"
        f'[workspace]\nresolver = "2"\nmembers = [\n{members}]\n'
    )
    # Only the enterprise crates present: a name matching no crate would be
    # a config/unmatched warning.
    enterprise = ", ".join(f'"{n}"' for n in names if n in ENTERPRISE_CRATES)
    (tmp / "corefence.toml").write_text(
        "# Generated by bench/corpus.py.\n"
        'default = "community"\n\n'
        f'[editions.community]\nlicense = "{COMMUNITY}"\n\n'
        f'[editions.enterprise]\nlicense = "{ENTERPRISE}"\nuses = ["community"]\n'
        + ('features = ["enterprise"]\n' if args.dense else "")
        + "\n"
        f'[[assign]]\ncrates = [{enterprise}]\nedition = "enterprise"\n\n'
        '[headers]\ninclude = ["**/*.rs"]\n'
    )
    (tmp / ".corpus-stamp").write_text(stamp + "\n")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    gated = f", {dense} naming the enterprise feature" if args.dense else ""
    print(f"{out}: {len(names)} crates, {files} .rs files{gated}", file=sys.stderr)
    print(out)


if __name__ == "__main__":
    main()
