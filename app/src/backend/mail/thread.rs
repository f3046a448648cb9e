//! Threading that cannot be spoofed: every notification's Reply-To carries a tag signed
//! with this installation's secret (`support+c1001-<hmac>@…`), so a reply names its case
//! in a way nobody outside can forge. Headers (In-Reply-To, References) are only a
//! fallback, and only for Message-IDs Caseboard itself sent.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::CaseNumber;

/// Hex digits of the HMAC kept in a tag: 80 bits, far beyond online guessing.
const TAG_HEX: usize = 20;

/// The installation's secret for reply tags (kept in the database, shared by instances).
#[derive(Clone)]
pub struct ReplyKey {
    secret: std::sync::Arc<Vec<u8>>,
}

impl std::fmt::Debug for ReplyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplyKey(…)")
    }
}

/// What the recipient addresses of an inbound message say about its case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagLookup {
    /// No address carries a case tag.
    Untagged,
    /// A correctly signed tag for this case.
    Case(CaseNumber),
    /// A tag that looks like one but is not signed by this installation.
    Forged,
}

impl ReplyKey {
    pub fn new(secret: Vec<u8>) -> ReplyKey {
        ReplyKey { secret: std::sync::Arc::new(secret) }
    }

    fn mac(&self, number: CaseNumber) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes a key of any length");
        mac.update(format!("caseboard reply tag for case {}", number.0).as_bytes());
        mac
    }

    /// The tag for a case: `c1001-<20 hex>`.
    pub fn tag(&self, number: CaseNumber) -> String {
        let digest = hex::encode(self.mac(number).finalize().into_bytes());
        format!("c{}-{}", number.0, &digest[..TAG_HEX])
    }

    /// The case a tag names, if this installation signed it (compared in constant time).
    pub fn verify(&self, tag: &str) -> Option<CaseNumber> {
        let (number, signature) = tag.strip_prefix('c')?.split_once('-')?;
        let number = CaseNumber(number.parse().ok()?);
        let signature = hex::decode(signature.to_ascii_lowercase()).ok()?;
        if signature.len() != TAG_HEX / 2 {
            return None;
        }
        self.mac(number).verify_truncated_left(&signature).ok()?;
        Some(number)
    }

    /// The reply address for a case: the support address with the tag after a `+`.
    pub fn reply_address(&self, support: &lettre::Address, number: CaseNumber) -> Option<lettre::Address> {
        lettre::Address::new(format!("{}+{}", support.user(), self.tag(number)), support.domain()).ok()
    }

    /// Looks for a case tag among the addresses a message was sent to. A tag that is present
    /// but not signed by us makes the whole message `Forged`, whatever else it says.
    pub fn find_case<'a>(&self, addresses: impl IntoIterator<Item = &'a str>) -> TagLookup {
        let mut found = TagLookup::Untagged;
        for address in addresses {
            let local = address.rsplit_once('@').map(|(local, _)| local).unwrap_or(address);
            let Some((_, tag)) = local.split_once('+') else { continue };
            if !looks_like_tag(tag) {
                continue;
            }
            match (self.verify(tag), &found) {
                (None, _) => return TagLookup::Forged,
                (Some(number), TagLookup::Case(other)) if *other != number => return TagLookup::Forged,
                (Some(number), _) => found = TagLookup::Case(number),
            }
        }
        found
    }
}

/// `c<digits>-<something>`: what a reply tag looks like before it is checked.
fn looks_like_tag(tag: &str) -> bool {
    tag.strip_prefix('c')
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(digits, _)| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ReplyKey {
        ReplyKey::new(b"test secret, 32 bytes or so long".to_vec())
    }

    #[test]
    fn a_signed_tag_names_its_case() {
        let tag = key().tag(CaseNumber(1001));
        assert!(tag.starts_with("c1001-"));
        assert_eq!(key().verify(&tag), Some(CaseNumber(1001)));
    }

    #[test]
    fn a_tag_moved_to_another_case_or_signed_with_another_secret_is_refused() {
        let tag = key().tag(CaseNumber(1001));
        let moved = tag.replacen("c1001", "c1002", 1);
        assert_eq!(key().verify(&moved), None);
        let other = ReplyKey::new(b"another installation".to_vec());
        assert_eq!(other.verify(&tag), None);
        assert_eq!(key().verify("c1001-"), None);
        assert_eq!(key().verify("c1001-zz"), None);
    }

    #[test]
    fn addresses_are_searched_for_tags() {
        let key = key();
        let good = format!("support+{}@caseboard.example", key.tag(CaseNumber(7)));
        assert_eq!(key.find_case(["support@caseboard.example", good.as_str()]), TagLookup::Case(CaseNumber(7)));
        assert_eq!(key.find_case(["support@caseboard.example", "alice+work@acme.example"]), TagLookup::Untagged);
        assert_eq!(key.find_case(["support+c7-0123456789abcdef0123@caseboard.example"]), TagLookup::Forged);
    }

    #[test]
    fn reply_address_keeps_the_support_domain() {
        let support: lettre::Address = "support@caseboard.example".parse().unwrap();
        let address = key().reply_address(&support, CaseNumber(1001)).unwrap();
        assert_eq!(address.domain(), "caseboard.example");
        assert!(address.user().starts_with("support+c1001-"));
    }
}
