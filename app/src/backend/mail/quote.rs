//! What a person wrote in an email reply, without the history their mail program quoted
//! below it and without their signature. Gmail, Outlook and Apple Mail each mark the
//! quoted part differently; every marker below was seen in their replies.

/// The new text of a reply: everything above the first quote marker or signature line,
/// trimmed. Empty when the message is only quoted history.
pub fn reply_text(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let lines: Vec<&str> = body.lines().collect();
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        if starts_quoted_history(&lines, i) || is_signature_separator(line) {
            end = i;
            break;
        }
    }
    let kept = &lines[..end];
    let text = kept.join("\n");
    text.trim().to_owned()
}

/// A line that starts the quoted part: an attribution ("On … wrote:", "Le … a écrit :",
/// "… 写道："), Outlook's separators and header block, or a run of `>` lines.
fn starts_quoted_history(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    if line.starts_with('>') {
        return true;
    }
    if line.starts_with("-----Original Message-----")
        || line.starts_with("----- Original Message -----")
        || line.starts_with("-----Message d'origine-----")
        || line.starts_with("-------- Message original --------")
        || line.starts_with("---------- Forwarded message")
        || line.starts_with("Begin forwarded message:")
    {
        return true;
    }
    // Outlook's rule above its header block.
    if line.len() >= 20 && line.chars().all(|c| c == '_') {
        return true;
    }
    // Outlook's header block without a separator: "From: …" followed by "Sent: …" (or the
    // French "De : …" and "Envoyé : …").
    let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
    if (line.starts_with("From:") && (next.starts_with("Sent:") || next.starts_with("Date:")))
        || (line.starts_with("De :") && (next.starts_with("Envoyé :") || next.starts_with("Date :")))
    {
        return true;
    }
    is_attribution(line) || is_split_attribution(lines, i)
}

/// "On Tue, 3 Nov 2026 at 10:12, Sam <…> wrote:" and its French and Chinese forms.
fn is_attribution(line: &str) -> bool {
    let ends_like = |suffixes: &[&str]| suffixes.iter().any(|s| line.ends_with(s));
    (line.starts_with("On ") && ends_like(&["wrote:", "wrote :"]))
        || (line.starts_with("Le ") && ends_like(&["a écrit :", "a écrit:"]))
        || ends_like(&["写道：", "写道:"])
}

/// Gmail wraps long attributions over two lines: "On …, Sam Okafor <" / "sam@…> wrote:".
fn is_split_attribution(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
    (line.starts_with("On ") || line.starts_with("Le "))
        && !next.is_empty()
        && is_attribution(&format!("{line} {next}"))
}

/// "-- " (the standard separator), and the "Sent from my iPhone" lines mail apps add.
fn is_signature_separator(line: &str) -> bool {
    line == "-- "
        || line == "--"
        || line.starts_with("Sent from my ")
        || line.starts_with("Envoyé de mon ")
        || line.starts_with("Get Outlook for ")
        || line.starts_with("发自我的")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_attribution_and_quote_are_removed() {
        let body = "Thanks, it works now.\n\nOn Tue, 3 Nov 2026 at 10:12, Sam Okafor <support@caseboard.example> wrote:\n> Please try again.\n";
        assert_eq!(reply_text(body), "Thanks, it works now.");
    }

    #[test]
    fn gmail_attribution_wrapped_over_two_lines_is_removed() {
        let body =
            "Done.\n\nOn Tue, 3 Nov 2026 at 10:12, Sam Okafor <\nsupport+c1001-abc@caseboard.example> wrote:\n\n> old";
        assert_eq!(reply_text(body), "Done.");
    }

    #[test]
    fn outlook_header_block_is_removed() {
        let body = "Here are the logs.\r\n\r\n________________________________\r\nFrom: Caseboard Support <support@caseboard.example>\r\nSent: Tuesday, November 3, 2026 10:12\r\nSubject: [#1001] Support replied: Exports fail\r\n\r\nPlease send logs.";
        assert_eq!(reply_text(body), "Here are the logs.");
        let bare = "Yes.\nFrom: Caseboard <support@caseboard.example>\nSent: Tuesday\nold";
        assert_eq!(reply_text(bare), "Yes.");
    }

    #[test]
    fn apple_mail_and_signatures_are_removed() {
        let body = "Still failing.\n\nSent from my iPhone\n\n> On 3 Nov 2026, at 10:12, Sam wrote:\n> old";
        assert_eq!(reply_text(body), "Still failing.");
        let signed = "Restarted the node.\n-- \nAlice Martin\nAcme Analytics";
        assert_eq!(reply_text(signed), "Restarted the node.");
    }

    #[test]
    fn french_and_chinese_attributions_are_removed() {
        assert_eq!(reply_text("Merci.\n\nLe mar. 3 nov. 2026 à 10:12, Sam a écrit :\n> x"), "Merci.");
        assert_eq!(reply_text("谢谢，已解决。\n\n2026年11月3日 10:12，Sam 写道：\n> x"), "谢谢，已解决。");
    }

    #[test]
    fn a_message_that_is_only_quoted_history_is_empty() {
        assert_eq!(reply_text("> only old text\n> more"), "");
    }

    #[test]
    fn text_without_markers_is_kept_whole() {
        let body = "Line one.\n\nLine two mentions From: nowhere.";
        assert_eq!(reply_text(body), body);
    }
}
