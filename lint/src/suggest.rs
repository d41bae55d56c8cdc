//! "Did you mean" suggestions for misspelt names (config keys, editions, codes).

/// The candidate closest to `wanted`, if it is close enough to be a plausible typo.
///
/// Uses the Jaro-Winkler similarity (as cargo's and clap's suggestions do): it
/// favours a shared prefix, which is how most typos in keys look
/// (`licence` → `license`, `enterprize` → `enterprise`).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `; did you mean `x`?` or nothing, for appending to a message.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(wanted, candidates).map(|c| format!("did you mean `{c}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_rejects_strangers() {
        let keys = ["license", "uses", "features"];
        assert_eq!(closest("licence", keys), Some("license"));
        assert_eq!(closest("feature", keys), Some("features"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(did_you_mean("enterprize", ["community", "enterprise"]), "did you mean `enterprise`?");
    }
}
