//! Threading that cannot be spoofed: every notification's Reply-To carries a tag signed
//! with this installation's secret and bound to the case AND the one person the message was
//! sent to (`support+c1001-u42-<hmac>@…`, the HMAC over both numbers). A reply names its
//! case and the person the address was issued to in a way nobody outside can forge, and
//! `inbound` accepts it only when its sender is that person. Headers (In-Reply-To,
//! References) are only a fallback, and only for Message-IDs Caseboard itself sent to the
//! sender.
//!
//! Tags of the earlier scheme (`c1001-<hmac>`, signed over the case alone, so usable by
//! anyone who held one notification of the case) are recognised but never accepted: a reply
//! to one is refused like a forged tag, nothing changes, and the sender is asked to reply to
//! the latest notification (whose address is bound to them).

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

/// A verified reply tag: the case, and the one person (user id) the address was issued to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplyTag {
    pub case: CaseNumber,
    pub recipient: i64,
}

/// What the recipient addresses of an inbound message say about its case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagLookup {
    /// No address carries a case tag.
    Untagged,
    /// A correctly signed tag for this case and recipient.
    Reply(ReplyTag),
    /// A correctly signed tag of the earlier, case-only scheme: not bound to a person, so
    /// never accepted.
    Outdated(CaseNumber),
    /// A tag that looks like one but is not signed by this installation (or several tags
    /// that disagree).
    Forged,
}

impl ReplyKey {
    pub fn new(secret: Vec<u8>) -> ReplyKey {
        ReplyKey { secret: std::sync::Arc::new(secret) }
    }

    fn keyed(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes a key of any length")
    }

    /// The MAC of a tag: over the case and the recipient, both fixed-format integers.
    fn mac(&self, tag: ReplyTag) -> Hmac<Sha256> {
        let mut mac = self.keyed();
        mac.update(format!("caseboard reply tag v2: case {} recipient {}", tag.case.0, tag.recipient).as_bytes());
        mac
    }

    /// The MAC of the earlier, case-only tags (only to recognise them).
    fn outdated_mac(&self, number: CaseNumber) -> Hmac<Sha256> {
        let mut mac = self.keyed();
        mac.update(format!("caseboard reply tag for case {}", number.0).as_bytes());
        mac
    }

    /// The tag for one recipient of a case: `c1001-u42-<20 hex>`.
    pub fn tag(&self, number: CaseNumber, recipient: i64) -> String {
        let digest = hex::encode(self.mac(ReplyTag { case: number, recipient }).finalize().into_bytes());
        format!("c{}-u{}-{}", number.0, recipient, &digest[..TAG_HEX])
    }

    /// The case and recipient a tag names, if this installation signed it (compared in
    /// constant time).
    pub fn verify(&self, tag: &str) -> Option<ReplyTag> {
        let (number, rest) = tag.strip_prefix('c')?.split_once('-')?;
        let (recipient, signature) = rest.strip_prefix('u')?.split_once('-')?;
        let reply = ReplyTag { case: CaseNumber(digits(number)?), recipient: digits(recipient)? };
        let signature = signature_bytes(signature)?;
        self.mac(reply).verify_truncated_left(&signature).ok()?;
        Some(reply)
    }

    /// The case an earlier, case-only tag (`c1001-<20 hex>`) names, if this installation
    /// signed it. Such a tag is refused; knowing it is genuine only makes the refusal clear.
    fn verify_outdated(&self, tag: &str) -> Option<CaseNumber> {
        let (number, signature) = tag.strip_prefix('c')?.split_once('-')?;
        let number = CaseNumber(digits(number)?);
        self.outdated_mac(number).verify_truncated_left(&signature_bytes(signature)?).ok()?;
        Some(number)
    }

    /// The reply address for one recipient of a case: the support address with the tag
    /// after a `+`.
    pub fn reply_address(
        &self,
        support: &lettre::Address,
        number: CaseNumber,
        recipient: i64,
    ) -> Option<lettre::Address> {
        lettre::Address::new(format!("{}+{}", support.user(), self.tag(number, recipient)), support.domain()).ok()
    }

    /// Looks for a reply tag among the addresses a message was sent to. A tag that is
    /// present but not signed by us, or two tags that disagree, make the whole message
    /// `Forged`, whatever else it says.
    pub fn find_case<'a>(&self, addresses: impl IntoIterator<Item = &'a str>) -> TagLookup {
        let mut found = TagLookup::Untagged;
        for address in addresses {
            let local = address.rsplit_once('@').map(|(local, _)| local).unwrap_or(address);
            let Some((_, tag)) = local.split_once('+') else { continue };
            if !looks_like_tag(tag) {
                continue;
            }
            let this = match (self.verify(tag), self.verify_outdated(tag)) {
                (Some(reply), _) => TagLookup::Reply(reply),
                (None, Some(number)) => TagLookup::Outdated(number),
                (None, None) => return TagLookup::Forged,
            };
            match &found {
                TagLookup::Untagged => found = this,
                earlier if *earlier == this => {}
                _ => return TagLookup::Forged,
            }
        }
        found
    }
}

/// A positive decimal number without sign or leading zeros (one spelling per number, so a
/// tag has exactly one form).
fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || (text.len() > 1 && text.starts_with('0')) {
        return None;
    }
    text.parse().ok()
}

fn signature_bytes(text: &str) -> Option<Vec<u8>> {
    let bytes = hex::decode(text.to_ascii_lowercase()).ok()?;
    (bytes.len() == TAG_HEX / 2).then_some(bytes)
}

/// `c<digits>-<something>`: what a reply tag (of either scheme) looks like before it is checked.
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

    fn reply(case: i64, recipient: i64) -> ReplyTag {
        ReplyTag { case: CaseNumber(case), recipient }
    }

    /// A tag of the earlier scheme, as notifications sent before the change carried.
    fn outdated_tag(key: &ReplyKey, number: i64) -> String {
        let digest = hex::encode(key.outdated_mac(CaseNumber(number)).finalize().into_bytes());
        format!("c{number}-{}", &digest[..TAG_HEX])
    }

    #[test]
    fn a_signed_tag_names_its_case_and_its_recipient() {
        let tag = key().tag(CaseNumber(1001), 42);
        assert!(tag.starts_with("c1001-u42-"), "{tag}");
        assert_eq!(tag.len(), "c1001-u42-".len() + TAG_HEX);
        assert_eq!(key().verify(&tag), Some(reply(1001, 42)));
        // Upper-case hex (some mail systems change case) is the same signature.
        let upper = format!("c1001-u42-{}", tag["c1001-u42-".len()..].to_ascii_uppercase());
        assert_eq!(key().verify(&upper), Some(reply(1001, 42)));
    }

    #[test]
    fn a_tag_moved_to_another_recipient_or_case_or_signed_elsewhere_is_refused() {
        let key = key();
        let tag = key.tag(CaseNumber(1001), 42);
        let signature = &tag["c1001-u42-".len()..];
        // Recipient A's signature under recipient B's id: refused.
        assert_eq!(key.verify(&format!("c1001-u43-{signature}")), None);
        assert_eq!(key.verify(&format!("c1001-u4-{signature}")), None);
        assert_eq!(key.verify(&format!("c1001-u042-{signature}")), None, "one spelling per number");
        // Moved to another case.
        assert_eq!(key.verify(&format!("c1002-u42-{signature}")), None);
        // Not a way to shift digits between the two numbers either.
        assert_ne!(key.tag(CaseNumber(10014), 2), key.tag(CaseNumber(1001), 42));
        assert_eq!(key.verify(&format!("c10014-u2-{signature}")), None);
        // Another installation's secret.
        assert_eq!(ReplyKey::new(b"another installation".to_vec()).verify(&tag), None);
        // Malformed.
        for bad in ["c1001-u42-", "c1001-u42-zz", "c1001-42-0123456789abcdef0123", "c-u42-0123456789abcdef0123", "u42"]
        {
            assert_eq!(key.verify(bad), None, "{bad}");
        }
        // A signature cut short or made longer.
        assert_eq!(key.verify(&tag[..tag.len() - 2]), None);
        assert_eq!(key.verify(&format!("{tag}00")), None);
    }

    #[test]
    fn each_recipient_of_a_case_gets_a_different_tag() {
        let key = key();
        let a = key.tag(CaseNumber(1001), 1);
        let b = key.tag(CaseNumber(1001), 2);
        assert_ne!(a[a.len() - TAG_HEX..], b[b.len() - TAG_HEX..]);
    }

    #[test]
    fn addresses_are_searched_for_tags() {
        let key = key();
        let good = format!("support+{}@caseboard.example", key.tag(CaseNumber(7), 3));
        assert_eq!(key.find_case(["support@caseboard.example", good.as_str()]), TagLookup::Reply(reply(7, 3)));
        // The same tag twice (To and Delivered-To) is one tag.
        assert_eq!(key.find_case([good.as_str(), good.as_str()]), TagLookup::Reply(reply(7, 3)));
        assert_eq!(key.find_case(["support@caseboard.example", "alice+work@acme.example"]), TagLookup::Untagged);
        assert_eq!(key.find_case(["support+c7-u3-0123456789abcdef0123@caseboard.example"]), TagLookup::Forged);
        assert_eq!(key.find_case(["support+c7-0123456789abcdef0123@caseboard.example"]), TagLookup::Forged);
        // Two genuine tags of different recipients: which one would it be? Neither.
        let other = format!("support+{}@caseboard.example", key.tag(CaseNumber(7), 4));
        assert_eq!(key.find_case([good.as_str(), other.as_str()]), TagLookup::Forged);
    }

    #[test]
    fn a_case_only_tag_of_the_earlier_scheme_is_recognised_and_never_a_reply() {
        let key = key();
        let old = outdated_tag(&key, 1001);
        assert_eq!(key.verify(&old), None);
        let address = format!("support+{old}@caseboard.example");
        assert_eq!(key.find_case([address.as_str()]), TagLookup::Outdated(CaseNumber(1001)));
        // Moved to another case, or signed elsewhere: forged, not outdated.
        let moved = old.replacen("c1001", "c1002", 1);
        assert_eq!(key.find_case([format!("support+{moved}@x.example").as_str()]), TagLookup::Forged);
        let elsewhere = outdated_tag(&ReplyKey::new(b"another installation".to_vec()), 1001);
        assert_eq!(key.find_case([format!("support+{elsewhere}@x.example").as_str()]), TagLookup::Forged);
        // An old tag beside a new one: they disagree.
        let new = format!("support+{}@caseboard.example", key.tag(CaseNumber(1001), 3));
        assert_eq!(key.find_case([address.as_str(), new.as_str()]), TagLookup::Forged);
    }

    #[test]
    fn reply_address_keeps_the_support_domain() {
        let support: lettre::Address = "support@caseboard.example".parse().unwrap();
        let address = key().reply_address(&support, CaseNumber(1001), 42).unwrap();
        assert_eq!(address.domain(), "caseboard.example");
        assert!(address.user().starts_with("support+c1001-u42-"));
        assert!(address.user().len() <= 64, "a local part fits RFC 5321: {}", address.user());
    }
}
