//! The clock both front doors stamp writes with. Domain code never reads it: `now` is passed
//! down as a string, so tests and the store stay deterministic.

/// The current time as the store wants it: RFC 3339 in UTC, to the second.
///
/// `DOSSIER_NOW` pins it, for reproducible tests and demos.
pub fn now() -> String {
    if let Ok(fixed) = std::env::var("DOSSIER_NOW")
        && !fixed.trim().is_empty()
    {
        return fixed;
    }
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(format)
        .expect("a UTC time always formats")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_clock_is_rfc3339_utc_to_the_second() {
        let now = super::now();
        if std::env::var_os("DOSSIER_NOW").is_none() {
            assert_eq!(now.len(), 20, "{now}");
            assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
        }
    }
}
