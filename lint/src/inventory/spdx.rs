//! An SPDX 2.3 JSON document of the workspace: every checked file with its
//! SHA-1 and the licenses its header declares, every crate as a package that
//! CONTAINS its files, and the text of every `LicenseRef-` used (from
//! `LICENSES/` when the repository keeps one).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::facts::{FileFacts, Inventory};
use crate::config::Config;

/// SPDX ids allow letters, digits, `.` and `-` only.
fn spdx_id(prefix: &str, name: &str) -> String {
    let clean: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    format!("SPDXRef-{prefix}-{clean}")
}

/// `YYYY-MM-DDThh:mm:ssZ`, from `SOURCE_DATE_EPOCH` when set (reproducible
/// builds), else now.
fn created() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or_else(|| {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    });
    timestamp(secs)
}

/// `YYYY-MM-DDThh:mm:ssZ` of seconds since the Unix epoch.
fn timestamp(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The text of every `LicenseRef-` used, as SPDX requires for each.
fn extracted_licenses(inv: &Inventory, used: &BTreeSet<String>) -> Vec<Value> {
    used.iter()
        .map(|id| {
            let text = std::fs::read_to_string(inv.root.join("LICENSES").join(format!("{id}.txt")))
                .unwrap_or_else(|_| format!("The text of {id} is not in this repository's LICENSES folder."));
            json!({ "licenseId": id, "extractedText": text, "name": id.trim_start_matches("LicenseRef-") })
        })
        .collect()
}

/// One file of the document.
fn file_entry(id: &str, f: &FileFacts, config: &Config) -> Value {
    let infos: Vec<String> =
        if f.license_ids.is_empty() { vec!["NOASSERTION".to_owned()] } else { f.license_ids.clone() };
    json!({
        "SPDXID": id,
        "fileName": format!("./{}", f.path),
        "checksums": [{ "algorithm": "SHA1", "checksumValue": f.sha1 }],
        "licenseConcluded": "NOASSERTION",
        "licenseInfoInFiles": infos,
        "copyrightText": copyright_text(&f.copyrights),
        "comment": format!("edition: {}", config.name(f.edition)),
    })
}

/// The copyright statements, one per line, or `NOASSERTION`.
fn copyright_text(copyrights: &[String]) -> String {
    if copyrights.is_empty() {
        "NOASSERTION".to_owned()
    } else {
        copyrights.join("\n")
    }
}

/// A crate's Cargo.toml as a file of the document: its `license` is what
/// it declares.
fn manifest_entry(id: &str, c: &super::facts::CrateFacts, config: &Config) -> (Value, Vec<String>) {
    let ids: Vec<String> = c
        .license
        .as_deref()
        .and_then(|l| crate::license::expr::LicenseExpr::parse(l).ok())
        .map(|e| crate::checks::license::text::ids(&e))
        .unwrap_or_default();
    let infos = if ids.is_empty() { vec!["NOASSERTION".to_owned()] } else { ids.clone() };
    let path = if c.dir.is_empty() { "Cargo.toml".to_owned() } else { format!("{}/Cargo.toml", c.dir) };
    let entry = json!({
        "SPDXID": id,
        "fileName": format!("./{path}"),
        "checksums": [{ "algorithm": "SHA1", "checksumValue": c.manifest_sha1 }],
        "licenseConcluded": "NOASSERTION",
        "licenseInfoInFiles": infos,
        "copyrightText": "NOASSERTION",
        "comment": format!("edition: {}; the crate's manifest", config.name(c.edition)),
    });
    (entry, ids)
}

/// The crates' manifests as files of their packages.
fn add_manifests(
    inv: &Inventory,
    config: &Config,
    files: &mut Vec<Value>,
    per_package: &mut BTreeMap<String, (Vec<String>, BTreeSet<String>)>,
    relationships: &mut Vec<Value>,
) {
    for (i, c) in inv.crates.iter().enumerate() {
        let id = format!("SPDXRef-Manifest-{i}");
        let (entry, ids) = manifest_entry(&id, c, config);
        files.push(entry);
        let package = spdx_id("Package", &c.name);
        let slot = per_package.entry(package.clone()).or_default();
        slot.0.push(c.manifest_sha1.clone());
        slot.1.extend(ids);
        relationships
            .push(json!({ "spdxElementId": package, "relationshipType": "CONTAINS", "relatedSpdxElement": id }));
    }
}

/// Writes the document.
pub fn write(out: &mut dyn Write, inv: &Inventory, config: &Config) -> io::Result<()> {
    let root_name = inv.root.file_name().map_or_else(|| "workspace".to_owned(), |n| n.to_string_lossy().into_owned());
    let mut files = Vec::new();
    let mut relationships = Vec::new();
    let mut used_refs = BTreeSet::new();
    // Files go to the crate whose folder is the longest prefix, else to a
    // package for the workspace itself.
    let owner = |path: &str| {
        inv.crates
            .iter()
            .filter(|c| c.dir.is_empty() || path.starts_with(&format!("{}/", c.dir)))
            .max_by_key(|c| c.dir.len())
            .map(|c| spdx_id("Package", &c.name))
    };
    let root_package = spdx_id("Package", &format!("{root_name}-workspace"));
    let mut per_package: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
    for (i, f) in inv.files.iter().enumerate() {
        let id = format!("SPDXRef-File-{i}");
        used_refs.extend(f.license_ids.iter().filter(|l| l.starts_with("LicenseRef-")).cloned());
        files.push(file_entry(&id, f, config));
        let package = owner(&f.path).unwrap_or_else(|| root_package.clone());
        let entry = per_package.entry(package.clone()).or_default();
        entry.0.push(f.sha1.clone());
        entry.1.extend(f.license_ids.iter().cloned());
        relationships
            .push(json!({ "spdxElementId": package, "relationshipType": "CONTAINS", "relatedSpdxElement": id }));
    }
    add_manifests(inv, config, &mut files, &mut per_package, &mut relationships);
    let mut packages = Vec::new();
    let describe = |id: &str| json!({ "spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": id });
    let mut describes = Vec::new();
    let crates = inv.crates.iter().map(|c| {
        let declared = c.license.as_deref().filter(|l| crate::license::expr::LicenseExpr::parse(l).is_ok());
        (
            spdx_id("Package", &c.name),
            c.name.clone(),
            declared.map(str::to_owned),
            Some(config.name(c.edition).to_owned()),
        )
    });
    let needs_root = per_package.contains_key(&root_package);
    let root_entry =
        needs_root.then(|| (root_package.clone(), format!("{root_name} (files outside any crate)"), None, None));
    for (id, name, declared, edition) in crates.chain(root_entry) {
        let (sums, infos) = per_package.remove(&id).unwrap_or_default();
        let mut package = json!({
            "SPDXID": id,
            "name": name,
            "downloadLocation": "NOASSERTION",
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": declared.clone().unwrap_or_else(|| "NOASSERTION".to_owned()),
            "copyrightText": "NOASSERTION",
            "filesAnalyzed": !sums.is_empty(),
        });
        if let Some(l) = &declared {
            if let Ok(expr) = crate::license::expr::LicenseExpr::parse(l) {
                used_refs.extend(
                    crate::checks::license::text::ids(&expr).into_iter().filter(|i| i.starts_with("LicenseRef-")),
                );
            }
        }
        let mut fields = package.as_object_mut().map(std::mem::take).unwrap_or_default();
        if let Some(edition) = edition {
            fields.insert("comment".to_owned(), Value::from(format!("edition: {edition}")));
        }
        if !sums.is_empty() {
            let mut sorted = sums;
            sorted.sort();
            let code = sha1_smol::Sha1::from(sorted.concat()).digest().to_string();
            fields.insert("packageVerificationCode".to_owned(), json!({ "packageVerificationCodeValue": code }));
            let infos: Vec<String> =
                if infos.is_empty() { vec!["NOASSERTION".to_owned()] } else { infos.into_iter().collect() };
            fields.insert("licenseInfoFromFiles".to_owned(), json!(infos));
        }
        package = Value::Object(fields);
        describes.push(describe(&id));
        packages.push(package);
    }
    let extracted = extracted_licenses(inv, &used_refs);
    let namespace_seed: String = inv.files.iter().map(|f| f.sha1.as_str()).collect();
    let doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": root_name,
        "documentNamespace": format!(
            "https://spdx.org/spdxdocs/corefence/{root_name}-{}",
            sha1_smol::Sha1::from(namespace_seed).digest()
        ),
        "creationInfo": { "created": created(), "creators": [format!("Tool: corefence-{}", env!("CARGO_PKG_VERSION"))] },
        "packages": packages,
        "files": files,
        "hasExtractedLicensingInfos": extracted,
        "relationships": describes.into_iter().chain(relationships).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_795_000_000), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn ids_are_spdx_safe() {
        assert_eq!(spdx_id("Package", "acme_ee/x"), "SPDXRef-Package-acme-ee-x");
    }
}
