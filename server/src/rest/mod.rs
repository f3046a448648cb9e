//! REST API v1: JSON, bearer tokens (or the session cookie), documented at
//! `/api/v1/openapi.json`. One file per capability; handlers only translate HTTP (parse,
//! call one service function, answer): the rules live in `app::backend`, and the caller is
//! read by the same extractor as server functions' (`app::api::request::Caller`).

mod account;
mod accounts;
mod audit;
mod cases;
mod contacts;
mod contracts;
pub mod doc;
mod hour_bank;
pub mod json;
mod kb;
pub mod maintenance;
mod people;
mod organizations;
mod password_reset;
mod registrations;
mod reports;
mod search;
mod status;
mod verdict;
mod views;

use app::AppError;
use app::backend::AppState;
use app::domain::{Case, CaseDraft, Resolution, Role, SignedInUser, Status};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

use account::*;
use accounts::*;
use audit::*;
use cases::*;
use contacts::*;
use contracts::*;
use doc::Completion;
use hour_bank::*;
use kb::*;
use maintenance::*;
use people::*;
use organizations::*;
use password_reset::*;
use registrations::*;
use reports::*;
use search::*;
use status::*;
use verdict::*;
use views::*;

pub use app::api::request::Caller;
pub use json::ApiJson;

/// The largest request body: a 64 KiB description and its JSON overhead fit.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/events", get(crate::live::events))
        .route("/auth/token", post(create_token))
        .route("/auth/password-reset", post(request_password_reset))
        .route("/auth/password-reset/confirm", post(confirm_password_reset))
        .route("/auth/register", post(register))
        .route("/auth/register/verify", post(verify_registration))
        .route("/auth/tokens", get(list_tokens))
        .route("/auth/tokens/{id}", axum::routing::delete(revoke_token))
        .route("/me", get(me).patch(change_me))
        .route("/me/password", post(change_password))
        .route("/me/sessions", get(list_sessions).delete(end_other_sessions))
        .route("/me/sessions/{id}", axum::routing::delete(end_session))
        .route("/organizations", post(create_organization).get(list_organizations))
        .route("/organizations/{slug}", get(get_organization).patch(change_organization))
        .route("/organizations/{slug}/deactivate", post(deactivate_organization))
        .route("/organizations/{slug}/reactivate", post(reactivate_organization))
        .route("/organizations/{slug}/products", get(list_products).post(add_product).put(put_product))
        .route("/organizations/{slug}/calendar/holidays", post(import_holidays))
        .route("/users", post(create_user).get(list_users))
        .route("/users/{id}", get(get_user).patch(change_user))
        .route("/users/{id}/deactivate", post(deactivate_user))
        .route("/users/{id}/reactivate", post(reactivate_user))
        .route("/users/{id}/export", get(export_user))
        .route("/users/{id}/export/download", get(download_export))
        .route("/users/{id}/erase", post(erase_user))
        .route("/audit", get(list_audit))
        .route("/reports/{metric}", get(get_report))
        .route("/admin/checklist", get(first_run_checklist))
        .route("/registrations", get(list_registrations))
        .route("/status", get(status_board))
        .route("/status/components", post(create_component).get(list_components))
        .route("/status/components/{id}", axum::routing::patch(change_component))
        .route("/status/incidents", post(open_incident).get(list_incidents))
        .route("/status/incidents/{id}/updates", post(post_incident_update))
        .route("/status/incidents/{id}/cases", post(link_incident_case))
        .route("/registrations/{id}/approve", post(approve_registration))
        .route("/registrations/{id}/reject", post(reject_registration))
        .route("/cases", post(open_case).get(list_cases))
        .route("/cases/search", get(search_cases))
        .route("/cases/{number}", get(get_case))
        .route("/cases/{number}/status", post(change_status))
        .route("/cases/{number}/verdict", post(give_verdict))
        .route("/cases/{number}/sla", get(case_sla))
        .route("/cases/{number}/replies", post(reply))
        .route("/cases/{number}/assign", post(assign))
        .route("/cases/{number}/events", get(case_timeline))
        .route("/cases/{number}/links", post(link_cases))
        .route("/cases/{number}/severity", post(change_severity))
        .route("/cases/{number}/severity-requests", post(request_severity_raise))
        .route("/cases/{number}/time", post(log_time))
        .route("/organizations/{slug}/hours", get(get_hours))
        .route("/organizations/{slug}/hours/packs", post(add_hour_pack))
        .route("/kb/articles", post(write_article).get(list_articles))
        .route("/kb/articles/{id}", get(read_article).put(edit_article))
        .route("/kb/articles/{id}/source", get(article_source))
        .route("/kb/articles/{id}/publish", post(publish_article))
        .route("/kb/articles/{id}/unpublish", post(unpublish_article))
        .route("/kb/search", get(search_kb))
        .route("/kb/deflections", post(deflect).get(deflection_counts))
        .route("/status/maintenances", post(create_maintenance).get(list_maintenances))
        .route("/status/maintenances/{id}/occurrences", get(maintenance_occurrences))
        .route("/sla/preview", get(sla_preview))
        .route("/plans", get(list_plans))
        .route("/products/version-support", get(version_support))
        .route("/plans/{id}", axum::routing::put(put_plan))
        .route("/organizations/{slug}/contract", axum::routing::put(put_contract))
        .route("/organizations/{slug}/cases", post(open_case_for_organization))
        .route("/organizations/{slug}/contacts", get(list_contacts).post(invite_contact))
        .route("/organizations/{slug}/contacts/{id}", axum::routing::put(put_contact).delete(remove_contact))
        .route("/organizations/{slug}/contacts/{id}/invitation", post(resend_invitation).delete(revoke_invitation))
        .route("/views", get(list_views).post(create_view))
        .route("/views/{id}", axum::routing::patch(change_view).delete(delete_view))
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .fallback(|| async { AppError::NotFound })
}

/// The API's OpenAPI 3.1 document. Each operation's annotation says what its own rules
/// answer; [`doc::Completion`] adds what the transport answers (security, 400, 401, 403 for
/// cross-site cookie writes, 404 for path parameters, 413). `scripts/fuzz-api` checks it
/// with openapi-spec-validator and runs schemathesis against the server with it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Caseboard API",
        version = "1",
        description = "Support cases, organizations and users. Authenticate with POST /api/v1/auth/token, then send \
            Authorization: Bearer <token> (a browser's session cookie works too). Every refusal is \
            {\"error\", \"message\", …} JSON with the status that fits."
    ),
    modifiers(&Completion),
    paths(
        create_token,
        request_password_reset,
        confirm_password_reset,
        register,
        verify_registration,
        list_registrations,
        status_board,
        create_component,
        list_components,
        change_component,
        open_incident,
        list_incidents,
        post_incident_update,
        link_incident_case,
        approve_registration,
        reject_registration,
        list_tokens,
        revoke_token,
        me,
        change_me,
        change_password,
        list_sessions,
        end_other_sessions,
        end_session,
        create_organization,
        list_organizations,
        get_organization,
        change_organization,
        deactivate_organization,
        reactivate_organization,
        list_products,
        add_product,
        put_product,
        import_holidays,
        create_user,
        list_audit,
        get_report,
        first_run_checklist,
        list_users,
        get_user,
        change_user,
        deactivate_user,
        reactivate_user,
        export_user,
        download_export,
        erase_user,
        open_case,
        list_cases,
        search_cases,
        get_case,
        change_status,
        give_verdict,
        reply,
        assign,
        case_timeline,
        link_cases,
        open_case_for_organization,
        write_article,
        list_articles,
        read_article,
        edit_article,
        article_source,
        publish_article,
        unpublish_article,
        search_kb,
        create_maintenance,
        list_maintenances,
        maintenance_occurrences,
        crate::live::events,
        case_sla,
        sla_preview,
        list_plans,
        version_support,
        put_plan,
        put_contract,
        change_severity,
        request_severity_raise,
        log_time,
        get_hours,
        add_hour_pack,
        deflect,
        deflection_counts,
        list_contacts,
        put_contact,
        remove_contact,
        invite_contact,
        resend_invitation,
        revoke_invitation,
        list_views,
        create_view,
        change_view,
        delete_view,
        crate::mail::receive,
        crate::mail::preferences,
        crate::mail::set_preferences,
        crate::mail::set_email_intake,
        crate::attachments::upload,
        crate::attachments::download,
        crate::attachments::upload_for_draft,
        crate::attachments::remove_upload
    ),
    components(schemas(
        AppError,
        app::domain::audit::AuditPage,
        app::domain::metrics::Report,
        app::domain::metrics::ReportGroup,
        app::domain::metrics::Metric,
        app::domain::audit::AuditEntry,
        app::domain::audit::AuditActor,
        app::domain::profile::UserProfile,
        app::domain::profile::UserPage,
        app::domain::profile::UserChange,
        app::domain::account::OwnChange,
        app::domain::account::SessionSummary,
        app::domain::account::Sessions,
        app::domain::account::ExportPage,
        app::domain::account::ExportedCase,
        app::domain::account::ExportedReply,
        app::domain::account::Erasure,
        app::domain::Shift,
        Case,
        CaseDraft,
        app::domain::Severity,
        app::domain::CaseKind,
        app::domain::Environment,
        app::domain::Visibility,
        SignedInUser,
        Role,
        Status,
        Resolution,
        TokenRequest,
        TokenResponse,
        PasswordResetRequest,
        PasswordResetConfirm,
        app::backend::password_reset::ResetRequested,
        RegistrationRequest,
        RegistrationVerification,
        RegistrationApproval,
        RegistrationRejection,
        ComponentRequest,
        ComponentStatusChange,
        AffectedComponentRequest,
        IncidentRequest,
        IncidentUpdateRequest,
        IncidentCaseRequest,
        app::domain::status::Component,
        app::domain::status::ComponentStatus,
        app::domain::status::IncidentStatus,
        app::domain::status::AffectedComponent,
        app::domain::status::IncidentUpdate,
        app::domain::status::Incident,
        app::domain::status::ManagedIncident,
        app::domain::status::IncidentPage,
        app::domain::status::PublicComponent,
        app::domain::status::PublicMaintenance,
        app::domain::status::NextWindow,
        app::domain::status::StatusBoard,
        app::backend::registration::RegistrationRequested,
        app::domain::registration::Registration,
        app::domain::registration::RegistrationPage,
        app::domain::registration::RegistrationStatus,
        app::backend::accounts::ApiTokenSummary,
        PasswordChange,
        OrganizationRequest,
        OrganizationResponse,
        app::domain::OrganizationSummary,
        app::domain::Organizations,
        app::domain::ProductLine,
        app::backend::organizations::OrganizationEdit,
        app::backend::organizations::ProductRequest,
        HolidayImport,
        UserCreateRequest,
        StatusChange,
        VerdictRequest,
        app::domain::Verdict,
        ReplyRequest,
        AssignRequest,
        LinkRequest,
        app::api::request::CaseReference,
        app::domain::LinkKind,
        app::domain::kb::ArticleDraft,
        app::domain::kb::Article,
        app::domain::kb::ArticleSource,
        app::backend::support_intake::SupportCaseRequest,
        app::domain::first_run::FirstRunChecklist,
        app::domain::first_run::MailSummary,
        app::backend::contracts::VersionVerdict,
        app::domain::kb::SearchHit,
        app::domain::maintenance::MaintenanceDraft,
        app::domain::maintenance::Maintenance,
        app::domain::maintenance::MaintenancePage,
        app::domain::maintenance::Occurrence,
        app::domain::maintenance::Occurrences,
        app::domain::case_search::CaseSearchPage,
        app::domain::case_search::CaseSearchHit,
        app::domain::case_search::MatchedIn,
        app::domain::NotificationKind,
        crate::mail::NotificationPreference,
        crate::mail::EmailIntake,
        SeverityChange,
        SeverityRaiseRequest,
        TimeEntryRequest,
        HourPackRequest,
        app::domain::hour_bank::TimeEntry,
        app::domain::hour_bank::Activity,
        app::domain::hour_bank::HourBankView,
        app::domain::hour_bank::HourEntry,
        app::domain::hour_bank::LedgerKind,
        app::domain::hour_bank::MonthBurn,
        app::domain::hour_bank::HourPack,
        DeflectionRequest,
        app::backend::kb::DeflectionCounts,
        app::backend::contacts::ContactEdit,
        app::domain::people::Contact,
        app::domain::people::ContactStatus,
        app::domain::people::Contacts,
        app::backend::mail::inbound::InboundReport,
        app::backend::mail::inbound::InboundOutcome,
        app::domain::CaseEvent,
        app::domain::CaseChange,
        app::domain::sla::SlaClock,
        app::domain::plan::SupportPlan,
        app::domain::sla::ContractTerms,
        app::backend::contracts::ContractRequest,
        app::backend::contracts::SlaPreview,
        app::domain::DraftFile,
        app::backend::invitations::Invitation,
        app::domain::SavedView,
        app::domain::ViewFilter,
        app::domain::BoundedCount,
        ViewList,
        ViewRequest,
        ViewPatch,
        doc::NotificationChanges,
        doc::Unavailable,
        doc::FileParts
    ))
)]
struct ApiDoc;

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
