//! Personal settings and privacy over real HTTP (#16): a person changes their own name,
//! language and time zone (`PATCH /api/v1/me`), lists and ends their browser sessions
//! (`/api/v1/me/sessions`) and changes their password; their export holds what they wrote
//! and nothing of anyone else's; an admin erases a customer, whose cases still read under
//! the tombstone. Each refusal is checked for the API's error shape and for changing nothing.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn patch(api: &Api, path: &str, body: &Value) -> Answer {
    api.send(api.request(Method::PATCH, path).json(body)).await
}

/// A REST call with a browser's session cookie.
async fn as_browser(browser: &Browser, method: Method, path: &str) -> Answer {
    Answer::read(browser.request(method, path).send().await.expect("the server answers")).await
}

fn refused(answer: Answer, field: &str) {
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", answer.text());
    assert_eq!(answer.error(), "invalid", "{}", answer.text());
    assert_eq!(answer.field(), field, "{}", answer.text());
}

/// A customer of Acme the admin creates, by id.
async fn new_customer(admin: &Api, email: &str, name: &str, password: &str) -> i64 {
    let created = admin
        .post(
            "/api/v1/users",
            &json!({"email": email, "password": password, "name": name, "role": "customer", "organization": "acme"}),
        )
        .await
        .expect(StatusCode::CREATED);
    created["id"].as_i64().expect("the new user's id")
}

#[tokio::test]
async fn a_person_changes_their_name_language_and_zone_and_a_bad_field_changes_nothing() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let id = alice.me().await.ok()["id"].as_i64().unwrap();
    let admin = s.demo("admin@caseboard.example").await;
    let before = admin.get(&format!("/api/v1/users/{id}")).await.expect(StatusCode::OK);

    for (body, field) in [
        (json!({"time_zone": "Mars/Olympus", "name": "Taken over"}), "time_zone"),
        (json!({"language": "de", "name": "Taken over"}), "language"),
        (json!({"language": "fr-CA"}), "language"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "x".repeat(201)}), "name"),
        (json!({"name": "two\nlines"}), "name"),
    ] {
        refused(patch(&alice, "/api/v1/me", &body).await, field);
    }
    assert_eq!(admin.get(&format!("/api/v1/users/{id}")).await.expect(StatusCode::OK), before, "nothing changed");
    assert!(patch(&alice, "/api/v1/me", &json!({"role": "admin"})).await.status.is_client_error(), "unknown field");

    let changed =
        patch(&alice, "/api/v1/me", &json!({"name": "Alice M.", "language": "fr", "time_zone": "Europe/Paris"}))
            .await
            .expect(StatusCode::OK);
    assert_eq!(
        (changed["name"].as_str(), changed["language"].as_str(), changed["time_zone"].as_str()),
        (Some("Alice M."), Some("fr"), Some("Europe/Paris"))
    );
    assert_eq!(admin.get(&format!("/api/v1/users/{id}")).await.expect(StatusCode::OK), changed, "as saved");
    let me = alice.me().await.ok();
    assert_eq!(
        (me["name"].as_str(), me["language"].as_str()),
        (Some("Alice M."), Some("fr")),
        "chosen: pages follow it"
    );
    // A field left out stays; not an admin action: the admin log has no entry for it.
    let again = patch(&alice, "/api/v1/me", &json!({"time_zone": "UTC"})).await.expect(StatusCode::OK);
    assert_eq!((again["name"].as_str(), again["time_zone"].as_str()), (Some("Alice M."), Some("UTC")));
    let log = admin.get("/api/v1/audit?limit=200").await.expect(StatusCode::OK);
    assert!(log["entries"].as_array().unwrap().iter().all(|e| e["target"] != format!("user:{id}")));
    assert_eq!(s.api().request(Method::PATCH, "/api/v1/me").json(&json!({})).send().await.unwrap().status(), 401);

    // An engineer moves to another zone: their shifts stay at the same civil times there.
    let sam = s.demo("sam@caseboard.example").await;
    let before = sam.get("/api/v1/me").await.ok();
    let moved = patch(&sam, "/api/v1/me", &json!({"time_zone": "Asia/Tokyo"})).await.expect(StatusCode::OK);
    assert_eq!(moved["time_zone"], "Asia/Tokyo");
    assert_eq!(moved["role"], "engineer");
    assert!(moved["shifts"].as_array().is_some_and(|s| !s.is_empty()), "{moved}");
    assert_eq!(sam.get("/api/v1/me").await.ok()["name"], before["name"]);
}

#[tokio::test]
async fn sessions_are_listed_and_ended_and_another_persons_session_is_not_found() {
    let s = start().await;
    let here = s.browser("alice@acme.example").await;
    let elsewhere = s.browser("alice@acme.example").await;
    let olga = s.browser("olga@acme.example").await;

    let listed = as_browser(&here, Method::GET, "/api/v1/me/sessions").await.expect(StatusCode::OK);
    let sessions = listed["sessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2, "{listed}");
    let keys: Vec<&str> = sessions[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["created_at", "current", "id", "last_seen_at"]);
    let current: Vec<&Value> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1, "this session is marked");
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_owned();
    assert!(other.len() == 16 && other.bytes().all(|b| b.is_ascii_hexdigit()), "{other}");
    assert!(sessions.iter().all(|s| s["last_seen_at"].as_str().is_some() && s["created_at"].as_str().is_some()));

    // Olga may not end Alice's session: 404, and it still works.
    assert_eq!(
        as_browser(&olga, Method::DELETE, &format!("/api/v1/me/sessions/{other}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        as_browser(&olga, Method::DELETE, "/api/v1/me/sessions/not-a-session").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(as_browser(&elsewhere, Method::GET, "/api/v1/me").await.status, StatusCode::OK);

    // Alice ends the other session: it is refused at once; this one goes on.
    assert_eq!(
        as_browser(&here, Method::DELETE, &format!("/api/v1/me/sessions/{other}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(as_browser(&elsewhere, Method::GET, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        as_browser(&here, Method::DELETE, &format!("/api/v1/me/sessions/{other}")).await.status,
        StatusCode::NOT_FOUND
    );
    let left = as_browser(&here, Method::GET, "/api/v1/me/sessions").await.expect(StatusCode::OK);
    assert_eq!(left["sessions"].as_array().unwrap().len(), 1);

    // Every other session at once: two more browsers end, this one and Olga's stay.
    let (second, third) = (s.browser("alice@acme.example").await, s.browser("alice@acme.example").await);
    assert_eq!(as_browser(&here, Method::DELETE, "/api/v1/me/sessions").await.status, StatusCode::NO_CONTENT);
    for gone in [&second, &third] {
        assert_eq!(as_browser(gone, Method::GET, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(as_browser(&here, Method::GET, "/api/v1/me").await.status, StatusCode::OK);
    assert_eq!(as_browser(&olga, Method::GET, "/api/v1/me").await.status, StatusCode::OK);
    // The server functions of the settings page answer the same.
    let page_list = here.call("account_sessions", &Vec::<(String, String)>::new()).await;
    assert_eq!(page_list.status, StatusCode::OK, "{}", page_list.text());
    assert_eq!(page_list.body["sessions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_wrong_current_password_is_refused_on_its_field_and_changes_nothing() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    new_customer(&admin, "pat@acme.example", "Pat Password", "the first passphrase").await;
    let here = Browser::sign_in(&s.base, "pat@acme.example", "the first passphrase").await;
    let elsewhere = Browser::sign_in(&s.base, "pat@acme.example", "the first passphrase").await;
    let token = s.api().sign_in("pat@acme.example", "the first passphrase").await;

    let wrong = json!({"current_password": "not the passphrase", "new_password": "a second passphrase"});
    let request = here.request(Method::POST, "/api/v1/me/password").json(&wrong);
    refused(Answer::read(request.send().await.unwrap()).await, "current_password");
    let by_page = here
        .call(
            "change_own_password",
            &[("current_password", "not the passphrase"), ("new_password", "a second passphrase")],
        )
        .await;
    assert_eq!(by_page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", by_page.text());
    assert_eq!(as_browser(&elsewhere, Method::GET, "/api/v1/me").await.status, StatusCode::OK, "sessions kept");
    assert_eq!(token.me().await.status, StatusCode::OK, "tokens kept");
    assert_eq!(s.api().token("pat@acme.example", "a second passphrase").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.api().token("pat@acme.example", "the first passphrase").await.status, StatusCode::OK);

    let right = here
        .call(
            "change_own_password",
            &[("current_password", "the first passphrase"), ("new_password", "a second passphrase")],
        )
        .await;
    assert!(right.status.is_success(), "{}", right.text());
    assert_eq!(as_browser(&elsewhere, Method::GET, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(token.me().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(as_browser(&here, Method::GET, "/api/v1/me").await.status, StatusCode::OK, "this browser stays");
    assert_eq!(s.api().token("pat@acme.example", "a second passphrase").await.status, StatusCode::OK);
}

/// Every row of both lists of `who`'s export, following the cursor `limit` rows at a time.
async fn whole_export(api: &Api, who: i64, limit: usize) -> (Vec<Value>, Vec<Value>) {
    let (mut cases, mut replies) = (Vec::new(), Vec::new());
    let mut path = format!("/api/v1/users/{who}/export?limit={limit}");
    for _ in 0..1000 {
        let page = api.get(&path).await.expect(StatusCode::OK);
        assert!(page["cases_reported"].as_array().unwrap().len() <= limit);
        assert!(page["replies"].as_array().unwrap().len() <= limit);
        assert_eq!(page["profile"]["id"].as_i64(), Some(who));
        cases.extend(page["cases_reported"].as_array().unwrap().iter().cloned());
        replies.extend(page["replies"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => path = format!("/api/v1/users/{who}/export?limit={limit}&cursor={next}"),
            None => return (cases, replies),
        }
    }
    panic!("the export never ended");
}

#[tokio::test]
async fn an_export_holds_the_persons_cases_and_replies_and_nothing_of_anyone_else() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let admin = s.demo("admin@caseboard.example").await;
    let alice_id = alice.me().await.ok()["id"].as_i64().unwrap();
    let bruno_id = bruno.me().await.ok()["id"].as_i64().unwrap();
    let sam_id = sam.me().await.ok()["id"].as_i64().unwrap();

    let mine = alice.new_case(&case_body("Export: Alice's own case")).await["number"].as_i64().unwrap();
    assert_eq!(alice.reply(mine, "Alice writes a reply", false).await.status, StatusCode::CREATED);
    assert_eq!(sam.reply(mine, "Sam answers Alice", false).await.status, StatusCode::CREATED);
    assert_eq!(sam.reply(mine, "Sam's internal note", true).await.status, StatusCode::CREATED);
    let theirs = bruno.new_case(&case_body("Export: Bruno's case")).await["number"].as_i64().unwrap();
    assert_eq!(bruno.reply(theirs, "Bruno writes a reply", false).await.status, StatusCode::CREATED);

    let page = alice.get(&format!("/api/v1/users/{alice_id}/export")).await.expect(StatusCode::OK);
    let mut keys: Vec<&str> = page.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["cases_reported", "next_cursor", "profile", "replies"]);
    assert_eq!(page["profile"]["email"], "alice@acme.example");
    let (cases, replies) = whole_export(&alice, alice_id, 500).await;
    assert!(cases.iter().any(|c| c["number"] == mine && c["summary"] == "Export: Alice's own case"));
    assert!(cases.iter().all(|c| c["number"] != theirs));
    assert!(replies.iter().any(|r| r["case"] == mine && r["body"] == "Alice writes a reply" && r["internal"] == false));
    let text = serde_json::to_string(&(&cases, &replies)).unwrap();
    for foreign in ["Sam answers Alice", "Sam's internal note", "Bruno"] {
        assert!(!text.contains(foreign), "{foreign} in Alice's export");
    }
    // A page at a time, the same rows in the same order.
    assert_eq!(whole_export(&alice, alice_id, 1).await, (cases, replies));
    // Support people's export holds their internal notes: their own writing.
    let (_, sams) = whole_export(&admin, sam_id, 500).await;
    assert!(sams.iter().any(|r| r["body"] == "Sam's internal note" && r["internal"] == true));
    assert!(sams.iter().all(|r| r["body"] != "Alice writes a reply"));

    // Only the person or an admin; a bad cursor or limit is 422 naming it.
    for (api, status) in [(&bruno, 403), (&sam, 403), (&admin, 200), (&s.api(), 401)] {
        assert_eq!(api.get(&format!("/api/v1/users/{alice_id}/export")).await.status.as_u16(), status);
    }
    assert_eq!(alice.get(&format!("/api/v1/users/{bruno_id}/export")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(admin.get("/api/v1/users/999999/export").await.status, StatusCode::NOT_FOUND);
    refused(alice.get(&format!("/api/v1/users/{alice_id}/export?cursor=zz")).await, "cursor");
    refused(alice.get(&format!("/api/v1/users/{alice_id}/export?limit=501")).await, "limit");
}

/// The download's lines: (kind, object) each.
fn download_lines(text: &str) -> Vec<(String, Value)> {
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("one JSON object a line");
            (value["kind"].as_str().unwrap().to_owned(), value)
        })
        .collect()
}

#[tokio::test]
async fn the_export_download_is_every_page_at_once_as_json_lines() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let alice_id = alice.me().await.ok()["id"].as_i64().unwrap();
    // More replies than one page of the store holds (500): the download reads on.
    let mine = alice.new_case(&case_body("Export download: many replies")).await["number"].as_i64().unwrap();
    for i in 0..510 {
        assert_eq!(alice.reply(mine, &format!("Reply {i} with \"quotes\", <tags> and\na new line"), false).await.status, StatusCode::CREATED);
    }
    let answer = alice.get(&format!("/api/v1/users/{alice_id}/export/download")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.headers["content-type"], "application/x-ndjson");
    assert_eq!(
        answer.headers["content-disposition"],
        format!("attachment; filename=\"caseboard-export-{alice_id}.ndjson\"").as_str()
    );
    let lines = download_lines(&answer.text());
    assert_eq!(lines[0].0, "profile");
    assert_eq!(lines[0].1["profile"]["email"], "alice@acme.example");
    let cases: Vec<Value> = lines.iter().filter(|(k, _)| k == "case_reported").map(|(_, v)| v["case"].clone()).collect();
    let replies: Vec<Value> = lines.iter().filter(|(k, _)| k == "reply").map(|(_, v)| v["reply"].clone()).collect();
    assert!(lines.iter().all(|(k, _)| ["profile", "case_reported", "reply"].contains(&k.as_str())));
    assert!(replies.len() >= 510, "{} replies", replies.len());
    // The same rows, in the same order, as following the paged export's cursor.
    assert_eq!(whole_export(&alice, alice_id, 500).await, (cases, replies));

    // Who may download it: as the paged export; a refusal is the error shape.
    for (api, status) in [(&bruno, 403), (&s.api(), 401)] {
        let refused = api.get(&format!("/api/v1/users/{alice_id}/export/download")).await;
        assert_eq!(refused.status.as_u16(), status);
        assert!(refused.body["error"].is_string(), "{}", refused.text());
    }
    assert_eq!(alice.get("/api/v1/users/999999/export/download").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_erased_customers_cases_still_read_under_the_tombstone_and_their_identity_is_gone() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let id = new_customer(&admin, "erin.zephyrine@acme.example", "Erin Zephyrine", "erin's passphrase").await;
    let erin = s.api().sign_in("erin.zephyrine@acme.example", "erin's passphrase").await;
    let browser = Browser::sign_in(&s.base, "erin.zephyrine@acme.example", "erin's passphrase").await;
    let number = erin.new_case(&case_body("Quarkly exporter stalls")).await["number"].as_i64().unwrap();
    assert_eq!(erin.reply(number, "It stalls again tonight.", false).await.status, StatusCode::CREATED);
    assert_eq!(sam.reply(number, "Looking into it.", false).await.status, StatusCode::CREATED);

    let erased = admin.post(&format!("/api/v1/users/{id}/erase"), &json!({})).await.expect(StatusCode::OK);
    let tombstone = format!("Former contact #{id}");
    assert_eq!((erased["name"].as_str(), erased["changed"].as_bool()), (Some(tombstone.as_str()), Some(true)));
    assert!(erased["email"].as_str().unwrap().ends_with(".invalid"));

    // The case and its log still read, signed by the tombstone.
    let case = admin.get_case(number).await.expect(StatusCode::OK);
    assert_eq!(case["reporter"], tombstone);
    let events = sam.events(number).await.expect(StatusCode::OK);
    let by_erin: Vec<&Value> = events.as_array().unwrap().iter().filter(|e| e["actor"] == tombstone).collect();
    assert!(by_erin.len() >= 2, "opened and replied: {events}");
    assert!(by_erin.iter().any(|e| e["change"]["body"] == "It stalls again tonight."), "history kept");
    assert!(!events.to_string().contains("Zephyrine"));
    assert!(sam.reply(number, "Still on it.", false).await.status.is_success(), "the case goes on");

    // Signed out everywhere, cannot sign in, found by no search.
    assert_eq!(erin.me().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(as_browser(&browser, Method::GET, "/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        s.api().token("erin.zephyrine@acme.example", "erin's passphrase").await.status,
        StatusCode::UNAUTHORIZED
    );
    for q in ["zephyrine", "erin.zephyrine@acme.example"] {
        let people = admin.get(&format!("/api/v1/users?q={q}")).await.expect(StatusCode::OK);
        assert_eq!(people["users"], json!([]), "{q}");
    }
    let found = sam.get("/api/v1/cases/search?q=zephyrine").await.expect(StatusCode::OK);
    assert_eq!(found["results"], json!([]));
    let profile = admin.get(&format!("/api/v1/users/{id}")).await.expect(StatusCode::OK);
    assert_eq!((profile["name"].as_str(), profile["active"].as_bool()), (Some(tombstone.as_str()), Some(false)));
    // Erased stays erased: reactivating lets no one in.
    admin.post(&format!("/api/v1/users/{id}/reactivate"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(
        s.api().token(erased["email"].as_str().unwrap(), "erin's passphrase").await.status,
        StatusCode::UNAUTHORIZED
    );

    // A second erasure is harmless: nothing changes, one entry in the admin log, with no
    // personal data in it.
    let again = admin.post(&format!("/api/v1/users/{id}/erase"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(again["changed"], false);
    assert_eq!(admin.get_case(number).await.expect(StatusCode::OK)["reporter"], tombstone);
    let log = admin.get("/api/v1/audit?limit=200").await.expect(StatusCode::OK);
    let entries: Vec<&Value> =
        log["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "user.erased").collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["target"], format!("user:{id}"));
    assert_eq!(entries[0]["after"]["name"], tombstone);
    let text = serde_json::to_string(entries[0]).unwrap();
    assert!(!text.contains("Zephyrine") && !text.contains("erin."), "{text}");
    // The entries from before the erasure (her account's creation) keep what was done, not
    // who she was.
    let about_her: Vec<&Value> =
        log["entries"].as_array().unwrap().iter().filter(|e| e["target"] == format!("user:{id}")).collect();
    let created = about_her.iter().find(|e| e["action"] == "user.created").expect("the creation is still logged");
    assert_eq!(created["after"]["name"], tombstone);
    let text = serde_json::to_string(&about_her).unwrap();
    assert!(!text.contains("Zephyrine") && !text.contains("erin."), "{text}");
}

#[tokio::test]
async fn only_an_admin_erases_never_themself_nor_support_and_a_refusal_changes_nothing() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let olga = s.demo("olga@acme.example").await;
    let alice_id = alice.me().await.ok()["id"].as_i64().unwrap();
    let (sam_id, admin_id) =
        (sam.me().await.ok()["id"].as_i64().unwrap(), admin.me().await.ok()["id"].as_i64().unwrap());
    let before = admin.get(&format!("/api/v1/users/{alice_id}")).await.expect(StatusCode::OK);
    let log_before = admin.get("/api/v1/audit?limit=200").await.expect(StatusCode::OK);

    for api in [&alice, &olga, &sam] {
        assert_eq!(
            api.post(&format!("/api/v1/users/{alice_id}/erase"), &json!({})).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        s.api().post(&format!("/api/v1/users/{alice_id}/erase"), &json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    refused(admin.post(&format!("/api/v1/users/{admin_id}/erase"), &json!({})).await, "user");
    refused(admin.post(&format!("/api/v1/users/{sam_id}/erase"), &json!({})).await, "user");
    assert_eq!(admin.post("/api/v1/users/999999/erase", &json!({})).await.status, StatusCode::NOT_FOUND);

    assert_eq!(admin.get(&format!("/api/v1/users/{alice_id}")).await.expect(StatusCode::OK), before);
    assert_eq!(alice.me().await.status, StatusCode::OK, "still signed in");
    assert_eq!(admin.get("/api/v1/audit?limit=200").await.expect(StatusCode::OK), log_before);
    assert_eq!(sam.me().await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_settings_page_shows_the_persons_settings_in_their_language() {
    let s = start().await;
    let browser = s.browser("bruno@globex.example").await;
    let page = browser.page("/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for expected in [
        "Your settings",
        "name=\"name\"",
        "name=\"time_zone\"",
        "name=\"current_password\"",
        "data-testid=\"session-row\"",
        "href=\"/settings/notifications\"",
        "href=\"/settings\"",
        "/export/download",
    ] {
        assert!(html.contains(expected), "{expected} missing from the settings page");
    }
    let saved = browser
        .call("save_account_profile", &[("name", "Bruno <b>B.</b>"), ("language", "fr"), ("time_zone", "Asia/Tokyo")])
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let html = browser.page("/settings").await.text();
    assert!(html.contains("Vos paramètres"), "the page follows the chosen language");
    assert!(html.contains("Asia/Tokyo"));
    assert!(
        html.contains("Bruno &lt;b&gt;B.&lt;/b&gt;") && !html.contains("<b>B.</b>"),
        "a name is text, never markup"
    );
    let refused = browser
        .call("save_account_profile", &[("name", "Bruno"), ("language", "fr"), ("time_zone", "Nowhere/Else")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(browser.page("/settings").await.text().contains("Bruno &lt;b&gt;"), "nothing changed");
    // Signed out: the page sends to the sign-in page.
    let anonymous = Browser::anonymous(&s.base).page("/settings").await;
    assert!(anonymous.status.is_redirection() || anonymous.text().contains("/sign-in"), "{}", anonymous.status);
}
