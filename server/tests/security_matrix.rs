//! The role matrix: every operation of the REST API (the OpenAPI document's list, checked
//! complete) tried by six callers — anonymous, a customer of the case's organization, a
//! customer of another organization, the organization's admin, a support engineer and the
//! administrator — against one organization's resources (Acme's case, contacts, contract).
//!
//! For each operation the table says who may; everyone else is refused (anonymous 401, the
//! others 403 or 404) and the refusal changes nothing: a fingerprint of what the operation
//! could touch (the case, its log, the contacts, the contract, plans, tokens, settings, saved
//! views) is
//! the same before and after. Writes that are allowed carry a stale `expected_version`
//! where the operation takes one, so an allowed caller gets past the checks of who may
//! (409) without changing anything either. The table is printed; every wrong row fails.

mod common;

use common::{Answer, Api, PASSWORD, TestServer, case_body};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Alice,
    Bruno,
    Olga,
    Sam,
    Admin,
}

const EVERYONE: [Who; 6] = [Who::Anonymous, Who::Alice, Who::Bruno, Who::Olga, Who::Sam, Who::Admin];
const SIGNED_IN: &[Who] = &[Who::Alice, Who::Bruno, Who::Olga, Who::Sam, Who::Admin];
const ACME_AND_SUPPORT: &[Who] = &[Who::Alice, Who::Olga, Who::Sam, Who::Admin];
const SUPPORT: &[Who] = &[Who::Sam, Who::Admin];
const ACME_ADMINS: &[Who] = &[Who::Olga, Who::Admin];
const ADMIN: &[Who] = &[Who::Admin];
/// Support, admins and an organization's admin (reports).
const OLGA_AND_SUPPORT: &[Who] = &[Who::Olga, Who::Sam, Who::Admin];

enum Body {
    None,
    Json(Value),
    Png,
    /// A `text/calendar` body.
    Calendar(&'static str),
}

struct Row {
    method: Method,
    /// As the OpenAPI document writes it (`/api/v1/cases/{number}`).
    template: &'static str,
    path: String,
    body: Body,
    allowed: &'static [Who],
}

struct World {
    case: i64,
    attachment: i64,
    article: i64,
    alice_id: i64,
    /// Acme's only admin: removing her is refused (the organization keeps an admin), so an
    /// allowed caller gets past the checks of who may without changing anything.
    olga_id: i64,
    victim_token: i64,
    upload: String,
    /// A plan as `PUT /plans/{id}` takes it (a copy of the first preset, renamed).
    plan: Value,
    /// A saved view of the administrator's, shared with the team: Sam sees it, may neither
    /// change nor delete it.
    view: i64,
    /// The administrator: deactivating themselves is refused (422) once the caller may.
    admin_id: i64,
    /// A browser session of Alice's (its public id): only she may end it.
    victim_session: String,
    /// A maintenance window Sam planned.
    maintenance: i64,
}

fn rows(w: &World) -> Vec<Row> {
    let case = w.case;
    let row = |method: Method, template: &'static str, path: String, body: Body, allowed: &'static [Who]| Row {
        method,
        template,
        path,
        body,
        allowed,
    };
    vec![
        row(Method::GET, "/api/v1/auth/tokens", "/api/v1/auth/tokens".into(), Body::None, SIGNED_IN),
        row(
            Method::DELETE,
            "/api/v1/auth/tokens/{id}",
            format!("/api/v1/auth/tokens/{}", w.victim_token),
            Body::None,
            &[Who::Alice],
        ),
        // Public by design: the same 202 whatever the address (password_reset.rs).
        row(
            Method::POST,
            "/api/v1/auth/password-reset",
            "/api/v1/auth/password-reset".into(),
            Body::Json(json!({"email": "nobody@nowhere.example"})),
            &EVERYONE,
        ),
        // Public by design: an unknown link is refused (422) for everyone, and changes nothing.
        row(
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            "/api/v1/auth/password-reset/confirm".into(),
            Body::Json(json!({"token": "ab".repeat(32), "password": "a long new password"})),
            &EVERYONE,
        ),
        // Public by design: the same 202 whatever the address (registration.rs).
        row(
            Method::POST,
            "/api/v1/auth/register",
            "/api/v1/auth/register".into(),
            Body::Json(json!({"email": "nobody@nowhere.example", "name": "Nobody", "organization_name": "Nowhere"})),
            &EVERYONE,
        ),
        // Public by design: an unknown link is refused (422) for everyone, and changes nothing.
        row(
            Method::POST,
            "/api/v1/auth/register/verify",
            "/api/v1/auth/register/verify".into(),
            Body::Json(json!({"token": "ab".repeat(32)})),
            &EVERYONE,
        ),
        row(Method::GET, "/api/v1/registrations", "/api/v1/registrations".into(), Body::None, ADMIN),
        // Refused once the caller may: no organization, no reason (422).
        row(
            Method::POST,
            "/api/v1/registrations/{id}/approve",
            "/api/v1/registrations/1/approve".into(),
            Body::Json(json!({"organization": ""})),
            ADMIN,
        ),
        row(
            Method::POST,
            "/api/v1/registrations/{id}/reject",
            "/api/v1/registrations/1/reject".into(),
            Body::Json(json!({"reason": ""})),
            ADMIN,
        ),
        // Platform status (status.rs): public reads; support writes, refused once the caller
        // may (an empty name or title, an unknown status, no case number: 422).
        row(Method::GET, "/api/v1/status", "/api/v1/status".into(), Body::None, &EVERYONE),
        row(Method::GET, "/api/v1/status/components", "/api/v1/status/components".into(), Body::None, &EVERYONE),
        row(
            Method::POST,
            "/api/v1/status/components",
            "/api/v1/status/components".into(),
            Body::Json(json!({"name": ""})),
            SUPPORT,
        ),
        row(
            Method::PATCH,
            "/api/v1/status/components/{id}",
            "/api/v1/status/components/1".into(),
            Body::Json(json!({"status": "on_fire"})),
            SUPPORT,
        ),
        row(Method::GET, "/api/v1/status/incidents", "/api/v1/status/incidents".into(), Body::None, SUPPORT),
        row(
            Method::POST,
            "/api/v1/status/incidents",
            "/api/v1/status/incidents".into(),
            Body::Json(json!({"title": "", "components": [], "message": "x"})),
            SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/status/incidents/{id}/updates",
            "/api/v1/status/incidents/1/updates".into(),
            Body::Json(json!({"status": "fixed", "message": "x"})),
            SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/status/incidents/{id}/cases",
            "/api/v1/status/incidents/1/cases".into(),
            Body::Json(json!({"number": 0})),
            SUPPORT,
        ),
        row(Method::GET, "/api/v1/me", "/api/v1/me".into(), Body::None, SIGNED_IN),
        row(
            Method::POST,
            "/api/v1/me/password",
            "/api/v1/me/password".into(),
            Body::Json(json!({"current_password": "not the password", "new_password": "a long new password"})),
            SIGNED_IN,
        ),
        // Refused once the caller may: an unknown time zone (422), nothing saved.
        row(
            Method::PATCH,
            "/api/v1/me",
            "/api/v1/me".into(),
            Body::Json(json!({"name": "Taken over", "time_zone": "Mars/Olympus"})),
            SIGNED_IN,
        ),
        row(Method::GET, "/api/v1/me/sessions", "/api/v1/me/sessions".into(), Body::None, SIGNED_IN),
        // Alice's browser session: anyone else's answer is 404 (before the row below ends it).
        row(
            Method::DELETE,
            "/api/v1/me/sessions/{id}",
            format!("/api/v1/me/sessions/{}", w.victim_session),
            Body::None,
            &[Who::Alice],
        ),
        // With a bearer token: ends every browser session of the caller's own, no one else's.
        row(Method::DELETE, "/api/v1/me/sessions", "/api/v1/me/sessions".into(), Body::None, SIGNED_IN),
        // The person themself or an admin.
        row(
            Method::GET,
            "/api/v1/users/{id}/export",
            format!("/api/v1/users/{}/export", w.alice_id),
            Body::None,
            &[Who::Alice, Who::Admin],
        ),
        row(
            Method::GET,
            "/api/v1/users/{id}/export/download",
            format!("/api/v1/users/{}/export/download", w.alice_id),
            Body::None,
            &[Who::Alice, Who::Admin],
        ),
        // The administrator themselves: refused (422) once the caller may.
        row(Method::POST, "/api/v1/users/{id}/erase", format!("/api/v1/users/{}/erase", w.admin_id), Body::None, ADMIN),
        row(
            Method::POST,
            "/api/v1/organizations",
            "/api/v1/organizations".into(),
            Body::Json(json!({"slug": "matrix", "name": "Matrix", "plan": "no-such-plan"})),
            ADMIN,
        ),
        row(
            Method::POST,
            "/api/v1/users",
            "/api/v1/users".into(),
            Body::Json(
                json!({"email": "not an address", "password": "a long password", "name": "M", "role": "customer", "organization": "acme"}),
            ),
            ADMIN,
        ),
        row(Method::GET, "/api/v1/users", "/api/v1/users".into(), Body::None, ADMIN),
        row(Method::GET, "/api/v1/users/{id}", format!("/api/v1/users/{}", w.alice_id), Body::None, ADMIN),
        // Refused once the caller may: an unknown time zone (422).
        row(
            Method::PATCH,
            "/api/v1/users/{id}",
            format!("/api/v1/users/{}", w.alice_id),
            Body::Json(json!({"name": "Taken over", "time_zone": "Mars/Olympus"})),
            ADMIN,
        ),
        // The administrator themselves: refused (422) once the caller may.
        row(
            Method::POST,
            "/api/v1/users/{id}/deactivate",
            format!("/api/v1/users/{}/deactivate", w.admin_id),
            Body::None,
            ADMIN,
        ),
        // Alice is active: reactivating her changes nothing.
        row(
            Method::POST,
            "/api/v1/users/{id}/reactivate",
            format!("/api/v1/users/{}/reactivate", w.alice_id),
            Body::None,
            ADMIN,
        ),
        row(Method::GET, "/api/v1/admin/checklist", "/api/v1/admin/checklist".into(), Body::None, ADMIN),
        row(Method::GET, "/api/v1/organizations", "/api/v1/organizations?q=acme".into(), Body::None, ADMIN),
        row(Method::GET, "/api/v1/organizations/{slug}", "/api/v1/organizations/acme".into(), Body::None, ADMIN),
        // A slug another organization has: the admin is refused it (422), nothing changes.
        row(
            Method::PATCH,
            "/api/v1/organizations/{slug}",
            "/api/v1/organizations/acme".into(),
            Body::Json(json!({"slug": "globex"})),
            ADMIN,
        ),
        // Initech, not Acme: Alice's and Olga's tokens must outlive the matrix. The admin
        // deactivates it and the next row reactivates it.
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/deactivate",
            "/api/v1/organizations/initech/deactivate".into(),
            Body::None,
            ADMIN,
        ),
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/reactivate",
            "/api/v1/organizations/initech/reactivate".into(),
            Body::None,
            ADMIN,
        ),
        row(
            Method::GET,
            "/api/v1/organizations/{slug}/products",
            "/api/v1/organizations/acme/products".into(),
            Body::None,
            ADMIN,
        ),
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/products",
            "/api/v1/organizations/acme/products".into(),
            Body::Json(json!({"name": "Matrix", "versions": [], "supported_majors": 2})),
            ADMIN,
        ),
        row(
            Method::PUT,
            "/api/v1/organizations/{slug}/products",
            "/api/v1/organizations/acme/products".into(),
            Body::Json(json!({"name": "Matrix", "versions": ["1.0"], "supported_majors": 0})),
            ADMIN,
        ),
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/calendar/holidays",
            "/api/v1/organizations/acme/calendar/holidays".into(),
            Body::Calendar("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
            ADMIN,
        ),
        row(Method::GET, "/api/v1/audit", "/api/v1/audit".into(), Body::None, ADMIN),
        row(
            Method::GET,
            "/api/v1/reports/{metric}",
            "/api/v1/reports/backlog?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z".into(),
            Body::None,
            OLGA_AND_SUPPORT,
        ),
        row(Method::GET, "/api/v1/cases", "/api/v1/cases".into(), Body::None, SIGNED_IN),
        // Everyone signed in searches (each within what they may see: `case_search.rs`).
        row(Method::GET, "/api/v1/cases/search", "/api/v1/cases/search?q=printer".into(), Body::None, SIGNED_IN),
        row(Method::GET, "/api/v1/cases/{number}", format!("/api/v1/cases/{case}"), Body::None, ACME_AND_SUPPORT),
        row(
            Method::POST,
            "/api/v1/cases/{number}/status",
            format!("/api/v1/cases/{case}/status"),
            Body::Json(json!({"status": "resolved", "resolution": "unable_to_reproduce", "expected_version": 0})),
            ACME_AND_SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/cases/{number}/verdict",
            format!("/api/v1/cases/{case}/verdict"),
            Body::Json(json!({"verdict": "solved", "expected_version": 0})),
            &[Who::Alice, Who::Olga],
        ),
        row(
            Method::GET,
            "/api/v1/cases/{number}/sla",
            format!("/api/v1/cases/{case}/sla"),
            Body::None,
            ACME_AND_SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/cases/{number}/replies",
            format!("/api/v1/cases/{case}/replies"),
            Body::Json(json!({"body": "matrix reply", "seen_version": 0})),
            ACME_AND_SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/cases/{number}/assign",
            format!("/api/v1/cases/{case}/assign"),
            Body::Json(json!({"engineer": "me", "expected_version": 0})),
            SUPPORT,
        ),
        row(
            Method::GET,
            "/api/v1/cases/{number}/events",
            format!("/api/v1/cases/{case}/events"),
            Body::None,
            ACME_AND_SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/cases/{number}/links",
            format!("/api/v1/cases/{case}/links"),
            Body::Json(json!({"case": case, "kind": "related"})),
            SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/cases/{number}/severity",
            format!("/api/v1/cases/{case}/severity"),
            Body::Json(json!({"severity": 1, "expected_version": 0})),
            SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/cases/{number}/severity-requests",
            format!("/api/v1/cases/{case}/severity-requests"),
            Body::Json(json!({"severity": 1, "reason": "Production is down for everyone"})),
            // Support may record a request a customer makes by phone.
            ACME_AND_SUPPORT,
        ),
        // Time: support only; refused once the caller may (0 minutes: 422), nothing logged.
        row(
            Method::POST,
            "/api/v1/cases/{number}/time",
            format!("/api/v1/cases/{case}/time"),
            Body::Json(json!({"minutes": 0, "activity": "expertise", "billable": true})),
            SUPPORT,
        ),
        // The hour bank: support and the organization's admin read it; packs are the
        // administrator's (a past end: 422, nothing recorded).
        row(Method::GET, "/api/v1/organizations/{slug}/hours", "/api/v1/organizations/acme/hours".into(), Body::None, OLGA_AND_SUPPORT),
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/hours/packs",
            "/api/v1/organizations/acme/hours/packs".into(),
            Body::Json(json!({"minutes": 600, "valid_until": "2020-01-01T00:00:00Z"})),
            ADMIN,
        ),
        row(
            Method::POST,
            "/api/v1/cases/{number}/attachments",
            format!("/api/v1/cases/{case}/attachments"),
            Body::Png,
            ACME_AND_SUPPORT,
        ),
        row(
            Method::GET,
            "/api/v1/cases/{number}/attachments/{id}",
            format!("/api/v1/cases/{case}/attachments/{}", w.attachment),
            Body::None,
            ACME_AND_SUPPORT,
        ),
        row(Method::DELETE, "/api/v1/uploads/{id}", format!("/api/v1/uploads/{}", w.upload), Body::None, &[Who::Alice]),
        row(
            Method::POST,
            "/api/v1/kb/articles",
            "/api/v1/kb/articles".into(),
            Body::Json(json!({"title": "", "body": ""})),
            SUPPORT,
        ),
        row(Method::GET, "/api/v1/kb/articles", "/api/v1/kb/articles?limit=5".into(), Body::None, SIGNED_IN),
        row(
            Method::POST,
            "/api/v1/status/maintenances",
            "/api/v1/status/maintenances".into(),
            Body::Json(json!({"title": "", "time_zone": "Europe/Paris", "start": "2026-01-07T00:00", "duration_minutes": 60})),
            SUPPORT,
        ),
        row(Method::GET, "/api/v1/status/maintenances", "/api/v1/status/maintenances?limit=5".into(), Body::None, SIGNED_IN),
        row(
            Method::GET,
            "/api/v1/status/maintenances/{id}/occurrences",
            format!(
                "/api/v1/status/maintenances/{}/occurrences?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z",
                w.maintenance
            ),
            Body::None,
            SIGNED_IN,
        ),
        row(
            Method::GET,
            "/api/v1/kb/articles/{id}",
            format!("/api/v1/kb/articles/{}", w.article),
            Body::None,
            SIGNED_IN,
        ),
        // Refused once the caller may: an empty title (422).
        row(
            Method::PUT,
            "/api/v1/kb/articles/{id}",
            format!("/api/v1/kb/articles/{}", w.article),
            Body::Json(json!({"title": "", "body": ""})),
            SUPPORT,
        ),
        row(
            Method::GET,
            "/api/v1/kb/articles/{id}/source",
            format!("/api/v1/kb/articles/{}/source", w.article),
            Body::None,
            SUPPORT,
        ),
        // Support withdraws the article and the next row publishes it again.
        row(
            Method::POST,
            "/api/v1/kb/articles/{id}/unpublish",
            format!("/api/v1/kb/articles/{}/unpublish", w.article),
            Body::None,
            SUPPORT,
        ),
        row(
            Method::POST,
            "/api/v1/kb/articles/{id}/publish",
            format!("/api/v1/kb/articles/{}/publish", w.article),
            Body::None,
            SUPPORT,
        ),
        row(Method::GET, "/api/v1/kb/search", "/api/v1/kb/search?q=printer".into(), Body::None, SIGNED_IN),
        row(
            Method::POST,
            "/api/v1/kb/deflections",
            "/api/v1/kb/deflections".into(),
            Body::Json(json!({"kind": "nothing", "id": 0, "query": ""})),
            &[Who::Alice, Who::Bruno, Who::Olga],
        ),
        row(Method::GET, "/api/v1/kb/deflections", "/api/v1/kb/deflections".into(), Body::None, SUPPORT),
        row(Method::GET, "/api/v1/sla/preview", "/api/v1/sla/preview?severity=1".into(), Body::None, SIGNED_IN),
        row(Method::GET, "/api/v1/plans", "/api/v1/plans".into(), Body::None, SIGNED_IN),
        // Acme's own product list: another organization's customer is refused (404).
        row(
            Method::GET,
            "/api/v1/products/version-support",
            "/api/v1/products/version-support?organization=acme&product=Kibana&version=8.1".into(),
            Body::None,
            ACME_AND_SUPPORT,
        ),
        row(Method::PUT, "/api/v1/plans/{id}", "/api/v1/plans/matrix-plan".into(), Body::Json(w.plan.clone()), ADMIN),
        row(
            Method::PUT,
            "/api/v1/organizations/{slug}/contract",
            "/api/v1/organizations/acme/contract".into(),
            Body::Json(json!({"plan": "no-such-plan", "time_zone": "Europe/Paris", "working_days": ["monday"],
                "windows": [{"start": "09:00", "end": "18:00"}], "holidays": []})),
            ADMIN,
        ),
        // Refused once the caller may: no contact for a bug (422 `reporter`).
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/cases",
            "/api/v1/organizations/acme/cases".into(),
            Body::Json(json!({"case": {"summary": "Matrix", "description": "Matrix", "kind": "bug", "environment": "test"}})),
            SUPPORT,
        ),
        row(
            Method::GET,
            "/api/v1/organizations/{slug}/contacts",
            "/api/v1/organizations/acme/contacts".into(),
            Body::None,
            ACME_ADMINS,
        ),
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/contacts",
            "/api/v1/organizations/acme/contacts".into(),
            Body::Json(json!({"name": "", "email": "not an address"})),
            ACME_ADMINS,
        ),
        row(
            Method::PUT,
            "/api/v1/organizations/{slug}/contacts/{id}",
            format!("/api/v1/organizations/acme/contacts/{}", w.alice_id),
            Body::Json(json!({"opens_cases": true})),
            ACME_ADMINS,
        ),
        row(
            Method::DELETE,
            "/api/v1/organizations/{slug}/contacts/{id}",
            format!("/api/v1/organizations/acme/contacts/{}", w.olga_id),
            Body::None,
            ACME_ADMINS,
        ),
        // Alice has signed up: sending her invitation again or revoking it is refused (422)
        // once the caller may.
        row(
            Method::POST,
            "/api/v1/organizations/{slug}/contacts/{id}/invitation",
            format!("/api/v1/organizations/acme/contacts/{}/invitation", w.alice_id),
            Body::None,
            ACME_ADMINS,
        ),
        row(
            Method::DELETE,
            "/api/v1/organizations/{slug}/contacts/{id}/invitation",
            format!("/api/v1/organizations/acme/contacts/{}/invitation", w.alice_id),
            Body::None,
            ACME_ADMINS,
        ),
        row(Method::GET, "/api/v1/me/notifications", "/api/v1/me/notifications".into(), Body::None, SIGNED_IN),
        row(
            Method::PUT,
            "/api/v1/me/notifications",
            "/api/v1/me/notifications".into(),
            Body::Json(json!({"no_such_kind": true})),
            SIGNED_IN,
        ),
        row(Method::GET, "/api/v1/views", "/api/v1/views".into(), Body::None, SUPPORT),
        // Refused once the caller may: an empty name (422).
        row(Method::POST, "/api/v1/views", "/api/v1/views".into(), Body::Json(json!({"name": ""})), SUPPORT),
        row(
            Method::PATCH,
            "/api/v1/views/{id}",
            format!("/api/v1/views/{}", w.view),
            Body::Json(json!({"name": ""})),
            ADMIN,
        ),
        row(Method::DELETE, "/api/v1/views/{id}", format!("/api/v1/views/{}", w.view), Body::None, ADMIN),
        row(
            Method::PUT,
            "/api/v1/organizations/{slug}/email-intake",
            "/api/v1/organizations/acme/email-intake".into(),
            Body::Json(json!({"allowed": true})),
            ADMIN,
        ),
    ]
}

/// Operations outside the matrix, and why.
const ELSEWHERE: [(&str, &str); 6] = [
    ("GET /api/v1/openapi.json", "public by design"),
    ("POST /api/v1/auth/token", "public by design: signing in (security_accounts.rs)"),
    ("POST /api/v1/mail/inbound", "the mail gateway's own token (mail.rs)"),
    ("GET /api/v1/events", "a stream: checked below, per role, by its first bytes"),
    ("POST /api/v1/cases", "anyone signed in may open a case in their own scope (api.rs)"),
    ("POST /api/v1/uploads", "anyone signed in may upload for their own next case or reply (attachments.rs)"),
];

/// Everything a refused request could have touched, as the administrator reads it.
async fn fingerprint(admin: &Api, alice: &Api, w: &World) -> Vec<String> {
    let mut seen = Vec::new();
    for path in [
        format!("/api/v1/cases/{}", w.case),
        format!("/api/v1/cases/{}/events", w.case),
        "/api/v1/organizations/acme/contacts".into(),
        "/api/v1/organizations?limit=200".into(),
        "/api/v1/organizations/acme/products".into(),
        "/api/v1/plans".into(),
        "/api/v1/cases".into(),
        format!("/api/v1/kb/articles/{}", w.article),
        "/api/v1/kb/deflections".into(),
        "/api/v1/views".into(),
        "/api/v1/users?limit=200".into(),
        "/api/v1/audit?limit=200".into(),
        "/api/v1/registrations?limit=200".into(),
        "/api/v1/status/components".into(),
        "/api/v1/status/incidents?limit=100".into(),
        "/api/v1/status/maintenances?limit=200".into(),
        "/api/v1/organizations/acme/hours?limit=200".into(),
    ] {
        let answer = admin.get(&path).await;
        seen.push(format!("{path}: {} {}", answer.status, answer.text()));
    }
    for path in ["/api/v1/auth/tokens", "/api/v1/me/notifications", "/api/v1/me"] {
        let answer = alice.get(path).await;
        // A token's `last_used_at` moves by itself (hourly); the rest may not.
        seen.push(format!(
            "alice {path}: {} {}",
            answer.status,
            answer.text().split("\"last_used_at\"").next().unwrap_or("")
        ));
    }
    seen
}

/// The answer the rule calls for: never a 5xx; whoever may gets past the checks of who may
/// (any status but 401, 403 and 404); anonymous is told to sign in; anyone else is refused.
fn right_answer(allowed: bool, who: Who, status: u16) -> bool {
    match (allowed, who) {
        _ if status >= 500 => false,
        (true, _) => !matches!(status, 401 | 403 | 404),
        (false, Who::Anonymous) => status == 401,
        (false, _) => matches!(status, 403 | 404),
    }
}

/// The callers in the order they try: the refused first (each checked to change nothing),
/// then those who may (whose writes may change things).
fn refused_first(allowed: &[Who]) -> impl Iterator<Item = &'static Who> + '_ {
    EVERYONE.iter().filter(|w| !allowed.contains(w)).chain(EVERYONE.iter().filter(|w| allowed.contains(w)))
}

async fn send(api: &Api, row: &Row) -> Answer {
    let request = api.request(row.method.clone(), &row.path);
    let request = match &row.body {
        Body::None => request,
        Body::Json(body) => request.json(body),
        Body::Png => request.multipart(Form::new().part("file", Part::bytes(PNG.to_vec()).file_name("matrix.png"))),
        Body::Calendar(text) => request.header("Content-Type", "text/calendar").body(*text),
    };
    api.send(request).await
}

async fn world(s: &TestServer) -> (World, Api) {
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&case_body("Matrix case")).await["number"].as_i64().unwrap();
    alice.upload(case, &[("screen.png", PNG.to_vec())], None).await.expect(reqwest::StatusCode::CREATED);
    let attachment = alice.attachments(case).await[0]["change"]["attachment_id"].as_i64().unwrap();
    let upload =
        alice.upload_for_draft(&[("draft.png", PNG.to_vec())]).await.expect(reqwest::StatusCode::CREATED)[0]["id"]
            .to_string();
    let article = sam
        .post("/api/v1/kb/articles", &json!({"title": "Printer jams", "body": "Open the tray."}))
        .await
        .expect(reqwest::StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let victim = s.api().token("alice@acme.example", PASSWORD).await.ok()["id"].as_i64().unwrap();
    let alice_id = s.store.user_by_email("alice@acme.example").await.unwrap().unwrap().id;
    let olga_id = s.store.user_by_email("olga@acme.example").await.unwrap().unwrap().id;
    let admin = s.demo("admin@caseboard.example").await;
    let mut plan = admin.get("/api/v1/plans").await.ok()[0].clone();
    plan["id"] = json!("matrix-plan");
    plan["name"] = json!("Matrix plan");
    let view = admin
        .post("/api/v1/views", &json!({"name": "Matrix queue", "shared": true, "filter": {"severity": 1}}))
        .await
        .expect(reqwest::StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let admin_id = admin.me().await.ok()["id"].as_i64().unwrap();
    let maintenance = sam
        .post(
            "/api/v1/status/maintenances",
            &json!({"title": "Monthly", "components": [1], "time_zone": "Europe/Paris", "start": "2026-01-07T00:00",
                "duration_minutes": 360, "rrule": "FREQ=MONTHLY;BYDAY=1WE"}),
        )
        .await
        .expect(reqwest::StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let browser = common::Browser::sign_in(&s.base, "alice@acme.example", PASSWORD).await;
    let sessions = browser.request(Method::GET, "/api/v1/me/sessions").send().await.unwrap();
    let sessions: Value = sessions.json().await.unwrap();
    let victim_session = sessions["sessions"][0]["id"].as_str().expect("Alice's session").to_owned();
    let world = World {
        case,
        attachment,
        article,
        alice_id,
        olga_id,
        victim_token: victim,
        upload,
        plan,
        view,
        admin_id,
        victim_session,
        maintenance,
    };
    (world, alice)
}

#[tokio::test]
async fn every_operation_refuses_whoever_may_not_and_the_refusal_changes_nothing() {
    let s = common::start().await;
    let (w, alice) = world(&s).await;
    let admin = s.demo("admin@caseboard.example").await;
    let callers = [
        (Who::Anonymous, s.api()),
        (Who::Alice, alice.clone()),
        (Who::Bruno, s.demo("bruno@globex.example").await),
        (Who::Olga, s.demo("olga@acme.example").await),
        (Who::Sam, s.demo("sam@caseboard.example").await),
        (Who::Admin, admin.clone()),
    ];
    let table = rows(&w);

    // The matrix covers the whole API: every documented operation is a row or named above.
    let document = s.api().get("/api/v1/openapi.json").await.ok();
    let mut missing = Vec::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let name = format!("{} {path}", method.to_uppercase());
            let covered = table.iter().any(|r| format!("{} {}", r.method, r.template) == name)
                || ELSEWHERE.iter().any(|(n, _)| *n == name);
            if !covered {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "operations outside the role matrix: {missing:?}");

    let mut failures = Vec::new();
    for row in &table {
        let mut line = format!("{:<7}{:<50}", row.method.as_str(), row.template);
        for who in refused_first(row.allowed) {
            let api = &callers.iter().find(|(w, _)| w == who).unwrap().1;
            let allowed = row.allowed.contains(who);
            let before = if allowed { Vec::new() } else { fingerprint(&admin, &alice, &w).await };
            let answer = send(api, row).await;
            let status = answer.status.as_u16();
            let ok = right_answer(allowed, *who, status);
            let after = if allowed { Vec::new() } else { fingerprint(&admin, &alice, &w).await };
            let changed = after != before;
            if changed {
                for (b, a) in before.iter().zip(&after).filter(|(b, a)| b != a) {
                    println!(
                        "  changed: {}\n     now: {}",
                        b.chars().take(300).collect::<String>(),
                        a.chars().take(300).collect::<String>()
                    );
                }
            }
            line.push_str(&format!(" {who:?}={status}{}", if changed { "(CHANGED)" } else { "" }));
            if !ok || changed {
                let text: String = answer.text().chars().take(120).collect();
                failures.push(format!("{} {} as {who:?}: {status} {text} (allowed: {allowed})", row.method, row.path));
            }
        }
        println!("{line}");
    }
    assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn the_live_stream_opens_for_everyone_signed_in_and_never_for_anonymous() {
    let s = common::start().await;
    assert_eq!(s.api().stream(None).await.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert_eq!(s.api().with_token("forged").stream(None).await.status(), reqwest::StatusCode::UNAUTHORIZED);
    for email in ["alice@acme.example", "bruno@globex.example", "sam@caseboard.example"] {
        assert_eq!(s.demo(email).await.stream(None).await.status(), reqwest::StatusCode::OK, "{email}");
    }
}

/// The server functions (what the pages call), by the same six callers with browser
/// sessions: the same rule of who may, and the same "a refusal changes nothing". Public
/// ones (signing in and out, accepting an invitation) and the caller's own scope (opening a
/// case: `intake.rs`) are tested where they live.
#[tokio::test]
async fn every_server_function_refuses_whoever_may_not_and_the_refusal_changes_nothing() {
    let s = common::start().await;
    let (w, alice) = world(&s).await;
    let admin = s.demo("admin@caseboard.example").await;
    let callers = [
        (Who::Anonymous, common::Browser::anonymous(&s.base)),
        (Who::Alice, s.browser("alice@acme.example").await),
        (Who::Bruno, s.browser("bruno@globex.example").await),
        (Who::Olga, s.browser("olga@acme.example").await),
        (Who::Sam, s.browser("sam@caseboard.example").await),
        (Who::Admin, s.browser("admin@caseboard.example").await),
    ];
    let n = w.case.to_string();
    let customers: &[Who] = &[Who::Alice, Who::Bruno, Who::Olga];
    let table: Vec<(&str, Vec<(&str, String)>, &[Who])> = vec![
        ("board_cases", vec![], SUPPORT),
        ("board_counts", vec![("assignee", "mine".into())], SUPPORT),
        ("board_column", vec![("status", "new".into()), ("cursor", "753a313a313a323032362d30312d30315431303a30303a30305a".into())], SUPPORT),
        ("board_card", vec![("number", n.clone())], SUPPORT),
        ("support_team", vec![], SUPPORT),
        ("board_queues", vec![], SUPPORT),
        // Refused once the caller may: an empty name (422).
        ("save_queue", vec![("name", "".into()), ("statuses", "new".into())], SUPPORT),
        // The administrator's shared queue: Sam may not delete it.
        ("delete_queue", vec![("id", w.view.to_string())], ADMIN),
        ("read_case", vec![("number", n.clone())], ACME_AND_SUPPORT),
        (
            "move_case",
            vec![
                ("number", n.clone()),
                ("status", "resolved".into()),
                ("resolution", "unable_to_reproduce".into()),
                ("expected_version", "0".into()),
            ],
            ACME_AND_SUPPORT,
        ),
        (
            "reply_to_case",
            vec![("number", n.clone()), ("body", "matrix reply".into()), ("seen_version", "0".into())],
            ACME_AND_SUPPORT,
        ),
        (
            "assign_case",
            vec![("number", n.clone()), ("engineer", "me".into()), ("expected_version", "0".into())],
            SUPPORT,
        ),
        // Presence is support's: who else is on the case.
        ("case_presence", vec![("number", n.clone()), ("activity", "viewing".into())], SUPPORT),
        ("link_case", vec![("number", n.clone()), ("other", n.clone())], SUPPORT),
        (
            "change_severity",
            vec![("number", n.clone()), ("severity", "1".into()), ("expected_version", "0".into())],
            SUPPORT,
        ),
        (
            "give_verdict",
            vec![("number", n.clone()), ("verdict", "solved".into()), ("expected_version", "0".into())],
            &[Who::Alice, Who::Olga],
        ),
        ("organization_contacts", vec![], &[Who::Olga]),
        ("set_case_opener", vec![("user_id", w.alice_id.to_string()), ("opens", "true".into())], &[Who::Olga]),
        ("invite_contact", vec![("name", "".into()), ("email", "not an address".into())], &[Who::Olga]),
        // Refused once the caller may: an empty name, the last admin, an accepted invitation.
        ("edit_contact", vec![("user_id", w.alice_id.to_string()), ("name", "".into())], &[Who::Olga]),
        ("remove_contact", vec![("user_id", w.olga_id.to_string())], &[Who::Olga]),
        ("resend_invitation", vec![("user_id", w.alice_id.to_string())], &[Who::Olga]),
        ("revoke_invitation", vec![("user_id", w.alice_id.to_string())], &[Who::Olga]),
        // Support has no contract of its own: 422 naming `organization`.
        ("my_contract", vec![], SIGNED_IN),
        ("my_cases", vec![], SIGNED_IN),
        ("my_products", vec![], SIGNED_IN),
        ("notification_preferences", vec![], SIGNED_IN),
        ("account_profile", vec![], SIGNED_IN),
        // Refused once the caller may: an empty name, a wrong current password (422).
        ("save_account_profile", vec![("name", "".into()), ("language", "en".into()), ("time_zone", "UTC".into())], SIGNED_IN),
        (
            "change_own_password",
            vec![("current_password", "not the password".into()), ("new_password", "a long new password".into())],
            SIGNED_IN,
        ),
        ("account_sessions", vec![], SIGNED_IN),
        ("account_api_tokens", vec![], SIGNED_IN),
        ("revoke_account_api_token", vec![("id", w.victim_token.to_string())], &[Who::Alice]),
        ("set_notification_preference", vec![("kind", "no_such_kind".into()), ("enabled", "true".into())], SIGNED_IN),
        ("search_kb", vec![("q", "printer".into())], SIGNED_IN),
        // Refused once the caller may: an empty title (422), nothing planned.
        (
            "plan_maintenance",
            vec![
                ("title", "".into()),
                ("time_zone", "Europe/Paris".into()),
                ("start", "2026-01-07T00:00".into()),
                ("duration_minutes", "60".into()),
            ],
            SUPPORT,
        ),
        ("maintenance_ahead", vec![], SIGNED_IN),
        ("search_cases", vec![("q", "printer".into()), ("status", "new".into())], SIGNED_IN),
        // Not a language Caseboard has: refused as the field's error, nothing saved.
        ("choose_language", vec![("language", "klingon".into())], SIGNED_IN),
        ("read_article", vec![("id", w.article.to_string())], SIGNED_IN),
        ("first_run_checklist", vec![], ADMIN),
        ("intake_organizations", vec![("q", "ac".into())], SUPPORT),
        ("intake_contacts", vec![("slug", "acme".into()), ("q", "".into())], SUPPORT),
        ("kb_articles", vec![], SIGNED_IN),
        ("kb_article_source", vec![("id", w.article.to_string())], SUPPORT),
        // Refused once the caller may: an empty title (422).
        (
            "save_article",
            vec![
                ("id", w.article.to_string()),
                ("title", " ".into()),
                ("body", "x".into()),
                ("product", "".into()),
                ("tags", "".into()),
                ("language", "en".into()),
            ],
            SUPPORT,
        ),
        // Already published: publishing it changes nothing.
        ("publish_article", vec![("id", w.article.to_string()), ("published", "true".into())], SUPPORT),
        ("deflect_case", vec![("kind", "nothing".into()), ("id", "0".into()), ("query", "".into())], customers),
        ("registrations", vec![("status", "".into()), ("cursor", "".into())], ADMIN),
        // Refused once the caller may: no organization, no reason (422).
        ("approve_registration", vec![("id", "1".into()), ("organization", "".into())], ADMIN),
        ("reject_registration", vec![("id", "1".into()), ("reason", "".into())], ADMIN),
        // Platform status: the board is public; the rest is support's, refused once the
        // caller may (an empty name or title, an unknown status, no case number: 422).
        ("public_status", vec![], &EVERYONE),
        ("status_components", vec![], SUPPORT),
        ("status_incidents", vec![("cursor", "".into())], SUPPORT),
        ("create_status_component", vec![("name", "".into())], SUPPORT),
        ("set_status_component", vec![("id", "1".into()), ("status", "on_fire".into())], SUPPORT),
        (
            "open_status_incident",
            vec![("title", "".into()), ("message", "x".into())],
            SUPPORT,
        ),
        ("post_status_update", vec![("id", "1".into()), ("status", "fixed".into()), ("message", "x".into())], SUPPORT),
        ("link_status_case", vec![("id", "1".into()), ("number", "".into())], SUPPORT),
        (
            "request_severity_raise",
            vec![("number", n.clone()), ("severity", "1".into()), ("reason", "Production is down".into())],
            ACME_AND_SUPPORT,
        ),
        // The admin console's people, plans and log (`change_person` and `save_custom_plan`
        // take JSON: admin_people_pages.rs). Refused once the caller may: a malformed person,
        // deactivating oneself; reactivating an active person changes nothing.
        ("admin_people", vec![("role", "engineer".into())], ADMIN),
        ("admin_person", vec![("id", w.alice_id.to_string())], ADMIN),
        (
            "create_person",
            vec![
                ("email", "not an address".into()),
                ("name", "".into()),
                ("password", "short".into()),
                ("role", "engineer".into()),
            ],
            ADMIN,
        ),
        ("deactivate_person", vec![("id", w.admin_id.to_string())], ADMIN),
        ("reactivate_person", vec![("id", w.alice_id.to_string())], ADMIN),
        ("support_plans", vec![], SIGNED_IN),
        ("admin_log", vec![], ADMIN),
        ("report", vec![("metric", "backlog".into())], OLGA_AND_SUPPORT),
        // Time and the hour bank: refused once the caller may (0 minutes: 422).
        ("read_case_hours", vec![("number", n.clone())], SUPPORT),
        (
            "log_case_time",
            vec![("number", n.clone()), ("minutes", "0".into()), ("activity", "expertise".into())],
            SUPPORT,
        ),
        ("organization_hours", vec![], &[Who::Olga]),
    ];
    let mut failures = Vec::new();
    for (endpoint, args, allowed_roles) in &table {
        let mut line = format!("{endpoint:<30}");
        for who in refused_first(allowed_roles) {
            let browser = &callers.iter().find(|(w, _)| w == who).unwrap().1;
            let allowed = allowed_roles.contains(who);
            let before = if allowed { Vec::new() } else { fingerprint(&admin, &alice, &w).await };
            let answer = browser.call(endpoint, args).await;
            let status = answer.status.as_u16();
            let ok = right_answer(allowed, *who, status);
            let after = if allowed { Vec::new() } else { fingerprint(&admin, &alice, &w).await };
            let changed = after != before;
            line.push_str(&format!(" {who:?}={status}{}", if changed { "(CHANGED)" } else { "" }));
            if !ok || changed {
                let text: String = answer.text().chars().take(120).collect();
                failures.push(format!("{endpoint} as {who:?}: {status} {text} (allowed: {allowed})"));
            }
        }
        println!("{line}");
    }
    assert!(failures.is_empty(), "{} wrong answers:\n{}", failures.len(), failures.join("\n"));
}
