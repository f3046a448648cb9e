//! A page's language (issue #22, item 7): the person's chosen language, else the browser's
//! (the language cookie, else `Accept-Language`), settled before the render and left in the
//! cookie the browser's side reads, so hydration says the same.

mod common;

use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};

fn language_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("caseboard_lang="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn an_anonymous_page_follows_the_browser_and_leaves_the_choice_in_the_cookie() {
    let s = common::start().await;
    let client = reqwest::Client::new();
    let page = client.get(s.url("/sign-in")).header(ACCEPT_LANGUAGE, "de-DE,fr;q=0.8,en;q=0.5").send().await.unwrap();
    assert_eq!(language_cookie(&page).as_deref(), Some("fr"));
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"lang="fr""#) && html.contains("Se connecter à Caseboard"), "{}", &html[..400.min(html.len())]);

    // A cookie that already says it: nothing to set; a hostile cookie is not believed.
    let same = client.get(s.url("/sign-in")).header(COOKIE, "caseboard_lang=zh").send().await.unwrap();
    assert_eq!(language_cookie(&same), None);
    assert!(same.text().await.unwrap().contains("登录 Caseboard"));
    let hostile = client
        .get(s.url("/sign-in"))
        .header(COOKIE, "caseboard_lang=<script>")
        .header(ACCEPT_LANGUAGE, "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(language_cookie(&hostile).as_deref(), Some("zh"));
    // The API and the bundle are not pages: no cookie.
    let api = client.get(s.url("/api/v1/me")).header(ACCEPT_LANGUAGE, "fr").send().await.unwrap();
    assert_eq!(language_cookie(&api), None);
}

#[tokio::test]
async fn a_chosen_language_wins_over_the_browser_and_a_refused_one_changes_nothing() {
    let s = common::start().await;
    let bruno = s.browser("bruno@globex.example").await;
    let api = s.demo("bruno@globex.example").await;
    assert_eq!(api.me().await.ok()["language"], serde_json::Value::Null, "not chosen yet");

    let refused = bruno.call("choose_language", &[("language", "klingon")]).await;
    assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text());
    assert_eq!(refused.field(), "language");
    assert_eq!(api.me().await.ok()["language"], serde_json::Value::Null, "a refusal saves nothing");

    bruno.call("choose_language", &[("language", "zh")]).await.ok();
    assert_eq!(api.me().await.ok()["language"], "zh");
    // An English browser: the person's choice wins on every page.
    let page = bruno.request(reqwest::Method::GET, "/cases").header(ACCEPT_LANGUAGE, "en-US").send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"lang="zh""#) && html.contains("我的案件"), "{}", &html[..400.min(html.len())]);
}

#[tokio::test]
async fn someone_who_never_chose_is_written_to_in_the_language_they_signed_in_with() {
    let s = common::start().await;
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let signed_in = client
        .post(s.url("/api/sign_in"))
        .header(ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9")
        .form(&[("email", "bruno@globex.example"), ("password", common::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(signed_in.status().is_success() || signed_in.status().is_redirection(), "{}", signed_in.status());
    let bruno = s.store.user_by_email("bruno@globex.example").await.unwrap().unwrap();
    assert_eq!((bruno.language.as_str(), bruno.language_chosen), ("fr", false));

    // A chosen language is never replaced by a browser's.
    s.store.set_user_language(bruno.id, "zh", true).await.unwrap();
    client
        .post(s.url("/api/sign_in"))
        .header(ACCEPT_LANGUAGE, "en-US")
        .form(&[("email", "bruno@globex.example"), ("password", common::PASSWORD)])
        .send()
        .await
        .unwrap();
    let bruno = s.store.user_by_email("bruno@globex.example").await.unwrap().unwrap();
    assert_eq!((bruno.language.as_str(), bruno.language_chosen), ("zh", true));
}
