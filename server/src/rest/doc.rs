//! The OpenAPI document's shared parts: how callers authenticate, and the refusals every
//! operation of a kind can meet whatever its own rules (an unreadable body, no credentials,
//! a cross-site write, an unknown path parameter, a body over the limit). The operations'
//! annotations carry their own rules' answers (403 for a role, 404 for a reference in the
//! body, 409, 422, 429); [`Completion`] adds these to every operation and names each
//! refusal once under `components/responses`, in the API's one error shape.

use app::AppError;
use app::domain::NotificationKind;
use utoipa::openapi::path::{HttpMethod, Operation, ParameterIn, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{AdditionalProperties, Object, ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, Header, OpenApi, Ref, RefOr};
use utoipa::{Modify, PartialSchema, ToSchema};

/// Bearer token from `POST /api/v1/auth/token`.
pub const BEARER: &str = "bearer";
/// The browser's session cookie.
pub const SESSION: &str = "session";
/// The mail gateway's own token (`CASEBOARD_MAILGATE_TOKEN`).
pub const MAILGATE: &str = "mailgate";

/// The refusals named once, each with the status it goes with.
const REFUSALS: &[(&str, &str, &str)] = &[
    (
        "400",
        "Malformed",
        "The request could not be read: not JSON or not a JSON object, a wrong content type, a value of the \
         wrong JSON type, a missing or unknown field, a bad query string or case number (`malformed`).",
    ),
    (
        "401",
        "Unauthenticated",
        "No valid credentials: sign in, or send a valid token (`unauthenticated`, `bad_credentials`).",
    ),
    (
        "403",
        "Forbidden",
        "Not allowed: the caller's role may not do this, or a write authenticated by the session cookie came \
         from another site (`forbidden`).",
    ),
    ("404", "NotFound", "No such thing, or not the caller's to see: both answer alike (`not_found`)."),
    (
        "409",
        "Conflict",
        "The case changed since the version the caller stated (`conflict`, with `current_version` and, when \
         the caller may know, who changed it and how long ago), or something of that name already exists \
         (`exists`, with `field`: an organization's product).",
    ),
    ("413", "TooLarge", "The body is larger than this route takes (`too_large`)."),
    (
        "422",
        "Invalid",
        "A field was refused (`invalid`, with `field` and `reason`): required, too long, not allowed, \
         malformed (a value outside the field's domain, such as a severity of 7), the organization's last \
         admin (`last_admin`: it must keep one), an invitation already accepted (`already_accepted`), a \
         password reset or registration link used, expired or unknown (`token`, `not_allowed`), an account request \
         already approved or rejected (`registration`, `not_allowed`), or a search's `cursor` that is \
         not from the same search (`malformed`).",
    ),
    ("429", "RateLimited", "Too many attempts (`rate_limited`): try again after `Retry-After` seconds."),
];

/// Completes the document: security schemes (applied to every operation that does not say
/// otherwise), the transport refusals of each operation, and the `message` every error
/// carries.
pub struct Completion;

impl Modify for Completion {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.security_schemes.insert(
            BEARER.into(),
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `POST /api/v1/auth/token`, valid 90 days."))
                    .build(),
            ),
        );
        components.security_schemes.insert(
            SESSION.into(),
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                app::backend::accounts::SESSION_COOKIE,
                "The session of a browser signed in to the site; its writes must come from the site's own pages.",
            ))),
        );
        components.security_schemes.insert(
            MAILGATE.into(),
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The mail gateway's token, `CASEBOARD_MAILGATE_TOKEN`."))
                    .build(),
            ),
        );
        for (status, name, description) in REFUSALS {
            components.responses.insert((*name).into(), RefOr::T(refusal(status, description)));
        }
        if let Some(RefOr::T(Schema::OneOf(errors))) = components.schemas.get_mut("AppError") {
            for variant in &mut errors.items {
                if let RefOr::T(Schema::Object(variant)) = variant {
                    with_message(variant);
                }
            }
        }
        let signed_in = vec![SecurityRequirement::new(BEARER, [""; 0]), SecurityRequirement::new(SESSION, [""; 0])];
        doc.security = Some(signed_in);

        for (path, item) in doc.paths.paths.iter_mut() {
            let path_parameters = path_parameters(path);
            // Grouped by what they are about: `cases`, `kb`, `organizations`, …
            let tag = path.trim_start_matches("/api/v1/").split('/').next().unwrap_or_default().to_owned();
            for (method, operation) in operations(item) {
                operation.tags = Some(vec![tag.clone()]);
                add_refusals(method, operation, &path_parameters);
                for (status, response) in operation.responses.responses.iter_mut() {
                    if let RefOr::T(response) = response
                        && response.description.is_empty()
                    {
                        response.description = success(status).into();
                    }
                }
            }
        }
    }
}

/// The words for a success an annotation gave none for.
fn success(status: &str) -> &'static str {
    match status {
        "201" => "Created",
        "202" => "Accepted",
        "204" => "Done; no content",
        _ => "OK",
    }
}

/// An error response of the API's shape.
fn refusal(status: &str, description: &str) -> Response {
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(Ref::from_schema_name(AppError::name()))))
        .build();
    if status == "429" {
        let mut retry_after = Header::new(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)));
        retry_after.description = Some("Seconds to wait before trying again.".into());
        response.headers.insert("Retry-After".into(), retry_after);
    }
    response
}

/// Every error carries `message`, English text for people (the UI translates `error`).
fn with_message(variant: &mut Object) {
    variant.properties.insert(
        "message".into(),
        ObjectBuilder::new().schema_type(Type::String).description(Some("What went wrong, in English.")).into(),
    );
    variant.required.push("message".into());
    variant.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
}

/// The path parameters of `path` (`{number}`, `{slug}`, …).
fn path_parameters(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_owned)
        .collect()
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = (HttpMethod, &mut Operation)> {
    [
        (HttpMethod::Get, item.get.as_mut()),
        (HttpMethod::Put, item.put.as_mut()),
        (HttpMethod::Post, item.post.as_mut()),
        (HttpMethod::Delete, item.delete.as_mut()),
        (HttpMethod::Patch, item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.map(|operation| (method, operation)))
}

/// Adds to one operation the refusals its shape implies, each as a reference to the named
/// refusal; an error response the annotation gave without words of its own becomes the
/// reference too (one description, and `Retry-After` on every 429).
fn add_refusals(method: HttpMethod, operation: &mut Operation, path_parameters: &[String]) {
    let anonymous = operation.security.as_ref().is_some_and(|requirements| {
        requirements.is_empty() || requirements.iter().any(|r| *r == SecurityRequirement::default())
    });
    let queried = operation.parameters.iter().flatten().any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let mut implied: Vec<&str> = Vec::new();
    if operation.request_body.is_some() || queried || path_parameters.iter().any(|p| p == "number") {
        implied.push("400");
    }
    if !anonymous {
        implied.push("401");
    }
    if !matches!(method, HttpMethod::Get | HttpMethod::Head) {
        implied.push("403");
    }
    if !path_parameters.is_empty() {
        implied.push("404");
    }
    if operation.request_body.is_some() {
        implied.push("413");
    }
    let responses = &mut operation.responses.responses;
    for (status, name, _) in REFUSALS {
        let given_without_words = matches!(responses.get(*status), Some(RefOr::T(r)) if r.description.is_empty());
        if given_without_words || (implied.contains(status) && !responses.contains_key(*status)) {
            responses.insert((*status).into(), RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
        }
    }
}

/// `PUT /api/v1/me/notifications`: kinds to turn on (`true`) or off (`false`). A kind the
/// caller's role does not receive is refused (422) and nothing changes.
pub struct NotificationChanges;

impl PartialSchema for NotificationChanges {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Kinds to turn on (`true`) or off (`false`), e.g. `{\"support_replied\": false}`. A kind the \
                 caller's role does not receive is refused (422) and nothing changes.",
            ))
            .examples([serde_json::json!({"support_replied": false})])
            .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)));
        for kind in NotificationKind::ALL {
            object = object.property(kind.as_str(), ObjectBuilder::new().schema_type(Type::Boolean));
        }
        object.into()
    }
}

impl ToSchema for NotificationChanges {}

/// The mail gateway's answer when inbound mail is not configured (503).
pub struct Unavailable;

impl PartialSchema for Unavailable {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("error", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["unavailable"])))
            .property("message", ObjectBuilder::new().schema_type(Type::String))
            .required("error")
            .required("message")
            .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
            .into()
    }
}

impl ToSchema for Unavailable {}

/// The multipart form of an upload: one or more `file` parts.
pub struct FileParts;

impl PartialSchema for FileParts {
    fn schema() -> RefOr<Schema> {
        let file = ObjectBuilder::new().schema_type(Type::String).content_media_type("application/octet-stream");
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "file",
                utoipa::openapi::schema::ArrayBuilder::new()
                    .items(file)
                    .min_items(Some(1))
                    .max_items(Some(app::backend::attachments::FILES_PER_UPLOAD_MAX)),
            )
            .required("file")
            .into()
    }
}

impl ToSchema for FileParts {}
