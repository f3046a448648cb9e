//! The saved views service ("queues"): support people save a board filter under a name,
//! for themselves or shared with the team, and see each with its count beside the board.
//! Support only; another person's private view does not exist for the reader (404).

use jiff::Timestamp;

use super::board::case_filter;
use super::store::{COUNT_BOUND, CaseScope, Store, StoredView, UserRecord, ViewChange};
use crate::domain::saved_view::view_name;
use crate::domain::{BoardFilter, BoundedCount, Role, SavedView, Status, ViewFilter};
use crate::error::{AppError, InvalidReason};

/// The most views one list shows (the reader's own and the shared ones, by name).
pub const VIEWS_LISTED: i64 = 200;

fn support_only(user: &UserRecord, what: &'static str) -> Result<(), AppError> {
    if user.role.is_support() {
        Ok(())
    } else {
        tracing::info!(user = user.id, what, "refused: support only");
        Err(AppError::Forbidden)
    }
}

/// A view the reader may see: their own, or a shared one (anything else is not found).
async fn visible_view(store: &Store, user: &UserRecord, id: i64) -> Result<StoredView, AppError> {
    match store.view_by_id(id).await? {
        Some(view) if view.owner_id == user.id || view.shared => Ok(view),
        _ => Err(AppError::NotFound),
    }
}

/// The filter, checked: its values (422 `filter.<field>`) and that its organization and
/// plan exist (support may know which do).
async fn checked_filter(store: &Store, filter: &ViewFilter) -> Result<(ViewFilter, BoardFilter), AppError> {
    let board = filter.board_filter()?;
    if let Some(slug) = &board.organization {
        super::organizations::named_organization_id(store, "filter.organization", slug).await?;
    }
    if let Some(plan) = &board.plan
        && super::contracts::plan_by_id(store, plan).await?.is_none()
    {
        return Err(AppError::invalid("filter.plan", InvalidReason::Malformed { detail: "no such plan".into() }));
    }
    Ok((ViewFilter::of_board(&board), board))
}

/// How many cases a view holds for `user`: the open ones that pass its filter (every
/// status but Closed; those the filter names), and when it names Closed, those closed
/// today as the board's Closed column shows them. Stops at [`COUNT_BOUND`].
pub async fn view_count(store: &Store, user: &UserRecord, filter: &BoardFilter) -> Result<BoundedCount, AppError> {
    let base = case_filter(store, user, filter).await?;
    let named = |s: &Status| filter.statuses.is_empty() || filter.statuses.contains(s);
    let open: Vec<Status> = Status::ALL.iter().copied().filter(|s| *s != Status::Closed && named(s)).collect();
    let mut n = 0;
    let mut more = false;
    if !open.is_empty() {
        let counted = store
            .count_cases(CaseScope::Everything, &super::store::CaseFilter { statuses: open, ..base.clone() })
            .await?;
        (n, more) = (counted.n, counted.more);
    }
    if filter.statuses.contains(&Status::Closed) {
        let today = Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
        let closed = super::store::CaseFilter { statuses: vec![Status::Closed], updated_since: today, ..base };
        let counted = store.count_cases(CaseScope::Everything, &closed).await?;
        n += counted.n;
        more |= counted.more;
    }
    let bound = COUNT_BOUND as u64;
    Ok(BoundedCount { n: n.min(bound), more: more || n > bound })
}

/// A stored view as `user` sees it, with its count.
async fn seen_by(store: &Store, user: &UserRecord, view: StoredView) -> Result<SavedView, AppError> {
    let board = view.filter.board_filter().unwrap_or_default();
    let count = view_count(store, user, &board).await?;
    let query = board.query();
    let board_query =
        if query.is_empty() { format!("queue={}", view.id) } else { format!("{query}&queue={}", view.id) };
    Ok(SavedView {
        id: view.id,
        name: view.name,
        owner: view.owner_name,
        mine: view.owner_id == user.id,
        shared: view.shared,
        filter: view.filter,
        count,
        board_query,
    })
}

/// The reader's views and those shared with the team, by name (at most [`VIEWS_LISTED`]),
/// each with its count.
pub async fn list_views(store: &Store, user: &UserRecord) -> Result<Vec<SavedView>, AppError> {
    support_only(user, "list views")?;
    let mut views = Vec::new();
    for view in store.views_for(user.id, VIEWS_LISTED).await? {
        views.push(seen_by(store, user, view).await?);
    }
    Ok(views)
}

/// Saves a view of `filter` named `name` (trimmed, 1-80 characters, not one the person
/// already uses: 422 `name`).
pub async fn create_view(
    store: &Store,
    user: &UserRecord,
    name: &str,
    shared: bool,
    filter: &ViewFilter,
) -> Result<SavedView, AppError> {
    support_only(user, "create view")?;
    let name = view_name(name)?;
    let (filter, _) = checked_filter(store, filter).await?;
    let id = store.create_view(user.id, &name, shared, &filter, Timestamp::now()).await?;
    tracing::info!(user = user.id, view = id, shared, "view saved");
    let view = store.view_by_id(id).await?.ok_or(AppError::NotFound)?;
    seen_by(store, user, view).await
}

/// Renames, shares or unshares a view, or changes its filter: its owner only (someone
/// else's shared view: 403; their private one: 404).
pub async fn change_view(store: &Store, user: &UserRecord, id: i64, change: ViewChange) -> Result<SavedView, AppError> {
    support_only(user, "change view")?;
    let view = visible_view(store, user, id).await?;
    if view.owner_id != user.id {
        tracing::info!(user = user.id, view = id, "refused: not the view's owner");
        return Err(AppError::Forbidden);
    }
    let name = change.name.as_deref().map(view_name).transpose()?;
    let filter = match &change.filter {
        Some(filter) => Some(checked_filter(store, filter).await?.0),
        None => None,
    };
    if !store.change_view(id, &ViewChange { name, shared: change.shared, filter }).await? {
        return Err(AppError::NotFound);
    }
    let view = store.view_by_id(id).await?.ok_or(AppError::NotFound)?;
    seen_by(store, user, view).await
}

/// Deletes a view: its owner, or an admin when it is shared.
pub async fn delete_view(store: &Store, user: &UserRecord, id: i64) -> Result<(), AppError> {
    support_only(user, "delete view")?;
    let view = visible_view(store, user, id).await?;
    if view.owner_id != user.id && !(view.shared && user.role == Role::Admin) {
        tracing::info!(user = user.id, view = id, "refused: not the view's owner");
        return Err(AppError::Forbidden);
    }
    if !store.delete_view(id, Timestamp::now()).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(user = user.id, view = id, "view deleted");
    Ok(())
}
