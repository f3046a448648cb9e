//! The board's own rules: work-in-progress limits per column.

use serde::{Deserialize, Serialize};

use super::lifecycle::Status;

/// How many cases a column should hold at most; the board shows when one is exceeded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WipLimits(pub Vec<(Status, u32)>);

impl Default for WipLimits {
    /// Work in progress is capped where work happens: Confirmed and Assigned.
    fn default() -> Self {
        WipLimits(vec![(Status::Confirmed, 15), (Status::Assigned, 10)])
    }
}

impl WipLimits {
    pub fn limit(&self, status: Status) -> Option<u32> {
        self.0.iter().find(|(s, _)| *s == status).map(|(_, n)| *n)
    }

    /// `confirmed=8,assigned=5`; `off` (or nothing) for no limit.
    pub fn parse(text: &str) -> Result<WipLimits, String> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("off") {
            return Ok(WipLimits(Vec::new()));
        }
        let mut limits = Vec::new();
        for part in text.split(',') {
            let (status, n) = part.split_once('=').ok_or(format!("expected status=number, got {part:?}"))?;
            let status = Status::parse(status.trim()).ok_or(format!("unknown status {:?}", status.trim()))?;
            let n: u32 = n.trim().parse().ok().filter(|&n| n > 0).ok_or(format!("not a positive number: {n:?}"))?;
            limits.retain(|(s, _)| *s != status);
            limits.push((status, n));
        }
        Ok(WipLimits(limits))
    }

    /// Over the limit (strictly more cases than allowed).
    pub fn exceeded(&self, status: Status, count: usize) -> bool {
        self.limit(status).is_some_and(|n| count > n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_and_refuse_nonsense() {
        let limits = WipLimits::parse("confirmed=8, assigned = 5").unwrap();
        assert_eq!(limits.limit(Status::Confirmed), Some(8));
        assert_eq!(limits.limit(Status::New), None);
        assert!(limits.exceeded(Status::Assigned, 6));
        assert!(!limits.exceeded(Status::Assigned, 5));
        assert_eq!(WipLimits::parse("off").unwrap(), WipLimits(vec![]));
        assert!(WipLimits::parse("limbo=3").is_err());
        assert!(WipLimits::parse("new=0").is_err());
        assert!(WipLimits::parse("new").is_err());
    }
}
