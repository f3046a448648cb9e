//! Demo data for a first look: three customer organizations on different plans, their
//! contacts, two engineers in different time zones, an admin, and a few cases.

use super::accounts::hash_password;
use super::cases::open_case;
use super::store::{NewUser, Store};
use crate::domain::{CaseDraft, CaseKind, Environment, Role, Severity, Visibility};
use crate::error::AppError;

/// Every demo account uses this password.
pub const DEMO_PASSWORD: &str = "caseboard-demo";

/// (email, who they are) for the start-up banner.
pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("alice@acme.example", "customer, Acme Analytics (Elastic cloud Premium)"),
    ("olga@acme.example", "organization admin, Acme Analytics"),
    ("bruno@globex.example", "customer, Globex (Coveo)"),
    ("chloe@initech.example", "customer, Initech (Cloud Avenue Gold)"),
    ("sam@caseboard.example", "engineer, Europe/Paris"),
    ("mei@caseboard.example", "engineer, Asia/Shanghai"),
    ("admin@caseboard.example", "admin"),
];

/// Loads the demo data when the database has no organization yet. Returns whether it did.
pub async fn load_if_empty(store: &Store) -> Result<bool, AppError> {
    if store.count_organizations().await? > 0 {
        return Ok(false);
    }
    let hash = hash_password(DEMO_PASSWORD).await?;
    let acme = store.create_organization("acme", "Acme Analytics", "elastic-cloud-premium").await?;
    let globex = store.create_organization("globex", "Globex", "coveo").await?;
    let initech = store.create_organization("initech", "Initech", "cloud-avenue-gold").await?;
    for organization in [&acme, &initech] {
        super::contracts::start_contract(store, organization).await?;
    }
    // Coveo tells customers to call for a Critical case: the demo's line is a fictional
    // number (555-01xx is reserved for fiction).
    let mut coveo = crate::domain::SupportPlan::preset("coveo").ok_or(AppError::Internal)?;
    coveo.phone_line = Some("+12125550199".into());
    super::contracts::start_contract_on(store, &globex, coveo).await?;
    // What each runs, and its newest version: support covers the last two majors.
    for (organization, name, latest) in [
        (&acme, "Elasticsearch", "9.1.3"),
        (&acme, "Kibana", "9.1.3"),
        (&globex, "Coveo for Sitecore", "7.4"),
        (&initech, "Cloud Avenue", ""),
    ] {
        let product = crate::domain::ProductLine {
            name: name.into(),
            latest_version: latest.into(),
            supported_majors: crate::domain::product::DEFAULT_SUPPORTED_MAJORS,
            versions: if latest.is_empty() { Vec::new() } else { vec![latest.into()] },
        };
        store.put_product(organization.id, &product).await?;
    }

    let customer = |email, name, org: i64, org_admin, language| NewUser {
        email,
        name,
        role: Role::Customer,
        organization_id: Some(org),
        org_admin,
        password_hash: &hash,
        time_zone: None,
        language: Some(language),
    };
    let alice = store.create_user(customer("alice@acme.example", "Alice Martin", acme.id, false, "en")).await?;
    let olga = store.create_user(customer("olga@acme.example", "Olga Petrova", acme.id, true, "en")).await?;
    // Olga, Acme's admin, is emailed about every case of her organization.
    store.set_notification_preferences(olga.id, &[(crate::domain::NotificationKind::WatchOrganization, true)]).await?;
    let bruno = store.create_user(customer("bruno@globex.example", "Bruno Costa", globex.id, false, "en")).await?;
    store.create_user(customer("chloe@initech.example", "Chloé Durand", initech.id, false, "fr")).await?;
    // Sam in Paris and Mei in Shanghai between them cover most of the clock (follow the sun).
    for (email, name, role, tz, skills, languages) in [
        (
            "sam@caseboard.example",
            "Sam Okafor",
            Role::Engineer,
            "Europe/Paris",
            &["Kibana", "Coveo", "Cloud Avenue"][..],
            &["en", "fr"][..],
        ),
        (
            "mei@caseboard.example",
            "Mei Lin",
            Role::Engineer,
            "Asia/Shanghai",
            &["Elasticsearch", "Kibana"][..],
            &["en", "zh"][..],
        ),
        ("admin@caseboard.example", "Ada Admin", Role::Admin, "UTC", &[][..], &["en"][..]),
    ] {
        let user = store
            .create_user(NewUser {
                email,
                name,
                role,
                organization_id: None,
                org_admin: false,
                password_hash: &hash,
                time_zone: Some(tz),
                language: languages.first().copied(),
            })
            .await?;
        if role == Role::Engineer {
            let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            let hours = crate::domain::WorkingWeek::office_hours(tz);
            store.set_engineer_profile(user.id, &list(skills), &list(languages), &hours).await?;
            // Both are leads: whichever is on shift hears of SLA warnings and breaches.
            store.set_engineer_lead(user.id, true).await?;
        }
    }

    let draft = |summary: &str, description: &str, kind, severity, product: &str| CaseDraft {
        summary: summary.into(),
        description: description.into(),
        kind,
        severity,
        environment: Environment::Production,
        visibility: Visibility::Organization,
        product: product.into(),
        details: Default::default(),
        attachments: Vec::new(),
    };
    open_case(
        store,
        &alice,
        draft(
            "Executive dashboard takes 40 seconds to load",
            "Since Monday the executive dashboard is slow. It is shown to our own customers on Friday.",
            CaseKind::Bug,
            Severity::High,
            "Kibana",
        ),
        None,
    )
    .await?;
    open_case(
        store,
        &bruno,
        draft(
            "How do we add a second portal user?",
            "Our second support contact needs access to the portal.",
            CaseKind::AccountChange,
            Severity::Normal,
            "Coveo",
        ),
        None,
    )
    .await?;
    tracing::info!("demo data loaded");
    Ok(true)
}
