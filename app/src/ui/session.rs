//! Who is signed in, as the pages see it: one resource, refreshed after sign-in/out.

use leptos::prelude::*;

use crate::api::accounts::{SignIn, SignOut, current_user};
use crate::domain::SignedInUser;
use crate::error::AppError;

#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<SignedInUser>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
}

pub fn provide_session() {
    let sign_in = ServerAction::<SignIn>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let user = Resource::new(move || (sign_in.version().get(), sign_out.version().get()), |_| current_user());
    provide_context(Session { user, sign_in, sign_out });
}
