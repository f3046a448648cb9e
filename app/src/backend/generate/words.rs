//! What generated cases say: summaries, descriptions and replies built from product and
//! symptom words, in English, French and Chinese (so accent folding and CJK search have
//! something to find), with a few words of known frequency for search benchmarks.

use super::dice::Dice;

/// A word in about one case in 5,000 (≈ 200 cases at 1,000,000): a selective search.
pub const RARE_WORD: &str = "heisenbug";
/// A word in about one case in six: a search that matches a large part of the corpus.
pub const COMMON_WORD: &str = "timeout";
/// A Chinese term (index) in about half of the Chinese cases (≈ 4% of all).
pub const CJK_TERM: &str = "索引";

/// The product lines a plan family's customers run, with their newest versions.
pub fn products_for_plan(plan_id: &str) -> &'static [(&'static str, &'static str)] {
    if plan_id.starts_with("coveo") {
        &[("Coveo for Sitecore", "7.4"), ("Coveo for Salesforce", "5.12"), ("Coveo Platform", "")]
    } else if plan_id.starts_with("cloud-avenue") {
        &[("Cloud Avenue", ""), ("vCloud Director", "10.6"), ("NSX Edge", "4.2"), ("Veeam Backup", "12.3")]
    } else {
        &[
            ("Elasticsearch", "9.1.3"),
            ("Kibana", "9.1.3"),
            ("Logstash", "9.1.2"),
            ("Elastic Agent", "9.1.1"),
            ("APM", "9.0.4"),
        ]
    }
}

/// Every product any generated organization runs (engineers' skills come from it).
pub const ALL_PRODUCTS: &[&str] = &[
    "Elasticsearch",
    "Kibana",
    "Logstash",
    "Elastic Agent",
    "APM",
    "Coveo for Sitecore",
    "Coveo for Salesforce",
    "Coveo Platform",
    "Cloud Avenue",
    "vCloud Director",
    "NSX Edge",
    "Veeam Backup",
];

const EN_SYMPTOMS: &[&str] = &[
    "is very slow",
    "returns HTTP 500",
    "crashes at start-up",
    "hits a timeout on every request",
    "loses documents after a restart",
    "shows wrong results",
    "rejects our SSO login",
    "runs out of memory",
    "cannot reach the cluster",
    "uses 100% CPU",
    "duplicates documents",
    "switched the index to read-only",
    "reports an expired certificate",
    "fails during the upgrade",
    "shows a blank dashboard",
    "fails to take snapshots",
    "drops events under load",
    "sorts dates in the wrong time zone",
];

const EN_CONTEXT: &[&str] = &[
    "Since the upgrade to {v} last week",
    "Every morning around 9:00",
    "On our production cluster only",
    "After we added two nodes",
    "Since the certificate rotation",
    "When more than 50 users are connected",
    "After a network outage in our data centre",
    "Since we moved to the new storage class",
];

const EN_IMPACT: &[&str] = &[
    "Our support agents cannot search the customer history.",
    "The monthly report for the board is due on Friday.",
    "Orders are delayed while this lasts.",
    "Only the test environment is affected for now.",
    "Our own customers see errors on the public site.",
    "The on-call team restarts the service every two hours.",
];

const EN_DETAILS: &[&str] = &[
    "The logs show a {c} after about 30 seconds.",
    "We attached nothing yet, but the error repeats every few minutes.",
    "Restarting the service helps for an hour.",
    "The problem started without any change on our side.",
    "We see the same behaviour on two clusters.",
    "The node logs mention a circuit breaker.",
    "Heap usage stays above 85%.",
    "It looks like a {r} to us: it comes and goes.",
];

const EN_SUPPORT: &[&str] = &[
    "Thanks for the details. Could you send the output of the diagnostics tool from one node?",
    "I reproduced the behaviour on {v}; it comes from a known issue in the shard allocator.",
    "Please try raising the request {c} to 60 seconds and tell us whether it helps.",
    "The fix is in the next patch release. Meanwhile the workaround below avoids the problem.",
    "We looked at the logs you sent: the node runs out of heap during merges.",
    "Could you confirm which version of {p} runs in production?",
    "I am taking this case. I will come back to you within the day.",
    "This is expected after the upgrade; the setting was renamed, see the migration guide.",
];

const EN_CUSTOMER: &[&str] = &[
    "Here is the diagnostics output you asked for.",
    "We applied the workaround and it works for now.",
    "It happened again this morning at 08:40, same {c}.",
    "We run {p} {v} on three nodes.",
    "Thanks, we will plan the upgrade next week.",
    "Any news? Our users are still affected.",
    "The problem is gone since the restart, but we would like to know the cause.",
];

const EN_NOTES: &[&str] = &[
    "Looks like the known allocator bug; checked with engineering.",
    "Customer is on an old JVM, asked them to upgrade first.",
    "Same symptom as a case last month, the workaround applies.",
    "Escalated to the product team, waiting for their answer.",
    "Heap dump analysed: fielddata on a text field, nothing on our side.",
    "Could be a {r}; asked for more logs.",
];

const FR_SYMPTOMS: &[&str] = &[
    "est très lent",
    "renvoie une erreur HTTP 500",
    "plante au démarrage",
    "dépasse le délai d'attente ({c}) à chaque requête",
    "perd des documents après un redémarrage",
    "affiche des résultats erronés",
    "refuse notre connexion SSO",
    "manque de mémoire",
    "échoue pendant la mise à jour",
];

const FR_CONTEXT: &[&str] = &[
    "Depuis la mise à jour vers {v}",
    "Chaque matin vers 9 h",
    "Sur notre cluster de production uniquement",
    "Après l'ajout de deux nœuds",
    "Depuis le renouvellement du certificat",
];

const FR_DETAILS: &[&str] = &[
    "Les journaux indiquent un délai dépassé au bout de 30 secondes.",
    "Le redémarrage du service règle le problème pendant une heure.",
    "Le problème est apparu sans aucun changement de notre côté.",
    "L'utilisation du tas reste au-dessus de 85 %.",
    "Nos équipes ne peuvent plus consulter l'historique des clients.",
];

const FR_REPLIES: &[&str] = &[
    "Merci pour ces précisions. Pouvez-vous nous envoyer le résultat de l'outil de diagnostic ?",
    "Voici les journaux demandés.",
    "Nous avons appliqué le contournement, cela fonctionne pour le moment.",
    "Le correctif sera livré dans la prochaine version de maintenance.",
    "Le problème s'est reproduit ce matin à 8 h 40.",
    "Pouvez-vous confirmer la version de {p} en production ?",
];

const ZH_SYMPTOMS: &[&str] = &[
    "索引速度变得非常慢",
    "返回 HTTP 500 错误",
    "启动时崩溃",
    "每个请求都超时",
    "重启后丢失文档",
    "搜索结果不正确",
    "内存不足",
    "升级失败",
];

const ZH_DETAILS: &[&str] = &[
    "重建索引后问题依然存在。",
    "日志显示三十秒后请求超时。",
    "重启服务后可以恢复一个小时。",
    "我们没有做任何改动，问题突然出现。",
    "堆内存使用率一直高于百分之八十五。",
    "分片分配好像有问题。",
];

const ZH_REPLIES: &[&str] = &[
    "感谢您提供的信息。请发送诊断工具的输出。",
    "这是您要的日志。",
    "我们已经应用了临时解决方案，目前正常。",
    "修复将包含在下一个补丁版本中。",
    "今天早上八点四十分问题再次出现。",
    "请确认生产环境中的版本号。",
    "我们检查了索引设置，建议增加副本数量。",
];

/// One of `items`.
fn word(dice: &mut Dice, items: &[&'static str]) -> &'static str {
    items[dice.below(items.len())]
}

/// Fills `{p}` (product), `{v}` (version), `{c}` and `{r}` (the words of known frequency).
fn fill(template: &str, product: &str, version: &str, dice: &mut Dice) -> String {
    let mut text =
        template.replace("{p}", product).replace("{v}", if version.is_empty() { "the new release" } else { version });
    if text.contains("{c}") {
        // The common word in most of the templates that name it; "timeout" in French too.
        text = text.replace("{c}", COMMON_WORD);
    }
    if text.contains("{r}") {
        let word = if dice.chance(0.02) { RARE_WORD } else { "race condition" };
        text = text.replace("{r}", word);
    }
    text
}

/// The summary and description of a new case in `language` ("en", "fr", "zh").
pub fn case_text(dice: &mut Dice, language: &str, product: &str, version: &str) -> (String, String) {
    match language {
        "fr" => {
            let symptom = fill(word(dice, FR_SYMPTOMS), product, version, dice);
            let context = fill(word(dice, FR_CONTEXT), product, version, dice);
            let summary = format!("{product} {symptom}");
            let mut description = format!("{context}, {product} {symptom}.");
            for _ in 0..dice.between(1, 3) {
                description.push(' ');
                description.push_str(&fill(word(dice, FR_DETAILS), product, version, dice));
            }
            (summary, description)
        }
        "zh" => {
            let symptom = word(dice, ZH_SYMPTOMS);
            let summary = format!("{product} {symptom}");
            let mut description = format!("升级到 {version} 之后，{product} {symptom}。");
            for _ in 0..dice.between(1, 3) {
                description.push_str(word(dice, ZH_DETAILS));
            }
            (summary, description)
        }
        _ => {
            let symptom = fill(word(dice, EN_SYMPTOMS), product, version, dice);
            let context = fill(word(dice, EN_CONTEXT), product, version, dice);
            let summary = format!("{product} {symptom}");
            let mut description = format!("{context}, {product} {symptom}.");
            for _ in 0..dice.between(1, 3) {
                description.push(' ');
                description.push_str(&fill(word(dice, EN_DETAILS), product, version, dice));
            }
            description.push(' ');
            description.push_str(word(dice, EN_IMPACT));
            if dice.chance(0.15) {
                description.push_str(" The client logs a ");
                description.push_str(COMMON_WORD);
                description.push_str(" too.");
            }
            if dice.chance(0.0002) {
                description.push_str(" One engineer calls it a ");
                description.push_str(RARE_WORD);
                description.push('.');
            }
            (summary, description)
        }
    }
}

/// Who writes a reply on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writer {
    Support,
    Customer,
    /// An internal note (support only).
    Note,
}

/// A reply's body in the case's language.
pub fn reply_text(dice: &mut Dice, language: &str, writer: Writer, product: &str, version: &str) -> String {
    let template = match (language, writer) {
        ("fr", Writer::Support | Writer::Customer) => word(dice, FR_REPLIES),
        ("zh", Writer::Support | Writer::Customer) => word(dice, ZH_REPLIES),
        (_, Writer::Support) => word(dice, EN_SUPPORT),
        (_, Writer::Customer) => word(dice, EN_CUSTOMER),
        // Support writes its notes in English, whatever the customer's language.
        (_, Writer::Note) => word(dice, EN_NOTES),
    };
    fill(template, product, version, dice)
}

/// What a resolved case's last support reply says.
pub fn resolution_text(dice: &mut Dice, language: &str) -> &'static str {
    match language {
        "fr" => "Le correctif est en place ; nous clôturons la demande sans nouvelles de votre part.",
        "zh" => "问题已经解决，如果没有其他问题我们将关闭此案件。",
        _ => word(
            dice,
            &[
                "The fix is deployed; we will close the case unless you tell us otherwise.",
                "Glad the workaround solved it. Closing on our side.",
                "This is documented behaviour; see the guide linked above.",
            ],
        ),
    }
}

const FIRST_NAMES: &[&str] = &[
    "Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Grace", "Hugo", "Inès", "Jonas", "Karin", "Léa", "Marco",
    "Nadia", "Omar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Xavier", "Yuki", "Zoé",
    "Amara", "Björn", "Carmen", "Dmitri", "Elif", "Fatou", "Gaspard", "Hana", "Ivan", "Jade",
];

const LAST_NAMES: &[&str] = &[
    "Martin", "Costa", "Durand", "Okafor", "Lin", "Petrova", "Schmidt", "Rossi", "Nakamura", "Haddad", "Dubois",
    "Kowalski", "Silva", "Novak", "Moreau", "Fischer", "Garcia", "Jensen", "Laurent", "Mbeki", "Andersen", "Bernard",
    "Tanaka", "Weber", "Yilmaz", "Zhang", "Wang", "Chen", "Liu", "Fontaine",
];

const CHINESE_NAMES: &[&str] = &["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "黄丽", "赵强", "周婷", "吴军"];

/// A person's name for index `i` (Chinese names for Chinese speakers now and then).
pub fn person_name(i: usize, language: &str) -> String {
    if language == "zh" && i % 3 == 0 {
        return CHINESE_NAMES[i % CHINESE_NAMES.len()].to_string();
    }
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i / FIRST_NAMES.len() + i * 7) % LAST_NAMES.len()];
    format!("{first} {last}")
}

const COMPANY_HEADS: &[&str] = &[
    "Northwind",
    "Helix",
    "Blue Harbor",
    "Quantum",
    "Vertex",
    "Lumen",
    "Orchard",
    "Granite",
    "Nimbus",
    "Atlas",
    "Cobalt",
    "Meridian",
    "Polaris",
    "Saffron",
    "Tidal",
    "Juniper",
    "Kestrel",
    "Beacon",
    "Crescent",
    "Aurora",
];

const COMPANY_TAILS: &[&str] =
    &["Analytics", "Logistics", "Retail", "Bank", "Health", "Media", "Energy", "Insurance", "Labs", "Telecom"];

/// An organization's name for index `i`: 200 distinct names before any repeats.
pub fn organization_name(i: usize) -> String {
    let head = COMPANY_HEADS[i % COMPANY_HEADS.len()];
    let tail = COMPANY_TAILS[(i / COMPANY_HEADS.len() + i) % COMPANY_TAILS.len()];
    match i / (COMPANY_HEADS.len() * COMPANY_TAILS.len()) {
        0 => format!("{head} {tail}"),
        n => format!("{head} {tail} {}", n + 1),
    }
}

/// The ASCII letters of a name, lowercased, for an email address or a slug part.
pub fn ascii_part(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'ï' | 'î' => 'i',
            'ö' | 'ô' => 'o',
            'ü' | 'û' => 'u',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c == ' ' || c == '-') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
