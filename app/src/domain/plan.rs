//! Support plans an organization can be on. The SLA targets of each plan come with the
//! SLA engine; here only the stable preset ids the API and the store use.

/// The preset plans of domain.md §3, by their stable API ids.
pub const PRESET_PLAN_IDS: &[&str] = &[
    "elastic-cloud-limited",
    "elastic-cloud-basic",
    "elastic-cloud-enhanced",
    "elastic-cloud-premium",
    "elastic-sm-gold",
    "elastic-sm-platinum",
    "elastic-sm-enterprise",
    "elastic-sm-development",
    "coveo",
    "cloud-avenue-standard",
    "cloud-avenue-bronze",
    "cloud-avenue-silver",
    "cloud-avenue-gold",
];

pub fn is_preset_plan(id: &str) -> bool {
    PRESET_PLAN_IDS.contains(&id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_table_has_its_presets() {
        assert_eq!(PRESET_PLAN_IDS.len(), 13);
        assert!(is_preset_plan("elastic-cloud-premium"));
        assert!(is_preset_plan("coveo"));
        assert!(!is_preset_plan("platinum-plus"));
    }
}
