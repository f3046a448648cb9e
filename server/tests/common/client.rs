//! One typed client for Caseboard's two surfaces, shared by the HTTP tests and the benches
//! (`#[path = "../tests/common/client.rs"] mod client;`): [`Api`] speaks the REST API with a
//! bearer token, [`Browser`] calls the server functions (`POST /api/<endpoint>`) with the
//! session cookie, as the pages do. Every call answers with an [`Answer`]: the status, the
//! headers and the body, so that refusals are checked as closely as successes.

use std::fmt::Display;

use reqwest::header::HeaderMap;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "caseboard-demo";

/// A new case as the REST API and the `open_case` server function take it.
pub fn case_body(summary: &str) -> Value {
    json!({
        "summary": summary,
        "description": "Exports fail with HTTP 500.",
        "kind": "bug",
        "severity": 2,
        "environment": "production"
    })
}

/// What the server answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    /// The body as JSON (`Null` when it is not JSON).
    pub body: Value,
}

impl Answer {
    pub async fn read(response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, headers, bytes, body }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// The body, once the status is checked to be `expected`.
    #[track_caller]
    pub fn expect(self, expected: StatusCode) -> Value {
        assert_eq!(self.status, expected, "{}", self.text());
        self.body
    }

    /// The body, once the status is checked to be a success.
    #[track_caller]
    pub fn ok(self) -> Value {
        assert!(self.status.is_success(), "{}: {}", self.status, self.text());
        self.body
    }

    /// The body as a list (asserted to be one).
    pub fn list(&self) -> Vec<Value> {
        // A plain array, or a page of cases (`{"cases": [...], "next_cursor": ...}`).
        self.body
            .as_array()
            .or_else(|| self.body["cases"].as_array())
            .cloned()
            .unwrap_or_else(|| panic!("not a list: {}: {}", self.status, self.text()))
    }

    /// `number` of the case in the body.
    #[track_caller]
    pub fn number(&self) -> i64 {
        self.body["number"].as_i64().unwrap_or_else(|| panic!("no case number in {}: {}", self.status, self.text()))
    }

    /// `version` of the case in the body.
    #[track_caller]
    pub fn version(&self) -> i64 {
        self.body["version"].as_i64().unwrap_or_else(|| panic!("no case version in {}: {}", self.status, self.text()))
    }

    /// The error kind of a refusal (`not_found`, `invalid`, …), or "".
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }

    /// The field an `invalid` refusal names, or "".
    pub fn field(&self) -> &str {
        self.body["field"].as_str().unwrap_or("")
    }
}

/// The REST API (`/api/v1`), as one caller: anonymous until [`Api::sign_in`].
#[derive(Clone)]
pub struct Api {
    base: String,
    http: reqwest::Client,
    token: Option<String>,
}

impl Api {
    /// The server at `base` (`http://127.0.0.1:3000`), anonymous.
    pub fn new(base: impl Into<String>) -> Api {
        Api { base: base.into(), http: reqwest::Client::new(), token: None }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The same caller with another bearer token (a forged one, say).
    pub fn with_token(&self, token: &str) -> Api {
        Api { token: Some(token.to_owned()), ..self.clone() }
    }

    /// The same caller with a client of its own (its own pool of connections).
    pub fn own_client(&self) -> Api {
        Api { http: reqwest::Client::new(), ..self.clone() }
    }

    /// The same caller on a connection of its own (not shared with its other requests).
    pub fn separate_connection(&self) -> Api {
        let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        Api { http, ..self.clone() }
    }

    /// The same caller on another instance (behind the same database).
    pub fn on(&self, base: &str) -> Api {
        Api { base: base.to_owned(), ..self.clone() }
    }

    /// `POST /auth/token`: the raw answer (refusals, rate limits).
    pub async fn token(&self, email: &str, password: &str) -> Answer {
        self.send(self.request(Method::POST, "/api/v1/auth/token").json(&json!({"email": email, "password": password})))
            .await
    }

    /// This server as `email` signed in with `password` (asserted to succeed).
    pub async fn sign_in(&self, email: &str, password: &str) -> Api {
        let body = self.token(email, password).await.expect(StatusCode::OK);
        self.with_token(body["token"].as_str().expect("a token"))
    }

    /// This server as the demo account `email`.
    pub async fn demo(&self, email: &str) -> Api {
        self.sign_in(email, DEMO_PASSWORD).await
    }

    /// A request to `path` with this caller's credentials, to send as it is or adjust first.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, self.url(path));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        Answer::read(request.send().await.expect("the server answers")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(self.request(Method::POST, path).json(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Answer {
        self.send(self.request(Method::PUT, path).json(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(self.request(Method::DELETE, path)).await
    }

    pub async fn me(&self) -> Answer {
        self.get("/api/v1/me").await
    }

    /// `POST /cases`, with an `Idempotency-Key` when given.
    pub async fn open_case(&self, body: &Value, idempotency_key: Option<&str>) -> Answer {
        let mut request = self.request(Method::POST, "/api/v1/cases").json(body);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        self.send(request).await
    }

    /// Opens a case (asserted: 201) and returns it.
    pub async fn new_case(&self, body: &Value) -> Value {
        self.open_case(body, None).await.expect(StatusCode::CREATED)
    }

    pub async fn list_cases(&self) -> Answer {
        self.get("/api/v1/cases").await
    }

    /// Every case the caller sees, newest first, page after page by cursor.
    pub async fn all_cases(&self) -> Vec<Value> {
        let mut cases = Vec::new();
        let mut path = "/api/v1/cases?limit=200".to_string();
        loop {
            let page = self.get(&path).await;
            cases.extend(page.list());
            match page.body["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/cases?limit=200&cursor={cursor}"),
                None => return cases,
            }
        }
    }

    /// How many cases the caller sees (every page).
    pub async fn case_count(&self) -> usize {
        self.all_cases().await.len()
    }

    /// `number` is anything the path may carry (`1001`, or `abc` to see it refused).
    pub async fn get_case(&self, number: impl Display) -> Answer {
        self.get(&format!("/api/v1/cases/{number}")).await
    }

    pub async fn events(&self, number: impl Display) -> Answer {
        self.get(&format!("/api/v1/cases/{number}/events")).await
    }

    pub async fn sla(&self, number: impl Display) -> Answer {
        self.get(&format!("/api/v1/cases/{number}/sla")).await
    }

    /// `POST /cases/{number}/status`.
    pub async fn move_case(
        &self,
        number: impl Display,
        status: &str,
        resolution: Option<&str>,
        expected_version: i64,
    ) -> Answer {
        let body = json!({"status": status, "resolution": resolution, "expected_version": expected_version});
        self.post(&format!("/api/v1/cases/{number}/status"), &body).await
    }

    /// `POST /cases/{number}/status` naming the case this one duplicates (any JSON value).
    pub async fn move_case_duplicate_of(
        &self,
        number: impl Display,
        status: &str,
        resolution: Option<&str>,
        expected_version: i64,
        duplicate_of: impl Serialize,
    ) -> Answer {
        let body = json!({"status": status, "resolution": resolution, "expected_version": expected_version,
            "duplicate_of": duplicate_of});
        self.post(&format!("/api/v1/cases/{number}/status"), &body).await
    }

    /// Moves a case from the version it is at now (asserted: 200).
    pub async fn move_now(&self, number: i64, status: &str, resolution: Option<&str>) -> Value {
        let version = self.get_case(number).await.ok()["version"].as_i64().expect("a version");
        self.move_case(number, status, resolution, version).await.expect(StatusCode::OK)
    }

    /// `POST /cases/{number}/replies`: a public reply, or (support) an internal note.
    pub async fn reply(&self, number: impl Display, body: &str, internal: bool) -> Answer {
        self.post(&format!("/api/v1/cases/{number}/replies"), &json!({"body": body, "internal": internal})).await
    }

    /// A public reply written from `seen_version` (a newer case refuses it unless confirmed).
    pub async fn reply_seen(&self, number: impl Display, body: &str, seen_version: i64) -> Answer {
        self.post(&format!("/api/v1/cases/{number}/replies"), &json!({"body": body, "seen_version": seen_version}))
            .await
    }

    /// `POST /cases/{number}/assign`: `engineer` is an email, `me`, `auto`, or `None` (unassign).
    pub async fn assign(&self, number: impl Display, engineer: Option<&str>, expected_version: Option<i64>) -> Answer {
        let body = json!({"engineer": engineer, "expected_version": expected_version});
        self.post(&format!("/api/v1/cases/{number}/assign"), &body).await
    }

    /// `POST /cases/{number}/links`; `other` is any JSON value (a number, or `"abc"`).
    pub async fn link(&self, number: impl Display, other: impl Serialize, kind: Option<&str>) -> Answer {
        let mut body = json!({"case": other});
        if let Some(kind) = kind {
            body["kind"] = json!(kind);
        }
        self.post(&format!("/api/v1/cases/{number}/links"), &body).await
    }

    pub async fn change_severity(&self, number: impl Display, severity: u8, expected_version: i64) -> Answer {
        let body = json!({"severity": severity, "expected_version": expected_version});
        self.post(&format!("/api/v1/cases/{number}/severity"), &body).await
    }

    pub async fn request_severity_raise(&self, number: impl Display, severity: u8, reason: &str) -> Answer {
        self.post(
            &format!("/api/v1/cases/{number}/severity-requests"),
            &json!({"severity": severity, "reason": reason}),
        )
        .await
    }

    /// `POST /cases/{number}/attachments`: each `(name, bytes)` a `file` part.
    pub async fn upload(
        &self,
        number: impl Display,
        files: &[(&str, Vec<u8>)],
        idempotency_key: Option<&str>,
    ) -> Answer {
        let mut request =
            self.request(Method::POST, &format!("/api/v1/cases/{number}/attachments")).multipart(form(files));
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        self.send(request).await
    }

    /// `POST /uploads`: files for the caller's next case.
    pub async fn upload_for_draft(&self, files: &[(&str, Vec<u8>)]) -> Answer {
        self.send(self.request(Method::POST, "/api/v1/uploads").multipart(form(files))).await
    }

    pub async fn download(&self, number: impl Display, id: impl Display) -> Answer {
        self.get(&format!("/api/v1/cases/{number}/attachments/{id}")).await
    }

    /// The `attached` entries of the case's timeline.
    pub async fn attachments(&self, number: impl Display) -> Vec<Value> {
        self.events(number)
            .await
            .ok()
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["change"]["type"] == "attached")
            .cloned()
            .collect()
    }

    /// The live stream (`GET /events`), from `last_event_id` when given; the open response.
    pub async fn stream(&self, last_event_id: Option<&str>) -> reqwest::Response {
        let mut request = self.request(Method::GET, "/api/v1/events");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        request.send().await.expect("the server answers")
    }
}

fn form(files: &[(&str, Vec<u8>)]) -> Form {
    files.iter().fold(Form::new(), |form, (name, bytes)| {
        form.part("file", Part::bytes(bytes.clone()).file_name(name.to_string()))
    })
}

/// The server functions, as a signed-in browser calls them (form-encoded arguments,
/// `open_case` JSON), with the session cookie.
#[derive(Clone)]
pub struct Browser {
    base: String,
    http: reqwest::Client,
}

impl Browser {
    /// Signs `email` in through the `sign_in` server function (asserted to succeed).
    pub async fn sign_in(base: &str, email: &str, password: &str) -> Browser {
        let browser = Browser::anonymous(base);
        let answer = browser.call("sign_in", &[("email", email), ("password", password)]).await;
        assert!(answer.status.is_success() || answer.status.is_redirection(), "{}: {}", answer.status, answer.text());
        browser
    }

    /// A browser that has not signed in (it keeps the cookies it is given).
    pub fn anonymous(base: &str) -> Browser {
        let http =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { base: base.to_owned(), http }
    }

    /// `POST /api/<endpoint>` with form-encoded arguments (`&[("number", "1001")]`).
    pub async fn call<T: Serialize + ?Sized>(&self, endpoint: &str, args: &T) -> Answer {
        let response = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .form(args)
            .send()
            .await
            .expect("the server answers");
        Answer::read(response).await
    }

    /// `POST /api/<endpoint>` with JSON arguments (the functions declared with a JSON input).
    pub async fn call_json(&self, endpoint: &str, args: &Value) -> Answer {
        let response = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .json(args)
            .send()
            .await
            .expect("the server answers");
        Answer::read(response).await
    }

    /// `GET` a page (HTML) with this browser's cookies.
    pub async fn page(&self, path: &str) -> Answer {
        Answer::read(self.http.get(format!("{}{path}", self.base)).send().await.expect("the server answers")).await
    }

    /// A request of this browser's own, to adjust (headers a page on another site would send).
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base))
    }

    /// `number` is sent as it is written (`1001`, or `abc` to see it refused).
    pub async fn read_case(&self, number: impl Display) -> Answer {
        self.call("read_case", &[("number", number.to_string())]).await
    }

    pub async fn board_card(&self, number: impl Display) -> Answer {
        self.call("board_card", &[("number", number.to_string())]).await
    }

    pub async fn my_cases(&self) -> Answer {
        self.call("my_cases", &[("", ""); 0]).await
    }

    /// `open_case`, with an `idempotency_key` when given.
    pub async fn open_case(&self, draft: &Value, idempotency_key: Option<&str>) -> Answer {
        self.call_json("open_case", &json!({"draft": draft, "idempotency_key": idempotency_key})).await
    }

    /// `move_case`; `resolution` and `duplicate_of` empty when none.
    pub async fn move_case(
        &self,
        number: impl Display,
        status: &str,
        resolution: &str,
        expected_version: impl Display,
        duplicate_of: &str,
    ) -> Answer {
        let args = [
            ("number", number.to_string()),
            ("status", status.to_owned()),
            ("resolution", resolution.to_owned()),
            ("expected_version", expected_version.to_string()),
            ("duplicate_of", duplicate_of.to_owned()),
        ];
        self.call("move_case", &args).await
    }

    pub async fn reply_to_case(&self, number: impl Display, body: &str) -> Answer {
        self.call("reply_to_case", &[("number", number.to_string()), ("body", body.to_owned())]).await
    }

    /// A public reply written from `seen_version`.
    pub async fn reply_seen(&self, number: impl Display, body: &str, seen_version: i64) -> Answer {
        let args =
            [("number", number.to_string()), ("body", body.to_owned()), ("seen_version", seen_version.to_string())];
        self.call("reply_to_case", &args).await
    }

    pub async fn assign_case(&self, number: impl Display, engineer: &str, expected_version: Option<i64>) -> Answer {
        let mut args = vec![("number", number.to_string()), ("engineer", engineer.to_owned())];
        if let Some(version) = expected_version {
            args.push(("expected_version", version.to_string()));
        }
        self.call("assign_case", &args).await
    }

    pub async fn link_case(&self, number: impl Display, other: &str) -> Answer {
        self.call("link_case", &[("number", number.to_string()), ("other", other.to_owned())]).await
    }

    pub async fn request_severity_raise(&self, number: impl Display, severity: u8, reason: &str) -> Answer {
        let args = [("number", number.to_string()), ("severity", severity.to_string()), ("reason", reason.to_owned())];
        self.call("request_severity_raise", &args).await
    }

    pub async fn change_severity(&self, number: impl Display, severity: u8, expected_version: i64) -> Answer {
        let args = [
            ("number", number.to_string()),
            ("severity", severity.to_string()),
            ("expected_version", expected_version.to_string()),
        ];
        self.call("change_severity", &args).await
    }

    /// `case_presence`: `activity` is `viewing`, `writing_reply`, `writing_note` or `left`.
    pub async fn case_presence(&self, number: impl Display, activity: &str) -> Answer {
        self.call("case_presence", &[("number", number.to_string()), ("activity", activity.to_owned())]).await
    }
}
