//! Links between cases.

use sqlx::Row;

use super::changes::{insert_link, visible_case_id};
use super::{CaseScope, Store, corrupt};
use crate::domain::{Case, CaseLink, CaseNumber, LinkKind};
use crate::error::{AppError, InvalidReason};


impl Store {
    /// Links case `number` to `other` (both visible to `scope`), bumping the case's version.
    pub async fn link_cases(
        &self,
        number: CaseNumber,
        other: CaseNumber,
        kind: LinkKind,
        scope: CaseScope,
        actor_id: i64,
    ) -> Result<Case, AppError> {
        let mut write = self.write_case(number, scope, None).await?;
        let other_id = visible_case_id(&mut write.tx, other, scope)
            .await?
            .ok_or_else(|| AppError::invalid("other", InvalidReason::NotAllowed))?;
        if write.case_id == other_id {
            return Err(AppError::invalid("other", InvalidReason::NotAllowed));
        }
        let linked =
            insert_link(&mut write.tx, write.case_id, other_id, other, kind, actor_id, &write.now, write.mail_window)
                .await?;
        write.appended(linked);
        write.commit(self).await
    }

    /// The links of a case, both ways, with the other case's summary.
    pub async fn case_links(&self, number: CaseNumber) -> Result<Vec<CaseLink>, AppError> {
        let rows = sqlx::query(
            "SELECT l.kind, o.number, o.summary, 0 AS incoming FROM case_links l \
             JOIN cases c ON c.id = l.case_id JOIN cases o ON o.id = l.other_id WHERE c.number = $1 \
             UNION ALL \
             SELECT l.kind, o.number, o.summary, 1 AS incoming FROM case_links l \
             JOIN cases c ON c.id = l.other_id JOIN cases o ON o.id = l.case_id WHERE c.number = $1 \
             ORDER BY 2",
        )
        .bind(number.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(CaseLink {
                    kind: LinkKind::parse(&kind).ok_or_else(|| corrupt("link kind", &kind))?,
                    other: CaseNumber(row.try_get("number")?),
                    other_summary: row.try_get("summary")?,
                    incoming: row.try_get::<i64, _>("incoming")? == 1,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn a_duplicate_names_the_case_it_duplicates_and_both_list_the_link() {
        let f = fixture().await;
        let first = cases::open_case(&f.store, &f.alice, draft("original"), None).await.unwrap().case;
        let second = cases::open_case(&f.store, &f.alice, draft("again"), None).await.unwrap().case;
        let v = second.version;
        let missing = cases::change_status(
            &f.store,
            &f.sam,
            second.number,
            Status::Resolved,
            Some(Resolution::Duplicate),
            v,
            None,
        )
        .await;
        assert_eq!(missing.unwrap_err(), AppError::invalid("duplicate_of", InvalidReason::Required));
        let itself = cases::change_status(
            &f.store,
            &f.sam,
            second.number,
            Status::Resolved,
            Some(Resolution::Duplicate),
            v,
            Some(second.number),
        )
        .await;
        assert!(itself.is_err());
        let unchanged = cases::case_for(&f.store, &f.sam, second.number).await.unwrap();
        assert_eq!((unchanged.status, unchanged.version), (Status::New, v), "a refused duplicate changes nothing");

        cases::change_status(
            &f.store,
            &f.sam,
            second.number,
            Status::Resolved,
            Some(Resolution::Duplicate),
            v,
            Some(first.number),
        )
        .await
        .unwrap();
        let from_second = f.store.case_links(second.number).await.unwrap();
        assert_eq!(from_second.len(), 1);
        assert_eq!(
            (from_second[0].kind, from_second[0].other, from_second[0].incoming),
            (crate::domain::LinkKind::DuplicateOf, first.number, false)
        );
        let from_first = f.store.case_links(first.number).await.unwrap();
        assert!(from_first[0].incoming);

        // Related links, support only; a customer cannot link, nor name a duplicate.
        let third = cases::open_case(&f.store, &f.bruno, draft("globex"), None).await.unwrap().case;
        cases::link(&f.store, &f.sam, first.number, third.number, crate::domain::LinkKind::Related).await.unwrap();
        assert_eq!(f.store.case_links(third.number).await.unwrap().len(), 1);
        assert_eq!(
            cases::link(&f.store, &f.alice, first.number, third.number, crate::domain::LinkKind::Related)
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
        // Links are internal: Alice's timeline of the first case does not show them.
        assert!(!f.store.case_events(first.number, false).await.unwrap().iter().any(|e| e.change.kind() == "linked"));
    }
}
